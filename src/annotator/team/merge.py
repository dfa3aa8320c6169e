"""``annotator merge``: a new database with the spans and links enough annotators share.

A span is kept when at least ``min_agree`` inputs have it with the same (start, end, label);
it gets origin ``merged`` and records who had it (``Span.annotators``). A link is kept when
that many inputs have it between the same two spans (both ends matched exactly). The plan is
computed in memory from the read-only inputs first; only then is the output opened, so bad
input writes nothing. Each document is written as one journal record when the store offers
batches, and the output is never one of the inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.model import Document, Relation, Span, make_span, new_id, utc_now
from annotator.store import Store, open_store

from .inputs import AnnotatorDB, TeamError, common_documents, same_file

Key = tuple[int, int, str]
LinkKey = tuple[Key, Key, str]


@dataclass
class MergedDocument:
    doc: Document
    spans: list[tuple[Key, tuple[str, ...]]]  # key, who had it (input order)
    links: list[tuple[LinkKey, tuple[str, ...]]]
    done: bool


@dataclass
class MergeReport:
    out: str
    documents: int = 0
    spans: int = 0
    links: int = 0
    by_label: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        labels = ", ".join(f"{label} {n}" for label, n in self.by_label.items())
        return (
            f"merged {self.documents} documents into {self.out}: {self.spans} spans"
            + (f" ({labels})" if labels else "")
            + f", {self.links} links"
        )


def link_keys(spans: Sequence[Span], relations: Sequence[Relation]) -> set[LinkKey]:
    """Each link as (head key, child key, label): comparable across databases."""
    by_id = {s.id: s for s in spans}
    keys = set()
    for rel in relations:
        head, child = by_id.get(rel.head), by_id.get(rel.child)
        if head is not None and child is not None:
            keys.add((head.key, child.key, rel.label))
    return keys


def plan(inputs: Sequence[AnnotatorDB], min_agree: int | None = None) -> list[MergedDocument]:
    """What the merge writes, computed from the inputs alone (nothing is opened for writing)."""
    need = len(inputs) if min_agree is None else min_agree
    if not 1 <= need <= len(inputs):
        raise TeamError(f"--min-agree must be between 1 and {len(inputs)} (got {need})")
    planned = []
    for doc_id in common_documents(inputs, at_least=need):
        holders = [db for db in inputs if doc_id in db.store]
        span_votes: dict[Key, list[str]] = {}
        link_votes: dict[LinkKey, list[str]] = {}
        for db in holders:
            spans = db.spans(doc_id)
            for key in dict.fromkeys(s.key for s in spans):
                span_votes.setdefault(key, []).append(db.name)
            for key in link_keys(spans, db.store.relations(doc_id)):
                link_votes.setdefault(key, []).append(db.name)
        info = holders[0].store.document(doc_id)
        assert info is not None
        kept = sorted(
            ((k, tuple(v)) for k, v in span_votes.items() if len(v) >= need),
            key=lambda item: (item[0][0], -item[0][1], item[0][2]),
        )
        links = sorted((k, tuple(v)) for k, v in link_votes.items() if len(v) >= need)
        done = all(db.store.status(doc_id) == "done" for db in holders)
        planned.append(MergedDocument(info.to_document(), kept, links, done))
    return planned


def check_output(out: str | Path, inputs: Sequence[AnnotatorDB]) -> Path:
    """Refuse to write into an input (same resolved path or same inode) or a store in use."""
    path = Path(out).expanduser()
    for db in inputs:
        if same_file(path, db.path):
            raise TeamError(f"{out} is one of the inputs ({db.path}); merge writes a new database")
    if path.is_dir():
        raise TeamError(f"{out} is a folder, not an annotations database")
    if not path.parent.expanduser().is_dir():
        raise TeamError(f"cannot write {out}: folder {path.parent} does not exist")
    return path


def write_document(
    store: Store,
    doc: Document,
    spans: Sequence[Span],
    links: Sequence[tuple[Span, Span, str]],
    *,
    origin: str,
    status: str | None = None,
) -> list[Span]:
    """Add ``doc`` with ``spans`` (ids, annotators kept) and ``links``: one journal record
    with the store's batches, else one per change. Returns the spans as stored."""
    batch = getattr(store, "batch", None)
    if batch is not None and hasattr(store, "add_spans"):
        with batch():
            stored = _write(store, doc, spans, links, origin, status, batched=True)
    else:
        stored = _write(store, doc, spans, links, origin, status, batched=False)
    return stored


def _write(
    store: Store,
    doc: Document,
    spans: Sequence[Span],
    links: Sequence[tuple[Span, Span, str]],
    origin: str,
    status: str | None,
    *,
    batched: bool,
) -> list[Span]:
    store.add_document(doc)
    for label in dict.fromkeys(s.label for s in spans):
        if label not in store.schema:
            store.declare_label(label)
    if batched:
        stored = list(store.add_spans(doc, list(spans), origin=origin))  # type: ignore[attr-defined]
    else:
        stored = [store.restore_span(span) for span in spans]
    ids = {s.key: s.id for s in stored}
    for head, child, label in links:
        store.add_relation(ids[head.key], ids[child.key], label, origin=origin)
    if status is not None and store.status(doc.id) != status:
        store.set_status(doc.id, status)
    return stored


def merge(
    inputs: Sequence[AnnotatorDB],
    out: str | Path,
    *,
    min_agree: int | None = None,
    annotator: str | None = None,
) -> MergeReport:
    """Write the merge of ``inputs`` into the new database ``out``."""
    path = check_output(out, inputs)
    planned = plan(inputs, min_agree)
    from annotator.store import store_exists

    if store_exists(path):
        with open_store(path, readonly=True) as existing:
            held = sum(1 for _ in existing.documents())
        if held:
            raise TeamError(
                f"{out} already holds {held} documents; merge writes a new database "
                "(choose another file)"
            )
    report = MergeReport(str(out))
    with open_store(path, annotator=annotator) as store:
        who = store.annotator
        for item in planned:
            doc = item.doc
            now = utc_now()
            spans = {
                key: make_span(
                    doc.id,
                    doc.text,
                    key[0],
                    key[1],
                    key[2],
                    annotator=who,
                    origin="merged",
                    span_id=new_id(),
                    created=now,
                    annotators=names,
                )
                for key, names in item.spans
            }
            links = [(spans[h], spans[c], label) for (h, c, label), _names in item.links]
            write_document(
                store,
                doc,
                list(spans.values()),
                links,
                origin="merged",
                status="done" if item.done else ("in_progress" if spans else None),
            )
            report.documents += 1
            report.spans += len(spans)
            report.links += len(links)
            report.by_label.update(key[2] for key in spans)
    return report
