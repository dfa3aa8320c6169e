"""Layout: wrapping and the cell <-> offset mapping (the one place that maps cells to offsets)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from annotator.tui.layout import Layout, display_text

FAMILY = "👨\u200d👩\u200d👧"


def drawn(layout: Layout, row: int) -> str:
    r = layout.rows[row]
    return display_text(layout.text[r.start : r.end], 0)


def check_mapping(layout: Layout) -> None:
    text = layout.text
    previous = (-1, -1)
    for offset in range(len(text) + 1):
        row, x = layout.offset_to_cell(offset)
        assert 0 <= x < layout.width
        assert (row, x) >= previous, "mapping must be monotonic"
        previous = (row, x)
        back = layout.cell_to_offset(row, x)
        # every cell maps back into the same row
        assert layout.offset_to_cell(back)[0] == row
        cell = next((c for c in layout.row_cells(row) if c.start == offset), None)
        drawn_whole = cell is not None and cell.width > 0 and cell.x + cell.width <= layout.width
        if drawn_whole and not text[offset].isspace():
            assert back == offset, (offset, row, x)
    for i, r in enumerate(layout.rows):
        if r.kind == "text":
            content = layout.text[r.start : r.end].rstrip()
            graphemes = [c for c in layout.row_cells(i) if c.start < r.start + len(content)]
            # one grapheme wider than the row (a 2-cell emoji at width 1) may overflow
            # measured with the layout's graphemes (Rich's cell_len disagrees with its own
            # split_graphemes on nonsense like two ZWJs in a row; the strip is cropped anyway)
            used = max((c.x + c.width for c in graphemes), default=0)
            assert used <= layout.width or len(graphemes) == 1
            for x in range(layout.width):
                assert r.start <= layout.cell_to_offset(i, x) <= max(r.start, r.end)


def all_text_once(layout: Layout) -> None:
    """Rows cover the text in order; only newlines/whitespace fall between them."""
    pos = 0
    for r in layout.rows:
        if r.kind != "text":
            continue
        assert r.start >= pos
        assert not layout.text[pos : r.start].strip()
        pos = r.end
    assert not layout.text[pos:].strip()


def test_wraps_at_spaces_with_blank_row_between_paragraphs() -> None:
    layout = Layout("one two three four\nfive six", 9)
    texts = [(r.kind, layout.text[r.start : r.end]) for r in layout.rows]
    assert texts == [
        ("text", "one two "),
        ("text", "three "),
        ("text", "four"),
        ("blank", ""),
        ("text", "five six"),
    ]
    check_mapping(layout)


def test_blank_lines_collapse_and_offsets_stay_reachable() -> None:
    layout = Layout("\n\nalpha\n\n   \n\nbeta\n", 20)
    assert [r.kind for r in layout.rows] == ["text", "blank", "text"]
    assert layout.offset_to_cell(layout.text.index("beta")) == (2, 0)
    all_text_once(layout)
    check_mapping(layout)


def test_header_rows_are_virtual() -> None:
    layout = Layout("body", 20, header=("A title",))
    assert [r.kind for r in layout.rows] == ["virtual", "blank", "text"]
    assert layout.offset_to_cell(0) == (2, 0)
    assert layout.cell_to_offset(0, 3) == 0


def test_emoji_and_zwj_family_are_two_cells_and_never_split() -> None:
    text = f"a {FAMILY} b 😀x"
    layout = Layout(text, 40)
    fam = text.index(FAMILY)
    assert layout.offset_to_cell(fam) == (0, 2)
    # every code point of the family is in the same grapheme / cell
    for i in range(fam, fam + len(FAMILY)):
        assert layout.offset_to_cell(i) == (0, 2)
        assert layout.grapheme_at(i) == (fam, fam + len(FAMILY))
    assert layout.offset_to_cell(text.index("b")) == (0, 5)
    assert layout.offset_to_cell(text.index("x")) == (0, 9)
    assert layout.cell_to_offset(0, 3) == fam  # right half of the wide cell
    check_mapping(layout)


def test_long_emoji_token_breaks_between_graphemes() -> None:
    text = FAMILY * 10
    layout = Layout(text, 5)
    for r in layout.rows:
        piece = text[r.start : r.end]
        assert len(piece) % len(FAMILY) == 0  # whole families only
        assert cell_len(piece) <= 5
    all_text_once(layout)
    check_mapping(layout)


def test_combining_marks_take_no_cell() -> None:
    text = "cafe\u0301 noe\u0308l"
    layout = Layout(text, 40)
    assert layout.offset_to_cell(4) == (0, 3)  # the accent sits on the e
    assert layout.offset_to_cell(text.index("n")) == (0, 5)
    assert layout.grapheme_at(4) == (3, 5)
    check_mapping(layout)


def test_cjk_is_two_cells_and_hard_breaks() -> None:
    text = "中文字符串很长很长很长 ok"
    layout = Layout(text, 8)
    assert layout.offset_to_cell(1) == (0, 2)
    for r in layout.rows:
        assert cell_len(text[r.start : r.end].rstrip()) <= 8
    all_text_once(layout)
    check_mapping(layout)


def test_rtl_text_is_shown_in_logical_order() -> None:
    text = "שלום עולם abc"
    layout = Layout(text, 40)
    # no bidi reordering: the first letter is in the first cell
    assert [layout.offset_to_cell(i) for i in range(4)] == [(0, 0), (0, 1), (0, 2), (0, 3)]
    assert drawn(layout, 0) == text
    bidi = "a\u202eb"
    assert display_text(bidi, 0) == "ab"  # override characters are not sent to the terminal
    check_mapping(Layout(bidi, 10))


def test_tabs_expand_to_tab_stops_exactly() -> None:
    text = "a\tbc\td"
    layout = Layout(text, 40)
    assert layout.offset_to_cell(1) == (0, 1)
    assert layout.offset_to_cell(2) == (0, 4)
    assert layout.offset_to_cell(5) == (0, 8)
    assert drawn(layout, 0) == "a   bc  d"
    assert layout.cell_to_offset(0, 2) == 1  # inside the tab
    check_mapping(layout)


def test_very_long_token_is_hard_broken_fast() -> None:
    text = "x" * 300_000
    layout = Layout(text, 78)
    assert len(layout.rows) == -(-300_000 // 78)
    assert layout.offset_to_cell(299_999) == (len(layout.rows) - 1, 299_999 % 78)
    wide = Layout("中" * 1000, 10)
    assert len(wide.rows) == 200


def test_control_characters_drawn_as_replacement() -> None:
    text = "a\x1bb"
    layout = Layout(text, 10)
    assert drawn(layout, 0) == "a\ufffdb"
    assert layout.offset_to_cell(2) == (0, 2)


def test_untrusted_markup_is_plain_text() -> None:
    text = "[/] [@click=app.quit]x[/]"
    layout = Layout(text, 80)
    assert drawn(layout, 0) == text


ALPHABET = st.sampled_from(
    [*"ab c\t\n  .,'", "中", "😀", FAMILY, "e\u0301", "ש", "\u200d", "\ufe0f", "é", "\u0301"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join), st.integers(min_value=1, max_value=12))
def test_every_offset_maps_to_a_cell_and_back(text: str, width: int) -> None:
    layout = Layout(text, width)
    all_text_once(layout)
    check_mapping(layout)
