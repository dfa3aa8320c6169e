"""Pilot tests for each flow of the TUI, asserting on the store (not only on the screen)."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_helpers import at

from annotator.store import open_store
from annotator.tui.screens.guidelines import GuidelinesScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.skipped import SkippedScreen

SIZE = (120, 40)


def spans_of(app):
    return [(s.label, s.text) for s in app.store.spans(app.doc.id)]


def reopen(db_path):
    store = open_store(db_path, readonly=True)
    return store


async def test_opens_seed_article_at_title(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.doc is not None and app.doc.path.startswith("000_")
        assert app.view.cursor == app.doc.title_span[0]
        assert app.status_bar.info.position == 1


async def test_move_word_and_tag_with_digit(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "Volodymyr Zelenskyy has admitted")
        await pilot.press("right")  # -> Zelenskyy
        assert app.doc.text[app.view.cursor :].startswith("Zelenskyy")
        await pilot.press("2")
        assert spans_of(app) == [("ACTOR", "Zelenskyy")]
        assert app.view.selection is None
        assert app.status_bar.info.message.startswith("saved")
        assert app.store.status(app.doc.id) == "in_progress"
        await pilot.press("ctrl+q")
    store = reopen(db_path)
    (span,) = [s for d in store.documents() for s in store.spans(d.id)]
    assert (span.label, span.text, span.annotator) == ("ACTOR", "Zelenskyy", "tester")


async def test_extend_selection_and_letter_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "Volodymyr Zelenskyy has admitted")
        await pilot.press("shift+right")  # selects the word under the cursor
        assert app.doc.text[slice(*app.view.selection)] == "Volodymyr"
        await pilot.press("shift+right")  # extends by the next word
        assert app.doc.text[slice(*app.view.selection)] == "Volodymyr Zelenskyy"
        cursor = app.view.cursor
        await pilot.press("a")
        assert ("ACTOR", "Volodymyr Zelenskyy") in spans_of(app)
        assert app.view.cursor == cursor  # no jump
        await at(app, pilot, "Crimea")
        await pilot.press("l")
        await at(app, pilot, "Kyiv's control")
        await pilot.press("c")
        assert ("LOCATION", "Crimea") in spans_of(app)
        assert ("CLAIM", "Kyiv") in spans_of(app)  # possessive 's is its own token


async def test_select_sentence_and_quotation(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "only way that Crimea")
        await pilot.press("s", "1")
        sentence = (
            "The Ukrainian president said that the only way that Crimea and eastern Ukraine "
            "could be brought back under Kyiv's control was via diplomacy."
        )
        assert ("CLAIM", sentence) in spans_of(app)
        await at(app, pilot, "give up our territories")
        await pilot.press("q", "1")
        claims = [t for label, t in spans_of(app) if label == "CLAIM"]
        assert any(t.startswith("We cannot give up our territories.") for t in claims)


async def test_select_name_then_tag(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        assert app.doc.text[slice(*app.view.selection)] == "Ukraine"
        await pilot.press("2", "e")
        assert app.doc.text[slice(*app.view.selection)] == "Russia"
        await pilot.press("E")
        assert app.doc.text[slice(*app.view.selection)] == "Ukraine"
        await at(app, pilot, "said on Wednesday")
        await pilot.press("E")
        assert app.doc.text[slice(*app.view.selection)] == "Mr Zelenskyy"
        await pilot.press("escape")
        assert app.view.selection is None
        assert spans_of(app) == [("ACTOR", "Ukraine")]


async def test_delete_innermost_first_then_outward(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "The Ukrainian president said")
        await pilot.press("s", "1")
        await at(app, pilot, "Crimea and eastern")
        await pilot.press("3")
        assert sorted(spans_of(app)) == sorted(
            [("CLAIM", app.store.spans(app.doc.id)[0].text), ("LOCATION", "Crimea")]
        )
        await pilot.press("d")
        assert [label for label, _ in spans_of(app)] == ["CLAIM"]
        await pilot.press("delete")
        assert spans_of(app) == []
        await pilot.press("d")  # nothing left: no crash, nothing written
        assert spans_of(app) == []


async def test_relabel(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "Kyiv's control")
        await pilot.press("3", "r", "2")
        assert spans_of(app) == [("ACTOR", "Kyiv")]
        await pilot.press("r", "escape", "1")  # cancelled: 1 tags a new CLAIM on the token
        assert sorted(spans_of(app)) == [("ACTOR", "Kyiv"), ("CLAIM", "Kyiv")]
        await pilot.press("u", "u")
        assert spans_of(app) == [("LOCATION", "Kyiv")]


async def test_undo_redo_many_steps_including_status(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = ["e", "2"] * 6
        await pilot.press(*keys)
        first_ids = {s.id for s in app.store.spans(app.doc.id)}
        assert len(first_ids) == 6
        await pilot.press("m")  # mark done: undoable, opens the next article
        done_id = app.rows[0].doc_id
        assert app.store.status(done_id) == "done"
        await pilot.press("u")  # undo "done": back on the first article
        assert app.doc.id == done_id
        assert app.store.status(done_id) == "in_progress"
        await pilot.press(*(["u"] * 6))
        assert spans_of(app) == []
        assert app.store.status(app.doc.id) == "new"  # first tag set in_progress; undone with it
        await pilot.press(*(["U"] * 4), "ctrl+y", "ctrl+y")
        assert {s.id for s in app.store.spans(app.doc.id)} == first_ids
        await pilot.press("ctrl+z")
        assert len(app.store.spans(app.doc.id)) == 5
        await pilot.press("ctrl+q")
    store = reopen(db_path)
    assert len(store.spans(done_id)) == 5


async def test_next_previous_article(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.doc.id
        await pilot.press("greater_than_sign")
        assert app.position == 1 and app.doc.path == "001_second.txt"
        await pilot.press(">")
        await pilot.press(">")  # the binary file is skipped; stays on the last readable
        assert app.doc.path == "002_[hostile].txt"
        await pilot.press("<", "<")
        assert app.doc.id == first


async def test_mark_done_opens_next_not_done(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(">")  # second article
        await pilot.press("m")
        second = app.rows[1].doc_id
        assert app.store.status(second) == "done"
        assert app.doc.path == "002_[hostile].txt"
        await pilot.press("m")
        assert app.doc.path.startswith("000_")  # wraps round to the first not done
        await pilot.press("ctrl+q")
    store = reopen(db_path)
    assert store.status(second) == "done"


async def test_search_and_tag(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"crimea")
        await pilot.pause()
        # what is typed shows on the prompt's one line (a bordered Input would hide it)
        prompt = app.screen.query_one(Input)
        assert prompt.value == "crimea"
        assert prompt.content_region.height == 1
        await pilot.press("enter")
        assert app.doc.text[slice(*app.view.selection)] == "Crimea"
        first = app.view.selection
        await pilot.press("3")
        await pilot.press("slash", "enter")  # empty: repeats the last search
        assert app.view.selection != first
        assert app.doc.text[slice(*app.view.selection)] == "Crimea"
        await pilot.press("3")
        assert spans_of(app) == [("LOCATION", "Crimea"), ("LOCATION", "Crimea")]
        await pilot.press("slash", *"zzzz", "enter")
        assert "not found" in app.status_bar.info.message


async def test_help_guidelines_and_palette(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("i")
        assert isinstance(app.screen, GuidelinesScreen)
        assert "ACTOR" in app.screen.markdown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"
        await pilot.press(*"next art", "enter")
        await pilot.pause()
        assert app.position == 1


async def test_guidelines_beside_corpus_win(make_app, corpus_dir):
    (corpus_dir / "GUIDELINES.md").write_text("# Project rules\n\nTag [only] ships.\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert app.screen.markdown.startswith("# Project rules")


async def test_skipped_files_visible(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, SkippedScreen)
        assert any("003_binary" in s.path for s in app.screen.skipped)
        # the article list marks the row of a skipped file with its reason
        row = next(r for r in app.rows if r.name == "003_binary.txt")
        assert row.skipped is not None and "binary" in row.skipped
        assert all(r.skipped is None for r in app.rows if r.name != "003_binary.txt")


async def test_hostile_text_renders_literally(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(">", ">")
        assert app.doc.path == "002_[hostile].txt"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.export_screenshot()
        assert "[@click=app.quit]click[/]" in screen.replace("&#160;", " ") or "[/]" in screen
        assert "\x1b" not in app.doc.text
        await pilot.press("e", "2")
        assert ("ACTOR", "Mr") in spans_of(app) or spans_of(app)
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_corpus_list_toggle_and_choose(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        corpus = app.query_one("#corpus")
        assert corpus.display == (size[0] >= 100)
        await pilot.press("f")
        assert corpus.display and corpus.has_focus
        await pilot.press("down", "enter")
        assert app.position == 1
        assert app.view.has_focus


async def test_resize_keeps_the_cursor_and_selection(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*[")"] * 12, "e")  # far down the article, a name selected
        cursor, selection = app.view.cursor, app.view.selection
        assert selection is not None
        for width, height in ((80, 24), (60, 20), (160, 50), (120, 40)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert (app.view.cursor, app.view.selection) == (cursor, selection)
            row, _x = app.view.layout_rows.offset_to_cell(cursor)
            top = app.view.scroll_offset.y
            assert top <= row < top + app.view.size.height, (width, row, top)
        await pilot.press("2")
        assert ("ACTOR", app.doc.text[selection[0] : selection[1]]) in spans_of(app)


async def test_preview_callbacks_after_the_list_is_gone_do_nothing(make_app):
    """The preview thread's callbacks can land while the app closes (its widgets removed):
    they must not raise (a worker error there ended a quit with a traceback)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.corpus_list.remove()
        await pilot.pause()
        app._refresh_corpus_list()
        app._set_skipped([])
        app._set_skipped_count(0)
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_a_selection_stops_before_boilerplate(make_app):
    """S-↓ past a paragraph end would reach the "Read more:" line: the selection stops at the
    paragraph's end (as the tag would be cut), the cursor with it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"De", "space", *"facto", "enter", "escape")
        for _ in range(6):  # how many lines the paragraph wraps to depends on the width
            await pilot.press("shift+down")
            start, end = app.view.selection
            assert not app.doc.overlaps_boilerplate(start, end)
        assert app.doc.text[start:end].endswith("he told Le Parisien, a French newspaper.")
        assert start <= app.view.cursor < end
        await pilot.press("1")
        await pilot.pause()
        (span,) = app.store.spans(app.doc.id)
        assert span.label == "CLAIM"
        assert span.text.startswith("De facto")
        assert span.text.endswith("he told Le Parisien, a French newspaper.")
        assert app.doc.text[span.start : span.end] == span.text


async def test_a_selection_into_boilerplate_is_trimmed_to_the_story(make_app):
    """A selection made otherwise (a drag) that reaches "Read more:": the tag stops before it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = app.doc.text
        start = text.index("De facto")
        app.view.move_to(start, select_to=text.index("Read more:") + 10)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        (span,) = app.store.spans(app.doc.id)
        assert span.text.startswith("De facto")
        assert span.text.endswith("he told Le Parisien, a French newspaper.")
        assert not app.doc.overlaps_boilerplate(span.start, span.end)
        assert "trimmed" in app.status_bar.info.message


