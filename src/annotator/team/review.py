"""Adjudication: several annotators' spans as candidates, decided one by one into a GOLD store.

The inputs are read-only; GOLD is an ordinary annotator database. A *candidate* is a distinct
(start, end, label) some input has, with the annotators who had it; it is *agreed* when every
input has it. A candidate is decided when GOLD holds a span with its key (accepted) or a
rejection of its key (rejected, kept in GOLD like a rejected suggestion); the rest are pending,
and the pending candidates that are not agreed are the article's *disagreements*.

Every decision goes through :class:`ReviewHistory` (an :class:`annotator.history.History`), so
it is undoable, and each step is one journal record when the store offers batches. Accepted
spans have origin ``reviewed`` and keep who had them (``Span.annotators``). Links every input
has come along once both of their ends are in GOLD; taking one annotator's version of an
article brings that annotator's links.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from annotator.corpus import Corpus, Entry, Skipped
from annotator.history import History
from annotator.model import Document, Span, make_span
from annotator.store import Store

from .inputs import AnnotatorDB, common_documents
from .merge import link_keys

Key = tuple[int, int, str]
LinkKey = tuple[Key, Key, str]
CANDIDATE_PREFIX = "candidate:"


@dataclass(frozen=True)
class Candidate:
    doc_id: str
    start: int
    end: int
    label: str
    text: str
    annotators: tuple[str, ...]  # who had it, in input order
    agreed: bool

    @property
    def key(self) -> Key:
        return (self.start, self.end, self.label)

    def as_span(self) -> Span:
        """The candidate as the article view draws it: a suggestion (dimmed, `y`/`n`)."""
        return Span(
            id=candidate_id(self.key),
            doc_id=self.doc_id,
            start=self.start,
            end=self.end,
            label=self.label,
            text=self.text,
            annotator=", ".join(self.annotators),
            origin="suggested",
            annotators=self.annotators,
        )


def candidate_id(key: Key) -> str:
    return f"{CANDIDATE_PREFIX}{key[0]}:{key[1]}:{key[2]}"


def is_candidate(span: Span) -> bool:
    return span.id.startswith(CANDIDATE_PREFIX)


@dataclass
class DocCandidates:
    """Everything the inputs say about one document (they are read-only: computed once)."""

    doc: Document
    candidates: list[Candidate]  # document order
    by_key: dict[Key, Candidate]
    versions: dict[str, set[Key]]  # each annotator's spans
    links: dict[str, set[LinkKey]]  # each annotator's links
    agreed_links: set[LinkKey]
    _starts: list[int] = field(default_factory=list)
    _reach: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        best = -1
        for c in self.candidates:
            self._starts.append(c.start)
            best = max(best, c.end)
            self._reach.append(best)

    def overlapping(self, start: int, end: int) -> list[Candidate]:
        """Candidates overlapping ``start..end`` (competing versions of that stretch)."""
        k = bisect_left(self._starts, end)
        out = []
        for i in range(k - 1, -1, -1):
            if self._reach[i] <= start:
                break
            c = self.candidates[i]
            if c.end > start:
                out.append(c)
        out.reverse()
        return out


def _batch(store: Any) -> contextlib.AbstractContextManager[Any]:
    """One journal record for everything inside, when the store offers batches."""
    batch = getattr(store, "batch", None)
    return batch() if batch is not None else contextlib.nullcontext()


# ---------------------------------------------------------------------- undoable operations


@dataclass(frozen=True)
class RejectCandidate:
    """A candidate rejected in GOLD: kept as a rejected suggestion of its key (``placeholder``
    is the suggested span that carried it in). Undo forgets the rejection."""

    placeholder: Span

    @property
    def doc_id(self) -> str:
        return self.placeholder.doc_id

    @property
    def offset(self) -> int:
        return self.placeholder.start

    def undo(self, store: Any) -> None:
        with _batch(store):
            store.unreject(self.placeholder)
            store.remove_span(self.placeholder.id)

    def redo(self, store: Any) -> None:
        with _batch(store):
            store.restore_span(self.placeholder)
            store.reject_suggestion(self.placeholder.id)


@dataclass(frozen=True)
class AcceptRejected:
    """A candidate rejected before, now accepted (taking a version): the rejection goes."""

    span: Span

    @property
    def doc_id(self) -> str:
        return self.span.doc_id

    @property
    def offset(self) -> int:
        return self.span.start

    def undo(self, store: Any) -> None:
        with _batch(store):
            store.set_origin(self.span.id, "suggested")
            store.reject_suggestion(self.span.id)

    def redo(self, store: Any) -> None:
        store.unreject(self.span)


class ReviewHistory(History):
    """History with the review's decisions; each is one undo step."""

    def _reject_key(self, store: Store, doc: Document, c: Candidate) -> None:
        with _batch(store):
            placeholder = store.add_span(
                doc, c.start, c.end, c.label, origin="suggested", annotator="review"
            )
            store.reject_suggestion(placeholder.id)
        self._record(RejectCandidate(placeholder), f"reject {c.label}")

    def _accept(self, store: Store, doc: Document, c: Candidate, label: str | None) -> Span:
        label = label or c.label
        if (c.start, c.end, label) in store.rejected(doc.id):
            span = make_span(
                doc.id,
                doc.text,
                c.start,
                c.end,
                label,
                annotator=store.annotator,
                origin="reviewed",
                annotators=c.annotators,
            )
            store.unreject(span)
            self._record(AcceptRejected(span), f"accept {label}")
            return span
        span, _created = self.add_span(
            doc,
            c.start,
            c.end,
            label,
            origin="reviewed",
            annotator=store.annotator,
            annotators=c.annotators,
        )
        return span


