"""Token exports align every span: a span edge inside one of our tokens cuts that token.

spaCy/Prodigy: the tokens and their ``ws`` rebuild the text, so ``Doc(vocab, words, spaces)`` is
the document, and ``Doc.char_span(start, end)`` finds every span at its ``token_start`` ..
``token_end``. CoNLL and Hugging Face: the tags of a span lie on exactly its characters. The
stored offsets never change.
"""

from __future__ import annotations

import io
import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.corpus import parse_article
from annotator.export import conll, export, hf, spacy
from annotator.export.common import ExportDoc, ExportReport
from annotator.model import make_span
from annotator.store import open_store
from annotator.text import spacy_tokens, token_spans
from bio_check import conll_sentences
from test_cli import run  # the real command

spacy_lib = pytest.importorskip("spacy")
seqeval_labeling = pytest.importorskip("seqeval.metrics.sequence_labeling")
from spacy.tokens import Doc  # noqa: E402

NLP = spacy_lib.blank("en")  # a tokenizer and a vocabulary: nothing to download

# Model output on news cuts our tokens: a clitic ("wouldn" of "wouldn't"; "Kyiv" of "Kyiv's" is
# one of our tokens already),
# a hyphenated word ("south" of "south-west"), a CJK word ("東京" of "東京都"), an emoji ZWJ
# sequence ("👩" of "👩‍💻"), an emoji with a skin tone, a flag, a combining mark, and spans
# that start or end on the space after a token.
TEXT = (
    "Strikes hit Kyiv's south-west overnight\n"
    "The governor of 東京都 said he wouldn't go 👩\u200d💻 today.\n"
    "Fans 👍🏽 cheered 🇺🇦 flags, Ne\u0301e Smith said.\n"
)
PIECES = [
    ("Kyiv", "LOCATION", 0),
    ("south", "LOCATION", 0),
    ("west overnight", "CLAIM", 0),
    ("東京", "LOCATION", 0),
    ("wouldn", "ACTOR", 0),
    ("👩", "ACTOR", 0),
    ("\u200d💻 today", "CLAIM", 0),
    ("👍", "ACTOR", 0),
    ("🇺", "LOCATION", 0),
    ("Ne", "ACTOR", 0),
    (" Smith", "ACTOR", 0),  # starts on the space spaCy keeps as "Ne\u0301e"'s ws
    ("governor ", "ACTOR", 0),  # ends on it
    ("Fans", "ACTOR", 0),  # on our tokens
]


def at(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def our_tokens_cut(text: str, edges: set[int]) -> list[tuple[int, int]]:
    """Our tokens, each cut at the edges strictly inside it: what every token export writes."""
    out: list[tuple[int, int]] = []
    for start, end in token_spans(text):
        out += pairwise([start, *sorted(p for p in edges if start < p < end), end])
    return out


def check_spacy_task(task: dict, edges: set[int] | None = None) -> None:
    """Tokens rebuild the text; spaCy finds every span at its token range; words are ours, cut
    only at span edges inside them."""
    text, tokens = task["text"], task["tokens"]
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    for token, after in zip(tokens, [*tokens[1:], None], strict=True):
        assert token["text"] == text[token["start"] : token["end"]] != ""
        follows = after["start"] if after else len(text)
        assert follows == token["end"] + token["ws"]
        assert not token["ws"] or text[token["end"]] == " "
    words = [t["text"] for t in tokens]
    doc = Doc(NLP.vocab, words=words, spaces=[t["ws"] for t in tokens])
    assert doc.text == text
    if edges is None:
        edges = {e for item in task["spans"] for e in (item["start"], item["end"])}
    assert [(t["start"], t["end"]) for t in tokens if not t["text"].isspace()] == our_tokens_cut(
        text, edges
    )
    for item in task["spans"]:
        found = doc.char_span(item["start"], item["end"], label=item["label"])
        assert found is not None, item
        assert found.text == item["text"] == text[item["start"] : item["end"]]
        assert (found.start, found.end - 1) == (item["token_start"], item["token_end"])
    for rel in task.get("relations", []):
        assert rel["head"] == rel["head_span"]["token_end"]
        assert rel["child"] == rel["child_span"]["token_end"]


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "a.json", annotator="model") as store:
        doc = parse_article(TEXT, path="news.txt")
        assert doc.text == TEXT
        store.add_document(doc)
        spans = {
            piece: store.add_span(doc.id, *at(TEXT, piece, nth), label, origin="imported")
            for piece, label, nth in PIECES
        }
        store.add_relation(spans["west overnight"].id, spans["Kyiv"].id, "ABOUT")
        yield store