async def test_shift_down_from_the_title_stops_at_its_end(make_app):
    """The date line under the title is not story text: S-↓ from the title stops at the
    title's end (the cursor on its last word), S-↑ from the body stops at the body; a tag
    started in the title never takes the date line."""
    app = make_app()
    async with app.run_test(size=(60, 30)) as pilot:  # the title wraps to a few rows
        await pilot.pause()
        doc = app.doc
        title_start, title_end = doc.title_span
        date_start, _date_end = doc.date_span
        assert app.view.cursor == title_start
        for _ in range(5):
            await pilot.press("shift+down")
            start, end = app.view.selection
            assert start == title_start and end <= title_end < date_start
        assert end == title_end
        assert app.doc.text[app.view.cursor :].startswith("Putin")
        await pilot.press("1")
        (span,) = app.store.spans(doc.id)
        assert (span.start, span.end) == (title_start, title_end)
        body = await at(app, pilot, "Volodymyr Zelenskyy has admitted")
        await pilot.press("shift+right", "shift+up", "shift+up")
        assert app.view.selection == (body, body + len("Volodymyr"))
        assert app.view.cursor == body


async def test_tagging_only_boilerplate_is_refused(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"Read", "space", *"more", "enter")
        await pilot.press("1")
        await pilot.pause()
        assert app.store.spans(app.doc.id) == []
        assert "boilerplate" in app.status_bar.info.message


