"""Wrap a document's text into display rows and map terminal cells <-> text offsets.

This is THE one place that knows how wide a piece of text is on screen. It is pure Python
(Rich's Unicode width tables only, no Textual) so it can be unit-tested and benchmarked alone.

Rules:

- Every character of the text belongs to exactly one row, in order (nothing is hidden, nothing
  repeated), so every offset is reachable with the cursor.  Newlines end a row; a blank row is shown
  between paragraphs (non-blank lines); whitespace-only lines show as the gap.
- Rows break at whitespace; the whitespace at a soft break hangs at the end of the row (it may
  overflow the width and is clipped when drawn).  A token wider than the row is hard-broken, never
  inside a grapheme (emoji ZWJ sequences, combining marks stay whole).
- Widths follow Rich (which is what Textual draws with): CJK and emoji 2 cells, combining marks,
  ZWJ and variation selectors 0.  Tabs expand to the next multiple of ``TAB_SIZE`` cells of the row.
  Control characters that survived sanitising are drawn as one replacement cell; bidi control
  characters are drawn as nothing (0 cells) so they cannot reorder the terminal's output.
- Right-to-left text is shown in logical (storage) order: no bidi reordering is done, so a Hebrew or
  Arabic word reads left-to-right cell by cell.  This keeps the offset <-> cell mapping monotonic.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size, split_graphemes

from annotator import lazy_re

TAB_SIZE = 4
REPLACEMENT = "\ufffd"

# Blocks whose characters are mostly one cell wide; filtered through Rich's own table, so a
# "simple" string (all characters in the set) is exactly ``len(s)`` cells and one grapheme per
# code point.  Covers Latin, Greek, Cyrillic, Hebrew, Arabic letters, typographic quotes and
# dashes, currency signs: almost every line of a news article takes the fast paths below.
_SINGLE_BLOCKS = [
    (0x20, 0x7E),
    (0xA0, 0x2FF),
    (0x370, 0x52F),
    (0x5D0, 0x5F4),
    (0x620, 0x64A),
    (0x1E00, 0x1FFF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2500, 0x25FC),
    (0x2800, 0x28FF),
]
# CJK ideographs, kana, hangul syllables, fullwidth forms: two cells each, one grapheme each.
_WIDE_BLOCKS = [
    (0x3041, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xFF01, 0xFF60),
]


def _runs_of_width(blocks: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    """Inclusive code point ranges inside ``blocks`` that Rich draws ``width`` cells wide.

    Exactly ``get_character_cell_size(chr(c)) == width`` for every ``c`` in the blocks, computed
    from Rich's range table in microseconds instead of ~40,000 lookups (a start-up cost).
    """
    try:
        from rich.cells import load_cell_table

        table = [(lo, hi, w) for lo, hi, w in load_cell_table("auto").widths]
    except Exception:  # Rich changed its internals: measure character by character
        return [
            (code, code)
            for lo, hi in blocks
            for code in range(lo, hi + 1)
            if get_character_cell_size(chr(code)) == width
        ]
    starts = [lo for lo, _, _ in table]
    runs: list[tuple[int, int]] = []

    def add(lo: int, hi: int, w: int) -> None:
        # get_character_cell_size's own rule: C0 (except NUL) and C1 controls are 0 cells.
        for c_lo, c_hi in ((1, 31), (0x7F, 0x9F)):
            if lo <= c_hi and hi >= c_lo:
                if lo < c_lo:
                    add(lo, c_lo - 1, w)
                if width == 0:
                    runs.append((max(lo, c_lo), min(hi, c_hi)))
                if hi > c_hi:
                    add(c_hi + 1, hi, w)
                return
        if w == width:
            runs.append((lo, hi))

    for lo, hi in blocks:
        code = lo
        i = max(0, bisect_right(starts, lo) - 1)
        while code <= hi:
            if i < len(table) and table[i][1] < code:
                i += 1
                continue
            if i >= len(table) or table[i][0] > code:  # a gap in the table: 1 cell
                stop = hi if i >= len(table) else min(hi, table[i][0] - 1)
                add(code, stop, 1)
            else:
                stop = min(hi, table[i][1])
                add(code, stop, table[i][2])
                i += 1
            code = stop + 1
    return runs


def _chars(runs: list[tuple[int, int]], exclude: str = "") -> frozenset[str]:
    return frozenset(
        ch for lo, hi in runs for ch in map(chr, range(lo, hi + 1)) if ch not in exclude
    )


_SINGLE_CELLS = _chars(_runs_of_width(_SINGLE_BLOCKS, 1), exclude="\u00ad")
_is_simple = _SINGLE_CELLS.issuperset


def _is_wide(piece: str) -> bool:
    """All characters two cells wide (and one grapheme each).

    The set (~39,000 characters) is built on the first call, i.e. only for text that is not
    simple; the name is then rebound to the set's ``issuperset``.
    """
    global _is_wide
    _is_wide = _chars(_runs_of_width(_WIDE_BLOCKS, 2)).issuperset
    return _is_wide(piece)


# Bidi embedding / override / isolate controls and marks: drawn as nothing.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that get a cell of their own with a computed width (not Rich's 0).
_SPECIAL_RE = lazy_re.compile(__name__, "_SPECIAL_RE", r"[\t\x00-\x08\x0a-\x1f\x7f-\x9f]")
# Where rows may break: spaces, tabs and the breaking Unicode spaces (not NBSP, not figure space).
_BREAK = " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_WORD_RE = lazy_re.compile(__name__, "_WORD_RE", f"[^{_BREAK}]+")
_NON_WS_RE = lazy_re.compile(__name__, "_NON_WS_RE", r"\S")


class Row(NamedTuple):
    """One display row. Shows ``text[start:end]``; ``kind`` is "text", "blank" or "virtual".

    Blank rows (paragraph gaps) and virtual rows (a title/date line not in the text) own no
    offsets: ``start == end`` there.  ``label`` is the display text of a virtual row.
    """

    start: int
    end: int
    kind: str = "text"
    label: str = ""


class Cell(NamedTuple):
    """A grapheme on a row: ``text[start:end]`` drawn at cells ``x .. x+width``."""

    start: int
    end: int
    x: int
    width: int


def display_text(piece: str, x: int) -> str:
    """What to draw for ``piece`` starting at cell ``x`` (tabs expanded, controls replaced)."""
    if _is_simple(piece):
        return piece
    out: list[str] = []
    pos = 0
    for match in _SPECIAL_RE.finditer(piece):
        sub = piece[pos : match.start()]
        out.append(sub)
        x += text_width(sub)
        if match.group() == "\t":
            n = TAB_SIZE - (x % TAB_SIZE)
            out.append(" " * n)
            x += n
        else:
            out.append(REPLACEMENT)
            x += 1
        pos = match.end()
    out.append(piece[pos:])
    drawn = "".join(out)
    if not _BIDI.isdisjoint(drawn):
        drawn = "".join(ch for ch in drawn if ch not in _BIDI)
    return drawn


def graphemes(text: str, start: int, end: int, x0: int = 0) -> list[Cell]:
    """The graphemes of ``text[start:end]`` with their cell positions, starting at cell ``x0``."""
    piece = text[start:end]
    cells: list[Cell] = []
    x = x0
    if _is_simple(piece):
        return [Cell(start + i, start + i + 1, x0 + i, 1) for i in range(len(piece))]
    pos = 0
    for match in _SPECIAL_RE.finditer(piece):
        x = _plain_graphemes(piece, pos, match.start(), start, x, cells)
        width = TAB_SIZE - (x % TAB_SIZE) if match.group() == "\t" else 1
        cells.append(Cell(start + match.start(), start + match.end(), x, width))
        x += width
        pos = match.end()
    _plain_graphemes(piece, pos, len(piece), start, x, cells)
    return cells


def _plain_graphemes(piece: str, lo: int, hi: int, base: int, x: int, out: list[Cell]) -> int:
    if lo >= hi:
        return x
    sub = piece[lo:hi]
    if _is_simple(sub):
        for i in range(len(sub)):
            out.append(Cell(base + lo + i, base + lo + i + 1, x + i, 1))
        return x + len(sub)
    spans, _ = split_graphemes(sub)
    for g_start, g_end, width in spans:
        out.append(Cell(base + lo + g_start, base + lo + g_end, x, width))
        x += width
    return x


def text_width(piece: str) -> int:
    """Cells of ``piece`` when it contains no tabs (tabs depend on the position)."""
    if _is_simple(piece):
        return len(piece)
    # Measured grapheme by grapheme, like ``graphemes`` draws them: Rich's ``cell_len`` can
    # disagree with its own ``split_graphemes`` on stray joiners.
    total = 0
    pos = 0
    for match in _SPECIAL_RE.finditer(piece):
        total += _grapheme_width(piece[pos : match.start()]) + 1
        pos = match.end()
    return total + _grapheme_width(piece[pos:])


def _grapheme_width(piece: str) -> int:
    if not piece:
        return 0
    if _is_simple(piece):
        return len(piece)
    return split_graphemes(piece)[1]


class Layout:
    """Display rows of ``text`` for ``width`` cells, and the cell <-> offset mapping.

    ``header`` lines (e.g. a title taken from metadata, not present in the text) are shown first as
    virtual rows.  Built once per width; lookups are O(log rows) plus O(width) for one row.
    """

    def __init__(self, text: str, width: int, header: tuple[str, ...] = ()) -> None:
        self.text = text
        self.width = max(1, width)
        self.rows: list[Row] = []
        for line in header:
            self.rows.append(Row(0, 0, "virtual", line))
        if header:
            self.rows.append(Row(0, 0, "blank"))
        self._wrap()
        if not self.rows:
            self.rows.append(Row(0, 0, "text"))
        # Content rows in order, for offset -> row lookups.
        self._content: list[int] = [i for i, row in enumerate(self.rows) if row.kind == "text"]
        self._starts: list[int] = [self.rows[i].start for i in self._content]
        self._cells: OrderedDict[int, list[Cell]] = OrderedDict()

    # ------------------------------------------------------------------ wrapping

    def _wrap(self) -> None:
        text, width, rows = self.text, self.width, self.rows
        Row_ = Row
        pos = 0
        n = len(text)
        need_gap = False
        while pos <= n:
            nl = text.find("\n", pos)
            line_end = n if nl < 0 else nl
            first = _NON_WS_RE.search(text, pos, line_end)
            if first is None:
                # Whitespace-only line: no row; its offsets belong to the previous row's end.
                if nl < 0:
                    break
                pos = nl + 1
                continue
            if need_gap:
                rows.append(Row_(pos, pos, "blank"))
            need_gap = True
            line = text[pos:line_end]
            if not _is_simple(line):
                self._wrap_line(line, pos)
            elif len(line) <= width:
                rows.append(Row_(pos, line_end, "text"))
            else:
                self._wrap_simple(line, pos)
            if nl < 0:
                break
            pos = nl + 1

    def _wrap_simple(self, line: str, base: int) -> None:
        """Greedy wrap of a line of one-cell characters (only " " can break): C-speed searches."""
        width, rows = self.width, self.rows
        n = len(line)
        start = 0
        while n - start > width:
            end = start + width
            if line[end] == " ":
                cut = end  # the window is full of whole words
            else:
                space = line.rfind(" ", start, end)
                if space >= start:
                    cut = space + 1
                else:
                    # a token wider than the row: hard break
                    rows.append(Row(base + start, base + end, "text"))
                    start = end
                    continue
            while cut < n and line[cut] == " ":
                cut += 1
            rows.append(Row(base + start, base + cut, "text"))
            start = cut
        if start < n or not rows or rows[-1].end != base + n:
            rows.append(Row(base + start, base + n, "text"))

    def _wrap_line(self, line: str, base: int) -> None:
        width, rows = self.width, self.rows
        simple = _is_simple(line)
        row_start = 0
        x = 0
        pos = 0
        for match in _WORD_RE.finditer(line):
            w_start, w_end = match.span()
            if (
                not simple
                and w_start > pos
                and line[w_start - 1] != "\t"  # a tab is a cell of its own (see graphemes)
                and get_character_cell_size(line[w_start]) == 0
            ):
                # A space carrying combining marks or joiners is one grapheme with them: it is
                # part of the word, and no row may break inside it.
                w_start -= 1
            # The whitespace before this word (hangs at the end of the current row).
            if w_start > pos:
                gap = line[pos:w_start]
                if simple:
                    x += len(gap)
                else:
                    for ch in gap:
                        x += TAB_SIZE - (x % TAB_SIZE) if ch == "\t" else text_width(ch)
            word = line[w_start:w_end]
            if simple:
                w = len(word)
            elif _is_wide(word):
                w = 2 * len(word)
            else:
                w = text_width(word)
            if x + w <= width:
                x += w
            elif w <= width:
                if w_start > row_start:
                    rows.append(Row(base + row_start, base + w_start, "text"))
                row_start = w_start
                x = w
            else:
                if w_start > row_start:
                    rows.append(Row(base + row_start, base + w_start, "text"))
                row_start, x = self._hard_break(line, base, w_start, w_end, simple)
            pos = w_end
        rows.append(Row(base + row_start, base + len(line), "text"))

    def _hard_break(self, line: str, base: int, lo: int, hi: int, simple: bool) -> tuple[int, int]:
        """Chop ``line[lo:hi]`` into rows of at most ``width`` cells; returns (last start, x)."""
        width, rows = self.width, self.rows
        if simple:
            start = lo
            while hi - start > width:
                rows.append(Row(base + start, base + start + width, "text"))
                start += width
            return start, hi - start
        if _is_wide(line[lo:hi]):
            step = max(1, width // 2)
            start = lo
            while hi - start > step:
                rows.append(Row(base + start, base + start + step, "text"))
                start += step
            return start, 2 * (hi - start)
        start = lo
        x = 0
        for cell in graphemes(line, lo, hi, 0):
            rel = cell.start
            if x + cell.width > width and rel > start:
                rows.append(Row(base + start, base + rel, "text"))
                start = rel
                x = 0
            x += cell.width
        return start, x

    # ------------------------------------------------------------------ lookups

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def height(self) -> int:
        return len(self.rows)

    def row_of(self, offset: int) -> int:
        """Index of the row that owns ``offset`` (clamped into the text)."""
        i = bisect_right(self._starts, offset) - 1
        return self._content[max(0, i)]

    def row_cells(self, row: int) -> list[Cell]:
        """The graphemes drawn on ``row`` (cached for recently used rows)."""
        cells = self._cells.get(row)
        if cells is not None:
            self._cells.move_to_end(row)
            return cells
        r = self.rows[row]
        cells = graphemes(self.text, r.start, r.end, 0) if r.kind == "text" else []
        self._cells[row] = cells
        if len(self._cells) > 256:
            self._cells.popitem(last=False)
        return cells

    def is_simple_row(self, row: int) -> bool:
        r = self.rows[row]
        return _is_simple(self.text[r.start : r.end])

    def offset_to_cell(self, offset: int) -> tuple[int, int]:
        """(row, x) where the character at ``offset`` is drawn.

        Offsets that are not drawn (newlines, whitespace past the right edge) map to the last
        visible cell position of their row, so the mapping is monotonic.
        """
        offset = max(0, min(offset, len(self.text)))
        row = self.row_of(offset)
        r = self.rows[row]
        if offset < r.start:
            x = 0
        elif offset >= r.end:
            x = self._row_width(row)
        elif _is_simple(self.text[r.start : offset + 1]):
            x = offset - r.start
        else:
            x = 0
            for cell in self.row_cells(row):
                if cell.end > offset:
                    x = cell.x
                    break
        return row, min(x, self.width - 1)

    def _row_width(self, row: int) -> int:
        r = self.rows[row]
        if _is_simple(self.text[r.start : r.end]):
            return r.end - r.start
        cells = self.row_cells(row)
        return cells[-1].x + cells[-1].width if cells else 0

    def content_width(self, row: int) -> int:
        """Cells of ``row`` without its trailing whitespace."""
        r = self.rows[row]
        if r.kind == "virtual":
            return cell_len(r.label)
        if r.kind != "text":
            return 0
        piece = self.text[r.start : r.end]
        stripped = len(piece.rstrip())
        if _is_simple(piece):
            return stripped
        last = r.start + stripped
        width = 0
        for cell in self.row_cells(row):
            if cell.start >= last:
                break
            width = cell.x + cell.width
        return width

    def cell_to_offset(self, row: int, x: int) -> int:
        """Offset of the grapheme drawn at (row, x).

        Past the end of the row's text: the last non-blank grapheme of the row.  Blank and
        virtual rows: the start of the next content row (or the end of the text).
        """
        row = max(0, min(row, len(self.rows) - 1))
        r = self.rows[row]
        if r.kind != "text":
            for i in range(row + 1, len(self.rows)):
                if self.rows[i].kind == "text":
                    return self.rows[i].start
            return self.rows[self._content[-1]].start if self._content else 0
        x = max(0, x)
        piece = self.text[r.start : r.end]
        if x >= self.content_width(row) or x >= self.width:
            stripped = piece.rstrip()
            if not stripped:
                return r.start
            return self._grapheme_start(row, r.start + len(stripped) - 1)
        if _is_simple(piece):
            return r.start + x
        best = r.start
        for cell in self.row_cells(row):
            if cell.x > x:
                break
            best = cell.start
            if cell.x + cell.width > x:
                break
        return best

    def _grapheme_start(self, row: int, offset: int) -> int:
        r = self.rows[row]
        if _is_simple(self.text[r.start : offset + 1]):
            return offset
        for cell in self.row_cells(row):
            if cell.end > offset:
                return cell.start
        return offset

    def grapheme_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the grapheme containing ``offset``."""
        row = self.row_of(offset)
        r = self.rows[row]
        if offset >= r.end or _is_simple(self.text[r.start : min(r.end, offset + 2)]):
            return offset, offset + 1
        for cell in self.row_cells(row):
            if cell.end > offset:
                return cell.start, cell.end
        return offset, offset + 1

    def row_range(self, start: int, end: int) -> tuple[int, int]:
        """Rows [first, last] that show any of ``start..end`` (end exclusive)."""
        first = self.row_of(start)
        last = self.row_of(max(start, end - 1))
        return first, last

    def next_content_row(self, row: int, delta: int) -> int | None:
        """The content row ``delta`` content rows away (skipping gaps), or None."""
        i = row
        step = 1 if delta > 0 else -1
        remaining = abs(delta)
        while remaining:
            i += step
            if i < 0 or i >= len(self.rows):
                return None
            if self.rows[i].kind == "text":
                remaining -= 1
        return i
