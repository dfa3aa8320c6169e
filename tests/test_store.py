"""Unit tests for the store: every operation and every bad state (see DESIGN.md section 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.model import AnnotationError, Document, Relation, Span
from annotator.store import (
    SCHEMA_VERSION,
    DocInfo,
    NotFound,
    StoreCorrupt,
    StoreDamaged,
    StoreError,
    StoreLocked,
    open_store,
)
from annotator.store import journal as journal_mod

TEXT = "Mr Putin said on Monday that Kyiv is far from Moscow. Nobody believed him."
SRC = str(Path(__file__).resolve().parents[1] / "src")


def make_doc(doc_id: str = "doc1", text: str = TEXT, **kw) -> Document:
    return Document(id=doc_id, text=text, path=f"{doc_id}.txt", title="Title", **kw)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.fixture
def store(db: Path):
    with open_store(db, annotator="tester") as s:
        yield s


def journal_lines(db: Path) -> list[dict]:
    path = db.with_name(db.name + ".journal")
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def pending_lines(db: Path) -> list[dict]:
    """The journal records not yet in the snapshot: rotated segments, then the live journal."""
    lines = []
    for _, segment in journal_mod.segments(db):
        lines += [json.loads(x) for x in segment.read_text().splitlines()]
    return lines + journal_lines(db)


def write_lines(path: Path, entries: list[dict]) -> None:
    path.write_bytes(b"".join(journal_mod.encode_line(e) for e in entries))


def span_tuples(spans: list[Span]) -> list[tuple]:
    return [(s.id, s.start, s.end, s.label, s.text, s.origin) for s in spans]


# ----------------------------------------------------------------------------- operations


def test_add_span_and_reopen(db: Path) -> None:
    doc = make_doc()
    with open_store(db, annotator="ann") as s:
        span = s.add_span(doc, 3, 8, "ACTOR")
        assert (span.text, span.annotator, span.origin, span.doc_id) == (
            "Putin",
            "ann",
            "manual",
            "doc1",
        )
        assert span.created.tzinfo is not None
        assert s.spans("doc1") == [span]
        assert s.get_span(span.id) == span
    with open_store(db) as s:
        assert s.spans("doc1") == [span]
        info = s.document("doc1")
        assert isinstance(info, DocInfo)
        assert (info.text, info.path, info.title, info.status) == (TEXT, "doc1.txt", "Title", "new")


def test_document_fields_round_trip(db: Path) -> None:
    date = datetime(2024, 12, 18, 22, 4)
    doc = make_doc(date=date, byline="By Someone", boilerplate=[(0, 2)], meta={"url": "u", "n": 1})
    doc.title_span = (0, 5)
    with open_store(db) as s:
        s.add_document(doc)
        s.add_document(doc)  # idempotent: no second line
        assert len(journal_lines(db)) == 1
    with open_store(db, readonly=True) as s:
        info = s.document("doc1")
        assert info is not None
        assert (info.date, info.byline, info.boilerplate, info.meta) == (
            date,
            "By Someone",
            [(0, 2)],
            {"url": "u", "n": 1},
        )
        assert info.title_span == (0, 5)
        assert info.to_document().text == TEXT
        assert [d.id for d in s.documents()] == ["doc1"]
        assert "doc1" in s and "nope" not in s


def test_add_document_updates_changed_fields_and_refuses_other_text(store) -> None:
    store.add_document(make_doc())
    moved = make_doc()
    moved.path = "renamed.txt"
    store.add_document(moved)
    assert store.document("doc1").path == "renamed.txt"
    with pytest.raises(AnnotationError, match="different text"):
        store.add_document(make_doc(text="other text"))


def test_same_span_twice_is_a_noop(store, db: Path) -> None:
    doc = make_doc()
    first = store.add_span(doc, 3, 8, "ACTOR")
    lines = len(journal_lines(db))
    again = store.add_span(doc, 3, 8, "ACTOR", origin="suggested")
    assert again == first
    assert len(journal_lines(db)) == lines
    other = store.add_span(doc, 3, 8, "CLAIM")  # another label is another span
    assert other.id != first.id
    assert len(store.spans("doc1")) == 2


def test_spans_sorted_and_overlapping(store) -> None:
    doc = make_doc()
    late = store.add_span(doc, 29, 33, "LOCATION")
    inner = store.add_span(doc, 3, 8, "ACTOR")
    outer = store.add_span(doc, 0, 52, "CLAIM")
    assert store.spans("doc1") == [outer, inner, late]
    assert store.spans("unknown") == []


def test_add_span_by_id_needs_registered_document(store) -> None:
    with pytest.raises(NotFound):
        store.add_span("doc1", 0, 2, "ACTOR")
    store.add_document(make_doc())
    assert store.add_span("doc1", 0, 2, "ACTOR").text == "Mr"


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [(5, 5, "ACTOR"), (-1, 3, "ACTOR"), (0, 999, "ACTOR"), (0, 3, "NOPE"), (0, 3, "")],
)
def test_add_span_rejects_bad_input(store, db: Path, start, end, label) -> None:
    store.add_document(make_doc())
    before = len(journal_lines(db))
    with pytest.raises(AnnotationError):
        store.add_span("doc1", start, end, label)
    assert len(journal_lines(db)) == before
    assert store.spans("doc1") == []


def test_bad_origin_and_status(store) -> None:
    doc = make_doc()
    with pytest.raises(AnnotationError):
        store.add_span(doc, 0, 2, "ACTOR", origin="robot")
    with pytest.raises(AnnotationError):
        store.set_status("doc1", "finished")
    with pytest.raises(NotFound):
        store.set_status("unknown", "done")


def test_remove_and_restore_span_with_relations(store, db: Path) -> None:
    doc = make_doc()
    claim = store.add_span(doc, 0, 52, "CLAIM")
    actor = store.add_span(doc, 0, 8, "ACTOR")
    place = store.add_span(doc, 29, 33, "LOCATION")
    source = store.add_relation(claim.id, actor.id, "SOURCE")
    about = store.add_relation(claim.id, place.id, "ABOUT")
    assert store.relations_of(claim.id) == [source, about]
    rels = store.relations_of(actor.id)
    lines = len(journal_lines(db))
    assert store.remove_span(actor.id) == actor
    assert len(journal_lines(db)) == lines + 1  # span and relation in one line
    assert journal_lines(db)[-1]["del"] == [["span", actor.id], ["rel", source.id]]
    assert store.get_span(actor.id) is None
    assert store.relations("doc1") == [about]
    restored = store.restore_span(actor, rels)
    assert restored == actor
    assert {r.id for r in store.relations("doc1")} == {source.id, about.id}
    # restoring twice writes nothing
    lines = len(journal_lines(db))
    store.restore_span(actor, rels)
    assert len(journal_lines(db)) == lines


def test_restore_onto_re_added_equal_span_reattaches_relations(store) -> None:
    doc = make_doc()
    claim = store.add_span(doc, 0, 52, "CLAIM")
    actor = store.add_span(doc, 0, 8, "ACTOR")
    rel = store.add_relation(claim.id, actor.id, "SOURCE")
    store.remove_span(actor.id)
    again = store.add_span(doc, 0, 8, "ACTOR")
    restored = store.restore_span(actor, [rel])
    assert restored == again
    assert [(r.head, r.child) for r in store.relations("doc1")] == [(claim.id, again.id)]


def test_restore_span_validates(store) -> None:
    doc = make_doc()
    span = store.add_span(doc, 3, 8, "ACTOR")
    store.remove_span(span.id)
    with pytest.raises(AnnotationError):
        store.restore_span(span.with_(text="Other"))
    with pytest.raises(NotFound):
        store.restore_span(span.with_(doc_id="nodoc"))
    with pytest.raises(AnnotationError):
        store.restore_span(span, [Relation("r1", "doc1", span.id, "ghost", "SOURCE")])
    assert store.spans("doc1") == []


def test_unknown_ids(store) -> None:
    for call in (
        lambda: store.remove_span("x"),
        lambda: store.relabel_span("x", "ACTOR"),
        lambda: store.set_origin("x", "manual"),
        lambda: store.remove_relation("x"),
        lambda: store.add_relation("x", "y", "SOURCE"),
    ):
        with pytest.raises(NotFound) as info:
            call()
        assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
        assert "'x'" in str(info.value)
    assert store.get_span("x") is None and store.get_relation("x") is None
    assert store.relations_of("x") == []


def test_relabel(store, db: Path) -> None:
    doc = make_doc()
    span = store.add_span(doc, 3, 8, "ACTOR")
    new = store.relabel_span(span.id, "LOCATION")
    assert (new.id, new.label, new.text) == (span.id, "LOCATION", "Putin")
    assert store.relabel_span(span.id, "LOCATION") == new
    with pytest.raises(AnnotationError):
        store.relabel_span(span.id, "NOPE")
    store.add_span(doc, 3, 8, "ACTOR")
    with pytest.raises(AnnotationError, match="already"):
        store.relabel_span(span.id, "ACTOR")
    with open_store(db.with_name("other.json")):
        pass
    assert store.spans("doc1")[0].label in {"ACTOR", "LOCATION"}


def test_relabel_refused_when_relation_would_break(store) -> None:
    doc = make_doc()
    claim = store.add_span(doc, 0, 52, "CLAIM")
    actor = store.add_span(doc, 0, 8, "ACTOR")
    store.add_relation(claim.id, actor.id, "SOURCE")
    with pytest.raises(AnnotationError, match="SOURCE relation"):
        store.relabel_span(actor.id, "LOCATION")
    assert store.get_span(actor.id).label == "ACTOR"


def test_set_origin(store) -> None:
    span = store.add_span(make_doc(), 3, 8, "ACTOR", origin="suggested")
    accepted = store.set_origin(span.id, "manual")
    assert accepted.origin == "manual" and store.get_span(span.id).origin == "manual"
    with pytest.raises(AnnotationError):
        store.set_origin(span.id, "nope")


def test_relations_validation(store) -> None:
    doc = make_doc()
    other = make_doc("doc2")
    claim = store.add_span(doc, 0, 52, "CLAIM")
    actor = store.add_span(doc, 0, 8, "ACTOR")
    far = store.add_span(other, 0, 8, "ACTOR")
    with pytest.raises(AnnotationError):
        store.add_relation(actor.id, claim.id, "SOURCE")  # wrong direction
    with pytest.raises(AnnotationError):
        store.add_relation(claim.id, actor.id, "NOPE")
    with pytest.raises(AnnotationError, match="same document"):
        store.add_relation(claim.id, far.id, "SOURCE")
    rel = store.add_relation(claim.id, actor.id, "SOURCE", origin="suggested")
    assert store.add_relation(claim.id, actor.id, "SOURCE") == rel
    assert store.remove_relation(rel.id) == rel
    assert store.relations("doc1") == []
    assert store.restore_relation(rel) == rel
    assert store.restore_relation(rel) == rel
    assert store.relations("doc1") == [rel]


def test_status(store, db: Path) -> None:
    assert store.status("doc1") == "new"
    store.add_document(make_doc())
    assert store.set_status("doc1", "in_progress") == "new"
    assert store.set_status("doc1", "done") == "in_progress"
    lines = len(journal_lines(db))
    assert store.set_status("doc1", "done") == "done"
    assert len(journal_lines(db)) == lines
    assert store.status("doc1") == "done"


def test_declare_label_persists(db: Path) -> None:
    with open_store(db) as s:
        s.declare_label("EVENT")
        s.declare_label("EVENT")
        span = s.add_span(make_doc(), 17, 23, "EVENT")
        with pytest.raises(AnnotationError):
            s.declare_label("")
    with open_store(db) as s:
        assert "EVENT" in s.schema
        assert s.spans("doc1") == [span]


def test_iteration_for_export(store) -> None:
    a = store.add_span(make_doc("a"), 0, 2, "ACTOR")
    b = store.add_span(make_doc("b"), 3, 8, "ACTOR")
    store.add_document(make_doc("c"))
    assert [d.id for d in store.documents()] == ["a", "b", "c"]
    assert list(store.iter_spans()) == [a, b]


def test_annotator_defaults_to_login_name(db: Path) -> None:
    with open_store(db) as s:
        assert s.annotator
        assert s.add_span(make_doc(), 0, 2, "ACTOR").annotator == s.annotator


def test_explicit_ids_and_created(store) -> None:
    created = datetime(2020, 1, 1, tzinfo=UTC)
    span = store.add_span(
        make_doc(), 0, 2, "ACTOR", span_id="fixed", created=created, annotator="x"
    )
    assert (span.id, span.created, span.annotator) == ("fixed", created, "x")
    with pytest.raises(AnnotationError):
        store.add_span(make_doc(), 3, 8, "ACTOR", span_id="fixed")


def test_unusual_text_round_trips(db: Path) -> None:
    text = "Zürich 👩‍👩‍👧 e\u0301 東京 مرحبا \ud800 [/] [@click=app.quit] \x1b[31m\ttab\nline"
    doc = make_doc(text=text)
    with open_store(db) as s:
        spans = [s.add_span(doc, i, i + 1, "ACTOR") for i in range(len(text))]
    with open_store(db, readonly=True) as s:
        assert s.spans("doc1") == sorted(spans, key=lambda x: x.sort_key)
        assert s.document("doc1").text == text


# ----------------------------------------------------------------------------- journal / compaction


def test_every_operation_is_one_fsynced_line_before_return(store, db: Path, monkeypatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(journal_mod.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    store.add_span(make_doc(), 0, 2, "ACTOR")
    assert len(synced) == 1
    lines = journal_lines(db)
    assert len(lines) == 1
    assert lines[0]["op"] == "add_span" and lines[0]["table"] == "doc:doc1"


def test_sequence_numbers_increase_and_compaction_empties_journal(store, db: Path) -> None:
    doc = make_doc()
    for i in range(5):
        store.add_span(doc, i, i + 1, "ACTOR")
    seqs = [x["seq"] for x in journal_lines(db)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    store.compact()
    assert journal_lines(db) == []
    snap = json.loads(db.read_text())
    assert snap["_meta"]["1"]["seq"] == seqs[-1]
    assert snap["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert len(snap["doc:doc1"]) == 6  # the document record + 5 spans
    store.add_span(doc, 10, 12, "ACTOR")
    assert journal_lines(db)[0]["seq"] == seqs[-1] + 1


def test_automatic_compaction(db: Path) -> None:
    with open_store(db, compact_every=3) as s:
        doc = make_doc()
        s.add_span(doc, 0, 1, "ACTOR")
        s.add_span(doc, 1, 2, "ACTOR")
        assert len(journal_lines(db)) == 2 and not db.exists()
        s.add_span(doc, 2, 3, "ACTOR")  # the snapshot is written in the background
        assert journal_lines(db) == []
        s.wait_for_compaction()
        assert db.exists() and pending_lines(db) == []
        assert json.loads(db.read_text())["_meta"]["1"]["seq"] == 3


def test_failed_append_undoes_the_change(store, db: Path, monkeypatch) -> None:
    doc = make_doc()
    kept = store.add_span(doc, 0, 2, "ACTOR")
    calls = {"n": 0}
    real_write = os.write

    def failing_write(fd, data):
        calls["n"] += 1
        real_write(fd, bytes(data)[:5])  # a partial line reaches the file, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_mod.os, "write", failing_write)
    with pytest.raises(StoreError, match="No space left"):
        store.add_span(doc, 3, 8, "ACTOR")
    with pytest.raises(StoreError):
        store.remove_span(kept.id)
    with pytest.raises(StoreError):
        store.add_span(make_doc("new"), 0, 2, "ACTOR")
    monkeypatch.undo()
    assert store.spans("doc1") == [kept]
    assert store.document("new") is None
    later = store.add_span(doc, 10, 12, "ACTOR")  # the partial line was cut off
    assert len(journal_lines(db)) == 2
    crash(store)
    with open_store(db) as s:
        assert s.spans("doc1") == [kept, later]
        assert s.document("new") is None


def crash(store) -> None:
    """Drop the store like a killed process would: no compaction, lock released."""
    store._journal.close()
    store._lock.release()
    store._closed = True


def test_replay_after_crash(db: Path) -> None:
    s = open_store(db)
    doc = make_doc()
    a = s.add_span(doc, 0, 2, "ACTOR")
    s.compact()
    b = s.add_span(doc, 3, 8, "ACTOR")
    s.set_status("doc1", "done")
    crash(s)
    with open_store(db) as s2:
        assert s2.replayed == 2
        assert s2.spans("doc1") == [a, b]
        assert s2.status("doc1") == "done"
        # a clean journal stays the commit point until the next compaction (opening stays fast)
        assert len(journal_lines(db)) == 2
        c = s2.add_span(doc, 9, 10, "ACTOR")
    assert journal_lines(db) == []  # folded into the snapshot on close
    with open_store(db, readonly=True) as s3:
        assert s3.spans("doc1") == [a, b, c]
        assert s3.status("doc1") == "done"


def test_torn_journal_line_is_dropped(db: Path) -> None:
    s = open_store(db)
    a = s.add_span(make_doc(), 0, 2, "ACTOR")
    crash(s)
    journal = db.with_name(db.name + ".journal")
    good = journal.read_bytes()
    with journal.open("ab") as f:
        f.write(b'{"seq": 99, "op": "add_span", "table": "doc:doc1", "put": [{"ki')
    with open_store(db, readonly=True) as r:  # a reader ignores the torn tail, writes nothing
        assert r.spans("doc1") == [a] and r.torn
        assert r.warnings and "unfinished write" in r.warnings[0]
    assert journal.read_bytes() != good
    with open_store(db) as s2:
        assert s2.torn and s2.spans("doc1") == [a]
        assert journal.read_bytes() == good  # cut off before anything is appended after it
        b = s2.add_span("doc1", 3, 8, "ACTOR")
    with open_store(db) as s3:
        assert s3.spans("doc1") == [a, b]


@pytest.mark.parametrize(
    "garbage",
    [b"not json\n", b'{"seq": "x", "op": "a", "table": "t"}\n', b"[1, 2]\n", b'{"seq": 1}\n'],
)
def test_invalid_journal_line_followed_by_a_good_one_is_damage(db: Path, garbage: bytes) -> None:
    s = open_store(db)
    s.add_span(make_doc(), 0, 2, "ACTOR")
    crash(s)
    journal = db.with_name(db.name + ".journal")
    good_line = journal_mod.encode_line(
        {"seq": 2, "op": "set_status", "table": "doc:doc1", "set": {"status": "done"}}
    )
    with journal.open("ab") as f:
        f.write(garbage + good_line)  # a bad line with a good one after it: not a torn tail
    data_files = [p for p in db.parent.iterdir() if p.is_file() and p.suffix != ".lock"]
    before = {p.name: p.read_bytes() for p in data_files}
    for readonly in (True, False):
        with pytest.raises(StoreDamaged, match="line 2") as info:
            open_store(db, readonly=readonly)
        assert "1 record after it looks valid" in str(info.value)
        assert f"annotator repair --db {db}" in str(info.value)
    after = {
        p.name: p.read_bytes() for p in db.parent.iterdir() if p.is_file() and p.suffix != ".lock"
    }
    assert after == before  # nothing rewritten, truncated or compacted


def test_segments_already_in_snapshot_are_skipped(db: Path) -> None:
    """A crash after the new snapshot was written but before the folded-in journal segment was
    moved to the backups: the segment's records are not applied twice."""
    s = open_store(db)
    doc = make_doc()
    a = s.add_span(doc, 0, 2, "ACTOR")
    b = s.add_span(doc, 3, 8, "ACTOR")
    journal = db.with_name(db.name + ".journal")
    saved = journal.read_bytes()
    s.remove_span(b.id)
    s.compact()  # snapshot has seq 3, the removal included
    leftover = journal_mod.segment_path(db, 2)
    leftover.write_bytes(saved)
    crash(s)
    with open_store(db) as s2:
        assert s2.replayed == 0
        assert s2.spans("doc1") == [a]
        assert not leftover.exists()  # moved next to the backups


