"""Undo/redo over store operations (pure Python, no Textual).

Every change the user makes goes through :class:`History`, which performs it on the store and
records an operation that knows how to undo and redo itself. Redo re-applies with the same ids
(a removed span comes back with its id, its creation time and its relations), so exports and links
stay stable across undo/redo. Several operations can be grouped into one step (for example "add
the first span of an article and mark it in progress"), undone and redone together.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.model import Document, Relation, Span


class StoreLike(Protocol):
    """The part of ``annotator.store.Store`` that history needs (kept structural for tests)."""

    def add_span(
        self, doc: Document | str, start: int, end: int, label: str, **kw: Any
    ) -> Span: ...
    def remove_span(self, span_id: str) -> Span: ...
    def restore_span(self, span: Span, relations: Any = ()) -> Span: ...
    def relabel_span(self, span_id: str, label: str) -> Span: ...
    def set_origin(self, span_id: str, origin: str, *, annotator: str | None = None) -> Span: ...
    def reject_suggestion(self, span_id: str) -> Span: ...
    def unreject(self, span: Span, relations: Any = ()) -> Span: ...
    def get_span(self, span_id: str) -> Span | None: ...
    def add_relation(self, head_id: str, child_id: str, label: str, **kw: Any) -> Relation: ...
    def remove_relation(self, relation_id: str) -> Relation: ...
    def restore_relation(self, relation: Relation) -> Relation: ...
    def relations_of(self, span_id: str) -> list[Relation]: ...
    def set_status(self, doc_id: str, status: str) -> str: ...


class Op(Protocol):
    doc_id: str
    offset: int  # where the change happened (the app moves the cursor there on undo/redo)

    def undo(self, store: StoreLike) -> None: ...
    def redo(self, store: StoreLike) -> None: ...


class _OnSpan:
    """An operation on one span: its document, and where the cursor goes on undo/redo."""

    span: Span

    @property
    def doc_id(self) -> str:
        return self.span.doc_id

    @property
    def offset(self) -> int:
        return self.span.start


@dataclass(frozen=True)
class AddSpan(_OnSpan):
    span: Span

    def undo(self, store: StoreLike) -> None:
        store.remove_span(self.span.id)

    def redo(self, store: StoreLike) -> None:
        store.restore_span(self.span, ())


@dataclass(frozen=True)
class RemoveSpan(_OnSpan):
    span: Span
    relations: tuple[Relation, ...] = ()

    def undo(self, store: StoreLike) -> None:
        store.restore_span(self.span, self.relations)

    def redo(self, store: StoreLike) -> None:
        store.remove_span(self.span.id)


@dataclass(frozen=True)
class RelabelSpan(_OnSpan):
    span: Span  # as it was before
    label: str  # the new label

    def undo(self, store: StoreLike) -> None:
        store.relabel_span(self.span.id, self.span.label)

    def redo(self, store: StoreLike) -> None:
        store.relabel_span(self.span.id, self.label)


@dataclass(frozen=True)
class SetOrigin(_OnSpan):
    span: Span  # as it was before
    origin: str

    def undo(self, store: StoreLike) -> None:
        store.set_origin(self.span.id, self.span.origin)

    def redo(self, store: StoreLike) -> None:
        store.set_origin(self.span.id, self.origin)


@dataclass(frozen=True)
class SetStatus:
    doc_id: str
    before: str
    after: str
    offset: int = 0

    def undo(self, store: StoreLike) -> None:
        store.set_status(self.doc_id, self.before)

    def redo(self, store: StoreLike) -> None:
        store.set_status(self.doc_id, self.after)


@dataclass(frozen=True)
class AddRelation:
    relation: Relation
    offset: int = 0

    @property
    def doc_id(self) -> str:
        return self.relation.doc_id

    def undo(self, store: StoreLike) -> None:
        store.remove_relation(self.relation.id)

    def redo(self, store: StoreLike) -> None:
        store.restore_relation(self.relation)


@dataclass(frozen=True)
class RemoveRelation:
    relation: Relation
    offset: int = 0

    @property
    def doc_id(self) -> str:
        return self.relation.doc_id

    def undo(self, store: StoreLike) -> None:
        store.restore_relation(self.relation)

    def redo(self, store: StoreLike) -> None:
        store.remove_relation(self.relation.id)


@dataclass(frozen=True)
class AcceptSuggestion(_OnSpan):
    """A suggestion made the user's: origin ``manual``, annotator the one who accepted it.
    Undo puts back origin and annotator."""

    span: Span  # as it was before
    annotator: str | None = None

    def undo(self, store: StoreLike) -> None:
        store.set_origin(self.span.id, self.span.origin, annotator=self.span.annotator)

    def redo(self, store: StoreLike) -> None:
        store.set_origin(self.span.id, "manual", annotator=self.annotator)


@dataclass(frozen=True)
class RejectSuggestion(_OnSpan):
    """A suggestion removed and remembered as rejected (not offered again); undo = unreject."""

    span: Span
    relations: tuple[Relation, ...] = ()

    def undo(self, store: StoreLike) -> None:
        store.unreject(self.span, self.relations)

    def redo(self, store: StoreLike) -> None:
        store.reject_suggestion(self.span.id)


@dataclass
class Step:
    """One undoable user action: one or more operations, undone in reverse order."""

    description: str
    ops: list[Op] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.ops[0].doc_id if self.ops else ""

    @property
    def offset(self) -> int:
        return self.ops[0].offset if self.ops else 0

    def undo(self, store: StoreLike) -> None:
        for op in reversed(self.ops):
            op.undo(store)

    def redo(self, store: StoreLike) -> None:
        for op in self.ops:
            op.redo(store)


class History:
    """Performs changes on ``store`` and keeps them undoable, ``limit`` steps deep."""

    def __init__(self, store: StoreLike, *, limit: int = 1000) -> None:
        self.store = store
        self.limit = limit
        self._done: list[Step] = []
        self._undone: list[Step] = []
        self._open: Step | None = None

    # ------------------------------------------------------------------ bookkeeping

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def __len__(self) -> int:
        return len(self._done)

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @contextmanager
    def group(self, description: str) -> Iterator[Step]:
        """Make every change inside the ``with`` block one undo step (nesting joins the outer).

        With a store that has batches, the step is also one journal line: if the block raises,
        every change of it is undone and no step is recorded."""
        if self._open is not None:
            yield self._open
            return
        step = Step(description)
        self._open = step
        batched = hasattr(self.store, "batch")
        try:
            with self._batch():
                yield step
        except BaseException:
            if not batched and step.ops:
                self._push(step)  # what was done before the error stays done, and undoable
            raise
        finally:
            self._open = None
        if step.ops:
            self._push(step)

    def _record(self, op: Op, description: str) -> None:
        if self._open is not None:
            self._open.ops.append(op)
        else:
            self._push(Step(description, [op]))

    def _push(self, step: Step) -> None:
        self._done.append(step)
        if len(self._done) > self.limit:
            del self._done[: len(self._done) - self.limit]
        self._undone.clear()

    def _batch(self) -> contextlib.AbstractContextManager[Any]:
        """The store's batch (one journal line, all or nothing), where it has one."""
        batch = getattr(self.store, "batch", None)
        return batch() if batch is not None else contextlib.nullcontext()

    def undo(self) -> Step | None:
        if not self._done:
            return None
        step = self._done[-1]
        with self._batch():
            step.undo(self.store)
        self._undone.append(self._done.pop())
        return step

    def redo(self) -> Step | None:
        if not self._undone:
            return None
        step = self._undone[-1]
        with self._batch():
            step.redo(self.store)
        self._done.append(self._undone.pop())
        return step

    # ------------------------------------------------------------------ changes

    def add_span(
        self, doc: Document | str, start: int, end: int, label: str, **kw: Any
    ) -> tuple[Span, bool]:
        """Add a span; returns (span, created). An existing identical span is not recorded."""
        doc_id = doc if isinstance(doc, str) else doc.id
        before = _span_at(self.store, doc_id, start, end, label)
        span = self.store.add_span(doc, start, end, label, **kw)
        created = before is None or span.id != before.id
        if created:
            self._record(AddSpan(span), f"tag {label}")
        return span, created

    def remove_span(self, span_id: str) -> Span:
        relations = tuple(self.store.relations_of(span_id))
        span = self.store.remove_span(span_id)
        self._record(RemoveSpan(span, relations), f"delete {span.label}")
        return span

    def relabel_span(self, span_id: str, label: str) -> Span:
        before = self.store.get_span(span_id)
        if before is None:
            raise KeyError(span_id)
        span = self.store.relabel_span(span_id, label)
        if before.label != label:
            self._record(RelabelSpan(before, label), f"relabel {before.label} -> {label}")
        return span

    def set_origin(self, span_id: str, origin: str) -> Span:
        before = self.store.get_span(span_id)
        if before is None:
            raise KeyError(span_id)
        span = self.store.set_origin(span_id, origin)
        if before.origin != origin:
            self._record(SetOrigin(before, origin), f"set origin {origin}")
        return span

    def set_status(self, doc_id: str, status: str, *, offset: int = 0) -> str:
        previous = self.store.set_status(doc_id, status)
        if previous != status:
            self._record(SetStatus(doc_id, previous, status, offset), f"mark {status}")
        return previous

    def add_relation(self, head_id: str, child_id: str, label: str, **kw: Any) -> Relation:
        existing = {r.id for r in self.store.relations_of(head_id)}
        relation = self.store.add_relation(head_id, child_id, label, **kw)
        if relation.id not in existing:
            head = self.store.get_span(head_id)
            self._record(AddRelation(relation, head.start if head else 0), f"link {label}")
        return relation

    def remove_relation(self, relation_id: str) -> Relation:
        relation = self.store.remove_relation(relation_id)
        head = self.store.get_span(relation.head)
        self._record(
            RemoveRelation(relation, head.start if head else 0), f"unlink {relation.label}"
        )
        return relation

    def accept_suggestion(self, span_id: str, annotator: str | None = None) -> Span:
        """Make a suggested span the user's (origin manual); a no-op for other spans."""
        before = self.store.get_span(span_id)
        if before is None:
            raise KeyError(span_id)
        if before.origin != "suggested":
            return before
        span = self.store.set_origin(span_id, "manual", annotator=annotator)
        self._record(AcceptSuggestion(before, annotator), f"accept {before.label}")
        return span

    def reject_suggestion(self, span_id: str) -> Span:
        """Remove a suggested span and remember the rejection (undo brings both back)."""
        relations = tuple(self.store.relations_of(span_id))
        span = self.store.reject_suggestion(span_id)
        self._record(RejectSuggestion(span, relations), f"reject {span.label}")
        return span


def _span_at(store: Any, doc_id: str, start: int, end: int, label: str) -> Span | None:
    """The span at exactly (start, end, label), if any (O(1) with a real store)."""
    find = getattr(store, "find_span", None)
    if find is not None:
        return find(doc_id, start, end, label)
    try:
        spans = store.spans(doc_id)
    except Exception:  # an unregistered document has no spans yet
        return None
    return next((s for s in spans if (s.start, s.end, s.label) == (start, end, label)), None)
