"""Key bindings as data. The app's BINDINGS, the help screen and the README table come from here.

Each :class:`Key` is one action with one or more keys. Label keys are generated from the schema
(digit and mnemonic letter per label), so a project with its own labels gets keys for them too.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding

from annotator.model import LabelSchema


class Key(NamedTuple):
    keys: tuple[str, ...]  # Textual key names
    action: str
    description: str
    group: str
    display: str = ""  # how the help screen shows the keys (default: derived)

    def shown(self) -> str:
        return self.display or " ".join(display_key(k) for k in self.keys)


_DISPLAY = {
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "shift+left": "S-←",
    "shift+right": "S-→",
    "shift+up": "S-↑",
    "shift+down": "S-↓",
    "shift+end": "S-End",
    "shift+home": "S-Home",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "question_mark": "?",
    "slash": "/",
    "exclamation_mark": "!",
    "full_stop": ".",
    "escape": "Esc",
    "delete": "Del",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
    "colon": ":",
}


def display_key(key: str) -> str:
    return _DISPLAY.get(key, key)


GROUPS = ("Move", "Select", "Tag", "Edit", "Links", "Suggest", "Articles", "Panels", "Help")

KEYS: tuple[Key, ...] = (
    # Move
    Key(("right",), "word(1)", "next word", "Move"),
    Key(("left",), "word(-1)", "previous word", "Move"),
    Key(("down",), "line(1)", "next line", "Move"),
    Key(("up",), "line(-1)", "previous line", "Move"),
    Key(("home",), "line_edge(0)", "start of line", "Move"),
    Key(("end",), "line_edge(1)", "end of line", "Move"),
    Key(("pagedown",), "page(1)", "page down", "Move"),
    Key(("pageup",), "page(-1)", "page up", "Move"),
    Key(("g", "ctrl+home"), "doc_edge(0)", "top of article", "Move"),
    Key(("G", "ctrl+end"), "doc_edge(1)", "bottom of article", "Move"),
    Key(("right_parenthesis",), "sentence(1)", "next sentence", "Move"),
    Key(("left_parenthesis",), "sentence(-1)", "previous sentence", "Move"),
    Key(("right_curly_bracket",), "paragraph(1)", "next paragraph", "Move"),
    Key(("left_curly_bracket",), "paragraph(-1)", "previous paragraph", "Move"),
    Key(("right_square_bracket",), "span(1)", "next span", "Move"),
    Key(("left_square_bracket",), "span(-1)", "previous span", "Move"),
    # Select
    Key(("shift+right",), "extend_word(1)", "extend selection by a word", "Select"),
    Key(("shift+left",), "extend_word(-1)", "shrink/extend selection left", "Select"),
    Key(("shift+down",), "extend_line(1)", "extend selection by a line", "Select"),
    Key(("shift+up",), "extend_line(-1)", "extend selection up a line", "Select"),
    Key(
        ("shift+end",),
        "extend_sentence_edge(1)",
        "extend to the end of the sentence (clause claims)",
        "Select",
    ),
    Key(
        ("shift+home",), "extend_sentence_edge(0)", "extend to the start of the sentence", "Select"
    ),
    Key(
        ("s",),
        "select_sentence",
        "select the sentence (in a quotation: its quoted part; again: all)",
        "Select",
    ),
    Key(("q",), "select_quotation", "select the quotation around the cursor", "Select"),
    Key(("e",), "name(1)", "select the next name (e then 2 tags an actor)", "Select"),
    Key(("E",), "name(-1)", "select the previous name", "Select"),
    Key(("escape",), "clear", "clear the selection / cancel", "Select"),
    # Edit
    Key(
        ("d", "delete"), "delete_span", "delete the span under the cursor (innermost first)", "Edit"
    ),
    Key(("r",), "relabel", "relabel the span under the cursor (then a label key)", "Edit"),
    Key(("u", "ctrl+z"), "undo", "undo", "Edit"),
    Key(("U", "ctrl+y"), "redo", "redo", "Edit"),
    # Links (hint letters on the candidates; in hint mode every key is a hint or cancels)
    Key(("k",), "link('SOURCE')", "link the claim to its SOURCE (then a hint letter)", "Links"),
    Key(("b",), "link('ABOUT')", "link the claim to what it is ABOUT (then a hint)", "Links"),
    Key(("x",), "unlink", "remove a link of the claim (a hint if it has several)", "Links"),
    Key(("o",), "next_unsourced", "next claim without a SOURCE", "Links"),
    # Suggest (running the engines is not undoable; accepting and rejecting are)
    Key(("S",), "suggest", "run the suggestion engines on this article (not in undo)", "Suggest"),
    Key(("full_stop",), "next_suggestion", "next suggestion (wraps around)", "Suggest"),
    Key(("y",), "accept_suggestion", "accept the suggestion here, go to the next", "Suggest"),
    Key(("n",), "reject_suggestion", "reject it (never offered again), go to the next", "Suggest"),
    Key(("Y",), "accept_sentence", "accept every suggestion in the sentence", "Suggest"),
    Key(("T",), "train", "train the suggestion model now (in the background)", "Suggest"),
    # Articles
    Key(("greater_than_sign",), "article(1)", "next article", "Articles"),
    Key(("less_than_sign",), "article(-1)", "previous article", "Articles"),
    Key(("m",), "mark_done", "mark done, open the next article not done", "Articles"),
    Key(("slash",), "search", "search in the article (Enter on empty repeats)", "Articles"),
    Key(("X",), "export", "export annotations (format, file, options)", "Articles"),
    # Panels
    Key(("f",), "toggle_corpus", "show/hide and focus the article list", "Panels"),
    Key(("w",), "toggle_spans", "show/hide the span list", "Panels"),
    Key(("tab",), "focus_next", "move focus: article, span list, article list", "Panels"),
    Key(("exclamation_mark",), "skipped", "show skipped files and why", "Panels"),
    # Help
    Key(("question_mark",), "help", "this help", "Help"),
    Key(("i",), "guidelines", "annotation guidelines", "Help"),
    Key(("ctrl+p", "colon"), "command_palette", "command palette (every action)", "Help"),
    Key(("ctrl+q", "Q"), "quit", "save and quit", "Help"),
)

# Keys a browser may keep for itself (close, new tab or window, switch tabs, print, reload,
# address bar, quit): under `annotator serve` they may never reach the app, so every action
# bound to one of them has another key too (tests/test_serve.py checks).
BROWSER_KEYS: frozenset[str] = frozenset(
    {
        "ctrl+w",
        "ctrl+t",
        "ctrl+n",
        "ctrl+q",
        "ctrl+tab",
        "ctrl+shift+tab",
        "ctrl+p",
        "ctrl+l",
        "ctrl+r",
        "ctrl+s",
        "ctrl+o",
        "ctrl+f",
        "ctrl+h",
        "ctrl+j",
        "ctrl+d",
        "ctrl+pageup",
        "ctrl+pagedown",
        "f5",
        "f11",
        "f12",
    }
)
BROWSER_NOTE = (
    "In a browser (annotator serve): ctrl+w, ctrl+t, ctrl+n, ctrl+tab and ctrl+q belong to the "
    "browser; Q quits (or close the tab: everything is saved), : opens the palette."
)

# Keys that work everywhere, even while a text field has focus.
PRIORITY_KEYS: frozenset[str] = frozenset({"ctrl+q"})

# Keys kept free for the linking (issue 5) and suggestion (issue 6) features.
RESERVED: dict[str, str] = {}


def label_keys(schema: LabelSchema) -> tuple[Key, ...]:
    """Tag keys: each label's digit and mnemonic letter."""
    keys = []
    for label in schema:
        names = tuple(k for k in (label.key, label.letter) if k)
        if names:
            keys.append(Key(names, f"tag({label.name!r})", f"tag {label.name}", "Tag"))
    return tuple(keys)


