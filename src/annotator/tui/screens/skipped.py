"""The skipped-files screen (`!`): every file the corpus could not open, and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from annotator.tui.text_cells import one_line


class SkippedScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,exclamation_mark", "close", "Close")]
    DEFAULT_CSS = """
    SkippedScreen { align: center middle; }
    SkippedScreen > Vertical {
        width: 90%; height: 80%; border: round $warning; background: $surface;
    }
    SkippedScreen Static { height: 1; }
    """

    def __init__(self, skipped: Sequence[object]) -> None:
        super().__init__()
        self.skipped = list(skipped)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content.styled(f"{len(self.skipped)} skipped file(s) — Esc closes", "bold")
            )
            options = [
                Content.assemble(
                    one_line(str(getattr(item, "path", item))),
                    ("  — ", "dim"),
                    (one_line(str(getattr(item, "reason", ""))), "italic"),
                )
                for item in self.skipped
            ] or [Content.styled("nothing was skipped", "dim")]
            yield OptionList(*options, markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
