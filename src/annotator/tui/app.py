"""The annotator application: corpus list, article view, span panel, label bar, status line.

The app is a thin shell: the ArticleView moves the cursor and draws; every change goes through
:class:`annotator.history.History` into the store, and the status line says "saved" only after
the store call returned (the journal is fsync'd by then).
"""

from __future__ import annotations

import bisect
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.worker import get_current_worker

from annotator import collector
from annotator.corpus import Corpus, CorpusError, Skipped, load_corpus
from annotator.model import Document, Span
from annotator.store import Store, StoreError, open_store
from annotator.team.timing import ActiveTimer, save_time
from annotator.text import TextIndex
from annotator.tui import keymap
from annotator.tui.article_view import ArticleView
from annotator.tui.commands import AnnotatorCommands
from annotator.tui.key_order import KeysInOrder
from annotator.tui.linking import LinkingMixin
from annotator.tui.names import NameFinder
from annotator.tui.suggesting import SuggestionActions, pending
from annotator.tui.widgets.corpus_list import CorpusList, Rows
from annotator.tui.widgets.label_bar import LabelBar
from annotator.tui.widgets.span_panel import SpanPanel
from annotator.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:  # loaded after the first frame (_after_first_frame) or on first use
    from annotator.history import History, Step
    from annotator.learn.background import BackgroundTrainer, Finished

IDLE_COMPACT_SECONDS = 2.0
WIDE = 100  # below this width the corpus list starts hidden
PREVIEW_BATCH = 500
BACKGROUND_SKIPPED_LIMIT = 2000  # compute skipped files eagerly only for small corpora
PROGRESS_SECONDS = 0.1  # how often the status line counts the files of a background walk


class _Stopped(Exception):
    """Raised inside a background walk to end it (the app is closing)."""


