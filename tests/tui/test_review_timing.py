"""Time spent in the app: active time written with the next change (never a journal line per
key), idle gaps over a minute left out, seconds since the previous action on each new span."""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_afbc20cf0ccb7af1.txt"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def test_app_records_time_with_each_change_and_on_quit(tmp_path):
    from annotator.tui import AnnotatorApp

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    db = tmp_path / "db.json"
    app = AnnotatorApp(folder, db, annotator="tester", suggest_on_open=False)
    clock = Clock()
    app.timer.clock = clock
    journal = Path(str(db) + ".journal")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.timer.open(app.doc.id)  # the fake clock from here on
        for _ in range(3):  # reading: cursor moves, no write
            clock.advance(5)
            await pilot.press("right")
        lines_before = _lines(journal)
        assert lines_before == 0  # moving the cursor never writes
        clock.advance(2)
        await pilot.press("e", "2")  # tag the next name as an ACTOR
        assert _lines(journal) == lines_before + 1  # span, status and time: one line
        assert app.store.document(app.doc.id).active_seconds == 17.0
        (span,) = [s for s in app.store.spans(app.doc.id)]
        assert span.seconds == 17.0  # since the article opened
        clock.advance(120)  # a coffee
        await pilot.press("right")
        clock.advance(3)
        await pilot.press("right")
        clock.advance(4)
        await pilot.press("ctrl+q")
    with open_store(db, readonly=True) as store:
        (info,) = list(store.documents())
        assert info.active_seconds == 17.0 + 3 + 4  # the idle 120 s are left out


def _lines(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(1 for line in path.read_bytes().splitlines() if line.strip())
