"""Tokens cut so that every exported span has exact token boundaries.

Spans made in the annotator snap to our tokens, but imported ones (model output) may start or
end inside a token ("Kyiv" of "Kyiv's", "south" of "south-west", a part of an emoji ZWJ
sequence) or in the whitespace between tokens. A token-based export (spaCy/Prodigy, CoNLL,
Hugging Face) then cuts that token at the span's edge, so ``text[start:end]`` of the span is
exactly the text of its token range. The stored offsets never change, and a document whose
spans all lie on token boundaries keeps its tokens as they are (the same list object).

:func:`align_tokens` is the one place that does this for every token export. It is linear in
the document: two bisections per span edge to find the edges that need a cut, and, only when
there are such edges, one pass that copies the tokens between the cuts in slices.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

Edge = tuple[int, int]  # (start, end) of a span, end exclusive


@dataclass(frozen=True, slots=True)
class AlignedTokens:
    """Tokens (``(start, end)`` each, in order) and the inclusive token range of every edge.

    ``ranges[k]`` is ``(first, last)`` for the k-th edge given to :func:`align_tokens`; it is
    exact (``starts[first] == start`` and ``ends[last] == end``) except, without whitespace
    tokens, for an edge lying in whitespace: then the range holds the tokens inside the span
    (``first > last`` when there are none: the span is whitespace only).
    """

    tokens: Sequence[Edge]
    starts: Sequence[int]
    ends: Sequence[int]
    ranges: list[Edge]
    # token ends followed by a whitespace token of their own (their "ws" is false)
    glued: frozenset[int] = field(default_factory=frozenset)
    cut: int = 0  # tokens and whitespace runs cut at span edges

    def followed_by_space(self, text: str, i: int) -> bool:
        """spaCy's ``ws`` of token ``i``: whitespace follows it and is not a token itself."""
        end = self.ends[i]
        return end < len(text) and text[end].isspace() and end not in self.glued


def align_tokens(
    text: str, tokens: Sequence[Edge], edges: Iterable[Edge], *, whitespace: bool
) -> AlignedTokens:
    """Cut ``tokens`` of ``text`` where an edge of ``edges`` falls inside one.

    ``whitespace``: an edge in the whitespace between tokens (a span " Kyiv" or "Kyiv ") makes
    that whitespace tokens of its own, cut at the edge (spaCy: every span gets an exact token
    range). Without it such an edge is left alone and the span's range holds the tokens inside
    it (CoNLL and Hugging Face tokens never hold whitespace).
    """
    edges = list(edges)
    if tokens:
        starts, ends = zip(*tokens, strict=True)
    else:
        starts = ends = ()
    n = len(tokens)
    cuts: set[int] = set()
    ranges: list[Edge] = []
    for start, end in edges:
        first = bisect_left(starts, start)
        # off a token start: inside the token before, or in whitespace
        if (first == n or starts[first] != start) and (
            (first and ends[first - 1] > start) or whitespace
        ):
            cuts.add(start)
        last = bisect_left(ends, end)
        if last == n or ends[last] != end:
            if (last < n and starts[last] < end) or whitespace:
                cuts.add(end)
            last -= 1  # (used only when there is no cut: the edge lies in whitespace)
        ranges.append((first, last))
    if not cuts:
        return AlignedTokens(tokens, starts, ends, ranges)
    return _cut(text, tokens, starts, ends, sorted(cuts), edges)


def _cut(
    text: str,
    tokens: Sequence[Edge],
    starts: Sequence[int],
    ends: Sequence[int],
    cuts: list[int],
    edges: list[Edge],
) -> AlignedTokens:
    """The tokens with every cut applied; cuts in whitespace make the whole run tokens."""
    n = len(tokens)
    out: list[Edge] = []
    glued: set[int] = set()
    done = 0  # tokens[:done] are in ``out``
    groups = 0
    k = 0
    while k < len(cuts):
        # The token this cut falls in (starts[i] < cut < ends[i]), else the whitespace before
        # token i: from the end of token i-1 (or the text's start) to token i (or the end).
        i = bisect_right(ends, cuts[k])
        inside = i < n and starts[i] < cuts[k]
        low = starts[i] if inside else (ends[i - 1] if i else 0)
        high = ends[i] if inside else (starts[i] if i < n else len(text))
        points = [low]
        # a cut at a token's end belongs to the whitespace after it, not to the token
        while k < len(cuts) and (cuts[k] < high or (cuts[k] == high and not inside)):
            if cuts[k] != points[-1]:
                points.append(cuts[k])
            k += 1
        if points[-1] != high:
            points.append(high)
        out.extend(tokens[done:i])
        out.extend(pairwise(points))
        if inside:
            done = i + 1
        else:
            done = i
            glued.update(points[:-1] if i else points[1:-1])
        groups += 1
    out.extend(tokens[done:])
    new_starts, new_ends = zip(*out, strict=True)
    ranges = [
        (bisect_left(new_starts, start), bisect_right(new_ends, end) - 1) for start, end in edges
    ]
    return AlignedTokens(out, new_starts, new_ends, ranges, frozenset(glued), groups)
