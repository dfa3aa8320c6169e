"""Status line: article i of N, its status, annotator, "saved", the label(s) under the cursor."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from annotator.model import STATUS_NAMES
from annotator.tui.text_cells import one_line


@dataclass(eq=False)
class StatusInfo:
    position: int = 0  # 1-based
    total: int = 0
    status: str = "new"
    annotator: str = ""
    message: str = ""  # "saved", errors, prompts ("relabel: press a label key")
    error: bool = False
    under_cursor: str = ""


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $primary-background;
        /* one row as wide as the screen: a long message is cut there with …, never wrapped
           onto a hidden second row (where a long word vanished whole) */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = StatusInfo()
        self._shown: Content | None = None

    def set(self, **changes: object) -> None:
        for key, value in changes.items():
            setattr(self.info, key, value)
        self.show()

    def show(self) -> None:
        info = self.info
        parts: list[str | tuple[str, str]] = [
            (f" {info.position}/{info.total} ", "bold"),
            (STATUS_NAMES.get(info.status, info.status), "italic"),
            (" │ ", "dim"),
            one_line(info.annotator),
        ]
        if info.message:
            parts += [
                (" │ ", "dim"),
                (one_line(info.message), "bold red" if info.error else "green"),
            ]
        if info.under_cursor:
            parts += [(" │ ", "dim"), ("at cursor: ", "dim"), (info.under_cursor, "bold")]
        content = Content.assemble(*parts)
        if content != self._shown:  # most keys change nothing here: no repaint
            self._shown = content
            self.update(content, layout=False)  # one row, full width: its size never changes