def test_replay_is_idempotent(db: Path) -> None:
    s = open_store(db)
    doc = make_doc()
    a = s.add_span(doc, 0, 2, "ACTOR")
    b = s.add_span(doc, 3, 8, "ACTOR")
    s.remove_span(b.id)
    crash(s)
    journal = db.with_name(db.name + ".journal")
    lines = [json.loads(x) for x in journal.read_text().splitlines()]
    # the same operations again with later sequence numbers: applying twice changes nothing
    again = [
        {k: v for k, v in e.items() if k != "crc"} | {"seq": 4 + i} for i, e in enumerate(lines)
    ]
    with journal.open("ab") as f:
        f.write(b"".join(journal_mod.encode_line(e) for e in again))
    with open_store(db) as s2:
        assert s2.replayed == 6
        assert s2.spans("doc1") == [a]


def test_stale_temp_files_are_removed(db: Path) -> None:
    with open_store(db) as s:
        s.add_span(make_doc(), 0, 2, "ACTOR")
    stale = db.with_name(f".{db.name}.abc123.tmp")
    stale.write_text("{half")
    with open_store(db) as s:
        assert len(s.spans("doc1")) == 1
    assert not stale.exists()


def test_close_is_idempotent_and_closed_store_refuses_writes(db: Path) -> None:
    s = open_store(db)
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.add_document(make_doc())