def jsonl(store, fmt: str, **options) -> tuple[list[dict], ExportReport]:
    buf = io.StringIO()
    report = export(store, fmt, buf, **options)
    return [json.loads(line) for line in buf.getvalue().splitlines()], report


def test_spacy_export_cuts_tokens_at_span_edges_and_spacy_finds_every_span(store) -> None:
    (task,), report = jsonl(store, "spacy")
    assert len(task["spans"]) == len(PIECES) and report.spans == len(PIECES)
    # all but "Fans" and "Kyiv" (our tokens split the clitic off already)
    assert report.realigned == len(PIECES) - 2
    assert "11 spans inside tokens (tokens cut at their edges)" in report.summary()
    check_spacy_task(task)
    words = [t["text"] for t in task["tokens"]]
    by_text = {item["text"]: item for item in task["spans"]}
    for piece, pieces in [
        ("Kyiv", ["Kyiv"]),
        ("south", ["south"]),
        ("west overnight", ["west", "overnight"]),
        ("東京", ["東京"]),
        ("wouldn", ["would", "n"]),
        ("👩", ["👩"]),
        ("\u200d💻 today", ["\u200d💻", "today"]),
        ("🇺", ["🇺"]),
        ("Ne", ["Ne"]),
        (" Smith", [" ", "Smith"]),
        ("governor ", ["governor", " "]),
    ]:
        item = by_text[piece]
        assert words[item["token_start"] : item["token_end"] + 1] == pieces
    # the rest of each cut token is a token of its own
    for rest in ("'s", "-", "都", "'t", "\u0301e", "🏽", "🇦"):
        assert rest in words
    (info,) = store.documents()
    stored = {(s.start, s.end) for s in store.spans(info.id)}
    assert stored == {(i["start"], i["end"]) for i in task["spans"]}  # offsets unchanged


def test_spacy_export_with_utf16_offsets_still_cuts_at_every_edge(store) -> None:
    (task,), _report = jsonl(store, "spacy", offsets="utf16")
    units = task["text"].encode("utf-16-le")
    for token in task["tokens"]:
        assert units[2 * token["start"] : 2 * token["end"]].decode("utf-16-le") == token["text"]
    tokens = task["tokens"]
    for item in task["spans"]:
        assert tokens[item["token_start"]]["start"] == item["start"]
        assert tokens[item["token_end"]]["end"] == item["end"]


def test_conll_and_hf_tags_lie_on_exactly_the_spans_characters(store) -> None:
    buf = io.StringIO()
    report = export(store, "conll", buf, labels="ACTOR,LOCATION")
    sentences = [([r[0] for r in s], [r[1:] for r in s]) for s in conll_sentences(buf.getvalue())]
    rows, hf_report = jsonl(store, "hf")  # ACTOR and LOCATION share one layer: none nest here
    expected = sorted(("".join(p.split()), label) for p, label, _n in PIECES if label != "CLAIM")
    conll_found = []
    for words, columns in sentences:
        assert all(w and not any(ch.isspace() for ch in w) for w in words)
        for column in zip(*columns, strict=True):
            for label, first, last in seqeval_labeling.get_entities(list(column)):
                conll_found.append(("".join(words[first : last + 1]), label))
    assert sorted(conll_found) == expected
    hf_found = [
        ("".join(row["tokens"][first : last + 1]), label)
        for row in rows
        for label, first, last in seqeval_labeling.get_entities(row["ner_tags"])
    ]
    assert sorted(hf_found) == expected
    # not "Fans" and "Kyiv" (on our tokens), nor the two spans that start or end on a space
    assert report.realigned == hf_report.realigned == len(expected) - 4


