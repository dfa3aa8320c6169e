"""The review pane: progress, and the competing versions of the stretch under the cursor.

One column per annotator (and one for GOLD) lists that side's spans overlapping the candidate
at the cursor, so a boundary or label disagreement reads side by side. Span texts are
untrusted: they go in as ``Text``, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from annotator.model import Span
from annotator.team.review import Candidate
from annotator.tui.text_cells import one_line

WIDTH = 28  # characters of span text per version


def _clip(text: str, width: int = WIDTH) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


class ReviewPane(Static):
    DEFAULT_CSS = """
    ReviewPane { height: auto; max-height: 10; border-top: hkey $panel-lighten-2; padding: 0 1; }
    """

    said: str = ""  # what the pane says, as plain text (progress, who tagged, the versions)

    def show_review(
        self,
        *,
        names: Sequence[str],
        left_here: int,
        corpus: tuple[int, int] | None,
        under_cursor: Candidate | None,
        versions: dict[str, list[Candidate]],
        gold: Sequence[Span],
    ) -> None:
        progress = Text()
        progress.append("review ", style="bold")
        progress.append(
            f"{left_here} disagreement{'s' if left_here != 1 else ''} left here",
            style="bold yellow" if left_here else "green",
        )
        if corpus is None:
            progress.append(" · counting the corpus…", style="dim")
        else:
            total, articles = corpus
            plural = "s" if articles != 1 else ""
            progress.append(f" · {total} in the corpus ({articles} article{plural})")
        progress.append("  · . next  y/n accept/reject  T take a version", style="dim")
        if under_cursor is None and not gold and not any(versions.values()):
            self.said = progress.plain
            self.update(progress)
            return
        table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, expand=False)
        table.title = None
        for name in names:
            table.add_column(Text(one_line(name)), no_wrap=True)
        table.add_column(Text("GOLD"), no_wrap=True, style="bold")
        depth = max([len(v) for v in versions.values()] + [len(gold), 1])
        for row in range(min(depth, 6)):
            cells: list[Text] = []
            for name in names:
                found = versions.get(name, [])
                if row < len(found):
                    c = found[row]
                    mark = "▸ " if under_cursor is not None and c.key == under_cursor.key else "  "
                    cell = Text(mark)
                    cell.append(c.label, style="bold")
                    cell.append(" " + _clip(c.text))
                else:
                    cell = Text("  —" if row == 0 else "", style="dim")
                cells.append(cell)
            if row < len(gold):
                cell = Text(gold[row].label, style="bold green")
                cell.append(" " + _clip(gold[row].text))
            else:
                cell = Text("—" if row == 0 else "", style="dim")
            cells.append(cell)
            table.add_row(*cells)
        from rich.console import Group

        who = Text()
        if under_cursor is not None:
            who.append("at cursor: ", style="dim")
            who.append(f"{under_cursor.label} ", style="bold")
            who.append(_clip(under_cursor.text, 40))
            who.append(" — tagged by " + ", ".join(under_cursor.annotators), style="italic")
            missing = [n for n in names if n not in under_cursor.annotators]
            if missing:
                who.append(" (not " + ", ".join(missing) + ")", style="dim")
        rows = [" | ".join(str(cell) for cell in row) for row in _plain_rows(table)]
        self.said = "\n".join([progress.plain, who.plain, *rows])
        self.update(Group(progress, who, table))


def _plain_rows(table: Table) -> list[list[str]]:
    columns = [
        [c.header.plain if isinstance(c.header, Text) else str(c.header)] for c in table.columns
    ]
    for column, cells in zip(table.columns, columns, strict=True):
        cells += [cell.plain if isinstance(cell, Text) else str(cell) for cell in column.cells]
    return [list(row) for row in zip(*columns, strict=True)]
