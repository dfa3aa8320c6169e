"""The corpus list: one row per article, rendered lazily (Line API) so 10,000 rows start instantly."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.tui.text_cells import fit

STATUS_GLYPHS = {"new": "·", "in_progress": "◐", "done": "✓"}

# made once: a Style is costly to build, and adding two (cached by rich) is cheap
_BOLD, _NOT_BOLD = Style(bold=True), Style(bold=False)
_DIM, _NOT_DIM = Style(dim=True), Style(dim=False)
_REVERSE = Style(reverse=True)
_ITALIC, _DIM_ITALIC = Style(dim=False, italic=True), Style(dim=True, italic=True)


@dataclass(slots=True, eq=False)  # mutable, compared by identity; 100,000 in a big folder
class Row:
    """What the list shows for one corpus entry (mutable: filled in by a background worker)."""

    name: str
    title: str = ""
    date: datetime | None = None
    status: str = "new"
    spans: int = 0
    doc_id: str | None = None
    skipped: str | None = None  # why the file cannot be opened, once that is known


class Rows(Sequence[Row]):
    """One :class:`Row` per name, each made when first asked for.

    A 100,000-article list would otherwise build 100,000 rows before the first frame (~0.2 s);
    the list draws only the rows on screen, so only those (and the ones the app touches) exist.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self._names = names
        self._rows: dict[int, Row] = {}  # position -> row, for the rows made so far

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, index: int) -> Row:  # type: ignore[override]  # no slices
        if index < 0:
            index += len(self._names)
        row = self._rows.get(index)
        if row is None:
            row = self._rows[index] = Row(self._names[index])  # IndexError past the end
        return row

    def __iter__(self) -> Iterator[Row]:
        for i in range(len(self._names)):
            yield self[i]

    def made(self) -> list[tuple[int, Row]]:
        """(position, row) of the rows made so far, in order: a row never made holds only its
        name (new, no title yet)."""
        return sorted(self._rows.items())


