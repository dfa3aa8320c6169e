"""Text units with exact character offsets: sanitising, tokens, sentences, paragraphs, quotations.

Every unit is a :class:`Unit` whose ``text == source[start:end]`` (Python code points,
end-exclusive). Nothing here imports Textual.

Sentence splitting: a small rule set, chosen after comparing pysbd 0.3.4, syntok 1.4.4 and the
rules on the seed article and on hard news cases (the cases are in ``tests/test_text.py``).
Paragraphs (lines) are split first, so no sentence crosses a line break. Inside a line a
sentence ends after ``.``, ``!``, ``?`` or ``…`` (plus closing quotes or brackets) when
whitespace follows and the next word does not start with a lowercase letter; titles ("Dr.",
"Mr."), initials ("J."), number abbreviations ("No. 10", "Jan. 5") never end a sentence, and
initialisms ("U.S.", "a.m.") end one only before a typical sentence opener ("The", "They").
Fed line by line, syntok agrees with the rules on all 30 sentences of the seed, but it is about
16x slower (0.29 s against 0.018 s on 32,000 words), misses "10 a.m. They left" and needs
re-alignment to character offsets. pysbd is about 50x slower (0.86 s), makes the closing ``"``
of ``...table."`` on the seed a sentence of its own, splits "5 p.m. Monday", and never splits
inside a quotation, while the annotation guidelines want one CLAIM per quoted sentence. The
rules are exact by construction (offsets come from the text itself) and fast enough for a
50,000-word article.

Tokens: grapheme-aware (the ``regex`` module's ``\\X``), so emoji ZWJ sequences and combining
marks stay with their base. Words keep inner hyphens ("Kremlin-linked") and apostrophes
("O'Brien"), numbers keep inner ``. , : /`` between digits ("22:04", "1,000", "2.5"),
initialisms keep their dots ("U.S."), and English clitics are split spaCy-style ("Kyiv" + "'s",
"we" + "'ve", "do" + "n't"). Every other non-space grapheme is a token of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import islice, repeat
from typing import Any, NamedTuple

from annotator import lazy_re

__all__ = [
    "DecodeError",
    "TextIndex",
    "Unit",
    "decode_bytes",
    "find_quotations",
    "sanitize",
    "spacy_tokens",
    "split_paragraphs",
    "split_sentences",
    "split_tokens",
    "token_spans",
    "tokenize",
]


class Unit(NamedTuple):
    """A piece of text with its offsets: ``source[start:end] == text``.

    A named tuple rather than a dataclass: a long article has hundreds of thousands of tokens,
    and tuples are several times cheaper to make.
    """

    start: int
    end: int
    text: str


class DecodeError(ValueError):
    """Bytes that are not text we can read (binary, or no encoding fits). ``str()`` is readable."""


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8 (BOM)"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", None),  # RTF is text, but say nothing special
)
_CONTROL_BYTES = lazy_re.compile(__name__, "_CONTROL_BYTES", rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes to ``(text, encoding)``; raises :class:`DecodeError` for binary data.

    UTF-8 with or without BOM, UTF-16/32 by BOM, UTF-16 without BOM when the NUL pattern
    proves it; otherwise cp1252 as a fallback the caller should report (``encoding`` says so).
    The text is not sanitised yet.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec.replace("-sig", "")), name
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {name} data at byte {exc.start}") from None
    for magic, what in _MAGIC:
        if what and data.startswith(magic):
            raise DecodeError(f"binary file ({what})")
    head = data[:65536]
    nuls = head.count(0)
    if nuls:
        guess = _utf16_without_bom(data, head)
        if guess is not None:
            return guess
        if nuls > max(8, len(head) // 100):
            raise DecodeError(f"binary file ({nuls * 100 // len(head)}% NUL bytes)")
    controls = len(_CONTROL_BYTES.findall(head)) - nuls
    if head and controls > max(8, len(head) // 20):
        raise DecodeError("binary file (too many control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in loose if ord(ch) > 127) - bad - data.count(b"\xef\xbf\xbd")
    if good > 4 * bad:  # mostly valid UTF-8 with a few broken bytes: cp1252 would garble it
        return loose, f"utf-8 ({bad} invalid byte{'s' if bad != 1 else ''} replaced)"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not UTF-8 and not cp1252 text (byte {exc.start})") from None


def _utf16_without_bom(data: bytes, head: bytes) -> tuple[str, str] | None:
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > half * 0.6 and (even if codec == "utf-16-le" else odd) == 0:
            try:
                return data[: len(data) // 2 * 2].decode(codec), f"{codec} (no BOM)"
            except UnicodeDecodeError:
                return None
    return None


# --------------------------------------------------------------------------- sanitising

# Escape sequences are removed whole, before single control characters are dropped.
_ESCAPES = lazy_re.compile(
    __name__,
    "_ESCAPES",
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]                      # CSI (colours, cursor moves)
    | \x9b [0-?]* [ -/]* [@-~]                        # 8-bit CSI
    | \x1b[\]P^_X] [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?  # OSC/DCS/PM/APC/SOS (BEL or ST, or to end of line)
    | [\x9d\x90\x9e\x9f\x98] [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?  # 8-bit string introducers
    | \x1b [ -/]+ [0-~]                               # nF (charset selection ...)
    | \x1b [0-~]                                      # Fp/Fe/Fs two-character escapes
    """,
    re.VERBOSE,
)
_CONTROLS = lazy_re.compile(__name__, "_CONTROLS", r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNSAFE = lazy_re.compile(__name__, "_UNSAFE", r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NEWLINES = lazy_re.compile(__name__, "_NEWLINES", r"\r\n?|[\u2028\u2029]")


def sanitize(raw: str) -> str:
    """Make untrusted text safe to store and display; idempotent.

    Removes ANSI CSI and OSC (BEL- or ST-terminated) escape sequences whole, turns CRLF, lone
    CR and the Unicode line/paragraph separators into LF, and drops NUL, C0 controls except
    ``\\n`` and ``\\t``, DEL and C1 controls.
    """
    if _UNSAFE.search(raw) is None:
        return raw
    text = _ESCAPES.sub("", raw)
    text = _NEWLINES.sub("\n", text.replace("\x00", ""))
    return _CONTROLS.sub("", text)


# Calendar words: capitalised, yet never names or places (``e`` and the suggestion engines).
MONTHS_AND_DAYS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ]
)


