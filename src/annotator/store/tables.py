"""One TinyDB table in memory (a document's, or the meta table), with its indexes kept in step.

The records dict is the table exactly as TinyDB writes it (``{"1": {...}, "2": {...}}``), so
the snapshot is a TinyDB file. Records are never changed in place: a change puts a new dict,
so a shallow copy of the table is a frozen view a background snapshot writer can serialise.
Every put and delete is O(1) and updates the indexes that have been built (spans by id, by
(start, end, label), in document order; relations by id and by span; rejections), so the cost
of an action does not depend on how many spans the document holds.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..model import Document, Relation, Span

Key = tuple[str, str]
Record = dict[str, Any]
SpanKey = tuple[int, int, str]


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
    active_seconds: float = 0.0  # time with the article open, idle gaps left out

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


def _pair(value: Any) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value is not None else None


def _order(span: Span) -> tuple[tuple[int, int, str], str]:
    return (span.sort_key, span.id)


@dataclass(eq=False, repr=False)  # one per document: compared by identity, too big to print
class Table:
    name: str
    head: Key  # the key of the document (or meta) record
    records: dict[str, Record] = field(default_factory=dict)
    _tids: dict[Key, str] | None = None  # record key -> TinyDB id, built on first use
    _next_tid: int = 1
    version: int = 0  # bumped by every change: tells a table changed since its last snapshot
    fragment: bytes | None = None  # this table's JSON in the last snapshot, while unchanged
    fragment_version: int = -1
    # indexes, built on first use and then kept in step
    _spans: dict[str, Span] | None = None
    _keys: dict[SpanKey, str] | None = None
    _sorted: list[Span] | None = None
    _order: list[tuple[tuple[int, int, str], str]] | None = None
    _relations: dict[str, Relation] | None = None
    _rels_by_span: dict[str, dict[str, None]] | None = None  # ordered sets
    _rejected: set[SpanKey] | None = None
    _info: DocInfo | None = None

    @classmethod
    def load(cls, name: str, head: Key, records: dict[str, Record]) -> Table:
        table = cls(name, head, records)
        table._tids = None  # most tables are never touched in a session: index them then
        return table

    def __post_init__(self) -> None:
        if not self.records:
            self._tids = {}

    @property
    def tids(self) -> dict[Key, str]:
        if self._tids is None:
            self._tids = {(r["kind"], r["id"]): tid for tid, r in self.records.items()}
            self._next_tid = max((int(tid) for tid in self.records), default=0) + 1
        return self._tids

    @property
    def dirty(self) -> bool:
        return self.fragment is None or self.fragment_version != self.version

    def get(self, key: Key) -> Record | None:
        tid = self.tids.get(key)
        return None if tid is None else self.records[tid]

    def head_record(self) -> Record | None:
        return self.get(self.head)

    # ------------------------------------------------------------------ changes

    def put(self, record: Record, tid: str | None = None) -> tuple[str | None, Record | None]:
        """Put ``record`` (a new dict, never changed afterwards); returns the old (tid, record)."""
        key = (record["kind"], record["id"])
        tids = self.tids
        old_tid = tids.get(key)
        old = None if old_tid is None else self.records[old_tid]
        if old_tid is None:
            if tid is None:
                tid = str(self._next_tid)
                self._next_tid += 1
            else:
                self._next_tid = max(self._next_tid, int(tid) + 1)
            tids[key] = tid
        else:
            tid = old_tid
        self.records[tid] = record
        self.version += 1
        self._changed(key, old, record)
        return old_tid, old

    def delete(self, key: Key) -> tuple[str | None, Record | None]:
        tid = self.tids.pop(key, None)
        if tid is None:
            return None, None
        old = self.records.pop(tid)
        self.version += 1
        self._changed(key, old, None)
        return tid, old

    def _changed(self, key: Key, old: Record | None, new: Record | None) -> None:
        kind = key[0]
        if kind == "span":
            if old is not None:
                self._unindex_span(old)
            if new is not None:
                self._index_span(new)
        elif kind == "rel":
            if old is not None:
                self._unindex_relation(old)
            if new is not None:
                self._index_relation(new)
        elif kind == "rej":
            if self._rejected is not None:
                if old is not None:
                    self._rejected.discard((old["start"], old["end"], old["label"]))
                if new is not None:
                    self._rejected.add((new["start"], new["end"], new["label"]))
        elif key == self.head:
            self._info = None

    def _index_span(self, record: Record) -> None:
        if self._keys is not None:
            self._keys[(record["start"], record["end"], record["label"])] = record["id"]
        if self._spans is None:
            return
        span = Span.from_record(record)
        self._spans[span.id] = span
        if self._sorted is not None and self._order is not None:
            where = bisect_left(self._order, _order(span))
            self._order.insert(where, _order(span))
            self._sorted.insert(where, span)

    def _unindex_span(self, record: Record) -> None:
        if self._keys is not None:
            key = (record["start"], record["end"], record["label"])
            if self._keys.get(key) == record["id"]:
                del self._keys[key]
        if self._spans is None:
            return
        span = self._spans.pop(record["id"], None)
        if span is not None and self._sorted is not None and self._order is not None:
            where = bisect_left(self._order, _order(span))
            if where < len(self._order) and self._order[where] == _order(span):
                del self._order[where]
                del self._sorted[where]

    def _index_relation(self, record: Record) -> None:
        if self._relations is None:
            return
        rel = Relation.from_record(record)
        self._relations[rel.id] = rel
        assert self._rels_by_span is not None
        for end in (rel.head, rel.child):
            self._rels_by_span.setdefault(end, {})[rel.id] = None

    def _unindex_relation(self, record: Record) -> None:
        if self._relations is None:
            return
        rel = self._relations.pop(record["id"], None)
        if rel is None:
            return
        assert self._rels_by_span is not None
        for end in (rel.head, rel.child):
            ids = self._rels_by_span.get(end)
            if ids is not None:
                ids.pop(rel.id, None)
                if not ids:
                    del self._rels_by_span[end]

    # ------------------------------------------------------------------ reading

    def spans(self) -> dict[str, Span]:
        if self._spans is None:
            self._spans = {
                r["id"]: Span.from_record(r) for r in self.records.values() if r["kind"] == "span"
            }
        return self._spans

    def span(self, span_id: str) -> Span | None:
        """One span, without building the index of all of them on a document's first touch."""
        if self._spans is not None:
            return self._spans.get(span_id)
        record = self.get(("span", span_id))
        return None if record is None else Span.from_record(record)

    def by_key(self) -> dict[SpanKey, str]:
        if self._keys is None:  # straight from the records: cheap on a document's first touch
            self._keys = {
                (r["start"], r["end"], r["label"]): r["id"]
                for r in self.records.values()
                if r["kind"] == "span"
            }
        return self._keys

    def sorted_spans(self) -> list[Span]:
        if self._sorted is None:
            ordered = sorted(self.spans().values(), key=_order)
            self._sorted = ordered
            self._order = [_order(s) for s in ordered]
        return self._sorted

    def relations(self) -> dict[str, Relation]:
        if self._relations is None:
            self._relations = {}
            self._rels_by_span = {}
            for record in self.records.values():
                if record["kind"] == "rel":
                    self._index_relation(record)
        return self._relations

    def relations_of(self, span_id: str) -> list[Relation]:
        relations = self.relations()
        assert self._rels_by_span is not None
        return [relations[i] for i in self._rels_by_span.get(span_id, ())]

    def rejected(self) -> set[SpanKey]:
        if self._rejected is None:
            self._rejected = {
                (r["start"], r["end"], r["label"])
                for r in self.records.values()
                if r["kind"] == "rej"
            }
        return self._rejected

    def info(self) -> DocInfo:
        if self._info is None:
            r = self.head_record() or {}
            date = r.get("date")
            self._info = DocInfo(
                id=self.head[1],
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
                active_seconds=float(r.get("active_seconds") or 0.0),
            )
        return self._info
