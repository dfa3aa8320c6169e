"""Store integrity: a damaged journal or snapshot never costs acknowledged work.

Damage (a changed byte range anywhere but in an unfinished last write) makes every open refuse
with one line and change nothing; ``annotator repair`` then keeps every record that passes its
checksum. A torn last line is still dropped silently. Old (format 1) databases keep working.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.model import Document, Span
from annotator.store import SCHEMA_VERSION, StoreDamaged, StoreError, open_store, store_exists
from annotator.store import journal as journal_mod
from annotator.store import storage as storage_mod
from annotator.store.backups import Backups
from annotator.store.repair import repair

HERE = Path(__file__).resolve().parent
V1 = HERE / "data" / "store_v1"
SRC = str(HERE.parent / "src")
TEXT = "Kyiv said on Monday that the minister had left Moscow for talks in Warsaw. " * 4
DOC = Document(id="d1", text=TEXT, path="d1.txt", title="One")


def crash(store) -> None:
    """Drop the store like a killed process would: no compaction, lock released."""
    store.wait_for_compaction()
    store._journal.close()
    store._lock.release()
    store._closed = True


def files(folder: Path) -> dict[str, bytes]:
    """Every data file and its bytes (the lock file holds only who has the store open)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


@pytest.fixture(scope="module")
def thirty(tmp_path_factory) -> tuple[Path, list[str]]:
    """A writer that acknowledged 30 spans and died before any compaction."""
    folder = tmp_path_factory.mktemp("thirty")
    db = folder / "annotations.json"
    store = open_store(db, annotator="a")
    ids = [store.add_span(DOC, i * 3, i * 3 + 2, "ACTOR").id for i in range(30)]
    crash(store)
    (folder / "annotations.json.lock").unlink()
    return folder, ids


