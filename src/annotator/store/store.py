"""The annotation store: TinyDB in memory, an fsync'd journal as the commit point, atomic snapshots.

Every change is applied in memory, appended as one JSON line to ``<store>.journal`` and fsync'd
before the call returns; if the append fails the change is undone and StoreError raised.
The snapshot (``annotations.json``, a TinyDB file) is rewritten atomically on compaction, which
happens every ``compact_every`` operations, on ``compact()`` (the TUI calls it when idle), on
open after a torn journal tail, and on close. Each document has its own TinyDB table (``doc:<id>``) holding
the document record, its spans and its relations, so a change rebuilds only that small table.
See DESIGN.md section 6.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document as TinyDocument

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
from .errors import StoreCorrupt, StoreError
from .journal import Journal, scan_journal
from .lock import StoreLock, login_name
from .storage import AtomicJSONStorage, MemoryMiddleware, load_snapshot

SCHEMA_VERSION = 1
META = "_meta"
DOC_PREFIX = "doc:"
META_KEY = ("meta", "meta")
COMPACT_EVERY = 500

Key = tuple[str, str]
Record = dict[str, Any]


@dataclass
class DocInfo:
    """A stored document: everything exports need, even when the source file is gone."""

    id: str
    path: str
    title: str
    date: datetime | None
    text: str
    byline: str | None
    boilerplate: list[tuple[int, int]]
    meta: dict[str, Any]
    status: str
    title_span: tuple[int, int] | None = None
    date_span: tuple[int, int] | None = None
    encoding: str = "utf-8"

    def to_document(self) -> Document:
        return Document(
            id=self.id,
            text=self.text,
            path=self.path,
            title=self.title,
            date=self.date,
            byline=self.byline,
            boilerplate=list(self.boilerplate),
            meta=dict(self.meta),
            title_span=self.title_span,
            date_span=self.date_span,
            encoding=self.encoding,
        )


class NotFound(AnnotationError, KeyError):
    """An unknown span, relation or document id (both a ValueError and a KeyError)."""

    __str__ = Exception.__str__


@dataclass
class _Table:
    """In-memory index of one TinyDB table; derived caches are dropped on every change."""

    name: str
    head: Key
    tids: dict[Key, int] | None = None  # record key -> TinyDB id, built on first use
    spans: dict[str, Span] | None = None
    sorted_spans: list[Span] | None = None
    keys: dict[tuple[int, int, str], str] | None = None
    relations: dict[str, Relation] | None = None
    info: DocInfo | None = None
    rejected: set[tuple[int, int, str]] | None = None

    def invalidate(self) -> None:
        self.spans = self.sorted_spans = self.keys = self.relations = self.info = None
        self.rejected = None


@dataclass
class _Undo:
    name: str
    created: bool
    old: dict[Key, tuple[int | None, Record | None]]


def _replacer(record: Record):
    def replace(doc: dict) -> None:
        doc.clear()
        doc.update(record)

    return replace


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


def _pair(value: Any) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value is not None else None


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


class Store:
    """Open with :func:`open_store`. A context manager; ``close()`` compacts and unlocks."""

    def __init__(
        self,
        path: str | Path = "annotations.json",
        *,
        annotator: str | None = None,
        readonly: bool = False,
        compact_every: int = COMPACT_EVERY,
    ) -> None:
        self.path = Path(path).expanduser().absolute()
        self.annotator = annotator or login_name()
        self.readonly = readonly
        self.compact_every = max(1, compact_every)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.schema: LabelSchema = DEFAULT_SCHEMA
        self.relation_schema: RelationSchema = DEFAULT_RELATIONS
        self.compact_error: str | None = None  # last failed automatic compaction (data is safe)
        self.replayed = 0  # journal lines replayed on open
        self.torn = False  # a torn/invalid journal tail was found (and dropped) on open
        self.timings: dict[str, float] = {}  # seconds spent opening: load, replay, compact
        self._mutex = threading.RLock()
        self._mw = MemoryMiddleware(AtomicJSONStorage)
        self._db = TinyDB(self.path, storage=self._mw)
        self._tables: dict[str, _Table] = {}
        self._span_at: dict[str, _Table] = {}
        self._rel_at: dict[str, _Table] = {}
        self._seq = 0
        self._ops = 0
        self._journal: Journal | None = None
        self._lock = StoreLock(self.lock_path, self.path.name)
        self._closed = False
        self._open()

    # ------------------------------------------------------------------ open / close

    def _open(self) -> None:
        if self.readonly:
            self._load_consistent()
            return
        self._check_folder()
        self._lock.acquire()
        try:
            self._remove_stale_temp_files()
            scan = self._load()
            self._journal = Journal(self.journal_path)
            started = time.perf_counter()
            if scan.total_bytes:
                if scan.torn:
                    # a torn tail was never acknowledged: rewrite the snapshot and empty the
                    # journal before anything new is appended after it
                    self.compact()
                elif self.replayed:
                    # a clean journal stays the commit point; the next periodic, idle or
                    # closing compaction folds it in (opening stays fast on big stores)
                    self._ops = self.replayed
                else:  # everything valid is already in the snapshot: drop the rest
                    self._journal_truncate()
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

    def _load_consistent(self) -> None:
        """Read-only: retry if the writer compacted between reading snapshot and journal."""
        for _ in range(10):
            before = _stat(self.path)
            self._reset()
            self._load()
            if _stat(self.path) == before:
                return
        raise StoreError(f"{self.path} kept changing while being read; try again")

    def _reset(self) -> None:
        self._tables.clear()
        self._span_at.clear()
        self._rel_at.clear()
        self._db._tables.clear()
        self._seq = 0

    def _load(self):
        started = time.perf_counter()
        loaded = load_snapshot(self.path)
        data, fragments = loaded if loaded is not None else ({}, {})
        meta_table = data.get(META)
        if meta_table is None and any(data.values()):
            raise StoreCorrupt(
                f"{self.path} is a TinyDB file but not an annotator store (no {META} table); "
                "it was left untouched"
            )
        meta = next(iter(meta_table.values()), {}) if meta_table else {}
        version = meta.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer annotator (store format {version}; this "
                f"version reads up to {SCHEMA_VERSION}); upgrade annotator to open it"
            )
        self._mw.load(data, fragments)
        for name, raw in data.items():
            if name.startswith(DOC_PREFIX) or name == META:
                self._index_table(name, raw)
        if META not in self._tables:
            self._init_meta()
        self._seq = int(meta.get("seq", 0))
        self._refresh_meta()
        self.timings["load"] = time.perf_counter() - started
        started = time.perf_counter()
        scan = scan_journal(self.journal_path)
        self.replayed = 0
        for entry in scan.entries:
            if entry["seq"] <= self._seq:
                continue  # already in the snapshot (crash between snapshot and truncation)
            try:
                self._apply(entry)
            except Exception:  # a line we cannot apply is treated like a torn one
                scan.torn = True
                break
            self._seq = entry["seq"]
            self.replayed += 1
        self.torn = scan.torn
        self.timings["replay"] = time.perf_counter() - started
        return scan

    def _index_table(self, name: str, raw: dict[str, Record]) -> None:
        state = _Table(name, META_KEY if name == META else ("doc", name[len(DOC_PREFIX) :]))
        self._tables[name] = state
        records = raw.values()
        self._span_at.update(
            dict.fromkeys([r.get("id") for r in records if r.get("kind") == "span"], state)
        )
        self._rel_at.update(
            dict.fromkeys([r.get("id") for r in records if r.get("kind") == "rel"], state)
        )

    def _init_meta(self) -> None:
        """Defaults of a new store: deterministic, so they need no journal line."""
        record = {
            "kind": "meta",
            "id": "meta",
            "schema_version": SCHEMA_VERSION,
            "seq": 0,
            "labels": DEFAULT_SCHEMA.to_records(),
            "relations": _relation_schema_records(DEFAULT_RELATIONS),
        }
        state = _Table(META, META_KEY, tids={})
        self._tables[META] = state
        state.tids[META_KEY] = self._db.table(META).insert(record)  # type: ignore[index]

    def _refresh_meta(self) -> None:
        meta = self._record(self._tables[META], META_KEY) or {}
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
                self._compact()
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

    def _raw(self, name: str) -> dict[str, Record]:
        return (self._mw.cache or {}).get(name, {})

    def _tids(self, state: _Table) -> dict[Key, int]:
        if state.tids is None:
            state.tids = {
                (r.get("kind"), r.get("id")): int(tid) for tid, r in self._raw(state.name).items()
            }
        return state.tids

    def _record(self, state: _Table, key: Key) -> Record | None:
        tid = self._tids(state).get(key)
        return None if tid is None else self._raw(state.name).get(str(tid))

    def _apply(self, entry: dict[str, Any]) -> _Undo:
        """Apply one journal entry to TinyDB in memory (idempotent); returns how to undo it."""
        name = entry["table"]
        if not (name == META or name.startswith(DOC_PREFIX)):
            raise ValueError(f"unknown table {name!r}")
        state = self._tables.get(name)
        created = state is None
        if state is None:
            state = self._tables[name] = _Table(name, ("doc", name[len(DOC_PREFIX) :]), tids={})
        puts: list[Record] = list(entry.get("put", ()))
        dels: list[Key] = [(k[0], k[1]) for k in entry.get("del", ())]
        keys: list[Key] = []
        if "head" in entry or "set" in entry:
            keys.append(state.head)
        keys += dels
        keys += [(r["kind"], r["id"]) for r in puts]
        old: dict[Key, tuple[int | None, Record | None]] = {}
        tids = self._tids(state)
        for key in keys:
            if key not in old:
                record = self._record(state, key)
                old[key] = (tids.get(key), dict(record) if record is not None else None)
        undo = _Undo(name, created, old)
        table = self._db.table(name)
        tids = self._tids(state)
        try:
            if "head" in entry:
                self._put(state, table, [entry["head"]])
            if "set" in entry:
                table.update(dict(entry["set"]), doc_ids=[tids[state.head]])
            gone = [tids.pop(k) for k in dels if k in tids]
            for kind, ident in dels:
                self._unindex(kind, ident)
            if gone:
                table.remove(doc_ids=gone)
            if puts:
                self._put(state, table, puts)
        except BaseException:  # KeyboardInterrupt too: never leave half a change in memory
            self._undo(undo)
            raise
        self._update_caches(state, entry, dels, puts, undo)
        if name == META:
            self._refresh_meta()
        return undo

    def _update_caches(
        self, state: _Table, entry: dict[str, Any], dels: list[Key], puts: list[Record], undo: _Undo
    ) -> None:
        """Keep the derived caches in step (cheaper than rebuilding them per keystroke)."""
        if "head" in entry or "set" in entry:
            state.info = None
        spans, keys, rels = state.spans, state.keys, state.relations
        if any(k[0] == "rej" for k in dels) or any(r["kind"] == "rej" for r in puts):
            state.rejected = None
        for key in dels:
            if key[0] == "span":
                state.sorted_spans = None
                if spans is not None:
                    spans.pop(key[1], None)
                before = undo.old.get(key, (None, None))[1]
                if keys is not None and before is not None:
                    keys.pop((before["start"], before["end"], before["label"]), None)
            elif key[0] == "rel" and rels is not None:
                rels.pop(key[1], None)
        for record in puts:
            if record["kind"] == "span":
                state.sorted_spans = None
                before = undo.old.get(("span", record["id"]), (None, None))[1]
                if keys is not None:
                    if before is not None:
                        keys.pop((before["start"], before["end"], before["label"]), None)
                    keys[(record["start"], record["end"], record["label"])] = record["id"]
                if spans is not None:
                    spans[record["id"]] = Span.from_record(record)
            elif record["kind"] == "rel" and rels is not None:
                rels[record["id"]] = Relation.from_record(record)

    def _put(self, state: _Table, table, records: list[Record]) -> None:
        new: list[Record] = []
        tids = self._tids(state)
        for record in records:
            key = (record["kind"], record["id"])
            tid = tids.get(key)
            if tid is None:
                new.append(record)
            else:
                table.update(_replacer(record), doc_ids=[tid])
        if new:
            for record, tid in zip(new, table.insert_multiple(new), strict=True):
                key = (record["kind"], record["id"])
                tids[key] = tid
                self._index(state, key)

    def _index(self, state: _Table, key: Key) -> None:
        if key[0] == "span":
            self._span_at[key[1]] = state
        elif key[0] == "rel":
            self._rel_at[key[1]] = state

    def _unindex(self, kind: str, ident: str) -> None:
        if kind == "span":
            self._span_at.pop(ident, None)
        elif kind == "rel":
            self._rel_at.pop(ident, None)

    def _undo(self, undo: _Undo) -> None:
        if undo.created:
            for kind, ident in undo.old:
                self._unindex(kind, ident)
            self._tables.pop(undo.name, None)
            self._db.drop_table(undo.name)
            return
        state = self._tables[undo.name]
        table = self._db.table(undo.name)
        tids = self._tids(state)
        for key, (tid, record) in undo.old.items():
            current = tids.get(key)
            if record is None:
                if current is not None:
                    table.remove(doc_ids=[current])
                    del tids[key]
                    self._unindex(*key)
            elif current is not None:
                table.update(_replacer(record), doc_ids=[current])
            else:
                table.insert(TinyDocument(record, doc_id=tid))
                tids[key] = tid  # type: ignore[assignment]
                self._index(state, key)
        state.invalidate()
        if undo.name == META:
            self._refresh_meta()

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path.name} is closed")
        if self.readonly:
            raise StoreError(f"{self.path.name} was opened read-only")

    def _commit(self, entry: dict[str, Any]) -> None:
        """Apply, then append + fsync one journal line; undo in memory if the append fails."""
        assert self._journal is not None
        self._seq += 1  # never reused, even when this append fails
        entry = {"seq": self._seq, **entry}
        undo = self._apply(entry)
        try:
            self._journal.append(entry)
        except BaseException as exc:
            self._undo(undo)
            if isinstance(exc, StoreError | KeyboardInterrupt | SystemExit):
                raise
            raise StoreError(f"could not save the change: {exc}") from exc
        self._ops += 1
        if self._ops >= self.compact_every:
            try:
                self._compact()
                self.compact_error = None
            except StoreError as exc:  # acknowledged data is in the journal; retry later
                self.compact_error = str(exc)

    # ------------------------------------------------------------------ compaction

    def compact(self) -> None:
        """Write the snapshot atomically, then empty the journal."""
        with self._mutex:
            self._check_writable()
            self._compact()

    def _compact(self) -> None:
        assert self._journal is not None
        if self._ops == 0 and self._journal.size == 0 and not self.torn:
            return
        meta = self._tables[META]
        self._db.table(META).update({"seq": self._seq}, doc_ids=[self._tids(meta)[META_KEY]])
        try:
            self._mw.flush()
        except OSError as exc:
            raise StoreError(f"could not write {self.path}: {exc.strerror or exc}") from None
        self._journal_truncate()
        self._ops = 0
        self.torn = False

    def _journal_truncate(self) -> None:
        assert self._journal is not None
        try:
            self._journal.truncate()
        except OSError as exc:
            self._journal.broken = (
                f"could not empty {self.journal_path.name} after a snapshot "
                f"({exc.strerror or exc}); close and reopen the store"
            )
            raise StoreError(self._journal.broken) from None
        self.torn = False

    # ------------------------------------------------------------------ documents

    def _doc_state(self, doc_id: str) -> _Table | None:
        return self._tables.get(DOC_PREFIX + doc_id)

    def _require_doc(self, doc_id: str) -> _Table:
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
        record = self._record(state, state.head) or {}
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
        return None if state is None else self._info(state)

    def documents(self) -> Iterator[DocInfo]:
        """Every stored document, in the order they were first added."""
        for state in list(self._tables.values()):
            if state.name != META:
                yield self._info(state)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._doc_state(doc_id) is not None

    def _info(self, state: _Table) -> DocInfo:
        if state.info is None:
            r = self._record(state, state.head) or {}
            date = r.get("date")
            state.info = DocInfo(
                id=state.head[1],
                path=r.get("path", ""),
                title=r.get("title", ""),
                date=datetime.fromisoformat(date) if date else None,
                text=r.get("text", ""),
                byline=r.get("byline"),
                boilerplate=[(int(s), int(e)) for s, e in r.get("boilerplate") or ()],
                meta=dict(r.get("meta") or {}),
                status=r.get("status", "new"),
                title_span=_pair(r.get("title_span")),
                date_span=_pair(r.get("date_span")),
                encoding=r.get("encoding", "utf-8"),
            )
        return state.info

    def set_status(self, doc_id: str, status: str) -> str:
        """Set a document's status; returns the previous one (for undo)."""
        with self._mutex:
            self._check_writable()
            if status not in STATUSES:
                raise AnnotationError(f"unknown status {status!r} (known: {', '.join(STATUSES)})")
            state = self._require_doc(doc_id)
            previous = self._info(state).status
            if previous != status:
                self._commit({"op": "set_status", "table": state.name, "set": {"status": status}})
            return previous

    def status(self, doc_id: str) -> str:
        state = self._doc_state(doc_id)
        return "new" if state is None else self._info(state).status

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

    def _spans(self, state: _Table) -> dict[str, Span]:
        if state.spans is None:
            state.spans = {
                r["id"]: Span.from_record(r)
                for r in self._raw(state.name).values()
                if r.get("kind") == "span"
            }
        return state.spans

    def _keys(self, state: _Table) -> dict[tuple[int, int, str], str]:
        if state.keys is None:  # straight from the records: cheap on a document's first touch
            state.keys = {
                (r["start"], r["end"], r["label"]): r["id"]
                for r in self._raw(state.name).values()
                if r.get("kind") == "span"
            }
        return state.keys

    def spans(self, doc_id: str) -> list[Span]:
        """The document's spans sorted by ``Span.sort_key`` (cached until the next change)."""
        state = self._doc_state(doc_id)
        if state is None:
            return []
        if state.sorted_spans is None:
            state.sorted_spans = sorted(self._spans(state).values(), key=lambda s: s.sort_key)
        return list(state.sorted_spans)

    def iter_spans(self) -> Iterator[Span]:
        """Every span of every document, document by document."""
        for info in self.documents():
            yield from self.spans(info.id)

    def get_span(self, span_id: str) -> Span | None:
        state = self._span_at.get(span_id)
        if state is None:
            return None
        if state.spans is not None:
            return state.spans.get(span_id)
        record = self._record(state, ("span", span_id))
        return None if record is None else Span.from_record(record)

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
    ) -> Span:
        """Add a span; the same (start, end, label) twice returns the existing span, no write."""
        with self._mutex:
            self._check_writable()
            if isinstance(doc, Document):
                doc_id, change = doc.id, self._doc_change(doc)
            else:
                doc_id, change = doc, {}
                self._require_doc(doc_id)
            self._check_label(label)
            state = self._doc_state(doc_id)
            text = doc.text if "head" in change else self._record(state, state.head)["text"]  # type: ignore[arg-type, index]
            span = make_span(
                doc_id,
                text,
                start,
                end,
                label,
                annotator=annotator if annotator is not None else self.annotator,
                origin=origin,
                span_id=span_id,
                created=created,
            )
            if state is not None:
                existing = self._keys(state).get(span.key)
                if existing is not None:
                    if change:
                        self._commit({"op": "add_document", "table": state.name, **change})
                    return self.get_span(existing)  # type: ignore[return-value]
            if span_id is not None and span_id in self._span_at:
                raise AnnotationError(f"a different span already has the id {span_id!r}")
            self._commit(
                {
                    "op": "add_span",
                    "table": DOC_PREFIX + doc_id,
                    **change,
                    "put": [_span_record(span)],
                }
            )
            return span

    def remove_span(self, span_id: str) -> Span:
        """Remove a span and every relation touching it, as one journal line."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            state = self._span_at[span_id]
            dels = [["span", span_id]] + [["rel", r.id] for r in self.relations_of(span_id)]
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
        self, state: _Table, span: Span, relations: Iterable[Relation]
    ) -> tuple[Span, list[Record]]:
        """(the span that will stand for ``span``, the records restoring it); checks only."""
        self._check_label(span.label)
        text = self._info(state).text
        make_span(span.doc_id, text, span.start, span.end, span.label, origin=span.origin)
        if text[span.start : span.end] != span.text:
            raise AnnotationError(f"span text {span.text!r} does not match the document")
        puts: list[Record] = []
        target = self.get_span(span.id)
        if target is not None and target.key != span.key:
            raise AnnotationError(f"a different span already has the id {span.id!r}")
        if target is None:
            other = self._keys(state).get(span.key)
            if other is not None:
                target = self._spans(state)[other]
            else:
                target = span
                puts.append(_span_record(span))
        labels = {target.id: target.label}
        rel_keys = {r.key for r in self.relations(span.doc_id)}
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
            dels = [["span", span_id]] + [["rel", r.id] for r in self.relations_of(span_id)]
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
            dels = [["rej", _rejection_id(span.key)]] if span.key in self._rejected(state) else []
            if puts or dels:
                self._commit({"op": "unreject", "table": state.name, "del": dels, "put": puts})
            return target

    def rejected(self, doc_id: str) -> set[tuple[int, int, str]]:
        """The (start, end, label) keys of the document's rejected suggestions."""
        state = self._doc_state(doc_id)
        return set() if state is None else set(self._rejected(state))

    def _rejected(self, state: _Table) -> set[tuple[int, int, str]]:
        if state.rejected is None:
            state.rejected = {
                (r["start"], r["end"], r["label"])
                for r in self._raw(state.name).values()
                if r.get("kind") == "rej"
            }
        return state.rejected

    def relabel_span(self, span_id: str, label: str) -> Span:
        """Change a span's label; refused if a relation on it would no longer be allowed."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            if label == span.label:
                return span
            self._check_label(label)
            state = self._span_at[span_id]
            if (span.start, span.end, label) in self._keys(state):
                raise AnnotationError(
                    f"there is already a {label} span at {span.start}..{span.end}"
                )
            for rel in self.relations_of(span_id):
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

    def set_origin(self, span_id: str, origin: str, *, annotator: str | None = None) -> Span:
        """E.g. accept a suggestion: ``suggested`` -> ``manual``, by ``annotator`` (who decided)."""
        with self._mutex:
            self._check_writable()
            span = self._require_span(span_id)
            if origin not in ORIGINS:
                raise AnnotationError(f"unknown origin {origin!r} (known: {', '.join(ORIGINS)})")
            who = span.annotator if annotator is None else annotator
            if origin == span.origin and who == span.annotator:
                return span
            new = span.with_(origin=origin, annotator=who)
            state = self._span_at[span_id]
            self._commit({"op": "set_origin", "table": state.name, "put": [_span_record(new)]})
            return new

    # ------------------------------------------------------------------ relations

    def _relations(self, state: _Table) -> dict[str, Relation]:
        if state.relations is None:
            state.relations = {
                r["id"]: Relation.from_record(r)
                for r in self._raw(state.name).values()
                if r.get("kind") == "rel"
            }
        return state.relations

    def relations(self, doc_id: str) -> list[Relation]:
        state = self._doc_state(doc_id)
        return [] if state is None else list(self._relations(state).values())

    def relations_of(self, span_id: str) -> list[Relation]:
        state = self._span_at.get(span_id)
        if state is None:
            return []
        return [r for r in self._relations(state).values() if span_id in (r.head, r.child)]

    def get_relation(self, relation_id: str) -> Relation | None:
        state = self._rel_at.get(relation_id)
        return None if state is None else self._relations(state).get(relation_id)

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
        for other in self.relations(rel.doc_id):
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
) -> Store:
    """Open (or create) the store at ``path``. ``readonly``: no lock, no writes (exports, stats)."""
    return Store(path, annotator=annotator, readonly=readonly, compact_every=compact_every)
