"""Shared helpers for the suggestion engines: token views, word lists, boundary checks."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from annotator.suggest.types import Suggestion
from annotator.text import MONTHS_AND_DAYS, TextIndex

QUOTES = "\"'“”‘’«»"
# Latin capitals and small letters with their accented forms ("Äkäslompolo", "Łódź", "Ústí").
UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper())
LOWER = "a-z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).islower())


def name_rx(pattern: str) -> re.Pattern[str]:
    """Compile a pattern written with ``[A-Z]``/``[a-z]`` so they also match accented letters.

    Place and organisation names are written with ASCII classes for legibility; names such
    as "Äkäsjoki" or "Ōita" must still match them.
    """
    return re.compile(pattern.replace("[A-Z]", f"[{UPPER}]").replace("[a-z]", f"[{LOWER}]"))


WORD_RE = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Guarded:
    """A compiled pattern whose every match holds one of ``needles`` (or a match of ``hint``).

    ``finditer`` skips a text without any: a substring test instead of a scan of the whole
    text by a pattern that has to be tried at every position (one opening with ``\\b`` or a
    look-behind). The matches are the pattern's own, so the rules' output does not change.
    """

    rx: re.Pattern[str]
    needles: tuple[str, ...] = ()
    hint: re.Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if any(n in text for n in self.needles) or (self.hint and self.hint.search(text)):
            return self.rx.finditer(text)
        return iter(())


def guarded(rx: re.Pattern[str], *needles: str, hint: str | None = None) -> Guarded:
    return Guarded(rx, needles, re.compile(hint) if hint else None)


# Function words and sentence-initial words that are capitalised only by position.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "for",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "with",
        "without",
        "nobody",
        "everyone",
        "everybody",
        "someone",
        "somebody",
        "anyone",
        "near",
        "outside",
        "inside",
        "across",
        "along",
        "around",
        "despite",
        "amid",
        "among",
        "between",
        "behind",
        "through",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "during",
        "since",
        "until",
        "while",
        "as",
        "than",
        "then",
        "there",
        "here",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "him",
        "her",
        "them",
        "us",
        "me",
        "my",
        "our",
        "your",
        "their",
        "his",
        "hers",
        "theirs",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "every",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "not",
        "only",
        "own",
        "same",
        "too",
        "very",
        "can",
        "cannot",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "if",
        "because",
        "although",
        "though",
        "however",
        "also",
        "just",
        "still",
        "even",
        "now",
        "today",
        "yesterday",
        "tomorrow",
        "speaking",
        "according",
        "last",
        "next",
        "first",
        "one",
        "two",
        "three",
        "many",
        "much",
        "several",
        "another",
        "ten",
        "later",
        "earlier",
        "meanwhile",
        "separately",
        "instead",
        "indeed",
    ]
)

MONTHS_DAYS = MONTHS_AND_DAYS

REPORTING_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "admitted",
        "admits",
        "admit",
        "warned",
        "warns",
        "warn",
        "claimed",
        "claims",
        "claim",
        "insisted",
        "insists",
        "insist",
        "declared",
        "declares",
        "added",
        "adds",
        "argued",
        "argues",
        "stated",
        "states",
        "announced",
        "announces",
        "confirmed",
        "confirms",
        "denied",
        "denies",
        "promised",
        "promises",
        "acknowledged",
        "acknowledges",
        "suggested",
        "suggests",
        "believes",
        "believe",
        "believed",
        "reported",
        "reports",
    ]
)

AUX_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "cannot",
        "could",
        "should",
        "must",
        "may",
        "might",
        "did",
        "does",
        "do",
        "shall",
    ]
)

# Irregular past forms and common plain verbs, for "X took ..." / "X and Y want ..." subjects.
COMMON_VERBS = frozenset(
    [
        "took",
        "made",
        "gave",
        "sent",
        "said",
        "told",
        "won",
        "lost",
        "began",
        "brought",
        "kept",
        "held",
        "left",
        "met",
        "ran",
        "saw",
        "sought",
        "sold",
        "struck",
        "thought",
        "went",
        "came",
        "became",
        "fought",
        "built",
        "drew",
        "chose",
        "paid",
        "let",
        "set",
        "hit",
        "cut",
        "spent",
        "stood",
        "knew",
        "grew",
        "threw",
        "wrote",
        "led",
        "fell",
        "felt",
        "broke",
        "bought",
        "caught",
        "taught",
        "got",
        "rose",
        "seized",
        "stole",
        "want",
        "reject",
        "need",
        "agree",
        "remain",
        "support",
        "oppose",
        "fear",
        "hope",
        "plan",
        "continue",
        "accept",
        "deny",
        "refuse",
        "back",
        "warn",
        "claim",
        "say",
        "insist",
        "believe",
    ]
)


# Titles and honorifics that precede a name ("President X", "Dr X").
TITLES = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Sir",
        "Dame",
        "Lord",
        "Lady",
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Chancellor",
        "Judge",
        "Justice",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "General",
        "Gen",
        "Senator",
        "Sen",
        "Representative",
        "Rep",
        "Professor",
        "Prof",
        "Rev",
        "Reverend",
        "Archbishop",
        "Bishop",
        "Governor",
        "Mayor",
        "Secretary",
        "Commissioner",
        "Ambassador",
        "Captain",
        "Capt",
        "Colonel",
        "Col",
        "Admiral",
        "Lieutenant",
        "Sergeant",
        "Inspector",
        "Detective",
        "Chief",
        "Superintendent",
        "Speaker",
        "Chairman",
        "Coach",
        "Foreign",
        "Defence",
        "Defense",
        "Health",
        "Finance",
        "Home",
        "Interior",
    ]
)


@dataclass
class Words:
    """The document's tokens as (start, end, text), with helpers the engines share."""

    text: str
    index: TextIndex

    @cached_property
    def toks(self) -> list[tuple[int, int, str]]:
        return [(t.start, t.end, t.text) for t in self.index.tokens]

    @cached_property
    def starts(self) -> dict[int, int]:
        return {t[0]: i for i, t in enumerate(self.toks)}

    @cached_property
    def ends(self) -> dict[int, int]:
        return {t[1]: i for i, t in enumerate(self.toks)}

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words that occur in lower case somewhere: their capitalised form is positional."""
        return frozenset(t[2] for t in self.toks if t[2][:1].islower())

    @cached_property
    def _words(self) -> list[bool]:
        return [bool(WORD_RE.search(t[2])) for t in self.toks]

    @cached_property
    def _breaks(self) -> tuple[list[int], list[int]]:
        """Per token, the line breaks in the text before its start and before its end."""
        text, before_start, before_end = self.text, [], []
        seen, pos = 0, 0
        for start, end, _ in self.toks:
            seen += text.count("\n", pos, start)
            before_start.append(seen)
            seen += text.count("\n", start, end)
            before_end.append(seen)
            pos = end
        return before_start, before_end

    def on_boundaries(self, start: int, end: int) -> bool:
        return start in self.starts and end in self.ends

    def word(self, i: int) -> str:
        return self.toks[i][2] if 0 <= i < len(self.toks) else ""

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self._words[i]

    def same_paragraph(self, i: int, j: int) -> bool:
        """No line break from the start of the earlier token to the end of the later one."""
        lo, hi = (i, j) if i <= j else (j, i)
        before_start, before_end = self._breaks
        return before_end[hi] == before_start[lo]

    def prev_word(self, i: int, n: int = 1) -> int:
        """Index of the n-th word token before token i in the same paragraph (-1 if none)."""
        j = i - 1
        while j >= 0:
            if not self.same_paragraph(j, i):
                return -1
            if self.is_word(j):
                n -= 1
                if n == 0:
                    return j
            j -= 1
        return -1

    def next_index(self, i: int) -> int:
        """Index of the token after token i, or -1 at the end / across a paragraph break."""
        j = i + 1
        if j < len(self.toks) and self.same_paragraph(i, j):
            return j
        return -1

    @cached_property
    def sentence_first_words(self) -> frozenset[int]:
        """Token indices of the first word of each sentence (after any opening quote marks)."""
        firsts = set()
        for sentence in self.index.sentences:
            i = self.index.token_index_at_or_after(sentence.start)
            while i < len(self.toks) and self.toks[i][0] < sentence.end:
                if self.is_word(i):
                    firsts.add(i)
                    break
                i += 1
        # A capital after a colon and an opening quote also starts a sentence.
        for i, (_, _, tok) in enumerate(self.toks):
            if tok in QUOTES or tok == ":":
                j = i + 1
                if j < len(self.toks) and self.is_word(j):
                    firsts.add(j)
        return frozenset(firsts)

    def is_capitalised(self, i: int) -> bool:
        tok = self.word(i)
        return bool(tok) and tok[0].isupper()


_ONE_WORD_NAME_RE = name_rx(r"[A-Z][\w&'’-]+")


def one_word_names(found: list[Suggestion], text: str, label: str, min_score: float) -> set[str]:
    """The one-word ``label`` suggestions in ``found`` scoring at least ``min_score``."""
    return {
        text[s.start : s.end]
        for s in found
        if s.label == label
        and s.score >= min_score
        and _ONE_WORD_NAME_RE.fullmatch(text[s.start : s.end])
    }


def repeated_mentions(
    words: Words, names: set[str], found: list[Suggestion], label: str, engine: str, score: float
) -> list[Suggestion]:
    """One sense per article: every other mention of ``names`` gets ``label`` too.

    A mention inside something already found (a longer name, an entity) or followed by a
    capitalised word (the start of a longer name) is left alone.
    """
    if not names:
        return []
    # where each found entity ends, by start: a token inside one is not a separate mention
    taken = sorted((s.start, s.end) for s in found if s.label != "CLAIM")
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))
    out = []
    for i, (start, end, tok) in enumerate(words.toks):
        if tok not in names:
            continue
        j = bisect_left(starts, end)  # entities starting before this token ends
        if j and reach[j - 1] > start:
            continue
        nxt = words.next_index(i)
        if nxt >= 0 and _gap_is_space(words, i, nxt) and words.is_capitalised(nxt):
            continue  # "Transnet Freight Rail": part of a longer name
        out.append(Suggestion(start, end, label, engine, score))
    return out


def _gap_is_space(words: Words, i: int, j: int) -> bool:
    return words.text[words.toks[i][1] : words.toks[j][0]] == " "


def strip_accents(value: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
