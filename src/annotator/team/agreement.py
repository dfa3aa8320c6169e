"""Inter-annotator agreement over the documents several databases have in common.

Spans are compared per label: ``f1_exact`` matches (start, end, label), ``f1_overlap`` a span
overlapping one of the same label on the other side. ``kappa`` and ``alpha`` treat every token
of a document (the tokens of the spaCy export) as one unit per label, 1 when it lies inside (or
overlaps) a span of that label and 0 otherwise. "overall" pools the (token, label) units of all
chosen labels, so nested spans of different labels are each counted, never merged.

Cost: one tokenisation per document and a sort of each document's span boundaries; the token
units are never materialised one by one. A sweep over the boundaries gives, per label, how many
tokens each combination of annotators covers (a bitmask histogram), and every statistic is
computed from those histograms (:mod:`.measures`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, combinations
from operator import itemgetter
from pathlib import Path
from typing import Any

from annotator.model import Relation, Span

from .inputs import AnnotatorDB, choose_labels, close_inputs, common_documents, open_inputs
from .measures import F1Counts, alpha_binary, cohen_kappa, fleiss_kappa, mean
from .tokens import TokenPrefetch

_END = itemgetter(1)
_START = itemgetter(0)

Key = tuple[int, int, str]
LinkKey = tuple[Key, Key, str]


# ---------------------------------------------------------------------- per-document pieces


def token_ranges(tokens: Sequence[tuple[int, int]], spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Token index range ``[i, j)`` of each span: the tokens it overlaps (the spaCy export's
    token_start..token_end); a span over whitespace only covers none."""
    out = []
    for span in spans:
        i = bisect_right(tokens, span.start, key=_END)
        j = bisect_left(tokens, span.end, key=_START)
        if j > i:
            out.append((i, j))
    return out


def coverage(ranges_per_rater: Sequence[Sequence[tuple[int, int]]], n_tokens: int) -> Counter[int]:
    """Tokens per coverage mask: bit r set when rater r has the token inside one of its ranges.

    One sort of the range boundaries; nested or overlapping ranges of one rater count once.
    """
    events: list[tuple[int, int]] = []
    for r, ranges in enumerate(ranges_per_rater):
        bit = 1 << r
        last_start = last_end = -1
        for i, j in sorted(ranges):
            if i > last_end:  # disjoint from the run so far: close it, open a new one
                if last_end > last_start:
                    events += ((last_start, bit), (last_end, bit))
                last_start, last_end = i, j
            elif j > last_end:
                last_end = j
        if last_end > last_start:
            events += ((last_start, bit), (last_end, bit))
    events.sort(key=_START)
    hist: Counter[int] = Counter()
    mask = previous = 0
    for position, bit in events:
        if position > previous:
            hist[mask] += position - previous
            previous = position
        mask ^= bit
    if n_tokens > previous:
        hist[0] += n_tokens - previous
    return hist


def overlap_count(first: Sequence[Span], second: Sequence[Span]) -> int:
    """How many spans of ``first`` overlap some span of ``second`` (all of one label)."""
    if not first or not second:
        return 0
    ordered = sorted((s.start, s.end) for s in second)
    starts = [s for s, _e in ordered]
    reach: list[int] = []  # the furthest end among second's spans starting so far
    best = -1
    for _s, e in ordered:
        best = max(best, e)
        reach.append(best)
    count = 0
    for span in first:
        k = bisect_left(starts, span.end)  # second's spans starting before span ends
        if k and reach[k - 1] > span.start:
            count += 1
    return count


