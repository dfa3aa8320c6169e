"""The review screen (annotator review): keys on candidates, asserting on GOLD after reopening."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.corpus import parse_article
from annotator.store import open_store
from annotator.team import close_inputs, open_inputs
from annotator.tui.review import ReviewApp
from annotator.tui.widgets.review_pane import ReviewPane

SIZE = (120, 40)

FIRST = """Ministers meet in Paris to discuss the budget
3 March 2025
President Emmanuel Macron said that France would raise defence spending.
"We will do what is needed," he told reporters in Paris.
"""
SECOND = """Floods close roads in Porto
4 March 2025
The mayor of Porto said that the river would peak on Friday.
"""


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return offset, offset + len(needle)


def _build(path: Path, who: str, plan: dict[str, list[tuple[str, str, int]]], links=()) -> None:
    with open_store(path, annotator=who) as store:
        for text, items in ((FIRST, plan["first"]), (SECOND, plan["second"])):
            doc = parse_article(text, path=f"{len(text)}.txt")
            store.add_document(doc)
            made = {}
            for needle, label, nth in items:
                made[(needle, label)] = store.add_span(doc, *_at(text, needle, nth), label)
            for head, child in links if text is FIRST else ():
                store.add_relation(made[head].id, made[child].id, "SOURCE")


ALICE = {
    "first": [
        ("President Emmanuel Macron", "ACTOR", 0),
        ("France", "LOCATION", 0),
        ("France would raise defence spending", "CLAIM", 0),
        ("Paris", "LOCATION", 0),
    ],
    "second": [("Porto", "LOCATION", 1), ("The mayor of Porto", "ACTOR", 0)],
}
BOB = {
    "first": [
        ("Emmanuel Macron", "ACTOR", 0),  # boundary disagreement
        ("France", "ACTOR", 0),  # label disagreement
        ("France would raise defence spending", "CLAIM", 0),  # agreed
        ("Paris", "LOCATION", 0),  # agreed (the title)
        ("Paris", "LOCATION", 1),  # only bob
    ],
    "second": [("Porto", "LOCATION", 1), ("The mayor", "ACTOR", 0)],
}
AGREED_FIRST = {
    (*_at(FIRST, "France would raise defence spending"), "CLAIM"),
    (*_at(FIRST, "Paris"), "LOCATION"),
}


@pytest.fixture
def team(tmp_path: Path):
    alice, bob = tmp_path / "alice.json", tmp_path / "bob.json"
    _build(
        alice,
        "alice",
        ALICE,
        links=[
            (
                ("France would raise defence spending", "CLAIM"),
                ("President Emmanuel Macron", "ACTOR"),
            )
        ],
    )
    _build(
        bob,
        "bob",
        BOB,
        links=[(("France would raise defence spending", "CLAIM"), ("Emmanuel Macron", "ACTOR"))],
    )
    return alice, bob, tmp_path / "gold.json"


def make_app(team, **kw) -> ReviewApp:
    alice, bob, gold = team
    inputs = open_inputs([alice, bob])
    store = open_store(gold, annotator="lead")
    app = ReviewApp(inputs, store, **kw)
    app._test_inputs = inputs  # closed by the test
    return app


def gold_keys(gold: Path, text: str = FIRST) -> dict[tuple[int, int, str], object]:
    doc_id = parse_article(text).id
    with open_store(gold, readonly=True) as store:
        return {s.key: s for s in store.spans(doc_id) if s.origin != "suggested"}


def gold_rejected(gold: Path, text: str = FIRST) -> set:
    with open_store(gold, readonly=True) as store:
        return store.rejected(parse_article(text).id)


async def test_agreed_spans_are_accepted_on_open_as_one_undo_step(team):
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.doc.text == FIRST
        assert set(gold_keys_live(app)) == AGREED_FIRST
        assert app.history.can_undo
        pane = app.query_one(ReviewPane)
        assert "5 disagreements left here" in pane.said
        assert "7 in the corpus (2 articles)" in pane.said
        await pilot.press("u")
        assert gold_keys_live(app) == {}
        await pilot.press("U")
        assert set(gold_keys_live(app)) == AGREED_FIRST
    close_inputs(app._test_inputs)
    stored = gold_keys(team[2])
    assert set(stored) == AGREED_FIRST
    for span in stored.values():
        assert span.origin == "reviewed"
        assert span.annotators == ("alice", "bob")
        assert span.annotator == "lead"


def gold_keys_live(app) -> dict:
    return {s.key: s for s in app.store.spans(app.doc.id) if s.origin != "suggested"}


async def test_next_accept_reject_and_who_tagged(team):
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.view.move_to(0)
        await pilot.press("full_stop")  # the first disagreement: President Emmanuel Macron
        pane = app.query_one(ReviewPane)
        start, end = _at(FIRST, "President Emmanuel Macron")
        assert app.view.cursor == start
        assert "tagged by alice (not bob)" in pane.said
        # side by side: alice's longer ACTOR, bob's shorter one
        assert "ACTOR President Emmanuel Macron" in pane.said
        assert "ACTOR Emmanuel Macron" in pane.said
        await pilot.press("y")  # accept alice's version; the cursor goes on to the next
        await pilot.press("n")  # reject the one there (bob's "Emmanuel Macron" starts later)
        assert "3 disagreements left here" in pane.said
    close_inputs(app._test_inputs)
    stored = gold_keys(team[2])
    assert stored[(start, end, "ACTOR")].annotators == ("alice",)
    assert stored[(start, end, "ACTOR")].origin == "reviewed"
    assert (*_at(FIRST, "Emmanuel Macron"), "ACTOR") in gold_rejected(team[2])
    # the SOURCE link alice made comes only with agreement; neither link is shared: none
    with open_store(team[2], readonly=True) as store:
        assert store.relations(parse_article(FIRST).id) == []


async def test_decisions_survive_reopening_and_undo_of_reject(team):
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.view.move_to(0)
        await pilot.press("full_stop", "n")
        await pilot.press("u")  # the rejection is undone
        assert gold_rejected_live(app) == set()
        await pilot.press("n")
    close_inputs(app._test_inputs)
    assert gold_rejected(team[2]) == {(*_at(FIRST, "President Emmanuel Macron"), "ACTOR")}
    # reopened: the decided candidate is not offered again, nothing is accepted twice
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.history.can_undo  # the agreed spans are in GOLD already
        keys = {c.key for c in app.review.disagreements(app.doc.id)}
        assert (*_at(FIRST, "President Emmanuel Macron"), "ACTOR") not in keys
        assert len(keys) == 4
    close_inputs(app._test_inputs)


def gold_rejected_live(app) -> set:
    return app.store.rejected(app.doc.id)


async def test_take_one_annotators_version_and_undo(team):
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("2")  # bob
        await pilot.pause()
        bob = {(*_at(FIRST, n, k), label) for n, label, k in BOB["first"]}
        assert set(gold_keys_live(app)) == bob
        assert app.review.left(app.doc.id) == 0
        # bob's link between spans now in GOLD came with his version
        (link,) = app.store.relations(app.doc.id)
        assert link.label == "SOURCE"
        await pilot.press("u")
        assert set(gold_keys_live(app)) == AGREED_FIRST
        assert app.review.left(app.doc.id) == 5
        await pilot.press("U")
    close_inputs(app._test_inputs)
    assert set(gold_keys(team[2])) == bob
    rejected = gold_rejected(team[2])
    assert (*_at(FIRST, "President Emmanuel Macron"), "ACTOR") in rejected
    assert (*_at(FIRST, "France"), "LOCATION") in rejected


async def test_m_marks_reviewed_and_opens_the_next_with_disagreements(team):
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert app.doc.text == SECOND
        # the second article's agreed LOCATION went in when it opened
        assert set(gold_keys_live(app)) == {(*_at(SECOND, "Porto", 1), "LOCATION")}
        assert "2 disagreements left here" in app.query_one(ReviewPane).said
        await pilot.press("m")
        await pilot.pause()
        assert "no article with disagreements left" in app.status_bar.info.message
    close_inputs(app._test_inputs)
    with open_store(team[2], readonly=True) as store:
        assert store.status(parse_article(FIRST).id) == "done"
        assert store.status(parse_article(SECOND).id) == "done"


async def test_no_accept_agreed_leaves_everything_to_decide(team):
    app = make_app(team, accept_agreed=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gold_keys_live(app) == {}
        assert app.review.left(app.doc.id) == 7  # the agreed ones too
        app.view.move_to(0)
        await pilot.press("full_stop")
        assert app.view.cursor == _at(FIRST, "Paris")[0]  # the agreed title LOCATION
        await pilot.press("y")
    close_inputs(app._test_inputs)
    assert set(gold_keys(team[2])) == {(*_at(FIRST, "Paris"), "LOCATION")}


async def test_relabel_a_candidate_accepts_it_under_the_new_label(team):
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.view.move_to(_at(FIRST, "Paris", 1)[0])  # bob's LOCATION Paris
        await pilot.pause()
        await pilot.press("r", "2")
    close_inputs(app._test_inputs)
    span = gold_keys(team[2])[(*_at(FIRST, "Paris", 1), "ACTOR")]
    assert span.origin == "reviewed" and span.annotators == ("bob",)


async def test_a_large_corpus_is_counted_in_another_process(team, monkeypatch):
    import annotator.tui.review as review_module

    monkeypatch.setattr(review_module, "COUNT_INLINE", 0)  # two articles count as large
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.query_one(ReviewPane)
        # counted from the files by the worker, then this session's own decisions on top
        assert "7 in the corpus (2 articles)" in pane.said
        app.view.move_to(0)
        await pilot.press("full_stop", "n")
        assert "6 in the corpus (2 articles)" in pane.said
    close_inputs(app._test_inputs)


async def test_help_explains_the_review_keys(team):
    import io

    from rich.console import Console

    from annotator.tui.screens.review_help import ReviewHelpScreen

    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, ReviewHelpScreen)
        console = Console(width=160, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help").content)
        shown = console.export_text()
        assert "take one annotator's version" in shown
        assert "train the suggestion model" not in shown  # T means "take a version" here
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewHelpScreen)
    close_inputs(app._test_inputs)


async def test_T_prompts_with_the_choices(team):
    """`T` says what the digits mean (1 = root's version, 2 = bob's) in the status line too, and
    the dialog fits a small terminal."""
    app = make_app(team)
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        before = app.status_bar.info.message
        await pilot.press("T")
        await pilot.pause()
        first, second = app.review.names
        message = app.status_bar.info.message
        assert message != before
        assert f"1 = {first}" in message and f"2 = {second}" in message
        from textual.widgets import OptionList

        assert app.screen.query_one(OptionList).outer_size.width <= 50
        await pilot.press("escape")
        await pilot.pause()
        assert "cancelled" in app.status_bar.info.message
    close_inputs(app._test_inputs)
