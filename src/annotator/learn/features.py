"""Token features for the span model: the words, their shapes and, optionally, the rules' votes.

A document is cut into sequences, one per paragraph line (no span crosses a line: a sentence
never does, see ``annotator.text``), each a list of tokens from ``TextIndex``. Every token gets a
list of string features for the CRF: its lower-cased form and shape, affixes, a window of two
tokens either side, whether it opens a sentence or sits in a quotation, whether the same word
occurs in lower case elsewhere in the article (capitalised only by position), and, when rule
suggestions are given, which label each rule engine gave the tokens around it (B/I), so a
model stacked on the rules learns when to trust them.
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
    """Per token, the rule votes on it: ``ACTOR:B``, ``gazetteer:LOCATION:I``, ...

    A token inside several suggestions (a LOCATION inside a CLAIM) carries all of them.
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
                part = "B" if first else "I"
                first = False
                tags[i].append(f"{s.label}:{part}")
                tags[i].append(f"{s.engine}:{s.label}:{part}")
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
    base = [_word_features(u.text) for u in toks]
    lows = [u.text.lower() for u in toks]
    shapes = [shape(u.text) for u in toks]
    lowered = words.lowercase_words
    firsts = words.sentence_first_words
    quoted = _in_quotes(index)
    votes = rule_tags(index, rules) if rules is not None else None
    text = index.text
    line_of: list[tuple[int, int]] = [(0, -1)] * n
    for line in all_lines:
        for i in range(line.first, line.last + 1):
            line_of[i] = (line.first, line.last)
    # the first lower-case word after (before) the run of capitalised words a token is in:
    # "Residents of Gotland said" -> said, for every token of the run
    nxt: list[str | None] = [None] * n
    prv: list[str | None] = [None] * n
    for line in all_lines:
        after = None
        for i in range(line.last, line.first - 1, -1):
            nxt[i] = after
            if toks[i].text[:1].islower():
                after = lows[i]
        before = None
        for i in range(line.first, line.last + 1):
            prv[i] = before
            if toks[i].text[:1].islower():
                before = lows[i]
    # one sense per article: the labels the rules gave this word anywhere in it
    elsewhere: dict[str, set[str]] = {}
    # the label votes alone (``ACTOR:B``), without the engine's name, for the neighbours
    label_votes = [[v for v in tags if v.count(":") == 1] for tags in votes] if votes else None
    if votes is not None:
        for i, tags in enumerate(votes):
            for v in tags:
                if v.count(":") == 1 and toks[i].text[:1].isupper():
                    elsewhere.setdefault(lows[i], set()).add(v.split(":")[0])
    out: list[list[str]] = []
    for i, u in enumerate(toks):
        lo, hi = line_of[i]
        feats = ["bias", *base[i]]
        word = u.text
        if i in firsts:
            feats.append("first")
        if word[:1].isupper() and word.lower() in lowered:
            feats.append("cap_elsewhere_lower")
        if quoted[i]:
            feats.append("in_quote")
        if i == lo:
            feats.append("line_start")
        if i > lo and text[toks[i - 1].end : u.start] == "":
            feats.append("glued")
        for d in range(1, WINDOW + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if lo <= j <= hi:
                    feats.append(f"{sign}{d}w={lows[j]}")
                    feats.append(f"{sign}{d}sh={shapes[j]}")
                    if label_votes is not None and d == 1:
                        feats.extend(f"{sign}1r={v}" for v in label_votes[j])
                else:
                    feats.append(f"{sign}{d}edge")
        if lo <= i - 1:
            feats.append(f"bi-={lows[i - 1]}|{lows[i]}")
        if i + 1 <= hi:
            feats.append(f"bi+={lows[i]}|{lows[i + 1]}")
        for sign, j in (("-", i - 3), ("+", i + 3)):
            if lo <= j <= hi:
                feats.append(f"{sign}3w={lows[j]}")
        if nxt[i] is not None:
            feats.append(f"next_low={nxt[i]}")
        if prv[i] is not None:
            feats.append(f"prev_low={prv[i]}")
        if votes is not None:
            feats.extend(f"r={v}" for v in votes[i])
            if not votes[i]:
                feats.append("r=none")
            for lab in elsewhere.get(lows[i], ()):
                feats.append(f"doc_r={lab}")
        out.append(feats)
    return out
