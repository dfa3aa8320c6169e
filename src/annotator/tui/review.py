"""The adjudication screen (``annotator review DB1 DB2 ... --db GOLD``).

The annotator app over the GOLD store, with the inputs' spans drawn as candidates the way
suggestions are: `.` goes to the next disagreement, `y` accepts the candidate under the cursor
into GOLD, `n` rejects it, `T` takes one annotator's version of the whole article, `m` marks the
article reviewed and opens the next with disagreements; `u`/`U` undo and redo all of it. Every
other key works as in the annotator (tag, delete, relabel, link) and edits GOLD directly.
The logic lives in :mod:`annotator.team.review`; this module only wires keys and panes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.model import Span
from annotator.store import Store
from annotator.team.inputs import AnnotatorDB
from annotator.team.review import Candidate, Review, ReviewHistory, StoredCorpus, is_candidate
from annotator.tui.app import AnnotatorApp
from annotator.tui.suggesting import following, next_after
from annotator.tui.widgets.review_pane import ReviewPane

COUNT_INLINE = 200  # documents: above this the corpus is counted in another process
REVIEW_KEYS = (("T", "take_version", "take one annotator's version of the article"),)


class ReviewApp(AnnotatorApp):
    """``ReviewApp(inputs, gold)``: ``inputs`` open read-only, ``gold`` an open writable store."""

    TITLE = "annotator review"

    def __init__(
        self, inputs: Sequence[AnnotatorDB], gold: Store, *, accept_agreed: bool = True
    ) -> None:
        self.review = Review(inputs, gold, accept_agreed=accept_agreed)
        documents = [self.review.document(doc_id) for doc_id in self.review.doc_ids]
        super().__init__(
            corpus=StoredCorpus(documents),
            store=gold,
            annotator=gold.annotator,
            suggest_on_open=False,
        )
        self._auto_accepted: set[str] = set()
        for key, action, description in REVIEW_KEYS:
            # the review's meaning of the key replaces the annotator's (T: train the model)
            self._bindings.key_to_bindings.pop(key, None)
            self._bindings.bind(key, action, description, show=False)

    # ------------------------------------------------------------------ wiring

    @property
    def history(self) -> ReviewHistory:  # type: ignore[override]
        if self._history is None:
            self._history = ReviewHistory(self.store)
        return self._history  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.mount(ReviewPane(id="review"), before="#labels")
        super().on_mount()
        if len(self.review.doc_ids) <= COUNT_INLINE:
            self.review.set_counts(self.review.count_corpus())
        else:
            self.run_worker(self._count_in_process, thread=True, group="count", exit_on_error=False)

    def _count_in_process(self) -> None:
        """The corpus-wide count in another process (this thread only waits for it)."""
        from concurrent.futures import ProcessPoolExecutor

        from annotator.team.review import count_disagreements

        paths = [str(db.path) for db in self.review.inputs]
        with ProcessPoolExecutor(max_workers=1) as pool:
            counts = pool.submit(
                count_disagreements, paths, str(self.store.path), self.review.auto_accept
            ).result()
        self.call_from_thread(self._counted, counts)

    def _counted(self, counts: dict[str, int]) -> None:
        self.review.set_counts(counts)
        self._show_under_cursor()

    def open_article(self, position: int) -> bool:
        if not super().open_article(position):
            return False
        doc = self.doc
        assert doc is not None
        if (
            self.review.auto_accept
            and doc.id not in self._auto_accepted
            and self.store.status(doc.id) == "new"
        ):
            self._auto_accepted.add(doc.id)
            agreed = [c for c in self.review.pending(doc.id) if c.agreed]
            if agreed and self._write(
                f"accepted {len(agreed)} spans every annotator agrees on",
                lambda: self.review.accept_agreed(self.history, doc.id),
            ):
                self._say(
                    f"saved · accepted {len(agreed)} agreed spans (u undoes) · "
                    f"{self.review.left(doc.id)} disagreements"
                )
        self._refresh_spans()
        return True

    def _refresh_spans(self) -> None:
        """GOLD's spans and the pending candidates, drawn together."""
        if self.doc is None:
            return
        self.review.refresh(self.doc.id)
        spans = self._spans_now()
        self.view.set_spans(spans, self.store.relations(self.doc.id))
        self._refresh_panels(spans)

    def _spans_now(self) -> list[Span]:
        if self.doc is None:
            return []
        gold = [s for s in self.store.spans(self.doc.id) if s.origin != "suggested"]
        return sorted(gold + self.review.candidate_spans(self.doc.id), key=lambda s: s.sort_key)

    def _show_under_cursor(self) -> None:
        super()._show_under_cursor()
        if self.doc is None or not self.is_mounted:
            return
        panes = self.query(ReviewPane)
        if not panes:
            return
        doc_id = self.doc.id
        here = self.view.spans_at_cursor()
        candidate = next((self.review.candidate(s) for s in here if is_candidate(s)), None)
        stretch = [s for s in here if is_candidate(s)] or here
        if stretch:
            start = min(s.start for s in stretch)
            end = max(s.end for s in stretch)
            versions = self.review.versions_at(doc_id, start, end)
            gold = [
                s
                for s in self.store.spans(doc_id)
                if s.origin != "suggested" and s.start < end and start < s.end
            ]
        else:
            versions, gold = {}, []
        panes.first().show_review(
            names=self.review.names,
            left_here=self.review.left(doc_id),
            corpus=self.review.corpus_left(),
            under_cursor=candidate,
            versions=versions,
            gold=gold,
        )

    # ------------------------------------------------------------------ the suggestion keys

    def _candidate_here(self) -> Candidate | None:
        for span in self.view.spans_at_cursor():
            if is_candidate(span):
                return self.review.candidate(span)
        self._say("no candidate under the cursor (. jumps to the next disagreement)")
        return None

    def _next_target(self, offset: int, *, after: bool) -> Span | None:
        spans = self._disagreement_spans()
        return next_after(spans, offset) if after else following(spans, offset)

    def _disagreement_spans(self) -> list[Span]:
        if self.doc is None:
            return []
        return [c.as_span() for c in self.review.disagreements(self.doc.id)]

    def _advance(self, offset: int) -> None:
        target = self._next_target(offset, after=False)
        if target is None:
            self._say(self.status_bar.info.message + " · no disagreements left here (m: next)")
            return
        self.view.move_to(target.start)

    def action_next_suggestion(self) -> None:
        """`.`: the next disagreement (wraps around)."""
        if not self._before_action():
            return
        target = self._next_target(self.view.cursor, after=True)
        if target is None:
            self._say("no disagreements left in this article (m: mark reviewed, next)")
            return
        self.view.move_to(target.start)

    def action_accept_suggestion(self) -> None:
        """`y`: accept the candidate under the cursor into GOLD."""
        if not self._before_action():
            return
        candidate = self._candidate_here()
        if candidate is None:
            return
        if self._write(
            f"accepted {candidate.label} {_short(candidate.text)}",
            lambda: self.review.accept(self.history, [candidate]),
        ):
            self._refresh_spans()
            self._advance(candidate.start)

    def action_reject_suggestion(self) -> None:
        """`n`: reject the candidate under the cursor (kept as a rejection in GOLD)."""
        if not self._before_action():
            return
        candidate = self._candidate_here()
        if candidate is not None:
            self._reject(candidate, advance=True)

    def reject_span(self, span: Span, *, advance: bool) -> None:
        """`d` on a candidate rejects it; on anything else the app's own handling."""
        candidate = self.review.candidate(span)
        if candidate is None:
            super().reject_span(span, advance=advance)
            return
        self._reject(candidate, advance=advance)

    def _reject(self, candidate: Candidate, *, advance: bool) -> None:
        if self._write(
            f"rejected {candidate.label} {_short(candidate.text)}",
            lambda: self.review.reject(self.history, [candidate]),
        ):
            self._refresh_spans()
            if advance:
                self._advance(candidate.start)

    def action_accept_sentence(self) -> None:
        """`Y`: accept every candidate starting in the sentence at the cursor."""
        if not self._before_action():
            return
        from annotator.tui.suggesting import sentence_around

        assert self.doc is not None
        unit = sentence_around(self.index, self.view.cursor)
        found = (
            [c for c in self.review.pending(self.doc.id) if unit.start <= c.start < unit.end]
            if unit is not None
            else []
        )
        if not found:
            self._say("no candidates in this sentence")
            return
        if self._write(
            f"accepted {len(found)} in the sentence",
            lambda: self.review.accept(self.history, found),
        ):
            self._refresh_spans()

    def _relabel_to(self, label: str) -> None:
        """`r` then a label on a candidate: accept it under that label."""
        here = self.view.spans_at_cursor()
        if here and is_candidate(here[0]):
            candidate = self.review.candidate(here[0])
            if candidate is not None and self._write(
                f"accepted as {label}",
                lambda: self.review.accept(self.history, [candidate], label=label),
            ):
                self._refresh_spans()
            return
        super()._relabel_to(label)

    def decide_by_tagging(self, label: str, start: int, end: int) -> Span | None:
        return None  # candidates are not in GOLD: tagging adds GOLD's own span

    def action_help(self) -> None:
        self._pending = None
        from annotator.tui.screens.review_help import ReviewHelpScreen

        self.push_screen(ReviewHelpScreen(self.schema))

    def action_suggest(self) -> None:
        self._say("review: the suggestion engines are off (the candidates are the annotators')")

    def action_take_version(self) -> None:
        """`T`: GOLD takes one annotator's version of the whole article."""
        if not self._before_action():
            return
        from annotator.tui.screens.take_version import TakeVersionScreen

        assert self.doc is not None
        versions = self.review.candidates(self.doc.id).versions
        counts = [len(versions[name]) for name in self.review.names]
        choices = ", ".join(f"{i} = {name}" for i, name in enumerate(self.review.names, 1))
        self._say(f"take whose version? {choices} (Enter on the list; Esc cancels)")
        self.push_screen(TakeVersionScreen(self.review.names, counts), self._take_version)

    def _take_version(self, name: str | None) -> None:
        if name is None:
            self._say("take a version: cancelled")
            return
        if self.doc is None:
            return
        doc_id = self.doc.id
        if self._write(
            f"took {name}'s version",
            lambda: self.review.take_version(self.history, doc_id, name),
        ):
            self._refresh_spans()

    def action_mark_done(self) -> None:
        """`m`: mark the article reviewed, open the next with disagreements left."""
        if not self._before_action():
            return
        doc = self.doc
        assert doc is not None
        left = self.review.left(doc.id)
        if (
            self._write(
                "marked reviewed",
                lambda: self.review.mark_reviewed(self.history, doc.id, self.view.cursor),
            )
            is None
        ):
            return
        self._refresh_panels()
        target = self.review.next_document(doc.id)
        note = f" ({left} disagreements were left undecided)" if left else ""
        if target is None:
            self._say(f"saved · marked reviewed{note} · no article with disagreements left")
            return
        for i, row in enumerate(self.rows):
            if row.doc_id == target or self._doc_id_at(i) == target:
                self.open_article(i)
                break
        self._say(f"saved · marked reviewed{note}, opened the next article with disagreements")

    def _doc_id_at(self, position: int) -> str | None:
        result: Any = self.corpus.load(self.entries[position])
        return getattr(result, "id", None)


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
