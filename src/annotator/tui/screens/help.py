"""The help screen (`?`): the key table generated from keymap.py."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Markdown

from annotator.model import LabelSchema
from annotator.tui.keymap import keymap_markdown


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Markdown {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; overflow-y: auto; padding: 0 1;
    }
    """

    def __init__(self, schema: LabelSchema) -> None:
        super().__init__()
        self.schema = schema

    def compose(self) -> ComposeResult:
        text = "# Keys (Esc closes)\n\n" + keymap_markdown(self.schema)
        yield Markdown(text, id="help")

    def on_mount(self) -> None:
        self.query_one(Markdown).focus()

    async def action_dismiss(self, result: object = None) -> None:
        self.dismiss(None)
