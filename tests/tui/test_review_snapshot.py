"""Snapshot of the review screen: candidates drawn like suggestions, the versions pane."""

from __future__ import annotations

import pytest
from test_review import ALICE, BOB, FIRST, _at, _build

from annotator.store import open_store
from annotator.team import open_inputs
from annotator.tui.review import ReviewApp


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_review_screen(snap_compare, tmp_path, size):
    alice, bob = tmp_path / "alice.json", tmp_path / "bob.json"
    _build(alice, "alice", ALICE)
    _build(bob, "bob", BOB)
    app = ReviewApp(open_inputs([alice, bob]), open_store(tmp_path / "gold.json", annotator="lead"))

    async def at_the_first_disagreement(pilot) -> None:
        await pilot.pause()
        app.view.move_to(_at(FIRST, "President Emmanuel Macron")[0])
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=at_the_first_disagreement)
