"""History: undo/redo of every store operation, many steps deep, same ids on redo."""

from __future__ import annotations

from annotator.corpus import parse_article
from annotator.history import History
from annotator.store import open_store

TEXT = "A title\nMr Zelenskyy said that Ukraine cannot retake Crimea.\n"


def _setup(tmp_path):
    store = open_store(tmp_path / "db.json", annotator="tester")
    doc = parse_article(TEXT, path="a.txt")
    store.add_document(doc)
    return store, doc, History(store)


def _keys(store, doc):
    return sorted((s.start, s.end, s.label) for s in store.spans(doc.id))


def test_add_undo_redo_keeps_id(tmp_path):
    store, doc, history = _setup(tmp_path)
    start = TEXT.index("Ukraine")
    span, created = history.add_span(doc, start, start + 7, "LOCATION")
    assert created
    history.undo()
    assert store.spans(doc.id) == []
    history.redo()
    (again,) = store.spans(doc.id)
    assert again.id == span.id and again.created == span.created
    store.close()


def test_duplicate_add_is_not_recorded(tmp_path):
    store, doc, history = _setup(tmp_path)
    history.add_span(doc, 8, 10, "ACTOR")
    _, created = history.add_span(doc, 8, 10, "ACTOR")
    assert not created and len(history) == 1
    store.close()


def test_remove_restores_relations(tmp_path):
    store, doc, history = _setup(tmp_path)
    claim, _ = history.add_span(doc, TEXT.index("Ukraine"), TEXT.index("."), "CLAIM")
    actor, _ = history.add_span(doc, 8, 20, "ACTOR")
    relation = history.add_relation(claim.id, actor.id, "SOURCE")
    history.remove_span(actor.id)
    assert store.relations(doc.id) == []
    history.undo()
    assert [r.id for r in store.relations(doc.id)] == [relation.id]
    history.redo()
    assert store.relations(doc.id) == [] and store.get_span(actor.id) is None
    history.undo()
    history.undo()  # the link
    assert store.relations(doc.id) == []
    history.redo()
    assert [r.id for r in store.relations(doc.id)] == [relation.id]
    store.close()


def test_relabel_status_origin_and_groups(tmp_path):
    store, doc, history = _setup(tmp_path)
    with history.group("tag first"):
        span, _ = history.add_span(doc, 8, 20, "ACTOR", origin="suggested")
        history.set_status(doc.id, "in_progress")
    history.relabel_span(span.id, "LOCATION")
    history.set_origin(span.id, "manual")
    history.set_status(doc.id, "done")
    assert store.status(doc.id) == "done"
    assert store.get_span(span.id).label == "LOCATION"
    for _ in range(3):
        history.undo()
    assert store.get_span(span.id).label == "ACTOR"
    assert store.get_span(span.id).origin == "suggested"
    assert store.status(doc.id) == "in_progress"
    history.undo()  # the group: span and status together
    assert store.spans(doc.id) == [] and store.status(doc.id) == "new"
    assert history.undo() is None
    for _ in range(4):
        history.redo()
    assert store.status(doc.id) == "done"
    assert store.get_span(span.id).label == "LOCATION"
    assert store.get_span(span.id).origin == "manual"
    assert history.redo() is None
    store.close()


def test_many_steps_and_new_change_clears_redo(tmp_path):
    store, doc, history = _setup(tmp_path)
    tokens = [(8, 10), (11, 20), (21, 25), (31, 38)]
    for start, end in tokens * 1:
        history.add_span(doc, start, end, "ACTOR")
    for start, end in tokens:
        history.add_span(doc, start, end, "CLAIM")
    assert len(_keys(store, doc)) == 8
    for _ in range(8):
        history.undo()
    assert _keys(store, doc) == []
    for _ in range(5):
        history.redo()
    assert len(_keys(store, doc)) == 5
    history.add_span(doc, 39, 45, "LOCATION")
    assert not history.can_redo
    store.close()
    reopened = open_store(tmp_path / "db.json", readonly=True)
    assert len(reopened.spans(doc.id)) == 6
