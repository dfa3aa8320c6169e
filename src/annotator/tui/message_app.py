"""A one-message app: what a browser session shows when its database cannot be opened.

In a terminal the error goes to stderr; a browser session has no stderr to read, so the same
line (for example the store's lock message naming who holds it) is drawn in the page.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.events import Key
from textual.widgets import Static


class MessageApp(App[None]):
    """Shows ``message`` (plain text, never markup) until a key is pressed."""

    CSS = """
    Screen { align: center middle; }
    #message { width: 80%; height: auto; padding: 1 2; border: heavy $error; }
    #hint { width: 80%; height: auto; padding: 0 2; color: $text-muted; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Content(self.message), id="message")
        yield Static(Content("Press any key to close this session."), id="hint")

    def on_key(self, event: Key) -> None:
        self.exit(return_code=1)
