"""Suggestions in the TUI: computed off the main thread, written as "suggested" spans, then
accepted (`y`, `Y`) or rejected (`n`) by the user.

Running the engines is not a user action: the spans they write are not in the undo history.
Accepting and rejecting are (see :class:`annotator.history.AcceptSuggestion`,
:class:`annotator.history.RejectSuggestion`). The functions are plain Python; the
:class:`SuggestionActions` mixin gives the app its keys: the engines run in a thread worker
(keys never wait for them) and their output is written on the main thread in small chunks.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.model import Document, Span
from annotator.text import TextIndex, Unit

if TYPE_CHECKING:  # the engines (and their place data) load in the worker, on first use
    from annotator.suggest import Suggestion

WRITE_CHUNK = 8  # suggestions written per main-thread turn (each is one fsync'd journal line)
# The run on open waits this long after the first frame was painted (and the app went idle):
# loading the engines costs CPU that must not compete with the first frame or the first keys.
START_DELAY = 1.0


@dataclass
class Run:
    """The engines' output for one document, before it is written."""

    doc: Document
    suggestions: list[Suggestion]
    messages: list[str] = field(default_factory=list)
    added: int = 0


def compute(doc: Document, store: Any, engines: Sequence[str] | None = None) -> Run:
    """Run the engines on ``doc`` (safe in a worker thread: the store is only read, under its
    lock, to learn the user's vocabulary; the document text never changes). ``engines``:
    default the package's DEFAULT_ENGINES."""
    from annotator.suggest import DEFAULT_ENGINES, learned, suggest

    if engines is None:
        engines = DEFAULT_ENGINES
    vocab = None
    if "learned" in engines:
        lock = getattr(store, "_mutex", None) or contextlib.nullcontext()
        with lock:
            vocab = learned.vocabulary(store)
    messages: list[str] = []
    found = suggest(
        doc, TextIndex(doc.text), engines=engines, store=store, vocab=vocab, messages=messages
    )
    return Run(doc, found, messages)


def rejected(store: Any, doc_id: str) -> set[tuple[int, int, str]]:
    """(start, end, label) of the suggestions rejected in ``doc_id``."""
    if hasattr(store, "rejected"):
        return set(store.rejected(doc_id))
    from annotator.suggest.rejections import load_rejections

    return {key[1:] for key in load_rejections(store) if key[0] == doc_id}


def write(store: Any, run: Run, suggestions: Iterable[Suggestion]) -> int:
    """Write ``suggestions`` (part of ``run``) as origin "suggested" spans; returns how many.

    Skips rejected ones and anything the store already has a decision on (a span with the same
    extent, an overlapping span of the same label, an overlapping entity), so a manual span is
    never overwritten nor duplicated. Checked against the store as it is now, not as it was
    when the engines ran (the user may have tagged meanwhile).
    """
    from annotator.suggest import _conflicts

    doc = run.doc
    store.add_document(doc)
    refused = rejected(store, doc.id)
    existing = list(store.spans(doc.id))
    added = 0
    for s in suggestions:
        if s.key in refused or _conflicts(s, existing):
            continue
        span = store.add_span(
            doc, s.start, s.end, s.label, origin="suggested", annotator=f"suggest:{s.engine}"
        )
        existing.append(span)
        added += 1
    run.added += added
    return added


