"""The exports load into the real tools: spaCy (char_span, DocBin) and seqeval (BIO entities)."""

from __future__ import annotations

import io
import json
from itertools import pairwise
from pathlib import Path

import pytest

from annotator.corpus import parse_article
from annotator.export import export
from annotator.export.common import token_range
from annotator.store import open_store
from annotator.text import split_sentences, tokenize
from bio_check import conll_sentences, is_valid_bio

spacy = pytest.importorskip("spacy")
seqeval_labeling = pytest.importorskip("seqeval.metrics.sequence_labeling")
from spacy.tokens import DocBin  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_afbc20cf0ccb7af1.txt"
EXTRA = (
    "Rocket launch 🚀 in 東京 delayed\n"
    "The governor of Okinawa said “the 👍🏽 launch will happen”. Ne\u0301e Smith's team agreed.\n"
    "Kremlin-linked forces took Kyiv's outskirts, the U.S. envoy said.\n"
)


def at(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("consumers")
    store = open_store(folder / "a.json", annotator="alice")
    seed = parse_article(SEED.read_text(encoding="utf-8"), path=SEED.name)
    extra = parse_article(EXTRA, path="extra.txt")
    for doc, items in (
        (
            seed,
            [
                (
                    "Volodymyr Zelenskyy has admitted that Ukraine cannot retake the territories that Russia has annexed.",
                    "CLAIM",
                ),
                ("Volodymyr Zelenskyy", "ACTOR"),
                ("Ukraine", "LOCATION"),
                ("Russia", "LOCATION"),
                ("Crimea", "LOCATION"),
                ("Mr Zelenskyy", "ACTOR"),
                (
                    'We cannot give up our territories. The Ukrainian constitution forbids us to do so.\n"De facto, these territories are now controlled by the Russians.',
                    "CLAIM",
                ),
                ("Le Parisien", "ACTOR"),
                ("Kyiv", "LOCATION"),
                ("etake the terr", "CLAIM"),  # not on token boundaries (an imported span)
            ],
        ),
        (
            extra,
            [
                ("東京", "LOCATION"),
                ("The governor of Okinawa", "ACTOR"),
                ("Okinawa", "LOCATION"),
                ("the 👍🏽 launch will happen", "CLAIM"),
                ("Ne\u0301e Smith", "ACTOR"),
                ("Kremlin-linked forces", "ACTOR"),
                ("Kyiv", "LOCATION"),
                ("U.S. envoy", "ACTOR"),
            ],
        ),
    ):
        store.add_document(doc)
        for piece, label in items:
            store.add_span(doc.id, *at(doc.text, piece), label)
    yield store
    store.close()


def jsonl(store, fmt: str, **options) -> list[dict]:
    buf = io.StringIO()
    export(store, fmt, buf, **options)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_spacy_export_char_spans_and_docbin(store) -> None:
    nlp = spacy.blank("en")
    tasks = jsonl(store, "spacy")
    assert len(tasks) == 2
    bin_ = DocBin(store_user_data=False)
    checked = 0
    for task in tasks:
        doc = nlp.make_doc(task["text"])
        starts = {t.idx for t in doc}
        ends = {t.idx + len(t) for t in doc}
        spans = []
        for item in task["spans"]:
            assert task["text"][item["start"] : item["end"]] == item["text"]
            exact = doc.char_span(item["start"], item["end"], label=item["label"])
            if item["start"] in starts and item["end"] in ends:
                assert exact is not None, item
                checked += 1
            spans.append(
                doc.char_span(
                    item["start"], item["end"], label=item["label"], alignment_mode="expand"
                )
            )
        assert all(s is not None for s in spans)
        doc.spans["sc"] = spans
        doc.ents = filter_spans(spans)
        bin_.add(doc)
    assert checked >= 12
    again = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    assert [len(d.spans["sc"]) for d in again] == [len(t["spans"]) for t in tasks]
    assert sum(len(d.ents) for d in again) > 0


def test_spacy_tokens_are_ours_and_ws_is_right(store) -> None:
    """Words are our tokens, cut only at span edges inside them; whitespace but the one space
    after a token is a token; ``ws`` is that space: the tokens rebuild the text exactly."""
    nlp = spacy.blank("en")
    cut = 0
    for task in jsonl(store, "spacy"):
        text = task["text"]
        edges = {e for item in task["spans"] for e in (item["start"], item["end"])}
        expected = []
        for unit in tokenize(text):
            points = [unit.start, *sorted(p for p in edges if unit.start < p < unit.end), unit.end]
            expected += list(pairwise(points))
        tokens = task["tokens"]
        words = [(t["start"], t["end"]) for t in tokens if not t["text"].isspace()]
        assert words == expected
        cut += len(words) - len(tokenize(text))
        for token, after in zip(tokens, [*tokens[1:], None], strict=True):
            follows = after["start"] if after else len(text)
            assert token["ws"] == (follows == token["end"] + 1)
            assert follows in (token["end"], token["end"] + 1)
            if token["ws"]:
                assert text[token["end"]] == " "
        assert "".join(t["text"] + " " * t["ws"] for t in tokens) == text
        words = [t["text"] for t in tokens]
        doc = spacy.tokens.Doc(nlp.vocab, words=words, spaces=[t["ws"] for t in tokens])
        assert doc.text == text
        for item in task["spans"]:
            found = doc.char_span(item["start"], item["end"])
            assert found is not None, item
            assert (found.start, found.end - 1) == (item["token_start"], item["token_end"])
    assert cut == 2  # "etake the terr": "r|etake", "terr|itories"


def expected_entities(store, labels: tuple[str, ...], one_layer: bool) -> list[set]:
    """Per sentence (as the export writes them): (label, first token, last token) of spans."""
    out = []
    for info in store.documents():
        tokens = tokenize(info.text)
        starts = [t.start for t in tokens]
        ends = [t.end for t in tokens]
        spans = sorted(
            (s for s in store.spans(info.id) if s.label in labels), key=lambda s: s.sort_key
        )
        if one_layer:
            kept, reach = [], -1
            for s in spans:
                if s.start >= reach:
                    kept.append(s)
                    reach = s.end
            spans = kept
        for sentence in split_sentences(info.text):
            outside = [*info.boilerplate, *([info.date_span] if info.date_span else [])]
            if any(a <= sentence.start and sentence.end <= b for a, b in outside):
                continue
            first, last = token_range(starts, ends, sentence.start, sentence.end)
            found = set()
            for s in spans:
                a, b = token_range(starts, ends, s.start, s.end)
                a, b = max(a, first), min(b, last)
                if a <= b:
                    found.add((s.label, a - first, b - first))
            out.append(found)
    return out


def test_hf_tags_valid_bio_and_seqeval_agrees(store) -> None:
    rows = jsonl(store, "hf")
    expected = expected_entities(store, ("ACTOR", "LOCATION"), one_layer=True)
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert len(row["tokens"]) == len(row["ner_tags"])
        assert is_valid_bio(row["ner_tags"]), row
        got = {tuple(e) for e in seqeval_labeling.get_entities(row["ner_tags"])}
        assert got == want


def test_conll_columns_valid_bio_and_seqeval_agrees(store) -> None:
    buf = io.StringIO()
    report = export(store, "conll", buf)
    labels = ("CLAIM", "ACTOR", "LOCATION")
    assert report.notes == ["columns: token CLAIM ACTOR LOCATION"]
    sentences = conll_sentences(buf.getvalue())
    for column, label in enumerate(labels, 1):
        expected = expected_entities(store, (label,), one_layer=True)
        assert len(sentences) == len(expected)
        for rows, want in zip(sentences, expected, strict=True):
            tags = [row[column] for row in rows]
            assert is_valid_bio(tags)
            got = {tuple(e) for e in seqeval_labeling.get_entities(tags)}
            assert got == want, (label, [r[0] for r in rows])
