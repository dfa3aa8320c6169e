"""Start-up at scale: the app reads only the article it opens, and a 100,000-entry list is one
widget drawing the visible rows (no widget per row). Timings live in benchmarks/bench_startup.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.corpus import Corpus, Skipped, load_corpus
from annotator.store import open_store
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


async def test_list_of_100000_entries_is_one_virtual_widget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no background previews: they make every row (titles), after the first frame by design
    monkeypatch.setattr(AnnotatorApp, "fill_previews", lambda self: None)
    folder = _folder(tmp_path / "corpus", 3)
    corpus = load_corpus(folder)
    many = [corpus.entries[i % 3]._replace(name=f"batch/{i:06d}.txt") for i in range(100_000)]
    big = Corpus(corpus.root, many, [])
    app = AnnotatorApp(folder, tmp_path / "db.json", corpus=big, suggest_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listing = app.query_one(CorpusList)
        assert len(listing.children) == 0
        assert len(list(app.rows.made())) < 100  # rows are made when drawn, not all at start
        assert len(list(app.screen.walk_children())) < 40  # no widget per row
        assert listing.virtual_size.height == 100_001  # rows plus the skipped-files row
        assert "Talks on the border" in listing.render_line(0).text  # the opened article
        listing.focus()
        await pilot.press("end")
        await pilot.pause()
        assert listing.cursor == 99_999 and listing.scroll_offset.y > 99_000  # the last article


@pytest.mark.parametrize(
    ("statuses", "opened"),
    [
        ({}, 0),
        ({0: "done", 1: "done", 2: "new", 5: "done"}, 2),
        ({0: "done", 1: "done", 5: "done"}, 2),
        ({0: "done", 3: "done", 17: "in_progress", 30: "in_progress"}, 17),
        ({i: "done" for i in range(40)}, 0),
    ],
)
async def test_start_opens_first_in_progress_else_first_not_done(
    tmp_path: Path, statuses: dict[int, str], opened: int
) -> None:
    """The article opened at start comes from the store's statuses (rows are not all made)."""
    folder = _folder(tmp_path / "corpus", 40)
    corpus = load_corpus(folder)
    db = tmp_path / "db.json"
    with open_store(db) as store:
        for i, status in statuses.items():
            doc = corpus.load(corpus.entries[i])
            assert not isinstance(doc, Skipped)
            store.add_document(doc)
            store.set_status(doc.id, status)
    app = AnnotatorApp(folder, db, corpus=load_corpus(folder), suggest_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.position == opened
        assert app.doc is not None and app.doc.path == f"story {opened}.txt"
        for i, status in statuses.items():
            assert app.rows[i].status == status


async def test_background_walk_fills_the_list_and_keys_work_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder without a listing is walked after the first frame: the status line counts the
    files, keys are handled meanwhile, then the list fills in (natural order) and the first
    article opens."""
    import threading

    from annotator.tui import app as app_module

    folder = tmp_path / "corpus"
    for i in (10, 2, 1, 30):
        (folder / f"part {i}").mkdir(parents=True)
        for j in (3, 20, 1):
            (folder / f"part {i}" / f"story {j}.txt").write_text(
                f"Talks in part {i}, story {j}\n\nThe minister said no.\n", encoding="utf-8"
            )
    expected = [e.name for e in load_corpus(folder).entries]
    counted = threading.Event()
    release = threading.Event()
    real = app_module.load_corpus

    def slow(path, progress=None):  # type: ignore[no-untyped-def]
        def report(count: int) -> None:
            assert progress is not None
            progress(count)
            if count >= 3:  # a few folders in: hold the walk until the test has pressed keys
                counted.set()
                release.wait(10)

        return real(path, progress=report)

    monkeypatch.setattr(app_module, "load_corpus", slow)
    monkeypatch.setattr(app_module, "PROGRESS_SECONDS", 0.0)
    app = AnnotatorApp(folder, tmp_path / "db.json", suggest_on_open=False, walk_in_background=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(500):  # generous: a busy machine
            if counted.is_set() and "listing… 3 files" in app.status_bar.info.message:
                break
            await pilot.pause(0.02)
        assert app.doc is None and len(app.rows) == 0
        assert "listing… 3 files" in app.status_bar.info.message
        corpus_list = app.query_one(CorpusList)
        shown = corpus_list.display
        await pilot.press("f")  # keys work while the folder is walked
        assert corpus_list.display != shown or corpus_list.has_focus
        await pilot.press("!")
        assert "still listing" in app.status_bar.info.message
        release.set()
        for _ in range(500):
            if app.doc is not None:
                break
            await pilot.pause(0.02)
        assert [row.name for row in app.rows] == expected
        assert app.doc is not None and app.doc.path == "part 1/story 1.txt" and app.position == 0
        assert app.status_bar.info.total == 12
        await pilot.press(">")
        assert app.doc.path == "part 1/story 3.txt"


async def test_the_app_resumes_the_paused_collector_after_its_first_frame(make_app) -> None:
    import gc

    from annotator import collector

    app = make_app(suggest_on_open=False)
    collector.pause()  # what the console entry does before anything loads
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert gc.isenabled() and not collector.paused()
    finally:
        collector.resume()