# --------------------------------------------------------------------------- tokens

_WS = r"\s\x1c-\x1f\x85"
_G = r"(?:(?=\w)\X)"  # a grapheme cluster that starts with a word character
_TOKEN_PATTERN = rf"""
      (?:[^\W\d_]\.){{2,}}(?!\w)                        # initialisms: U.S. e.g. a.m.
    | {_G}+(?:(?:[-\u2010\u2011'’](?=\w)|(?<=\d)[.,:/](?=\d)){_G}+)*   # words, numbers
    | \.{{2,}} | -{{2,}}                                 # ellipsis, double dash
    | (?=[^{_WS}])\X                                     # any other grapheme, alone
    """
# Without any character that can extend a grapheme cluster, code points are clusters: the
# same pattern without \X gives the same tokens about twice as fast.
_TOKEN_FAST = lazy_re.compile(
    __name__,
    "_TOKEN_FAST",
    _TOKEN_PATTERN.replace(_G, r"\w").replace(rf"(?=[^{_WS}])\X", rf"[^{_WS}]"),
    re.VERBOSE,
)
_CLITIC_PATTERN = r"(?i)(?<=\w)(?:['’](?:s|m|d|ll|re|ve)|n['’]t)$"
# Blocks with no character that clusters (Latin, Greek and Cyrillic letters without combining
# marks, typographic punctuation, currency): text made only of these needs neither \X nor the
# ``regex`` module (its import costs ~30 ms at start-up).  tests/test_text.py checks every one
# of these code points against ``_CLUSTERING`` and ``_CLITIC``.
_NO_CLUSTER_RANGES = "\x00-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1fff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u4e00-\u9fff"
_MAY_CLUSTER = lazy_re.compile(__name__, "_MAY_CLUSTER", f"[^{_NO_CLUSTER_RANGES}]")
# ``_CLITIC`` for those blocks, where ``re`` and ``regex`` disagree on \w only for these nine
_CLITIC_FAST = lazy_re.compile(
    __name__,
    "_CLITIC_FAST",
    _CLITIC_PATTERN.replace(r"(?<=\w)", r"(?<=[^\W\xb2\xb3\xb9\xbc-\xbe]|[\u203f\u2040\u2054])"),
)


