"""Agreement statistics over counts: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha, F1.

Every function takes aggregated counts, never one value per unit: agreement over a corpus is
computed from histograms that a sweep over span boundaries builds (see :mod:`.agreement`), so
its cost grows with the number of spans, not with the number of tokens times annotators.

Undefined values are ``None`` (JSON ``null``, "—" in tables), never a made-up number:
- kappa (Cohen or Fleiss) is undefined when the expected agreement is 1, i.e. every unit is in
  one and the same class for every annotator (for example nobody tagged that label anywhere);
  scikit-learn's ``cohen_kappa_score`` returns NaN there;
- alpha is undefined when there are fewer than two pairable values or only one value occurs
  (no expected disagreement); the ``krippendorff`` package refuses such data;
- F1 is undefined when neither side has a span (nothing to agree or disagree on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def cohen_kappa(n11: int, n10: int, n01: int, n00: int) -> float | None:
    """Cohen's kappa of two raters over binary units from their 2x2 table.

    ``n10``: units the first rater put in class 1 and the second in class 0.
    """
    n = n11 + n10 + n01 + n00
    a1, b1 = n11 + n10, n11 + n01
    if n == 0 or (a1 in (0, n) and b1 == a1):
        return None  # expected agreement 1: both raters put every unit in the same class
    observed = (n11 + n00) / n
    expected = (a1 * b1 + (n - a1) * (n - b1)) / (n * n)
    return (observed - expected) / (1 - expected)


def fleiss_kappa(ones: Mapping[int, int], raters: int) -> float | None:
    """Fleiss' kappa over binary units, each rated by all ``raters``.

    ``ones`` maps k (how many raters put a unit in class 1, 0..raters) to how many units did so.
    """
    if raters < 2:
        return None
    units = sum(ones.values())
    if units == 0:
        return None
    total_ones = sum(k * count for k, count in ones.items())
    p1 = total_ones / (units * raters)
    if total_ones in (0, units * raters):
        return None
    pairs = raters * (raters - 1)
    agreement = sum(
        count * (k * (k - 1) + (raters - k) * (raters - k - 1)) for k, count in ones.items()
    )
    observed = agreement / (units * pairs)
    expected = p1 * p1 + (1 - p1) * (1 - p1)
    return (observed - expected) / (1 - expected)


def alpha_nominal(
    patterns: Mapping[Sequence[int], float] | Iterable[tuple[Sequence[int], float]],
) -> float | None:
    """Krippendorff's alpha for nominal data.

    ``patterns`` maps a unit's value counts (how many coders gave it each category, e.g.
    ``(2, 1)`` for two 0s and one 1) to how many units have that pattern. Coders who did not
    code a unit are simply not counted in it (missing values); a unit coded fewer than twice
    cannot be paired and is left out, as Krippendorff defines it.
    """
    items = patterns.items() if isinstance(patterns, Mapping) else patterns
    coincidence: dict[tuple[int, int], float] = {}
    for counts, weight in items:
        m = sum(counts)
        if m < 2 or not weight:
            continue
        scale = weight / (m - 1)
        for c, n_c in enumerate(counts):
            if not n_c:
                continue
            for k, n_k in enumerate(counts):
                value = n_c * (n_k - (c == k))
                if value:
                    coincidence[(c, k)] = coincidence.get((c, k), 0.0) + scale * value
    totals: dict[int, float] = {}
    for (c, _k), value in coincidence.items():
        totals[c] = totals.get(c, 0.0) + value
    n = sum(totals.values())
    if n <= 1 or sum(1 for v in totals.values() if v > 0) < 2:
        return None
    disagreement = sum(v for (c, k), v in coincidence.items() if c != k)
    square = sum(totals.values()) ** 2 - sum(v * v for v in totals.values())
    expected = square / (n - 1)
    return 1 - disagreement / expected


def alpha_binary(ones: Mapping[int, int], raters: int) -> float | None:
    """Krippendorff's alpha (nominal) for binary units each coded by all ``raters``.

    ``ones`` as for :func:`fleiss_kappa`. The closed form of :func:`alpha_nominal` for two
    categories and no missing value: alpha = 1 - (n - 1) * D_o / (2 * n_0 * n_1), where D_o
    sums the coincidences of a 0 with a 1.
    """
    if raters < 2:
        return None
    n1 = sum(k * count for k, count in ones.items())
    n0 = sum((raters - k) * count for k, count in ones.items())
    n = n0 + n1
    if n <= 1 or n0 == 0 or n1 == 0:
        return None
    disagreement = sum(2 * k * (raters - k) * count for k, count in ones.items()) / (raters - 1)
    return 1 - (n - 1) * disagreement / (2 * n0 * n1)


@dataclass
class F1Counts:
    """Span matching counts of one pair (first side a, second side b)."""

    a: int = 0  # spans on the first side
    b: int = 0  # spans on the second side
    exact: int = 0  # spans on both sides with the same (start, end, label)
    a_overlapped: int = 0  # first-side spans overlapping a same-label span of the second
    b_overlapped: int = 0  # second-side spans overlapping a same-label span of the first

    def add(self, other: F1Counts) -> None:
        self.a += other.a
        self.b += other.b
        self.exact += other.exact
        self.a_overlapped += other.a_overlapped
        self.b_overlapped += other.b_overlapped

    @property
    def f1_exact(self) -> float | None:
        if self.a + self.b == 0:
            return None
        return 2 * self.exact / (self.a + self.b)

    @property
    def f1_overlap(self) -> float | None:
        """Precision over the second side's spans, recall over the first's, harmonic mean."""
        if self.a + self.b == 0:
            return None
        precision = self.b_overlapped / self.b if self.b else 0.0
        recall = self.a_overlapped / self.a if self.a else 0.0
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the defined values (None if there is none)."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
