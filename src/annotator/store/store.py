"""The annotation store: tables in memory, an fsync'd journal as the commit point, atomic snapshots.

Every change is applied in memory, appended as one checksummed JSON line to ``<store>.journal``
and fsync'd before the call returns; if the append fails the change is undone and StoreError
raised. ``with store.batch():`` makes many changes one line (one fsync, all or nothing).
The snapshot (``annotations.json``, a TinyDB file) is rewritten on compaction, every
``compact_every`` changes (in a background thread, see ``compaction``), on ``compact()`` (the
TUI calls it when idle) and on close. Each document has its own table (``doc:<id>``) holding
the document record, its spans, relations and rejected suggestions; changes are O(1) and keep
the table's indexes in step (see ``tables``). A damaged snapshot or journal line is never
guessed around: open refuses, names it, and ``annotator repair`` salvages (see ``repair``).
See DESIGN.md section 6.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import (
    DEFAULT_RELATIONS,
    DEFAULT_SCHEMA,
    ORIGINS,
    STATUSES,
    AnnotationError,
    Document,
    LabelSchema,
    Relation,
    RelationSchema,
    RelationType,
    Span,
    make_span,
    new_id,
    utc_now,
)
from .errors import StoreCorrupt, StoreDamaged, StoreError
from .journal import Journal, JournalScan, scan, segment_path, segments
from .lock import StoreLock, login_name
from .records import DOC_PREFIX, META, table_problem
from .storage import Snapshot, dumps, fsync_dir, load_snapshot
from .tables import DocInfo, Table

if TYPE_CHECKING:  # loaded when first needed: a compaction, a damaged file, a backup
    from .backups import Backups
    from .compaction import Compaction

SCHEMA_VERSION = 2  # 2: checksummed journal lines and snapshot, journal segments, backups
META_KEY = ("meta", "meta")
COMPACT_EVERY = 500
JOURNAL_LIMIT = 64 << 20  # also compact once the live journal holds this many bytes

Key = tuple[str, str]
Record = dict[str, Any]

__all__ = ["COMPACT_EVERY", "SCHEMA_VERSION", "DocInfo", "NotFound", "Store", "open_store"]


class NotFound(AnnotationError, KeyError):
    """An unknown span, relation or document id (both a ValueError and a KeyError)."""

    __str__ = Exception.__str__


@dataclass(eq=False)
class _Undo:
    """How to take back one applied operation: the old (tid, record) of every key it touched."""

    table: str
    created: bool
    old: dict[Key, tuple[str | None, Record | None]] = field(default_factory=dict)


@dataclass(eq=False)
class _Batch:
    entries: list[dict[str, Any]] = field(default_factory=list)
    undos: list[_Undo] = field(default_factory=list)


def _relation_schema_records(schema: RelationSchema) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "heads": sorted(t.heads), "children": sorted(t.children), "key": t.key}
        for t in schema.types
    ]


def _relation_schema_from(records: Iterable[dict[str, Any]]) -> RelationSchema:
    return RelationSchema(
        tuple(
            RelationType(
                r["name"], frozenset(r["heads"]), frozenset(r["children"]), r.get("key", "")
            )
            for r in records
        )
    )


def _span_record(span: Span) -> Record:
    return {"kind": "span", **span.to_record()}


def _relation_record(rel: Relation) -> Record:
    return {"kind": "rel", **rel.to_record()}


def _rejection_id(key: tuple[int, int, str]) -> str:
    return f"{key[0]}:{key[1]}:{key[2]}"


def _rejection_record(span: Span, annotator: str) -> Record:
    """A rejected suggestion, kept in the document's table: only its key matters."""
    return {
        "kind": "rej",
        "id": _rejection_id(span.key),
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "annotator": annotator,
        "created": utc_now().isoformat(),
    }


def _doc_fields(doc: Document) -> Record:
    meta = json.loads(json.dumps(doc.meta or {}, default=str))
    return {
        "text": doc.text,
        "path": str(doc.path or ""),
        "title": doc.title or "",
        "date": doc.date.isoformat() if doc.date else None,
        "byline": doc.byline,
        "boilerplate": [[int(s), int(e)] for s, e in doc.boilerplate],
        "meta": meta,
        "title_span": list(doc.title_span) if doc.title_span else None,
        "date_span": list(doc.date_span) if doc.date_span else None,
        "encoding": doc.encoding,
    }


def _meta_defaults() -> Record:
    return {
        "kind": "meta",
        "id": "meta",
        "schema_version": SCHEMA_VERSION,
        "seq": 0,
        "labels": DEFAULT_SCHEMA.to_records(),
        "relations": _relation_schema_records(DEFAULT_RELATIONS),
    }


def store_exists(path: str | Path) -> bool:
    """A database is there: its snapshot, its journal, or journal segments."""
    path = Path(path).expanduser().absolute()
    journal = path.with_name(path.name + ".journal")
    return path.exists() or journal.exists() or bool(segments(path))


