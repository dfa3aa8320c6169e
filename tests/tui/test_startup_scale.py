"""Start-up at scale: the app reads only the article it opens, and a 100,000-entry list is one
widget drawing the visible rows (no widget per row). Timings live in benchmarks/bench_startup.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.corpus import Corpus, load_corpus
from annotator.tui import AnnotatorApp
from annotator.tui.widgets.corpus_list import CorpusList


def _folder(root: Path, count: int) -> Path:
    root.mkdir()
    for i in range(count):
        (root / f"story {i}.txt").write_text(
            f"Talks on the border, story {i}\n3 March 2025\n\nThe minister said no.\n",
            encoding="utf-8",
        )
    return root


async def test_start_up_reads_only_the_opened_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path / "corpus", 40)
    # no background previews in this test: they read heads after the first frame by design
    monkeypatch.setattr(AnnotatorApp, "fill_previews", lambda self: None)
    reads: list[str] = []
    original = Corpus._read

    def spy(self: Corpus, entry):  # type: ignore[no-untyped-def]
        reads.append(entry.name)
        return original(self, entry)

    monkeypatch.setattr(Corpus, "_read", spy)
    corpus = load_corpus(folder)
    assert reads == []  # listing reads no article
    app = AnnotatorApp(folder, tmp_path / "db.json", corpus=corpus, suggest_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert reads == ["story 0.txt"]
        assert app.doc is not None and app.doc.title == "Talks on the border, story 0"
        await pilot.press(">")  # next article: read when it is opened
        await pilot.pause()
        assert reads == ["story 0.txt", "story 1.txt"]


async def test_list_of_100000_entries_is_one_virtual_widget(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "corpus", 3)
    corpus = load_corpus(folder)
    many = [corpus.entries[i % 3]._replace(name=f"batch/{i:06d}.txt") for i in range(100_000)]
    big = Corpus(corpus.root, many, [])
    app = AnnotatorApp(folder, tmp_path / "db.json", corpus=big, suggest_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listing = app.query_one(CorpusList)
        assert len(listing.children) == 0
        assert len(list(app.screen.walk_children())) < 40  # no widget per row
        assert listing.virtual_size.height == 100_001  # rows plus the skipped-files row
        assert "Talks on the border" in listing.render_line(0).text
        listing.focus()
        await pilot.press("end")
        await pilot.pause()
        assert listing.cursor == 100_000 and listing.scroll_offset.y > 99_000
