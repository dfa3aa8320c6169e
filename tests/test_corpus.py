"""Corpus reader and article structure: decoding, inputs, order, ids, laziness, title/date/byline,
boilerplate."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from annotator import load_corpus
from annotator.corpus import (
    Corpus,
    CorpusError,
    Entry,
    Skipped,
    is_byline,
    natural_key,
    parse_article,
    parse_date,
)
from annotator.model import Document
from annotator.text import split_sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "000_afbc20cf0ccb7af1.txt"

SEED_NOISE = [
    "Richard Spurr 1am - 4am",
    "Listen to this article",
    "Loading audio...",
    "Read more: Volodymyr Zelenskyy 'prepared to end Ukraine war' in exchange for Nato membership",
    "David Lidington and Shelagh Fogarty on European defence spending",
    "'The Cold War is now hot', says military analyst",
    "Ukraine war has 'not been worth it,' Russian Ambassador admits to Andrew Marr",
]


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    corpus = load_corpus(SEEDS)
    return corpus.documents[0]


# --------------------------------------------------------------------------- the seed


def test_seed_structure(seed_doc: Document) -> None:
    text = seed_doc.text
    assert seed_doc.title.startswith("'Ukraine cannot take back territory")
    assert seed_doc.title_span is not None
    assert text[slice(*seed_doc.title_span)] == seed_doc.title
    assert seed_doc.date == datetime(2024, 12, 18, 22, 4)
    assert seed_doc.date_span is not None
    assert text[slice(*seed_doc.date_span)] == "18 December 2024, 22:04"
    assert seed_doc.byline is None
    assert seed_doc.id == hashlib.sha256(text.encode()).hexdigest()[:16]
    assert seed_doc.encoding == "utf-8"
    assert seed_doc.path == SEED.name


def test_seed_boilerplate_exactly_the_seven_noise_lines(seed_doc: Document) -> None:
    flagged = [seed_doc.text[start:end] for start, end in seed_doc.boilerplate]
    assert flagged == SEED_NOISE


def test_seed_no_story_sentence_is_boilerplate(seed_doc: Document) -> None:
    noise = set(SEED_NOISE)
    title_date = {seed_doc.title_span, seed_doc.date_span}
    for unit in split_sentences(seed_doc.text):
        line_flagged = seed_doc.overlaps_boilerplate(unit.start, unit.end)
        in_noise = any(unit.text in line for line in noise)
        if (unit.start, unit.end) in title_date:
            assert not line_flagged
        elif not in_noise:
            assert not line_flagged, unit.text
    assert not seed_doc.overlaps_boilerplate(*seed_doc.date_span)  # type: ignore[misc]
    table = seed_doc.text.index('the negotiating table."')
    assert not seed_doc.overlaps_boilerplate(table, table + 5)


def test_seed_text_is_unchanged(seed_doc: Document) -> None:
    assert seed_doc.text == SEED.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("18 December 2024, 22:04", datetime(2024, 12, 18, 22, 4)),
        ("Published: 3 March 2023", datetime(2023, 3, 3)),
        ("Wednesday 18 December 2024 22.04", datetime(2024, 12, 18, 22, 4)),
        ("Dec 18, 2024", datetime(2024, 12, 18)),
        ("2024-12-18", datetime(2024, 12, 18)),
    ],
)
def test_parse_date(line: str, expected: datetime) -> None:
    assert parse_date(line) == expected


def test_parse_date_timezone() -> None:
    moment = parse_date("18 December 2024 22:04 GMT")
    assert moment is not None and moment.tzinfo is not None and moment.hour == 22


@pytest.mark.parametrize(
    "line",
    [
        "It comes as Donald Trump prepares to take office as US president in January.",
        "Richard Spurr 1am - 4am",
        "May I speak to you in 2024?",
        "He said 10 people died in March.",
        "22:04",
        "2014",
        "The Ukrainian constitution forbids us to do so.",
        "Kremlin-linked forces also took much of the Donbas region of eastern Ukraine in 2014",
    ],
)
def test_sentences_are_not_dates(line: str) -> None:
    assert parse_date(line) is None


# --------------------------------------------------------------------------- structure


def test_byline_forms() -> None:
    assert is_byline("By Jane Smith") == "Jane Smith"
    assert is_byline("By Jane Smith and John Doe") == "Jane Smith and John Doe"
    assert is_byline("Jane Smith, Political Editor") == "Jane Smith, Political Editor"
    assert is_byline("By the way, this is a sentence.") is None
    assert is_byline("Volodymyr Zelenskyy has admitted that Ukraine cannot.") is None


def test_article_with_byline_and_furniture() -> None:
    text = (
        "World\n"
        "Ministers agree new climate deal after all-night talks\n"
        "By Jane Smith\n"
        "Published: 3 March 2023\n"
        "Share this article\n"
        "Ministers agreed a deal on Sunday. It was late.\n"
        "Advertisement\n"
        "Watch: the moment the deal was struck\n"
        "Related: Climate talks stall\n"
        "Sign up to our newsletter\n"
        "Other story headline about the weather\n"
        "The deal still needs a vote:\n"
        "- more money for adaptation\n"
        "“We are glad,” said the minister.\n"
    )
    doc = parse_article(text, path="x.txt")
    assert doc.title == "Ministers agree new climate deal after all-night talks"
    assert doc.byline == "Jane Smith"
    assert doc.date == datetime(2023, 3, 3)
    flagged = [text[a:b] for a, b in doc.boilerplate]
    assert flagged == [
        "World",
        "By Jane Smith",
        "Share this article",
        "Advertisement",
        "Watch: the moment the deal was struck",
        "Related: Climate talks stall",
        "Sign up to our newsletter",
        "Other story headline about the weather",
    ]


def test_markdown_title_and_offsets() -> None:
    text = "# A Markdown title\n\nBody sentence here.\n\n## A section\n\nMore text.\n"
    doc = parse_article(text, path="a.md")
    assert doc.title == "A Markdown title"
    assert doc.title_span is not None and text[slice(*doc.title_span)] == "A Markdown title"
    assert doc.text == text
    assert doc.boilerplate == []


def test_article_without_title_line() -> None:
    body = "This is a long first paragraph that goes on. " * 10
    doc = parse_article(body.strip(), path="long.txt")
    assert doc.title_span is None
    assert doc.title.endswith("…") and len(doc.title) <= 80
    assert doc.boilerplate == []


def test_meta_title_and_date() -> None:
    doc = parse_article(
        "Body only. Nothing else.", meta={"title": "From meta", "date": "2024-01-02T03:04:05"}
    )
    assert doc.title == "From meta"
    assert doc.date == datetime(2024, 1, 2, 3, 4, 5)


# --------------------------------------------------------------------------- inputs


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_jsonl_input_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First story title here\nBody one.", "meta": {"source": "a"}}),
        "",
        "{not json",
        json.dumps({"meta": {}}),
        json.dumps({"text": 5}),
        json.dumps({"text": "Second story text here.", "meta": [1]}),
        json.dumps(["a list"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Third story title here\nBody three."}),
    ]
    write(tmp_path / "data.jsonl", "\n".join(lines) + "\n")
    corpus = load_corpus(tmp_path)
    assert [e.line for e in corpus.entries] == [1, 3, 4, 5, 6, 7, 8, 9]
    docs = corpus.documents
    assert [d.meta for d in docs] == [{"source": "a"}, {}]
    assert [d.path for d in docs] == ["data.jsonl:1", "data.jsonl:9"]
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert reasons["data.jsonl:3"].startswith("invalid JSON")
    assert reasons["data.jsonl:4"] == 'no "text" field'
    assert "not a string" in reasons["data.jsonl:5"]
    assert "not an object" in reasons["data.jsonl:6"]
    assert "JSON object" in reasons["data.jsonl:7"]
    assert reasons["data.jsonl:8"] == "only whitespace"
    assert str(Skipped("data.jsonl:3", "invalid JSON")) == "data.jsonl:3: invalid JSON"


def test_unsupported_hidden_and_order(tmp_path: Path) -> None:
    write(tmp_path / "b10.txt", "Story ten title here\nText ten.")
    write(tmp_path / "b2.txt", "Story two title here\nText two.")
    write(tmp_path / "A1.md", "# Story one\nText one.")
    write(tmp_path / "sub" / "c.txt", "Story sub title here\nText sub.")
    write(tmp_path / "report.pdf", b"%PDF-1.4")
    write(tmp_path / "notes", "no extension")
    write(tmp_path / ".hidden.txt", "Hidden story title\nHidden.")
    write(tmp_path / ".git" / "config", "[core]")
    corpus = load_corpus(tmp_path)
    assert [e.name for e in corpus.entries] == ["A1.md", "b2.txt", "b10.txt", "sub/c.txt"]
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert reasons["report.pdf"].startswith("unsupported file type .pdf")
    assert reasons["notes"].startswith("unsupported file (no extension)")
    assert reasons[".hidden.txt"].startswith("hidden file")
    assert not any(p.startswith(".git") for p in reasons)


def test_natural_key() -> None:
    names = ["b10", "B2", "a1", "b1", "a10", "a2"]
    assert sorted(names, key=natural_key) == ["a1", "a2", "a10", "b1", "B2", "b10"]


def test_duplicates_keep_first_in_order(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Same story title here\nSame text.")
    write(tmp_path / "b.txt", "Same story title here\r\nSame text.")  # same once sanitised
    write(tmp_path / "c.txt", "Other story title here\nOther.")
    corpus = load_corpus(tmp_path)
    # load the later copy first: order still decides which is kept
    assert isinstance(corpus.load(corpus.entries[1]), Document)
    assert isinstance(corpus.load(corpus.entries[0]), Document)
    assert corpus.load(corpus.entries[1]) == Skipped("b.txt", "duplicate of a.txt")
    assert [d.path for d in corpus.documents] == ["a.txt", "c.txt"]
    assert len(corpus) == 2
    assert corpus.get(corpus.documents[1].id) is corpus.documents[1]
    assert corpus.get("0" * 16) is None


def test_encodings_reported(tmp_path: Path) -> None:
    write(tmp_path / "cp.txt", "Café story title here\n“Quoted” text – fine.".encode("cp1252"))
    write(tmp_path / "u16.txt", "\ufeffUTF-16 story title here\nText.".encode("utf-16-le"))
    write(tmp_path / "bom.txt", "\ufeffBOM story title here\nText.".encode())
    corpus = load_corpus(tmp_path)
    docs = {d.path: d for d in corpus.documents}
    assert docs["cp.txt"].encoding == "cp1252"
    assert docs["cp.txt"].text.startswith("Café story")
    assert docs["u16.txt"].encoding == "utf-16-le"
    assert docs["bom.txt"].encoding == "utf-8 (BOM)"
    assert not docs["bom.txt"].text.startswith("\ufeff")
    assert any(note.startswith("cp.txt: decoded as cp1252") for note in corpus.notes)


def test_single_file_and_missing_path(tmp_path: Path) -> None:
    copy = shutil.copy(SEED, tmp_path / "one article.txt")
    corpus = load_corpus(copy)
    assert [e.name for e in corpus.entries] == ["one article.txt"]
    assert corpus.documents[0].title.startswith("'Ukraine")
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus(tmp_path / "missing")


# --------------------------------------------------------------------------- laziness


def test_listing_reads_nothing_and_preview_reads_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Story number {i} title\n12 May 2021\nBody {i}. " * 1)
    big = write(tmp_path / "9.txt", "Big story title here\n" + "Filler sentence. " * 100_000)
    reads: list[str] = []
    original = Path.read_bytes

    def spy(self: Path) -> bytes:
        reads.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    corpus = load_corpus(tmp_path)
    assert len(corpus.entries) == 6 and reads == []
    assert corpus.preview(corpus.entries[2]) == ("Story number 2 title", datetime(2021, 5, 12))
    assert corpus.preview(corpus.entries[5])[0] == "Big story title here"
    assert reads == []  # previews read only the head
    doc = corpus.load(corpus.entries[0])
    assert isinstance(doc, Document) and reads == ["0.txt"]
    assert corpus.load(corpus.entries[0]) is doc and reads == ["0.txt"]  # cached
    first = next(iter(corpus))
    assert first is doc and reads == ["0.txt"]
    assert big.stat().st_size > 1_000_000
    assert isinstance(corpus, Corpus) and isinstance(corpus.entries[0], Entry)


def test_preview_of_skipped_entry(tmp_path: Path) -> None:
    write(tmp_path / "bin.txt", bytes(range(256)) * 10)
    corpus = load_corpus(tmp_path)
    assert corpus.preview(corpus.entries[0]) == ("bin.txt", None)
    assert corpus.skipped[0].reason.startswith("binary")


def test_listing_order_and_types_match_natural_key_and_suffix(tmp_path: Path) -> None:
    """The walk's shortcuts (per-folder keys, cached digit runs, the .txt/.md fast path) give
    the order of ``natural_key`` over the whole relative path and the types of ``_suffix``."""
    names = ["a007.txt", "a7.TXT", "a70.md", "A8.txt", "x.jsonl.txt", "b 2/c10.txt", "b 2/c9.md"]
    names += ["b 10/c1.txt", "b2.txt", "007.md", "7.txt", "v1.2.10.txt", "v1.2.9.txt", "n.Md"]
    names += ["report.txt.pdf", "data.jsonl"]
    for name in names:
        content = '{"text": "Line story here"}\n' if name.endswith(".jsonl") else "A story here\n"
        write(tmp_path / name, content)
    corpus = load_corpus(tmp_path)
    listed = [e.name for e in corpus.entries]
    supported = [n for n in names if n.rsplit(".", 1)[-1].lower() in ("txt", "md", "jsonl")]
    expected = sorted(supported, key=natural_key)
    assert listed == [n + ":1" if n.endswith(".jsonl") else n for n in expected]
    assert [s.path for s in corpus.walk_skipped] == ["report.txt.pdf"]
    single = load_corpus(tmp_path / "A8.txt")
    assert [e.name for e in single.entries] == ["A8.txt"]


def test_position_finds_listed_names_without_building_the_map(tmp_path: Path) -> None:
    names = ["a007.txt", "a7.TXT", "a70.md", "b 2/c10.txt", "b 2/c9.md", "b2.txt", "7.txt"]
    for name in names:
        write(tmp_path / name, f"A story called {name}\n")
    corpus = load_corpus(tmp_path)
    for i, entry in enumerate(corpus.entries):
        assert corpus.position(entry.name) == i
    assert corpus._index is None  # every name found by the binary search
    assert corpus.position("nowhere.txt") is None
    assert corpus._index is not None  # a miss builds the map once: still exact
    assert [corpus.position(e.name) for e in corpus.entries] == list(range(len(names)))


def test_position_of_jsonl_lines_and_unordered_entries(tmp_path: Path) -> None:
    write(
        tmp_path / "f.jsonl", "".join(f'{{"text": "Story number {i} here"}}\n' for i in range(12))
    )
    write(tmp_path / "f.jsonl.txt", "A story after the lines\n")
    corpus = load_corpus(tmp_path)
    assert [corpus.position(e.name) for e in corpus.entries] == list(range(13))
    shuffled = Corpus(corpus.root, list(reversed(corpus.entries)), [])
    assert [shuffled.position(e.name) for e in shuffled.entries] == list(range(13))
    doc = shuffled.load(shuffled.entries[0])
    assert isinstance(doc, Document) and doc.text == "A story after the lines\n"