class _TokenIndex:
    """Token index of character offsets in one document (each boundary looked up once)."""

    def __init__(self, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.starts = starts
        self.ends = ends
        self._first: dict[int, int] = {}
        self._stop: dict[int, int] = {}

    def ranges(self, spans: dict[Key, Span]) -> list[tuple[int, int]]:
        """``[i, j)`` of the tokens each span overlaps (the spaCy export's token range)."""
        first, stop = self._first, self._stop
        out = []
        for start, end, _label in spans:
            i = first.get(start)
            if i is None:
                i = first[start] = bisect_right(self.ends, start)
            j = stop.get(end)
            if j is None:
                j = stop[end] = bisect_left(self.starts, end)
            if j > i:
                out.append((i, j))
        return out


def _overlapped(
    first: dict[Key, Span],
    second: dict[Key, Span],
    index: dict[int, tuple[list[int], list[int]]],
    side: int,
) -> int:
    """How many of ``first`` overlap a span of ``second`` (one label). A span with an exact
    twin overlaps it; only the others are looked up (``index`` caches ``second``'s starts and
    furthest ends, keyed by ``side``)."""
    rest = [key for key in first if key not in second]
    count = len(first) - len(rest)
    if not rest or not second:
        return count
    found = index.get(side)
    if found is None:
        ordered = sorted(second)
        starts = [key[0] for key in ordered]
        reach = list(accumulate((key[1] for key in ordered), max))
        found = index[side] = (starts, reach)
    starts, reach = found
    for start, end, _label in rest:
        k = bisect_left(starts, end)  # second's spans starting before this one ends
        if k and reach[k - 1] > start:
            count += 1
    return count


def pair_table(hist: Counter[int], a: int, b: int) -> tuple[int, int, int, int]:
    """The 2x2 table (n11, n10, n01, n00) of raters ``a`` and ``b`` from a coverage histogram."""
    n11 = n10 = n01 = n00 = 0
    bit_a, bit_b = 1 << a, 1 << b
    for mask, count in hist.items():
        if mask & bit_a:
            if mask & bit_b:
                n11 += count
            else:
                n10 += count
        elif mask & bit_b:
            n01 += count
        else:
            n00 += count
    return n11, n10, n01, n00


def ones_histogram(hist: Counter[int], raters: Sequence[int]) -> Counter[int]:
    """Units by how many of ``raters`` put them in class 1 (Fleiss' kappa, alpha)."""
    bits = [1 << r for r in raters]
    ones: Counter[int] = Counter()
    for mask, count in hist.items():
        ones[sum(1 for bit in bits if mask & bit)] += count
    return ones


def alpha_from(hist: Counter[int], raters: Sequence[int]) -> float | None:
    return alpha_binary(ones_histogram(hist, raters), len(raters))


def kappa_from(hist: Counter[int], a: int, b: int) -> float | None:
    return cohen_kappa(*pair_table(hist, a, b))


# ---------------------------------------------------------------------- the corpus


@dataclass
class DocumentFigures:
    doc_id: str
    title: str
    f1_exact: float | None
    kappa: float | None
    alpha: float | None
    disagreements: int  # distinct (start, end, label) not shared by every annotator
    spans: list[int]  # per annotator

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "f1_exact": self.f1_exact,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "disagreements": self.disagreements,
            "spans": self.spans,
        }

    @property
    def sort_key(self) -> tuple[float, float, int]:
        """Lowest agreement first; a document nobody tagged anything in sorts last."""
        f1 = 2.0 if self.f1_exact is None else self.f1_exact
        alpha = 2.0 if self.alpha is None else self.alpha
        return (f1, alpha, -self.disagreements)


