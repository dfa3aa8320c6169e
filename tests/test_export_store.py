"""export(store, ...): options, refusal, outputs, progress, streaming."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.corpus import parse_article
from annotator.export import FORMATS, ExportError, export
from annotator.store import open_store

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_afbc20cf0ccb7af1.txt"
EMOJI = "Rocket news 🚀 today\nThe mayor of 東京 said “we 👍🏽 love it”.\nNe\u0301e said nothing.\n"


def find(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


@pytest.fixture
def store(tmp_path: Path):
    store = open_store(tmp_path / "a.json", annotator="alice")
    seed = parse_article(SEED.read_text(encoding="utf-8"), path=SEED.name)
    emoji = parse_article(EMOJI, path="emoji.txt")
    store.add_document(seed)
    store.add_document(emoji)
    t = seed.text
    claim = store.add_span(
        seed.id,
        *find(
            t,
            "Volodymyr Zelenskyy has admitted that Ukraine cannot retake the territories that Russia has annexed.",
        ),
        "CLAIM",
    )
    actor = store.add_span(seed.id, *find(t, "Volodymyr Zelenskyy"), "ACTOR")
    loc = store.add_span(seed.id, *find(t, "Ukraine cannot retake"), "CLAIM", annotator="bob")
    store.add_relation(claim.id, actor.id, "SOURCE")
    del loc
    store.add_span(seed.id, *find(t, "Crimea"), "LOCATION", origin="suggested")
    e = emoji.text
    mayor = store.add_span(emoji.id, *find(e, "The mayor of 東京"), "ACTOR")
    quote = store.add_span(emoji.id, *find(e, "we 👍🏽 love it"), "CLAIM")
    store.add_span(emoji.id, *find(e, "東京"), "LOCATION")
    store.add_relation(quote.id, mayor.id, "SOURCE")
    store.set_status(emoji.id, "done")
    yield store
    store.close()


def lines(buf: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_registry_lists_all_formats() -> None:
    assert set(FORMATS) == {"spacy", "doccano", "conll", "hf", "brat", "claims"}


@pytest.mark.parametrize("fmt", ["spacy", "doccano", "conll", "hf", "claims"])
def test_every_format_writes_every_document(store, fmt: str) -> None:
    buf = io.StringIO()
    report = export(store, fmt, buf)
    assert report.documents == 2
    text = buf.getvalue()
    assert text.endswith("\n")
    if fmt == "conll":
        assert text.count("-DOCSTART-") == 2
    else:
        lines(buf)


def test_suggestions_left_out_unless_asked(store) -> None:
    buf = io.StringIO()
    report = export(store, "spacy", buf)
    labels = [s["text"] for task in lines(buf) for s in task["spans"]]
    assert "Crimea" not in labels and report.filtered_spans == 1
    buf = io.StringIO()
    export(store, "spacy", buf, include_suggestions=True)
    assert "Crimea" in [s["text"] for task in lines(buf) for s in task["spans"]]


def test_only_done_labels_annotator_filters(store) -> None:
    buf = io.StringIO()
    report = export(store, "doccano", buf, only_done=True)
    assert report.documents == 1 and lines(buf)[0]["text"] == EMOJI
    buf = io.StringIO()
    export(store, "doccano", buf, labels="claim")
    for row in lines(buf):
        assert {x[2] for x in row["label"]} <= {"CLAIM"}
        assert "relations" not in row  # the ACTOR end is left out, so is the link
    buf = io.StringIO()
    export(store, "spacy", buf, annotator="bob")
    spans = [s["text"] for task in lines(buf) for s in task["spans"]]
    assert spans == ["Ukraine cannot retake"]


def test_relations_touching_left_out_spans_are_left_out(store) -> None:
    buf = io.StringIO()
    report = export(store, "spacy", buf, labels=["CLAIM", "LOCATION"])
    assert all("relations" not in task for task in lines(buf))
    assert report.relations == 0 and report.filtered_relations == 2


def test_unknown_options_are_one_line_errors(store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        export(store, "xml")
    with pytest.raises(ExportError, match="unknown label 'PERSON'"):
        export(store, "spacy", io.StringIO(), labels="PERSON")
    with pytest.raises(ExportError, match="utf16"):
        export(store, "conll", io.StringIO(), offsets="utf16")
    with pytest.raises(ExportError, match="folder"):
        export(store, "brat", None)
    with pytest.raises(ExportError, match="CLAIM"):
        export(store, "claims", io.StringIO(), labels="ACTOR")
    assert issubclass(ExportError, ValueError)


class Corrupting:
    """A store whose spans() returns one span with a text that does not match."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def spans(self, doc_id):
        spans = self._store.spans(doc_id)
        if spans:
            spans[0] = spans[0].with_(text=spans[0].text + "x")
        return spans