class CorpusList(ScrollView, can_focus=True):
    """The articles, then a group at the end: a row that opens the skipped files (none once
    there are none) and, under it, the rows of the files that cannot be opened (✗, with the
    reason; the cursor steps over them).

    Rows are drawn in that order: ``cursor`` counts drawn rows; :meth:`position_at` and
    :meth:`row_of` map between drawn rows and corpus positions (``rows`` stays in corpus
    order, as the app's entries)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Previous row", show=False),
        Binding("down", "cursor(1)", "Next row", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First row", show=False),
        Binding("end", "edge(1)", "Last row", show=False),
        Binding("enter", "choose", "Open article", show=False),
    ]

    DEFAULT_CSS = """
    CorpusList { background: $surface; }
    """

    cursor: reactive[int] = reactive(0, repaint=False)

    class Chosen(Message):
        """The user chose a row (Enter / click); ``index``: its corpus position, len(rows) for
        the skipped-files row."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, rows: Sequence[Row], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.current = 0  # the open article (marked with ▶)
        self.skipped_label = "skipped files (!)"
        self.skipped_row = True  # False once it is known that no file was skipped
        self._skipped: list[int] = []  # corpus positions of the ✗ rows, sorted (drawn last)
        # skipped[i] - i: how many articles come before the i-th ✗ file (never decreasing)
        self._gaps: list[int] = []
        self.virtual_size = Size(0, len(rows) + 1)
        self._base: Style | None = None  # rich_style, looked up once per drawing

    # ------------------------------------------------------------------ data

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        self._skipped, self._gaps = [], []
        self.virtual_size = Size(self.size.width, len(rows) + self.skipped_row)
        self.refresh()

    def refresh_rows(self) -> None:
        self.refresh()

    def set_current(self, index: int) -> None:
        """``index``: the corpus position of the open article."""
        self.current = index
        self.cursor = self.row_of(index)
        self.scroll_to_cursor()
        self.refresh()

    def set_skipped(self, count: int | None, positions: Iterable[int] = ()) -> None:
        """``count`` files were skipped (None: not known yet); ``positions``: the rows of those
        in the list, moved to the group at the end."""
        position = self.position_at(self.cursor)
        self.skipped_label = (
            "skipped files (!)" if count is None else f"{count} skipped file(s) (!)"
        )
        self.skipped_row = count != 0  # no row for "no skipped files": nothing to open there
        self._skipped = sorted(set(positions))
        self._gaps = [p - i for i, p in enumerate(self._skipped)]
        self.virtual_size = Size(self.size.width, len(self.rows) + self.skipped_row)
        self.cursor = min(self.row_of(position), self._last)
        self.refresh()

    # drawn rows: the articles (corpus order), the skipped-files row, then the ✗ rows

    @property
    def _articles(self) -> int:
        """How many rows come before the skipped-files group."""
        return len(self.rows) - len(self._skipped)

    def position_at(self, row: int) -> int:
        """The corpus position drawn at ``row``; ``len(rows)`` for the skipped-files row."""
        skipped, articles = self._skipped, self._articles
        if row < articles:  # the row-th position not skipped: row + the skipped ones before it
            return row + bisect_right(self._gaps, row)
        if row == articles:
            return len(self.rows)
        return skipped[min(row - articles - 1, len(skipped) - 1)]

    def row_of(self, position: int) -> int:
        """Where the corpus ``position`` is drawn (the inverse of :meth:`position_at`)."""
        skipped = self._skipped
        if position >= len(self.rows):
            return self._articles
        i = bisect_left(skipped, position)
        if i < len(skipped) and skipped[i] == position:
            return self._articles + 1 + i
        return position - i

    @property
    def _last(self) -> int:
        """The last row the cursor may be on (the skipped-files row when there is one)."""
        return self._articles if self.skipped_row else max(0, self._articles - 1)

    def _openable(self, index: int) -> bool:
        if index == self._articles:
            return self.skipped_row
        return index < self._articles and self.rows[self.position_at(index)].skipped is None

    # ------------------------------------------------------------------ rendering

    def render_lines(self, crop: Region) -> list[Strip]:
        # rich_style walks the ancestors' styles: once per drawing, not once per line
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self._base if self._base is not None else self.rich_style
        articles = self._articles
        if index >= len(self.rows) + self.skipped_row or (
            index == articles and not self.skipped_row
        ):
            return Strip.blank(width, base)
        selected = index == self.cursor
        style = base + _REVERSE if selected and self.has_focus else base
        if selected and not self.has_focus:
            style = base + _BOLD
        if index == articles:
            text = fit(" ⚠ " + self.skipped_label, width)
            strip = Strip([Segment(text, style + (_ITALIC if selected else _DIM_ITALIC))])
            return strip.crop_extend(0, width, style)
        position = self.position_at(index)
        row = self.rows[position]
        if row.skipped is not None:
            text = fit(f"  ✗  {row.name}: {row.skipped}", width)
            return Strip([Segment(text, style + _DIM_ITALIC)]).crop_extend(0, width, style)
        mark = "▶" if position == self.current else " "
        glyph = STATUS_GLYPHS.get(row.status, "?")
        count = f"{row.spans:>3}" if row.spans else "   "
        date = row.date.strftime("%Y-%m-%d") if row.date else ""
        title = row.title or row.name
        head = f"{mark}{glyph}{count} "
        tail = f" {date}" if date and width >= 44 else ""
        body = fit(title, max(0, width - len(head) - len(tail)))
        segments = [
            Segment(head, style + (_BOLD if row.status == "in_progress" else _NOT_BOLD)),
            Segment(body, style + (_DIM if row.status == "done" else _NOT_DIM)),
            Segment(tail, style + _DIM),
        ]
        return Strip(segments).crop_extend(0, width, style)

    # ------------------------------------------------------------------ actions

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def _move_to(self, index: int, step: int = 1) -> None:
        """To ``index`` or, when that is a skipped file's row, the next row that is not (in the
        direction ``step``, else the other way)."""
        index = max(0, min(self._last, index))
        for direction in (step, -step):
            i = index
            while 0 <= i <= self._last and not self._openable(i):
                i += direction
            if 0 <= i <= self._last:
                index = i
                break
        self.cursor = index
        self.scroll_to_cursor()

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta, delta)

    def action_page(self, delta: int) -> None:
        self._move_to(self.cursor + delta * max(1, self.size.height - 1), delta)

    def action_edge(self, end: int) -> None:
        # End: the last article (the skipped-files row is one ↓ further, or `!`)
        self._move_to(self._articles - 1, -1) if end else self._move_to(0, 1)

    def action_choose(self) -> None:
        if self._openable(self.cursor):
            self.post_message(self.Chosen(self.position_at(self.cursor)))

    def on_click(self, event: Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows) + self.skipped_row and (
            index != self._articles or self.skipped_row
        ):  # a ✗ row too: the app says why it does not open
            self.cursor = index
            self.post_message(self.Chosen(self.position_at(index)))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
