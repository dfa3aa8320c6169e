"""Nested spans as layers of flat BIO tags: one tagger per layer.

Spans of labels in one layer do not overlap each other (ACTOR and LOCATION); a label whose
spans contain others (CLAIM around ACTOR) goes to a layer of its own. The layers are found from
the training spans, so a label a project declares gets a layer the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Key = tuple[int, int, str]
# Above this share of overlapping spans two labels do not share a layer.
OVERLAP_LIMIT = 0.02
OUTSIDE = "O"


def _overlapping(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """How many spans of ``a`` overlap some span of ``b`` (both lists of one document)."""
    b = sorted(b)
    count = 0
    for start, end in a:
        if any(s < end and start < e for s, e in b):
            count += 1
    return count


def assign_layers(documents: Iterable[Iterable[Key]], labels: Sequence[str]) -> list[list[str]]:
    """Group ``labels`` into layers whose spans (almost) never overlap.

    Labels are placed longest-spans-last, each in the first layer it overlaps in at most
    ``OVERLAP_LIMIT`` of its spans, so short entity labels share a layer and a label that
    encloses them (CLAIM) gets its own.
    """
    by_doc: list[dict[str, list[tuple[int, int]]]] = []
    lengths: dict[str, list[int]] = {label: [] for label in labels}
    for spans in documents:
        per: dict[str, list[tuple[int, int]]] = {}
        for start, end, label in spans:
            if label in lengths:
                per.setdefault(label, []).append((start, end))
                lengths[label].append(end - start)
        by_doc.append(per)
    order = sorted(labels, key=lambda lab: (_mean(lengths[lab]), lab))
    layers: list[list[str]] = []
    for label in order:
        total = len(lengths[label])
        for layer in layers:
            hits = sum(
                _overlapping(per.get(label, []), [x for lab in layer for x in per.get(lab, [])])
                for per in by_doc
            )
            if total == 0 or hits <= OVERLAP_LIMIT * total:
                layer.append(label)
                break
        else:
            layers.append([label])
    return layers


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def flatten(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans of one layer without overlaps: the longest first, then by position."""
    kept: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(end <= s or e <= start for s, e, _ in kept):
            kept.append((start, end, label))
    return sorted(kept)


def encode(
    token_bounds: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]]
) -> list[str]:
    """BIO tags for tokens (``(start, end)`` each, in order) from non-overlapping spans.

    A span that does not start and end on token boundaries is left out (it cannot be tagged).
    """
    tags = [OUTSIDE] * len(token_bounds)
    starts = {b[0]: i for i, b in enumerate(token_bounds)}
    ends = {b[1]: i for i, b in enumerate(token_bounds)}
    for start, end, label in spans:
        first, last = starts.get(start), ends.get(end)
        if first is None or last is None or last < first:
            continue
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
    return tags


def decode(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last, label)`` token ranges (inclusive) from BIO tags; a stray I- opens one."""
    out: list[tuple[int, int, str]] = []
    current: list = []
    for i, tag in enumerate(tags):
        if tag == OUTSIDE:
            if current:
                out.append(tuple(current))
                current = []
            continue
        kind, label = tag[0], tag[2:]
        if kind == "I" and current and current[2] == label:
            current[1] = i
            continue
        if current:
            out.append(tuple(current))
        current = [i, i, label]
    if current:
        out.append(tuple(current))
    return out
