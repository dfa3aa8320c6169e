"""Rejected suggestions live in the store: one journal line, undoable, durable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.model import AnnotationError, Document
from annotator.store import NotFound, open_store
from annotator.suggest import load_rejections, record_rejection, reject

TEXT = "Mr Putin said on Tuesday that Kyiv would fall within days, officials said."


def make_doc(doc_id: str = "doc1") -> Document:
    return Document(id=doc_id, text=TEXT, path=f"{doc_id}.txt", title="Title")


def journal_lines(db: Path) -> list[dict]:
    path = db.with_name(db.name + ".journal")
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def crash(store) -> None:
    """Drop the store like a killed process would: no compaction, lock released."""
    store._journal.close()
    store._lock.release()
    store._closed = True


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def test_reject_is_one_line_removes_relations_and_is_undoable(db: Path) -> None:
    doc = make_doc()
    with open_store(db, annotator="t") as store:
        claim = store.add_span(doc, 0, 57, "CLAIM")
        actor = store.add_span(doc, 0, 8, "ACTOR", origin="suggested")
        rel = store.add_relation(claim.id, actor.id, "SOURCE")
        rels = store.relations_of(actor.id)
        lines = len(journal_lines(db))
        assert store.reject_suggestion(actor.id) == actor
        assert len(journal_lines(db)) == lines + 1
        last = journal_lines(db)[-1]
        assert last["op"] == "reject_suggestion"
        assert last["del"] == [["span", actor.id], ["rel", rel.id]]
        assert store.get_span(actor.id) is None and store.relations("doc1") == []
        assert store.rejected("doc1") == {(0, 8, "ACTOR")}
        assert store.rejected("unknown") == set()

        lines = len(journal_lines(db))
        assert store.unreject(actor, rels) == actor
        assert len(journal_lines(db)) == lines + 1
        assert store.rejected("doc1") == set()
        assert store.get_span(actor.id) == actor and store.relations("doc1") == [rel]
        lines = len(journal_lines(db))
        store.unreject(actor, rels)  # nothing left to undo: no write
        assert len(journal_lines(db)) == lines


def test_only_suggestions_can_be_rejected(db: Path) -> None:
    with open_store(db) as store:
        manual = store.add_span(make_doc(), 0, 8, "ACTOR")
        with pytest.raises(AnnotationError, match="not a suggestion"):
            store.reject_suggestion(manual.id)
        with pytest.raises(NotFound):
            store.reject_suggestion("nope")
        assert store.get_span(manual.id) == manual and store.rejected("doc1") == set()


@pytest.mark.parametrize("how", ["close", "compact", "crash"])
def test_rejections_survive_reopen_compaction_and_crash(db: Path, how: str) -> None:
    doc = make_doc()
    store = open_store(db)
    kept = store.add_span(doc, 30, 34, "LOCATION", origin="suggested")
    gone = store.add_span(doc, 0, 8, "ACTOR", origin="suggested")
    back = store.add_span(doc, 14, 24, "CLAIM", origin="suggested")
    if how == "compact":
        store.compact()
    store.reject_suggestion(gone.id)
    store.reject_suggestion(back.id)
    store.unreject(back)
    if how == "compact":
        store.compact()
        assert journal_lines(db) == []
    if how == "crash":
        crash(store)
    else:
        store.close()
    with open_store(db, readonly=True) as view:
        assert view.rejected("doc1") == {(0, 8, "ACTOR")}
    with open_store(db) as store:
        assert store.rejected("doc1") == {(0, 8, "ACTOR")}
        assert store.spans("doc1") == sorted([kept, back], key=lambda s: s.sort_key)
    with open_store(db) as store:  # and again after the compaction on the last close
        assert store.rejected("doc1") == {(0, 8, "ACTOR")}


def test_failed_reject_leaves_nothing_behind(db: Path, monkeypatch) -> None:
    from annotator.store import journal as journal_mod

    with open_store(db) as store:
        span = store.add_span(make_doc(), 0, 8, "ACTOR", origin="suggested")

        def full(fd, data):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(journal_mod.os, "write", full)
        with pytest.raises(Exception, match="No space left"):
            store.reject_suggestion(span.id)
        monkeypatch.undo()
        assert store.get_span(span.id) == span and store.rejected("doc1") == set()


def test_wrappers_in_suggest_rejections(db: Path) -> None:
    doc = make_doc()
    with open_store(db) as store:
        a = store.add_span(doc, 0, 8, "ACTOR", origin="suggested")
        b = store.add_span(doc, 30, 34, "LOCATION", origin="suggested")
        assert reject(store, a.id) == a
        record_rejection(store, "doc1", b.start, b.end, b.label)
        with pytest.raises(KeyError):
            record_rejection(store, "doc1", 1, 2, "ACTOR")
        expected = {("doc1", 0, 8, "ACTOR"), ("doc1", 30, 34, "LOCATION")}
        assert load_rejections(store) == expected
        assert load_rejections(db) == expected  # read-only while the writer holds the lock
    assert load_rejections(db) == expected
    assert load_rejections(db.with_name("missing.json")) == set()
    assert not db.with_name("missing.json").exists()
