"""The export formats as pure functions over plain data (no store)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.export import bio, brat, claims, conll, doccano, hf, spacy
from annotator.export.common import ExportDoc, ExportReport, normalize_labels
from annotator.export.offsets import OffsetError, OffsetMap, utf16_len
from annotator.model import Relation, make_span
from annotator.text import tokenize
from bio_check import is_valid_bio

TEXT = (
    "Mr Smith said: “Kyiv's forces 🚀 advanced near 東京.”\n"
    "Listen to this article\n"
    "The mayor of Paris disagreed.\n"
)


def span(text: str, piece: str, label: str, *, nth: int = 0, doc_id: str = "d1"):
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return make_span(doc_id, text, start, start + len(piece), label, annotator="ann")


def make_doc(text: str = TEXT, spans=(), relations=(), **kw) -> ExportDoc:
    return ExportDoc(
        id="d1",
        text=text,
        spans=sorted(spans, key=lambda s: s.sort_key),
        relations=list(relations),
        **kw,
    )


def rel(head, child, label: str) -> Relation:
    return Relation(
        id=f"r-{head.id}-{child.id}", doc_id="d1", head=head.id, child=child.id, label=label
    )


# --------------------------------------------------------------------------- offsets


def test_offset_map_astral_and_bmp() -> None:
    text = "a🚀b東😀"
    omap = OffsetMap(text)
    assert [omap.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 5, 7]
    assert omap.length16 == utf16_len(text) == 7
    for i in range(len(text) + 1):
        assert omap.to_codepoint(omap.to_utf16(i)) == i
    with pytest.raises(OffsetError):
        omap.to_codepoint(2)  # inside the rocket's surrogate pair
    with pytest.raises(OffsetError):
        omap.to_codepoint(8)
    assert OffsetMap("plain").identity


@given(st.text(alphabet=st.sampled_from(list("ab é東\u0301🚀😀\n")), max_size=40))
def test_offset_map_matches_utf16_encoding(text: str) -> None:
    omap = OffsetMap(text)
    for i in range(len(text) + 1):
        assert omap.to_utf16(i) == utf16_len(text[:i])
        assert omap.to_codepoint(omap.to_utf16(i)) == i


def test_normalize_labels() -> None:
    known = ("CLAIM", "ACTOR", "LOCATION")
    assert normalize_labels("claim, ACTOR", known) == ("CLAIM", "ACTOR")
    assert normalize_labels(None, known) is None
    with pytest.raises(ValueError, match="unknown label 'PERSON'"):
        normalize_labels("PERSON", known)


# --------------------------------------------------------------------------- spacy


def test_spacy_record_fields_tokens_and_relations() -> None:
    claim = span(TEXT, "Kyiv's forces 🚀 advanced near 東京.", "CLAIM")
    actor = span(TEXT, "Mr Smith", "ACTOR")
    loc = span(TEXT, "Kyiv", "LOCATION")
    doc = make_doc(spans=[claim, actor, loc], relations=[rel(claim, actor, "SOURCE")])
    report = ExportReport("spacy")
    task = spacy.record(doc, report=report)
    assert list(task) == [
        "text", "tokens", "spans", "relations", "meta", "_input_hash", "_task_hash", "answer",
    ]  # fmt: skip
    tokens = task["tokens"]
    for token in tokens:
        assert TEXT[token["start"] : token["end"]] == token["text"]
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    for item in task["spans"]:
        assert TEXT[item["start"] : item["end"]] == item["text"]
        assert tokens[item["token_start"]]["start"] == item["start"]
        assert tokens[item["token_end"]]["end"] == item["end"]
    (link,) = task["relations"]
    assert link["label"] == "SOURCE"
    assert link["head"] == link["head_span"]["token_end"]
    assert link["child"] == link["child_span"]["token_end"]
    assert link["child_span"]["label"] == "ACTOR"
    assert task["answer"] == "accept"
    assert task["meta"]["doc_id"] == "d1" and task["meta"]["annotators"] == ["ann"]
    assert report.realigned == 0 and report.spans == 3 and report.relations == 1
    for key in ("_input_hash", "_task_hash"):
        assert -(2**31) <= task[key] < 2**31
    again = spacy.record(
        make_doc(spans=[claim, actor, loc], relations=[rel(claim, actor, "SOURCE")])
    )
    assert again["_input_hash"] == task["_input_hash"] and again["_task_hash"] == task["_task_hash"]
    fewer = spacy.record(make_doc(spans=[claim]))
    assert fewer["_input_hash"] == task["_input_hash"] and fewer["_task_hash"] != task["_task_hash"]
    assert "relations" not in fewer
    json.dumps(task)


def test_spacy_span_off_token_boundaries_gets_tokens_cut_to_it() -> None:
    inner = span(TEXT, "ith sa", "ACTOR")  # inside "Smith" .. "said"
    blank = make_span("d1", TEXT, TEXT.index("\n"), TEXT.index("\n") + 1, "CLAIM")
    space = span(TEXT, " forces", "LOCATION")  # starts on the space after "'s"
    report = ExportReport("spacy")
    task = spacy.record(make_doc(spans=[inner, blank, space]), report=report)
    assert len(task["spans"]) == 3 and report.realigned == 2  # the newline is a token already
    tokens = task["tokens"]
    by_label = {s["label"]: s for s in task["spans"]}
    words = [t["text"] for t in tokens]
    item = by_label["ACTOR"]
    assert words[item["token_start"] : item["token_end"] + 1] == ["ith", "sa"]
    assert words[item["token_start"] - 1] == "Sm" and words[item["token_end"] + 1] == "id"
    assert (item["start"], item["end"]) == (inner.start, inner.end)
    assert words[by_label["CLAIM"]["token_start"] : by_label["CLAIM"]["token_end"] + 1] == ["\n"]
    loc = by_label["LOCATION"]
    assert words[loc["token_start"] : loc["token_end"] + 1] == [" ", "forces"]
    assert tokens[loc["token_start"] - 1]["ws"] is False  # the space is a token now
    assert "".join(t["text"] + " " * t["ws"] for t in tokens) == TEXT


def test_spacy_utf16_offsets() -> None:
    loc = span(TEXT, "東京", "LOCATION")
    task = spacy.record(make_doc(spans=[loc]), utf16=True)
    units = TEXT.encode("utf-16-le")
    item = task["spans"][0]
    assert units[2 * item["start"] : 2 * item["end"]].decode("utf-16-le") == "東京"
    assert item["start"] == loc.start + 1  # one rocket before it
    assert task["meta"]["offsets"] == "utf16"
    for token in task["tokens"]:
        assert units[2 * token["start"] : 2 * token["end"]].decode("utf-16-le") == token["text"]


@given(
    text=st.text(
        alphabet=st.sampled_from(list("ab \n\"\\\t/\x00\x7f\u2028é東\u0301🚀’'.")),
        min_size=1,
        max_size=60,
    ),
    cuts=st.lists(st.tuples(st.integers(0, 59), st.integers(1, 20)), max_size=4),
    utf16=st.booleans(),
    ensure_ascii=st.booleans(),
)
def test_spacy_line_is_exactly_json_dumps_of_the_record(
    text: str, cuts: list[tuple[int, int]], utf16: bool, ensure_ascii: bool
) -> None:
    """The export writes spacy.line; it must be the very string json.dumps(record) gives."""
    spans = []
    for start, width in cuts:
        start = min(start, len(text) - 1)
        end = min(len(text), start + width)
        spans.append(make_span("d1", text, start, end, ("ACTOR", "CLAIM")[width % 2]))
    spans = list({s.key: s for s in spans}.values())
    relations = [rel(spans[0], spans[-1], "SOURCE")] if len(spans) > 1 else []
    doc = make_doc(text, spans=spans, relations=relations, title='T "x"', path="a/b.txt")
    fast = spacy.line(doc, utf16=utf16, ensure_ascii=ensure_ascii)
    slow = json.dumps(make_spacy_record(doc, utf16), ensure_ascii=ensure_ascii)
    assert fast == slow


def make_spacy_record(doc: ExportDoc, utf16: bool) -> dict:
    return spacy.record(make_doc(doc.text, spans=doc.spans, relations=doc.relations,
                                 title=doc.title, path=doc.path), utf16=utf16)  # fmt: skip


# --------------------------------------------------------------------------- doccano


def test_doccano_both_forms() -> None:
    claim = span(TEXT, "Kyiv's forces 🚀 advanced near 東京.", "CLAIM")
    actor = span(TEXT, "Mr Smith", "ACTOR")
    plain = doccano.record(make_doc(spans=[claim, actor]))
    assert set(plain) == {"id", "text", "label"}
    assert [TEXT[a:b] for a, b, _ in plain["label"]] == ["Mr Smith", claim.text]
    linked = doccano.record(
        make_doc(spans=[claim, actor], relations=[rel(claim, actor, "SOURCE")]), utf16=True
    )
    assert set(linked) == {"id", "text", "entities", "relations"}
    by_id = {e["id"]: e for e in linked["entities"]}
    (link,) = linked["relations"]
    assert by_id[link["from_id"]]["label"] == "CLAIM" and by_id[link["to_id"]]["label"] == "ACTOR"
    assert link["type"] == "SOURCE"
    head = by_id[link["from_id"]]
    units = TEXT.encode("utf-16-le")
    assert (
        units[2 * head["start_offset"] : 2 * head["end_offset"]].decode("utf-16-le") == claim.text
    )


# --------------------------------------------------------------------------- BIO


def test_strict_bio_checker() -> None:
    assert is_valid_bio(["B-A", "I-A", "O", "B-B", "B-B"])
    assert not is_valid_bio(["I-A"])
    assert not is_valid_bio(["B-A", "I-B"])
    assert not is_valid_bio(["O", "I-A"])


def test_conll_columns_nested_spans_and_docstart() -> None:
    claim = span(TEXT, "Kyiv's forces 🚀 advanced near 東京.", "CLAIM")
    actor = span(TEXT, "Mr Smith", "ACTOR")
    loc = span(TEXT, "Kyiv", "LOCATION")
    paris = span(TEXT, "Paris", "LOCATION")
    boiler = span(TEXT, "article", "CLAIM")
    start = TEXT.index("Listen")
    doc = make_doc(
        spans=[claim, actor, loc, paris, boiler],
        boilerplate=[(start, start + len("Listen to this article"))],
    )
    report = ExportReport("conll")
    lines = list(conll.lines(doc, ["CLAIM", "ACTOR", "LOCATION"], report))
    assert lines[:2] == ["-DOCSTART- O O O", ""]
    rows = [line.split(" ") for line in lines[2:] if line]
    assert all(len(row) == 4 for row in rows)
    words = [row[0] for row in rows]
    assert "Listen" not in words  # boilerplate sentence left out
    assert rows[words.index("Kyiv")][1:] == ["B-CLAIM", "O", "B-LOCATION"]
    assert rows[words.index("Smith")][1:] == ["O", "I-ACTOR", "O"]
    assert rows[words.index("Paris")][1:] == ["O", "O", "B-LOCATION"]
    for column in range(1, 4):
        sentences = " ".join(lines[2:]).split("  ")
        for sentence in sentences:
            tags = [row.split(" ")[column] for row in sentence.split("  ") if row]
            assert is_valid_bio(tags)
    assert report.dropped[bio.OUTSIDE] == 1
    assert report.spans == 4


def test_bio_one_layer_keeps_outer_and_counts_inner() -> None:
    claim = span(TEXT, "Kyiv's forces 🚀 advanced near 東京.", "CLAIM")
    loc = span(TEXT, "Kyiv", "LOCATION")
    report = ExportReport("hf")
    records = list(hf.records(make_doc(spans=[claim, loc]), ["CLAIM", "LOCATION"], report))
    tags = [t for r in records for t in r["ner_tags"]]
    assert "B-LOCATION" not in tags and tags.count("B-CLAIM") == 1
    assert report.dropped[bio.NESTED] == 1 and report.spans == 1


def test_bio_span_across_sentences_restarts_with_b() -> None:
    text = "He said it. It was true. Then he left."
    quote = span(text, "it. It was", "CLAIM")
    report = ExportReport("hf")
    records = list(hf.records(make_doc(text=text, spans=[quote]), ["CLAIM"], report))
    assert [r["ner_tags"] for r in records[:2]] == [
        ["O", "O", "B-CLAIM", "I-CLAIM"],
        ["B-CLAIM", "I-CLAIM", "O", "O"],
    ]
    assert report.split == 1
    assert all(r["id"].startswith("d1-") for r in records)
    assert all(is_valid_bio(r["ner_tags"]) for r in records)


# --------------------------------------------------------------------------- brat


def test_brat_fragments_at_line_breaks_and_relations() -> None:
    text = "Title here\nShe said: “One thing.\nAnd another.” Done.\n"
    quote = span(text, "One thing.\nAnd another.", "CLAIM")
    she = span(text, "She", "ACTOR")
    report = ExportReport("brat")
    ann = brat.ann(
        make_doc(text=text, spans=[quote, she], relations=[rel(quote, she, "SOURCE")]), report
    )
    lines = ann.splitlines()
    assert lines[0] == "T1\tACTOR 11 14\tShe"
    a = text.index("One")
    b = text.index("\nAnd")
    assert lines[1] == f"T2\tCLAIM {a} {b};{b + 1} {quote.end}\tOne thing. And another."
    assert lines[2] == "R1\tSOURCE Arg1:T2 Arg2:T1"
    assert report.split == 1
    conf = brat.annotation_conf(
        ["CLAIM", "ACTOR"], __import__("annotator.model").model.DEFAULT_RELATIONS
    )
    assert "SOURCE\tArg1:CLAIM, Arg2:ACTOR" in conf and "ABOUT\tArg1:CLAIM, Arg2:ACTOR" in conf
    assert "[entities]\nCLAIM\nACTOR\n" in conf


# --------------------------------------------------------------------------- claims


def test_claims_sentences_sources_and_exclusions() -> None:
    text = (
        "Minister warns of floods\n"
        "18 December 2024\n"
        "Listen to this article\n"
        "The minister said floods were coming. Nobody agreed. 🚀 Rockets are “fast”.\n"
    )
    claim = span(text, "floods were coming", "CLAIM")
    minister = span(text, "The minister", "ACTOR")
    rocket_claim = span(text, "Rockets are “fast", "CLAIM")
    listen = text.index("Listen")
    date = text.index("18")
    doc = make_doc(
        text=text,
        spans=[claim, minister, rocket_claim],
        relations=[rel(claim, minister, "SOURCE")],
        boilerplate=[(listen, listen + 22)],
        date_span=(date, date + 16),
    )
    rows = list(claims.records(doc))
    assert [r["text"] for r in rows] == [
        "Minister warns of floods",
        "The minister said floods were coming.",
        "Nobody agreed.",
        "🚀 Rockets are “fast”.",
    ]
    assert [r["label"] for r in rows] == [0, 1, 0, 1]
    first = rows[1]
    assert first["claims"] == [{"start": 18, "end": 36, "text": "floods were coming"}]
    assert first["source"] == ["The minister"]
    assert text[first["start"] : first["end"]] == first["text"]
    rows16 = list(claims.records(doc, utf16=True))
    last = rows16[3]
    sentence16 = last["text"].encode("utf-16-le")
    (item,) = last["claims"]
    assert (
        sentence16[2 * item["start"] : 2 * item["end"]].decode("utf-16-le") == "Rockets are “fast"
    )
    assert last["start"] == rows[3]["start"] + 0  # the rocket is inside this sentence
    assert rows16[3]["end"] == rows[3]["end"] + 1


def test_tokens_from_text_module_are_used() -> None:
    doc = make_doc()
    assert [t.text for t in doc.tokens] == [t.text for t in tokenize(TEXT)]


def test_brat_span_of_line_breaks_only_is_reported_not_written() -> None:
    text = "One line\n\nTwo line\n"
    gap = make_span("d1", text, 8, 10, "CLAIM")
    word = span(text, "Two", "ACTOR")
    report = ExportReport("brat")
    ann = brat.ann(
        make_doc(text=text, spans=[gap, word], relations=[rel(gap, word, "SOURCE")]), report
    )
    assert ann == "T1\tACTOR 10 13\tTwo\n"
    assert report.dropped[brat.ONLY_BREAKS] == 1 and report.spans == 1 and report.relations == 0