@cache
def _grapheme_patterns() -> tuple[Any, Any, Any]:
    """(_TOKEN, _CLUSTERING, _CLITIC): the ``regex`` patterns, compiled on first need."""
    import regex

    token = regex.compile(_TOKEN_PATTERN, regex.VERBOSE | regex.V0)
    clustering = regex.compile(
        r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
        r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]"
    )
    clitic = regex.compile(_CLITIC_PATTERN)
    return token, clustering, clitic


def __getattr__(name: str) -> Any:
    """``_TOKEN``, ``_CLUSTERING`` and ``_CLITIC`` stay importable (compiled lazily)."""
    lazy = ("_TOKEN", "_CLUSTERING", "_CLITIC")
    if name in lazy:
        return _grapheme_patterns()[lazy.index(name)]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _has_clusters(text: str, clustering_re: Any) -> bool:
    """Does ``text`` hold a code point that joins a grapheme cluster?

    Most texts that may (an emoji, a few CJK or accented letters) hold only a handful of
    candidates: testing each distinct one is ten times faster than a ``regex`` scan of the
    whole text. Text full of candidates (Arabic, Devanagari) gets the scan.
    """
    candidates = list(islice(_MAY_CLUSTER.finditer(text), 256))
    if len(candidates) == 256:
        return clustering_re.search(text) is not None
    return any(clustering_re.match(ch) for ch in {m.group() for m in candidates})


def tokenize(text: str) -> list[Unit]:
    """Words, numbers and punctuation with offsets; whitespace is never inside a token."""
    units: list[Unit] = []
    append = units.append
    if text.isascii() or _MAY_CLUSTER.search(text) is None:  # ASCII: no cluster
        clitic_re = _CLITIC_FAST
    else:
        token_re, clustering_re, clitic_re = _grapheme_patterns()
        if _has_clusters(text, clustering_re):
            return _tokenize_clusters(text, token_re, clitic_re)
    # The common case, kept tight: no grapheme clusters, so no Prepend check either.
    for match in _TOKEN_FAST.finditer(text):
        word = match.group()
        if ("'" in word or "’" in word) and (clitic := clitic_re.search(word)):
            start, end = match.span()
            cut = start + clitic.start()
            append(Unit(start, cut, word[: clitic.start()]))
            append(Unit(cut, end, word[clitic.start() :]))
        else:
            append(Unit(match.start(), match.end(), word))
    return units


# Every clitic in a text (``_CLITIC_FAST`` without its end anchor), for ``token_spans``.
_CLITIC_SCAN = lazy_re.compile(__name__, "_CLITIC_SCAN", _CLITIC_FAST.pattern.removesuffix("$"))


@cache
def _clitic_scan(clitic_re: Any) -> Any:
    """``clitic_re`` (a ``regex`` pattern) without its end anchor: every clitic, in one scan."""
    import regex  # already imported by _grapheme_patterns

    return regex.compile(clitic_re.pattern.removesuffix("$"))


def _fast_clitic_scan(text: str) -> Any | None:
    """The clitic scan for ``text`` when its tokens need no grapheme clusters, else None."""
    if text.isascii() or _MAY_CLUSTER.search(text) is None:  # ASCII: no cluster
        return _CLITIC_SCAN
    _token_re, clustering_re, clitic_re = _grapheme_patterns()
    if _has_clusters(text, clustering_re):
        return None
    return _clitic_scan(clitic_re)  # the clitic test tokenize uses for such text


