"""Suggestions in the TUI: computed in another process, written as "suggested" spans, then
accepted (`y`, `Y`) or rejected (`n`) by the user.

Running the engines is not a user action: the spans they write are not in the undo history.
Accepting and rejecting are (see :class:`annotator.history.AcceptSuggestion`,
:class:`annotator.history.RejectSuggestion`). The functions are plain Python; the
:class:`SuggestionActions` mixin gives the app its keys: the engines run in a worker process
started on the first run (``annotator.worker``; keys never wait for them, the UI's interpreter
only awaits the result), and their output is written on the main thread in batches of a few
hundred (one journal line each, the keys handled in between), the part on screen first. If that process dies, a notification says so and the next run
starts a new one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.model import Document, Span
from annotator.text import TextIndex, Unit

if TYPE_CHECKING:  # the engines (and their place data) load in the worker, on first use
    from annotator.suggest import Suggestion
    from annotator.worker import ProcessRunner

# The run on open waits this long after the first frame was painted (and the app went idle):
# loading the engines costs CPU that must not compete with the first frame or the first keys.
START_DELAY = 1.0


@dataclass(eq=False)
class Run:
    """The engines' output for one document, before it is written."""

    doc: Document
    suggestions: list[Suggestion]
    messages: list[str] = field(default_factory=list)
    added: int = 0


def rejected(store: Any, doc_id: str) -> set[tuple[int, int, str]]:
    """(start, end, label) of the suggestions rejected in ``doc_id``."""
    if hasattr(store, "rejected"):
        return set(store.rejected(doc_id))
    from annotator.suggest.rejections import load_rejections

    return {key[1:] for key in load_rejections(store) if key[0] == doc_id}


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
    _suggest_gate: asyncio.Event
    _suggest_runner: ProcessRunner | None

    def _init_suggestions(self, on_open: bool, engines: Sequence[str] | None = None) -> None:
        self.suggest_on_open = on_open
        self.suggest_engines = tuple(engines) if engines else None  # None: DEFAULT_ENGINES
        self._suggesting = set()  # doc ids with a run in flight
        self._auto_suggested = set()  # doc ids already pre-annotated on open in this session
        # Runs on open wait for this (set START_DELAY after the first frame, see
        # _open_suggest_gate); `S` does not wait.
        self._suggest_gate = asyncio.Event()
        self._suggest_runner = None  # the engines' process, started by the first run
        # what runs there: a picklable module-level function (doc, engines, vocab) ->
        # (suggestion tuples, messages); None: annotator.suggest.job.run_engines
        self.suggest_job: Any = None

    def _open_suggest_gate(self, delay: float = START_DELAY) -> None:
        """Call once the first frame is up (``call_after_refresh`` from ``on_mount``)."""
        app: Any = self
        if delay <= 0:
            self._suggest_gate.set()
        else:
            app.set_timer(delay, self._suggest_gate.set)

    def _engines_process(self) -> ProcessRunner:
        if self._suggest_runner is None:
            from annotator.worker import ProcessRunner

            self._suggest_runner = ProcessRunner("suggestion")
        return self._suggest_runner

    def _stop_suggestions(self) -> None:
        """On quit: end the engines' process (a run in flight is abandoned)."""
        if self._suggest_runner is not None:
            self._suggest_runner.shutdown()

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
            self._suggest_in_process(doc, quiet, wait),
            group="suggest",
            name=f"suggest {doc.id}",
            exit_on_error=False,
        )

    async def _suggest_in_process(self, doc: Document, quiet: bool, wait: bool = False) -> None:
        """The engines run in their own process (keys never wait for them: the UI's
        interpreter only awaits the result); the result is written on the main thread in steps
        (see :meth:`_write_in_steps`). ``wait``: first wait for the start gate (a run on open).

        The engines' modules are imported after the gate: importing them takes a few hundred
        milliseconds, which must not land before the first frame."""
        app: Any = self
        try:
            if wait:
                await self._suggest_gate.wait()
            if app._closed:
                return
            from annotator.suggest import DEFAULT_ENGINES, learned
            from annotator.suggest.job import run_engines
            from annotator.suggest.types import Suggestion
            from annotator.worker import WorkerDied

            engines = self.suggest_engines or DEFAULT_ENGINES
            vocab = learned.vocabulary(app.store) if "learned" in engines else None
            try:
                job = self.suggest_job or run_engines
                db_path = str(getattr(app.store, "path", "") or "") or None  # the model beside it
                future = self._engines_process().submit(job, doc, engines, vocab, db_path)
                found, messages = await asyncio.wrap_future(future)
            except WorkerDied as error:
                self._suggestions_failed(doc, error, died=True)
                return
            except Exception as error:  # an engine bug must not take the annotator down
                self._suggestions_failed(doc, error)
                return
            if app._closed:
                return
            run = Run(doc, [Suggestion(*item) for item in found], list(messages))
            await self._write_in_steps(run)
            if not app._closed:
                self._suggestions_done(run, quiet)
        finally:
            self._suggesting.discard(doc.id)

    async def _write_in_steps(self, run: Run) -> None:
        """Write the run on the main thread, one store batch per step with the keys handled in
        between; the part on screen first, and shown as soon as it is written."""
        from annotator.suggest.writer import SuggestionWriter

        app: Any = self
        doc = run.doc
        shown = app.doc is not None and app.doc.id == doc.id
        writer = SuggestionWriter(
            app.store, doc, run.suggestions, first=_visible_range(app.view) if shown else None
        )
        first = True
        while not writer.done:
            if app._closed:
                return
            try:
                writer.step()
            except Exception as error:  # StoreError and friends: say it, keep running
                run.messages.append(f"not saved: {error}")
                break
            if first and app.doc is not None and app.doc.id == doc.id:
                app.view.set_spans(app.store.spans(doc.id), app.store.relations(doc.id))
            first = False
            await asyncio.sleep(0)  # the keys waiting meanwhile run now
        run.added += writer.added

    def _suggestions_failed(self, doc: Document, error: Exception, *, died: bool = False) -> None:
        app: Any = self
        if app._closed:
            return
        text = (
            f"{error}; nothing was written (press S to try again)"
            if died
            else f"suggestions failed: {error}"
        )
        app.notify(text, title="suggest", severity="error", markup=False)

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


def _visible_range(view: Any) -> tuple[int, int] | None:
    """The offsets the article view shows now (None before it has a layout)."""
    layout = view.layout_rows
    if layout is None or not len(layout):
        return None
    top = max(0, min(round(view.scroll_offset.y), len(layout) - 1))
    bottom = max(top, min(top + view.scrollable_content_region.height, len(layout) - 1))
    return layout.cell_to_offset(top, 0), layout.cell_to_offset(bottom, 10_000)


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