@dataclass
class Agreement:
    """Accumulates documents; :meth:`result` gives the figures (a JSON-ready dict)."""

    names: list[str]
    labels: list[str]
    relation_labels: list[str]
    tokens: int = 0
    hist: dict[str, Counter[int]] = field(default_factory=dict)
    f1: dict[tuple[int, int, str], F1Counts] = field(default_factory=dict)
    links: dict[tuple[int, int, str], F1Counts] = field(default_factory=dict)
    span_counts: dict[str, list[int]] = field(default_factory=dict)
    link_counts: dict[str, list[int]] = field(default_factory=dict)
    documents: list[DocumentFigures] = field(default_factory=list)

    def __post_init__(self) -> None:
        m = len(self.names)
        self._chosen = set(self.labels)
        self.pairs = list(combinations(range(m), 2))
        for label in self.labels:
            self.hist[label] = Counter()
            self.span_counts[label] = [0] * m
            for a, b in self.pairs:
                self.f1[(a, b, label)] = F1Counts()
        for label in self.relation_labels:
            self.link_counts[label] = [0] * m
            for a, b in self.pairs:
                self.links[(a, b, label)] = F1Counts()

    def add_document(
        self,
        doc_id: str,
        title: str,
        tokens: tuple[Sequence[int], Sequence[int]],
        spans: Sequence[Sequence[Span]],
        relations: Sequence[Sequence[Relation]] = (),
    ) -> DocumentFigures:
        """One document: ``spans[r]`` are rater r's decided spans (any labels, any order);
        ``tokens`` the starts and ends of its tokens (:func:`.tokens.token_bounds`)."""
        m = len(self.names)
        chosen = self._chosen
        by_label: list[dict[str, dict[Key, Span]]] = []
        for rater_spans in spans:
            groups: dict[str, dict[Key, Span]] = {}
            for span in rater_spans:  # one span per (start, end, label), as a store keeps them
                label = span.label
                if label in chosen:
                    group = groups.get(label)
                    if group is None:
                        group = groups[label] = {}
                    group.setdefault(span.key, span)
            by_label.append(groups)
        starts, ends = tokens
        n = len(starts)
        self.tokens += n
        to_tokens = _TokenIndex(starts, ends)
        doc_hist: Counter[int] = Counter()
        doc_f1 = {pair: F1Counts() for pair in self.pairs}
        disagreements = 0
        empty: dict[Key, Span] = {}
        for label in self.labels:
            groups_l = [g.get(label, empty) for g in by_label]
            if not any(groups_l):
                doc_hist[0] += n
                self.hist[label][0] += n
                continue
            counts_l = self.span_counts[label]
            for r, group in enumerate(groups_l):
                counts_l[r] += len(group)
            union = set().union(*groups_l)
            disagreements += len(union) - len(union.intersection(*groups_l))
            hist = coverage([to_tokens.ranges(group) for group in groups_l], n)
            self.hist[label].update(hist)
            doc_hist.update(hist)
            reach: dict[int, tuple[list[int], list[int]]] = {}
            for a, b in self.pairs:
                ga, gb = groups_l[a], groups_l[b]
                counts = F1Counts(
                    a=len(ga),
                    b=len(gb),
                    exact=len(ga.keys() & gb.keys()),
                    a_overlapped=_overlapped(ga, gb, reach, b),
                    b_overlapped=_overlapped(gb, ga, reach, a),
                )
                self.f1[(a, b, label)].add(counts)
                doc_f1[(a, b)].add(counts)
        if relations and self.relation_labels:
            self._add_links(spans, relations)
        raters = range(m)
        figures = DocumentFigures(
            doc_id=doc_id,
            title=title,
            f1_exact=mean(doc_f1[pair].f1_exact for pair in self.pairs),
            kappa=mean(kappa_from(doc_hist, a, b) for a, b in self.pairs),
            alpha=alpha_binary(ones_histogram(doc_hist, raters), m),
            disagreements=disagreements,
            spans=[sum(len(g) for g in groups.values()) for groups in by_label],
        )
        self.documents.append(figures)
        return figures

    def _add_links(
        self, spans: Sequence[Sequence[Span]], relations: Sequence[Sequence[Relation]]
    ) -> None:
        chosen = set(self.labels)
        keysets: list[dict[str, set[LinkKey]]] = []
        for r, rels in enumerate(relations):
            by_id = {s.id: s for s in spans[r]}
            groups: dict[str, set[LinkKey]] = {}
            for rel in rels:
                head, child = by_id.get(rel.head), by_id.get(rel.child)
                if head is None or child is None or rel.label not in self.link_counts:
                    continue
                if head.label not in chosen or child.label not in chosen:
                    continue
                groups.setdefault(rel.label, set()).add((head.key, child.key, rel.label))
            keysets.append(groups)
        for label in self.relation_labels:
            sets = [g.get(label, set()) for g in keysets]
            for r, keys in enumerate(sets):
                self.link_counts[label][r] += len(keys)
            for a, b in self.pairs:
                self.links[(a, b, label)].add(
                    F1Counts(a=len(sets[a]), b=len(sets[b]), exact=len(sets[a] & sets[b]))
                )

    # ------------------------------------------------------------------ results

    def _pair_figures(self, a: int, b: int, hist: Counter[int], counts: F1Counts) -> dict[str, Any]:
        return {
            "f1_exact": counts.f1_exact,
            "f1_overlap": counts.f1_overlap,
            "kappa": kappa_from(hist, a, b),
            "alpha": alpha_from(hist, (a, b)),
        }

    def _summary(
        self, hist: Counter[int], per_pair: dict[tuple[int, int], F1Counts]
    ) -> dict[str, Any]:
        pairs = [self._pair_figures(a, b, hist, per_pair[(a, b)]) for a, b in self.pairs]
        figures: dict[str, Any] = {
            "f1_exact": mean(p["f1_exact"] for p in pairs),
            "f1_overlap": mean(p["f1_overlap"] for p in pairs),
            "kappa": mean(p["kappa"] for p in pairs),
            "alpha": alpha_from(hist, range(len(self.names))),
        }
        if len(self.names) >= 3:
            figures["fleiss_kappa"] = fleiss_kappa(
                ones_histogram(hist, range(len(self.names))), len(self.names)
            )
        return figures

    def _overall_hist(self) -> Counter[int]:
        total: Counter[int] = Counter()
        for hist in self.hist.values():
            total.update(hist)
        return total

    def _overall_counts(self, a: int, b: int) -> F1Counts:
        total = F1Counts()
        for label in self.labels:
            total.add(self.f1[(a, b, label)])
        return total

    def result(self) -> dict[str, Any]:
        labels: dict[str, Any] = {}
        for label in self.labels:
            per_pair = {(a, b): self.f1[(a, b, label)] for a, b in self.pairs}
            labels[label] = {
                **self._summary(self.hist[label], per_pair),
                "spans": dict(zip(self.names, self.span_counts[label], strict=True)),
            }
        overall_hist = self._overall_hist()
        overall_counts = {(a, b): self._overall_counts(a, b) for a, b in self.pairs}
        pairs = []
        for a, b in self.pairs:
            pairs.append(
                {
                    "a": self.names[a],
                    "b": self.names[b],
                    "labels": {
                        label: self._pair_figures(a, b, self.hist[label], self.f1[(a, b, label)])
                        for label in self.labels
                    },
                    "overall": self._pair_figures(a, b, overall_hist, overall_counts[(a, b)]),
                    "relations": {
                        label: {"f1_exact": self.links[(a, b, label)].f1_exact}
                        for label in self.relation_labels
                    },
                }
            )
        relations: dict[str, Any] = {}
        for label in self.relation_labels:
            relations[label] = {
                "f1_exact": mean(self.links[(a, b, label)].f1_exact for a, b in self.pairs),
                "links": dict(zip(self.names, self.link_counts[label], strict=True)),
            }
        link_totals = {}
        for a, b in self.pairs:
            total = F1Counts()
            for label in self.relation_labels:
                total.add(self.links[(a, b, label)])
            link_totals[(a, b)] = total.f1_exact
        relations["overall"] = {"f1_exact": mean(link_totals.values())}
        return {
            "annotators": list(self.names),
            "documents_compared": len(self.documents),
            "tokens": self.tokens,
            "labels": labels,
            "overall": self._summary(overall_hist, overall_counts),
            "pairs": pairs,
            "relations": relations,
            "documents": [d.to_json() for d in sorted(self.documents, key=lambda d: d.sort_key)],
        }


