"""Keys a browser keeps for itself have alternatives that work (for `annotator serve`)."""

from __future__ import annotations

from annotator.model import DEFAULT_SCHEMA
from annotator.tui import keymap
from annotator.tui.message_app import MessageApp

SIZE = (120, 40)


def test_every_action_on_a_browser_key_has_another_key():
    for key in keymap.all_keys(DEFAULT_SCHEMA):
        if any(name in keymap.BROWSER_KEYS for name in key.keys):
            others = [name for name in key.keys if name not in keymap.BROWSER_KEYS]
            assert others, f"{key.action} is bound only to keys a browser keeps: {key.keys}"


def test_the_help_names_the_browser_alternatives():
    text = keymap.keymap_markdown(DEFAULT_SCHEMA)
    assert keymap.BROWSER_NOTE in text
    assert "| `ctrl+q Q` | save and quit |" in text
    assert "| `ctrl+p :` | command palette (every action) |" in text


def test_q_is_not_a_priority_key_but_ctrl_q_is():
    bindings = keymap.bindings(DEFAULT_SCHEMA)
    quits = {b.key: b.priority for b in bindings if b.action == "quit"}
    assert quits == {"Q": False, "ctrl+q": True}  # Q typed in the search field is a letter


async def test_capital_q_saves_and_quits(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e", "2")
        await pilot.press("Q")
        await pilot.pause()
        # the key itself ends the app (not the unmount at the end of run_test)
        assert app._closed, "Q did not run the quit action"
        assert not app.is_running, "the app is still running after Q"
    from annotator.store import open_store

    with open_store(db_path, readonly=True) as store:
        spans = [s for d in store.documents() for s in store.spans(d.id) if s.origin == "manual"]
    assert [s.label for s in spans] == ["ACTOR"]


async def test_colon_opens_the_command_palette(make_app):
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("colon")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_the_message_app_shows_text_as_data_and_closes_on_a_key():
    app = MessageApp("alice.json is in use by [bold]alice[/] (pid 1); close it first")
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        shown = str(app.query_one("#message").render())
        assert "[bold]alice[/]" in shown
        await pilot.press("x")
        await pilot.pause()
    assert app.return_code == 1


async def test_the_palette_lists_only_the_apps_commands(make_app):
    """Textual's own entries (its quit "as soon as possible", Screenshot, Theme) are not there."""
    from textual.command import CommandList

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = []
        for query in ("quit", "screenshot", "theme", "keys"):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*query)
            await pilot.pause(0.5)
            found = app.screen.query_one(CommandList)
            shown += [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
            await pilot.press("escape")
            await pilot.pause()
        assert any("save and quit" in text for text in shown)
        assert not any("as soon as possible" in text for text in shown)
        assert not any("Screenshot" in text or "Change theme" in text for text in shown), shown
