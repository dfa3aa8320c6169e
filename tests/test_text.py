"""Text units: sanitising, decoding, tokens, sentences, paragraphs, quotations, TextIndex."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import text as text_module
from annotator.text import (
    DecodeError,
    TextIndex,
    Unit,
    decode_bytes,
    find_quotations,
    sanitize,
    split_paragraphs,
    split_sentences,
    tokenize,
)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_afbc20cf0ccb7af1.txt"


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    return [u.text for u in tokenize(text)]


def sentences(text: str) -> list[str]:
    return [u.text for u in split_sentences(text)]


def quotes(text: str) -> list[str]:
    return [u.text for u in find_quotations(text)]


def assert_units(text: str, units: list[Unit]) -> None:
    for unit in units:
        assert 0 <= unit.start < unit.end <= len(text)
        assert text[unit.start : unit.end] == unit.text


# --------------------------------------------------------------------------- sanitize


def test_sanitize_newlines_and_controls() -> None:
    assert sanitize("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert sanitize("a\x00b\x07c\x0bd\x0ce\x7ff\x85g\x9ch") == "abcdefgh"
    assert sanitize("tab\there") == "tab\there"
    assert sanitize("line\u2028sep\u2029para") == "line\nsep\npara"


def test_sanitize_removes_escape_sequences_whole() -> None:
    assert sanitize("\x1b[31mred\x1b[0m plain") == "red plain"
    assert sanitize("\x1b[1;38;5;208mX\x1b[K") == "X"
    assert sanitize("a\x1b]0;evil title\x07b") == "ab"  # OSC ended by BEL
    assert sanitize("a\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"  # ST
    assert sanitize("a\x1b(Bb\x1bMc") == "abc"
    assert sanitize("lone escape\x1b") == "lone escape"


def test_sanitize_keeps_unicode_and_markup(tmp_path: Path) -> None:
    sample = "[/] [@click=app.quit]x[/] 👩‍👩‍👧 e\u0301 中文 مرحبا \u200f"
    assert sanitize(sample) == sample


@given(st.text())
def test_sanitize_idempotent_and_clean(raw: str) -> None:
    once = sanitize(raw)
    assert sanitize(once) == once
    assert "\x1b" not in once and "\r" not in once
    for ch in once:
        code = ord(ch)
        assert ch in "\n\t" or not (code < 0x20 or 0x7F <= code <= 0x9F)


@given(st.text(alphabet=st.sampled_from(list("ab \n\r\t\x00\x1b[]0;m\x07\\\x9b\x9d"))))
def test_sanitize_idempotent_on_escape_soup(raw: str) -> None:
    once = sanitize(raw)
    assert sanitize(once) == once
    assert "\x1b" not in once


# --------------------------------------------------------------------------- decode


def test_decode_utf8_and_bom() -> None:
    assert decode_bytes("héllo".encode()) == ("héllo", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfhi") == ("hi", "utf-8 (BOM)")


def test_decode_utf16_by_bom_and_without() -> None:
    assert decode_bytes("\ufeffKyiv’s".encode("utf-16-le")) == ("Kyiv’s", "utf-16-le")
    assert decode_bytes("\ufeffKyiv’s".encode("utf-16-be")) == ("Kyiv’s", "utf-16-be")
    text, encoding = decode_bytes("Plain English text here.".encode("utf-16-le"))
    assert text == "Plain English text here." and "no BOM" in encoding


def test_decode_cp1252_fallback() -> None:
    text, encoding = decode_bytes("“Café” – 10€".encode("cp1252"))
    assert text == "“Café” – 10€" and encoding == "cp1252"


def test_decode_mostly_utf8_with_a_broken_byte() -> None:
    data = "Zelenskyy’s café, Kyiv’s “allies”".encode() + b"\xff"
    text, encoding = decode_bytes(data)
    assert text.startswith("Zelenskyy’s café") and "replaced" in encoding


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        bytes(range(256)) * 20,
        b"\x00\x01\x02\x03" * 500,
        b"%PDF-1.7\n...",
    ],
)
def test_decode_binary_raises(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


def test_decode_few_nuls_is_text() -> None:
    text, _ = decode_bytes(b"Some text\x00 with a stray NUL byte in a long enough line." * 5)
    assert sanitize(text).startswith("Some text with")


# --------------------------------------------------------------------------- tokens


def test_tokens_news_cases() -> None:
    assert words("Kyiv's allies") == ["Kyiv", "'s", "allies"]
    assert words("Zelenskyy’s warring") == ["Zelenskyy", "’s", "warring"]
    assert words("Kremlin-linked forces") == ["Kremlin-linked", "forces"]
    assert words("at 22:04 on 18/12/2024") == ["at", "22:04", "on", "18/12/2024"]
    assert words("£1,000 or 2.5%") == ["£", "1,000", "or", "2.5", "%"]
    assert words("the U.S. and e.g. this") == ["the", "U.S.", "and", "e.g.", "this"]
    assert words("we've don't O'Brien's") == ["we", "'ve", "do", "n't", "O'Brien", "'s"]
    assert words("“Hello,” she said...") == ["“", "Hello", ",", "”", "she", "said", "..."]
    assert words("'Ukraine cannot'") == ["'", "Ukraine", "cannot", "'"]
    assert words("1am - 4am") == ["1am", "-", "4am"]


def test_tokens_keep_graphemes_whole() -> None:
    family = "👩\u200d👩\u200d👧"
    assert words(f"a {family} b") == ["a", family, "b"]
    assert words("thumbs 👍🏽 up") == ["thumbs", "👍🏽", "up"]
    assert words("cafe\u0301 ok") == ["cafe\u0301", "ok"]
    assert words("flag 🇺🇦!") == ["flag", "🇺🇦", "!"]
    assert words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]
    assert words("keycap 1️⃣") == ["keycap", "1️⃣"]
    assert words("?\u0301") == ["?\u0301"]


def test_tokens_cjk_rtl_tabs() -> None:
    assert words("北京\tمرحبا بالعالم") == ["北京", "مرحبا", "بالعالم"]


def test_tokens_on_seed(seed: str) -> None:
    tokens = tokenize(seed)
    assert_units(seed, tokens)
    texts = [t.text for t in tokens]
    assert "22:04" in texts and "Kremlin-linked" in texts and "Kyiv" in texts
    assert "Kyiv's" not in texts


def test_fast_and_grapheme_patterns_agree() -> None:
    sample = "Kyiv's U.S. 2.5 22:04 Kremlin-linked “quote” don't ... -- x-y 1,000 a.m."
    assert text_module._CLUSTERING.search(sample) is None
    slow = [m.span() for m in text_module._TOKEN.finditer(sample)]
    fast = [m.span() for m in text_module._TOKEN_FAST.finditer(sample)]
    assert slow == fast


TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(" \n\t'’-.,:\"“”‘\u200d\u0301\ufe0f👩🇺🇦0123456789sS")),
    ),
    max_size=200,
)


@given(TEXTS)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_token_properties(text: str) -> None:
    tokens = tokenize(text)
    previous_end = 0
    for token in tokens:
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        assert not any(ch.isspace() for ch in token.text)
        previous_end = token.end
    covered = {i for t in tokens for i in range(t.start, t.end)}
    for i, ch in enumerate(text):  # everything that is not whitespace is in a token
        if not ch.isspace():
            assert i in covered


@given(TEXTS, st.integers(0, 220), st.integers(0, 220))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_snap_gives_token_boundaries(text: str, a: int, b: int) -> None:
    index = TextIndex(text)
    a, b = min(a, len(text)), min(b, len(text))
    start, end = index.snap(a, b)
    if start == end:
        low, high = min(a, b), max(a, b)
        assert all(t.end <= low or t.start >= high for t in index.tokens) or low == high
        return
    starts = {t.start for t in index.tokens}
    ends = {t.end for t in index.tokens}
    assert start in starts and end in ends
    assert not text[start].isspace() and not text[end - 1].isspace()
    low, high = min(a, b), max(a, b)
    if low < high:  # every token overlapping the selection is inside the snapped range
        for t in index.tokens:
            if t.start < high and low < t.end:
                assert start <= t.start and t.end <= end


# --------------------------------------------------------------------------- sentences

HARD_CASES = [
    (
        "Mr Zelenskyy said on Wednesday: “We cannot give up our territories. "
        "The Ukrainian constitution forbids us to do so.",
        [
            "Mr Zelenskyy said on Wednesday: “We cannot give up our territories.",
            "The Ukrainian constitution forbids us to do so.",
        ],
    ),
    (
        "Dr. Smith met Mr. Jones in the U.S. capital on Monday. They talked.",
        ["Dr. Smith met Mr. Jones in the U.S. capital on Monday.", "They talked."],
    ),
    (
        "The U.S. President spoke. He was in the U.S. The trip ended.",
        ["The U.S. President spoke.", "He was in the U.S.", "The trip ended."],
    ),
    (
        '"We will win," he said. "Nobody doubts it."',
        ['"We will win," he said.', '"Nobody doubts it."'],
    ),
    ("“Is it over?” she asked. “No.”", ["“Is it over?” she asked.", "“No.”"]),
    (
        "Prices rose 2.5 per cent to £1,000 at 22:04 on Jan. 5. Markets fell.",
        ["Prices rose 2.5 per cent to £1,000 at 22:04 on Jan. 5.", "Markets fell."],
    ),
    (
        "Donald J. Trump met Boris Johnson at No. 10 Downing Street. It was brief.",
        ["Donald J. Trump met Boris Johnson at No. 10 Downing Street.", "It was brief."],
    ),
    (
        "Mr. and Mrs. Smith arrived at 10 a.m. They left at noon.",
        ["Mr. and Mrs. Smith arrived at 10 a.m.", "They left at noon."],
    ),
    (
        "Gen. Smith visited St. Petersburg at 5 p.m. Monday. Then he left.",
        ["Gen. Smith visited St. Petersburg at 5 p.m. Monday.", "Then he left."],
    ),
    (
        "“We can only count on pressure. It is all we have. Nothing else works,” he said.",
        ["“We can only count on pressure.", "It is all we have.", "Nothing else works,” he said."],
    ),
    (
        "The talks, e.g. in Geneva, failed... Nobody knows why!",
        ["The talks, e.g. in Geneva, failed...", "Nobody knows why!"],
    ),
    ("  Padded line.   Two.  ", ["Padded line.", "Two."]),
]


@pytest.mark.parametrize(("text", "expected"), HARD_CASES)
def test_sentences_hard_cases(text: str, expected: list[str]) -> None:
    units = split_sentences(text)
    assert_units(text, units)
    assert [u.text for u in units] == expected


def test_sentences_never_cross_lines() -> None:
    text = "First line without stop\nSecond line. Third sentence.\n\n  Fourth  "
    assert sentences(text) == [
        "First line without stop",
        "Second line.",
        "Third sentence.",
        "Fourth",
    ]


def test_sentences_on_seed(seed: str) -> None:
    units = split_sentences(seed)
    assert_units(seed, units)
    assert len(units) == 30
    texts = [u.text for u in units]
    assert (
        "“We can only count on diplomatic pressure from the international community to force "
        'Putin to sit down at the negotiating table."'
    ) in texts
    assert "Mr Zelenskyy said on Wednesday: “We cannot give up our territories." in texts
    for unit in units:
        assert "\n" not in unit.text and unit.text == unit.text.strip()


@given(TEXTS)
@settings(max_examples=200)
def test_sentence_and_paragraph_properties(text: str) -> None:
    for units in (split_sentences(text), split_paragraphs(text)):
        assert_units(text, units)
        for unit in units:
            assert "\n" not in unit.text and unit.text == unit.text.strip()
        assert all(a.end <= b.start for a, b in itertools.pairwise(units))


def test_paragraphs() -> None:
    text = "  One.\n\n \t\nTwo two.\r\nThree"
    assert [u.text for u in split_paragraphs(text)] == ["One.", "Two two.", "Three"]
    assert [u.text for u in split_paragraphs(sanitize(text))] == ["One.", "Two two.", "Three"]


# --------------------------------------------------------------------------- quotations


def test_quotations_on_seed(seed: str) -> None:
    found = find_quotations(seed)
    assert_units(seed, found)
    texts = [q.text for q in found]
    assert "Ukraine cannot take back territory occupied by Russia" in texts
    assert "The Cold War is now hot" in texts
    assert "not been worth it," in texts
    assert "hot phase" in texts
    assert "double down" in texts
    # news style: opened with “, continued by a paragraph opening with ", closed with ”
    multi = next(t for t in texts if t.startswith("We cannot give up"))
    assert multi.endswith("We do not have the strength to recover them,")
    assert "\n" in multi
    # no quotation starts or ends at an apostrophe
    for q in found:
        assert q.text not in ("s warring nations", "s allies")


def test_quotations_apostrophes_and_single_quotes() -> None:
    assert quotes("Kyiv's allies and we've don't") == []
    assert quotes("He said 'not now' and left.") == ["not now"]
    assert quotes("‘Nested “inner” text’") == ["Nested “inner” text", "inner"]
    assert quotes("The Ukrainians' land and 'yes' here") == ["yes"]
    assert quotes("in the '90s, 'em and ’tis") == []
    assert quotes('"Straight" and “curly” and "mixed”') == ["Straight", "curly", "mixed"]


def test_quotation_spanning_paragraphs_needs_reopening_mark() -> None:
    text = "“First part.\n“Second part.” he said.\n“Unclosed at end\nPlain paragraph."
    assert quotes(text) == ["First part.\n“Second part."]


def test_quotation_at_innermost() -> None:
    text = "He said “they called it ‘a farce’ today” loudly."
    index = TextIndex(text)
    inner = index.quotation_at(text.index("farce"))
    outer = index.quotation_at(text.index("called"))
    assert inner is not None and inner.text == "a farce"
    assert outer is not None and outer.text.startswith("they called")
    assert index.quotation_at(text.index("loudly")) is None


# --------------------------------------------------------------------------- index


def test_index_lookups(seed: str) -> None:
    index = TextIndex(seed)
    at = seed.index("Kyiv's")
    i = index.token_at(at)
    assert i is not None and index.tokens[i].text == "Kyiv"
    assert index.tokens[index.token_at(at + 4)].text == "'s"  # type: ignore[index]
    space = seed.index(" ", at)
    assert index.token_at(space) is None
    assert index.tokens[index.token_index_at_or_after(space)].start == space + 1
    assert index.tokens[index.token_index_before(space)].end == space
    assert index.token_index_before(0) == -1
    assert index.token_index_at_or_after(len(seed)) == len(index.tokens)
    assert index.snap(at + 1, at + 3) == (at, at + 4)
    assert index.snap(space, space + 1) == (space, space)
    assert index.snap(at - 1, at + 5) == (at, at + 6)
    sentence = index.sentence_at(seed.index("Black Sea"))
    assert sentence is not None and sentence.text.startswith("Russia took Crimea")
    assert index.sentence_at(seed.index("\n")) is None
    j = index.sentence_index_at(seed.index("\n"))
    assert index.sentences[j].start == seed.index("\n") + 1
    para = index.paragraph_at(seed.index("Kherson"))
    assert para is not None and para.text.endswith("reject.")
    quote = index.quotation_at(seed.index("Le Parisien") - 30)
    assert quote is not None and quote.text.startswith("We cannot give up")
    i, j = index.tokens_in(at, at + 6)
    assert [t.text for t in index.tokens[i:j]] == ["Kyiv", "'s"]


def test_index_on_50000_words_builds(seed: str) -> None:
    big = "\n".join([seed] * 95)
    index = TextIndex(big)  # timed in benchmarks, here only correctness at scale
    assert len(big.split()) > 50_000
    assert len(index.sentences) == 30 * 95
    assert_units(big, index.quotations[:50])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "n",
                "t",
                "s",
                "d",
                "ll",
                "re",
                "ve",
                "M",
                "'",
                "’",
                "-",
                " ",
                "\n",
                "1",
                ".",
                ":",
                ",",
                "é",
                "e\u0301",
                "中",
                "👍",
                "\u200d",
                "²",
                "ⁿ",
                "\u0660",
                "don't",
                "Kyiv's",
                "we've",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_token_spans_are_the_tokens_offsets(text: str) -> None:
    """The exports' fast path gives exactly tokenize()'s boundaries."""
    from annotator.text import token_spans

    assert token_spans(text) == [(u.start, u.end) for u in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ascii", False),
        ("café 東京 🚀 ’quote’", False),
        ("cafe\u0301", True),  # a combining mark
        ("🇺🇦 flag", True),  # regional indicators
        ("ב" * 300 + "e\u0301", True),  # past the candidate limit: the full scan finds it
        ("ب" * 300, False),
        ("👩\u200d💻", True),  # ZWJ
    ],
)
def test_has_clusters_agrees_with_a_full_scan(text: str, expected: bool) -> None:
    from annotator.text import _grapheme_patterns, _has_clusters

    clustering = _grapheme_patterns()[1]
    assert (clustering.search(text) is not None) == expected
    assert _has_clusters(text, clustering) == expected


def test_sentences_in_matches_a_scan() -> None:
    text = "One two. Three four five. Six. Seven eight nine ten."
    index = TextIndex(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            want = [s for s in index.sentences if s.start < end and s.end > start]
            assert index.sentences_in(start, end) == want, (start, end)


def test_story_part_leaves_boilerplate_out():
    from annotator.model import Document

    text = "Story one.\nRead more: other\nStory two."
    doc = Document(id="d", text=text, boilerplate=[(11, 27)])
    assert doc.story_part(0, 5) == (0, 5)  # no boilerplate: unchanged
    assert doc.story_part(6, 15) == (6, 10)  # stops at the boilerplate, newline trimmed
    assert doc.story_part(13, len(text)) == (28, len(text))  # starts inside: moves past it
    assert doc.story_part(12, 20) is None  # only boilerplate
    part = doc.story_part(0, len(text))
    assert part is not None and text[slice(*part)] == "Story one."


def test_story_part_leaves_the_date_line_out_and_stops_at_the_title_end():
    from annotator.model import Document

    text = "Schedule 1am\nA headline about it\n3 March 2025\nBody one.\nBody two."
    title, date = (13, 32), (33, 45)
    doc = Document(id="d", text=text, boilerplate=[(0, 12)], title_span=title, date_span=date)
    assert text[slice(*title)] == "A headline about it" and text[slice(*date)] == "3 March 2025"
    assert doc.story_part(13, 45) == title  # a tag started in the title: not the date line
    assert doc.story_part(13, len(text)) == title
    assert doc.story_part(33, 45) is None  # only the date line
    assert doc.story_part(36, 55) == (46, 55)  # starts in the date line: moves past it
    assert doc.story_part(46, len(text)) == (46, len(text))  # the body: unchanged
    assert doc.story_part(15, 20) == (15, 20)
    assert doc.story_stretch(20) == title
    assert doc.story_stretch(50) == (45, len(text))
    assert doc.story_stretch(40) == date