def agree(
    inputs: Sequence[AnnotatorDB],
    *,
    labels: str | Sequence[str] | None = None,
    only_done: bool = False,
    tokens: TokenPrefetch | None = None,
) -> dict[str, Any]:
    """Agreement of ``inputs`` over the documents they all hold (see the module docstring).

    ``tokens``: token bounds prefetched (:func:`agree_paths` starts them early)."""
    chosen = choose_labels(inputs, labels)
    doc_ids = common_documents(inputs, only_done=only_done)
    relation_labels: dict[str, None] = {}
    for db in inputs:
        relation_labels.update(dict.fromkeys(db.store.relation_schema.names))
    result = Agreement([db.name for db in inputs], chosen, list(relation_labels))
    first = inputs[0].store
    infos = [info for info in map(first.document, doc_ids) if info is not None]
    own = tokens is None
    if tokens is None:
        tokens = TokenPrefetch([(info.id, info.text) for info in infos])
    try:
        for info in infos:
            result.add_document(
                info.id,
                info.title,
                tokens.get(info.id, info.text),
                [db.spans(info.id) for db in inputs],
                [db.store.relations(info.id) for db in inputs],
            )
    finally:
        if own:
            tokens.close()
    figures = result.result()
    figures["databases"] = [{"path": str(db.path), "annotator": db.name} for db in inputs]
    return figures


def agree_paths(
    paths: Sequence[str | Path],
    *,
    labels: str | Sequence[str] | None = None,
    only_done: bool = False,
) -> dict[str, Any]:
    """Open the databases read-only and compute their agreement. The first database's
    documents are tokenised in a worker while the others load (tokenising is most of the
    work)."""
    prefetch: list[TokenPrefetch] = []

    def start(store: Any) -> None:
        prefetch.append(TokenPrefetch([(info.id, info.text) for info in store.documents()]))

    inputs: list[AnnotatorDB] = []
    try:
        inputs = open_inputs(paths, after_first=start)
        return agree(inputs, labels=labels, only_done=only_done, tokens=prefetch[0])
    finally:
        for job in prefetch:
            job.close()
        close_inputs(inputs)
