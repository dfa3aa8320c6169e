"""Precision, recall and F1 per label, exact and overlap, of predicted spans against gold spans.

Exact: the same (start, end, label). Overlap: a prediction counts as right when it overlaps a
gold span of its label, and a gold span as found when a prediction of its label overlaps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Key = tuple[int, int, str]


@dataclass(frozen=True)
class Score:
    label: str
    predicted: int
    gold: int
    tp_predicted: int  # predictions that are right
    tp_gold: int  # gold spans found

    @property
    def precision(self) -> float:
        return self.tp_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Report:
    exact: dict[str, Score]
    overlap: dict[str, Score]

    def table(self) -> str:
        """A plain text table: label, exact P/R/F1, overlap P/R/F1, predicted, gold."""
        rows = [f"{'label':10} {'P':>5} {'R':>5} {'F1':>5} | {'oP':>5} {'oR':>5} {'oF1':>5} | "
                f"{'pred':>5} {'gold':>5}"]  # fmt: skip
        for label, e in self.exact.items():
            o = self.overlap[label]
            rows.append(
                f"{label:10} {e.precision:5.2f} {e.recall:5.2f} {e.f1:5.2f} | "
                f"{o.precision:5.2f} {o.recall:5.2f} {o.f1:5.2f} | {e.predicted:5} {e.gold:5}"
            )
        return "\n".join(rows)


def _overlaps(a: Key, spans: Sequence[Key]) -> bool:
    return any(s[0] < a[1] and a[0] < s[1] for s in spans)


def score(
    pairs: Iterable[tuple[Iterable[Key], Iterable[Key]]], labels: Sequence[str] | None = None
) -> Report:
    """``pairs``: (predicted, gold) span keys per document. ``labels``: default all seen."""
    counts: dict[str, list[int]] = {}  # label -> [pred, gold, tp_p, tp_g, otp_p, otp_g]
    for predicted, gold in pairs:
        predicted, gold = set(predicted), set(gold)
        by_label: dict[str, tuple[list[Key], list[Key]]] = {}
        for key in predicted:
            by_label.setdefault(key[2], ([], []))[0].append(key)
        for key in gold:
            by_label.setdefault(key[2], ([], []))[1].append(key)
        for label, (pred, gl) in by_label.items():
            c = counts.setdefault(label, [0] * 6)
            right = len(set(pred) & set(gl))
            c[0] += len(pred)
            c[1] += len(gl)
            c[2] += right
            c[3] += right
            c[4] += sum(_overlaps(p, gl) for p in pred)
            c[5] += sum(_overlaps(g, pred) for g in gl)
    names = list(labels) if labels is not None else sorted(counts)
    exact, overlap = {}, {}
    for label in names:
        c = counts.get(label, [0] * 6)
        exact[label] = Score(label, c[0], c[1], c[2], c[3])
        overlap[label] = Score(label, c[0], c[1], c[4], c[5])
    return Report(exact, overlap)


def score_documents(
    predicted: Mapping[str, Iterable[Key]],
    gold: Mapping[str, Iterable[Key]],
    labels: Sequence[str] | None = None,
) -> Report:
    """The same, with predictions and gold keyed by document id (a missing one: no spans)."""
    return score(((predicted.get(doc_id, ()), spans) for doc_id, spans in gold.items()), labels)