def _clitic_cuts(text: str, clitic: Any, starts: Any, ends: Any) -> dict[int, int]:
    """Token index -> where its clitic starts, for every token that ends with one.

    ``clitic`` (a scan pattern) is tried only at each apostrophe and the letter before it
    ("n't"): finding the apostrophes is several times faster than scanning for clitics.
    """
    cuts: dict[int, int] = {}
    if "'" not in text and "’" not in text:
        return cuts
    match = clitic.match
    n = len(ends)
    for quote in _APOSTROPHE.finditer(text):
        at = quote.start()
        found = match(text, at) or (match(text, at - 1) if at else None)
        if found is None:
            continue
        i = bisect_left(ends, found.end())
        if i < n and ends[i] == found.end() and starts[i] < found.start():
            cuts[i] = found.start()
    return cuts


_APOSTROPHE = lazy_re.compile(__name__, "_APOSTROPHE", "['’]")


def token_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every token, exactly as :func:`tokenize` gives them.

    The exports' hot path: no :class:`Unit` per token, and clitics found by one scan of the
    text instead of a test per token (a corpus export tokenises millions of tokens).
    """
    scan = _fast_clitic_scan(text)
    if scan is None:  # grapheme clusters: tokenize's own path
        return [(unit.start, unit.end) for unit in tokenize(text)]
    spans = list(map(_SPAN, _TOKEN_FAST.finditer(text)))
    if not spans or ("'" not in text and "’" not in text):
        return spans
    starts, ends = zip(*spans, strict=True)
    cuts = _clitic_cuts(text, scan, starts, ends)
    if not cuts:
        return spans
    out: list[tuple[int, int]] = []
    previous = 0
    for i in sorted(cuts):
        out.extend(spans[previous:i])
        start, end = spans[i]
        out += [(start, cuts[i]), (cuts[i], end)]
        previous = i + 1
    out.extend(spans[previous:])
    return out


_SPAN = re.Match.span
_START = re.Match.start
_END = re.Match.end
# A token or a run of whitespace, with the single space that may follow it (see spacy_tokens)
_SPACY_FAST = lazy_re.compile(
    __name__, "_SPACY_FAST", rf"(\s+|{_TOKEN_FAST.pattern})\x20?", re.VERBOSE
)


class SpacyTokens(NamedTuple):
    """Tokens as spaCy keeps them: ``starts``, ``ends`` and ``follows`` per token.

    ``follows[i]`` is where what comes after token ``i`` starts: ``ends[i] + 1`` when one
    space follows it that is no token (spaCy's ``whitespace_``, Prodigy's ``ws``), else
    ``ends[i]``. Every character of the text is in exactly one token or is such a space.
    """

    starts: list[int]
    ends: list[int]
    follows: list[int]


def spacy_tokens(text: str) -> SpacyTokens:
    """Our tokens (exactly :func:`token_spans`) and, between them, spaCy's whitespace tokens.

    spaCy makes one space after a token that token's trailing whitespace and every other
    whitespace a token of its own: a run at the start of the text whole, elsewhere the rest of
    a run after its first space (``"a \\n b"`` -> ``a`` + space, ``"\\n "``, ``b``). So the
    words and the ``ws`` flags rebuild the text exactly (``spacy.tokens.Doc(vocab, words,
    spaces).text == text``). One regex scan on the common path.
    """
    scan = _fast_clitic_scan(text)
    if scan is None:
        return _with_whitespace(text, token_spans(text))
    matches = list(_SPACY_FAST.finditer(text))
    starts = list(map(_START, matches))
    ends = list(map(_END, matches, repeat(1)))
    follows = list(map(_END, matches))
    cuts = _clitic_cuts(text, scan, starts, ends)
    if cuts:
        return split_tokens(SpacyTokens(starts, ends, follows), {i: [p] for i, p in cuts.items()})
    return SpacyTokens(starts, ends, follows)


def _with_whitespace(text: str, spans: list[tuple[int, int]]) -> SpacyTokens:
    """:func:`spacy_tokens` from our tokens, gap by gap (the path for grapheme clusters)."""
    starts: list[int] = []
    ends: list[int] = []
    follows: list[int] = []
    previous = 0
    for start, end in [*spans, (len(text), len(text))]:
        if start > previous:
            if starts and text[previous] == " ":
                follows[-1] = previous = previous + 1
            if start > previous:
                starts.append(previous)
                ends.append(start)
                follows.append(start)
        if end > start:
            starts.append(start)
            ends.append(end)
            follows.append(end)
        previous = end
    return SpacyTokens(starts, ends, follows)


def split_tokens(tokens: SpacyTokens, cuts: dict[int, list[int]]) -> SpacyTokens:
    """``tokens`` with token ``i`` cut at each point of ``cuts[i]`` (sorted, distinct).

    A point inside the token (``starts[i] < p < ends[i]``) splits it; the point ``ends[i]``
    of a token followed by a space makes that space a token of its own.
    """
    starts: list[int] = []
    ends: list[int] = []
    follows: list[int] = []
    done = 0
    for i in sorted(cuts):
        starts += tokens.starts[done:i]
        ends += tokens.ends[done:i]
        follows += tokens.follows[done:i]
        start, end, follow = tokens.starts[i], tokens.ends[i], tokens.follows[i]
        for point in cuts[i]:
            starts.append(start)
            ends.append(point)
            follows.append(point)
            if point == end:  # the space after the token becomes one
                end = follow
            start = point
        starts.append(start)
        ends.append(end)
        follows.append(follow)
        done = i + 1
    starts += tokens.starts[done:]
    ends += tokens.ends[done:]
    follows += tokens.follows[done:]
    return SpacyTokens(starts, ends, follows)


def _tokenize_clusters(text: str, token_re: Any, clitic_re: Any) -> list[Unit]:
    units: list[Unit] = []
    append = units.append
    for match in token_re.finditer(text):
        start, end = match.span()
        word = match.group()
        if ("'" in word or "’" in word) and (clitic := clitic_re.search(word)):
            cut = start + clitic.start()
            append(Unit(start, cut, word[: clitic.start()]))
            append(Unit(cut, end, word[clitic.start() :]))
            continue
        if not word.isprintable() and any(ch.isspace() for ch in word):
            # a Prepend grapheme can swallow a space: fall back to non-space runs
            for part in re.finditer(r"\S+", word):
                append(Unit(start + part.start(), start + part.end(), part.group()))
            continue
        append(Unit(start, end, word))
    return units


# --------------------------------------------------------------------------- paragraphs

_LINE = lazy_re.compile(__name__, "_LINE", r"[^\n]+")


def split_paragraphs(text: str) -> list[Unit]:
    """Non-empty lines, trimmed (news paragraphs are lines)."""
    units = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        units.append(Unit(start, start + len(stripped), stripped))
    return units


# --------------------------------------------------------------------------- sentences

_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cpl",
        "maj",
        "adm",
        "cmdr",
        "rev",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "cllr",
        "mt",
        "ft",
        "fr",
        "messrs",
        "mme",
        "mlle",
        "vs",
        "v",
        "cf",
    ]
)
_BEFORE_NUMBER = frozenset(
    [
        "no",
        "nos",
        "vol",
        "pp",
        "p",
        "fig",
        "art",
        "ch",
        "sec",
        "para",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "ca",
        "approx",
        "op",
        "nr",
        "tel",
    ]
)
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "but",
        "and",
        "so",
        "yet",
        "however",
        "in",
        "on",
        "at",
        "for",
        "if",
        "when",
        "while",
        "after",
        "before",
        "as",
        "what",
        "why",
        "how",
        "who",
        "meanwhile",
        "still",
        "also",
    ]
)
_BOUNDARY = lazy_re.compile(__name__, "_BOUNDARY", r"(?:[.!?…]+)[\"”’'»)\]]*(?=\s)")
_OPEN_PUNCT = "\"“‘'«([{¿¡"
_INITIALISM = lazy_re.compile(__name__, "_INITIALISM", r"(?:[^\W\d_]\.)+[^\W\d_]")


def _sentence_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside ``text[start:end]`` (one line) where a new sentence starts."""
    breaks = []
    for match in _BOUNDARY.finditer(text, start, end):
        nxt = match.end()
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            break
        probe = nxt
        while probe < end and text[probe] in _OPEN_PUNCT:
            probe += 1
        if probe < end and text[probe].islower():
            continue
        punct = match.group()
        if punct[0] == "." and not punct.startswith(".."):
            word_start = match.start()
            while word_start > start and not text[word_start - 1].isspace():
                word_start -= 1
            word = text[word_start : match.start()].lstrip(_OPEN_PUNCT)
            lower = word.lower()
            if lower in _TITLES:
                continue
            if len(word) == 1 and word.isupper() and word != "I":
                continue  # an initial: "Donald J. Trump"
            if lower in _BEFORE_NUMBER and probe < end and text[probe].isdigit():
                continue
            if _INITIALISM.fullmatch(word):
                next_word = re.match(r"\w+", text[probe:end])
                if not next_word or next_word.group().lower() not in _OPENERS:
                    continue
        breaks.append(nxt)
    return breaks


