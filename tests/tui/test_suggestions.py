"""Suggestions in the TUI (S y n Y . and the background run on open), asserting on the store."""

from __future__ import annotations

import json

from tui_helpers import at

from annotator.export import export
from annotator.tui.suggesting import next_after, pending

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    """Let the suggestion worker finish and its chunks be written on the main thread."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def suggested(app):
    return [s for s in app.store.spans(app.doc.id) if s.origin == "suggested"]


def manual(app):
    return [s for s in app.store.spans(app.doc.id) if s.origin == "manual"]


def find(app, label: str, text: str, nth: int = 0):
    spans = [s for s in app.store.spans(app.doc.id) if (s.label, s.text) == (label, text)]
    return spans[nth] if len(spans) > nth else None


async def test_S_runs_engines_in_background_and_writes_suggestions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert suggested(app) == []
        await pilot.press("S")
        await settle(app, pilot)
        spans = suggested(app)
        assert len(spans) > 30
        assert all(s.annotator.startswith("suggest:") for s in spans)
        assert find(app, "ACTOR", "Volodymyr Zelenskyy") is not None
        assert find(app, "LOCATION", "Crimea") is not None
        assert all(app.doc.text[s.start : s.end] == s.text for s in spans)
        # not a user action: nothing to undo, the article stays new
        assert not app.history.can_undo
        assert app.store.status(app.doc.id) == "new"
        # the view and the label bar know about them
        assert len([s for s in app.view.spans if s.origin == "suggested"]) == len(spans)
        bar = str(app.query_one("#labels").render())
        assert f"{len(spans)} suggested" in bar
        # a second run adds nothing (no duplicates)
        await pilot.press("S")
        await settle(app, pilot)
        assert len(suggested(app)) == len(spans)
        assert "no new suggestions" in app.status_bar.info.message


async def test_suggestions_run_on_first_open_only_without_spans(make_app):
    app = make_app(suggest_on_open=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.doc.id
        assert len(suggested(app)) > 30
        await pilot.press("greater_than_sign")  # the second article: pre-annotated too
        await settle(app, pilot)
        assert app.doc.id != first
        assert find(app, "ACTOR", "Emmanuel Macron") or find(
            app, "ACTOR", "President Emmanuel Macron"
        )


async def test_no_run_on_open_when_disabled(make_app):
    app = make_app(suggest_on_open=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.store.spans(app.doc.id) == []


async def test_dot_jumps_to_next_suggestion_wrapping(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        starts = sorted({s.start for s in suggested(app)})
        app.view.move_to(starts[0])
        await pilot.press("full_stop")
        assert app.view.cursor == starts[1]
        await pilot.press("full_stop")
        assert app.view.cursor == starts[2]
        app.view.move_to(starts[-1])
        await pilot.press("full_stop")  # wraps
        assert app.view.cursor == starts[0]


async def test_y_accepts_moves_on_and_undo(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        span = find(app, "ACTOR", "Volodymyr Zelenskyy")
        await at(app, pilot, "Volodymyr Zelenskyy has")
        await pilot.press("y")
        accepted = app.store.get_span(span.id)
        assert accepted.origin == "manual" and accepted.key == span.key
        assert app.store.status(app.doc.id) == "in_progress"
        # auto-advance: the cursor is on the next suggestion
        assert app.view.cursor == next_after(app.store.spans(app.doc.id), span.start).start
        assert app.view.cursor > span.start
        await pilot.press("u")
        assert app.store.get_span(span.id).origin == "suggested"
        assert app.store.status(app.doc.id) == "new"
        assert app.view.cursor == span.start  # undo goes back there
        await pilot.press("U")
        assert app.store.get_span(span.id).origin == "manual"


async def test_y_on_nested_suggestions_takes_the_innermost_then_the_outer(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        claim = find(app, "CLAIM", "Ukraine cannot retake the territories that Russia has annexed")
        actor = find(app, "ACTOR", "Ukraine", 1)
        assert claim.start == actor.start
        app.view.move_to(claim.start)
        await pilot.press("y")  # the ACTOR (innermost); the CLAIM starts here too: stay
        assert app.store.get_span(actor.id).origin == "manual"
        assert app.view.cursor == claim.start
        await pilot.press("y")
        assert app.store.get_span(claim.id).origin == "manual"
        russia = find(app, "ACTOR", "Russia", 1)
        assert app.view.cursor == russia.start


async def test_n_rejects_is_not_reoffered_and_undo_brings_it_back(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        # any suggestion can be rejected (a user may disagree with a right one): Norway is
        # suggested on the seed by the gazetteer and occurs once
        us = find(app, "LOCATION", "Norway")
        assert us is not None
        app.view.move_to(us.start)
        await pilot.press("n")
        assert app.store.get_span(us.id) is None
        assert us.key in app.store.rejected(app.doc.id)
        assert app.view.cursor > us.start  # moved on to the next suggestion
        await pilot.press("S")
        await settle(app, pilot)
        assert find(app, "LOCATION", "Norway") is None  # not offered again
        await pilot.press("u")  # undo the rejection (the S run is not in the history)
        assert app.store.get_span(us.id) is not None
        assert us.key not in app.store.rejected(app.doc.id)
        await pilot.press("U")
        assert app.store.get_span(us.id) is None
        assert us.key in app.store.rejected(app.doc.id)
        await pilot.press("ctrl+q")
    from annotator.store import open_store

    with open_store(db_path, readonly=True) as store:  # the rejection is durable
        assert any(us.key in store.rejected(info.id) for info in store.documents())


async def test_Y_accepts_the_sentence_in_one_undo_step(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        start = await at(app, pilot, "The Ukrainian president said")
        sentence = app.index.sentence_at(start)
        inside = [s for s in suggested(app) if sentence.start <= s.start < sentence.end]
        assert len(inside) >= 5  # actor, claim, Crimea, eastern Ukraine, Kyiv
        await pilot.press("Y")
        for span in inside:
            assert app.store.get_span(span.id).origin == "manual"
        assert app.view.cursor >= sentence.end  # on to the next suggestion
        others = [s for s in suggested(app) if not sentence.start <= s.start < sentence.end]
        assert others  # the rest stay suggestions
        await pilot.press("u")
        for span in inside:
            assert app.store.get_span(span.id).origin == "suggested"


async def test_suggestions_never_overwrite_or_duplicate_manual_spans(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "Crimea and eastern")
        await pilot.press("2")  # a (wrong, but the user's) ACTOR on Crimea
        await at(app, pilot, "Volodymyr Zelenskyy has")
        await pilot.press("shift+right", "shift+right", "2")
        before = {(s.id, s.key, s.origin, s.annotator) for s in manual(app)}
        assert len(before) == 2
        await pilot.press("S")
        await settle(app, pilot)
        after = {(s.id, s.key, s.origin, s.annotator) for s in manual(app)}
        assert after == before
        crimea = app.doc.text.index("Crimea and eastern")
        at_crimea = [s for s in app.store.spans(app.doc.id) if s.start == crimea]
        assert [(s.label, s.origin) for s in at_crimea] == [("ACTOR", "manual")]
        keys = [s.key for s in app.store.spans(app.doc.id)]
        assert len(keys) == len(set(keys))


async def test_tag_key_on_a_suggestion_accepts_or_corrects_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        span = find(app, "ACTOR", "Ukraine", 1)  # "Ukraine cannot retake"
        app.view.move_to(span.start)
        await pilot.press("shift+right", "3")  # the user says LOCATION for that extent
        fixed = app.store.get_span(span.id)
        assert (fixed.label, fixed.origin) == ("LOCATION", "manual")
        same = [
            s for s in app.store.spans(app.doc.id) if (s.start, s.end) == (span.start, span.end)
        ]
        assert len(same) == 1
        await pilot.press("u")  # one step: back to the ACTOR suggestion
        back = app.store.get_span(span.id)
        assert (back.label, back.origin) == ("ACTOR", "suggested")


async def test_delete_on_a_suggestion_rejects_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        span = find(app, "LOCATION", "Norway")
        app.view.move_to(span.start)
        await pilot.press("d")
        assert app.store.get_span(span.id) is None
        assert span.key in app.store.rejected(app.doc.id)
        assert app.view.cursor == span.start  # d does not move on


async def test_export_leaves_out_unaccepted_suggestions(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        span = find(app, "LOCATION", "Black Sea")
        app.view.move_to(span.start)
        await pilot.press("y")
        out = tmp_path / "out.jsonl"
        export(app.store, "doccano", out)
        (line,) = [json.loads(x) for x in out.read_text().splitlines() if x.strip()]
        assert line["label"] == [[span.start, span.end, "LOCATION"]]
        out2 = tmp_path / "all.jsonl"
        export(app.store, "doccano", out2, include_suggestions=True)
        (line2,) = [json.loads(x) for x in out2.read_text().splitlines() if x.strip()]
        assert len(line2["label"]) == len(pending(app.store.spans(app.doc.id))) + 1


async def test_keys_without_suggestions_say_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("full_stop")
        assert "no suggestions" in app.status_bar.info.message
        await pilot.press("y")
        assert "no suggestion under the cursor" in app.status_bar.info.message
        await pilot.press("Y")
        assert "no suggestions in this sentence" in app.status_bar.info.message
        assert app.store.spans(app.doc.id) == []


def test_history_accept_records_who_accepted_and_undo_puts_it_back(tmp_path):
    from annotator.history import History
    from annotator.model import Document
    from annotator.store import open_store

    doc = Document(id="d1", text="Kyiv said so.")
    with open_store(tmp_path / "db.json", annotator="ana") as store:
        span = store.add_span(doc, 0, 4, "ACTOR", origin="suggested", annotator="suggest:gazetteer")
        history = History(store)
        history.accept_suggestion(span.id, "ana")
        got = store.get_span(span.id)
        assert (got.origin, got.annotator) == ("manual", "ana")
        history.undo()
        got = store.get_span(span.id)
        assert (got.origin, got.annotator) == ("suggested", "suggest:gazetteer")
        history.redo()
    with open_store(tmp_path / "db.json", readonly=True) as store:
        got = store.get_span(span.id)
        assert (got.origin, got.annotator) == ("manual", "ana")


async def test_e_selects_the_suggested_name_under_the_cursor(make_app):
    """`e` on the V of a suggested "Volodymyr Zelenskyy" selects it (as without suggestions)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("S")
        await settle(app, pilot)
        span = find(app, "ACTOR", "Volodymyr Zelenskyy")
        assert span is not None and span.origin == "suggested"
        app.view.move_to(span.start)
        await pilot.pause()
        await pilot.press("e")
        assert app.view.selection == (span.start, span.end)
        await pilot.press("2")  # tagging it as suggested accepts the suggestion
        accepted = find(app, "ACTOR", "Volodymyr Zelenskyy")
        assert accepted is not None and accepted.origin != "suggested"


