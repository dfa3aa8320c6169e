"""Link mode (issue 5): k / b / x / o with hint letters, asserting on the store."""

from __future__ import annotations

from tui_helpers import at

from annotator.corpus import load_corpus
from annotator.model import DEFAULT_RELATIONS
from annotator.store import open_store
from annotator.text import TextIndex
from annotator.tui.hint_mode import HintMode
from annotator.tui.linking import hint_labels, rank_candidates
from annotator.tui.widgets.span_panel import SpanPanel

SIZE = (120, 40)

# (label, text, context): ``text`` at its first occurrence inside the first occurrence of context
SPANS = [
    ("CLAIM", "Ukraine cannot retake the territories that Russia has annexed", None),
    ("ACTOR", "Volodymyr Zelenskyy", "Volodymyr Zelenskyy has admitted"),
    ("ACTOR", "Ukraine", "Ukraine cannot retake"),
    ("ACTOR", "Russia", "Russia has annexed"),
    ("ACTOR", "The Ukrainian president", None),
    ("CLAIM", "the only way that Crimea", "the only way that Crimea"),  # widened below
    ("LOCATION", "Crimea", "Crimea and eastern"),
    ("ACTOR", "Kyiv", "Kyiv's control"),
    ("ACTOR", "Donald Trump", None),
    ("ACTOR", "Mr Trump", None),
    ("CLAIM", "very vehemently with sending missiles hundreds of miles into Russia", None),
    ("ACTOR", "Time Magazine", None),
    ("CLAIM", "he would not abandon Kyiv", None),
    ("ACTOR", "Kyiv", "abandon Kyiv"),
]
ONLY_WAY = (
    "the only way that Crimea and eastern Ukraine could be brought back under Kyiv's control"
    " was via diplomacy"
)


def _offsets(text: str, span_text: str, context: str | None) -> tuple[int, int]:
    at = text.index(context or span_text)
    if context and span_text in context:
        at += context.index(span_text)
    return at, at + len(span_text)


def annotate(corpus_dir, db_path) -> dict[tuple[str, str], str]:
    """Tag the spans above in the seed article; returns (label, text[, nth]) -> span id."""
    corpus = load_corpus(corpus_dir)
    doc = next(d for d in corpus.documents if d.path.startswith("000_"))
    ids: dict[tuple[str, str], str] = {}
    with open_store(db_path, annotator="tester") as store:
        store.add_document(doc)
        for label, span_text, context in SPANS:
            if span_text == "the only way that Crimea":
                span_text = ONLY_WAY
            start, end = _offsets(doc.text, span_text, context)
            span = store.add_span(doc, start, end, label)
            name = (label, span_text if context != "abandon Kyiv" else "Kyiv 2")
            ids[name] = span.id
    return ids


def relations(app) -> set[tuple[str, str, str]]:
    by_id = {s.id: s for s in app.store.spans(app.doc.id)}
    return {
        (by_id[r.head].text[:20], r.label, by_id[r.child].text)
        for r in app.store.relations(app.doc.id)
    }


def hints(app) -> dict[str, str]:
    return {letter: span.text for _start, letter, span in app.view._hints}


# ---------------------------------------------------------------------- pure parts


def test_hint_labels_are_prefix_free_and_nearest_single():
    assert hint_labels(3) == ["a", "s", "d"]
    assert hint_labels(9) == list("asdfghjkl")
    ten = hint_labels(10)
    assert ten[:8] == list("asdfghjk") and all(len(h) == 2 for h in ten[8:])
    for n in (10, 30, 81, 82, 200):
        labels = hint_labels(n)
        assert len(labels) == len(set(labels)) == n
        assert len(labels[0]) == (1 if n < 81 else 2)
        assert not any(a != b and b.startswith(a) for a in labels for b in labels)
        assert [len(h) for h in labels] == sorted(len(h) for h in labels)


def test_hint_mode_two_letters():
    mode = HintMode("d", None, "SOURCE", {"a": 1, "la": 2, "ls": 3})  # type: ignore[arg-type]
    assert mode.feed("l") == ("more", None)
    assert mode.feed("s") == ("done", 3)
    assert HintMode("d", None, "SOURCE", {"a": 1}).feed("q") == ("miss", None)  # type: ignore[arg-type]