def test_corrupted_span_makes_export_refuse_before_writing(store, tmp_path: Path) -> None:
    bad = Corrupting(store)
    buf = io.StringIO()
    with pytest.raises(ExportError, match=r"document \w+: span \w+ .* export refused"):
        export(bad, "spacy", buf)
    assert buf.getvalue() == ""
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExportError):
        export(bad, "doccano", out)
    assert not out.exists() and list(tmp_path.glob(".out.jsonl*")) == []


def test_file_output_is_utf8_and_atomic(store, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    report = export(store, "spacy", out)
    assert report.out == str(out)
    data = out.read_text(encoding="utf-8")
    assert "🚀" in data  # not \\u-escaped in a UTF-8 file
    assert len(data.splitlines()) == 2


def test_non_utf8_stream_gets_ascii_json(store) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    export(store, "spacy", stream)
    stream.flush()
    assert b"\\ud83d" in raw.getvalue()  # escaped, so nothing fails to encode


def test_brat_folder(store, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    report = export(store, "brat", folder)
    assert report.documents == 2
    assert (folder / "annotation.conf").exists()
    assert len(list(folder.glob("*.txt"))) == 2 and len(list(folder.glob("*.ann"))) == 2
    with pytest.raises(ExportError, match="is a file"):
        export(store, "brat", folder / "annotation.conf")


def test_progress_callback(store) -> None:
    calls: list[tuple[int, int]] = []
    export(store, "spacy", io.StringIO(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


def test_every_exported_span_slices(store) -> None:
    for offsets in ("codepoint", "utf16"):
        buf = io.StringIO()
        export(store, "spacy", buf, offsets=offsets, include_suggestions=True)
        for task in lines(buf):
            units = task["text"].encode("utf-16-le")
            for item in task["spans"]:
                if offsets == "utf16":
                    got = units[2 * item["start"] : 2 * item["end"]].decode("utf-16-le")
                else:
                    got = task["text"][item["start"] : item["end"]]
                assert got == item["text"]


def test_claims_export_of_seed(store) -> None:
    buf = io.StringIO()
    export(store, "claims", buf)
    rows = lines(buf)
    seed_rows = [r for r in rows if r["doc_id"] != rows[-1]["doc_id"]]
    texts = [r["text"] for r in seed_rows]
    assert texts[0].startswith("'Ukraine cannot take back")  # the title is included
    assert "18 December 2024, 22:04" not in texts  # the date line is not
    assert "Listen to this article" not in texts  # boilerplate is not
    positive = [r for r in seed_rows if r["label"] == 1]
    assert positive[0]["source"] == ["Volodymyr Zelenskyy"]
    emoji_rows = [r for r in rows if r["doc_id"] == rows[-1]["doc_id"]]
    assert any(r["source"] == ["The mayor of 東京"] for r in emoji_rows)


def test_hf_overlap_of_chosen_labels_is_reported(store) -> None:
    buf = io.StringIO()
    report = export(store, "hf", buf, labels="CLAIM,ACTOR")
    assert sum(report.dropped.values()) >= 2  # actors inside claims: outer claim kept
    assert "outer span kept" in report.summary()
    for row in lines(buf):
        assert len(row["tokens"]) == len(row["ner_tags"])