def split_sentences(text: str) -> list[Unit]:
    """Sentences, trimmed; a sentence never crosses a line break."""
    units = []
    for para in split_paragraphs(text):
        begin = para.start
        for cut in _sentence_breaks(text, para.start, para.end):
            stop = cut
            while stop > begin and text[stop - 1].isspace():
                stop -= 1
            if stop > begin:
                units.append(Unit(begin, stop, text[begin:stop]))
            begin = cut
        units.append(Unit(begin, para.end, text[begin : para.end]))
    return units


# --------------------------------------------------------------------------- quotations

_QUOTE_CHARS = lazy_re.compile(__name__, "_QUOTE_CHARS", r"[\"“”„‟«»'‘’‚‛]")
_DOUBLE = frozenset('"“”„‟«»')
_ALWAYS_OPEN = frozenset("“„‟«‘‚‛")
_ALWAYS_CLOSE = frozenset("”»")
_OPEN_BEFORE = frozenset("([{<—–-/:\"“‘'«")
_ELISIONS = lazy_re.compile(__name__, "_ELISIONS", r"(?i)(?:em|tis|twas|cause|til|n|\d\ds)\b")


def _classify(text: str, i: int, lo: int, hi: int) -> str | None:
    """'open', 'close', 'either' or None (apostrophe / stray) for the quote mark at ``i``."""
    ch = text[i]
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    prev_space = not prev or prev.isspace() or prev in _OPEN_BEFORE
    next_space = not nxt or nxt.isspace()
    if ch in _ALWAYS_OPEN:
        return None if next_space else "open"
    if ch in _ALWAYS_CLOSE:
        return "close"
    if ch in "'’":
        if prev.isalnum() and nxt.isalnum():
            return None  # apostrophe: Kyiv's, don't, O'Brien
        if prev_space and not next_space:
            if ch == "’" or _ELISIONS.match(text, i + 1, hi):
                return None  # ’90s, 'em
            return "open"
        if not prev_space and (next_space or not nxt.isalnum()):
            return "close"
        return None
    # straight double quote
    if prev_space and not next_space:
        return "open"
    if not prev_space and (next_space or not nxt.isalnum()):
        return "close"
    if not prev_space and not next_space:
        return "either"
    return None


