"""``annotator repair``: rebuild a damaged store from every record that passes its checksum.

What it does, in order:
1. Takes the store's lock (a running annotator must be closed first) and checks the store the
   way an open does; a healthy store is left alone ("nothing to repair").
2. Reads every record it can find: the journal, its rotated segments and the segments kept
   with the backups. Each line that fails its checksum or its checks is reported (its content
   shown escaped), never applied.
3. Picks the state to rebuild on: the snapshot if it is sound; else a backup snapshot from which
   the kept segments lead on without a gap; else what can still be read of the damaged snapshot
   (each of its tables checked record by record); else the backup with the fewest records
   missing; else an empty store. Then replays every salvaged record after it, in order.
4. Keeps byte-for-byte copies of the snapshot, segments and journal in a timestamped folder
   beside the store, writes the rebuilt snapshot atomically, and only then empties the journal.
   Running it again finds nothing to repair. ``dry_run`` does steps 1-3 and writes nothing.

A document is registered once, in the record of its first change; if that record is the damaged
one, the document's later records have no text to apply to. ``documents`` (the articles, e.g.
from ``load_corpus``) gives their text back: a document found there by id is registered again
before its records are replayed.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document
from .backups import Backups
from .errors import StoreDamaged, StoreError
from .journal import Line, read_lines, segments
from .lock import StoreLock
from .records import DOC_PREFIX, META, table_problem
from .storage import Snapshot, fsync_dir, parse_snapshot, salvage_tables
from .store import Store, _doc_fields, store_exists


@dataclass
class Lost:
    """A line or table that could not be kept, and why."""

    where: str
    reason: str
    excerpt: str = ""


@dataclass
class RepairReport:
    path: Path
    needed: bool = False
    dry_run: bool = False
    found: list[str] = field(default_factory=list)  # the damage, one line each
    base: str = ""
    base_seq: int = 0
    kept: int = 0  # records replayed on the base
    last_seq: int = 0
    lost: list[Lost] = field(default_factory=list)
    missing: list[tuple[int, int]] = field(default_factory=list)  # seq ranges held nowhere
    torn: bool = False  # an unfinished last write, never acknowledged, was dropped
    restored: list[str] = field(default_factory=list)  # documents registered again from files
    orphaned: dict[str, int] = field(default_factory=dict)  # doc id -> records without it
    copies: Path | None = None
    documents: int = 0
    spans: int = 0

    def lines(self) -> list[str]:
        name = self.path.name
        if not self.needed:
            return [f"{name}: nothing to repair (it opens as it is)"]
        out = [f"{name}: {text}" for text in self.found]
        out.append(
            f"{'would rebuild' if self.dry_run else 'rebuilt'} from {self.base} (record "
            f"{self.base_seq}) and {self.kept} salvaged record{'s' if self.kept != 1 else ''}"
            f" after it, up to record {self.last_seq}: {_count(self.documents, 'document')}, "
            f"{_count(self.spans, 'span')}"
        )
        for item in self.lost:
            shown = f": {item.excerpt}" if item.excerpt else ""
            out.append(f"lost: {item.where}: {item.reason}{shown}")
        if self.missing:
            which = ", ".join(
                str(first) if first == last else f"{first}..{last}" for first, last in self.missing
            )
            count = sum(last - first + 1 for first, last in self.missing)
            out.append(
                f"not recovered: record{'s' if count != 1 else ''} {which} (what the damaged "
                "lines above held, or in no file that could be read)"
            )
        for doc_id in self.restored:
            out.append(f"document {doc_id}: registered again from its article file")
        for doc_id, count in self.orphaned.items():
            out.append(
                f"lost: {count} record{'s' if count != 1 else ''} of document {doc_id}, whose "
                "text was in a damaged record: run again with --corpus PATH (its article) "
                "to keep them"
            )
        if self.torn:
            out.append("dropped: an unfinished last write (never acknowledged)")
        if self.base == SALVAGED:
            out.append(
                "the damaged snapshot's tables that were kept pass every check, but a changed "
                "value inside one cannot be ruled out: look over the latest work"
            )
        elif not self.lost and not self.missing and not self.orphaned:
            out.append("nothing acknowledged was lost")
        if self.copies is not None:
            where = "would be kept in" if self.dry_run else "are kept in"
            out.append(f"byte-for-byte copies of the damaged files {where} {self.copies}")
        return out


SALVAGED = "what could be read of the damaged snapshot"


@dataclass
class _Base:
    label: str
    snapshot: Snapshot
    missing: int = 0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


def excerpt(raw: bytes, width: int = 120) -> str:
    """Bytes shown safely on a terminal: escapes for everything but printable ASCII."""
    shown = repr(raw[:width])[2:-1]
    return shown + ("…" if len(raw) > width else "")


def repair(
    path: str | Path, *, dry_run: bool = False, documents: Iterable[Document] = ()
) -> RepairReport:
    path = Path(path).expanduser().absolute()
    if not store_exists(path):
        raise StoreError(f"{path}: no such database")
    lock = StoreLock(path.with_name(path.name + ".lock"), path.name)
    lock.acquire()
    try:
        return _repair(path, dry_run, {doc.id: doc for doc in documents})
    finally:
        lock.release()


def _repair(path: Path, dry_run: bool, articles: dict[str, Document]) -> RepairReport:
    report = RepairReport(path, dry_run=dry_run)
    try:
        Store(path, readonly=True).close()
        return report
    except StoreDamaged as error:
        report.needed = True
        report.found.append(error.damage.describe())
    backups = Backups(path)
    journal_path = path.with_name(path.name + ".journal")
    records = _salvage_records(path, backups, journal_path, report)
    snapshot, snapshot_problem = _read_snapshot(path)
    if snapshot_problem and snapshot_problem not in report.found[0]:
        report.found.append(snapshot_problem)
    live_first = min(
        (seq for seq, (_, where) in records.items() if where.startswith(journal_path.name + " ")),
        default=None,
    )
    base = _choose_base(path, snapshot, backups, records, live_first, report)
    state = Store.detached(path)
    state._load_tables(base.snapshot)
    report.base, report.base_seq = base.label, base.snapshot.seq
    state._seq = base.snapshot.seq
    expected = base.snapshot.seq + 1
    for seq in sorted(records):
        if seq <= base.snapshot.seq:
            continue
        entry, where = records[seq]
        if seq > expected:
            report.missing.append((expected, seq - 1))
        expected = seq + 1
        _register_if_missing(state, entry, articles, report)
        try:
            state._apply(entry)
        except Exception as exc:
            doc_id = _orphan_of(state, entry)
            if doc_id is not None:
                report.orphaned[doc_id] = report.orphaned.get(doc_id, 0) + 1
            else:
                report.lost.append(Lost(where, f"record {seq} cannot be applied: {exc}"))
            continue
        state._seq = seq
        report.kept += 1
    report.last_seq = state._seq
    report.documents = sum(1 for _ in state.documents())
    report.spans = sum(state.span_count(info.id) for info in state.documents())
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report.copies = path.with_name(f"{path.name}.damaged-{stamp}")
    if dry_run:
        return report
    _keep_copies(path, journal_path, report.copies)
    job = state._freeze(None)
    job.retire_segments = False
    job.run()
    if job.error:
        raise StoreError(f"repair could not write the new snapshot: {job.error}")
    for _, segment in segments(path):
        segment.unlink()
    with open(journal_path, "wb") as journal:
        os.fsync(journal.fileno())
    fsync_dir(path.parent)
    Store(path, readonly=True).close()  # what was written opens
    return report


def _tables_of(entry: dict[str, Any]) -> list[str]:
    ops = entry["ops"] if entry.get("op") == "batch" else [entry]
    return [op["table"] for op in ops if "head" not in op]


def _orphan_of(state: Store, entry: dict[str, Any]) -> str | None:
    """The document whose registration this record is missing, if that is why it fails."""
    for name in _tables_of(entry):
        if name.startswith(DOC_PREFIX) and name not in state._tables:
            return name[len(DOC_PREFIX) :]
    return None


def _register_if_missing(
    state: Store, entry: dict[str, Any], articles: dict[str, Document], report: RepairReport
) -> None:
    """Register again, from its article, a document whose first record was lost."""
    for name in _tables_of(entry):
        doc_id = name[len(DOC_PREFIX) :]
        if not name.startswith(DOC_PREFIX) or name in state._tables or doc_id not in articles:
            continue
        head = {"kind": "doc", "id": doc_id, **_doc_fields(articles[doc_id]), "status": "new"}
        state._apply({"op": "add_document", "table": name, "head": head})
        report.restored.append(doc_id)


def _read_snapshot(path: Path) -> tuple[Snapshot | None, str | None]:
    """The snapshot if it is sound, else None and why."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    try:
        snapshot = parse_snapshot(path, raw)
    except StoreDamaged as error:
        return None, error.damage.describe()
    except StoreError as error:
        return None, str(error)
    for name, table in snapshot.tables.items():
        problem = table_problem(name, table)
        if problem:
            return None, f"{path.name} is damaged (table {name!r}: {problem})"
    return snapshot, None