def test_missing_file_is_a_new_store_and_nothing_is_written_until_needed(db: Path) -> None:
    with open_store(db) as s:
        assert list(s.documents()) == []
    assert not db.exists()


# ----------------------------------------------------------------------------- bad states


def test_corrupt_snapshot_is_reported_and_left_untouched(db: Path) -> None:
    db.write_text('{"_meta": {"1": {"kind": "meta"}}, "doc:x": {"1": {')
    before = db.read_bytes()
    with pytest.raises(StoreCorrupt) as info:
        open_store(db)
    message = str(info.value)
    assert db.name in message and "line 1 column" in message and "nothing was changed" in message
    assert f"annotator repair --db {db}" in message
    assert "\n" not in message
    assert db.read_bytes() == before
    with pytest.raises(StoreCorrupt):
        open_store(db, readonly=True)
    # the lock was released: a fixed file opens
    db.write_text("{}")
    open_store(db).close()


@pytest.mark.parametrize(
    "content", [b"", b"   ", b"\xff\xfe{", b'{"a": 1} x', b"[1]", b'{"t": [1]}']
)
def test_truncated_or_foreign_snapshot(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    with pytest.raises(StoreCorrupt):
        open_store(db)
    assert db.read_bytes() == content


def test_truncated_real_snapshot(db: Path) -> None:
    with open_store(db) as s:
        for i in range(20):
            s.add_span(make_doc(), i, i + 1, "ACTOR")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreCorrupt, match=r"annotations\.json is damaged"):
        open_store(db)
    assert len(db.read_bytes()) == len(data) // 2


