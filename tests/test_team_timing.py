"""Time spent: active time per document (idle gaps over a minute left out), seconds per span,
written with the next change (never a journal line per key), shown by stats, exported in meta."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.store import open_store
from annotator.team.timing import ActiveTimer, format_duration, spans_per_hour

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_afbc20cf0ccb7af1.txt"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_idle_gaps_over_a_minute_do_not_count():
    clock = Clock()
    timer = ActiveTimer(clock=clock)
    timer.open("a")
    clock.advance(10)
    timer.tick()
    clock.advance(300)  # away for five minutes
    timer.tick()
    clock.advance(20)
    assert timer.action() == 30.0  # since the opening, the idle gap left out
    clock.advance(5)
    assert timer.action() == 5.0
    assert timer.take("a") == 35.0
    assert timer.take("a") == 0.0  # taken: written by the caller


def test_time_counts_for_the_open_article_only():
    clock = Clock()
    timer = ActiveTimer(clock=clock)
    timer.open("a")
    clock.advance(4)
    timer.open("b")  # leaving a: its 4 seconds stay pending for it
    clock.advance(6)
    timer.tick()
    assert (timer.pending("a"), timer.pending("b")) == (4.0, 6.0)
    timer.give_back("b", timer.take("b"))  # a failed write keeps the time
    assert timer.pending("b") == 6.0


def test_formatting():
    assert format_duration(59.6) == "1:00"
    assert format_duration(3725) == "1:02:05"
    assert spans_per_hour(10, 1800) == 20.0
    assert spans_per_hour(3, 0) is None


def _timed_store(db: Path) -> str:
    from annotator.corpus import load_corpus

    doc = load_corpus(SEED).documents[0]
    with open_store(db, annotator="tester") as store:
        start = doc.text.index("Volodymyr Zelenskyy")
        store.add_span(doc, start, start + len("Volodymyr Zelenskyy"), "ACTOR", seconds=4.5)
        start = doc.text.index("Crimea")
        store.add_span(doc, start, start + len("Crimea"), "LOCATION")
        store.add_time(doc.id, 90.0)
    return doc.id


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"},
    )


def test_stats_shows_time_per_document_and_spans_per_hour(tmp_path):
    db = tmp_path / "db.json"
    _timed_store(db)
    result = run("stats", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Time per document" in result.stdout
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in result.stdout.splitlines()
        if line.count("│") >= 3
    }
    assert rows["active time"] == ["1:30"]
    assert rows["spans per hour"] == ["80"]  # 2 spans in 90 seconds
    doc_rows = [r for k, r in rows.items() if k.startswith("'Ukraine cannot")]
    assert doc_rows == [["in progress", "2", "1:30", "80"]] or doc_rows == [
        ["new", "2", "1:30", "80"]
    ]


def test_spacy_export_carries_lead_time_and_span_seconds(tmp_path):
    db = tmp_path / "db.json"
    _timed_store(db)
    result = run("export", "--db", str(db))
    assert result.returncode == 0, result.stderr
    task = json.loads(result.stdout.splitlines()[0])
    assert task["meta"]["lead_time"] == 90.0
    by_text = dict(
        zip([s["text"] for s in task["spans"]], task["meta"]["span_seconds"], strict=True)
    )
    assert by_text == {"Volodymyr Zelenskyy": 4.5, "Crimea": None}
