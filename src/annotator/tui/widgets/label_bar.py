"""Bottom bar: the labels with their keys and counts (a legend), then the main key hints."""

from __future__ import annotations

from collections import Counter

from textual.content import Content
from textual.widgets import Static

from annotator.model import Label, LabelSchema, Span

HINTS = (
    ("s", "sentence"),
    ("q", "quote"),
    ("e", "name"),
    ("d", "delete"),
    ("u", "undo"),
    ("m", "done"),
    ("?", "help"),
)
SHORT_HINTS = (("u", "undo"), ("m", "done"), ("?", "help"))  # room for the suggestion keys


def legend_style(label: Label) -> str:
    """The label's visual attribute, as in the article (colour is never the only cue)."""
    if label.style == "background":
        return f"black on {label.color}"
    if label.style == "bold":
        return f"bold {label.color}"
    if label.style == "underline":
        return f"underline {label.color}"
    return f"italic {label.color}"


class LabelBar(Static):
    DEFAULT_CSS = """
    LabelBar { height: 1; background: $panel; }
    """

    def show_counts(self, schema: LabelSchema, spans: list[Span]) -> None:
        counts = Counter(span.label for span in spans if span.origin != "suggested")
        suggested = Counter(span.label for span in spans if span.origin == "suggested")
        parts: list[str | tuple[str, str]] = []
        for label in schema:
            keys = "/".join(k for k in (label.key, label.letter) if k)
            parts += [(f" {keys} ", "bold"), (label.name, legend_style(label))]
            parts.append((f" {counts.get(label.name, 0)}", "dim"))
            if suggested.get(label.name):  # pending suggestions: "+5?"
                parts.append((f"+{suggested[label.name]}?", "italic dim"))
            parts.append(" ")
        parts.append(("│", "dim"))
        hints = HINTS
        if suggested:
            total = sum(suggested.values())
            parts += [(f" {total} suggested", "italic"), (" .", "bold"), (" next", "dim")]
            parts += [(" y", "bold"), ("/", "dim"), ("n", "bold"), (" accept/reject", "dim")]
            parts.append((" │", "dim"))
            hints = SHORT_HINTS
        for key, what in hints:
            parts += [(f" {key}", "bold"), (f" {what}", "dim")]
        content = Content.assemble(*parts)
        if content != getattr(self, "_shown", None):
            self._shown = content
            self.update(content, layout=False)  # one row, full width: its size never changes
