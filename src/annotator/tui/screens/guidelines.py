"""The guidelines screen (`i`): Markdown shown with Textual's MarkdownViewer."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import MarkdownViewer


def find_guidelines(corpus_path: str | Path | None, explicit: str | Path | None = None) -> str:
    """The guidelines text: ``explicit`` file, else GUIDELINES.md beside the corpus, else ours."""
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    if corpus_path:
        root = Path(corpus_path)
        folder = root if root.is_dir() else root.parent
        candidates += [folder / "GUIDELINES.md", folder.parent / "GUIDELINES.md"]
    for path in candidates:
        try:
            if path.is_file():
                return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    try:
        return (resources.files("annotator") / "data" / "GUIDELINES.md").read_text("utf-8")
    except OSError:
        return "# Guidelines\n\nNo guidelines file found."


class GuidelinesScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,i,q", "close", "Close the guidelines")]
    DEFAULT_CSS = """
    GuidelinesScreen { align: center middle; }
    GuidelinesScreen > MarkdownViewer {
        width: 95%; height: 95%; border: round $accent; background: $surface;
    }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield MarkdownViewer(self.markdown, show_table_of_contents=False, open_links=False)

    def on_mount(self) -> None:
        self.query_one(MarkdownViewer).focus()

    def action_close(self) -> None:
        self.dismiss(None)