def test_tinydb_file_of_another_program(db: Path) -> None:
    db.write_text('{"_default": {"1": {"name": "x"}}}')
    with pytest.raises(StoreCorrupt, match="not an annotator store"):
        open_store(db)


def test_newer_schema_version(db: Path) -> None:
    with open_store(db) as s:
        s.add_span(make_doc(), 0, 2, "ACTOR")
    data = json.loads(db.read_text())
    data["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    db.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="newer annotator"):
        open_store(db)


LOCK_HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {src!r})
    from annotator.store import open_store
    s = open_store({db!r}, annotator="holder")
    print("locked", flush=True)
    time.sleep(60)
    """
)


def test_second_process_is_told_who_holds_the_lock(db: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER.format(src=SRC, db=str(db))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLocked) as info:
            open_store(db)
        message = str(info.value)
        assert message.startswith("annotations.json is in use by annotator (pid ")
        assert f"pid {child.pid}," in message and "@" in message and "since " in message
        assert message.endswith("; close it first")
        # a read-only open does not need the lock
        with open_store(db, readonly=True) as r:
            assert list(r.documents()) == []
    finally:
        child.kill()
        child.wait()
    open_store(db).close()  # the kernel released the lock when the holder died


def test_lock_in_same_process(db: Path) -> None:
    with open_store(db), pytest.raises(StoreLocked):
        open_store(db)


def test_readonly_store_never_writes(db: Path) -> None:
    with open_store(db) as s:
        s.add_span(make_doc(), 0, 2, "ACTOR")
    before = sorted(p.name for p in db.parent.iterdir())
    with open_store(db, readonly=True) as r:
        with pytest.raises(StoreError, match="read-only"):
            r.add_span("doc1", 3, 8, "ACTOR")
        with pytest.raises(StoreError, match="read-only"):
            r.compact()
        assert len(r.spans("doc1")) == 1
    assert sorted(p.name for p in db.parent.iterdir()) == before


def test_readonly_sees_journal_of_running_writer(db: Path) -> None:
    with open_store(db) as s:
        span = s.add_span(make_doc(), 0, 2, "ACTOR")
        with open_store(db, readonly=True) as r:
            assert r.spans("doc1") == [span]


def test_unwritable_folder_via_failing_open(db: Path, monkeypatch) -> None:
    """Covers the real code path even as root (where chmod does not stop writes)."""
    real_open = os.open

    def deny(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    from annotator.store import lock as lock_mod

    monkeypatch.setattr(lock_mod.os, "open", deny)
    with pytest.raises(StoreError) as info:
        open_store(db)
    assert "Permission denied" in str(info.value) and "writable" in str(info.value)


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(blocker / "annotations.json")
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)


def test_read_only_filesystem(tmp_path: Path) -> None:
    """/proc refuses new files even for root."""
    with pytest.raises(StoreError):
        open_store("/proc/annotations.json")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_folder_with_chmod(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            open_store(folder / "annotations.json")
    finally:
        folder.chmod(0o755)


def test_unwritable_file_is_reported(db: Path, monkeypatch) -> None:
    db.write_text("{}")
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != db)
    with pytest.raises(StoreError, match="read-only"):
        open_store(db)


def test_failed_snapshot_write_keeps_journal(db: Path, monkeypatch) -> None:
    from annotator.store import storage as storage_mod

    s = open_store(db)
    span = s.add_span(make_doc(), 0, 2, "ACTOR")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_mod, "write_atomic", full)
    with pytest.raises(StoreError, match="No space left"):
        s.compact()
    assert len(pending_lines(db)) == 1  # the record waits in a journal segment
    later = s.add_span(make_doc(), 3, 8, "ACTOR")
    with pytest.raises(StoreError):
        s.close()  # close still releases the lock
    monkeypatch.undo()
    with open_store(db, readonly=True) as r:
        assert r.spans("doc1") == [span, later]
    with open_store(db) as s2:
        assert s2.spans("doc1") == [span, later]
    assert pending_lines(db) == []


def test_interrupted_append_leaves_no_line_behind(store, db: Path, monkeypatch) -> None:
    """A KeyboardInterrupt after the write but before the fsync: the change is undone in
    memory, so the line is cut from the journal too, and later lines stay readable."""
    doc = make_doc()
    kept = store.add_span(doc, 0, 2, "ACTOR")
    real_fsync = os.fsync
    calls = {"n": 0}

    def interrupted(fd):
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt
        return real_fsync(fd)

    monkeypatch.setattr(journal_mod.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.add_span(doc, 3, 8, "ACTOR")
    monkeypatch.undo()
    assert store.spans("doc1") == [kept]
    assert len(journal_lines(db)) == 1
    later = store.add_span(doc, 10, 12, "ACTOR")
    crash(store)
    with open_store(db) as s:
        assert s.spans("doc1") == [kept, later]
