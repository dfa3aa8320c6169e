"""Tokens cut so that every exported span has exact token edges.

Spans made in the annotator snap to our tokens, but imported ones (model output) may start or
end inside a token ("Kyiv" of "Kyiv's", "wouldn" of "wouldn't", "south" of "south-west", a
part of an emoji ZWJ sequence) or on the space spaCy keeps as a token's ``ws``. A token-based
export (spaCy/Prodigy, CoNLL, Hugging Face) then cuts that token at the span's edge, so the
text of the span's token range is exactly the span's text. The stored offsets never change,
and the tokens of a document whose spans all lie on token edges stay as they are.

Tokens are :class:`annotator.text.SpacyTokens` (``starts``, ``ends``, ``follows``); the word
tokens of CoNLL and Hugging Face have no space of their own (``follows is ends``), so an edge in
the whitespace between them cuts nothing: the span's tokens are the ones inside it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from annotator.text import SpacyTokens, split_tokens

Edge = tuple[int, int]  # (start, end) of a span, end exclusive


def align(tokens: SpacyTokens, edges: Iterable[Edge]) -> tuple[SpacyTokens, int]:
    """``tokens`` cut at every span edge that falls inside one, and how many spans that took.

    Linear in the document: a set lookup per edge, and only when an edge is off the tokens a
    bisection for it and one pass that copies the tokens between the cuts in slices.
    """
    known_starts, known_ends = set(tokens.starts), set(tokens.ends)
    off = [(s, e) for s, e in edges if s not in known_starts or e not in known_ends]
    if not off:
        return tokens, 0
    cuts: dict[int, set[int]] = {}
    realigned = 0
    for start, end in off:
        cut = False
        if start not in known_starts:
            cut = _mark(cuts, tokens, start, start)
        if end not in known_ends:
            cut = _mark(cuts, tokens, end - 1, end) or cut
        realigned += cut
    if not cuts:
        return tokens, 0
    return split_tokens(tokens, {i: sorted(points) for i, points in cuts.items()}), realigned


def _mark(cuts: dict[int, set[int]], tokens: SpacyTokens, char: int, edge: int) -> bool:
    """Note the cut an edge needs; ``char`` is the character on the span's side of the edge.

    Inside a token: cut the token at the edge. On the space after a token: make that space a
    token (cut at the token's end). In whitespace that is no token (word tokens): no cut.
    """
    i = bisect_right(tokens.starts, char) - 1
    if i < 0:
        return False
    if edge < tokens.ends[i]:
        cuts.setdefault(i, set()).add(edge)
        return True
    if char < tokens.follows[i]:
        cuts.setdefault(i, set()).add(tokens.ends[i])
        return True
    return False


def word_tokens(spans: list[tuple[int, int]]) -> SpacyTokens:
    """Word tokens (no whitespace of their own) in the shape :func:`align` takes."""
    if not spans:
        return SpacyTokens([], [], [])
    starts, ends = (list(side) for side in zip(*spans, strict=True))
    return SpacyTokens(starts, ends, ends)