def find_quotations(text: str) -> list[Unit]:
    """Content between matching quote marks (marks excluded), sorted by start.

    Double (straight or curly) and single (straight or curly) quotes are matched separately,
    so they nest. Apostrophes are told apart from single quotes by context. News style: when a
    quotation is still open at the end of a paragraph and the next paragraph opens with the
    same kind of quote mark, the quotation continues there.
    """
    found: list[Unit] = []
    paras = split_paragraphs(text)
    stacks: dict[bool, list[int]] = {True: [], False: []}
    for number, para in enumerate(paras):
        for match in _QUOTE_CHARS.finditer(text, para.start, para.end):
            i = match.start()
            double = match.group() in _DOUBLE
            kind = _classify(text, i, para.start, para.end)
            if kind is None:
                continue
            stack = stacks[double]
            if i == para.start and kind != "close" and number and stack:
                continue  # news continuation: this opener continues the open quotation
            if kind == "either":
                kind = "close" if stack else "open"
            if kind == "open":
                stack.append(i + 1)
            elif stack:
                unit = _trimmed(text, stack.pop(), i)
                if unit is not None:
                    found.append(unit)
        nxt = paras[number + 1] if number + 1 < len(paras) else None
        for double, stack in stacks.items():
            if stack and (nxt is None or not _opens_with_quote(text, nxt, double)):
                stack.clear()
    found.sort(key=lambda u: (u.start, -u.end))
    return found


