"""End to end: `annotator review alice.json bob.json --db gold.json` in tmux, keys as typed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_review import ALICE, BOB, FIRST, _at, _build

from annotator.corpus import parse_article
from annotator.store import open_store

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def _wait_for(session: str, needle: str, timeout: float = 20) -> str:
    deadline = time.time() + timeout
    screen = ""
    while time.time() < deadline:
        screen = _tmux("capture-pane", "-t", session, "-p")
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; screen was:\n{screen}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_review_two_databases_with_keys(tmp_path):
    alice, bob, gold = tmp_path / "alice.json", tmp_path / "bob.json", tmp_path / "gold.json"
    _build(alice, "alice", ALICE)
    _build(bob, "bob", BOB)
    before = (alice.read_bytes(), bob.read_bytes())
    session = f"annotator-review-{os.getpid()}"
    env_path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    command = (
        f"cd {tmp_path} && PYTHONPATH={env_path} {sys.executable} -m annotator review "
        f"{alice} {bob} --db {gold} --annotator lead; sleep 5"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "32", command], check=True
    )
    try:
        _wait_for(session, "5 disagreements left here")
        for key in ("g", ".", "y"):  # top, first disagreement (alice's longer ACTOR), accept
            _tmux("send-keys", "-t", session, key)
            time.sleep(0.3)
        _wait_for(session, "saved · accepted ACTOR")
        screen = _wait_for(session, "4 disagreements left here")
        assert "tagged by bob (not alice)" in screen  # the cursor moved on to bob's version
        _tmux("send-keys", "-t", session, "n")
        _wait_for(session, "3 disagreements left here")
        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.time() + 15
        current = ""
        while time.time() < deadline:
            current = _tmux("display", "-p", "-t", session, "#{pane_current_command}").strip()
            if current == "sleep":
                break
            time.sleep(0.2)
        assert current == "sleep", "the review did not quit on ctrl+q"
    finally:
        _tmux("kill-session", "-t", session)
    doc_id = parse_article(FIRST).id
    with open_store(gold, readonly=True) as store:
        spans = {s.key: s for s in store.spans(doc_id) if s.origin != "suggested"}
        accepted = spans[(*_at(FIRST, "President Emmanuel Macron"), "ACTOR")]
        assert accepted.origin == "reviewed" and accepted.annotators == ("alice",)
        assert (*_at(FIRST, "Emmanuel Macron"), "ACTOR") in store.rejected(doc_id)
        assert len(spans) == 3  # the two agreed spans and the accepted one
    assert (alice.read_bytes(), bob.read_bytes()) == before  # the inputs are untouched