async def test_m_with_suggestions_left_asks_before_marking_done(make_app):
    """Unreviewed suggestions are not exported: `m` asks first (m again, Y, Esc or any key)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        doc_id = app.doc.id
        left = len(suggested(app))
        assert left > 1
        await pilot.press("m")
        assert app.store.status(doc_id) == "new" and app.doc.id == doc_id
        message = app.status_bar.info.message
        assert message.startswith(f"{left} suggestions not reviewed")
        assert "m: mark done anyway" in message and "Y: accept all, mark done" in message
        assert "Esc: cancel" in message
        await pilot.press("escape")
        assert app.store.status(doc_id) == "new"
        assert app.status_bar.info.message == "cancelled: not marked done"
        await pilot.press("m", "right")  # any other key cancels too (the question goes)
        assert app.status_bar.info.message == ""
        await pilot.press("m")
        assert app.store.status(doc_id) == "new"  # asks again: a lone m never marks done
        await pilot.press("m")  # m m: done anyway, the suggestions stay as they were
        assert app.store.status(doc_id) == "done"
        assert app.doc.id != doc_id
        assert len([s for s in app.store.spans(doc_id) if s.origin == "suggested"]) == left
        await pilot.press("u")
        assert app.doc.id == doc_id and app.store.status(doc_id) == "new"
        await pilot.press("m", "Y")  # accept them all and mark done: one undo step
        assert app.store.status(doc_id) == "done"
        assert app.doc.id != doc_id
        spans = app.store.spans(doc_id)
        assert [s for s in spans if s.origin == "suggested"] == []
        assert len([s for s in spans if s.origin == "manual"]) == left
        assert app.status_bar.info.message.startswith(f"saved · accepted {left}, marked done")
        await pilot.press("u")
        assert app.doc.id == doc_id and app.store.status(doc_id) == "new"
        assert len(suggested(app)) == left


async def test_m_without_suggestions_left_marks_done_at_once(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await settle(app, pilot)
        doc_id = app.doc.id
        await pilot.press("g")
        while suggested(app):
            await pilot.press("full_stop", "n")
        await pilot.press("m")
        assert app.store.status(doc_id) == "done"
        assert app.doc.id != doc_id
