"""Choose whose version of the article to take (review): a digit, or Enter on the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class TakeVersionScreen(ModalScreen[str | None]):
    """Returns the chosen annotator's name, or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    TakeVersionScreen { align: center middle; }
    TakeVersionScreen > Static { width: 60; max-width: 100%; background: $panel; padding: 0 1; }
    TakeVersionScreen > OptionList { width: 60; max-width: 100%; height: auto; max-height: 12; }
    """

    def __init__(self, names: Sequence[str], spans: Sequence[int]) -> None:
        super().__init__()
        self.names = list(names)
        self.spans = list(spans)

    def compose(self) -> ComposeResult:
        yield Static(
            Content.styled(
                "Take whose version of this article? (its spans and links become GOLD's; "
                "the other candidates are rejected; u undoes)",
                "bold",
            )
        )
        options = [
            Option(Content(f"{i + 1}  {name}  ({count} spans)"), id=str(i))
            for i, (name, count) in enumerate(zip(self.names, self.spans, strict=True))
        ]
        yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.names):
                event.stop()
                self.dismiss(self.names[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.names[int(event.option_id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
