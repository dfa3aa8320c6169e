"""The span panel of a long article lists a window of spans near the cursor, not all of them."""

from __future__ import annotations

from pathlib import Path

from annotator.corpus import load_corpus
from annotator.store import open_store
from annotator.tui import AnnotatorApp
from annotator.tui.widgets.span_panel import WINDOW, SpanPanel

SENTENCE = "Officials in Kyiv said on Monday that talks would resume. "


def _long_article(tmp_path: Path, sentences: int) -> tuple[Path, Path, int]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "000_long.txt").write_text("A long article\n\n" + SENTENCE * sentences)
    db = tmp_path / "annotations.json"
    doc = load_corpus(folder).documents[0]
    items = []
    pos = doc.text.find("Kyiv")
    while pos >= 0:
        items.append((pos, pos + 4, "LOCATION"))
        pos = doc.text.find("Kyiv", pos + 1)
    with open_store(db, annotator="tester") as store:
        store.add_document(doc)
        store.add_spans(doc, items)
    return folder, db, len(items)


def _listed(panel: SpanPanel) -> list[str]:
    return [option.id for option in panel.options if option.id]


async def test_a_label_with_thousands_of_spans_lists_those_near_the_cursor(tmp_path) -> None:
    folder, db, count = _long_article(tmp_path, 1500)
    assert count == 1500 > WINDOW
    app = AnnotatorApp(folder, db, annotator="tester", suggest_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.query_one(SpanPanel)
        spans = app.store.spans(app.doc.id)
        listed = _listed(panel)
        assert len(listed) == WINDOW and listed == [s.id for s in spans[:WINDOW]]
        prompts = [str(option.prompt) for option in panel.options]
        assert f"LOCATION ({count}) · {WINDOW} nearest the cursor" in prompts
        assert f" … {count - WINDOW:,} after" in prompts
        await pilot.press("G")  # the bottom of the article: the window follows the cursor
        await pilot.pause()
        listed = _listed(panel)
        assert listed == [s.id for s in spans[-WINDOW:]]
        assert f" … {count - WINDOW:,} before" in [str(o.prompt) for o in panel.options]
        # tagging still lists a window, and the new span is in it and in the store
        await pilot.press("g", "right_curly_bracket")  # the story (the first line is boilerplate)
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert len(app.store.spans(app.doc.id)) == count + 1
        assert len(_listed(panel)) <= WINDOW + 1


async def test_a_short_article_lists_every_span(tmp_path) -> None:
    folder, db, count = _long_article(tmp_path, 50)
    app = AnnotatorApp(folder, db, annotator="tester", suggest_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.query_one(SpanPanel)
        assert len(_listed(panel)) == count == 50
        assert not any("nearest" in str(o.prompt) for o in panel.options)