# ---------------------------------------------------------------------- the review


class Review:
    """The candidates of every document the inputs share, and the decisions in ``gold``."""

    def __init__(
        self, inputs: Sequence[AnnotatorDB], gold: Store, *, accept_agreed: bool = True
    ) -> None:
        self.inputs = list(inputs)
        self.gold = gold
        self.auto_accept = accept_agreed
        self.names = [db.name for db in inputs]
        self.doc_ids = common_documents(inputs)
        self._docs: dict[str, DocCandidates] = {}
        self._left: dict[str, int] = {}  # counted in this session (fresh)
        self._counts: dict[str, int] | None = None  # the whole corpus, counted once
        self._counts_total = (0, 0)

    # ------------------------------------------------------------------ reading

    def document(self, doc_id: str) -> Document:
        found = self._docs.get(doc_id)
        if found is not None:
            return found.doc
        info = self.inputs[0].store.document(doc_id)
        assert info is not None
        return info.to_document()

    def candidates(self, doc_id: str) -> DocCandidates:
        found = self._docs.get(doc_id)
        if found is None:
            found = self._docs[doc_id] = self._read(doc_id)
        return found

    def _read(self, doc_id: str) -> DocCandidates:
        info = self.inputs[0].store.document(doc_id)
        assert info is not None
        doc = info.to_document()
        who: dict[Key, list[str]] = {}
        versions: dict[str, set[Key]] = {}
        links: dict[str, set[LinkKey]] = {}
        for db in self.inputs:
            spans = db.spans(doc_id)
            keys = {s.key for s in spans}
            versions[db.name] = keys
            links[db.name] = link_keys(spans, db.store.relations(doc_id))
            for key in keys:
                who.setdefault(key, []).append(db.name)
        m = len(self.inputs)
        ordered = sorted(who, key=lambda k: (k[0], -k[1], k[2]))
        candidates = [
            Candidate(
                doc_id,
                s,
                e,
                label,
                doc.text[s:e],
                tuple(who[(s, e, label)]),
                len(who[(s, e, label)]) == m,
            )
            for s, e, label in ordered
        ]
        agreed_links = set.intersection(*links.values()) if links else set()
        return DocCandidates(
            doc, candidates, {c.key: c for c in candidates}, versions, links, agreed_links
        )

    def decided_keys(self, doc_id: str) -> tuple[set[Key], set[Key]]:
        """(keys of GOLD's spans, keys GOLD rejected) for the document."""
        spans = [s for s in self.gold.spans(doc_id) if s.origin != "suggested"]
        return {s.key for s in spans}, self.gold.rejected(doc_id)

    def pending(self, doc_id: str) -> list[Candidate]:
        """Candidates not decided in GOLD, in document order."""
        accepted, rejected = self.decided_keys(doc_id)
        return [
            c
            for c in self.candidates(doc_id).candidates
            if c.key not in accepted and c.key not in rejected
        ]

    def disagreements(self, doc_id: str) -> list[Candidate]:
        """The pending candidates the reviewer has to decide (agreed ones are accepted by
        themselves unless ``accept_agreed`` is off)."""
        found = self.pending(doc_id)
        if self.auto_accept:
            found = [c for c in found if not c.agreed]
        return found

    def left(self, doc_id: str) -> int:
        """Disagreements left in the document (cached; :meth:`refresh` after a change)."""
        count = self._left.get(doc_id)
        if count is None:
            count = self._left[doc_id] = len(self.disagreements(doc_id))
        return count

    def refresh(self, doc_id: str) -> int:
        self._left.pop(doc_id, None)
        return self.left(doc_id)

    def count_corpus(self) -> dict[str, int]:
        """Disagreements left per document, over the whole corpus (reads every document:
        :func:`count_disagreements` does it in another process for a large corpus)."""
        return {d: len(self.disagreements(d)) for d in self.doc_ids}

    def set_counts(self, counts: dict[str, int]) -> None:
        """The corpus count (from :meth:`count_corpus` or a worker); this session's own
        counts of the documents it touched take precedence over it."""
        self._counts = counts
        self._counts_total = (sum(counts.values()), sum(1 for n in counts.values() if n))

    def corpus_left(self) -> tuple[int, int] | None:
        """(disagreements left in the corpus, articles holding them); None until counted.
        Costs one step per document touched in this session, not per document."""
        if self._counts is None:
            return None
        total, articles = self._counts_total
        for doc_id, n in self._left.items():
            before = self._counts.get(doc_id, 0)
            total += n - before
            articles += (n > 0) - (before > 0)
        return total, articles

    def next_document(self, after: str | None) -> str | None:
        """The next document (wrapping) with disagreements left and not marked reviewed."""
        n = len(self.doc_ids)
        start = self.doc_ids.index(after) if after in self.doc_ids else -1
        for k in range(1, n + 1):
            doc_id = self.doc_ids[(start + k) % n]
            if doc_id == after:
                continue
            if self.gold.status(doc_id) != "done" and self._known_left(doc_id):
                return doc_id
        return None

    def _known_left(self, doc_id: str) -> int:
        """This session's count, else the corpus count, else counted now."""
        if doc_id not in self._left and self._counts is not None and doc_id in self._counts:
            return self._counts[doc_id]
        return self.left(doc_id)

    def versions_at(self, doc_id: str, start: int, end: int) -> dict[str, list[Candidate]]:
        """Each annotator's spans overlapping ``start..end``: the competing versions."""
        found = self.candidates(doc_id).overlapping(start, end)
        return {name: [c for c in found if name in c.annotators] for name in self.names}

    def candidate_spans(self, doc_id: str) -> list[Span]:
        return [c.as_span() for c in self.pending(doc_id)]

    def candidate(self, span: Span) -> Candidate | None:
        """The candidate a drawn span stands for (None for GOLD's own spans)."""
        if not is_candidate(span):
            return None
        return self.candidates(span.doc_id).by_key.get(span.key)

    # ------------------------------------------------------------------ deciding

    def _links_to_add(
        self, doc_id: str, links: Iterable[LinkKey]
    ) -> Iterator[tuple[str, str, str]]:
        gold_ids = {s.key: s.id for s in self.gold.spans(doc_id) if s.origin != "suggested"}
        existing = {(r.head, r.child, r.label) for r in self.gold.relations(doc_id)}
        for head, child, label in sorted(links):
            h, c = gold_ids.get(head), gold_ids.get(child)
            if h is not None and c is not None and (h, c, label) not in existing:
                existing.add((h, c, label))
                yield h, c, label

    def _add_links(self, history: History, doc_id: str, links: Iterable[LinkKey]) -> None:
        for h, c, label in list(self._links_to_add(doc_id, links)):
            history.add_relation(h, c, label, origin="reviewed")

    def _started(self, history: History, doc: Document, offset: int) -> None:
        if self.gold.status(doc.id) == "new":
            history.set_status(doc.id, "in_progress", offset=offset)

    def accept(
        self, history: ReviewHistory, candidates: Sequence[Candidate], *, label: str | None = None
    ) -> int:
        """Accept ``candidates`` into GOLD (one undo step); ``label``: under another label."""
        if not candidates:
            return 0
        doc = self.document(candidates[0].doc_id)
        what = (
            f"accept {len(candidates)}" if len(candidates) > 1 else f"accept {candidates[0].label}"
        )
        with _batch(self.gold), history.group(what):
            self.gold.add_document(doc)
            for c in candidates:
                history._accept(self.gold, doc, c, label)
            self._add_links(history, doc.id, self.candidates(doc.id).agreed_links)
            self._started(history, doc, candidates[0].start)
        self.refresh(doc.id)
        return len(candidates)

    def accept_agreed(self, history: ReviewHistory, doc_id: str) -> int:
        """Accept every pending candidate all annotators share (one undo step)."""
        agreed = [c for c in self.pending(doc_id) if c.agreed]
        return self.accept(history, agreed)

    def reject(self, history: ReviewHistory, candidates: Sequence[Candidate]) -> int:
        """Reject ``candidates`` (kept as rejections in GOLD; one undo step)."""
        if not candidates:
            return 0
        doc = self.document(candidates[0].doc_id)
        what = (
            f"reject {len(candidates)}" if len(candidates) > 1 else f"reject {candidates[0].label}"
        )
        with _batch(self.gold), history.group(what):
            self.gold.add_document(doc)
            for c in candidates:
                history._reject_key(self.gold, doc, c)
            self._started(history, doc, candidates[0].start)
        self.refresh(doc.id)
        return len(candidates)

    def take_version(self, history: ReviewHistory, doc_id: str, name: str) -> int:
        """GOLD's spans of the article become ``name``'s version (with its links): its spans
        accepted, every other candidate rejected, GOLD spans it lacks removed. One step."""
        info = self.candidates(doc_id)
        doc = info.doc
        version = info.versions[name]
        with _batch(self.gold), history.group(f"take {name}'s version"):
            self.gold.add_document(doc)
            for span in self.gold.spans(doc_id):
                if span.origin == "suggested" or span.key in version:
                    continue
                history.remove_span(span.id)
            rejected = self.gold.rejected(doc_id)
            for c in info.candidates:
                if c.key in version:
                    history._accept(self.gold, doc, c, None)
                elif c.key not in rejected:
                    history._reject_key(self.gold, doc, c)
            self._add_links(history, doc_id, info.links[name])
            self._started(history, doc, 0)
        self.refresh(doc_id)
        return len(version)

    def mark_reviewed(self, history: History, doc_id: str, offset: int = 0) -> str:
        """GOLD's status of the document becomes done; returns the previous one."""
        with history.group("mark reviewed"):
            self.gold.add_document(self.document(doc_id))
            return history.set_status(doc_id, "done", offset=offset)


