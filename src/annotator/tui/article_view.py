"""The article reader: a Line API ScrollView that draws one wrapped row at a time.

Per-keystroke work depends on what is visible, not on the document's length: the layout (rows for
one width) is built once per width, rows are rendered on demand into an LRU cache of Strips keyed
by (row, width, version), and a change (cursor, selection, spans) discards only the rows it
touches.  Article text is data: Segments are built from plain strings, never markup.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator import lazy_re
from annotator.model import DEFAULT_SCHEMA, Document, LabelSchema, Relation, Span
from annotator.text import TextIndex, Unit
from annotator.tui import styles
from annotator.tui.layout import Layout, display_text, text_width

_WORDISH = lazy_re.compile(__name__, "_WORDISH", r"\w")
LONG_SPAN = 1024  # spans longer than this are kept in a short list scanned for every row
MAX_SKIP = 64  # punctuation tokens skipped at most by one word move


class _Layer(NamedTuple):
    start: int
    end: int
    style: Style


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one Document with its spans; keyboard-first cursor and token-snapped selection."""

    ALLOW_SELECT = False  # we do our own (token-snapped) mouse selection

    DEFAULT_CSS = """
    ArticleView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "word(-1)", "Word left", show=False),
        Binding("right", "word(1)", "Word right", show=False),
        Binding("shift+left", "word(-1, True)", "Extend left", show=False),
        Binding("shift+right", "word(1, True)", "Extend right", show=False),
        Binding("up", "line(-1)", "Line up", show=False),
        Binding("down", "line(1)", "Line down", show=False),
        Binding("shift+up", "line(-1, True)", "Extend up", show=False),
        Binding("shift+down", "line(1, True)", "Extend down", show=False),
        Binding("home", "line_edge(False)", "Line start", show=False),
        Binding("end", "line_edge(True)", "Line end", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home", "doc_edge(False)", "Top", show=False),
        Binding("ctrl+end", "doc_edge(True)", "Bottom", show=False),
    ]

    max_wrap_width: int = 100
    """Rows are wrapped at most this wide, for readability on big terminals."""

    # ------------------------------------------------------------------ messages

    class CursorMoved(Message):
        """Posted after any cursor move."""

        def __init__(self, view: ArticleView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> ArticleView:
            return self.view

    class SelectionChanged(Message):
        """Posted when the selection changes (None: cleared)."""

        def __init__(self, view: ArticleView, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.selection = selection

        @property
        def control(self) -> ArticleView:
            return self.view

    # ------------------------------------------------------------------ setup

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.doc: Document | None = None
        self.index: TextIndex = TextIndex("")
        self.schema: LabelSchema = DEFAULT_SCHEMA
        self.relations: list[Relation] = []
        self._text = ""
        self._spans: list[Span] = []
        self._span_starts: list[int] = []
        self._short: list[Span] = []
        self._short_starts: list[int] = []
        self._long: list[Span] = []
        self._boiler: list[tuple[int, int]] = []
        self._outside: list[tuple[int, int]] = []  # Document.outside_story()
        self._sent_starts: list[int] = []
        self._para_starts: list[int] = []
        self._layout: Layout | None = None
        self._cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(1024)
        self._version = 0
        self._palette: styles.Palette | None = None
        self._cursor = 0
        self._goal_x: int | None = None
        self._selection: tuple[int, int] | None = None
        self._anchor: tuple[int, int] | None = None
        self._head: int | None = None
        self._focus_span: Span | None = None
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._current_match: int | None = None
        self._hints: list[tuple[int, str, Span]] = []
        self._hint_starts: list[int] = []
        self._drag_origin: int | None = None
        self.render_count = 0  # rows rendered (not served from the cache): for tests/benchmarks

    # ------------------------------------------------------------------ public API

    def show(
        self,
        doc: Document,
        index: TextIndex,
        spans: list[Span],
        relations: list[Relation],
        schema: LabelSchema,
        *,
        cursor: int = 0,
    ) -> None:
        """Display ``doc``; cursor at ``cursor`` (scrolled into view), nothing selected."""
        self.doc = doc
        self.index = index
        self.schema = schema
        self._text = doc.text
        self._boiler = sorted(doc.boilerplate)
        self._outside = doc.outside_story()  # a selection stays in one stretch of story text
        self._sent_starts = [u.start for u in index.sentences]
        self._para_starts = [u.start for u in index.paragraphs]
        self._palette = None
        self._matches, self._match_starts, self._current_match = [], [], None
        self._hints, self._hint_starts = [], []
        self._selection = self._anchor = self._head = None
        self._load_spans(spans)
        self.relations = list(relations)
        self._layout = None
        self._cursor = max(0, min(cursor, len(self._text)))
        self._focus_span = self._innermost(self._cursor)
        self._goal_x = None
        self._clear_cache()
        self._ensure_layout()
        self.scroll_to(y=0, animate=False)
        self._scroll_to_cursor(center=True)
        # the new virtual size is applied on the next refresh: scroll again then
        self.call_after_refresh(self._scroll_to_cursor, center=True)
        self.refresh()
        self.post_message(self.CursorMoved(self, self._cursor))
        self.post_message(self.SelectionChanged(self, None))

    def set_spans(self, spans: list[Span], relations: list[Relation]) -> None:
        """Replace the spans (after tag/delete/undo); keeps cursor and scroll, redraws what changed."""
        old = {(s.id, s.start, s.end, s.label, s.origin) for s in self._spans}
        new = {(s.id, s.start, s.end, s.label, s.origin) for s in spans}
        changed = old ^ new
        self._load_spans(spans)
        self.relations = list(relations)
        focus = self._innermost(self._cursor)
        if focus != self._focus_span:
            for span in (self._focus_span, focus):
                if span is not None:
                    changed.add((span.id, span.start, span.end, span.label, span.origin))
            self._focus_span = focus
        if len(changed) > 64:
            self._clear_cache()
            self.refresh()
        else:
            for _id, start, end, _label, _origin in changed:
                self._invalidate(start, end)

    @property
    def spans(self) -> list[Span]:
        return list(self._spans)

    @property
    def cursor(self) -> int:
        return self._cursor

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self._set_cursor(offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        return self._selection

    @property
    def layout_rows(self) -> Layout | None:
        """The current layout (None before the widget has a size)."""
        return self._layout

    def move_word(self, delta: int, *, extend: bool = False) -> None:
        """Left/Right by word (token starts; punctuation-only tokens are skipped)."""
        if extend:
            self._extend_word(delta)
            return
        self._drop_selection()
        pos = self._cursor
        for _ in range(abs(delta)):
            token = self._next_start(pos) if delta > 0 else self._prev_start(pos)
            if token is None:
                break
            pos = token.start
        self._set_cursor(pos)

    def move_line(self, delta: int, *, extend: bool = False) -> None:
        """Up/Down by visual (wrapped) row, keeping the column the cursor wanted."""
        layout = self._layout
        if layout is None:
            return
        row, x = layout.offset_to_cell(self._cursor)
        goal = self._goal_x if self._goal_x is not None else x
        target = layout.next_content_row(row, delta)
        if target is None:
            # past the first/last row: go to the document edge
            offset = 0 if delta < 0 else self._last_offset()
        else:
            offset = self._row_offset(target, goal)
        if extend:
            if not self._extend_to(offset):
                self._goal_x = goal
                return
        else:
            self._drop_selection()
        self._set_cursor(offset, keep_goal=True)
        self._goal_x = goal

    def move_sentence(self, delta: int) -> None:
        """To the start of the next / this-or-previous sentence."""
        self._drop_selection()
        self._set_cursor(self._jump(self._sent_starts, self._cursor, delta), center=True)

    def move_paragraph(self, delta: int) -> None:
        """To the start of the next / this-or-previous paragraph."""
        self._drop_selection()
        self._set_cursor(self._jump(self._para_starts, self._cursor, delta), center=True)

    def move_line_edge(self, end: bool) -> None:
        """Home/End of the visual row (End: the last character that is not a space)."""
        layout = self._layout
        if layout is None:
            return
        self._drop_selection()
        row, _x = layout.offset_to_cell(self._cursor)
        r = layout.rows[row]
        if end:
            offset = layout.cell_to_offset(row, layout.width)
        else:
            piece = self._text[r.start : r.end]
            offset = r.start + (len(piece) - len(piece.lstrip()) if piece.strip() else 0)
        self._set_cursor(offset)

    def move_page(self, delta: int) -> None:
        """PageUp/PageDown: the cursor and the view move by one screen of rows."""
        layout = self._layout
        if layout is None:
            return
        self._drop_selection()
        height = max(1, self.scrollable_content_region.height - 1)
        row, x = layout.offset_to_cell(self._cursor)
        goal = self._goal_x if self._goal_x is not None else x
        target = max(0, min(len(layout.rows) - 1, row + delta * height))
        self.scroll_to(y=max(0, self.scroll_offset.y + delta * height), animate=False)
        self._set_cursor(self._row_offset(target, goal), keep_goal=True)
        self._goal_x = goal

    def move_doc_edge(self, end: bool) -> None:
        """Top (start of the text) or bottom (start of the last token)."""
        self._drop_selection()
        self._set_cursor(self._last_offset() if end else 0)

    def move_to_span(self, delta: int) -> Span | None:
        """Jump to the next/previous span start (any label, suggestions included)."""
        if not self._spans:
            return None
        if delta > 0:
            i = bisect_right(self._span_starts, self._cursor)
            if i >= len(self._spans):
                return None
        else:
            i = bisect_left(self._span_starts, self._cursor) - 1
            if i < 0:
                return None
        span = self._spans[i]
        self._drop_selection()
        self._set_cursor(span.start, center=True)
        return span

    def move_to(self, offset: int, *, select_to: int | None = None) -> None:
        """Jump to ``offset`` (span list, search); ``select_to`` selects offset..select_to."""
        self._set_cursor(offset, center=True)
        if select_to is None:
            self._drop_selection()
        else:
            self._anchor = self._head = None
            self._set_selection(self._snap(min(offset, select_to), max(offset, select_to)))

    def select_sentence(self) -> None:
        """Select the sentence at (or after) the cursor."""
        unit = self.index.sentence_at(self._cursor)
        if unit is None:
            i = self.index.sentence_index_at(self._cursor)
            if i >= len(self.index.sentences):
                return
            unit = self.index.sentences[i]
        self._anchor = self._head = None
        self._set_selection(self._snap(unit.start, unit.end))

    def select_quotation(self) -> bool:
        """Select the text between the quotes around the cursor; False if there are none."""
        unit: Unit | None = self.index.quotation_at(self._cursor)
        if unit is None:
            return False
        self._anchor = self._head = None
        self._set_selection(self._snap(unit.start, unit.end))
        return True

    def clear_selection(self) -> None:
        self._drop_selection()

    def target(self) -> tuple[int, int] | None:
        """What a tag key applies to: the selection, else the token under (or after) the cursor."""
        if self._selection is not None:
            return self._selection
        token = self._token_for(self._cursor)
        return (token.start, token.end) if token is not None else None

    def spans_at_cursor(self) -> list[Span]:
        """Spans containing the cursor, innermost (shortest) first."""
        found = [s for s in self._overlapping(self._cursor, self._cursor + 1)]
        found = [s for s in found if s.start <= self._cursor < s.end]
        found.sort(key=lambda s: (s.end - s.start, s.start, s.label))
        return found

    def set_hints(self, hints: dict[str, Span] | None) -> None:
        """Draw hint letters over the first cells of spans (linking mode); None removes them."""
        old = self._hints
        entries = sorted((span.start, letter, span) for letter, span in (hints or {}).items())
        self._hints = entries
        self._hint_starts = [start for start, _letter, _span in entries]
        for start, _letter, span in (*old, *entries):
            self._invalidate(start, min(span.end, start + 8))

    def set_matches(self, matches: list[tuple[int, int]], current: int | None = None) -> None:
        """Highlight search hits; ``current`` is the index of the focused hit."""
        old = self._matches
        self._matches = sorted(matches)
        self._match_starts = [m[0] for m in self._matches]
        self._current_match = current
        if len(old) + len(matches) > 64:
            self._clear_cache()
            self.refresh()
        else:
            for start, end in (*old, *self._matches):
                self._invalidate(start, end)

    # ------------------------------------------------------------------ actions (bindings)

    def action_word(self, delta: int, extend: bool = False) -> None:
        self.move_word(delta, extend=extend)

    def action_line(self, delta: int, extend: bool = False) -> None:
        self.move_line(delta, extend=extend)

    def action_line_edge(self, end: bool) -> None:
        self.move_line_edge(end)

    def action_page(self, delta: int) -> None:
        self.move_page(delta)

    def action_doc_edge(self, end: bool) -> None:
        self.move_doc_edge(end)

    # ------------------------------------------------------------------ spans

    def _load_spans(self, spans: list[Span]) -> None:
        ordered = sorted(spans, key=lambda s: s.sort_key)
        self._spans = ordered
        self._span_starts = [s.start for s in ordered]
        self._short = [s for s in ordered if s.end - s.start <= LONG_SPAN]
        self._short_starts = [s.start for s in self._short]
        self._long = [s for s in ordered if s.end - s.start > LONG_SPAN]

    def _overlapping(self, start: int, end: int) -> list[Span]:
        """Spans overlapping start..end, in document order (outer before inner)."""
        i = bisect_right(self._short_starts, start - LONG_SPAN)
        j = bisect_left(self._short_starts, end)
        found = [s for s in self._short[i:j] if s.end > start]
        if self._long:
            found.extend(s for s in self._long if s.start < end and s.end > start)
            found.sort(key=lambda s: s.sort_key)
        return found

    def _innermost(self, offset: int) -> Span | None:
        inside = [s for s in self._overlapping(offset, offset + 1) if s.start <= offset < s.end]
        if not inside:
            return None
        return min(inside, key=lambda s: (s.end - s.start, s.start, s.label))

    # ------------------------------------------------------------------ tokens

    def _wordish(self, i: int) -> bool:
        return _WORDISH.search(self.index.tokens[i].text) is not None

    def _next_start(self, pos: int) -> Unit | None:
        """First word-ish token starting after ``pos`` (punctuation skipped, within limits)."""
        tokens = self.index.tokens
        i = self.index.token_index_before(pos + 1) + 1
        first = i
        while i < len(tokens) and not self._wordish(i) and i - first < MAX_SKIP:
            i += 1
        return tokens[i] if i < len(tokens) else None

    def _prev_start(self, pos: int) -> Unit | None:
        tokens = self.index.tokens
        i = self.index.token_index_before(pos)
        first = i
        while i >= 0 and not self._wordish(i) and first - i < MAX_SKIP:
            i -= 1
        return tokens[i] if i >= 0 else None

    def _next_end(self, pos: int) -> Unit | None:
        """First word-ish token ending after ``pos``."""
        tokens = self.index.tokens
        i = self.index.token_index_at_or_after(pos)
        first = i
        while i < len(tokens) and not self._wordish(i) and i - first < MAX_SKIP:
            i += 1
        return tokens[i] if i < len(tokens) else None

    def _prev_end(self, pos: int) -> Unit | None:
        """Last word-ish token ending before ``pos``."""
        tokens = self.index.tokens
        i = self.index.token_index_at_or_after(pos - 1) - 1
        first = i
        while i >= 0 and not self._wordish(i) and first - i < MAX_SKIP:
            i -= 1
        return tokens[i] if i >= 0 else None

    def _token_for(self, offset: int) -> Unit | None:
        """The token under ``offset``, else the next one, else the last one."""
        tokens = self.index.tokens
        if not tokens:
            return None
        i = self.index.token_at(offset)
        if i is None:
            i = self.index.token_index_at_or_after(offset)
            if i >= len(tokens):
                i = len(tokens) - 1
        return tokens[i]

    def _snap(self, start: int, end: int) -> tuple[int, int] | None:
        start, end = self.index.snap(start, end)
        return (start, end) if end > start else None

    def _last_offset(self) -> int:
        tokens = self.index.tokens
        return tokens[-1].start if tokens else 0

    @staticmethod
    def _jump(starts: list[int], pos: int, delta: int) -> int:
        if not starts:
            return pos
        if delta > 0:
            i = bisect_right(starts, pos) + delta - 1
            return starts[min(i, len(starts) - 1)]
        i = bisect_left(starts, pos) + delta
        return starts[max(i, 0)]

    # ------------------------------------------------------------------ selection

    def _drop_selection(self) -> None:
        self._anchor = self._head = None
        self._set_selection(None)

    def _begin_extend(self) -> bool:
        """Set up anchor/head; True if this press only selected the token under the cursor."""
        if self._anchor is not None and self._selection is not None:
            return False
        if self._selection is not None:
            start, end = self._selection
            token = self._token_for(start)
            if token is None:
                return True
            self._anchor = (token.start, token.end)
            self._head = end if end > token.end else None
            return False
        token = self._token_for(self._cursor)
        if token is None:
            return True
        self._anchor = (token.start, token.end)
        self._head = None
        return True

    def _extend_word(self, delta: int) -> None:
        fresh = self._begin_extend()
        if self._anchor is None:
            return
        steps = abs(delta) - (1 if fresh else 0)
        a0, a1 = self._anchor
        for _ in range(steps):
            head = self._head
            if delta > 0:
                if head is None or head >= a1:
                    token = self._next_end(a1 if head is None else head)
                    if token is not None:
                        self._head = token.end
                else:
                    token = self._next_start(head)
                    self._head = None if token is None or token.start >= a0 else token.start
            else:
                if head is None or head <= a0:
                    token = self._prev_start(a0 if head is None else head)
                    if token is not None:
                        self._head = token.start
                else:
                    token = self._prev_end(head)
                    self._head = None if token is None or token.end <= a1 else token.end
        self._apply_extension()

    def _extend_to(self, offset: int) -> bool:
        """Shift+Up/Down: move the head to the token at ``offset`` (the anchor stays). False
        when the cursor should not go to ``offset`` (the head stopped at the edge of the story
        text: the cursor is already there)."""
        self._begin_extend()
        if self._anchor is None:
            return True
        a0, a1 = self._anchor
        token = self._token_for(offset)
        if token is None or a0 <= token.start < a1:
            self._head = None
        elif token.start >= a1:
            self._head = token.end
        else:
            self._head = token.start
        return not self._apply_extension(move_cursor=False)

    def _keep_in_story(self) -> bool:
        """Pull the head back into the anchor's stretch of story text (as tagging cuts it,
        Document.story_part): Shift+↓ from the title stops at its end instead of taking the
        date line, and no selection runs into boilerplate. True when the head was pulled."""
        assert self._anchor is not None
        head = self._head
        if head is None:
            return False
        a0, a1 = self._anchor
        lo, hi = self.doc.story_stretch(a0, self._outside)
        tokens = self.index.tokens
        if head > max(hi, a1):
            i = self.index.token_index_at_or_after(hi) - 1  # the last token ending by hi
            end = tokens[i].end if i >= 0 else a1
            self._head = end if end > a1 else None
        elif head < min(lo, a0):
            i = self.index.token_index_before(lo) + 1  # the first token starting at lo or later
            start = tokens[i].start if i < len(tokens) else a0
            self._head = start if start < a0 else None
        else:
            return False
        return True

    def _apply_extension(self, move_cursor: bool = True) -> bool:
        """Select from the anchor to the head (kept in the story); True when the head had to
        be pulled back into it (the cursor then goes with the selection's end)."""
        assert self._anchor is not None
        pulled = self._keep_in_story()
        if pulled:
            move_cursor = True  # the cursor stays with the selection's end, not past it
        a0, a1 = self._anchor
        head = self._head
        start = a0 if head is None else min(a0, head)
        end = a1 if head is None else max(a1, head)
        self._set_selection((start, end))
        if move_cursor:
            if head is None:
                cursor = a0
            elif head > a1:
                token = self._token_for(head - 1)
                cursor = token.start if token is not None else head
            else:
                cursor = head
            self._set_cursor(cursor)
        return pulled

    def _set_selection(self, selection: tuple[int, int] | None) -> None:
        old = self._selection
        if old == selection:
            return
        self._selection = selection
        if old is not None and selection is not None:
            self._invalidate(min(old[0], selection[0]), max(old[0], selection[0]) + 1)
            self._invalidate(min(old[1], selection[1]) - 1, max(old[1], selection[1]))
        else:
            for sel in (old, selection):
                if sel is not None:
                    self._invalidate(*sel)
        self.post_message(self.SelectionChanged(self, selection))

    # ------------------------------------------------------------------ cursor

    def _set_cursor(
        self, offset: int, *, keep_goal: bool = False, center: bool = False, scroll: bool = True
    ) -> None:
        offset = max(0, min(offset, len(self._text)))
        old = self._cursor
        self._cursor = offset
        if not keep_goal:
            self._goal_x = None
        focus = self._innermost(offset)
        if focus != self._focus_span:
            for span in (self._focus_span, focus):
                if span is not None:
                    self._invalidate(span.start, span.end)
            self._focus_span = focus
        self._invalidate(old, old + 1)
        self._invalidate(offset, offset + 1)
        if scroll:
            self._scroll_to_cursor(center=center)
        if old != offset:
            self.post_message(self.CursorMoved(self, offset))

    def _row_offset(self, row: int, x: int) -> int:
        """The offset at (row, x), moved off trailing whitespace."""
        assert self._layout is not None
        offset = self._layout.cell_to_offset(row, x)
        return offset

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        layout = self._layout
        if layout is None:
            return
        row, _x = layout.offset_to_cell(self._cursor)
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        margin = min(2, (height - 1) // 2)
        if top + margin <= row < top + height - margin:
            return
        if center and not top <= row < top + height:
            target = row - height // 3
        elif row < top + margin:
            target = row - margin
        elif row >= top + height - margin:
            target = row - height + margin + 1
        else:
            return
        self.scroll_to(y=max(0, target), animate=False)

    # ------------------------------------------------------------------ layout and cache

    def _wrap_width(self) -> int:
        return max(1, min(self.scrollable_content_region.width, self.max_wrap_width))

    def _ensure_layout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        wrap = self._wrap_width()
        if self._layout is not None and self._layout.width == wrap:
            self.virtual_size = Size(width, len(self._layout.rows))
            return
        header: list[str] = []
        doc = self.doc
        if doc is not None:
            if doc.title and doc.title_span is None:
                header.append(doc.title)
            if doc.date is not None and doc.date_span is None:
                header.append(doc.date.strftime("%d %B %Y, %H:%M"))
        self._layout = Layout(self._text, wrap, tuple(header))
        self._clear_cache()
        self.virtual_size = Size(width, len(self._layout.rows))

    def on_resize(self, event: Resize) -> None:
        layout = self._layout
        self._ensure_layout()
        if self._layout is not layout:
            self._scroll_to_cursor(center=True)
            self.call_after_refresh(self._scroll_to_cursor, center=True)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._palette = None
        self._clear_cache()

    def _clear_cache(self) -> None:
        self._cache.clear()
        self._version += 1

    def _invalidate(self, start: int, end: int) -> None:
        """Forget the cached rows showing start..end and repaint the visible ones."""
        layout = self._layout
        if layout is None:
            return
        start = max(0, min(start, len(self._text)))
        end = max(start, min(end, len(self._text)))
        first, last = layout.row_range(start, end)
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if last - first > 2 * max(height, 1):
            # a big change: forget everything, repaint what is visible
            self._clear_cache()
            self.refresh()
            return
        width = self.scrollable_content_region.width
        for row in range(first, last + 1):
            self._cache.discard((row, width, self._version))
        lo, hi = max(first, top), min(last, top + height - 1)
        if lo <= hi:
            self.refresh_lines(lo, hi - lo + 1)

    # ------------------------------------------------------------------ rendering

    def _get_palette(self) -> styles.Palette:
        if self._palette is None:
            _base, background = self.background_colors
            self._palette = styles.make_palette(list(self.schema), background, self.styles.color)
        return self._palette

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_offset.y)
        layout = self._layout
        if layout is None or row >= len(layout.rows) or width <= 0:
            return Strip.blank(max(width, 0), self.rich_style)
        key = (row, width, self._version)
        strip = self._cache.get(key)
        if strip is None:
            strip = self.render_row(row, width)
            self._cache.set(key, strip)
        return strip

    def render_row(self, row: int, width: int) -> Strip:
        """Build the Strip of one display row (no cache)."""
        self.render_count += 1
        layout = self._layout
        assert layout is not None
        base = self.rich_style
        r = layout.rows[row]
        if r.kind == "blank":
            return Strip.blank(width, base)
        if r.kind == "virtual":
            label = display_text(" ".join(r.label.split()), 0)
            return Strip([Segment(label, base + styles.VIRTUAL)]).crop_extend(0, width, base)
        start, end = r.start, r.end
        layers = self._layers(start, end)
        cells = None if layout.is_simple_row(row) else layout.row_cells(row)
        hint_cuts = self._hint_pieces(start, end, cells)
        cuts = {start, end}
        for layer in layers:
            cuts.add(max(start, layer.start))
            cuts.add(min(end, layer.end))
        for h_start, h_end, _text in hint_cuts:
            cuts.add(h_start)
            cuts.add(h_end)
        xs: dict[int, int] = {}
        if cells is not None:
            starts = [c.start for c in cells]
            for c in cells:
                xs[c.start] = c.x
            xs[end] = cells[-1].x + cells[-1].width if cells else 0
            snapped = set()
            for cut in cuts:
                i = bisect_right(starts, cut) - 1
                snapped.add(starts[i] if i >= 0 and cut < end else cut)
            cuts = snapped
        ordered = sorted(cuts)
        hints = {h_start: (h_end, text) for h_start, h_end, text in hint_cuts}
        segments: list[Segment] = []
        text = self._text
        hint_style = styles.HINT
        i = 0
        while i < len(ordered) - 1:
            p, q = ordered[i], ordered[i + 1]
            if p in hints:
                h_end, label = hints[p]
                segments.append(Segment(label, base + hint_style))
                while i < len(ordered) - 1 and ordered[i + 1] <= h_end:
                    i += 1
                continue
            style = base
            for layer in layers:
                if layer.start <= p and layer.end >= q:
                    style = style + layer.style
            x = xs.get(p, p - start) if cells is not None else p - start
            segments.append(Segment(display_text(text[p:q], x), style))
            i += 1
        strip = Strip(segments)
        cursor = self._cursor
        if (layout.row_of(cursor) == row and (cursor >= end or cursor < start)) or (
            start == end and layout.row_of(cursor) == row
        ):
            _row, x = layout.offset_to_cell(cursor)
            strip = _overlay_cell(strip, x, base, self._get_palette().cursor)
        return strip.crop_extend(0, width, base)

    def _layers(self, start: int, end: int) -> list[_Layer]:
        """Style layers over start..end, bottom first: base, spans, matches, selection, cursor."""
        doc = self.doc
        palette = self._get_palette()
        layers: list[_Layer] = []

        def add(a: int, b: int, style: Style) -> None:
            if a < end and b > start and b > a:
                layers.append(_Layer(a, b, style))

        if doc is not None:
            if doc.title_span:
                add(*doc.title_span, styles.TITLE)
            if doc.date_span:
                add(*doc.date_span, styles.DATE)
        if self._boiler:
            i = bisect_right(self._boiler, (start, len(self._text) + 1)) - 1
            for b_start, b_end in self._boiler[max(0, i - 4) : i + 8]:
                add(b_start, b_end, styles.BOILERPLATE)
        focus = self._focus_span
        for span in self._overlapping(start, end):
            style = palette.label(
                span.label,
                suggested=span.origin == "suggested",
                focused=focus is not None and span.id == focus.id,
            )
            add(span.start, span.end, style)
        if self._matches:
            i = bisect_left(self._match_starts, start)
            j = bisect_left(self._match_starts, end)
            for k in range(max(0, i - 1), j):
                m_start, m_end = self._matches[k]
                current = self._current_match is not None and k == self._current_match
                add(m_start, m_end, palette.current_match if current else palette.match)
        if self._selection is not None:
            add(*self._selection, styles.SELECTION)
        cursor = self._cursor
        if start <= cursor < end and self._layout is not None:
            g_start, g_end = self._layout.grapheme_at(cursor)
            add(g_start, g_end, palette.cursor)
        return layers

    def _hint_pieces(self, start: int, end: int, cells: list | None) -> list[tuple[int, int, str]]:
        """(from, to, text): hint letters replacing the first grapheme(s) of a hinted span."""
        if not self._hints:
            return []
        pieces: list[tuple[int, int, str]] = []
        i = bisect_left(self._hint_starts, start)
        taken = start - 1
        while i < len(self._hints) and self._hints[i][0] < end:
            h_start, letter, span = self._hints[i]
            i += 1
            if h_start <= taken:
                continue
            need = text_width(letter)
            covered = 0
            h_end = h_start
            limit = min(end, max(span.end, h_start + 1))
            while covered < need and h_end < limit:
                if cells is not None:
                    cell = next((c for c in cells if c.start == h_end), None)
                    if cell is None:
                        break
                    covered += cell.width
                    h_end = cell.end
                else:
                    covered += 1
                    h_end += 1
                if self._text[h_end - 1 : h_end] == "\t":
                    break
            if covered <= 0:
                continue
            label = letter[:covered].ljust(covered)
            pieces.append((h_start, h_end, label))
            taken = h_end - 1
        return pieces

    # ------------------------------------------------------------------ mouse

    def _offset_at(self, x: int, y: int) -> int | None:
        layout = self._layout
        if layout is None:
            return None
        row = max(0, min(len(layout.rows) - 1, y + round(self.scroll_offset.y)))
        return layout.cell_to_offset(row, x)

    def on_mouse_down(self, event: MouseDown) -> None:
        if event.button != 1:
            return
        where = event.get_content_offset(self)
        if where is None:
            return
        offset = self._offset_at(where.x, where.y)
        if offset is None:
            return
        event.stop()
        self.focus()
        self._drop_selection()
        self._set_cursor(offset)
        self._drag_origin = offset
        self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._drag_origin is None or not event.button:
            return
        where = event.get_content_offset_capture(self)
        height = self.scrollable_content_region.height
        if where.y < 0:
            self.scroll_to(y=max(0, self.scroll_offset.y - 1), animate=False)
        elif where.y >= height:
            self.scroll_to(y=self.scroll_offset.y + 1, animate=False)
        y = max(0, min(height - 1, where.y))
        offset = self._offset_at(max(0, where.x), y)
        if offset is None:
            return
        origin = self._drag_origin
        low, high = min(origin, offset), max(origin, offset)
        self._anchor = self._head = None
        self._set_selection(self._snap(low, high + 1))
        self._set_cursor(offset)

    def on_mouse_up(self, event: MouseUp) -> None:
        if self._drag_origin is not None:
            self._drag_origin = None
            self.release_mouse()


def _overlay_cell(strip: Strip, x: int, base: Style, style: Style) -> Strip:
    """Draw ``style`` on cell ``x`` (used for a cursor on an undrawn offset, e.g. a newline)."""
    length = strip.cell_length
    if x >= length:
        strip = strip.extend_cell_length(x + 1, base)
    left, middle, right = strip.divide([x, x + 1, strip.cell_length])
    restyled = Strip([Segment(seg.text, (seg.style or base) + style) for seg in middle])
    return Strip.join([left, restyled, right])
