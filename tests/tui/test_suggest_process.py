"""Suggestions run in their own process: keys are handled meanwhile, the spans land in the
store in batches, a dead worker is reported and the app keeps working; Y is one undo step and
one journal record."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tui_helpers import at

SIZE = (120, 40)


def _die(*args) -> None:
    """A suggestion job that kills its process (as an out-of-memory kill would)."""
    os._exit(9)


def suggested(app) -> list:
    return [s for s in app.store.spans(app.doc.id) if s.origin == "suggested"]


def journal_records(db: Path) -> list[dict]:
    path = db.with_name(db.name + ".journal")
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


async def test_keys_are_handled_while_the_engines_run_in_their_process(make_app):
    app = make_app(suggest_on_open=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app._suggest_runner is None  # nothing started with the app
        app._suggest_gate.set()
        await pilot.pause()
        assert app._suggesting, "the run on open is in flight"
        start = app.view.cursor
        pressed = 0
        while app._suggesting and pressed < 400:
            await pilot.press("right")
            pressed += 1
            if pressed == 1:
                # the engines run elsewhere: the key was handled with the run still going
                assert app._suggesting and app.view.cursor > start
        await app.workers.wait_for_complete()
        await pilot.pause()
        runner = app._suggest_runner
        assert runner is not None and runner.started
        assert runner.pids() and os.getpid() not in runner.pids()
        assert pressed > 1
        spans = suggested(app)
        assert len(spans) > 30
        assert all(app.doc.text[s.start : s.end] == s.text for s in spans)
        assert all(s.annotator.startswith("suggest:") for s in spans)
        # on screen too, and the keys still work on them
        assert len([s for s in app.view.spans if s.origin == "suggested"]) == len(spans)
        await pilot.press("full_stop")
        assert any(s.start == app.view.cursor for s in spans)
    assert not runner.started  # quitting ends the process


async def test_a_dead_worker_is_reported_and_the_app_keeps_working(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.suggest_job = _die
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("process stopped unexpectedly" in m for m in messages), messages
        assert suggested(app) == []
        assert not app._suggesting  # S may run again
        await at(app, pilot, "Crimea")
        await pilot.press("e", "3")
        assert any(s.text == "Crimea" and s.origin == "manual" for s in app.store.spans(app.doc.id))
        # the next run starts a new process and works
        app.suggest_job = None
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(suggested(app)) > 30


async def test_Y_is_one_journal_record_and_one_undo_step(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await at(app, pilot, "The Ukrainian president said")
        sentence = app.index.sentence_at(app.view.cursor)
        inside = [s for s in suggested(app) if sentence.start <= s.start < sentence.end]
        assert len(inside) >= 5
        app.store.compact()  # the journal starts empty: what follows is Y alone
        before = len(journal_records(db_path))
        steps = len(app.history)
        await pilot.press("Y")
        assert len(journal_records(db_path)) == before + 1
        assert len(app.history) == steps + 1
        assert all(app.store.get_span(s.id).origin == "manual" for s in inside)
        await pilot.press("u")  # one step undoes all of it, in one record
        assert all(app.store.get_span(s.id).origin == "suggested" for s in inside)
        assert len(journal_records(db_path)) == before + 2
        assert app.store.status(app.doc.id) == "new"
