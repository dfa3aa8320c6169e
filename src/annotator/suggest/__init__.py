"""Pre-annotation: engines that suggest spans for the annotator to accept or reject.

Engines need no network and no model download. ``suggest`` runs them on one document and
returns ``Suggestion`` records (``doc.text[start:end]`` exact, on token boundaries, never in
boilerplate or the date line); ``run_suggestions`` writes them to a store as origin
"suggested" spans, never touching or duplicating existing spans and never re-offering a
rejected one (see ``rejections``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import Document
from annotator.suggest import claims, gazetteer, learned, patterns, spacy_engine
from annotator.suggest._common import Words
from annotator.suggest.conflicts import ENTITY_LABELS, ConflictIndex
from annotator.suggest.rejections import load_rejections, record_rejection, reject
from annotator.suggest.spacy_engine import EngineUnavailable
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

__all__ = [
    "DEFAULT_ENGINES",
    "ENGINES",
    "EngineUnavailable",
    "SuggestReport",
    "Suggestion",
    "load_rejections",
    "new_suggestions",
    "record_rejection",
    "reject",
    "run_suggestions",
    "store_suggestions",
    "suggest",
]

Engine = Callable[..., list[Suggestion]]


def _learned(
    doc: Document,
    index: TextIndex,
    words: Words,
    *,
    store: Any = None,
    vocab: dict[str, str] | None = None,
) -> list[Suggestion]:
    return learned.suggest(doc, index, words, store=store, vocab=vocab)


def _model(doc: Document, index: TextIndex, words: Words, *, store: Any = None, **_: Any):
    from annotator.learn import engine  # CRFsuite loads with the first suggestion, not at start

    return engine.suggest(doc, index, words, store=store)


ENGINES: dict[str, Engine] = {
    "gazetteer": lambda doc, index, words, **_: gazetteer.suggest(doc, index, words),
    "patterns": lambda doc, index, words, **_: patterns.suggest(doc, index, words),
    "claims": lambda doc, index, words, **_: claims.suggest(doc, index, words),
    "learned": _learned,
    "spacy": lambda doc, index, words, **_: spacy_engine.suggest(doc, index, words),
    # the model trained on the user's finished articles, stacked on the three rule engines
    # above; the rules alone until there is a model (annotator.learn)
    "model": _model,
}
DEFAULT_ENGINES = ("model", "learned")


def suggest(
    doc: Document,
    index: TextIndex,
    *,
    engines: Sequence[str] = DEFAULT_ENGINES,
    store: Any = None,
    messages: list[str] | None = None,
    vocab: dict[str, str] | None = None,
) -> list[Suggestion]:
    """Suggestions for one document, combined across ``engines`` and de-duplicated.

    Unknown engines raise ValueError; an optional engine that cannot run here (spaCy without
    a pipeline) is skipped with a line appended to ``messages``.
    """
    unknown = [name for name in engines if name not in ENGINES]
    if unknown:
        raise ValueError(
            f"unknown suggestion engine(s): {', '.join(unknown)} (known: {', '.join(ENGINES)})"
        )
    words = Words(doc.text, index)
    found: list[Suggestion] = []
    for name in engines:
        try:
            found.extend(ENGINES[name](doc, index, words, store=store, vocab=vocab))
        except EngineUnavailable as exc:
            if messages is not None:
                messages.append(str(exc))
    return combine(doc, words, found)


def combine(doc: Document, words: Words, found: Iterable[Suggestion]) -> list[Suggestion]:
    """Drop invalid and boilerplate suggestions; resolve overlapping ACTOR/LOCATION ones.

    Entities do not nest among themselves: of overlapping ACTOR/LOCATION suggestions the
    higher score wins (then the longer). CLAIMs may contain entities; a CLAIM inside another
    CLAIM is dropped.
    """
    text = doc.text
    boilerplate = _Intervals(_merged(doc.boilerplate))
    valid: dict[tuple[int, int, str], Suggestion] = {}
    for s in found:
        if not (0 <= s.start < s.end <= len(text)) or not words.on_boundaries(s.start, s.end):
            continue
        if boilerplate.overlaps(s.start, s.end):
            continue
        if doc.date_span and s.start < doc.date_span[1] and doc.date_span[0] < s.end:
            continue
        old = valid.get(s.key)
        if old is None or s.score > old.score:
            valid[s.key] = s
    entities = sorted(
        (s for s in valid.values() if s.label in ENTITY_LABELS),
        key=lambda s: (-s.score, -(s.end - s.start), s.start),
    )
    kept: list[Suggestion] = []
    taken = _Intervals([])
    for s in entities:
        if not taken.overlaps(s.start, s.end):
            taken.add(s.start, s.end)
            kept.append(s)
    others = sorted(
        (s for s in valid.values() if s.label not in ENTITY_LABELS),
        key=lambda s: (s.start, -s.end),
    )
    reach = -1  # the furthest end of the CLAIMs before this one (by start, longest first)
    for s in others:
        if s.label == "CLAIM":
            if reach >= s.end:
                continue  # inside a longer CLAIM
            reach = s.end
        kept.append(s)
    kept.sort(key=lambda s: (s.start, -s.end, s.label))
    return kept


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


class _Intervals:
    """Disjoint half-open intervals kept sorted: overlap tests in O(log n)."""

    def __init__(self, intervals: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in intervals]
        self.ends = [b for _, b in intervals]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:  # the interval starting at or before ``start``
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


@dataclass
class SuggestReport:
    documents: int = 0
    added: int = 0
    skipped_existing: int = 0
    skipped_rejected: int = 0
    by_engine: dict[str, int] = field(default_factory=dict)
    by_label: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def new_suggestions(
    doc: Document,
    suggestions: Iterable[Suggestion],
    existing: Iterable[Any],
    rejected: Container[tuple[int, int, str]] = frozenset(),
    report: SuggestReport | None = None,
) -> list[Suggestion]:
    """The ``suggestions`` to write: not rejected before, and not decided by an ``existing``
    span nor by one kept earlier in the list (see :class:`ConflictIndex`); O(k log n)."""
    index = ConflictIndex(len(doc.text), existing)
    kept: list[Suggestion] = []
    for s in suggestions:
        if s.key in rejected:
            if report is not None:
                report.skipped_rejected += 1
            continue
        if index.conflicts(s):
            if report is not None:
                report.skipped_existing += 1
            continue
        index.add(s)
        kept.append(s)
    return kept


def store_suggestions(
    store: Any, doc: Document, suggestions: Sequence[Suggestion], *, target: Any = None
) -> list[Any]:
    """Write ``suggestions`` as origin "suggested" spans (annotator ``suggest:<engine>``) in one
    batch: one journal line, all or nothing. ``target``: what ``add_spans`` is called on (the
    store, or a ``History`` so that the batch is one undo step); default the store."""
    target = store if target is None else target
    by_engine: dict[str, list[tuple[int, int, str]]] = {}
    for s in suggestions:
        by_engine.setdefault(s.engine, []).append(s.key)
    spans: list[Any] = []
    with store.batch():
        if not by_engine:
            store.add_document(doc)
        for engine, keys in by_engine.items():
            spans += target.add_spans(doc, keys, origin="suggested", annotator=f"suggest:{engine}")
    return spans


def run_suggestions(
    store: Any,
    corpus: Any,
    *,
    engines: Sequence[str] = DEFAULT_ENGINES,
    doc_ids: Iterable[str] | None = None,
) -> SuggestReport:
    """Write suggestions for the corpus (or ``doc_ids``) into ``store`` as "suggested" spans."""
    wanted = set(doc_ids) if doc_ids is not None else None
    report = SuggestReport()
    vocab = learned.vocabulary(store) if "learned" in engines else None
    messages: list[str] = []
    for doc in corpus:
        if wanted is not None and doc.id not in wanted:
            continue
        report.documents += 1
        found = suggest(
            doc, TextIndex(doc.text), engines=engines, store=store, messages=messages, vocab=vocab
        )
        refused = store.rejected(doc.id) if doc.id in store else set()
        kept = new_suggestions(doc, found, store.spans(doc.id), refused, report)
        store_suggestions(store, doc, kept)
        for s in kept:
            report.added += 1
            report.by_engine[s.engine] = report.by_engine.get(s.engine, 0) + 1
            report.by_label[s.label] = report.by_label.get(s.label, 0) + 1
    report.messages = list(dict.fromkeys(messages))
    return report