class Store:
    """Open with :func:`open_store`. A context manager; ``close()`` compacts and unlocks."""

    @functools.cached_property
    def backups(self) -> Backups:
        """The backup folder's snapshots and segments (the module loads on first use)."""
        from .backups import Backups

        return Backups(self.path)

    def __init__(
        self,
        path: str | Path = "annotations.json",
        *,
        annotator: str | None = None,
        readonly: bool = False,
        compact_every: int = COMPACT_EVERY,
        background_compaction: bool = True,
    ) -> None:
        self._init(path, annotator, readonly, compact_every, background_compaction)
        self._open()

    @classmethod
    def detached(cls, path: str | Path) -> Store:
        """A store's in-memory state with no files opened and no lock (for repair, which
        rebuilds the state from what it salvaged); read-only through the public API."""
        store = cls.__new__(cls)
        store._init(path, "repair", True, COMPACT_EVERY, False)
        store._tables[META] = meta = Table(META, META_KEY)
        meta.put(_meta_defaults())
        return store

    def _init(
        self,
        path: str | Path,
        annotator: str | None,
        readonly: bool,
        compact_every: int,
        background_compaction: bool,
    ) -> None:
        self.path = Path(path).expanduser().absolute()
        self.annotator = annotator or login_name()
        self.readonly = readonly
        self.compact_every = max(1, compact_every)
        self.background_compaction = background_compaction
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.trust_checksums = True  # see _load_tables; repair and tests check every record
        self.schema: LabelSchema = DEFAULT_SCHEMA
        self.relation_schema: RelationSchema = DEFAULT_RELATIONS
        self.compact_error: str | None = None  # last failed automatic compaction (data is safe)
        self.replayed = 0  # journal records replayed on open
        self.torn = False  # an unacknowledged torn last write was found (and dropped) on open
        self.warnings: list[str] = []  # what a reader should be told (e.g. a torn tail)
        self.timings: dict[str, float] = {}  # seconds spent opening: load, replay, compact
        self._mutex = threading.RLock()
        self._tables: dict[str, Table] = {}
        self._span_at: dict[str, Table] = {}
        self._rel_at: dict[str, Table] = {}
        self._foreign: dict[str, bytes] = {}  # tables of other programs: kept as they are
        self._seq = 0
        self._ops = 0  # changes since the last snapshot was frozen
        self._snapshot_seq: int | None = None  # seq of the snapshot on disk (None: no file)
        self._snapshot_version = SCHEMA_VERSION
        self._journal: Journal | None = None
        self._batch: _Batch | None = None
        self._compaction: Compaction | None = None
        self._lock = StoreLock(self.lock_path, self.path.name)
        self._closed = False

    # ------------------------------------------------------------------ open / close

    def _open(self) -> None:
        if self.readonly:
            self._load_consistent()
            return
        self._check_folder()
        self._lock.acquire()
        try:
            self._remove_stale_temp_files()
            journal = self._load()
            started = time.perf_counter()
            self._journal = Journal(self.journal_path)
            if journal.torn:
                # a torn last write was never acknowledged: cut it off before anything new is
                # appended after it
                self._journal.truncate_to(journal.valid_bytes)
            self._ops = self.replayed
            self._retire_folded_segments()
            self.timings["compact"] = time.perf_counter() - started
        except BaseException:
            if self._journal:
                self._journal.close()
            self._lock.release()
            raise

    def _check_folder(self) -> None:
        folder = self.path.parent
        if not folder.is_dir():
            raise StoreError(f"cannot open {self.path}: folder {folder} does not exist")
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not an annotations file")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise StoreError(f"{self.path} is read-only (open it read-only to only read)")
        if not os.access(folder, os.W_OK):
            raise StoreError(
                f"the folder {folder} is read-only; annotations need a writable folder "
                "(open read-only to only read)"
            )

    def _remove_stale_temp_files(self) -> None:
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _retire_folded_segments(self) -> None:
        """Segments already in the snapshot (a crash after it was written): to the backups."""
        if self._snapshot_seq is None:
            return
        for last_seq, segment in segments(self.path):
            if last_seq <= self._snapshot_seq:
                self.backups.keep_segment(segment, last_seq)

    def _files_state(self) -> tuple[Any, ...]:
        return (_stat(self.path), tuple(segments(self.path)))

    def _load_consistent(self) -> None:
        """Read-only: retry if the writer compacted while the files were being read."""
        for _ in range(20):
            before = self._files_state()
            self._reset()
            try:
                journal = self._load()
            except (StoreDamaged, FileNotFoundError):
                if self._files_state() != before:
                    continue
                raise
            if self._files_state() == before:
                if journal.torn:
                    self.warnings.append(
                        f"{self.journal_path.name} ends with an unfinished write (the writer "
                        "is saving, or was interrupted before it acknowledged it); it was not read"
                    )
                return
        raise StoreError(f"{self.path} kept changing while being read; try again")

    def _reset(self) -> None:
        self._tables.clear()
        self._span_at.clear()
        self._rel_at.clear()
        self._foreign.clear()
        self._seq = 0
        self.replayed = 0
        self.warnings = []

    def _damaged(self, error: StoreDamaged) -> StoreDamaged:
        return error.for_store(self.path, backups=len(self.backups.snapshots()))

    def _load(self) -> JournalScan:
        """Load the snapshot and replay the segments and the journal; raises StoreDamaged."""
        started = time.perf_counter()
        try:
            snapshot = load_snapshot(self.path)
        except StoreDamaged as error:
            raise self._damaged(error) from None
        self._load_tables(snapshot or Snapshot())
        self.timings["load"] = time.perf_counter() - started
        started = time.perf_counter()
        base_v2 = snapshot is not None and snapshot.version >= 2
        files = [seg for last, seg in segments(self.path) if last > self._seq]
        files.append(self.journal_path)
        legacy = not base_v2
        journal = JournalScan(self.journal_path)
        for i, path in enumerate(files):
            journal = scan(
                path, after_seq=self._seq if base_v2 or not legacy else None, legacy=legacy
            )
            if journal.damage is None and journal.torn and i < len(files) - 1:
                line = journal.lines[len(journal.entries)]
                journal.damage = StoreDamaged.of(
                    path, line.number, f"{line.problem} in a closed journal segment"
                ).damage
            if journal.damage is not None:
                raise self._damaged(StoreDamaged(journal.damage.describe(), journal.damage))
            legacy = legacy and not journal.checksummed
            self._replay(journal)
        self.torn = journal.torn
        self.timings["replay"] = time.perf_counter() - started
        return journal

    def _load_tables(self, snapshot: Snapshot) -> None:
        data = snapshot.tables
        if META not in data and any(data.values()):
            raise StoreCorrupt(
                f"{self.path} is a TinyDB file but not an annotator store (no {META} table); "
                "it was left untouched"
            )
        meta = snapshot.meta
        version = meta.get("schema_version", 1)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer annotator (store format {version}; this "
                f"version reads up to {SCHEMA_VERSION}); upgrade annotator to open it"
            )
        if snapshot.version < SCHEMA_VERSION or not self.trust_checksums:
            # A format-2 snapshot whose checksum matched is byte for byte what this store
            # wrote, and it writes only records it checked on the way in (replayed or made by
            # its own calls); a format-1 one, or one written by another program, is checked
            # record by record (a bad record is damage, never a KeyError later).
            for name, records in data.items():
                problem = table_problem(name, records)
                if problem:
                    raise self._damaged(
                        StoreDamaged.of(self.path, None, f"table {name!r}: {problem}")
                    )
        for name, records in data.items():
            if name == META:
                self._tables[META] = Table.load(META, META_KEY, records)
            elif name.startswith(DOC_PREFIX):
                table = Table.load(name, ("doc", name[len(DOC_PREFIX) :]), records)
                fragment = snapshot.fragments.get(name)
                if fragment is not None:
                    table.fragment, table.fragment_version = fragment, table.version
                self._tables[name] = table
                for record in records.values():
                    if record["kind"] == "span":
                        self._span_at[record["id"]] = table
                    elif record["kind"] == "rel":
                        self._rel_at[record["id"]] = table
            else:
                fragment = snapshot.fragments.get(name)
                self._foreign[name] = (
                    fragment if fragment is not None else dumps(records).encode("ascii")
                )
        if META not in self._tables or self._tables[META].head_record() is None:
            self._tables[META] = meta_table = Table(META, META_KEY)
            meta_table.put(_meta_defaults())
        self._seq = snapshot.seq
        self._snapshot_seq = snapshot.seq if snapshot.size else None
        self._snapshot_version = snapshot.version if snapshot.size else SCHEMA_VERSION
        self._refresh_meta()

    def _replay(self, journal: JournalScan) -> None:
        for line, entry in zip(journal.lines, journal.entries, strict=False):
            if entry["seq"] <= self._seq:
                continue  # already in the snapshot (crash between snapshot and truncation)
            try:
                self._apply(entry)
            except (AnnotationError, KeyError, TypeError, ValueError) as exc:
                valid_after = sum(1 for other in journal.lines[line.number :] if other.ok)
                raise self._damaged(
                    StoreDamaged.of(
                        journal.path,
                        line.number,
                        f"cannot be applied: {exc}",
                        valid_after=valid_after,
                        excerpt=line.raw[:200],
                    )
                ) from None
            self._seq = entry["seq"]
            self.replayed += 1

    def _refresh_meta(self) -> None:
        meta = self._tables[META].head_record() or {}
        try:
            self.schema = LabelSchema.from_records(
                meta.get("labels") or DEFAULT_SCHEMA.to_records()
            )
            self.relation_schema = _relation_schema_from(
                meta.get("relations") or _relation_schema_records(DEFAULT_RELATIONS)
            )
        except (TypeError, KeyError, ValueError) as exc:
            raise StoreCorrupt(f"{self.path} has an invalid label schema: {exc}") from None

    def close(self) -> None:
        """Compact (so the journal is empty) and release the lock. Safe to call twice."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            if self.readonly:
                return
            try:
                if self._journal is not None and not self._journal.broken:
                    self._compact(wait=True)
                elif self._compaction is not None:
                    self._compaction.wait()
            finally:
                if self._journal:
                    self._journal.close()
                self._lock.release()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ commit machinery

    def _new_table(self, name: str) -> Table:
        table = Table(name, ("doc", name[len(DOC_PREFIX) :]))
        self._tables[name] = table
        return table

    def _apply(self, entry: dict[str, Any]) -> list[_Undo]:
        """Apply one journal entry in memory (idempotent); returns how to undo it."""
        if entry.get("op") == "batch":
            undos: list[_Undo] = []
            try:
                for op in entry["ops"]:
                    undos.append(self._apply_one(op))
            except BaseException:
                self._undo(undos)
                raise
            return undos
        return [self._apply_one(entry)]

    def _apply_one(self, entry: dict[str, Any]) -> _Undo:
        name = entry["table"]
        if not (name == META or name.startswith(DOC_PREFIX)):
            raise ValueError(f"unknown table {name!r}")
        table = self._tables.get(name)
        undo = _Undo(name, table is None)
        if table is None:
            if "head" not in entry:
                raise AnnotationError(f"document {name[len(DOC_PREFIX) :]} is not in the store")
            table = self._new_table(name)
        try:
            if "head" in entry:
                self._put(table, dict(entry["head"]), undo)
            if "set" in entry:
                head = table.head_record()
                if head is None:
                    raise AnnotationError(f"nothing to change in table {name}")
                self._put(table, {**head, **entry["set"]}, undo)
            for kind, ident in entry.get("del", ()):
                self._delete(table, (kind, ident), undo)
            puts = entry.get("put", ())
            if puts:
                text = (table.head_record() or {}).get("text")
                if text is None:
                    raise AnnotationError(f"records for {name} before its document")
                for record in puts:
                    self._check_put(table, record, text)
                    self._put(table, dict(record), undo)
        except BaseException:  # KeyboardInterrupt too: never leave half a change in memory
            self._undo([undo])
            raise
        if name == META:
            self._refresh_meta()
        return undo

    def _check_put(self, table: Table, record: Record, text: str) -> None:
        kind = record.get("kind")
        if kind == "span":
            if record["doc_id"] != table.head[1]:
                raise AnnotationError(f"span {record['id']} belongs to another document")
            if text[record["start"] : record["end"]] != record["text"] or record["end"] > len(text):
                raise AnnotationError(f"span {record['id']} does not match the document text")
            owner = self._span_at.get(record["id"])
            if owner is not None and owner is not table:
                raise AnnotationError(f"span id {record['id']} is used in another document")
        elif kind == "rel":
            for end in (record["head"], record["child"]):
                if table.get(("span", end)) is None:
                    raise AnnotationError(f"link {record['id']} to a span that is not there")

    def _put(self, table: Table, record: Record, undo: _Undo) -> None:
        key = (record["kind"], record["id"])
        old = table.put(record)
        undo.old.setdefault(key, old)
        self._index(table, key)

    def _delete(self, table: Table, key: Key, undo: _Undo) -> None:
        old = table.delete(key)
        if old[0] is not None:
            undo.old.setdefault(key, old)
            self._unindex(*key)

    def _index(self, table: Table, key: Key) -> None:
        if key[0] == "span":
            self._span_at[key[1]] = table
        elif key[0] == "rel":
            self._rel_at[key[1]] = table

    def _unindex(self, kind: str, ident: str) -> None:
        if kind == "span":
            self._span_at.pop(ident, None)
        elif kind == "rel":
            self._rel_at.pop(ident, None)

    def _undo(self, undos: Sequence[_Undo]) -> None:
        for undo in reversed(undos):
            table = self._tables.get(undo.table)
            if table is None:
                continue
            if undo.created:
                for kind, ident in table.tids:
                    self._unindex(kind, ident)
                del self._tables[undo.table]
                continue
            for key, (tid, record) in reversed(list(undo.old.items())):
                table.delete(key)
                self._unindex(*key)
                if record is not None:
                    table.put(record, tid)
                    self._index(table, key)
            if undo.table == META:
                self._refresh_meta()

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path.name} is closed")
        if self.readonly:
            raise StoreError(f"{self.path.name} was opened read-only")

    def _commit(self, entry: dict[str, Any]) -> None:
        """Apply, then append + fsync one journal line; undo in memory if the append fails.
        Inside :meth:`batch`, only apply: the batch writes one line for all its changes."""
        if self._batch is not None:
            self._batch.undos.extend(self._apply(entry))
            self._batch.entries.append(entry)
            return
        self._write([entry], self._apply(entry))

    def _write(self, entries: list[dict[str, Any]], undos: list[_Undo]) -> None:
        assert self._journal is not None
        if not entries:
            return
        seq = self._seq + 1
        line = (
            {"seq": seq, **entries[0]}
            if len(entries) == 1
            else {"seq": seq, "op": "batch", "ops": entries}
        )
        try:
            self._journal.append(line)
        except BaseException as exc:
            self._undo(undos)
            if isinstance(exc, StoreError | KeyboardInterrupt | SystemExit):
                raise
            raise StoreError(f"could not save the change: {exc}") from exc
        self._seq = seq
        self._ops += len(entries)
        if self._ops >= self.compact_every or self._journal.size >= JOURNAL_LIMIT:
            self._auto_compact()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Every change inside is one journal line (one fsync), kept or undone as a whole.

        A crash keeps all of it or none of it; if the block raises, or the line cannot be
        written, every change of the block is undone in memory. Nested batches join the
        outer one. Reads inside the block see the changes made so far.
        """
        with self._mutex:
            if self._batch is not None:
                yield
                return
            self._check_writable()
            batch = self._batch = _Batch()
            try:
                yield
            except BaseException:
                self._batch = None
                self._undo(batch.undos)
                raise
            self._batch = None
            self._write(batch.entries, batch.undos)

    # ------------------------------------------------------------------ compaction

    def compact(self, *, wait: bool = True) -> None:
        """Write the snapshot atomically and retire the journal it folds in.

        ``wait=False``: start the write in the background and return (the TUI's idle call).
        """
        with self._mutex:
            self._check_writable()
            if self._batch is not None:
                raise StoreError("cannot compact inside a batch")
            self._compact(wait=wait)

    def _auto_compact(self) -> None:
        try:
            self._compact(wait=not self.background_compaction)
        except StoreError as exc:  # acknowledged data is in the journal; retry later
            self.compact_error = str(exc)

    def wait_for_compaction(self) -> None:
        """Block until a background compaction (if any) has finished and been taken in."""
        with self._mutex:
            self._finish_compaction(True)

    @property
    def compacting(self) -> bool:
        return self._compaction is not None and self._compaction.running

    def _finish_compaction(self, wait: bool) -> bool:
        """Adopt a finished background compaction; False if one is still running."""
        job = self._compaction
        if job is None:
            return True
        if job.running:
            if not wait:
                return False
            job.wait()
        self._compaction = None
        if job.error:
            self.compact_error = job.error
            return True
        self.compact_error = None
        self._snapshot_seq = job.seq
        self._snapshot_version = SCHEMA_VERSION
        for name, (version, fragment) in job.fragments.items():
            table = self._tables.get(name)
            if table is not None and table.version == version:
                table.fragment, table.fragment_version = fragment, version
        return True

    def _compact(self, *, wait: bool) -> None:
        assert self._journal is not None
        if self._journal.broken:
            raise StoreError(self._journal.broken)
        if not self._finish_compaction(wait):
            return  # one is still being written; this one comes later
        floor = self._snapshot_seq if self._snapshot_seq is not None else -1
        pending = any(last > floor for last, _ in segments(self.path))
        changed = self._ops or self._journal.size or pending
        migrate = self._snapshot_seq is not None and self._snapshot_version < SCHEMA_VERSION
        if not (changed or migrate):
            return
        self._rotate()
        job = self._freeze(self._snapshot_seq)
        self._ops = 0
        self._compaction = job
        if wait:
            job.run()
            self._finish_compaction(True)
            if self.compact_error:
                raise StoreError(self.compact_error)
        else:
            job.start()

    def _freeze(self, previous_seq: int | None) -> Compaction:
        """A snapshot job of the state as it is now (cheap: see ``compaction``)."""
        from .compaction import Compaction, FrozenTable

        meta = dict(self._tables[META].head_record() or _meta_defaults())
        meta.update(seq=self._seq, schema_version=SCHEMA_VERSION)
        tables = [
            FrozenTable(
                t.name,
                t.version,
                None if t.dirty else t.fragment,
                dict(t.records) if t.dirty else None,
            )
            for name, t in self._tables.items()
            if name != META
        ]
        tables += [FrozenTable(name, 0, fragment) for name, fragment in self._foreign.items()]
        return Compaction(self.path, self._seq, tables, meta, previous_seq, self.backups)

    def _rotate(self) -> None:
        """Move the live journal aside as a segment and start an empty one."""
        assert self._journal is not None
        if self._journal.size == 0:
            return
        segment = segment_path(self.path, self._seq)
        self._journal.close()
        try:
            os.rename(self.journal_path, segment)
            fsync_dir(self.path.parent)
        except OSError as exc:
            self._journal = Journal(self.journal_path)
            raise StoreError(
                f"could not rotate {self.journal_path.name}: {exc.strerror or exc}"
            ) from None
        self._journal = Journal(self.journal_path)

    # ------------------------------------------------------------------ documents

    def _doc_state(self, doc_id: str) -> Table | None:
        return self._tables.get(DOC_PREFIX + doc_id)

    def _require_doc(self, doc_id: str) -> Table:
        state = self._doc_state(doc_id)
        if state is None:
            raise NotFound(f"document {doc_id} is not in the store (add the document first)")
        return state

    def _doc_change(self, doc: Document) -> dict[str, Any]:
        """Journal fields registering ``doc``: a full head record, changed fields, or nothing."""
        if not isinstance(doc, Document):
            raise TypeError(f"expected a Document, got {type(doc).__name__}")
        if not doc.id:
            raise AnnotationError("a document needs an id")
        state = self._doc_state(doc.id)
        fields = _doc_fields(doc)
        if state is None:
            return {"head": {"kind": "doc", "id": doc.id, **fields, "status": "new"}}
        record = state.head_record() or {}
        stored = record.get("text")
        if stored is not doc.text and stored != doc.text:
            raise AnnotationError(
                f"document {doc.id} is already stored with a different text; offsets would not match"
            )
        changes = {k: v for k, v in fields.items() if k != "text" and record.get(k) != v}
        return {"set": changes} if changes else {}

    def add_document(self, doc: Document) -> None:
        """Register ``doc`` (text, path, title, date, boilerplate, meta); idempotent."""
        with self._mutex:
            self._check_writable()
            change = self._doc_change(doc)
            if change:
                self._commit({"op": "add_document", "table": DOC_PREFIX + doc.id, **change})

    def document(self, doc_id: str) -> DocInfo | None:
        state = self._doc_state(doc_id)
        return None if state is None else state.info()

    def documents(self) -> Iterator[DocInfo]:
        """Every stored document, in the order they were first added."""
        for state in list(self._tables.values()):
            if state.name != META:
                yield state.info()

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._doc_state(doc_id) is not None

    def set_status(self, doc_id: str, status: str) -> str:
        """Set a document's status; returns the previous one (for undo)."""
        with self._mutex:
            self._check_writable()
            if status not in STATUSES:
                raise AnnotationError(f"unknown status {status!r} (known: {', '.join(STATUSES)})")
            state = self._require_doc(doc_id)
            previous = state.info().status
            if previous != status:
                self._commit({"op": "set_status", "table": state.name, "set": {"status": status}})
            return previous

    def status(self, doc_id: str) -> str:
        state = self._doc_state(doc_id)
        return "new" if state is None else state.info().status

    def add_time(self, doc_id: str, seconds: float) -> float:
        """Add ``seconds`` of active annotation time to a document; returns the new total."""
        with self._mutex:
            self._check_writable()
            if not seconds or seconds < 0:
                raise AnnotationError(f"cannot add {seconds!r} seconds of annotation time")
            state = self._require_doc(doc_id)
            total = round(state.info().active_seconds + float(seconds), 3)
            self._commit(
                {"op": "set_document", "table": state.name, "set": {"active_seconds": total}}
            )
            return total

    # ------------------------------------------------------------------ labels

    def declare_label(self, name: str) -> None:
        """Add ``name`` to the label schema (used by imports); a no-op if already known."""
        with self._mutex:
            self._check_writable()
            if not name or not isinstance(name, str):
                raise AnnotationError(f"invalid label name {name!r}")
            if name in self.schema:
                return
            labels = self.schema.with_label(name).to_records()
            self._commit({"op": "declare_label", "table": META, "set": {"labels": labels}})

    def _check_label(self, label: str) -> None:
        if label not in self.schema:
            self.schema.get(label)  # raises AnnotationError naming the known labels

    # ------------------------------------------------------------------ spans

    def spans(self, doc_id: str) -> list[Span]:
        """The document's spans sorted by ``Span.sort_key`` (a new list; kept sorted in place)."""
        state = self._doc_state(doc_id)
        return [] if state is None else list(state.sorted_spans())

    def iter_spans(self) -> Iterator[Span]:
        """Every span of every document, document by document."""
        for info in self.documents():
            yield from self.spans(info.id)

    def span_count(self, doc_id: str) -> int:
        state = self._doc_state(doc_id)
        return 0 if state is None else len(state.by_key())

    def get_span(self, span_id: str) -> Span | None:
        state = self._span_at.get(span_id)
        return None if state is None else state.span(span_id)

    def find_span(self, doc_id: str, start: int, end: int, label: str) -> Span | None:
        """The span at exactly (start, end, label), in O(1)."""
        state = self._doc_state(doc_id)
        if state is None:
            return None
        span_id = state.by_key().get((start, end, label))
        return None if span_id is None else state.span(span_id)

    def _require_span(self, span_id: str) -> Span:
        span = self.get_span(span_id)
        if span is None:
            raise NotFound(f"no span with id {span_id!r}")
        return span

    def add_span(
        self,
        doc: Document | str,
        start: int,
        end: int,
        label: str,
        *,
        origin: str = "manual",
        annotator: str | None = None,
        span_id: str | None = None,
        created: datetime | None = None,
        annotators: Iterable[str] = (),
        seconds: float | None = None,
    ) -> Span:
        """Add a span; the same (start, end, label) twice returns the existing span, no write."""
        with self._mutex:
            item = Span(
                span_id or "",
                "",
                start,
                end,
                label,
                "",
                annotator if annotator is not None else self.annotator,
                created or utc_now(),
                origin,
                tuple(annotators),
                seconds,
            )
            return self._add_spans(doc, [item], origin=origin, op="add_span")[0]

    def add_spans(
        self,
        doc: Document | str,
        items: Iterable[Span | tuple[int, int, str]],
        *,
        origin: str = "manual",
        annotator: str | None = None,
    ) -> list[Span]:
        """Add many spans to one document as one journal line (all or nothing).

        ``items``: ``Span`` objects (their id, created, annotator, annotators and seconds are
        kept; ``annotator`` overrides theirs when given) or ``(start, end, label)`` tuples. An
        item whose (start, end, label) exists already, in the store or earlier in ``items``,
        gives the existing span. Returns one span per item, in order.
        """
        with self._mutex:
            prepared: list[Span] = []
            for item in items:
                if isinstance(item, Span):
                    who = annotator if annotator is not None else item.annotator
                    prepared.append(item.with_(annotator=who, origin=origin))
                else:
                    start, end, label = item
                    who = annotator if annotator is not None else self.annotator
                    prepared.append(Span("", "", start, end, label, "", who, utc_now(), origin))
            return self._add_spans(doc, prepared, origin=origin, op="add_spans")

    def _add_spans(
        self, doc: Document | str, items: list[Span], *, origin: str, op: str
    ) -> list[Span]:
        self._check_writable()
        if isinstance(doc, Document):
            doc_id, change = doc.id, self._doc_change(doc)
            text = doc.text
        else:
            doc_id, change = doc, {}
            text = self._require_doc(doc_id).info().text
        if origin not in ORIGINS:
            raise AnnotationError(f"unknown origin {origin!r} (known: {', '.join(ORIGINS)})")
        state = self._doc_state(doc_id)
        keys = state.by_key() if state is not None else {}
        result: list[Span] = []
        new: dict[tuple[int, int, str], Span] = {}
        new_ids: set[str] = set()
        for item in items:
            self._check_label(item.label)
            key = (item.start, item.end, item.label)
            existing = keys.get(key)
            if existing is not None:
                result.append(state.span(existing))  # type: ignore[union-attr, arg-type]
                continue
            if key in new:
                result.append(new[key])
                continue
            span = make_span(
                doc_id,
                text,
                item.start,
                item.end,
                item.label,
                annotator=item.annotator,
                origin=origin,
                span_id=item.id or None,
                created=item.created,
                annotators=item.annotators,
                seconds=item.seconds,
            )
            if span.id in self._span_at or span.id in new_ids:
                raise AnnotationError(f"a different span already has the id {span.id!r}")
            new[key] = span
            new_ids.add(span.id)
            result.append(span)
        if new or change:
            entry: dict[str, Any] = {"op": op, "table": DOC_PREFIX + doc_id, **change}
            if new:
                entry["put"] = [_span_record(s) for s in new.values()]
            else:
                entry["op"] = "add_document"
            self._commit(entry)
        return result

    def remove_span(self, span_id: str) -> Span:
        """Remove a span and every relation touching it, as one journal line."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            state = self._span_at[span_id]
            dels = [["span", span_id]] + [["rel", r.id] for r in state.relations_of(span_id)]
            self._commit({"op": "remove_span", "table": state.name, "del": dels})
            return span

    def restore_span(self, span: Span, relations: Iterable[Relation] = ()) -> Span:
        """Undo of remove: put the span back with its id, and its relations.

        If an equal span (same start, end, label) exists meanwhile under another id, that one
        is kept and the relations are re-attached to it.
        """
        with self._mutex:
            self._check_writable()
            state = self._require_doc(span.doc_id)
            target, puts = self._restore_puts(state, span, relations)
            if puts:
                self._commit({"op": "restore_span", "table": state.name, "put": puts})
            return target

    def _restore_puts(
        self, state: Table, span: Span, relations: Iterable[Relation]
    ) -> tuple[Span, list[Record]]:
        """(the span that will stand for ``span``, the records restoring it); checks only."""
        self._check_label(span.label)
        text = state.info().text
        make_span(span.doc_id, text, span.start, span.end, span.label, origin=span.origin)
        if text[span.start : span.end] != span.text:
            raise AnnotationError(f"span text {span.text!r} does not match the document")
        puts: list[Record] = []
        target = self.get_span(span.id)
        if target is not None and target.key != span.key:
            raise AnnotationError(f"a different span already has the id {span.id!r}")
        if target is None:
            other = state.by_key().get(span.key)
            if other is not None:
                target = state.spans()[other]
            else:
                target = span
                puts.append(_span_record(span))
        labels = {target.id: target.label}
        rel_keys = {r.key for r in state.relations().values()}
        for rel in relations:
            head = target.id if rel.head == span.id else rel.head
            child = target.id if rel.child == span.id else rel.child
            for end_id in (head, child):
                if end_id not in labels:
                    other_span = self.get_span(end_id)
                    if other_span is None or other_span.doc_id != span.doc_id:
                        raise AnnotationError(
                            f"relation {rel.id} links span {end_id!r}, not in document {span.doc_id}"
                        )
                    labels[end_id] = other_span.label
            if rel.id in self._rel_at or (head, child, rel.label) in rel_keys:
                continue
            self.relation_schema.check(rel.label, labels[head], labels[child])
            fixed = Relation(
                rel.id,
                span.doc_id,
                head,
                child,
                rel.label,
                rel.annotator,
                rel.created,
                rel.origin,
            )
            rel_keys.add(fixed.key)
            puts.append(_relation_record(fixed))
        return target, puts

    # ------------------------------------------------------------------ rejected suggestions

    def reject_suggestion(self, span_id: str) -> Span:
        """Remove a suggested span (and its relations) and remember its (start, end, label) as
        rejected, as one journal line. Returns the removed span; undo with :meth:`unreject`."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            if span.origin != "suggested":
                raise AnnotationError(
                    f"span {span_id} is not a suggestion (origin {span.origin!r}); remove it instead"
                )
            state = self._span_at[span_id]
            dels = [["span", span_id]] + [["rel", r.id] for r in state.relations_of(span_id)]
            self._commit(
                {
                    "op": "reject_suggestion",
                    "table": state.name,
                    "del": dels,
                    "put": [_rejection_record(span, self.annotator)],
                }
            )
            return span

    def unreject(self, span: Span, relations: Iterable[Relation] = ()) -> Span:
        """Undo of :meth:`reject_suggestion`: forget the rejection and restore the span (and
        its relations, as :meth:`restore_span` does), as one journal line."""
        with self._mutex:
            self._check_writable()
            state = self._require_doc(span.doc_id)
            target, puts = self._restore_puts(state, span, relations)
            dels = [["rej", _rejection_id(span.key)]] if span.key in state.rejected() else []
            if puts or dels:
                self._commit({"op": "unreject", "table": state.name, "del": dels, "put": puts})
            return target

    def rejected(self, doc_id: str) -> set[tuple[int, int, str]]:
        """The (start, end, label) keys of the document's rejected suggestions."""
        state = self._doc_state(doc_id)
        return set() if state is None else set(state.rejected())

    def is_rejected(self, doc_id: str, key: tuple[int, int, str]) -> bool:
        state = self._doc_state(doc_id)
        return state is not None and key in state.rejected()

    def relabel_span(self, span_id: str, label: str) -> Span:
        """Change a span's label; refused if a relation on it would no longer be allowed."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            if label == span.label:
                return span
            self._check_label(label)
            state = self._span_at[span_id]
            if (span.start, span.end, label) in state.by_key():
                raise AnnotationError(
                    f"there is already a {label} span at {span.start}..{span.end}"
                )
            for rel in state.relations_of(span_id):
                head = label if rel.head == span_id else self._require_span(rel.head).label
                child = label if rel.child == span_id else self._require_span(rel.child).label
                try:
                    self.relation_schema.check(rel.label, head, child)
                except AnnotationError as exc:
                    raise AnnotationError(
                        f"cannot relabel {span.label} to {label}: its {rel.label} relation would "
                        f"break ({exc}); remove the relation first"
                    ) from None
            new = span.with_(label=label)
            self._commit({"op": "relabel_span", "table": state.name, "put": [_span_record(new)]})
            return new

    def set_origin(
        self,
        span_id: str,
        origin: str,
        *,
        annotator: str | None = None,
        annotators: Iterable[str] | None = None,
    ) -> Span:
        """E.g. accept a suggestion: ``suggested`` -> ``manual``, by ``annotator`` (who decided).
        ``annotators``: who had the span (a reviewed span), kept as they are when None."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            if origin not in ORIGINS:
                raise AnnotationError(f"unknown origin {origin!r} (known: {', '.join(ORIGINS)})")
            who = span.annotator if annotator is None else annotator
            had = span.annotators if annotators is None else tuple(annotators)
            if origin == span.origin and who == span.annotator and had == span.annotators:
                return span
            new = span.with_(origin=origin, annotator=who, annotators=had)
            state = self._span_at[span_id]
            self._commit({"op": "set_origin", "table": state.name, "put": [_span_record(new)]})
            return new

    # ------------------------------------------------------------------ relations

    def relations(self, doc_id: str) -> list[Relation]:
        state = self._doc_state(doc_id)
        return [] if state is None else list(state.relations().values())

    def relations_of(self, span_id: str) -> list[Relation]:
        state = self._span_at.get(span_id)
        return [] if state is None else state.relations_of(span_id)

    def get_relation(self, relation_id: str) -> Relation | None:
        state = self._rel_at.get(relation_id)
        return None if state is None else state.relations().get(relation_id)

    def _check_relation(self, rel: Relation) -> None:
        head = self._require_span(rel.head)
        child = self._require_span(rel.child)
        if head.doc_id != child.doc_id or head.doc_id != rel.doc_id:
            raise AnnotationError("a relation links two spans of the same document")
        if rel.head == rel.child:
            raise AnnotationError("a relation links two different spans")
        if rel.origin not in ORIGINS:
            raise AnnotationError(f"unknown origin {rel.origin!r} (known: {', '.join(ORIGINS)})")
        self.relation_schema.check(rel.label, head.label, child.label)

    def _existing_relation(self, rel: Relation) -> Relation | None:
        for other in self.relations_of(rel.head):
            if other.key == rel.key:
                return other
        return None

    def add_relation(
        self,
        head_id: str,
        child_id: str,
        label: str,
        *,
        origin: str = "manual",
        annotator: str | None = None,
        relation_id: str | None = None,
    ) -> Relation:
        """Link two spans; the same (head, child, label) twice returns the existing relation."""
        with self._mutex:
            self._check_writable()
            head = self._require_span(head_id)
            rel = Relation(
                id=relation_id or new_id(),
                doc_id=head.doc_id,
                head=head_id,
                child=child_id,
                label=label,
                annotator=annotator if annotator is not None else self.annotator,
                created=utc_now(),
                origin=origin,
            )
            return self._put_relation(rel, "add_relation")

    def restore_relation(self, relation: Relation) -> Relation:
        with self._mutex:
            self._check_writable()
            existing = self.get_relation(relation.id)
            if existing is not None:
                if existing.key != relation.key:
                    raise AnnotationError(
                        f"a different relation already has the id {relation.id!r}"
                    )
                return existing
            return self._put_relation(relation, "restore_relation")

    def _put_relation(self, rel: Relation, op: str) -> Relation:
        self._check_relation(rel)
        existing = self._existing_relation(rel)
        if existing is not None:
            return existing
        if rel.id in self._rel_at:
            raise AnnotationError(f"a different relation already has the id {rel.id!r}")
        state = self._require_doc(rel.doc_id)
        self._commit({"op": op, "table": state.name, "put": [_relation_record(rel)]})
        return rel

    def remove_relation(self, relation_id: str) -> Relation:
        with self._mutex:
            self._check_writable()
            rel = self.get_relation(relation_id)
            if rel is None:
                raise NotFound(f"no relation with id {relation_id!r}")
            state = self._rel_at[relation_id]
            self._commit({"op": "remove_relation", "table": state.name, "del": [["rel", rel.id]]})
            return rel


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def open_store(
    path: str | Path = "annotations.json",
    *,
    annotator: str | None = None,
    readonly: bool = False,
    compact_every: int = COMPACT_EVERY,
    background_compaction: bool = True,
) -> Store:
    """Open (or create) the store at ``path``. ``readonly``: no lock, no writes (exports, stats)."""
    return Store(
        path,
        annotator=annotator,
        readonly=readonly,
        compact_every=compact_every,
        background_compaction=background_compaction,
    )
