"""End to end: the real `annotator` command in tmux, keys sent as a user types them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_afbc20cf0ccb7af1.txt"

pytestmark = pytest.mark.e2e


def _command(folder: Path, db: Path) -> str:
    exe = Path(sys.executable).parent / "annotator"
    if exe.exists():
        return f"{exe} {folder} --db {db} --annotator e2e"
    # the CLI is not installed (plain checkout): run the app the way the CLI does
    code = (
        "import sys; from annotator.tui import AnnotatorApp; "
        "AnnotatorApp(sys.argv[1], sys.argv[2], annotator='e2e').run()"
    )
    return f'{sys.executable} -c "{code}" {folder} {db}'


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
def test_tag_with_keys_quit_and_find_span(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    db = tmp_path / "annotations.json"
    session = f"annotator-e2e-{os.getpid()}"
    env_path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    command = f"cd {tmp_path} && PYTHONPATH={env_path} {_command(folder, db)}; sleep 5"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        check=True,
    )
    try:
        _wait_for(session, "Volodymyr Zelenskyy has admitted")
        for key in ("e", "2"):  # next name ("Ukraine" in the title), tag ACTOR
            _tmux("send-keys", "-t", session, key)
            time.sleep(0.3)
        _wait_for(session, "saved")
        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.time() + 15
        current = ""
        while time.time() < deadline:  # the app exited when the shell runs `sleep`
            current = _tmux("display", "-p", "-t", session, "#{pane_current_command}").strip()
            if current == "sleep":
                break
            time.sleep(0.2)
        assert current == "sleep", "the app did not quit on ctrl+q"
    finally:
        _tmux("kill-session", "-t", session)
    store = open_store(db, readonly=True)
    spans = [s for doc in store.documents() for s in store.spans(doc.id)]
    made = [(s.label, s.text) for s in spans if s.origin != "suggested"]  # on-open suggestions
    assert made == [("ACTOR", "Ukraine")]