def count_disagreements(
    input_paths: Sequence[str], gold_path: str, accept_agreed: bool
) -> dict[str, int]:
    """Disagreements left per document, read from the files (read-only): run in a worker
    process so that counting a large corpus never holds the app's interpreter."""
    from annotator.store import open_store

    from .inputs import close_inputs, open_inputs

    inputs = open_inputs(input_paths)
    try:
        with open_store(gold_path, readonly=True) as gold:
            return Review(inputs, gold, accept_agreed=accept_agreed).count_corpus()
    finally:
        close_inputs(inputs)


# ---------------------------------------------------------------------- a corpus from stores


class StoredCorpus(Corpus):
    """The review's articles, from the databases (no files needed): a Corpus the app can open."""

    def __init__(self, documents: Sequence[Document], name: str = "review") -> None:
        from pathlib import Path

        entries: list[Entry] = []
        seen: set[str] = set()
        self._stored: dict[str, Document] = {}
        for doc in documents:
            label = doc.path or doc.id
            if label in seen:
                label = f"{label} ({doc.id})"
            seen.add(label)
            entries.append(Entry("", label))
            self._stored[label] = doc
        super().__init__(Path(name), entries, [])

    def _read(self, entry: Entry) -> Document | Skipped:
        return self._stored[entry.name]

    def preview(self, entry: Entry) -> tuple[str, datetime | None]:
        doc = self._stored[entry.name]
        return doc.title, doc.date


__all__ = [
    "AcceptRejected",
    "Candidate",
    "DocCandidates",
    "RejectCandidate",
    "Review",
    "ReviewHistory",
    "StoredCorpus",
    "candidate_id",
    "is_candidate",
]