def chunks(items: Sequence[Suggestion], size: int = WRITE_CHUNK) -> Iterable[list[Suggestion]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


# ---------------------------------------------------------------------- navigation


def pending(spans: Iterable[Span]) -> list[Span]:
    """The suggestions among ``spans``, in reading order (at one offset the shorter first)."""
    return sorted(
        (s for s in spans if s.origin == "suggested"), key=lambda s: (s.start, s.end, s.label)
    )


def under_cursor(spans_at_cursor: Iterable[Span]) -> Span | None:
    """The suggestion ``y``/``n`` act on: the innermost one under the cursor."""
    return next((s for s in spans_at_cursor if s.origin == "suggested"), None)


def next_after(spans: Iterable[Span], offset: int) -> Span | None:
    """The first suggestion starting after ``offset``, wrapping to the first one."""
    found = pending(spans)
    if not found:
        return None
    return next((s for s in found if s.start > offset), found[0])


def following(spans: Iterable[Span], offset: int) -> Span | None:
    """Where the cursor goes after a decision at ``offset``: another suggestion starting right
    there (a CLAIM starting with its ACTOR), else :func:`next_after`."""
    found = pending(spans)
    here = next((s for s in found if s.start == offset), None)
    return here or next_after(found, offset)


def in_unit(spans: Iterable[Span], unit: Unit) -> list[Span]:
    """The suggestions starting inside ``unit`` (a sentence)."""
    return [s for s in pending(spans) if unit.start <= s.start < unit.end]


def sentence_around(index: TextIndex, offset: int) -> Unit | None:
    """The sentence at ``offset`` (or the next one when the cursor is between sentences)."""
    unit = index.sentence_at(offset)
    if unit is None:
        i = index.sentence_index_at(offset)
        if i < len(index.sentences):
            unit = index.sentences[i]
    return unit


# ---------------------------------------------------------------------- the app's side


class SuggestionActions:
    """Mixed into ``AnnotatorApp``: the `S` `y` `n` `Y` `.` actions and the background runs.

    Relies on the app's ``doc``, ``index``, ``store``, ``history``, ``view``, ``_write``,
    ``_say``, ``_before_action`` and ``_refresh_spans``.
    """

    suggest_on_open: bool
    suggest_engines: Sequence[str] | None
    _suggesting: set[str]
    _auto_suggested: set[str]
    _suggest_gate: threading.Event

    def _init_suggestions(self, on_open: bool, engines: Sequence[str] | None = None) -> None:
        self.suggest_on_open = on_open
        self.suggest_engines = tuple(engines) if engines else None  # None: DEFAULT_ENGINES
        self._suggesting = set()  # doc ids with a run in flight
        self._auto_suggested = set()  # doc ids already pre-annotated on open in this session
        # Runs on open wait for this (set START_DELAY after the first frame, see
        # _open_suggest_gate); `S` does not wait.
        self._suggest_gate = threading.Event()

    def _open_suggest_gate(self, delay: float = START_DELAY) -> None:
        """Call once the first frame is up (``call_after_refresh`` from ``on_mount``)."""
        app: Any = self
        if delay <= 0:
            self._suggest_gate.set()
        else:
            app.set_timer(delay, self._suggest_gate.set)

    # ------------------------------------------------------------------ running the engines

    def _suggest_on_open(self, doc: Document, spans: list[Span]) -> None:
        """First opening of an article without spans (and nothing rejected): pre-annotate it."""
        app: Any = self
        if not self.suggest_on_open or doc.id in self._auto_suggested or spans:
            return
        self._auto_suggested.add(doc.id)
        if doc.id in app.store and (
            rejected(app.store, doc.id) or app.store.status(doc.id) == "done"
        ):
            return  # the user has been through this article already
        self._start_suggestions(doc, quiet=True, wait=True)

    def action_suggest(self) -> None:
        """`S`: run the engines on the open article (in the background)."""
        app: Any = self
        if not app._before_action():
            return
        if app.doc.id in self._suggesting:
            app._say("suggestions are already running for this article")
            return
        app._say("running suggestions…")
        self._start_suggestions(app.doc, quiet=False)

    def _start_suggestions(self, doc: Document, *, quiet: bool, wait: bool = False) -> None:
        app: Any = self
        self._suggesting.add(doc.id)
        app.run_worker(
            lambda: self._suggest_in_thread(doc, quiet, wait),
            thread=True,
            group="suggest",
            name=f"suggest {doc.id}",
            exit_on_error=False,
        )

    def _suggest_in_thread(self, doc: Document, quiet: bool, wait: bool = False) -> None:
        """Worker thread: compute, then hand chunks to the main thread (keys run in between).

        ``wait``: first wait for the start gate (a run on open; the worker exists at once, so
        ``app.workers.wait_for_complete()`` covers it, but it uses no CPU until then)."""
        from textual.worker import get_current_worker

        app: Any = self
        worker = get_current_worker()
        try:
            while wait and not self._suggest_gate.wait(0.2):
                if worker.is_cancelled or app._closed:
                    return
            try:
                run = compute(doc, app.store, self.suggest_engines)
            except Exception as error:  # an engine bug must not take the annotator down
                app.call_from_thread(self._suggestions_failed, doc, error)
                return
            for part in chunks(run.suggestions):
                if worker.is_cancelled or app._closed:
                    return
                app.call_from_thread(self._write_chunk, run, part)
            if not worker.is_cancelled and not app._closed:
                app.call_from_thread(self._suggestions_done, run, quiet)
        finally:
            self._suggesting.discard(doc.id)

    def _write_chunk(self, run: Run, part: list[Suggestion]) -> None:
        app: Any = self
        if app._closed:
            return
        try:
            write(app.store, run, part)
        except Exception as error:  # StoreError and friends: say it, keep running
            run.messages.append(f"not saved: {error}")

    def _suggestions_failed(self, doc: Document, error: Exception) -> None:
        app: Any = self
        app.notify(f"suggestions failed: {error}", title="suggest", severity="error", markup=False)

    def _suggestions_done(self, run: Run, quiet: bool) -> None:
        app: Any = self
        if app._closed:
            return
        current = app.doc is not None and app.doc.id == run.doc.id
        if current:
            app._refresh_spans()
        for message in dict.fromkeys(run.messages):
            app.notify(message, title="suggest", severity="warning", markup=False)
        if run.added:
            text = f"{run.added} suggestion{'s' if run.added != 1 else ''}"
            hint = " · . next, y accept, n reject, Y accept sentence"
            if current:
                app._say(text + hint)
            if not quiet:  # on open: the status line is enough
                where = "" if current else f" in {_short(run.doc.title or run.doc.path)}"
                app.notify(text + where, title="suggest", markup=False)
        elif not quiet:
            app._say("no new suggestions")
            app.notify("no new suggestions", title="suggest", markup=False)

    # ------------------------------------------------------------------ reviewing

    def _spans_now(self) -> list[Span]:
        app: Any = self
        return app.store.spans(app.doc.id) if app.doc is not None else []

    def _advance(self, offset: int) -> None:
        """After a decision at ``offset``: the cursor goes to the next suggestion (if any)."""
        app: Any = self
        target = following(self._spans_now(), offset)
        if target is None:
            app._say(app.status_bar.info.message + " · no suggestions left")
            return
        app.view.move_to(target.start)

    def action_next_suggestion(self) -> None:
        """`.`: jump to the next suggestion (wraps around)."""
        app: Any = self
        if not app._before_action():
            return
        target = next_after(self._spans_now(), app.view.cursor)
        if target is None:
            app._say("no suggestions in this article (S runs them)")
            return
        app.view.move_to(target.start)

    def _current_suggestion(self) -> Span | None:
        app: Any = self
        span = under_cursor(app.view.spans_at_cursor())
        if span is None:
            app._say("no suggestion under the cursor (. jumps to the next)")
        return span

    def action_accept_suggestion(self) -> None:
        """`y`: the suggestion under the cursor becomes the user's; then on to the next one."""
        app: Any = self
        if not app._before_action():
            return
        span = self._current_suggestion()
        if span is None:
            return

        def change() -> Span:
            with app.history.group(f"accept {span.label}"):
                accepted = app.history.accept_suggestion(span.id, app.store.annotator)
                self._set_in_progress(span.start)
            return accepted

        if app._write(f"accepted {span.label} {_short(span.text)}", change):
            app._refresh_spans()
            self._advance(span.start)

    def action_reject_suggestion(self) -> None:
        """`n`: remove the suggestion under the cursor, never offer it again; then the next."""
        app: Any = self
        if not app._before_action():
            return
        span = self._current_suggestion()
        if span is not None:
            self.reject_span(span, advance=True)

    def reject_span(self, span: Span, *, advance: bool) -> None:
        """Reject ``span`` (undoable); ``advance``: move on to the next suggestion."""
        app: Any = self
        if app._write(
            f"rejected {span.label} {_short(span.text)}",
            lambda: app.history.reject_suggestion(span.id),
        ):
            app._refresh_spans()
            if advance:
                self._advance(span.start)

    def action_accept_sentence(self) -> None:
        """`Y`: accept every suggestion starting in the sentence at the cursor (one undo step)."""
        app: Any = self
        if not app._before_action():
            return
        unit = sentence_around(app.index, app.view.cursor)
        found = in_unit(self._spans_now(), unit) if unit is not None else []
        if unit is None or not found:
            app._say("no suggestions in this sentence")
            return

        def change() -> int:
            with app.history.group(f"accept {len(found)} suggestions"):
                for span in found:
                    app.history.accept_suggestion(span.id, app.store.annotator)
                self._set_in_progress(found[0].start)
            return len(found)

        if app._write(f"accepted {len(found)} in the sentence", change):
            app._refresh_spans()
            app.view.clear_selection()
            target = next_after(self._spans_now(), unit.end - 1)
            if target is not None:
                app.view.move_to(target.start)

    def _set_in_progress(self, offset: int) -> None:
        """Accepting is annotating: a new article becomes in progress (in the same step)."""
        app: Any = self
        doc = app.doc
        if doc is not None and app.store.status(doc.id) == "new":
            app.history.set_status(doc.id, "in_progress", offset=offset)

    # ------------------------------------------------------------------ other keys on suggestions

    def decide_by_tagging(self, label: str, start: int, end: int) -> Span | None:
        """Tagging exactly a suggested extent accepts it (relabelled if another label was
        pressed) instead of adding a second span. Call inside the tag's history group."""
        app: Any = self
        doc = app.doc
        for span in app.store.spans(doc.id):
            if span.origin != "suggested" or (span.start, span.end) != (start, end):
                continue
            if span.label != label:
                if any(
                    s.key == (start, end, label) for s in app.store.spans(doc.id) if s is not span
                ):
                    continue
                app.history.relabel_span(span.id, label)
            return app.history.accept_suggestion(span.id, app.store.annotator)
        return None


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
