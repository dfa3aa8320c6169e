"""ArticleView: movement, token-snapped selection, rendering and cache invalidation."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from annotator.model import DEFAULT_SCHEMA, Document, Span, make_span
from annotator.text import TextIndex
from annotator.tui.article_view import ArticleView

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


TEXT = (
    "Title of the article\n"
    "18 December 2024\n"
    "Volodymyr Zelenskyy has admitted that Ukraine cannot retake the territories.\n"
    'Mr Zelenskyy said: "We cannot give up our territories. The constitution forbids it."\n'
    "Subscribe to our newsletter\n"
)


def make_doc(text: str = TEXT) -> Document:
    title_end = text.index("\n")
    date_end = text.index("\n", title_end + 1)
    boiler = text.index("Subscribe")
    return Document(
        id="doc",
        text=text,
        title="Title of the article",
        title_span=(0, title_end),
        date_span=(title_end + 1, date_end),
        boilerplate=[(boiler, len(text.rstrip()))],
    )


def span(text: str, word: str, label: str, origin: str = "manual", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return make_span("doc", text, start, start + len(word), label, origin=origin)


class ViewApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield ArticleView()

    def on_article_view_cursor_moved(self, message: ArticleView.CursorMoved) -> None:
        self.messages.append(("cursor", message.offset))

    def on_article_view_selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        self.messages.append(("selection", message.selection))


def row_text(view: ArticleView, offset: int) -> str:
    layout = view.layout_rows
    assert layout is not None
    row, _x = layout.offset_to_cell(offset)
    return view.render_line(row - round(view.scroll_offset.y)).text


def style_at(view: ArticleView, offset: int):
    """The style of the cell showing ``offset`` in the rendered strip."""
    layout = view.layout_rows
    assert layout is not None
    row, x = layout.offset_to_cell(offset)
    strip = view.render_line(row - round(view.scroll_offset.y))
    pos = 0
    for segment in strip:
        if pos <= x < pos + segment.cell_length:
            return segment.style
        pos += segment.cell_length
    raise AssertionError("cell not drawn")


async def test_words_lines_and_selection() -> None:
    app = ViewApp()
    doc = make_doc()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(doc, TextIndex(doc.text), [], [], DEFAULT_SCHEMA)
        await pilot.pause()
        assert view.cursor == 0
        view.move_word(1)
        assert view.cursor == TEXT.index("of")
        quote = TEXT.index('said: "We') + len("said")
        view.move_to(quote - 4)
        view.move_word(1)  # skips ':' and '"'
        assert view.cursor == TEXT.index("We cannot")
        view.move_word(-1)
        assert view.cursor == TEXT.index("said:")
        # Shift+Right: select the word, then grow; Shift+Left shrinks back
        view.move_word(1, extend=True)
        assert view.selection == (quote - 4, quote)
        view.move_word(1, extend=True)
        assert view.selection == (quote - 4, TEXT.index("We cannot") + 2)
        view.move_word(1, extend=True)
        assert TEXT[slice(*view.selection)] == 'said: "We cannot'
        view.move_word(-1, extend=True)
        view.move_word(-1, extend=True)
        assert view.selection == (quote - 4, quote)
        view.move_word(-1, extend=True)  # grows to the left past the anchor word
        assert TEXT[slice(*view.selection)] == "Zelenskyy said"
        view.clear_selection()
        assert view.selection is None
        zelenskyy = TEXT.index("Zelenskyy said")
        assert view.cursor == zelenskyy  # the cursor followed the moving edge
        assert view.target() == (zelenskyy, zelenskyy + len("Zelenskyy"))
        # sentence and quotation
        view.move_to(TEXT.index("give"))
        view.select_sentence()
        assert (
            TEXT[slice(*view.selection)] == 'Mr Zelenskyy said: "We cannot give up our territories.'
        )
        assert view.select_quotation()
        assert TEXT[slice(*view.selection)] == (
            "We cannot give up our territories. The constitution forbids it."
        )
        view.move_to(TEXT.index("Volodymyr"))
        assert not view.select_quotation()
        # line moves keep the column
        view.move_to(TEXT.index("has admitted"))
        view.move_line(1)
        assert view.cursor == TEXT.index("\nMr") + 1 + TEXT.index("has admitted") - TEXT.index(
            "Volodymyr"
        )
        view.move_line(-1)
        assert view.cursor == TEXT.index("has admitted")
        view.move_doc_edge(True)
        assert view.cursor == TEXT.index("newsletter")
        view.move_doc_edge(False)
        assert view.cursor == 0
        view.move_paragraph(1)
        assert view.cursor == TEXT.index("18 December")
        await pilot.pause()
        assert ("cursor", 0) in app.messages
        assert any(kind == "selection" and value is not None for kind, value in app.messages)


async def test_rendering_styles_spans_and_markup_is_literal() -> None:
    text = "Hostile [/] and [@click=app.quit]x[/] text\nKyiv said Ukraine will win.\n"
    doc = Document(id="doc", text=text)
    kyiv = span(text, "Kyiv", "LOCATION")
    claim = make_span("doc", text, text.index("Kyiv"), text.index("win") + 3, "CLAIM")
    actor = span(text, "Ukraine", "ACTOR", origin="suggested")
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(doc, TextIndex(text), [kyiv, claim, actor], [], DEFAULT_SCHEMA)
        await pilot.pause()
        assert view.render_line(0).text.rstrip() == "Hostile [/] and [@click=app.quit]x[/] text"
        assert view.render_line(2).text.startswith("Kyiv said Ukraine will win.")
        view.move_to(text.index("said"))
        location = style_at(view, text.index("Kyiv") + 1)
        assert location.underline and location.bgcolor is not None  # nested: LOCATION in CLAIM
        claim_style = style_at(view, text.index("will"))
        assert claim_style.bgcolor is not None and not claim_style.underline
        suggested = style_at(view, text.index("Ukraine") + 1)
        assert suggested.italic and not suggested.bold
        view.set_spans([kyiv, claim, actor.with_(origin="manual")], [])
        accepted = style_at(view, text.index("Ukraine") + 1)
        assert accepted.bold and not accepted.italic
        # selection is reverse video over the spans; the cursor is its own style
        view.move_to(text.index("Kyiv"), select_to=text.index("said") + 4)
        assert style_at(view, text.index("said")).reverse
        cursor = style_at(view, text.index("Kyiv"))
        assert cursor.bold and not cursor.reverse
        # hints overlay the first cell of the span without shifting the text
        view.set_hints({"a": claim})
        line = view.render_line(2).text
        assert line.startswith("ayiv said Ukraine")
        view.set_hints(None)
        assert view.render_line(2).text.startswith("Kyiv said")
        view.set_matches([(text.index("will"), text.index("will") + 4)], current=0)
        assert style_at(view, text.index("will")).bgcolor is not None
        assert view.spans_at_cursor()[0].label == "LOCATION"


async def test_title_bold_boilerplate_dim() -> None:
    doc = make_doc()
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(doc, TextIndex(doc.text), [], [], DEFAULT_SCHEMA, cursor=TEXT.index("Mr"))
        await pilot.pause()
        assert style_at(view, 3).bold
        assert style_at(view, TEXT.index("Subscribe") + 2).dim


def big_text(words: int) -> str:
    para = " ".join(["Ukraine", "said", "the", "president", "of", "Kyiv", "today."] * 10)
    out = []
    count = 0
    while count < words:
        out.append(para)
        count += 70
    return "\n".join(out)


async def test_cursor_move_rerenders_only_affected_rows() -> None:
    text = big_text(20_000)
    doc = Document(id="doc", text=text)
    index = TextIndex(text)
    spans = [
        make_span("doc", text, unit.start, unit.end, "ACTOR")
        for unit in index.tokens[::50]
        if unit.text.isalpha()
    ]
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(doc, index, spans, [], DEFAULT_SCHEMA, cursor=len(text) // 2)
        await pilot.pause()
        before = view.render_count
        view.move_word(1)
        await pilot.pause()
        # at most the old and new cursor rows (plus a span's rows) are rendered again
        assert view.render_count - before <= 4
        before = view.render_count
        view.move_word(1, extend=True)
        view.move_word(1, extend=True)
        await pilot.pause()
        assert view.render_count - before <= 6


async def test_resize_keeps_cursor_in_view() -> None:
    text = big_text(3_000)
    doc = Document(id="doc", text=text)
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        target = text.index("Kyiv", len(text) // 2)
        view.show(doc, TextIndex(text), [], [], DEFAULT_SCHEMA, cursor=target)
        await pilot.pause()
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert view.cursor == target
        layout = view.layout_rows
        assert layout is not None and layout.width <= 50
        row, _x = layout.offset_to_cell(target)
        top = round(view.scroll_offset.y)
        assert top <= row < top + view.scrollable_content_region.height


async def test_mouse_click_and_drag_select_tokens() -> None:
    doc = make_doc()
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(doc, TextIndex(doc.text), [], [], DEFAULT_SCHEMA)
        await pilot.pause()
        layout = view.layout_rows
        assert layout is not None
        row, x = layout.offset_to_cell(TEXT.index("Zelenskyy has"))
        # padding: one cell on the left
        await pilot.click(ArticleView, offset=(x + 1 + 2, row))
        assert view.cursor == TEXT.index("Zelenskyy has") + 2
        await pilot.mouse_down(ArticleView, offset=(x + 1 + 3, row))
        await pilot.hover(ArticleView, offset=(x + 1 + 12, row))
        await pilot.mouse_up(ArticleView, offset=(x + 1 + 12, row))
        await pilot.pause()
        assert view.selection is not None
        assert TEXT[slice(*view.selection)] == "Zelenskyy has"
