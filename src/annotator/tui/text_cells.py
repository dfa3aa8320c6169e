"""Cell-width helpers for one-line labels (titles, file names, span texts)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size


def one_line(text: str) -> str:
    """Collapse whitespace (newlines, tabs) so untrusted text stays on one row."""
    return " ".join(text.split())


def fit(text: str, width: int) -> str:
    """``text`` on one line, cut with an ellipsis to at most ``width`` cells."""
    text = one_line(text)
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"