# KeysInOrder: keys arriving together act one after the other (key_order.py); LinkingMixin:
# k b x o and hint mode; SuggestionActions: S y n Y . and the runs on open
class AnnotatorApp(KeysInOrder, LinkingMixin, SuggestionActions, App[None]):
    """``AnnotatorApp(corpus_path, db_path="annotations.json", *, annotator=None, guidelines=None)``.

    ``store=`` (an open Store) and ``corpus=`` (a loaded Corpus) may be passed by the CLI, which
    opens them first to report a locked or corrupt database before the TUI starts.
    """

    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    # only the app's commands: Textual's system ones (its own quit, Screenshot, Theme, Keys)
    # would bypass saving or clutter the list
    COMMANDS: ClassVar[set[Any]] = {AnnotatorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "save and quit", show=False, priority=True)
    ]

    corpus_list: CorpusList  # made in compose

    def __init__(
        self,
        corpus_path: str | Path | None = None,
        db_path: str | Path = "annotations.json",
        *,
        annotator: str | None = None,
        guidelines: str | Path | None = None,
        store: Store | None = None,
        corpus: Corpus | None = None,
        suggest_on_open: bool = True,
        train_every: int | None = None,
        walk_in_background: bool = False,
    ) -> None:
        super().__init__()
        self._init_key_order()  # a key goes where the key before it left the focus
        # walk_in_background (a folder without a listing cache, given without corpus=): the
        # first frame comes first and the folder is walked after it (see _walk_folder)
        self._walking = corpus is None and walk_in_background
        if corpus is None:
            if corpus_path is None:
                raise ValueError("AnnotatorApp needs a corpus path or a corpus")
            corpus = (
                Corpus(Path(corpus_path), [], []) if self._walking else load_corpus(corpus_path)
            )
        self.corpus = corpus
        self.corpus_path = Path(corpus_path) if corpus_path is not None else corpus.root
        self.store = store if store is not None else open_store(db_path, annotator=annotator)
        self.schema = self.store.schema
        self._history: History | None = None
        self.guidelines_path = guidelines
        self.entries = corpus.entries  # a lazy sequence when listed from the cache: no copy
        self.rows = Rows(corpus.names())  # each Row made when drawn or touched
        self.position = -1  # index into entries of the open article
        self.doc: Document | None = None
        self.index: TextIndex | None = None
        self._names: NameFinder | None = None
        self._cursors: dict[str, int] = {}  # doc id -> last cursor (switching articles keeps it)
        # "relabel" while waiting for a label key, "mark_done" while `m` asks (suggestions left)
        self._pending: str | None = None
        self._last_search = ""
        self._match_shown: tuple[int, int] | None = None  # the search match the status names
        self._compact_timer: Timer | None = None
        self._compact_reported: str | None = None  # the last compaction error notified
        self._skipped: list[Skipped] | None = None
        self._skipped_rows: list[int] = []  # their positions among the entries, sorted
        self._closed = False
        self._train_every = train_every  # None: TRAIN_EVERY; 0: only on demand (T)
        self._trainer: BackgroundTrainer | None = None
        self._init_suggestions(suggest_on_open)  # S y n Y . (suggesting.py)
        self.timer = ActiveTimer()  # active time per article, seconds per span (team/timing.py)
        for binding in keymap.bindings(self.schema):
            if not binding.priority:  # ctrl+q is the class's priority binding (BINDINGS)
                self._bindings.bind(
                    binding.key,
                    binding.action,
                    binding.description,
                    show=False,
                    key_display=binding.key_display,
                )

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # kept, not queried: the preview thread's callbacks use them, even on another screen
        self.corpus_list = CorpusList(self.rows, id="corpus")
        self._status_bar = StatusBar(id="status")
        with Horizontal(id="main"):
            yield self.corpus_list
            yield ArticleView(id="article")
            yield SpanPanel(id="spans")
        yield LabelBar(id="labels")
        yield self._status_bar

    @property
    def history(self) -> History:
        """Undo/redo of every change (made on first use: its module is not needed to draw)."""
        if self._history is None:
            from annotator.history import History

            self._history = History(self.store)
        return self._history

    @property
    def view(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def status_bar(self) -> StatusBar:
        return self._status_bar

    _list_hidden_by_resize = False

    def on_resize(self, event: events.Resize) -> None:
        """The start's rule on every resize: below WIDE the article list hides (back when it
        widens again, if the resize hid it) and the span list narrows (app.tcss)."""
        narrow = event.size.width < WIDE
        self.screen.set_class(narrow, "-narrow")
        corpus = getattr(self, "corpus_list", None)  # made in compose
        if corpus is None or not corpus.is_mounted:
            return
        if narrow and corpus.display and not self._list_hidden_by_resize:
            self._list_hidden_by_resize = True
            if corpus.has_focus:
                self.view.focus()
            corpus.display = False
        elif not narrow and self._list_hidden_by_resize:
            self._list_hidden_by_resize = False
            corpus.display = True

    def on_mount(self) -> None:
        self.status_bar.set(annotator=self.store.annotator, total=len(self.entries))
        self.view.focus()
        # once the first frame is painted and the app is idle: what the first keys need,
        # then (a second later) the suggestions on open
        self.call_after_refresh(self._after_first_frame)
        if self._walking:
            self._say("listing… (the articles open when the folder is listed)")
            self.call_after_refresh(self._walk_folder)  # after the first frame: no GIL fight
            return
        self._start_reading()

    def _start_reading(self) -> None:
        """With the listing in hand: statuses from the store, then open the first article."""
        self._fill_rows_from_store()
        if self.size.width < WIDE or len(self.entries) == 1:
            # a single article needs no list: its room goes to the article (f shows the list)
            self.query_one("#corpus").display = False
        first = self._first_open_position()
        if first is not None:
            self.open_article(first)
        else:
            self._say("no readable article in this corpus (press ! for the skipped files)", True)
            self.query_one(LabelBar).show_counts(self.schema, [])
        # titles fill in after the first frame (the worker would compete for the GIL)
        self.set_timer(0.3, self.fill_previews)

    # ------------------------------------------------------------------ listing in the background

    @work(thread=True, exclusive=True, group="listing")
    def _walk_folder(self) -> None:
        """Walk the folder (no listing cache yet: the first start) while keys are handled; the
        status line counts the files found, and the list fills in when the walk is done (in
        natural order, which needs every name)."""
        worker = get_current_worker()
        said = time.monotonic()

        def progress(count: int) -> None:
            nonlocal said
            if worker.is_cancelled or self._closed:
                raise _Stopped  # quitting: do not finish a walk nobody will see
            now = time.monotonic()
            if now - said >= PROGRESS_SECONDS:
                said = now
                self.call_from_thread(self._say, f"listing… {count:,} files")

        try:
            corpus = load_corpus(self.corpus_path, progress=progress)
            self.call_from_thread(self._listed, corpus)
        except _Stopped:
            return
        except CorpusError as error:
            self.call_from_thread(self._say, str(error), True)
        except RuntimeError:  # the app closed meanwhile: nobody to show the listing to
            return

    def _listed(self, corpus: Corpus) -> None:
        """The walk's result: the list fills in and the first article opens."""
        if self._closed or not self.corpus_list.is_attached:
            return
        self._walking = False
        self.corpus = corpus
        self.entries = corpus.entries
        self.rows = Rows(corpus.names())
        self.corpus_list.set_rows(self.rows)
        self.status_bar.set(total=len(self.entries), message="")
        self._start_reading()

    def _after_first_frame(self) -> None:
        collector.resume()  # paused by the console entry while the program loaded
        self.set_timer(0.05, lambda: self.history)
        self._open_suggest_gate()

    def _first_open_position(self) -> int | None:
        """The first article in progress, else the first not done, else the first readable.

        Only the rows of articles in the store can be other than new (see
        ``_fill_rows_from_store``): the others are not looked at, nor made.
        """
        stored = dict(self.rows.made())
        in_progress = [i for i, row in stored.items() if row.status == "in_progress"]
        first_new = 0
        while first_new in stored and stored[first_new].status != "new":
            first_new += 1
        for first in (min(in_progress, default=None), first_new):
            if first is not None and first < len(self.entries):
                found = self._step_position(first - 1, 1)
                if found is not None:
                    return found
        return self._step_position(-1, 1)

    def _fill_rows_from_store(self) -> None:
        """Status, title and span count of the articles in the store (found by name)."""
        for info in self.store.documents():
            i = self.corpus.position(info.path)
            if i is None or not (0 <= i < len(self.rows)) or self.entries[i].name != info.path:
                continue
            row = self.rows[i]
            row.doc_id = info.id
            row.status = info.status
            row.title = info.title or row.name
            row.date = info.date
            row.spans = _decided(self.store.spans(info.id))

    @work(thread=True, exclusive=True, group="previews")
    def fill_previews(self) -> None:
        """Titles and dates from the head of each file, file names shown until then."""
        worker = get_current_worker()
        for start in range(0, len(self.entries), PREVIEW_BATCH):
            for i in range(start, min(start + PREVIEW_BATCH, len(self.entries))):
                if worker.is_cancelled:
                    return
                row = self.rows[i]
                if row.title:
                    continue
                try:
                    title, date = self.corpus.preview(self.entries[i])
                except Exception:  # a preview is cosmetic: keep the file name
                    continue
                row.title, row.date = title or row.name, date
            self.call_from_thread(self._refresh_corpus_list)
        if len(self.entries) <= BACKGROUND_SKIPPED_LIMIT:
            skipped = self.corpus.skipped
            self.call_from_thread(self._set_skipped, skipped)
        else:
            self.call_from_thread(self._set_skipped_count, len(self.corpus.walk_skipped))

    # The three below run from the preview thread (call_from_thread): the app may be closing,
    # its widgets already gone, by the time they run; then there is nothing left to update.

    def _refresh_corpus_list(self) -> None:
        if self.corpus_list.is_attached:
            self.corpus_list.refresh_rows()

    def _set_skipped(self, skipped: list[Skipped]) -> None:
        self._skipped = skipped
        reasons = {item.path: item.reason for item in skipped}
        positions = []
        for i, row in enumerate(self.rows):
            row.skipped = reasons.get(row.name)
            if row.skipped is not None:
                positions.append(i)
        self._skipped_rows = positions
        if self.corpus_list.is_attached:
            self.corpus_list.set_skipped(len(skipped), positions)  # listed after the articles
            self.status_bar.set(**self._position())

    def _position(self) -> dict[str, int]:
        """``i/N`` for the status line: among the readable articles only (not the ✗ files)."""
        before = bisect.bisect_left(self._skipped_rows, self.position)
        total = len(self.entries) - len(self._skipped_rows)
        return {"position": max(0, self.position - before) + 1, "total": total}

    def _set_skipped_count(self, count: int) -> None:
        if self.corpus_list.is_attached:
            self.corpus_list.set_skipped(None)

    # ------------------------------------------------------------------ articles

    def _step_position(self, start: int, delta: int) -> int | None:
        """The next readable entry from ``start`` in direction ``delta`` (no wrap)."""
        i = start + delta
        while 0 <= i < len(self.entries):
            if isinstance(self.corpus.load(self.entries[i]), Document):
                return i
            i += delta
        return None

    def open_article(self, position: int) -> bool:
        result = self.corpus.load(self.entries[position])
        if not isinstance(result, Document):
            self._say(f"{result.path}: {result.reason}", True)
            return False
        if self.doc is not None:
            self._cursors[self.doc.id] = self.view.cursor
            self._save_time()  # leaving the article: its active time is written
        self.position = position
        self.doc = result
        self.timer.open(result.id)
        self.index = TextIndex(result.text)
        self._names = None
        row = self.rows[position]
        row.doc_id = result.id
        row.title = result.title or row.name
        row.date = result.date
        row.status = self.store.status(result.id)
        spans = self.store.spans(result.id)
        row.spans = _decided(spans)
        cursor = self._cursors.get(result.id, self._start_offset(result))
        self.view.show(
            result,
            self.index,
            spans,
            self.store.relations(result.id),
            self.schema,
            cursor=cursor,
        )
        self.corpus_list.set_current(position)
        self._refresh_panels(spans)
        self.status_bar.set(**self._position(), status=row.status, message="")
        self.sub_title = row.title
        self._suggest_on_open(result, spans)
        return True

    @staticmethod
    def _start_offset(doc: Document) -> int:
        """Start at the title (skipping a schedule / byline line above it)."""
        if doc.title_span is not None:
            return doc.title_span[0]
        return 0

    def _refresh_panels(self, spans: list[Span] | None = None) -> None:
        if self.doc is None:
            return
        if spans is None:
            spans = self.store.spans(self.doc.id)
        relations = self.store.relations(self.doc.id)
        self.query_one(SpanPanel).show_spans(spans, relations, self.schema, around=self.view.cursor)
        self.query_one(LabelBar).show_counts(self.schema, spans)
        if 0 <= self.position < len(self.rows):
            row = self.rows[self.position]
            row.spans = _decided(spans)
            row.status = self.store.status(self.doc.id)
            self.status_bar.set(status=row.status)
            self.corpus_list.refresh_rows()
        self._show_under_cursor()

    def _refresh_spans(self) -> None:
        """After a store change: redraw spans in place (cursor and scroll kept)."""
        if self.doc is None:
            return
        spans = self.store.spans(self.doc.id)
        self.view.set_spans(spans, self.store.relations(self.doc.id))
        self._refresh_panels(spans)

    # ------------------------------------------------------------------ status line

    def _say(self, message: str, error: bool = False) -> None:
        self.status_bar.set(message=message, error=error)

    def _show_under_cursor(self) -> None:
        if self.doc is None:
            return
        spans = self.view.spans_at_cursor()
        text = " in ".join(
            span.label + ("?" if span.origin == "suggested" else "") for span in spans
        )
        self.status_bar.set(under_cursor=text)

    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        self.timer.tick()
        if self._pending == "mark_done":  # moving on (the view's own keys) cancels the question
            self._pending = None
            self._say("")
        panel = self.query_one(SpanPanel)
        if panel.stale_at(self.view.cursor):
            panel.show_again(self.view.cursor)
        self._show_under_cursor()
        if self._match_shown is not None and self.view.selection != self._match_shown:
            self._match_shown = None
            if self.status_bar.info.message.startswith("match "):
                self._say("")

    # ------------------------------------------------------------------ writes

    def _write(self, what: str, change: Any) -> Any:
        """Run one store change; "saved" only once it returned (journal fsync'd). The active
        time so far goes in the same journal line (no write of its own per key)."""
        self.timer.tick()
        try:
            with self.store.batch():
                result = change()
                self._save_time()
        except StoreError as error:
            self._say(f"NOT SAVED: {error}", True)
            self.notify(str(error), title="not saved", severity="error", markup=False)
            return None
        except (ValueError, KeyError) as error:
            self._say(f"{what}: {error}", True)
            return None
        self._say(f"saved · {what}")
        problem = getattr(self.store, "compact_error", None)
        if problem and problem != self._compact_reported:
            self._compact_reported = problem  # said once: the work itself is in the journal
            self.notify(
                f"{problem} (every change is safe in the journal)",
                title="snapshot not written",
                severity="warning",
                markup=False,
            )
        self._schedule_compact()
        return result

    def _save_time(self) -> None:
        """Write the open article's active time (if it is in the store; see team/timing.py)."""
        save_time(self.store, self.timer, self.doc.id if self.doc is not None else None)

    def _schedule_compact(self) -> None:
        if self._compact_timer is not None:
            self._compact_timer.stop()
        self._compact_timer = self.set_timer(IDLE_COMPACT_SECONDS, self._compact_now)

    def _compact_now(self) -> None:
        self._compact_timer = None
        if self._closed:
            return
        try:
            self.store.compact(wait=False)  # the snapshot is written in the background
        except StoreError as error:
            self._say(f"compaction failed: {error}", True)

    def _tag(self, label: str, start: int, end: int) -> Span | None:
        doc = self.doc
        assert doc is not None

        def change() -> Span:
            with self.history.group(f"tag {label}"):
                self.store.add_document(doc)
                # exactly a suggestion's extent: accept it (relabelled) rather than add a twin
                accepted = self.decide_by_tagging(label, start, end)
                if accepted is not None:
                    span = accepted
                else:
                    span, _created = self.history.add_span(
                        doc, start, end, label, seconds=self.timer.action()
                    )
                # first span of an article: mark it in progress (undone with the span)
                if self.store.status(doc.id) == "new":
                    self.history.set_status(doc.id, "in_progress", offset=start)
            return span

        return self._write(f"{label} {_short(doc.text[start:end])}", change)

    # ------------------------------------------------------------------ actions: moving

    def _before_action(self) -> bool:
        """Cancel a pending two-key command; False when there is no article."""
        if self._pending == "mark_done":  # the question on the status line is no longer asked
            self._say("")
        self._pending = None
        return self.doc is not None

    def action_word(self, delta: int) -> None:
        if self._before_action():
            self.view.move_word(delta)

    def action_extend_word(self, delta: int) -> None:
        if self._before_action():
            self.view.move_word(delta, extend=True)

    def action_line(self, delta: int) -> None:
        if self._before_action():
            self.view.move_line(delta)

    def action_extend_line(self, delta: int) -> None:
        if self._before_action():
            self.view.move_line(delta, extend=True)

    def action_line_edge(self, end: int) -> None:
        if self._before_action():
            self.view.move_line_edge(bool(end))

    def action_page(self, delta: int) -> None:
        if self._before_action():
            self.view.move_page(delta)

    def action_doc_edge(self, end: int) -> None:
        if self._before_action():
            self.view.move_doc_edge(bool(end))

    def action_sentence(self, delta: int) -> None:
        if self._before_action():
            self.view.move_sentence(delta)

    def action_paragraph(self, delta: int) -> None:
        if self._before_action():
            self.view.move_paragraph(delta)

    def action_span(self, delta: int) -> None:
        if self._before_action() and self.view.move_to_span(delta) is None:
            self._say("no more spans this way")

    # ------------------------------------------------------------------ actions: selecting

    def action_select_sentence(self) -> None:
        """Select the sentence; inside a quotation only its quoted part (press again: all)."""
        if not self._before_action():
            return
        part = self._quoted_sentence()
        if part is None or self.view.selection == part:
            self.view.select_sentence()
        else:
            self.view.move_to(part[0], select_to=part[1])

    def _quoted_sentence(self) -> tuple[int, int] | None:
        """The sentence at the cursor clipped to the quotation around it (guidelines: one
        CLAIM per quoted sentence, quote marks and attribution left out)."""
        assert self.index is not None
        cursor = self.view.cursor
        sentence = self.index.sentence_at(cursor)
        quote = self.index.quotation_at(cursor)
        if sentence is None or quote is None:
            return None
        if quote.start <= sentence.start and sentence.end <= quote.end:
            # the whole sentence is quoted: only a continuation quote mark to leave out
            part = self._trimmed(sentence.start, sentence.end)
            return None if part == (sentence.start, sentence.end) else part
        start, end = max(sentence.start, quote.start), min(sentence.end, quote.end)
        return self._trimmed(start, end)

    def _trimmed(self, start: int, end: int) -> tuple[int, int] | None:
        """``start..end`` snapped to tokens, without trailing , ; : (a clause, not a sentence)."""
        assert self.index is not None and self.doc is not None
        start, end = self.index.snap(start, end)
        text = self.doc.text
        while end > start and text[end - 1] in ",;:—–- \n\"'“”‘’":
            end -= 1
        while start < end and text[start] in "\"'“”‘’ \n":
            start += 1
        if end <= start:
            return None
        start, end = self.index.snap(start, end)
        return (start, end) if end > start else None

    def action_extend_sentence_edge(self, end: int) -> None:
        """Extend the selection (or the word at the cursor) to the end (start) of the sentence,
        without its final punctuation: "said that |Ukraine cannot ...|." is one key."""
        if not self._before_action():
            return
        assert self.index is not None
        target = self.view.target()
        if target is None:
            return
        sentence = self.index.sentence_at(target[0])
        if sentence is None:
            return
        quote = self.index.quotation_at(target[0])
        if end:
            stop = sentence.end
            if quote is not None and quote.end < stop and quote.end > target[1]:
                stop = quote.end
            while stop > target[1] and self.doc.text[stop - 1] in ".!?…":
                stop -= 1
            span = self._trimmed(target[0], max(stop, target[1]))
        else:
            begin = sentence.start
            if quote is not None and quote.start > begin:
                begin = quote.start
            span = self._trimmed(min(begin, target[0]), target[1])
        if span is not None:
            self.view.move_to(span[0], select_to=span[1])

    def action_select_quotation(self) -> None:
        if self._before_action() and not self.view.select_quotation():
            self._say("the cursor is not inside a quotation")

    def names(self) -> NameFinder:
        if self._names is None:
            assert self.index is not None
            self._names = NameFinder(self.index)
        return self._names

    def action_name(self, delta: int) -> None:
        """Jump to the next (previous) name and select it: `e` then `2` tags an actor."""
        if not self._before_action():
            return
        doc = self.doc
        assert doc is not None
        finder = self.names()
        cursor = self.view.cursor
        selection = self.view.selection
        if delta > 0:
            # the name at the cursor counts when nothing is selected and it is not tagged yet
            # (a suggestion is not a tag yet: `e 2` on it accepts it)
            unit = finder.next_after(cursor, inclusive=selection is None)
            if (
                unit is not None
                and unit.start == cursor
                and selection is None
                and any(
                    s.key[:2] == (unit.start, unit.end) and s.origin != "suggested"
                    for s in self.view.spans_at_cursor()
                )
            ):
                unit = finder.next_after(cursor)
            while unit is not None and doc.overlaps_boilerplate(unit.start, unit.end):
                unit = finder.next_after(unit.start)
        else:
            unit = finder.previous_before(cursor)
            while unit is not None and doc.overlaps_boilerplate(unit.start, unit.end):
                unit = finder.previous_before(unit.start)
        if unit is None:
            self._say("no more names this way")
            return
        self.view.move_to(unit.start, select_to=unit.end)

    def action_clear(self) -> None:
        was_pending = self._pending
        if self._before_action():
            self.view.clear_selection()
            self.view.set_matches([], None)
        if was_pending is not None:
            self._say("cancelled: not marked done" if was_pending == "mark_done" else "cancelled")

    # ------------------------------------------------------------------ actions: tagging

    def action_tag(self, label: str) -> None:
        if self._pending == "relabel":
            self._pending = None
            self._relabel_to(label)
            return
        if not self._before_action():
            return
        target = self.view.target()
        if target is None:
            self._say("nothing to tag here", True)
            return
        assert self.doc is not None
        # boilerplate and the date line are never annotated (guidelines), nor is a headline
        # tagged together with the body
        kept = self.doc.story_part(*target)
        if kept is None:
            self._say(
                "not tagged: boilerplate (Read more…, schedule lines) and the date line"
                " are not annotated",
                True,
            )
            return
        start, end = kept
        if self._tag(label, start, end) is not None:
            self.view.clear_selection()
            self._refresh_spans()
            if kept != target:
                what = f"{label} {_short(self.doc.text[start:end])}"
                self._say(f"saved · {what} · trimmed to one stretch of story text")

    def action_delete_span(self) -> None:
        if not self._before_action():
            return
        spans = self.view.spans_at_cursor()
        if not spans:
            self._say("no span under the cursor")
            return
        span = spans[0]  # innermost first; pressing again goes outward
        if span.origin == "suggested":  # deleting a suggestion rejects it (not offered again)
            self.reject_span(span, advance=False)
            return
        if self._write(
            f"deleted {span.label} {_short(span.text)}", lambda: self.history.remove_span(span.id)
        ):
            self._refresh_spans()

    def action_relabel(self) -> None:
        if not self._before_action():
            return
        if not self.view.spans_at_cursor():
            self._say("no span under the cursor")
            return
        self._pending = "relabel"
        keys = " ".join(f"{label.key}/{label.letter}" for label in self.schema)
        self._say(f"relabel to? {keys} (Esc cancels)")

    def _relabel_to(self, label: str) -> None:
        spans = self.view.spans_at_cursor()
        if not spans:
            return
        span = spans[0]
        if span.label == label:
            self._say(f"already {label}")
            return

        def change() -> Span:
            with self.history.group(f"relabel {span.label} -> {label}"):
                relabelled = self.history.relabel_span(span.id, label)
                if span.origin == "suggested":  # a corrected suggestion is the user's
                    relabelled = self.history.accept_suggestion(span.id, self.store.annotator)
            return relabelled

        if self._write(f"{span.label} -> {label}", change):
            self._refresh_spans()

    def action_undo(self) -> None:
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        self._undo_redo(redo=True)

    def _undo_redo(self, *, redo: bool) -> None:
        self._pending = None
        verb = "redo" if redo else "undo"
        if not (self.history.can_redo if redo else self.history.can_undo):
            self._say(f"nothing to {verb}")
            return
        step: Step | None = self._write(verb, self.history.redo if redo else self.history.undo)
        if step is None:
            return
        self._say(f"saved · {verb} {step.description}")
        if self.doc is not None and step.doc_id and step.doc_id != self.doc.id:
            for i, row in self.rows.made():  # a row with a doc id has been made
                if row.doc_id == step.doc_id:
                    self.open_article(i)
                    break
        self._refresh_spans()
        if self.doc is not None and self.doc.id == step.doc_id:
            self.view.move_to(step.offset)

    # ------------------------------------------------------------------ actions: articles

    def action_article(self, delta: int) -> None:
        if not self._before_action() and self.position < 0:
            return
        target = self._step_position(self.position, delta)
        if target is None:
            self._say("last article" if delta > 0 else "first article")
            return
        self.open_article(target)

    def action_mark_done(self) -> None:
        """`m`: mark the article done and open the next one not done. With suggestions left
        (never exported as annotations) it asks first: `m` again marks done anyway, `Y` accepts
        them all and marks done, Esc (or any other key) cancels."""
        confirmed = self._pending == "mark_done"
        if not self._before_action():
            return
        doc = self.doc
        assert doc is not None
        left = [] if confirmed else pending(self.store.spans(doc.id))  # counted once, on `m`
        if left:
            self._pending = "mark_done"
            what = f"{len(left)} suggestion{'s' if len(left) != 1 else ''}"
            self._say(
                f"{what} not reviewed · m: mark done anyway · Y: accept all, mark done · Esc: cancel",
                True,
            )
            return
        self._mark_done(doc)

    def action_accept_sentence(self) -> None:
        """`Y`; while `m` asks (suggestions left): accept them all and mark the article done."""
        if self._pending == "mark_done":
            self._pending = None
            assert self.doc is not None
            self._mark_done(self.doc, accept=pending(self.store.spans(self.doc.id)))
            return
        super().action_accept_sentence()

    def _mark_done(self, doc: Document, accept: list[Span] | None = None) -> None:
        """Mark ``doc`` done (first accepting ``accept``: one undo step), open the next."""
        accept = accept or []

        def change() -> str:
            what = f"accept {len(accept)} suggestions, mark done" if accept else "mark done"
            with self.history.group(what):
                self.store.add_document(doc)
                for span in accept:
                    self.history.accept_suggestion(span.id, self.store.annotator)
                return self.history.set_status(doc.id, "done", offset=self.view.cursor)

        done = f"accepted {len(accept)}, marked done" if accept else "marked done"
        if self._write(done, change) is None:
            return
        if accept:
            self._refresh_spans()
        trainer = self.trainer
        training = trainer is not None and trainer.article_done()
        self._refresh_panels()
        target = self._next_not_done()
        if target is None:
            self._say(f"saved · {done} · every article is done")
            return
        self.open_article(target)
        self._say(
            f"saved · {done}, opened the next article not done"
            + (" · training the model in the background" if training else "")
        )

    # ------------------------------------------------------------------ training (learn)

    @property
    def trainer(self) -> BackgroundTrainer | None:
        """Trains the suggestion model in another process (None without a database file)."""
        if self._trainer is None and not self._closed:
            path = getattr(self.store, "path", None)
            if not isinstance(path, str | Path):
                return None
            from annotator.learn.background import TRAIN_EVERY, BackgroundTrainer

            every = TRAIN_EVERY if self._train_every is None else self._train_every
            self._trainer = BackgroundTrainer(path, self._trained_elsewhere, every=every)
        return self._trainer

    def _trained_elsewhere(self, finished: Finished) -> None:
        """From the trainer's thread: the status line says which model is in use."""
        if not self._closed:
            self.call_from_thread(self._say, finished.message, finished.error is not None)

    def action_train(self) -> None:
        trainer = self.trainer
        if trainer is None:
            self._say("no database file to train a model for", True)
            return
        queued = trainer.running
        trainer.start()
        self._say(
            "a training is running; another follows it"
            if queued
            else "training the model in the background (keep annotating)"
        )

    def _next_not_done(self) -> int | None:
        n = len(self.entries)
        for k in range(1, n):
            i = (self.position + k) % n
            if self.rows[i].status == "done":
                continue
            result = self.corpus.load(self.entries[i])
            if isinstance(result, Document) and self.store.status(result.id) != "done":
                return i
        return None

    def action_search(self) -> None:
        if not self._before_action():
            return
        from annotator.tui.screens.prompt import PromptScreen

        placeholder = f"Enter repeats “{self._last_search}”" if self._last_search else ""
        self.push_screen(PromptScreen("/", placeholder), self._search)

    def _search(self, query: str | None) -> None:
        if query is None or self.doc is None or self.index is None:
            return
        query = query or self._last_search
        if not query:
            return
        self._last_search = query
        text = self.doc.text
        folded, needle = text.casefold(), query.casefold()
        if len(folded) != len(text):  # casefold changed lengths: fall back to lower()
            folded, needle = text.lower(), query.lower()
        matches: list[tuple[int, int]] = []
        at = folded.find(needle)
        while at >= 0 and len(matches) < 10_000:
            matches.append((at, at + len(needle)))
            at = folded.find(needle, at + max(1, len(needle)))
        if not matches:
            self.view.set_matches([], None)
            self._say(f"not found: {query}", True)
            return
        cursor = self.view.cursor
        after = next((k for k, (s, _) in enumerate(matches) if s > cursor), None)
        current = 0 if after is None else after  # none after the cursor: from the top
        self.view.set_matches(matches, current)
        start, end = self.index.snap(*matches[current])
        if start == end:
            start, end = matches[current]
        self.view.move_to(start, select_to=end)
        self._match_shown = (start, end)  # the message goes when the cursor leaves the match
        wrapped = " · wrapped to the top" if after is None else ""
        self._say(
            f"match {current + 1} of {len(matches)}{wrapped} "
            "(1/2/3 tags it, / Enter finds the next)"
        )

    # ------------------------------------------------------------------ actions: panels & help

    def action_toggle_corpus(self) -> None:
        self._pending = None
        corpus = self.corpus_list
        if corpus.display and corpus.has_focus:
            corpus.display = False
            self.view.focus()
        else:
            corpus.display = True
            corpus.focus()
            corpus.scroll_to_cursor()

    def action_toggle_spans(self) -> None:
        self._pending = None
        panel = self.query_one(SpanPanel)
        panel.display = not panel.display
        if not panel.display:
            self.view.focus()

    def action_skipped(self) -> None:
        self._pending = None
        if self._walking:
            self._say("still listing the folder…")
            return
        if self._skipped is None:
            self._say("reading every file to list the skipped ones…")
            self._load_skipped()
            return
        from annotator.tui.screens.skipped import SkippedScreen

        self.push_screen(SkippedScreen(self._skipped))

    @work(thread=True, exclusive=True, group="skipped")
    def _load_skipped(self) -> None:
        skipped = self.corpus.skipped
        self.call_from_thread(self._show_skipped, skipped)

    def _show_skipped(self, skipped: list[Skipped]) -> None:
        self._set_skipped(skipped)
        self._say("")
        from annotator.tui.screens.skipped import SkippedScreen

        self.push_screen(SkippedScreen(skipped))

    _last_export_format = "spacy"  # the export dialog opens on the format used last

    def action_export(self) -> None:
        """`X` / the palette's "export": the export dialog (its module loads on first use)."""
        from annotator.tui.screens.export import ExportScreen

        self._pending = None
        folder = Path(self.store.path).parent
        self.push_screen(ExportScreen(self.store, folder, self._last_export_format))

    def action_help(self) -> None:
        self._pending = None
        from annotator.tui.screens.help import HelpScreen  # Markdown: imported when needed

        self.push_screen(HelpScreen(self.schema))

    def action_guidelines(self) -> None:
        self._pending = None
        from annotator.tui.screens.guidelines import GuidelinesScreen, find_guidelines

        markdown = find_guidelines(self.corpus_path, self.guidelines_path)
        self.push_screen(GuidelinesScreen(markdown))

    @on(CorpusList.Chosen)
    def _corpus_chosen(self, event: CorpusList.Chosen) -> None:
        if event.index >= len(self.entries):
            self.action_skipped()
            return
        if self.open_article(event.index):
            if self.size.width < WIDE:
                self.corpus_list.display = False
            self.view.focus()

    @on(SpanPanel.Jump)
    def _span_jump(self, event: SpanPanel.Jump) -> None:
        self.view.move_to(event.span.start)
        self.view.focus()

    # ------------------------------------------------------------------ quitting

    async def action_quit(self) -> None:
        self.close_store()
        self.exit()

    def close_store(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop_suggestions()
        if self._compact_timer is not None:
            self._compact_timer.stop()
        if self._trainer is not None:
            self._trainer.close()
        try:
            self._save_time()
        except StoreError as error:  # pragma: no cover - reported, the rest still closes
            self.notify(str(error), severity="error", markup=False)
        try:
            self.store.close()
        except StoreError as error:  # pragma: no cover - reported, nothing else to do
            self.notify(str(error), severity="error", markup=False)

    def on_unmount(self) -> None:
        self.close_store()


def _decided(spans: list[Span]) -> int:
    """Spans the user made or accepted (the article list does not count suggestions)."""
    return sum(1 for span in spans if span.origin != "suggested")


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> None:
    """``python -m annotator.tui PATH [DB]`` (the real entry point is the ``annotator`` CLI)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m annotator.tui PATH [DB]", file=sys.stderr)
        raise SystemExit(2)
    db = args[1] if len(args) > 1 else "annotations.json"
    app = AnnotatorApp(args[0], db, annotator=os.environ.get("ANNOTATOR_NAME"))
    import gc

    gc.freeze()  # start-up objects live as long as the process (see the CLI's open command)
    app.run()
