"""Token features for the span model: the words, their shapes and, optionally, the rules' votes.

A document is cut into sequences, one per paragraph line (no span crosses a line: a sentence
never does, see ``annotator.text``), each a list of tokens from ``TextIndex``. Every token gets a
list of string features for the CRF: its lower-cased form and shape, affixes, a window of two
tokens either side (the shapes of the nearest only), whether it opens a sentence or sits in a
quotation, whether the same word occurs in lower case elsewhere in the article (capitalised
only by position), and, when rule suggestions are given, which label the rules gave it and the
tokens next to it (B/I), so a model stacked on the rules learns when to trust them.

Fewer features are faster to tag (every string is converted and looked up once per layer):
the rule engine's name on a vote, a "no vote" mark and the shapes two tokens away were dropped
after cross-validation within the training sets showed no loss without them
(``benchmarks/learning_curve.py --cv``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

QUOTE_CHARS = frozenset("\"'“”‘’«»")
_RUNS = re.compile(r"(.)\1{2,}")
WINDOW = 2


@dataclass(frozen=True, slots=True)
class Line:
    """One sequence: token indices ``first .. last`` (inclusive) of a paragraph line."""

    first: int
    last: int


@lru_cache(maxsize=65536)
def shape(word: str) -> str:
    """``Zelenskyy`` -> ``Xxxx``, ``U.S.`` -> ``X.X.``, ``2024`` -> ``dddd``: case, digits, marks
    (runs of more than three of a kind cut to three)."""
    out = []
    for ch in word:
        if ch.isdigit():
            out.append("d")
        elif ch.isalpha():
            out.append("X" if ch.isupper() else "x")
        else:
            out.append(ch)
    return _RUNS.sub(r"\1\1\1", "".join(out))[:8]


def lines(index: TextIndex) -> list[Line]:
    """The paragraph lines of the text as token ranges (empty lines have none)."""
    toks = index.tokens
    out: list[Line] = []
    first = 0
    text = index.text
    for i in range(1, len(toks) + 1):
        if i == len(toks) or "\n" in text[toks[i - 1].end : toks[i].start]:
            if first < i:
                out.append(Line(first, i - 1))
            first = i
    return out


def rule_tags(index: TextIndex, found: Iterable[Suggestion]) -> list[list[str]]:
    """Per token, the rule votes on it: ``ACTOR:B``, ``LOCATION:I``, ...

    A token inside several suggestions (a LOCATION inside a CLAIM) carries all of them; two
    engines giving it the same vote give it twice (their agreement counts).
    """
    starts = [u.start for u in index.tokens]
    tags: list[list[str]] = [[] for _ in index.tokens]
    for s in found:
        i = bisect_right(starts, s.start) - 1
        if i < 0:
            continue
        first = True
        while i < len(starts) and index.tokens[i].start < s.end:
            if index.tokens[i].end > s.start:
                vote = f"{s.label}:B" if first else f"{s.label}:I"
                first = False
                tags[i].append(vote)
            i += 1
    return tags


def _in_quotes(index: TextIndex) -> list[bool]:
    flags = [False] * len(index.tokens)
    starts = [u.start for u in index.tokens]
    for q in index.quotations:
        i = bisect_right(starts, q.start - 1)
        while i < len(starts) and starts[i] < q.end:
            flags[i] = True
            i += 1
    return flags


@lru_cache(maxsize=65536)
def _word_features(word: str) -> tuple[str, ...]:
    lower = word.lower()
    out = [f"w={lower}", f"sh={shape(word)}", f"p3={lower[:3]}", f"s3={lower[-3:]}"]
    if len(lower) > 3:
        out.append(f"s2={lower[-2:]}")
    if word[:1].isupper():
        out.append("cap")
    if word.isupper() and len(word) > 1:
        out.append("upper")
    if word in QUOTE_CHARS:
        out.append("quote")
    return tuple(out)


_EDGES = ("-1edge", "+1edge", "-2edge", "+2edge")


@lru_cache(maxsize=65536)
def _neighbour_features(word: str) -> tuple[tuple[str, ...], ...]:
    """What a word tells the tokens around it, by offset: -1, +1 (word and shape), -2, +2,
    -3, +3 (word): built once per word, not once per neighbour."""
    low, sh = word.lower(), shape(word)
    return (
        (f"-1w={low}", f"-1sh={sh}"),
        (f"+1w={low}", f"+1sh={sh}"),
        (f"-2w={low}",),
        (f"+2w={low}",),
        (f"-3w={low}",),
        (f"+3w={low}",),
    )


def token_features(
    index: TextIndex,
    words: Words,
    rules: Sequence[Suggestion] | None = None,
    text_lines: Sequence[Line] | None = None,
) -> list[list[str]]:
    """Features for every token of the text (indices as in ``index.tokens``); ``text_lines``:
    ``lines(index)`` when the caller has them."""
    toks = index.tokens
    all_lines = lines(index) if text_lines is None else text_lines
    n = len(toks)
    words_of = [u.text for u in toks]
    lows = [w.lower() for w in words_of]
    lowered = words.lowercase_words
    firsts = words.sentence_first_words
    quoted = _in_quotes(index)
    votes = rule_tags(index, rules) if rules is not None else None
    text = index.text
    # one sense per article: the labels the rules gave this word anywhere in it
    elsewhere: dict[str, list[str]] = {}
    # the votes of the rules on the tokens before and after, and on this one
    before_votes: list[list[str]] = []
    after_votes: list[list[str]] = []
    own_votes: list[list[str]] = []
    if votes is not None:
        seen: dict[str, set[str]] = {}
        for i, tags in enumerate(votes):
            before_votes.append([f"-1r={v}" for v in tags])
            after_votes.append([f"+1r={v}" for v in tags])
            own_votes.append([f"r={v}" for v in tags])
            if tags and words_of[i][:1].isupper():
                seen.setdefault(lows[i], set()).update(v.split(":")[0] for v in tags)
        elsewhere = {w: [f"doc_r={lab}" for lab in labs] for w, labs in seen.items()}
    out: list[list[str]] = [[] for _ in range(n)]
    for line in all_lines:
        lo, hi = line.first, line.last
        # the first lower-case word after (before) the run of capitalised words a token is
        # in: "Residents of Gotland said" -> said, for every token of the run
        nxt: list[str | None] = [None] * (hi - lo + 1)
        after = None
        for i in range(hi, lo - 1, -1):
            nxt[i - lo] = after
            if words_of[i][:1].islower():
                after = lows[i]
        before = None
        near = [_neighbour_features(words_of[i]) for i in range(lo, hi + 1)]
        for i in range(lo, hi + 1):
            word = words_of[i]
            feats = ["bias", *_word_features(word)]
            if i in firsts:
                feats.append("first")
            if word[:1].isupper() and lows[i] in lowered:
                feats.append("cap_elsewhere_lower")
            if quoted[i]:
                feats.append("in_quote")
            k = i - lo
            if i == lo:
                feats.append("line_start")
                feats.append("-1edge")
                feats.append("-2edge")
            else:
                feats.extend(near[k - 1][0])
                if text[toks[i - 1].end : toks[i].start] == "":
                    feats.append("glued")
                if votes is not None:
                    feats.extend(before_votes[i - 1])
                feats.append(f"bi-={lows[i - 1]}|{lows[i]}")
                if k >= 2:
                    feats.extend(near[k - 2][2])
                    if k >= 3:
                        feats.extend(near[k - 3][4])
                else:
                    feats.append("-2edge")
            if i == hi:
                feats.append("+1edge")
                feats.append("+2edge")
            else:
                feats.extend(near[k + 1][1])
                if votes is not None:
                    feats.extend(after_votes[i + 1])
                feats.append(f"bi+={lows[i]}|{lows[i + 1]}")
                if i + 2 <= hi:
                    feats.extend(near[k + 2][3])
                    if i + 3 <= hi:
                        feats.extend(near[k + 3][5])
                else:
                    feats.append("+2edge")
            if nxt[k] is not None:
                feats.append(f"next_low={nxt[k]}")
            if before is not None:
                feats.append(f"prev_low={before}")
            if word[:1].islower():
                before = lows[i]
            if votes is not None:
                feats.extend(own_votes[i])
                extra = elsewhere.get(lows[i])
                if extra:
                    feats.extend(extra)
            out[i] = feats
    return out
