"""The help screen of the review (`?`): what the suggestion keys do on candidates, then the keys."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from annotator.tui.screens.help import HelpScreen, key_tables

REVIEW_HELP = (
    (".", "next disagreement (wraps around)"),
    ("y", "accept the candidate under the cursor into GOLD (origin reviewed)"),
    ("n  d", "reject it (kept in GOLD as a rejection: not offered again)"),
    ("r", "then a label: accept it under that label"),
    ("Y", "accept every candidate in the sentence"),
    ("T", "take one annotator's version of the whole article (then a digit)"),
    ("m", "mark the article reviewed, open the next with disagreements"),
    ("u  U", "undo / redo any decision"),
)


REPLACED = frozenset({"T"})  # the annotator's "train the model" is "take a version" here


class ReviewHelpScreen(HelpScreen):
    def compose(self) -> ComposeResult:
        table = Table(
            title=Text("Review: the candidates are the annotators' spans", style="bold"),
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1, 0, 0),
        )
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, what in REVIEW_HELP:
            table.add_row(Text(keys), Text(what))
        body = Group(table, Text(""), key_tables(self.schema, replaced=REPLACED))
        scroll = VerticalScroll(Static(body, id="help"))
        scroll.border_title = "Keys (Esc closes, ↑/↓ scroll)"
        yield scroll