def test_tokens_of_a_span_free_document_are_ours(tmp_path: Path) -> None:
    with open_store(tmp_path / "b.json") as store:
        store.add_document(parse_article(TEXT, path="news.txt"))
        (task,), report = jsonl(store, "spacy", include_untouched=True)
    assert report.realigned == 0
    check_spacy_task(task)
    words = [(t["start"], t["end"]) for t in task["tokens"] if not t["text"].isspace()]
    assert words == token_spans(TEXT)
    assert [t["text"] for t in task["tokens"] if t["text"].isspace()] == ["\n", "\n", "\n"]


# --------------------------------------------------------------------------- properties

PIECES_ALPHABET = [
    "a", "b", "Kyiv's", "wouldn't", "south-west", "U.S.", "22:04", ".", ",", "'", "’", "-",
    " ", "  ", "\n", "\t", "\u00a0", " \n ", "東京都", "👩\u200d💻", "👍🏽", "🇺🇦", "e\u0301",
    "«", "”",
]  # fmt: skip


@st.composite
def documents(draw) -> ExportDoc:
    text = "".join(draw(st.lists(st.sampled_from(PIECES_ALPHABET), min_size=1, max_size=25)))
    labels = ("ACTOR", "LOCATION", "CLAIM")
    spans = {}
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 12)))
        label = draw(st.sampled_from(labels))
        spans[(start, end, label)] = make_span("d1", text, start, end, label, annotator="m")
    ordered = sorted(spans.values(), key=lambda s: s.sort_key)
    return ExportDoc(id="d1", text=text, spans=ordered)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), utf16=st.booleans())
def test_spacy_tokens_rebuild_the_text_and_hold_every_span_exactly(
    doc: ExportDoc, utf16: bool
) -> None:
    report = ExportReport("spacy")
    task = json.loads(spacy.line(doc, report=report))
    check_spacy_task(task)
    assert [(s["start"], s["end"]) for s in task["spans"]] == [(s.start, s.end) for s in doc.spans]
    starts, ends, _follows = spacy_tokens(doc.text)
    off = [s for s in doc.spans if s.start not in starts or s.end not in ends]
    assert report.realigned == len(off)
    assert json.loads(spacy.line(doc, utf16=utf16)) == spacy.record(doc, utf16=utf16)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([*PIECES_ALPHABET, "x", "\r", "\x0b", "\u2028"])).map("".join))
def test_spacy_tokens_are_our_tokens_and_spacys_whitespace(text: str) -> None:
    starts, ends, follows = spacy_tokens(text)
    pieces = [text[s:e] + " " * (f - e) for s, e, f in zip(starts, ends, follows, strict=True)]
    assert "".join(pieces) == text
    assert all(s < e <= f <= e + 1 for s, e, f in zip(starts, ends, follows, strict=True))
    assert starts[:1] == ([0] if text else []) and starts[1:] == follows[:-1]
    words = [(s, e) for s, e in zip(starts, ends, strict=True) if not text[s:e].isspace()]
    assert words == token_spans(text)
    mine = [(text[s:e], f > e) for s, e, f in zip(starts, ends, follows, strict=True)]
    theirs = [(t.text, bool(t.whitespace_)) for t in NLP.make_doc(text)]
    # spaCy's words differ from ours (its rules are not ours); its whitespace tokens do not
    assert [m for m in mine if m[0].isspace()] == [t for t in theirs if t[0].isspace()]


def one_layer(spans, labels) -> list:
    layer, reach = [], -1
    for span in spans:
        if span.label in labels and span.start >= reach:
            layer.append(span)
            reach = span.end
    return layer


