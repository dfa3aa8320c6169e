"""Suggestions at scale: the interval index, one journal record per document (suggest and
import), writing in steps, and the worker process runner."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.corpus import parse_article
from annotator.export import import_file
from annotator.store import open_store
from annotator.suggest import run_suggestions
from annotator.suggest.conflicts import ENTITY_LABELS, ConflictIndex, OverlapIndex
from annotator.suggest.types import Suggestion
from annotator.suggest.writer import SuggestionWriter, visible_first
from annotator.worker import ProcessRunner, WorkerDied

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_afbc20cf0ccb7af1.txt"
SECOND = (
    "Ministers meet in Paris to discuss the budget\n3 March 2025\n"
    "President Emmanuel Macron said that France would raise defence spending.\n"
    '"We will do what is needed," he told reporters in Paris.\n'
)
LABELS = ("ACTOR", "LOCATION", "CLAIM")


def brute_force_conflicts(s, existing) -> bool:
    """The scan the index replaced: every span so far compared with the suggestion."""
    for span in existing:
        if (span.start, span.end) == (s.start, s.end):
            return True
        overlap = span.start < s.end and s.start < span.end
        if overlap and span.label == s.label:
            return True
        if overlap and span.label in ENTITY_LABELS and s.label in ENTITY_LABELS:
            return True
    return False


SIZE = 60
extents = st.tuples(st.integers(0, SIZE - 1), st.integers(1, 20), st.sampled_from(LABELS)).map(
    lambda t: Suggestion(t[0], min(SIZE, t[0] + t[1]), t[2], "test")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(extents, max_size=40), st.lists(extents, max_size=40))
def test_conflict_index_agrees_with_the_brute_force_scan(existing, candidates) -> None:
    index = ConflictIndex(SIZE, existing)
    kept = list(existing)
    for s in candidates:
        expected = brute_force_conflicts(s, kept)
        assert index.conflicts(s) == expected
        if not expected:  # as a run does: a kept suggestion decides the later ones
            index.add(s)
            kept.append(s)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 49), st.integers(1, 30)), max_size=30),
    st.integers(0, 49),
    st.integers(1, 30),
)
def test_overlap_index_is_exact(intervals, start, length) -> None:
    index = OverlapIndex(50)
    for a, n in intervals:
        index.add(a, a + n)
    end = start + length
    assert index.overlaps(start, end) == any(a < end and start < a + n for a, n in intervals)


def journal_records(db: Path) -> list[dict]:
    path = db.with_name(db.name + ".journal")
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_suggest_writes_one_journal_record_per_document(tmp_path: Path) -> None:
    docs = [parse_article(SEED.read_text(encoding="utf-8"), path="a.txt"), parse_article(SECOND)]
    db = tmp_path / "a.json"
    with open_store(db, annotator="t", compact_every=10**9) as store:
        report = run_suggestions(store, docs)
        records = journal_records(db)
        assert report.added > 40 and report.documents == 2
        assert len(records) == 2  # one per document: its registration and all its suggestions
        per_doc = [sum(len(op.get("put", [])) for op in r.get("ops", [r])) for r in records]
        assert sum(per_doc) == report.added == sum(len(store.spans(d.id)) for d in docs)
        # a second run adds nothing and writes nothing
        again = run_suggestions(store, docs)
        assert again.added == 0 and len(journal_records(db)) == 2
    for doc in docs:
        with open_store(db, readonly=True) as reopened:
            spans = reopened.spans(doc.id)
            assert spans and all(doc.text[s.start : s.end] == s.text for s in spans)
            assert {s.origin for s in spans} == {"suggested"}


def test_import_writes_one_journal_record_per_document(tmp_path: Path) -> None:
    rows = []
    for text in (SECOND, "Another story\nMr Smith said that it rained in Oslo.\n"):
        actor = text.index("Macron") if "Macron" in text else text.index("Mr Smith")
        width = 6 if "Macron" in text else 8
        city = text.index("Paris") if "Paris" in text else text.index("Oslo")
        rows.append(
            {
                "text": text,
                "spans": [
                    {"start": actor, "end": actor + width, "label": "ACTOR"},
                    {
                        "start": city,
                        "end": city + len(text[city:].split()[0].strip(".")),
                        "label": "LOCATION",
                    },
                    {"start": actor, "end": actor + width, "label": "ACTOR"},  # twice
                ],
            }
        )
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "a.json"
    with open_store(db, annotator="t", compact_every=10**9) as store:
        report = import_file(store, path)
        assert (report.documents_added, report.spans_added, report.duplicates_skipped) == (2, 4, 2)
        assert len(journal_records(db)) == 2
        assert import_file(store, path).spans_added == 0
        assert len(journal_records(db)) == 2  # nothing new: nothing written


def test_writer_puts_the_visible_part_first_and_checks_the_live_store(tmp_path: Path) -> None:
    doc = parse_article(SEED.read_text(encoding="utf-8"), path="a.txt")
    from annotator.suggest import suggest
    from annotator.text import TextIndex

    found = suggest(doc, TextIndex(doc.text))
    middle = found[len(found) // 2]
    window = (middle.start, middle.end + 200)
    order = visible_first(found, window)
    inside = [s for s in found if s.start < window[1] and window[0] < s.end]
    assert order[: len(inside)] == inside and sorted(order, key=found.index) == found
    db = tmp_path / "a.json"
    with open_store(db, annotator="t", compact_every=10**9) as store:
        writer = SuggestionWriter(store, doc, found, first=window, step=10)
        first = writer.step()
        assert {s.key for s in first} == {s.key for s in order[:10]}  # on screen first
        assert {s.key for s in inside[:10]} <= {s.key for s in first}
        # the user tags meanwhile: a LOCATION over a later ACTOR suggestion's text
        later = next(s for s in order[10:] if s.label == "ACTOR")
        store.add_span(doc, later.start, later.end, "LOCATION")
        steps = 1
        while not writer.done:
            writer.step()
            steps += 1
        assert steps == -(-len(found) // 10)
        assert len(journal_records(db)) == steps + 1  # one per step, plus the user's tag
        spans = store.spans(doc.id)
        assert store.find_span(doc.id, later.start, later.end, "ACTOR") is None
        assert sum(s.origin == "suggested" for s in spans) == writer.added == len(found) - 1


# --------------------------------------------------------------------------- the runner


def _exit_now(code: int) -> None:
    os._exit(code)


def _fail(message: str) -> None:
    raise ValueError(message)


def test_runner_starts_lazily_returns_results_and_errors() -> None:
    runner = ProcessRunner("test")
    try:
        assert not runner.started and runner.pids() == []
        assert runner.submit(sorted, [3, 1, 2]).result(timeout=60) == [1, 2, 3]
        assert runner.started and runner.pids() and os.getpid() not in runner.pids()
        with pytest.raises(ValueError, match="bad input"):
            runner.submit(_fail, "bad input").result(timeout=60)
        assert runner.submit(len, "abc").result(timeout=60) == 3  # an error is not a death
    finally:
        runner.shutdown()
    with pytest.raises(RuntimeError):
        runner.submit(len, "x")


def test_runner_reports_a_dead_worker_and_starts_a_new_one() -> None:
    runner = ProcessRunner("test")
    try:
        first = runner.submit(os.getpid).result(timeout=60)
        with pytest.raises(WorkerDied, match="test process stopped"):
            runner.submit(_exit_now, 3).result(timeout=60)
        second = runner.submit(os.getpid).result(timeout=60)
        assert second != first
    finally:
        runner.shutdown()
