"""The export dialog (X / command palette): format, file, options; errors become notifications."""

from __future__ import annotations

import json

from textual.widgets import Checkbox, Input, OptionList

from annotator.export import FORMATS
from annotator.tui.screens.export import ExportScreen, default_path

SIZE = (120, 40)


async def tagged(app, pilot):
    """Tag an ACTOR and a LOCATION in the seed; run suggestions (left unaccepted)."""
    await pilot.pause()
    app.view.move_to(app.doc.text.index("Volodymyr Zelenskyy has"))
    await pilot.press("shift+right", "shift+right", "2")
    app.view.move_to(app.doc.text.index("Crimea and"))
    await pilot.press("3")
    await pilot.press("S")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def finish(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_X_opens_dialog_with_defaults_beside_the_db(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        path = screen.query_one("#path", Input)
        assert path.value == str(db_path.parent / "export.spacy.jsonl")
        await pilot.press("down")  # doccano
        assert path.value == str(db_path.parent / "export.doccano.jsonl")
        assert not screen.query_one("#utf16", Checkbox).disabled
        await pilot.press("down")  # conll: no utf16 offsets
        assert path.value == str(db_path.parent / "export.conll")
        assert screen.query_one("#utf16", Checkbox).disabled
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


async def test_export_spacy_from_dialog(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot)
        await pilot.press("X")
        await pilot.press("ctrl+s")
        await finish(app, pilot)
        out = db_path.parent / "export.spacy.jsonl"
        (record,) = [json.loads(line) for line in out.read_text().splitlines()]
        text = record["text"]
        spans = {(text[s["start"] : s["end"]], s["label"]) for s in record["spans"]}
        assert spans == {("Volodymyr Zelenskyy", "ACTOR"), ("Crimea", "LOCATION")}  # no suggestions
        assert record["answer"] == "accept"
        assert not isinstance(app.screen, ExportScreen)
        assert any("exported 1 document," in m for m in notifications(app))


async def test_export_doccano_with_suggestions_and_utf16_to_chosen_file(make_app, tmp_path):
    app = make_app()
    out = tmp_path / "mine.jsonl"
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot)
        await pilot.press("X")
        screen = app.screen
        screen.query_one("#formats", OptionList).highlighted = list(FORMATS).index("doccano")
        await pilot.pause()
        screen.query_one("#suggestions", Checkbox).value = True
        screen.query_one("#utf16", Checkbox).value = True
        path = screen.query_one("#path", Input)
        path.focus()
        path.value = str(out)
        await pilot.press("enter")  # Enter in the file field exports
        await finish(app, pilot)
        (record,) = [json.loads(line) for line in out.read_text().splitlines()]
        assert set(record) >= {"id", "text", "label"}
        assert len(record["label"]) > 10  # the suggestions are in
        text = record["text"]  # the seed is all BMP: UTF-16 offsets equal code points here
        assert ["Volodymyr Zelenskyy", "ACTOR"] in [
            [text[a:b], lab] for a, b, lab in record["label"]
        ]


async def test_export_brat_writes_a_folder(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot)
        await pilot.press("X")
        app.screen.query_one("#formats", OptionList).highlighted = list(FORMATS).index("brat")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await finish(app, pilot)
        folder = default_path(db_path.parent, "brat")
        assert folder.is_dir() and folder.name == "export.brat"
        (ann,) = folder.glob("*.ann")
        lines = ann.read_text().splitlines()
        assert any("ACTOR" in line and "Volodymyr Zelenskyy" in line for line in lines)
        assert len([line for line in lines if line.startswith("T")]) == 2


async def test_unwritable_path_is_a_notification_not_a_crash(make_app, tmp_path):
    app = make_app()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot)
        await pilot.press("X")
        path = app.screen.query_one("#path", Input)
        path.value = str(blocker / "sub" / "out.jsonl")  # parent is a file
        await pilot.press("ctrl+s")
        await finish(app, pilot)
        assert isinstance(app.screen, ExportScreen)  # stays open to fix the path
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "\n" not in errors[-1].message
        path.value = str(tmp_path / "ok.jsonl")
        await pilot.press("ctrl+s")
        await finish(app, pilot)
        assert (tmp_path / "ok.jsonl").exists()
        assert app.return_code is None


async def test_export_in_the_command_palette(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export annotations")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ExportScreen)


async def test_the_file_name_follows_the_remembered_format(make_app, db_path):
    """brat exported once: the next dialog opens on brat *and* its file name (not spaCy's)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot)
        await pilot.press("X")
        await pilot.pause()
        screen = app.screen
        await pilot.press(*["down"] * list(FORMATS).index("brat"))
        await pilot.pause()
        assert screen.query_one("#path", Input).value == str(default_path(db_path.parent, "brat"))
        await pilot.press("ctrl+s")
        await finish(app, pilot)
        assert not isinstance(app.screen, ExportScreen)
        await pilot.press("X")
        await pilot.pause()
        screen = app.screen
        assert screen.fmt == "brat"
        path = screen.query_one("#path", Input)
        assert path.value == str(default_path(db_path.parent, "brat"))
        await pilot.press("up")  # another format: the default name follows it
        await pilot.pause()
        assert path.value == str(default_path(db_path.parent, screen.fmt))
        path.value = str(db_path.parent / "mine.jsonl")  # a name of the user's own stays
        await pilot.pause()
        screen.query_one("#formats", OptionList).focus()
        await pilot.press("down")
        await pilot.pause()
        assert path.value == str(db_path.parent / "mine.jsonl")
        await pilot.press("escape")
    assert not (db_path.parent / "export.spacy.jsonl").exists()


async def test_checkboxes_show_ticked_and_unticked_without_colour(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await pilot.pause()
        box = app.screen.query_one("#only_done", Checkbox)
        unticked = box.render().plain
        box.value = True
        await pilot.pause()
        ticked = box.render().plain
        assert unticked != ticked
        assert "X" in ticked and "X" not in unticked