def _salvage_records(
    path: Path, backups: Backups, journal_path: Path, report: RepairReport
) -> dict[int, tuple[dict[str, Any], str]]:
    """Every journal record that passes its checksum and checks, by seq, from every file."""
    files = [b.path for b in backups.segments()]
    files += [segment for _, segment in segments(path)]
    files.append(journal_path)
    found: dict[int, tuple[dict[str, Any], str]] = {}
    for file in files:
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            continue
        lines: list[Line] = read_lines(raw)
        for line in lines:
            where = f"{file.name} line {line.number}"
            last = line is lines[-1] and file == journal_path
            if line.problem is not None:
                if last and not line.complete and not line.checksummed and not line.embedded:
                    report.torn = True  # the one write that may not have finished
                else:
                    report.lost.append(Lost(where, line.problem, excerpt(line.raw)))
                continue
            seq = line.entry["seq"]  # type: ignore[index]
            if seq in found and found[seq][0] != line.entry:
                report.lost.append(Lost(where, f"a second, different record {seq}"))
                continue
            found.setdefault(seq, (line.entry, where))  # type: ignore[arg-type]
    return found


def _missing(after: int, records: dict[int, Any], top: int) -> int:
    return sum(1 for seq in range(after + 1, top + 1) if seq not in records)


