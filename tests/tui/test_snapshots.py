"""Snapshots of the main screen on the seed article (spans, nested spans, a selection)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.corpus import load_corpus
from annotator.store import open_store

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_afbc20cf0ccb7af1.txt"

FIXED = datetime(2025, 1, 1, tzinfo=UTC)


def _annotated(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "001_second.txt").write_text("Second article title here\nBody text.\n")
    db = tmp_path / "annotations.json"
    corpus = load_corpus(folder)
    doc = corpus.documents[0]
    text = doc.text
    store = open_store(db, annotator="snap")
    store.add_document(doc)

    def add(label, needle, nth=0, cut=None):
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        end = start + len(cut if cut is not None else needle)
        store.add_span(doc, start, end, label, created=FIXED)

    add("CLAIM", "Ukraine cannot retake the territories that Russia has annexed")
    add("ACTOR", "Volodymyr Zelenskyy has", cut="Volodymyr Zelenskyy")
    add("ACTOR", "Ukraine cannot retake", cut="Ukraine")
    add("ACTOR", "Russia has annexed", cut="Russia")
    add(
        "CLAIM",
        "the only way that Crimea",
        cut="the only way that Crimea and eastern Ukraine could be brought back under Kyiv's control was via diplomacy",
    )
    add("LOCATION", "Crimea and", cut="Crimea")
    add("LOCATION", "eastern Ukraine")
    add("ACTOR", "Kyiv's control", cut="Kyiv")
    add("ACTOR", "The Ukrainian president")
    store.close()
    return folder, db


def _app(folder, db):
    from annotator.tui import AnnotatorApp

    return AnnotatorApp(folder, db, annotator="snap")


async def _select(pilot):
    app = pilot.app
    await pilot.pause()
    app.view.move_to(app.doc.text.index("Mr Zelenskyy said on Wednesday"))
    await pilot.press("shift+right", "shift+right", "shift+right")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen(snap_compare, tmp_path, size):
    folder, db = _annotated(tmp_path)
    assert snap_compare(_app(folder, db), terminal_size=size, run_before=_select)