def all_keys(schema: LabelSchema) -> tuple[Key, ...]:
    return KEYS + label_keys(schema)


def bindings(schema: LabelSchema) -> list[Binding]:
    """Textual bindings (every one with a description; the palette and help list them)."""
    result = []
    for key in all_keys(schema):
        urgent = [k for k in key.keys if k in PRIORITY_KEYS]
        plain = [k for k in key.keys if k not in PRIORITY_KEYS]
        for names, priority in ((plain, False), (urgent, True)):
            if names:
                result.append(
                    Binding(
                        ",".join(names),
                        key.action,
                        key.description,
                        show=False,
                        key_display=key.shown(),
                        priority=priority,
                    )
                )
    return result


def keymap_markdown(schema: LabelSchema) -> str:
    """The key table (help screen and README)."""
    keys = all_keys(schema)
    lines = []
    for group in GROUPS:
        rows = [k for k in keys if k.group == group]
        if not rows:
            continue
        lines += [f"### {group}", "", "| keys | action |", "|---|---|"]
        for key in rows:
            shown = key.shown().replace("|", "\\|")
            lines.append(f"| `{shown}` | {key.description} |")
        lines.append("")
    if RESERVED:
        lines += ["### Reserved (coming)", "", "| key | action |", "|---|---|"]
        lines += [f"| `{k}` | {v} |" for k, v in RESERVED.items()]
    lines += ["", "Mouse: click places the cursor, drag selects (snapped to whole words).", ""]
    lines += [BROWSER_NOTE]
    return "\n".join(lines) + "\n"