def _opens_with_quote(text: str, para: Unit, double: bool) -> bool:
    ch = text[para.start]
    if (ch in _DOUBLE) != double or not _QUOTE_CHARS.match(ch):
        return False
    return _classify(text, para.start, para.start, para.end) in ("open", "either")


def _trimmed(text: str, start: int, end: int) -> Unit | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return Unit(start, end, text[start:end])


# --------------------------------------------------------------------------- index


class TextIndex:
    """Tokens, sentences, paragraphs and quotations of one text, with bisect lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.sentences = split_sentences(text)
        self.paragraphs = split_paragraphs(text)
        self.quotations = find_quotations(text)
        self._tok_starts = [u.start for u in self.tokens]
        self._tok_ends = [u.end for u in self.tokens]
        self._sent_starts = [u.start for u in self.sentences]
        self._sent_ends = [u.end for u in self.sentences]
        self._para_starts = [u.start for u in self.paragraphs]
        self._quote_starts = [u.start for u in self.quotations]
        self._quote_max_end: list[int] = []
        best = -1
        for unit in self.quotations:
            best = max(best, unit.end)
            self._quote_max_end.append(best)

    # tokens
    def token_at(self, offset: int) -> int | None:
        """Index of the token containing ``offset``, or None in whitespace / out of range."""
        i = bisect_right(self._tok_starts, offset) - 1
        if i >= 0 and offset < self._tok_ends[i]:
            return i
        return None

    def token_index_at_or_after(self, offset: int) -> int:
        """First token whose end is after ``offset`` (``len(tokens)`` if none)."""
        return bisect_right(self._tok_ends, offset)

    def token_index_before(self, offset: int) -> int:
        """Last token that starts before ``offset`` (-1 if none)."""
        return bisect_left(self._tok_starts, offset) - 1

    def tokens_in(self, start: int, end: int) -> tuple[int, int]:
        """Token index range ``[i, j)`` overlapping ``start..end``.

        An empty range (``start == end``) means the token at that offset, if any.
        """
        if start >= end:
            i = self.token_at(start)
            return (i, i + 1) if i is not None else (self.token_index_at_or_after(start),) * 2
        i = bisect_right(self._tok_ends, start)
        j = bisect_left(self._tok_starts, end)
        return (i, max(i, j))

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Expand ``start..end`` to whole tokens (whitespace at the edges is dropped).

        A range that covers no token comes back empty: ``(start, start)``.
        """
        if start > end:
            start, end = end, start
        i, j = self.tokens_in(start, end)
        if i >= j:
            return (start, start)
        return (self.tokens[i].start, self.tokens[j - 1].end)

    # sentences and paragraphs
    def sentence_index_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset``, else of the next one (may be len)."""
        return bisect_right(self._sent_ends, offset)

    def sentences_in(self, start: int, end: int) -> list[Unit]:
        """The sentences overlapping ``start..end``, in order."""
        i = bisect_right(self._sent_ends, start)
        j = bisect_left(self._sent_starts, end)
        return self.sentences[i:j]

    def sentence_at(self, offset: int) -> Unit | None:
        i = bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and offset < self._sent_ends[i]:
            return self.sentences[i]
        return None

    def paragraph_index_at(self, offset: int) -> int:
        """Index of the paragraph containing ``offset``, else of the next one (may be len)."""
        i = bisect_right(self._para_starts, offset) - 1
        if i >= 0 and offset < self.paragraphs[i].end:
            return i
        return i + 1

    def paragraph_at(self, offset: int) -> Unit | None:
        i = bisect_right(self._para_starts, offset) - 1
        if i >= 0 and offset < self.paragraphs[i].end:
            return self.paragraphs[i]
        return None

    def quotation_at(self, offset: int) -> Unit | None:
        """The innermost quotation containing ``offset``."""
        i = bisect_right(self._quote_starts, offset) - 1
        best: Unit | None = None
        while i >= 0 and self._quote_max_end[i] > offset:
            unit = self.quotations[i]
            if offset < unit.end and (
                best is None or unit.end - unit.start < best.end - best.start
            ):
                best = unit
            i -= 1
        return best
