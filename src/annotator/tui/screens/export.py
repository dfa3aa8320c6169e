"""The export dialog (`X`, or "export" in the command palette): format, file, options.

The export runs in a thread worker (the dialog shows progress and stays up meanwhile, so no key
changes the store under it); the result is one notification: the report's summary, or the error
in one line. Nothing is written unless the export succeeds (files are replaced atomically).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from annotator.export import FORMATS, ExportError, export


def default_path(folder: Path, fmt: str) -> Path:
    """``export.<fmt>.jsonl`` beside the database (``export.conll``; brat: folder ``export.brat``)."""
    suffix = FORMATS[fmt].suffix
    name = f"export.{fmt}" + (suffix if suffix and suffix != f".{fmt}" else "")
    return folder / name


class TickBox(Checkbox):
    """A checkbox whose mark says its state without colour: X when ticked, blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads this name
        return "X" if self.value else " "


HELP = "↑↓ format · Tab next field · Space ticks a box · Enter (in the file) or Ctrl+S exports"


class ExportScreen(ModalScreen[None]):
    """Asks for format, output path and options; runs the export; notifies the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Export"),
    ]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 90%; max-width: 96; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ExportScreen #formats { height: auto; max-height: 8; border: none; padding: 0; }
    ExportScreen Input { width: 1fr; }
    ExportScreen .row { height: auto; }
    ExportScreen .row { margin-top: 1; }
    ExportScreen .row Static { width: auto; padding: 0 1 0 0; }
    ExportScreen Checkbox { border: none; padding: 0; margin: 0 2 0 0; }
    ExportScreen #buttons { height: auto; align-horizontal: right; }
    ExportScreen #progress { color: $text-muted; height: 1; }
    """

    def __init__(self, store: Any, folder: Path, fmt: str = "spacy") -> None:
        super().__init__()
        self.store = store
        self.folder = folder
        self.fmt = fmt if fmt in FORMATS else next(iter(FORMATS))
        self._path_edited = False
        self._exporting = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled("Export annotations", "bold"))
            options = [
                Option(
                    Content.assemble((f"{f.name:<8}", "bold"), " ", (f.description, "dim")),
                    id=f.name,
                )
                for f in FORMATS.values()
            ]
            yield OptionList(*options, id="formats", markup=False)
            with Horizontal(classes="row"):
                yield Static("file:")
                yield Input(str(default_path(self.folder, self.fmt)), id="path", compact=True)
            with Horizontal(classes="row"):
                yield TickBox("only done articles", id="only_done", compact=True)
                yield TickBox("include suggestions", id="suggestions", compact=True)
                yield TickBox("UTF-16 offsets", id="utf16", compact=True)
            yield Static(Content.styled(HELP, "dim"), id="keys")
            yield Static("", id="progress", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Export (Ctrl+S)", id="export", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        formats = self.query_one("#formats", OptionList)
        formats.highlighted = list(FORMATS).index(self.fmt)
        formats.focus()
        self._update_utf16()

    # ------------------------------------------------------------------ form

    @on(OptionList.OptionHighlighted, "#formats")
    def _format_changed(self, event: OptionList.OptionHighlighted) -> None:
        self.fmt = event.option_id or self.fmt
        if not self._path_edited:
            self.query_one("#path", Input).value = str(default_path(self.folder, self.fmt))
        self._update_utf16()

    @on(OptionList.OptionSelected, "#formats")
    def _format_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#path", Input).focus()  # Enter on a format: on to the file name

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        # a default name (of any format) is not the user's own: it follows the format. (Compared
        # with every format's: the Changed events arrive after the highlight moved on.)
        defaults = {str(default_path(self.folder, name)) for name in FORMATS}
        self._path_edited = event.value not in defaults

    @on(Input.Submitted, "#path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def _update_utf16(self) -> None:
        box = self.query_one("#utf16", Checkbox)
        box.disabled = not FORMATS[self.fmt].utf16
        if box.disabled:
            box.value = False

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self._exporting:
            self.query_one("#progress", Static).update(
                "the export is running; it cannot be stopped"
            )
            return
        self.dismiss(None)

    # ------------------------------------------------------------------ running

    def action_export(self) -> None:
        if self._exporting:
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.app.notify("give a file name", severity="error", markup=False)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        self._exporting = True
        self.query_one("#progress", Static).update(f"exporting to {path} …")
        self._run_export(
            path,
            self.fmt,
            only_done=self.query_one("#only_done", Checkbox).value,
            include_suggestions=self.query_one("#suggestions", Checkbox).value,
            utf16=self.query_one("#utf16", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _run_export(
        self, path: Path, fmt: str, *, only_done: bool, include_suggestions: bool, utf16: bool
    ) -> None:
        def progress(done: int, total: int) -> None:
            if total and (done == total or done % 50 == 0):
                self.app.call_from_thread(self._progress, done, total)

        # the store's lock: a background write (suggestions) waits until the export is done
        lock = getattr(self.store, "_mutex", None) or contextlib.nullcontext()
        try:
            with lock:
                report = export(
                    self.store,
                    fmt,
                    path,
                    only_done=only_done,
                    include_suggestions=include_suggestions,
                    offsets="utf16" if utf16 else "codepoint",
                    progress=progress,
                )
        except (ExportError, OSError, ValueError) as error:
            self.app.call_from_thread(self._finished, None, _one_line(str(error)))
            return
        except Exception as error:  # an exporter bug: reported, the annotator keeps running
            self.app.call_from_thread(
                self._finished, None, _one_line(f"{type(error).__name__}: {error}")
            )
            return
        self.app.call_from_thread(self._finished, report.summary(), None)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", Static).update(f"exporting… {done}/{total} documents")

    def _finished(self, summary: str | None, error: str | None) -> None:
        self._exporting = False
        self.app._last_export_format = self.fmt  # the next dialog starts there
        if error is not None:
            self.app.notify(error, title="export failed", severity="error", markup=False)
            self.query_one("#progress", Static).update(Content.styled(error, "red"))
            return  # the dialog stays: fix the path and try again, or Esc
        self.app.notify(summary or "exported", title="export", markup=False)
        self.dismiss(None)


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "unknown error"