def _choose_base(
    path: Path,
    snapshot: Snapshot | None,
    backups: Backups,
    records: dict[int, Any],
    live_first: int | None,
    report: RepairReport,
) -> _Base:
    if snapshot is not None:
        return _Base("the snapshot", snapshot)
    sound: list[_Base] = []
    for backup in backups.snapshots():
        candidate, problem = _read_snapshot(backup.path)
        if candidate is None:
            report.found.append(f"backup {backup.path.name} is damaged too ({problem})")
            continue
        sound.append(_Base(f"backup {backup.path.name}", candidate))
    sound.append(_Base("an empty store", Snapshot()))  # the kept segments may start at 1
    salvaged, salvage_lost = _salvage_snapshot(path)
    # how far the damaged snapshot had got: its own record number if it can still be read,
    # else the record before the live journal's first (the journal starts right after it)
    reached: int | None = None
    if salvaged is not None and salvaged.snapshot.meta:
        reached = salvaged.snapshot.seq
    elif live_first is not None:
        reached = live_first - 1
    top = max([*records, reached or 0])
    for base in sound:
        base.missing = _missing(base.snapshot.seq, records, top)
    exact = [b for b in sound if b.missing == 0 and reached is not None]
    if exact:
        return max(exact, key=lambda b: b.snapshot.seq)
    if salvaged is not None:
        report.lost += salvage_lost
        return salvaged
    return min(sound, key=lambda b: (b.missing, -b.snapshot.seq))


def _salvage_snapshot(path: Path) -> tuple[_Base | None, list[Lost]]:
    """What can still be read of a damaged snapshot, table by table, each table checked."""
    lost: list[Lost] = []
    try:
        raw = path.read_bytes()
    except OSError:
        return None, lost
    tables, stopped = salvage_tables(raw)
    kept: dict[str, dict[str, Any]] = {}
    for name, table in tables.items():
        problem = table_problem(name, table)
        if problem:
            lost.append(Lost(f"{path.name} table {name!r}", problem))
        else:
            kept[name] = table
    if stopped:
        lost.append(Lost(f"{path.name}", f"reading stopped ({stopped}): the tables after it"))
    if not any(name != META for name in kept):
        return None, lost
    meta = next(iter(kept.get(META, {}).values()), {})
    meta.pop("crc", None)
    version = meta.get("schema_version", 1)
    if type(version) is not int or version > 2:
        return None, lost
    return _Base(SALVAGED, Snapshot(kept, {}, version, len(raw))), lost


def _keep_copies(path: Path, journal_path: Path, folder: Path) -> None:
    folder.mkdir()
    for file in [path, *(s for _, s in segments(path)), journal_path]:
        if file.exists():
            target = folder / file.name
            shutil.copy2(file, target)
            with open(target, "rb") as copy:
                os.fsync(copy.fileno())
    fsync_dir(folder)
    fsync_dir(path.parent)
