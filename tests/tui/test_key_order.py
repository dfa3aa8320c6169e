"""Keys arriving together (typed while the app was busy, pasted, sent by tmux) act in order,
each on the state the key before it left: a key that opens or closes a screen changes where
the next keys go.

Pilot's ``press`` waits for the app to go idle after every key, so it never shows this; the
tests below hand the driver the whole burst at once, as a terminal read does."""

from __future__ import annotations

from textual import events

from annotator.tui.screens.prompt import PromptScreen

SEARCH_TAG = [("slash", "/"), *((c, c) for c in "Crimea"), ("enter", "\r"), ("escape", "\x1b")]


def burst(app, keys) -> None:
    """Post every key to the app at once, before any of them is handled."""
    assert app._driver is not None
    for key, character in keys:
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)


def tagged(app) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in app.store.spans(app.doc.id) if s.origin != "suggested"]


async def test_search_then_name_then_tag_in_one_burst(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        burst(app, [*SEARCH_TAG, ("e", "e"), ("3", "3")])
        await pilot.pause(0.3)
        await pilot.pause()
        assert tagged(app) == [("LOCATION", "Crimea")]
        assert not isinstance(app.screen, PromptScreen)


async def test_escape_right_after_enter_does_not_cancel_the_search(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        burst(app, SEARCH_TAG)
        await pilot.pause(0.3)
        await pilot.pause()
        assert app._last_search == "Crimea"  # Enter searched; Escape then cleared the match
        assert app.doc.text[app.view.cursor :].startswith("Crimea")
        assert app.view.selection is None
        assert not isinstance(app.screen, PromptScreen)


async def test_burst_while_the_opening_suggestions_are_written(make_app, monkeypatch):
    """The reported case: the keys land while the suggestions on open are written in steps
    (each step holds the main thread: keys typed meanwhile arrive together)."""
    from annotator.suggest import writer as writer_module

    app = make_app(suggest_on_open=True)
    state = {"steps": 0, "sent": False}
    real_step = writer_module.SuggestionWriter.step

    def step(self):
        self.step_size = 4  # 64 suggestions on the seed: many steps, not one
        real_step(self)
        state["steps"] += 1
        if state["steps"] == 1 and not state["sent"]:  # between the first and second step
            state["sent"] = True
            burst(app, [*SEARCH_TAG, ("e", "e"), ("3", "3")])

    monkeypatch.setattr(writer_module.SuggestionWriter, "step", step)
    async with app.run_test(size=(120, 40)) as pilot:
        app._open_suggest_gate(0)
        for _ in range(200):
            await pilot.pause(0.05)
            if state["sent"] and not app._suggesting:
                break
        await pilot.pause(0.3)
        assert state["sent"]
        assert tagged(app) == [("LOCATION", "Crimea")]
