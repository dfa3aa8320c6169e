"""The help screen (`?`): the key tables generated from keymap.py, compact enough for 80x24."""

from __future__ import annotations

from typing import ClassVar

from rich.columns import Columns
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.model import LabelSchema
from annotator.tui.keymap import BROWSER_NOTE, GROUPS, all_keys


def key_tables(schema: LabelSchema, *, replaced: frozenset[str] = frozenset()) -> Group:
    """One small two-column table per group of keys, flowed side by side when there is room.
    ``replaced``: keys another screen gives its own meaning (left out here)."""
    keys = [k for k in all_keys(schema) if not set(k.keys) & replaced]
    tables = []
    for group in GROUPS:
        rows = [k for k in keys if k.group == group]
        if not rows:
            continue
        table = Table(
            title=Text(group, style="bold"),
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1, 0, 0),
        )
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(max_width=44)
        for key in rows:
            table.add_row(Text(key.shown()), Text(key.description))
        tables.append(table)
    footer = Text(
        "Mouse: click places the cursor, drag selects (snapped to whole words). "
        "Every change is saved at once; u undoes it. " + BROWSER_NOTE,
        style="dim",
    )
    return Group(Columns(tables, padding=(1, 3)), Text(""), footer)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96%; max-width: 140; height: 92%;
        border: round $accent; background: $surface; padding: 0 1;
        border-title-align: center;
    }
    """

    def __init__(self, schema: LabelSchema) -> None:
        super().__init__()
        self.schema = schema

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(Static(key_tables(self.schema), id="help"))
        scroll.border_title = "Keys (Esc closes, ↑/↓ scroll)"
        yield scroll

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: object = None) -> None:
        self.dismiss(None)