async def test_panels_follow_a_resize_like_a_fresh_start(make_app):
    """120 -> 80 columns hides the article list (as a start at 80 does); at 50 the span list
    leaves the article most of the room; back at 120 the list the resize hid comes back."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        corpus, article, spans = (app.query_one(i) for i in ("#corpus", "#article", "#spans"))
        assert corpus.display and spans.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not corpus.display
        assert article.outer_size.width >= 40
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert spans.outer_size.width <= 50 * 0.4
        assert article.outer_size.width >= 28
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert corpus.display and spans.outer_size.width == 34
        assert article.outer_size.width >= 50


async def _listed(app, pilot) -> None:
    await pilot.pause(0.4)  # the previews (and the skipped files) start after 0.3 s
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_end_in_the_article_list_lands_on_the_last_article(make_app, corpus_dir):
    """No skipped files: no "no skipped files" row; End is the last article, Enter opens it."""
    (corpus_dir / "003_binary.txt").unlink()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _listed(app, pilot)
        await pilot.press("f", "end")
        last = len(app.rows) - 1
        assert app.corpus_list.cursor == last
        await pilot.press("down")  # nothing below the last article
        assert app.corpus_list.cursor == last
        lines = [app.corpus_list.render_line(y).text for y in range(len(app.rows) + 1)]
        assert not any("skipped" in line for line in lines)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SkippedScreen)
        assert app.position == last


async def test_the_article_list_steps_over_skipped_files(make_app):
    """The binary file (✗) is not a stop for ↓ / End; it is listed under the skipped-files
    row, which comes after the last article."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _listed(app, pilot)
        binary = next(i for i, r in enumerate(app.rows) if r.name == "003_binary.txt")
        assert binary == len(app.rows) - 1
        await pilot.press("f", "end")
        assert app.corpus_list.cursor == binary - 1  # the last article that opens
        await pilot.press("down")  # to the skipped-files row
        assert app.corpus_list.cursor == binary
        await pilot.press("down")  # the ✗ row under it is not a stop
        assert app.corpus_list.cursor == binary
        await pilot.press("up")
        assert app.corpus_list.cursor == binary - 1
        await pilot.press("home")
        assert app.corpus_list.cursor == 0


