"""Training the model from the app: another process does it, the keys keep working meanwhile,
and the status line says when the new model is in use."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tui_helpers import at

from annotator.learn import storage
from annotator.learn.gold import read_gold
from annotator.store import open_store

SIZE = (120, 40)
SETS = Path(__file__).resolve().parents[2] / "benchmarks" / "gold" / "sets"


def finish_gold_set(db_path: Path, name: str) -> None:
    """Five gold articles in the database, done, their spans made by hand."""
    with open_store(db_path, annotator="tester") as store:
        for a in read_gold(SETS):
            if a.set == name:
                store.add_document(a.doc)
                store.add_spans(a.doc, sorted(a.spans), origin="manual")
                store.set_status(a.doc.id, "done")


async def wait_for(pilot, condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.1)


async def test_keys_work_and_spans_land_while_a_training_runs(make_app, db_path):
    finish_gold_set(db_path, "4")
    app = make_app(train_every=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        assert app.trainer is not None and app.trainer.running
        assert "training the model in the background" in app.status_bar.info.message
        started = time.monotonic()
        await at(app, pilot, "Volodymyr Zelenskyy has admitted")
        await pilot.press("right", "2")  # Zelenskyy -> ACTOR
        await at(app, pilot, "talks with Putin")
        await pilot.press("right", "right", "2")  # Putin -> ACTOR
        keys_seconds = time.monotonic() - started
        assert app.trainer.running, "the training should still be running (it takes seconds)"
        with open_store(db_path, readonly=True) as other:  # on disk, not only in memory
            assert {(s.label, s.text) for s in other.spans(app.doc.id)} == {
                ("ACTOR", "Zelenskyy"),
                ("ACTOR", "Putin"),
            }
        assert keys_seconds < 5, keys_seconds  # generous: a blocked loop waits for the training
        await wait_for(pilot, lambda: not app.trainer.running)
        await wait_for(pilot, lambda: app.status_bar.info.message.startswith("model v1 in use"))
        assert "held-back article" in app.status_bar.info.message
        assert storage.load(db_path).model is not None
        await pilot.press("S")  # the next suggestions come from the new model
        await wait_for(
            pilot, lambda: any(s.origin == "suggested" for s in app.store.spans(app.doc.id))
        )
        engines = {s.annotator for s in app.store.spans(app.doc.id) if s.origin == "suggested"}
        assert engines and engines <= {"suggest:model", "suggest:learned"}, engines
        await pilot.press("ctrl+q")


async def test_marking_articles_done_starts_a_training(make_app, db_path):
    finish_gold_set(db_path, "5")
    app = make_app(train_every=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        assert app.store.status(app.doc.id) != "done"  # the next article is open
        assert "training the model in the background" in app.status_bar.info.message
        assert app.trainer is not None and app.trainer.running
        # in use, or not for the labels the rules did better on (the seed, done without a
        # span, is a training article that teaches "nothing here": the model can lose them all)
        await wait_for(pilot, lambda: app.status_bar.info.message.startswith("model v1 "))
        message = app.status_bar.info.message
        assert message.startswith(("model v1 in use", "model v1 not used: ")), message
        await pilot.press("ctrl+q")
    await asyncio.sleep(0)
