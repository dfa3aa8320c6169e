"""A folder built to break readers: what load_corpus keeps, what it skips and why, and the
invariants every kept document satisfies."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from annotator import load_corpus
from annotator.corpus import Corpus
from annotator.model import Document
from annotator.text import TextIndex

FAMILY = "👩\u200d👩\u200d👧\u200d👦"
COMBINING = "Zo\u0308e and cafe\u0301 and n\u0303"
BIG_LINE = "Wordy " * 50_000  # 300 KB on one line


def build(root: Path) -> None:
    def put(rel: str, data: str | bytes) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)

    put("markup.txt", "Markup in the story title\nClose [/] and [@click=app.quit]quit[/] here.\n")
    put(
        "escapes.txt",
        "\x1b[31mRed escaped story title\x1b[0m\n"
        "Set \x1b]0;pwned title\x07the title and \x1b]8;;http://evil.example\x1b\\a link\x1b]8;;\x1b\\.\n",
    )
    put("crlf.txt", "Windows line endings title\r\nFirst line.\r\nSecond line.\rOld Mac line.\r\n")
    put("bom.txt", "\ufeffA story with a byte order mark\nText.\n")
    put("cp1252.txt", "Café society story title\n“Smart quotes” – and 10€.\n".encode("cp1252"))
    put("utf16.txt", "\ufeffA story stored as UTF-16\nКиїв and 北京.\n".encode("utf-16-le"))
    put("utf16be.txt", "\ufeffA story stored as big UTF-16\nText here.\n".encode("utf-16-be"))
    put("emoji.txt", f"Family emoji story title\nThe {FAMILY} family and 👍🏽 and 🇺🇦 flags.\n")
    put("combining.txt", f"Combining marks story title\n{COMBINING}.\n")
    put("cjk.txt", "中文新闻标题在这里很长\n北京时间2024年12月18日，记者报道。\n")
    put("rtl.txt", "عنوان القصة باللغة العربية\nقال الرئيس إن \u200fالحرب\u200f ستنتهي.\n")
    put("tabs.txt", "Tabs\tin the\ttitle\n\tIndented\tparagraph text.\n")
    put("nul.txt", "A story with NUL bytes\nSome\x00 text\x00 with NULs in it, but mostly text.\n")
    put("binary.txt", bytes(range(256)) * 64)
    put("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    put("empty.txt", b"")
    put("blank.md", " \n\t\n\r\n")
    put("controls.txt", "Control characters title\nBell\x07 and DEL\x7f and C1\x85 gone.\n")
    put(
        "huge.txt",
        "A five megabyte article title\n" + ("Sentence about events. " * 45 + "\n") * 5000,
    )
    put("oneline.txt", BIG_LINE)
    put("nested/deeper/deepest/story.txt", "Deeply nested story title\nText.\n")
    put("with space/an article name.txt", "Spaces in the file name\nText.\n")
    put("Ünïcödé/日本語 ファイル.md", "# Non-ASCII names story\nText.\n")
    put(".hidden.txt", "Hidden article title here\nText.\n")
    put(".secret/inside.txt", "Inside a hidden folder\nText.\n")
    put("report.pdf", b"%PDF-1.7\n%binary")
    put(
        "zz copy of markup.txt",
        "Markup in the story title\nClose [/] and [@click=app.quit]quit[/] here.\n",
    )
    put("data.jsonl", '{"text": "JSONL story title here\\nBody."}\n{broken\n')
    os.symlink(root, root / "nested" / "loop")  # a loop back to the root
    os.symlink(root / "nested", root / "nested" / "deeper" / "up")  # a loop to an ancestor
    os.symlink(root / "missing.txt", root / "dangling.txt")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("symlinks need privileges on Windows")
    root = tmp_path_factory.mktemp("hostile")
    build(root)
    return load_corpus(root)


KEPT = [
    "bom.txt",
    "cjk.txt",
    "combining.txt",
    "controls.txt",
    "cp1252.txt",
    "crlf.txt",
    "data.jsonl:1",
    "emoji.txt",
    "escapes.txt",
    "huge.txt",
    "markup.txt",
    "nested/deeper/deepest/story.txt",
    "nul.txt",
    "oneline.txt",
    "rtl.txt",
    "tabs.txt",
    "utf16.txt",
    "utf16be.txt",
    "with space/an article name.txt",
    "Ünïcödé/日本語 ファイル.md",
]


def test_kept_documents_in_stable_order(corpus: Corpus) -> None:
    assert [d.path for d in corpus.documents] == KEPT
    again = load_corpus(corpus.root)
    assert [e.name for e in again.entries] == [e.name for e in corpus.entries]


def test_skipped_with_reasons(corpus: Corpus) -> None:
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert reasons.pop(".hidden.txt").startswith("hidden file")
    assert reasons.pop(".secret").startswith("hidden folder")
    assert reasons.pop("binary.txt").startswith("binary file")
    assert reasons.pop("image.txt") == "binary file (a PNG image)"
    assert reasons.pop("empty.txt") == "empty"
    assert reasons.pop("blank.md") == "only whitespace"
    assert reasons.pop("report.pdf").startswith("unsupported file type .pdf")
    assert reasons.pop("zz copy of markup.txt") == "duplicate of markup.txt"
    assert reasons.pop("data.jsonl:2").startswith("invalid JSON")
    assert reasons.pop("dangling.txt") == "broken symbolic link"
    assert reasons.pop("nested/loop").startswith("symlink loop")
    assert reasons.pop("nested/deeper/up").startswith("symlink loop")
    assert reasons == {}


def test_encodings(corpus: Corpus) -> None:
    docs = {d.path: d for d in corpus.documents}
    assert docs["cp1252.txt"].encoding == "cp1252"
    assert "“Smart quotes” – and 10€." in docs["cp1252.txt"].text
    assert docs["utf16.txt"].encoding == "utf-16-le" and "Київ and 北京" in docs["utf16.txt"].text
    assert docs["utf16be.txt"].encoding == "utf-16-be"
    assert docs["bom.txt"].text.startswith("A story")
    assert [n for n in corpus.notes if "cp1252" in n] == ["cp1252.txt: decoded as cp1252"]


def test_content_survives(corpus: Corpus) -> None:
    docs = {d.path: d for d in corpus.documents}
    assert "[@click=app.quit]quit[/]" in docs["markup.txt"].text
    assert docs["escapes.txt"].text == ("Red escaped story title\nSet the title and a link.\n")
    assert (
        docs["crlf.txt"].text
        == "Windows line endings title\nFirst line.\nSecond line.\nOld Mac line.\n"
    )
    assert FAMILY in docs["emoji.txt"].text
    assert COMBINING in docs["combining.txt"].text
    assert "\t" in docs["tabs.txt"].text
    assert "Some text with NULs" in docs["nul.txt"].text
    assert docs["controls.txt"].text.endswith("Bell and DEL and C1 gone.\n")
    assert docs["huge.txt"].title == "A five megabyte article title"
    assert len(docs["huge.txt"].text) > 5_000_000
    assert docs["oneline.txt"].text == BIG_LINE
    assert docs["Ünïcödé/日本語 ファイル.md"].title == "Non-ASCII names story"
    assert docs["cjk.txt"].title == "中文新闻标题在这里很长"
    assert docs["rtl.txt"].title == "عنوان القصة باللغة العربية"


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_document(doc: Document, *, units: bool) -> None:
    text = doc.text
    assert _FORBIDDEN.search(text) is None
    assert text.strip()
    assert re.fullmatch(r"[0-9a-f]{16}", doc.id)
    for start, end in doc.boilerplate:
        assert 0 <= start < end <= len(text)
    for span in (doc.title_span, doc.date_span):
        if span is not None:
            assert 0 <= span[0] < span[1] <= len(text)
    if doc.title_span is not None:
        assert text[slice(*doc.title_span)] == doc.title
    if not units:
        return
    index = TextIndex(text)
    for group in (index.tokens, index.sentences, index.paragraphs, index.quotations):
        for unit in group:
            assert text[unit.start : unit.end] == unit.text
    for token in index.tokens:
        assert not any(ch.isspace() for ch in token.text)
    for a, b in zip(index.tokens, index.tokens[1:], strict=False):
        assert a.end <= b.start


def test_invariants_hold_for_every_document(corpus: Corpus) -> None:
    docs = corpus.documents
    assert len({d.id for d in docs}) == len(docs)
    for doc in docs:
        check_document(doc, units=doc.path not in ("huge.txt",))


def test_graphemes_are_tokens(corpus: Corpus) -> None:
    docs = {d.path: d for d in corpus.documents}
    tokens = [t.text for t in TextIndex(docs["emoji.txt"].text).tokens]
    assert FAMILY in tokens and "👍🏽" in tokens and "🇺🇦" in tokens
    tokens = [t.text for t in TextIndex(docs["combining.txt"].text).tokens]
    assert "Zo\u0308e" in tokens and "cafe\u0301" in tokens and "n\u0303" in tokens


def test_previews_never_fail(corpus: Corpus) -> None:
    fresh = load_corpus(corpus.root)
    for entry in fresh.entries:
        title, _ = fresh.preview(entry)
        assert isinstance(title, str) and title
        assert _FORBIDDEN.search(title) is None