async def test_skipped_files_are_listed_after_the_articles(make_app, corpus_dir):
    """A file that cannot be opened sorts among the articles; the list shows it (✗) in the
    group at the end, under the skipped-files row; the cursor steps over it and Enter opens
    the article drawn on the row."""
    (corpus_dir / "003_binary.txt").rename(corpus_dir / "001a_binary.txt")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _listed(app, pilot)
        names = [r.name for r in app.rows]
        binary = names.index("001a_binary.txt")
        assert 0 < binary < len(names) - 1  # among the articles in corpus order
        listing = app.corpus_list
        lines = [listing.render_line(y).text for y in range(len(names) + 1)]
        assert "001a_binary.txt" in lines[-1] and "✗" in lines[-1]
        assert "skipped file" in lines[-2]
        assert not any("✗" in line for line in lines[:-1])
        assert "Ministers meet in Paris" in lines[1]  # 001_second.txt
        assert "Hostile" in lines[2]  # 002_[hostile].txt, drawn where the ✗ row was
        await pilot.press("f", "end")
        assert listing.cursor == 2  # the last article
        await pilot.press("enter")
        await pilot.pause()
        assert app.doc.path == "002_[hostile].txt"
        info = app.status_bar.info  # i/N counts the readable articles, not the ✗ file
        assert (info.position, info.total) == (len(names) - 1, len(names) - 1)
        await pilot.press("f", "down")  # the skipped-files row; the ✗ row under it no stop
        assert listing.cursor == 3
        await pilot.press("down")
        assert listing.cursor == 3
        await pilot.press("up", "up", "enter")
        await pilot.pause()
        assert app.doc.path == "001_second.txt"
        assert listing.render_line(1).text.startswith("▶")
        await pilot.press("f", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SkippedScreen)


async def test_search_says_when_it_wrapped_and_the_message_goes_when_the_cursor_leaves(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"crimea", "enter")
        assert app.status_bar.info.message.startswith("match 1 of 2")
        assert "wrapped" not in app.status_bar.info.message
        await pilot.press("slash", "enter")
        assert app.status_bar.info.message.startswith("match 2 of 2")
        await pilot.press("slash", "enter")  # past the last match: back to the first
        message = app.status_bar.info.message
        assert message.startswith("match 1 of 2") and "wrapped to the top" in message
        await pilot.press("escape", "right")
        await pilot.pause()
        assert "match" not in app.status_bar.info.message


@pytest.mark.parametrize("width", [60, 120, 200])
async def test_status_line_uses_the_width_and_cuts_with_an_ellipsis(make_app, width):
    """A long message is not wrapped onto a hidden second row (a long word vanished whole,
    leaving "not found:"): it fills the width there is and is cut with …, on one row."""
    app = make_app()
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        word = "".join(f"w{i:03d}" for i in range(60))  # 240 characters, no space to wrap at
        app._say(f"not found: {word}")
        await pilot.pause()
        bar = app.status_bar
        assert bar.outer_size.height == 1
        line = bar.render_line(0).text
        assert len(line) == width and line.endswith("…")
        head = line.index("not found: ")
        assert line[head:-1] == f"not found: {word}"[: width - head - 1]
        app._say("saved · a message that fits")  # fits: shown whole, the cursor's label after it
        bar.set(under_cursor="CLAIM")
        await pilot.pause()
        shown = bar.render_line(0).text
        if width >= 120:
            assert "saved · a message that fits │ at cursor: CLAIM" in shown
        else:  # 60 columns: the end is cut, the row stays one row
            assert shown.endswith("…") and bar.outer_size.height == 1
