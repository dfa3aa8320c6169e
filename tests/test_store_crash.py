"""Crash test: a child adds spans and prints each id once ``add_span`` returns; it is killed
with SIGKILL at random moments (compaction every 7 operations over large documents, so many
kills land mid-snapshot). After each kill the store must open and hold every acknowledged span."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store import open_store

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parent / "src")


def run_crashes(tmp_path: Path, kills: int, seed: int, docs: int = 12, chars: int = 60_000) -> int:
    db = tmp_path / "annotations.json"
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    acknowledged: set[str] = set()
    mid_snapshot = 0
    for round_ in range(kills):
        child = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "store_crash_child.py"),
                str(db),
                str(seed * 1000 + round_),
                str(docs),
                str(chars),
            ],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.02, 0.4))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        mid_snapshot += bool(list(tmp_path.glob(".*.tmp")))  # killed while writing a snapshot
        lines = out.split(b"\n")[:-1]  # a last line without newline was never fully printed
        acknowledged.update(line.decode() for line in lines)

        with open_store(db, readonly=True) as view:  # a reader sees them before any repair
            assert all(view.get_span(span_id) for span_id in acknowledged)
        with open_store(db) as store:
            missing = [s for s in acknowledged if store.get_span(s) is None]
            assert not missing, f"round {round_}: {len(missing)} acknowledged spans lost"
            for info in store.documents():
                for span in store.spans(info.id):
                    assert info.text[span.start : span.end] == span.text
        assert not list(tmp_path.glob(".*.tmp"))
    print(
        f"{kills} kills, {mid_snapshot} during a snapshot write, {len(acknowledged)} spans acknowledged"
    )
    return len(acknowledged)


def test_sigkill_loses_no_acknowledged_span(tmp_path: Path) -> None:
    assert run_crashes(tmp_path, kills=20, seed=1) > 20


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_span_long(tmp_path: Path) -> None:
    assert run_crashes(tmp_path, kills=150, seed=2, docs=25) > 150