def copy_of(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    shutil.copytree(template, target)
    return target / "annotations.json"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in a child process (what a user sees, tracebacks included)."""
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env
    )


def damage(path: Path, start: int, data: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[start : start + len(data)] = data
    path.write_bytes(bytes(raw))


# ----------------------------------------------------------------------------- the case


def test_damaged_middle_line_refuses_then_repair_keeps_the_rest(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    ids = thirty[1]
    lines = journal(db).read_bytes().splitlines(keepends=True)
    offset = sum(len(x) for x in lines[:10]) + 30  # a byte range inside line 11
    damage(journal(db), offset, b"\x00\xff\x1b[31m")
    before = files(db.parent)
    for readonly in (True, False):
        with pytest.raises(StoreDamaged) as info:
            open_store(db, readonly=readonly)
        message = str(info.value)
        assert "annotations.json.journal is damaged at line 11 (checksum mismatch)" in message
        assert "19 records after it look valid" in message
        assert f"annotator repair --db {db}" in message and "\n" not in message
    assert files(db.parent) == before  # nothing rewritten, truncated or compacted
    dry = repair(db, dry_run=True)
    assert dry.needed and dry.kept == 29 and files(db.parent) == before
    report = repair(db)
    assert report.kept == 29 and report.missing == [(11, 11)]
    assert [lost.where for lost in report.lost] == ["annotations.json.journal line 11"]
    assert "\\x1b" in report.lost[0].excerpt and "\x1b" not in report.lost[0].excerpt
    copies = report.copies
    assert (
        copies is not None
        and (copies / "annotations.json.journal").read_bytes() == before["annotations.json.journal"]
    )
    with open_store(db) as store:
        kept = {s.id for s in store.spans("d1")}
    assert kept == set(ids) - {ids[10]}
    again = repair(db)  # idempotent
    assert not again.needed and "nothing to repair" in again.lines()[0]


def test_cli_open_stats_export_and_repair_give_the_same_line(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    lines = journal(db).read_bytes().splitlines(keepends=True)
    damage(journal(db), sum(len(x) for x in lines[:4]) + 50, b"#")
    run = cli
    seen = set()
    for args in (["stats"], ["export", "-f", "spacy"], ["import", str(V1 / "make_v1.py")]):
        result = run(*args, "--db", str(db))
        assert result.returncode == 1, result
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
        seen.add(result.stderr.strip())
    assert len(seen) == 1 and "line 5" in seen.pop()
    result = run("repair", "--db", str(db))
    assert result.returncode == 0 and "nothing acknowledged was lost" not in result.stdout
    assert run("stats", "--db", str(db)).returncode == 0


# ----------------------------------------------------------------------------- every position


@settings(
    max_examples=int(os.environ.get("DAMAGE_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damage_anywhere_in_the_journal(thirty, tmp_path: Path, data) -> None:
    db = copy_of(thirty[0], tmp_path)
    ids = thirty[1]
    raw = journal(db).read_bytes()
    lines = raw.splitlines(keepends=True)
    line = data.draw(st.integers(0, len(lines) - 1), label="line")
    start = sum(len(x) for x in lines[:line])
    at = data.draw(st.integers(start, start + len(lines[line]) - 1), label="byte")
    length = data.draw(st.integers(1, 8), label="length")
    junk = data.draw(st.binary(min_size=length, max_size=length), label="bytes")
    damaged = raw[:at] + junk + raw[at + length :]
    if damaged == raw:
        return
    journal(db).write_bytes(damaged)
    # the lines the damage touched; a line whose newline was overwritten runs into the next
    # one, which is lost with it
    touched = set()
    offset = 0
    for i, text in enumerate(lines):
        end = offset + len(text)
        if offset < at + length and at < end:
            touched.add(i)
            if at <= end - 1 < at + length and damaged[end - 1 : end] != b"\n":
                touched.add(i + 1)
        offset = end
    try:
        with open_store(db, readonly=True) as view:
            seen = {s.id for s in view.spans("d1")}
    except StoreDamaged:
        before = files(db.parent)
        with pytest.raises(StoreDamaged):
            open_store(db)
        assert files(db.parent) == before
        report = repair(db, documents=[DOC])  # the article, in case its first record is hit
        with open_store(db) as store:
            kept = {s.id for s in store.spans("d1")}
        # every line the damage did not touch is kept
        assert {ids[i] for i in range(30) if i not in touched} <= kept, report.lines()
        return
    # it opened: only the last line, if the damage hit it, may have gone (as a torn tail)
    assert seen == set(ids) or (
        seen == set(ids[:-1]) and not damaged.endswith(b"\n")  # only an unfinished last write
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [(b'"schema_version"', b'" chema_version"'), (b'"schema_version":2', b'"schema_version":1')],
)
def test_damage_to_the_version_field_is_caught_by_the_checksum(
    tmp_path: Path, old: bytes, new: bytes
) -> None:
    """A damaged version key or value must not pass a format-2 file off as format 1 (which
    has no checksum, so nothing else would notice). Found by the test below: byte 6142."""
    db = tmp_path / "annotations.json"
    with open_store(db, annotator="a", background_compaction=False) as store:
        store.add_span(DOC, 0, 3, "ACTOR")
        store.compact()
    raw = db.read_bytes()
    assert raw.count(old) == 1
    db.write_bytes(raw.replace(old, new))
    with pytest.raises(StoreDamaged, match="checksum mismatch"):
        open_store(db, annotator="a")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damage_anywhere_in_the_snapshot_with_backups(tmp_path: Path, data) -> None:
    folder = tmp_path / f"s{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    db = folder / "annotations.json"
    with open_store(db, annotator="a", background_compaction=False) as store:
        ids = []
        for round_ in range(3):  # three compactions: two backups and their segments
            ids += [
                store.add_span(DOC, round_ * 90 + i * 3, round_ * 90 + i * 3 + 2, "ACTOR").id
                for i in range(10)
            ]
            store.compact()
        ids += [store.add_span(DOC, 280 + i, 281 + i, "LOCATION").id for i in range(5)]
        store.wait_for_compaction()
        store._journal.close()
        store._lock.release()
        store._closed = True
    raw = db.read_bytes()
    at = data.draw(st.integers(0, len(raw) - 1), label="byte")
    junk = data.draw(st.binary(min_size=1, max_size=6), label="bytes")
    damaged = raw[:at] + junk + raw[at + len(junk) :]
    if damaged == raw:
        return
    db.write_bytes(damaged)
    before = files(folder)
    with pytest.raises(StoreDamaged) as info:
        open_store(db)
    assert "annotations.json is damaged" in str(info.value)
    assert files(folder) == before
    report = repair(db)
    assert report.base.startswith("backup"), report.lines()
    with open_store(db) as store:
        assert {s.id for s in store.spans("d1")} == set(ids)  # nothing acknowledged is lost


def test_damaged_first_record_of_a_document_needs_its_article(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    damage(journal(db), 40, b"!!")  # line 1 registered the document
    report = repair(db, dry_run=True)
    assert report.orphaned == {"d1": 29} and "--corpus PATH" in "\n".join(report.lines())
    report = repair(db, documents=[DOC])
    assert report.restored == ["d1"] and not report.orphaned and report.kept == 29
    with open_store(db) as store:
        assert len(store.spans("d1")) == 29 and store.document("d1").title == "One"


def test_torn_last_line_is_still_dropped_silently(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    raw = journal(db).read_bytes()
    journal(db).write_bytes(raw[:-25])  # the last append never finished
    with open_store(db) as store:
        assert store.torn and len(store.spans("d1")) == 29
    with open_store(db) as store:
        assert not store.torn and len(store.spans("d1")) == 29


def test_zero_bytes_over_the_newline_before_the_last_line_are_damage(thirty, tmp_path) -> None:
    """The case CI found: the last two lines run into one; the last record is still whole."""
    db = copy_of(thirty[0], tmp_path)
    ids = thirty[1]
    lines = journal(db).read_bytes().splitlines(keepends=True)
    newline = sum(len(x) for x in lines[:29]) - 1  # the newline that ends line 29
    damage(journal(db), newline - 7, b"\x00" * 8)  # the end of line 29's checksum and its newline
    for readonly in (True, False):
        with pytest.raises(StoreDamaged, match="line 29"):
            open_store(db, readonly=readonly)
    report = repair(db)
    assert report.kept == 29 and not report.torn, report.lines()
    with open_store(db) as store:
        assert {s.id for s in store.spans("d1")} == set(ids) - {ids[28]}


def test_junk_over_the_last_newline_and_the_next_record_start_is_damage(thirty, tmp_path) -> None:
    """The second case CI found: damage over line 29's newline and the start of line 30 runs
    them into one bad last line with no whole record inside. That line ends in a newline, so
    it is not an unfinished write: record 29 was acknowledged, and the open must refuse."""
    db = copy_of(thirty[0], tmp_path)
    ids = thirty[1]
    lines = journal(db).read_bytes().splitlines(keepends=True)
    newline = sum(len(x) for x in lines[:29]) - 1
    damage(journal(db), newline - 3, b"\xff" * 8)  # '"}' + newline of 29, '{"se' of 30
    for readonly in (True, False):
        with pytest.raises(StoreDamaged, match="line 29"):
            open_store(db, readonly=readonly)
    report = repair(db)
    assert not report.torn and report.kept == 28, report.lines()
    assert report.lost, report.lines()  # said, never silent
    with open_store(db) as store:
        assert {s.id for s in store.spans("d1")} == set(ids[:28])


def test_newline_lost_without_other_damage_keeps_both_records(thirty, tmp_path) -> None:
    db = copy_of(thirty[0], tmp_path)
    ids = thirty[1]
    lines = journal(db).read_bytes().splitlines(keepends=True)
    newline = sum(len(x) for x in lines[:29]) - 1
    damage(journal(db), newline, b" ")  # two whole records on one line
    with pytest.raises(StoreDamaged):
        open_store(db, readonly=True)
    report = repair(db)
    assert report.kept == 30 and not report.torn, report.lines()
    with open_store(db) as store:
        assert {s.id for s in store.spans("d1")} == set(ids)


def test_junk_over_a_middle_newline_keeps_the_record_after_it(thirty, tmp_path) -> None:
    db = copy_of(thirty[0], tmp_path)
    ids = thirty[1]
    lines = journal(db).read_bytes().splitlines(keepends=True)
    newline = sum(len(x) for x in lines[:12]) - 1  # end of line 12
    damage(journal(db), newline - 2, b"\xff\xfe\xfd")  # its last bytes and the newline
    with pytest.raises(StoreDamaged, match="line 12"):
        open_store(db)
    report = repair(db)
    with open_store(db) as store:
        kept = {s.id for s in store.spans("d1")}
    assert kept == set(ids) - {ids[11]}, report.lines()


def test_unknown_operation_is_damage_even_on_the_last_line(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    with journal(db).open("ab") as f:
        f.write(journal_mod.encode_line({"seq": 31, "op": "teleport", "table": "doc:d1"}))
    with pytest.raises(StoreDamaged, match=r"line 31 \(cannot be applied: unknown operation"):
        open_store(db)


def test_a_missing_record_in_the_middle_is_damage(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    lines = journal(db).read_bytes().splitlines(keepends=True)
    journal(db).write_bytes(b"".join(lines[:5] + lines[6:]))  # a copy tool dropped line 6
    with pytest.raises(StoreDamaged, match=r"line 6 \(records 6\.\.6 are missing before it\)"):
        open_store(db, readonly=True)


# ----------------------------------------------------------------------------- snapshot checks


def test_valid_json_snapshot_with_a_bad_record_is_damage_and_never_rewritten(
    tmp_path: Path,
) -> None:
    db = tmp_path / "annotations.json"
    shutil.copy(V1 / "annotations.json", db)  # format 1: no checksum to catch the edit
    data = json.loads(db.read_text())
    span = next(r for r in data["doc:d1"].values() if r["kind"] == "span")
    del span["end"]
    db.write_text(json.dumps(data))
    before = files(tmp_path)
    for readonly in (True, False):
        with pytest.raises(StoreDamaged, match=r'"end" is not an integer'):
            open_store(db, readonly=readonly)
    assert files(tmp_path) == before
    result = cli("stats", "--db", str(db))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr and "annotator repair" in result.stderr


def test_snapshot_checksum_is_written_and_tinydb_still_reads_the_file(tmp_path: Path) -> None:
    from tinydb import TinyDB

    db = tmp_path / "annotations.json"
    with open_store(db) as store:
        span = store.add_span(DOC, 0, 4, "LOCATION")
    raw = db.read_bytes()
    assert raw.endswith(b'"}}}') and b'"crc":"' in raw[-30:]
    assert storage_mod.check_crc(raw) is None
    assert storage_mod.check_crc(raw.replace(b"Kyiv", b"Kyev", 1)) == "checksum mismatch"
    tiny = TinyDB(db)
    assert any(r.get("id") == span.id for r in tiny.table("doc:d1").all())
    assert tiny.table("_meta").all()[0]["schema_version"] == SCHEMA_VERSION
    tiny.close()


# ----------------------------------------------------------------------------- old databases


def test_format_1_database_opens_as_before_and_migrates_on_compaction(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    shutil.copy(V1 / "annotations.json", db)
    shutil.copy(V1 / "annotations.json.journal", journal(db))
    expected = {"s2", "s3", "s4", "s6"}
    with open_store(db, readonly=True) as view:
        assert {s.id for d in ("d1", "d2") for s in view.spans(d)} == expected
        assert view.status("d1") == "done" and view.status("d2") == "in_progress"
        assert "EVENT" in view.schema
        assert view.rejected("d2") == {(0, 9, "ACTOR")}
        assert [r.id for r in view.relations("d1")] == ["r1"]
        assert view.get_span("s4").origin == "manual"
    with open_store(db) as store:
        assert store.replayed == 5
        new = store.add_span("d2", 0, 9, "ACTOR")  # appended with a checksum after old lines
    assert json.loads(db.read_text())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    with open_store(db) as store:
        ids = {s.id for d in ("d1", "d2") for s in store.spans(d)}
    assert ids == expected | {new.id}


def test_format_1_journal_with_new_lines_after_it(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    shutil.copy(V1 / "annotations.json", db)
    shutil.copy(V1 / "annotations.json.journal", journal(db))
    store = open_store(db)
    span = store.add_span("d2", 0, 9, "ACTOR")
    crash(store)
    lines = journal(db).read_bytes().splitlines()
    assert b'"crc"' not in lines[0] and b'"crc"' in lines[-1]
    with open_store(db, readonly=True) as view:
        assert view.get_span(span.id) is not None and view.get_span("s6") is not None


# ----------------------------------------------------------------------------- journal-only


def test_a_database_that_is_only_a_journal_is_a_database(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    assert not db.exists() and store_exists(db)
    with open_store(db, readonly=True) as view:
        assert len(view.spans("d1")) == 30
    stats = cli("stats", "--db", str(db))
    assert stats.returncode == 0 and "30" in stats.stdout, stats.stderr
    export = cli("export", "--db", str(db))
    assert export.returncode == 0 and len(json.loads(export.stdout)["spans"]) == 30
    assert not db.exists()  # read-only: nothing written


def test_reader_is_warned_about_an_unfinished_last_write(thirty, tmp_path: Path) -> None:
    db = copy_of(thirty[0], tmp_path)
    with journal(db).open("ab") as f:
        f.write(b'{"seq":31,"op":"add_span","tab')
    result = cli("stats", "--db", str(db))
    assert (
        result.returncode == 0
        and "warning: annotations.json.journal ends with an unfinished" in result.stderr
    )


# ----------------------------------------------------------------------------- failed writes


def test_failed_fsync_and_failed_rollback_say_what_is_true(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "annotations.json"
    store = open_store(db)
    kept = store.add_span(DOC, 0, 4, "LOCATION")
    real_fsync, real_truncate = os.fsync, os.ftruncate

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    def failing_truncate(fd, size):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(journal_mod.os, "fsync", failing_fsync)
    monkeypatch.setattr(journal_mod.os, "ftruncate", failing_truncate)
    with pytest.raises(StoreError) as info:
        store.add_span(DOC, 5, 9, "ACTOR")
    message = str(info.value)
    assert "undone here" in message and "may come back" in message
    assert "the change was undone;" not in message
    monkeypatch.setattr(journal_mod.os, "fsync", real_fsync)
    monkeypatch.setattr(journal_mod.os, "ftruncate", real_truncate)
    assert store.spans("d1") == [kept]
    with pytest.raises(StoreError, match="could not be cut back"):
        store.add_span(DOC, 10, 14, "ACTOR")  # no further writes
    store.close()
    with open_store(db) as again:
        assert kept in again.spans("d1")


def test_failed_write_with_successful_rollback_says_undone(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "annotations.json"
    store = open_store(db)
    store.add_span(DOC, 0, 4, "LOCATION")

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    real = os.fsync
    calls = {"n": 0}

    def fsync_once(fd):
        calls["n"] += 1
        return failing_fsync(fd) if calls["n"] == 1 else real(fd)

    monkeypatch.setattr(journal_mod.os, "fsync", fsync_once)
    with pytest.raises(StoreError, match=r"the change was undone$"):
        store.add_span(DOC, 5, 9, "ACTOR")
    monkeypatch.undo()
    later = store.add_span(DOC, 10, 14, "ACTOR")
    crash(store)
    with open_store(db) as again:
        assert [s.start for s in again.spans("d1")] == [0, 10] and later in again.spans("d1")


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    return result.returncode == 0


def test_disk_full_on_a_real_filesystem(tmp_path: Path) -> None:
    """ENOSPC on a tiny tmpfs (where it can be mounted; the fake-write tests cover the rest):
    the change that does not fit is undone, and nothing acknowledged is lost once space is
    freed."""
    folder = tmp_path / "small"
    folder.mkdir()
    opened: list = []
    if not _mount_tmpfs(folder, "96k"):
        pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
    try:
        db = folder / "annotations.json"
        filler = folder / "filler"
        filler.write_bytes(b"x" * 60_000)
        store = open_store(db, compact_every=10_000)
        opened.append(store)
        acked: list[Span] = []
        failed = 0
        for i in range(2000):
            try:
                acked.append(store.add_span(DOC, i % 290, i % 290 + 1 + i // 290, "ACTOR"))
            except StoreError as exc:
                assert "No space left" in str(exc)
                failed += 1
                break
        assert failed == 1 and acked
        assert {s.id for s in store.spans("d1")} == {s.id for s in acked}
        filler.unlink()  # space freed
        more = store.add_span(DOC, 295, 299, "CLAIM")
        store.close()
        with open_store(db, readonly=True) as view:
            assert {s.id for s in view.spans("d1")} == {s.id for s in [*acked, more]}
    finally:
        for store in opened:
            store.close()
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# ----------------------------------------------------------------------------- compaction


def test_compaction_runs_beside_actions(tmp_path: Path, monkeypatch) -> None:
    """While a snapshot is being written (held here at the write), actions go on and are
    acknowledged; after the write the journal segment it folded in moves to the backups."""
    db = tmp_path / "annotations.json"
    gate, entered = threading.Event(), threading.Event()
    real = storage_mod.write_atomic

    def slow_write(path, payload):
        entered.set()
        gate.wait(10)
        real(path, payload)

    with open_store(db, compact_every=5) as store:
        first = [store.add_span(DOC, i, i + 1, "ACTOR") for i in range(4)]
        monkeypatch.setattr(storage_mod, "write_atomic", slow_write)
        first.append(store.add_span(DOC, 10, 11, "ACTOR"))  # starts the background write
        assert entered.wait(5) and store.compacting
        during = [store.add_span(DOC, 20 + i, 21 + i, "ACTOR") for i in range(6)]
        assert store.compacting
        gate.set()
        store.wait_for_compaction()
        monkeypatch.undo()
        assert not store.compacting
        snap = json.loads(db.read_text())
        assert snap["_meta"]["1"]["seq"] == 5
        assert len(Backups(db).segments()) == 1
    with open_store(db, readonly=True) as view:
        assert {s.id for s in view.spans("d1")} == {s.id for s in first + during}


def test_backups_rotate_within_count_and_size(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    with open_store(db, background_compaction=False) as store:
        for i in range(6):
            store.add_span(DOC, i, i + 1, "ACTOR")
            store.compact()
    backups = Backups(db)
    seqs = [b.seq for b in backups.snapshots()]
    assert seqs == [5, 4, 3]  # the last three snapshots replaced
    assert [s.seq for s in backups.segments()] == [4, 5, 6]  # the segments after the oldest
    small = Backups(db, limit_bytes=db.stat().st_size + 10)
    small.prune()
    assert [b.seq for b in small.snapshots()] == [5]
    assert [s.seq for s in small.segments()] == [6]


def test_damaged_first_snapshot_is_rebuilt_from_the_kept_segment(tmp_path: Path) -> None:
    """After the first compaction there is no older snapshot, but the journal segment it
    folded in is kept: an empty store plus that segment is the whole database."""
    db = tmp_path / "annotations.json"
    with open_store(db) as store:
        ids = {store.add_span(DOC, i, i + 2, "ACTOR").id for i in range(0, 40, 4)}
    damage(db, 150, b"#")
    with pytest.raises(StoreDamaged):
        open_store(db, readonly=True)
    report = repair(db)
    assert report.base == "an empty store" and report.kept == 10
    assert "nothing acknowledged was lost" in report.lines()
    with open_store(db) as store:
        assert {s.id for s in store.spans("d1")} == ids


def test_salvaged_snapshot_is_not_called_lossless(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    with open_store(db) as store:
        store.add_span(DOC, 0, 4, "LOCATION")
    shutil.rmtree(Backups(db).folder)  # no backups, no segments
    damage(db, db.read_bytes().index(b"minister"), b"m1nister")  # a changed value, valid JSON
    report = repair(db)
    lines = "\n".join(report.lines())
    assert report.base.startswith("what could be read") and "cannot be ruled out" in lines
    assert "nothing acknowledged was lost" not in lines
