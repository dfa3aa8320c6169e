"""Property test: any sequence of store operations, compactions, reopens and crashes leaves
the store equal to a plain in-memory model."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from annotator.model import DEFAULT_RELATIONS, AnnotationError, Document, Relation, Span
from annotator.store import open_store

DOCS = [
    Document(id="a", text="Mr Putin said Kyiv fell.", path="a.txt"),
    Document(id="b", text="Ms Baerbock visited Lviv", path="b.txt"),
]
LABELS = ["CLAIM", "ACTOR", "LOCATION", "BOGUS"]
RELATIONS = ["SOURCE", "ABOUT", "BOGUS"]
STATUSES = ["new", "in_progress", "done", "bogus"]


def allowed(label: str, head: str, child: str) -> bool:
    try:
        DEFAULT_RELATIONS.check(label, head, child)
    except AnnotationError:
        return False
    return True


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="store-props-"))
        self.path = self.dir / "annotations.json"
        self.store = open_store(self.path, annotator="prop", compact_every=5)
        self.spans: dict[str, Span] = {}  # the model
        self.relations: dict[str, Relation] = {}
        self.status: dict[str, str] = {}
        self.removed: list[tuple[Span, list[Relation], bool]] = []  # (span, rels, rejected)
        self.rejected: dict[str, set[tuple[int, int, str]]] = {}

    def teardown(self) -> None:
        if not self.store.closed:
            self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -------------------------------------------------------------- helpers

    def key_owner(self, doc_id: str, key: tuple[int, int, str]) -> str | None:
        for span in self.spans.values():
            if span.doc_id == doc_id and span.key == key:
                return span.id
        return None

    def touching(self, span_id: str) -> list[Relation]:
        return [r for r in self.relations.values() if span_id in (r.head, r.child)]

    # -------------------------------------------------------------- rules

    @rule(
        doc=st.sampled_from(DOCS),
        start=st.integers(-1, 26),
        length=st.integers(0, 8),
        label=st.sampled_from(LABELS),
        origin=st.sampled_from(["manual", "suggested"]),
    )
    def add_span(self, doc: Document, start: int, length: int, label: str, origin: str) -> None:
        end = start + length
        valid = 0 <= start < end <= len(doc.text) and label != "BOGUS"
        try:
            span = self.store.add_span(doc, start, end, label, origin=origin)
        except AnnotationError:
            assert not valid
            return
        assert valid
        owner = self.key_owner(doc.id, (start, end, label))
        if owner is not None:
            assert span == self.spans[owner]
        else:
            assert span.text == doc.text[start:end]
            self.spans[span.id] = span
        self.status.setdefault(doc.id, "new")

    @rule(
        doc=st.sampled_from(DOCS),
        items=st.lists(
            st.tuples(st.integers(-1, 26), st.integers(0, 8), st.sampled_from(LABELS)),
            max_size=6,
        ),
    )
    def add_spans_in_one_batch(self, doc: Document, items) -> None:
        """``add_spans``: one journal record; an invalid item leaves nothing behind."""
        wanted = [(start, start + length, label) for start, length, label in items]
        valid = all(0 <= s < e <= len(doc.text) and label != "BOGUS" for s, e, label in wanted)
        try:
            made = self.store.add_spans(doc, wanted)
        except AnnotationError:
            assert not valid
            return
        assert valid and len(made) == len(wanted)
        for key, span in zip(wanted, made, strict=True):
            owner = self.key_owner(doc.id, key)
            if owner is not None:
                assert span == self.spans[owner]
            else:
                assert span.key == key and span.text == doc.text[key[0] : key[1]]
                self.spans[span.id] = span
        self.status.setdefault(doc.id, "new")  # the document is registered even with no items

    @precondition(lambda self: self.spans)
    @rule(data=st.data(), fail=st.booleans(), status=st.sampled_from(STATUSES[:3]))
    def mixed_batch(self, data, fail: bool, status: str) -> None:
        """Several kinds of change in one batch: all of them, or (if the block raises) none."""
        span_id = data.draw(st.sampled_from(list(self.spans)))
        span = self.spans[span_id]
        doc = next(d for d in DOCS if d.id == span.doc_id)
        start = data.draw(st.integers(0, len(doc.text) - 1))
        end = data.draw(st.integers(start + 1, len(doc.text)))
        rels = self.touching(span_id)
        try:
            with self.store.batch():
                self.store.remove_span(span_id)
                added = self.store.add_span(doc, start, end, "CLAIM")
                self.store.set_status(doc.id, status)
                if fail:
                    raise RuntimeError("the block fails")
        except RuntimeError:
            assert fail
            return
        del self.spans[span_id]
        for rel in rels:
            del self.relations[rel.id]
        self.removed.append((span, rels, False))
        owner = self.key_owner(doc.id, (start, end, "CLAIM"))
        if owner is None:
            self.spans[added.id] = added
        self.status[doc.id] = status

    @precondition(lambda self: self.spans)
    @rule(data=st.data())
    def remove_span(self, data) -> None:
        span_id = data.draw(st.sampled_from(list(self.spans)))
        rels = self.touching(span_id)
        assert sorted(self.store.relations_of(span_id), key=lambda r: r.id) == sorted(
            rels, key=lambda r: r.id
        )
        span = self.spans.pop(span_id)
        assert self.store.remove_span(span_id) == span
        for rel in rels:
            del self.relations[rel.id]
        self.removed.append((span, rels, False))

    @precondition(lambda self: any(s.origin == "suggested" for s in self.spans.values()))
    @rule(data=st.data())
    def reject_suggestion(self, data) -> None:
        suggested = [i for i, s in self.spans.items() if s.origin == "suggested"]
        span_id = data.draw(st.sampled_from(suggested))
        rels = self.touching(span_id)
        span = self.spans.pop(span_id)
        assert self.store.reject_suggestion(span_id) == span
        for rel in rels:
            del self.relations[rel.id]
        self.rejected.setdefault(span.doc_id, set()).add(span.key)
        self.removed.append((span, rels, True))

    @precondition(lambda self: any(s.origin == "manual" for s in self.spans.values()))
    @rule(data=st.data())
    def reject_manual_refused(self, data) -> None:
        manual = [i for i, s in self.spans.items() if s.origin == "manual"]
        span_id = data.draw(st.sampled_from(manual))
        try:
            self.store.reject_suggestion(span_id)
        except AnnotationError:
            return
        raise AssertionError("a manual span was rejected as a suggestion")

    @precondition(lambda self: self.removed)
    @rule()
    def restore_last(self) -> None:
        span, rels, was_rejected = self.removed.pop()
        owner = self.key_owner(span.doc_id, span.key)
        target = self.spans[owner] if owner else span
        fixed = []
        ok = True
        for rel in rels:
            head = target.id if rel.head == span.id else rel.head
            child = target.id if rel.child == span.id else rel.child
            ends = {
                target.id: target,
                **{s: self.spans[s] for s in (head, child) if s in self.spans},
            }
            if head not in ends or child not in ends:
                ok = False
                break
            dup = (
                rel.id in self.relations
                or any(r.key == (head, child, rel.label) for r in self.relations.values())
                or any(r.key == (head, child, rel.label) for r in fixed)
            )
            if dup:
                continue
            if not allowed(rel.label, ends[head].label, ends[child].label):
                ok = False
                break
            fixed.append(
                Relation(
                    rel.id,
                    rel.doc_id,
                    head,
                    child,
                    rel.label,
                    rel.annotator,
                    rel.created,
                    rel.origin,
                )
            )
        try:
            if was_rejected:
                restored = self.store.unreject(span, rels)
            else:
                restored = self.store.restore_span(span, rels)
        except AnnotationError:
            assert not ok
            return
        assert ok and restored == target
        if was_rejected:
            self.rejected.get(span.doc_id, set()).discard(span.key)
        self.spans[target.id] = target
        for rel in fixed:
            self.relations[rel.id] = rel

    @precondition(lambda self: self.spans)
    @rule(data=st.data(), label=st.sampled_from(LABELS))
    def relabel(self, data, label: str) -> None:
        span = self.spans[data.draw(st.sampled_from(list(self.spans)))]
        ok = label != "BOGUS"
        if ok and label != span.label:
            ok = self.key_owner(span.doc_id, (span.start, span.end, label)) is None
            for rel in self.touching(span.id):
                head = label if rel.head == span.id else self.spans[rel.head].label
                child = label if rel.child == span.id else self.spans[rel.child].label
                ok = ok and allowed(rel.label, head, child)
        try:
            new = self.store.relabel_span(span.id, label)
        except AnnotationError:
            assert not ok
            return
        assert ok
        self.spans[span.id] = span.with_(label=label)
        assert new == self.spans[span.id]

    @precondition(lambda self: self.spans)
    @rule(data=st.data())
    def accept(self, data) -> None:
        span = self.spans[data.draw(st.sampled_from(list(self.spans)))]
        self.spans[span.id] = self.store.set_origin(span.id, "manual")
        assert self.spans[span.id] == span.with_(origin="manual")

    @precondition(lambda self: len(self.spans) >= 2)
    @rule(data=st.data(), label=st.sampled_from(RELATIONS))
    def add_relation(self, data, label: str) -> None:
        ids = list(self.spans)
        claims = [i for i in ids if self.spans[i].label == "CLAIM"]
        pool = claims if claims and data.draw(st.booleans()) else ids
        head = self.spans[data.draw(st.sampled_from(pool))]
        same_doc = [i for i in ids if self.spans[i].doc_id == head.doc_id]
        child = self.spans[
            data.draw(st.sampled_from(same_doc if data.draw(st.booleans()) else ids))
        ]
        ok = (
            head.doc_id == child.doc_id
            and head.id != child.id
            and allowed(label, head.label, child.label)
        )
        try:
            rel = self.store.add_relation(head.id, child.id, label)
        except AnnotationError:
            assert not ok
            return
        assert ok
        existing = [r for r in self.relations.values() if r.key == (head.id, child.id, label)]
        if existing:
            assert rel == existing[0]
        self.relations[rel.id] = rel

    @precondition(lambda self: self.relations)
    @rule(data=st.data())
    def remove_relation(self, data) -> None:
        rel_id = data.draw(st.sampled_from(list(self.relations)))
        assert self.store.remove_relation(rel_id) == self.relations.pop(rel_id)

    @rule(doc=st.sampled_from(DOCS), status=st.sampled_from(STATUSES))
    def set_status(self, doc: Document, status: str) -> None:
        try:
            previous = self.store.set_status(doc.id, status)
        except AnnotationError:
            assert status == "bogus" or doc.id not in self.status
            return
        assert previous == self.status[doc.id]
        self.status[doc.id] = status

    @rule(wait=st.booleans())
    def compact(self, wait: bool) -> None:
        self.store.compact(wait=wait)

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = open_store(self.path, annotator="prop", compact_every=5)

    @rule()
    def crash_and_reopen(self) -> None:
        """Like SIGKILL: no compaction, the journal has to carry everything."""
        self.store.wait_for_compaction()  # a real kill stops that thread too
        self.store._journal.close()
        self.store._lock.release()
        self.store._closed = True
        self.store = open_store(self.path, annotator="prop", compact_every=5)

    @rule()
    def readonly_view_agrees(self) -> None:
        with open_store(self.path, readonly=True) as view:
            for doc in DOCS:
                assert view.spans(doc.id) == self.store.spans(doc.id)
                assert view.rejected(doc.id) == self.rejected.get(doc.id, set())

    # -------------------------------------------------------------- the model and the store agree

    @invariant()
    def agrees(self) -> None:
        for doc in DOCS:
            expected = sorted(
                (s for s in self.spans.values() if s.doc_id == doc.id), key=lambda s: s.sort_key
            )
            assert self.store.spans(doc.id) == expected
            assert sorted(self.store.relations(doc.id), key=lambda r: r.id) == sorted(
                (r for r in self.relations.values() if r.doc_id == doc.id), key=lambda r: r.id
            )
            assert self.store.status(doc.id) == self.status.get(doc.id, "new")
            assert self.store.rejected(doc.id) == self.rejected.get(doc.id, set())
        for span in self.spans.values():
            assert self.store.get_span(span.id) == span


StoreMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStoreProperties = StoreMachine.TestCase