def test_ranking_same_sentence_before_previous_sentences(corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    with open_store(db_path) as store:
        info = next(iter(store.documents()))
        spans = store.spans(info.id)
        index = TextIndex(info.text)
        (claim,) = [s for s in spans if s.text == "he would not abandon Kyiv"]
        ranked = rank_candidates(claim, spans, [], index, "SOURCE", DEFAULT_RELATIONS)
        names = [s.text for s in ranked]
        # same sentence, nearest before first; the actor inside the claim after the others of
        # its sentence; then earlier sentences, nearest first
        assert names[:2] == ["Time Magazine", "Mr Trump"]
        assert names.index("Donald Trump") > names.index("Mr Trump")
        assert names.index("Donald Trump") < names.index("The Ukrainian president")
        assert all(s.label == "ACTOR" for s in ranked)
        (title_claim,) = [s for s in spans if s.text.startswith("Ukraine cannot retake")]
        ranked = rank_candidates(title_claim, spans, [], index, "ABOUT", DEFAULT_RELATIONS)
        # ABOUT: what is inside the claim first, then the speaker before it
        assert [s.text for s in ranked[:3]] == ["Ukraine", "Russia", "Volodymyr Zelenskyy"]


# ---------------------------------------------------------------------- through the app


async def test_k_then_a_links_the_nearest_actor(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "cannot retake")  # inside the claim (and not on a nested actor)
        await pilot.press("k")
        assert hints(app)["a"] == "Volodymyr Zelenskyy"
        assert "link SOURCE: press a hint letter (Esc cancels)" in app.status_bar.info.message
        await pilot.press("a")
        assert relations(app) == {("Ukraine cannot retak", "SOURCE", "Volodymyr Zelenskyy")}
        assert hints(app) == {} and app._hint_mode is None
        assert app.status_bar.info.message.startswith("saved")
        panel = app.query_one(SpanPanel)
        texts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any("← SOURCE Volodymyr Zelenskyy" in t for t in texts)
        assert any("⚠ no source" in t for t in texts)
        assert any("⚠3 no source" in t for t in texts)
        await pilot.press("ctrl+q")
    with open_store(db_path, readonly=True) as store:
        info = next(iter(store.documents()))
        (rel,) = store.relations(info.id)
        assert (rel.label, store.get_span(rel.child).text) == ("SOURCE", "Volodymyr Zelenskyy")


async def test_cursor_on_nested_actor_uses_the_claim_around_it(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "Ukraine cannot retake")  # ACTOR Ukraine inside the CLAIM
        await pilot.press("k", "a")
        assert relations(app) == {("Ukraine cannot retak", "SOURCE", "Volodymyr Zelenskyy")}


async def test_second_hint_follows_the_ranking(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "he would not abandon")
        await pilot.press("k")
        assert hints(app)["a"] == "Time Magazine" and hints(app)["s"] == "Mr Trump"
        await pilot.press("s")
        assert relations(app) == {("he would not abandon", "SOURCE", "Mr Trump")}


async def test_b_links_about_to_a_location(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "the only way")
        await pilot.press("b")
        assert hints(app)["a"] == "Crimea"
        assert "link ABOUT" in app.status_bar.info.message
        await pilot.press("a")
        assert relations(app) == {("the only way that Cr", "ABOUT", "Crimea")}
        panel = app.query_one(SpanPanel)
        texts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any("→ ABOUT Crimea" in t for t in texts)


async def test_x_unlinks_one_and_several_and_undo_redo(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "the only way")
        await pilot.press("k", "a")  # SOURCE The Ukrainian president
        assert relations(app) == {("the only way that Cr", "SOURCE", "The Ukrainian president")}
        await pilot.press("u")
        assert relations(app) == set()
        await pilot.press("U")
        assert relations(app) == {("the only way that Cr", "SOURCE", "The Ukrainian president")}
        await at(app, pilot, "the only way")
        await pilot.press("x")  # one link: removed at once
        assert relations(app) == set()
        await pilot.press("u")  # undo the unlink
        assert relations(app) == {("the only way that Cr", "SOURCE", "The Ukrainian president")}
        await pilot.press("U")
        assert relations(app) == set()
        await pilot.press("u")
        await at(app, pilot, "the only way")
        await pilot.press("b", "a")  # ABOUT Crimea
        assert len(relations(app)) == 2
        await pilot.press("x")  # two links: hints on the linked spans, in reading order
        assert hints(app) == {"a": "The Ukrainian president", "s": "Crimea"}
        assert "unlink" in app.status_bar.info.message
        await pilot.press("s")
        assert relations(app) == {("the only way that Cr", "SOURCE", "The Ukrainian president")}
        await pilot.press("u")
        assert len(relations(app)) == 2


async def test_o_jumps_to_the_next_claim_without_source(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        text = app.doc.text
        starts = [
            text.index(t)
            for t in ("Ukraine cannot retake", "the only way", "very vehemently", "he would not")
        ]
        await at(app, pilot, "Ukraine cannot retake")
        await pilot.press("k", "a")  # the first claim has its source now
        await pilot.press("o")
        assert app.view.cursor == starts[1]
        await pilot.press("o", "o")
        assert app.view.cursor == starts[3]
        await pilot.press("o")  # wraps, skipping the sourced first claim
        assert app.view.cursor == starts[1]
        # o k a for each: the annotator finishes the article
        for _ in range(3):
            await pilot.press("k", "a", "o")
        assert "every claim has a source" in app.status_bar.info.message
        heads = {r.head for r in app.store.relations(app.doc.id) if r.label == "SOURCE"}
        assert len(heads) == 4


async def test_deleting_a_linked_span_removes_the_link_and_undo_restores(
    make_app, corpus_dir, db_path
):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "cannot retake")
        await pilot.press("k", "a")
        await at(app, pilot, "Volodymyr Zelenskyy has")
        await pilot.press("d")
        assert relations(app) == set()
        assert "Volodymyr Zelenskyy" not in [s.text for s in app.store.spans(app.doc.id)]
        await pilot.press("u")
        assert relations(app) == {("Ukraine cannot retak", "SOURCE", "Volodymyr Zelenskyy")}
        await pilot.press("U")
        assert relations(app) == set()
        await pilot.press("u")
        # deleting the claim itself takes its links too
        await at(app, pilot, "cannot retake")
        await pilot.press("d")
        assert relations(app) == set()
        await pilot.press("u")
        assert relations(app) == {("Ukraine cannot retak", "SOURCE", "Volodymyr Zelenskyy")}


async def test_escape_and_other_keys_cancel_without_changes(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        spans_before = len(app.store.spans(app.doc.id))
        await at(app, pilot, "cannot retake")
        cursor = app.view.cursor
        await pilot.press("k")
        assert hints(app)
        await pilot.press("escape")
        assert hints(app) == {} and app._hint_mode is None
        assert app.status_bar.info.message == "cancelled"
        # in hint mode keys are hints, not commands: "2" (tag ACTOR) and "down" do nothing
        await pilot.press("k", "down")
        assert app.view.cursor == cursor and app._hint_mode is None
        await pilot.press("k", "2")
        assert app.store.relations(app.doc.id) == []
        assert len(app.store.spans(app.doc.id)) == spans_before
        assert not app.history.can_undo


async def test_not_on_a_claim_notifies_and_changes_nothing(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "His comments")
        for key in ("k", "b", "x"):
            await pilot.press(key)
            assert app._hint_mode is None
            assert "put the cursor on a claim" in app.status_bar.info.message
        assert any("put the cursor on a claim" in n.message for n in app._notifications)
        assert app.store.relations(app.doc.id) == []
        assert not app.history.can_undo


async def test_suggested_claims_are_not_heads(make_app, corpus_dir, db_path):
    annotate(corpus_dir, db_path)
    corpus = load_corpus(corpus_dir)
    doc = next(d for d in corpus.documents if d.path.startswith("000_"))
    with open_store(db_path, annotator="tester") as store:
        at_ = doc.text.index("We cannot give up")
        store.add_span(
            doc, at_, at_ + len("We cannot give up our territories."), "CLAIM", origin="suggested"
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "We cannot give up")
        await pilot.press("k")
        assert app._hint_mode is None and "accept it first" in app.status_bar.info.message
        await pilot.press("o")  # the suggested claim is not counted as unsourced
        assert app.doc.text[app.view.cursor :].startswith("very vehemently")
        assert app.store.relations(app.doc.id) == []


async def test_a_suggested_actor_gets_a_hint_and_choosing_it_accepts_and_links(
    make_app, corpus_dir, db_path
):
    """The nearest actor may still be a suggestion: it gets the first hint (guidelines: nearest
    mention), and choosing it accepts it and links it, one undo step."""
    annotate(corpus_dir, db_path)
    corpus = load_corpus(corpus_dir)
    doc = next(d for d in corpus.documents if d.path.startswith("000_"))
    with open_store(db_path, annotator="tester") as store:
        at_ = doc.text.index("Mr Zelenskyy said on")
        store.add_span(doc, at_, at_ + len("Mr Zelenskyy"), "ACTOR", origin="suggested")
        at_ = doc.text.index("We cannot give up")
        store.add_span(doc, at_, at_ + len("We cannot give up our territories."), "CLAIM")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "We cannot give up")
        await pilot.press("k")
        assert hints(app)["a"] == "Mr Zelenskyy"
        await pilot.press("a")
        await pilot.pause()
        assert ("We cannot give up ou", "SOURCE", "Mr Zelenskyy") in relations(app)
        actor = next(s for s in app.store.spans(app.doc.id) if s.text == "Mr Zelenskyy")
        assert actor.origin == "manual"
        await pilot.press("u")  # one step: the link and the acceptance
        await pilot.pause()
        assert app.store.relations(app.doc.id) == []
        actor = next(s for s in app.store.spans(app.doc.id) if s.text == "Mr Zelenskyy")
        assert actor.origin == "suggested"
