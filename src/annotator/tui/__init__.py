"""The terminal reader and annotator (Textual). ``from annotator.tui import AnnotatorApp``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.tui.app import AnnotatorApp

__all__ = ["AnnotatorApp"]


def __getattr__(name: str) -> Any:
    # lazy, so `import annotator.tui.keymap` (help/README generation) stays cheap
    if name == "AnnotatorApp":
        from annotator.tui.app import AnnotatorApp

        return AnnotatorApp
    raise AttributeError(name)