def check_tags(expected, sentence_starts, tags, layer) -> None:
    """Each token's tag: O outside the layer's spans, else B-/I- of the one span holding it."""
    for k, ((a, b), tag) in enumerate(zip(expected, tags, strict=True)):
        # a token overlapping a span lies inside it: tokens were cut at the span's edges
        inside = [s for s in layer if s.start < b and a < s.end]
        assert all(s.start <= a and b <= s.end for s in inside)
        if not inside:
            assert tag == "O"
            continue
        (span,) = inside
        continues = k not in sentence_starts and span.start <= expected[k - 1][0]
        assert tag == ("I-" if continues else "B-") + span.label


@settings(max_examples=300, deadline=None)
@given(doc=documents())
def test_hf_and_conll_tags_lie_on_exactly_each_written_span(doc: ExportDoc) -> None:
    labels = ("ACTOR", "LOCATION")
    # Hugging Face: the labels share one layer
    layer = one_layer(doc.spans, labels)
    rows = list(hf.records(doc, labels, ExportReport("hf")))
    expected = our_tokens_cut(doc.text, {e for s in layer for e in (s.start, s.end)})
    assert [w for row in rows for w in row["tokens"]] == [doc.text[a:b] for a, b in expected]
    sentence_starts, k = set(), 0
    for row in rows:
        sentence_starts.add(k)
        k += len(row["tokens"])
    check_tags(expected, sentence_starts, [t for row in rows for t in row["ner_tags"]], layer)
    # CoNLL: a column (a layer) per label, one token list for all
    layers = [one_layer(doc.spans, (label,)) for label in labels]
    lines = list(conll.lines(doc, labels, ExportReport("conll")))[2:]  # after -DOCSTART-
    rows = [line.split(" ") for line in lines if line]
    expected = our_tokens_cut(doc.text, {e for la in layers for s in la for e in (s.start, s.end)})
    assert [row[0] for row in rows] == [doc.text[a:b] for a, b in expected]
    sentence_starts, k = {0}, 0
    for line in lines:
        if line:
            k += 1
        else:
            sentence_starts.add(k)
    for column, column_layer in enumerate(layers, 1):
        check_tags(expected, sentence_starts, [row[column] for row in rows], column_layer)


# --------------------------------------------------------------------------- import, then export


def test_imported_misaligned_spans_are_exported_aligned(tmp_path: Path) -> None:
    """Model output whose spans cut our tokens, brought in with ``annotator import``, exports
    with every span on exact tokens in spaCy, CoNLL and HF."""
    rows = [
        {
            "text": TEXT,
            "spans": [
                {"start": a, "end": b, "label": label, "text": TEXT[a:b]}
                for piece, label, nth in PIECES
                for a, b in [at(TEXT, piece, nth)]
            ],
            "answer": "accept",
        }
    ]
    source = tmp_path / "model.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    db = tmp_path / "db.json"
    result = run("import", str(source), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"imported {len(PIECES)} spans" in result.stderr + result.stdout
    result = run("export", "--db", str(db), "--format", "spacy")
    assert result.returncode == 0, result.stderr
    (task,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((s["start"], s["end"], s["label"]) for s in task["spans"]) == sorted(
        (s["start"], s["end"], s["label"]) for s in rows[0]["spans"]
    )
    check_spacy_task(task)
    assert "spans inside tokens (tokens cut at their edges)" in result.stderr
    result = run("export", "--db", str(db), "--format", "hf", "--labels", "LOCATION")
    assert result.returncode == 0, result.stderr
    entities = [
        ("".join(row["tokens"][a : b + 1]), label)
        for row in map(json.loads, result.stdout.splitlines())
        for label, a, b in seqeval_labeling.get_entities(row["ner_tags"])
    ]
    assert sorted(entities) == sorted((p, lab) for p, lab, _n in PIECES if lab == "LOCATION")
