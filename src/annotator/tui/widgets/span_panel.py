"""The span panel: the article's spans grouped by label, in document order; Enter jumps to one."""

from __future__ import annotations

from bisect import bisect_left

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotator.model import LabelSchema, Relation, Span
from annotator.tui.text_cells import one_line

WINDOW = 200  # rows per label at most: a label with more shows those nearest the cursor


class SpanPanel(OptionList):
    """Rebuilt on every change; span texts rendered literally.

    OptionList measures every row it holds, so a label with thousands of spans (a long article
    after a suggestion run) shows only the WINDOW spans nearest the article's cursor, and says
    how many lie before and after: the cost of a rebuild stays the same however long the article.
    """

    DEFAULT_CSS = """
    SpanPanel { border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Jump(Message):
        def __init__(self, span: Span) -> None:
            super().__init__()
            self.span = span

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._spans: dict[str, Span] = {}
        self._windows: list[tuple[int, int]] = []  # text covered by each cut label group
        self._last: tuple[list[Span], list[Relation], LabelSchema] | None = None

    def stale_at(self, cursor: int) -> bool:
        """The cursor left the stretch a cut label group shows: rebuild around it."""
        return any(not first <= cursor <= last for first, last in self._windows)

    def show_again(self, around: int) -> None:
        if self._last is not None:
            self.show_spans(*self._last, around=around)

    def show_spans(
        self,
        spans: list[Span],
        relations: list[Relation],
        schema: LabelSchema,
        *,
        around: int = 0,
    ) -> None:
        self._last = (spans, relations, schema)
        self._windows = []
        by_id = {span.id: span for span in spans}
        links: dict[str, list[tuple[str, Span]]] = {}  # head id -> (relation, child)
        for relation in relations:
            child = by_id.get(relation.child)
            if child is not None:
                links.setdefault(relation.head, []).append((relation.label, child))
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option | None] = []
        labels = list(schema.names) + sorted({s.label for s in spans} - set(schema.names))
        for name in labels:
            group = [s for s in spans if s.label == name]
            if not group:
                continue
            if options:
                options.append(None)
            header = f"{name} ({len(group)})"
            if name == "CLAIM":
                unsourced = [
                    s
                    for s in group
                    if s.origin != "suggested"
                    and not any(label == "SOURCE" for label, _ in links.get(s.id, ()))
                ]
                if unsourced:
                    header += f" ⚠{len(unsourced)} no source"
            shown, before, after = self._window(group, around)
            if before or after:
                header += f" · {len(shown)} nearest the cursor"
            options.append(Option(Content.styled(header, "bold"), disabled=True))
            if before:
                options.append(
                    Option(Content.styled(f" … {before:,} before", "dim"), disabled=True)
                )
            for span in shown:
                text = one_line(span.text)
                parts: list[str | tuple[str, str]] = [" ", text]
                if span.origin == "suggested":
                    parts = [" ", (text, "italic dim")]
                span_links = sorted(
                    links.get(span.id, ()), key=lambda link: (link[0] != "SOURCE", link[1].start)
                )
                for label, child in span_links:
                    arrow = "←" if label == "SOURCE" else "→"
                    parts.append((f"\n   {arrow} {label} ", "dim"))
                    parts.append((one_line(child.text), "italic"))
                if (
                    name == "CLAIM"
                    and span.origin != "suggested"
                    and not any(label == "SOURCE" for label, _ in span_links)
                ):
                    parts.append(("\n   ⚠ no source", "bold yellow"))
                options.append(Option(Content.assemble(*parts), id=span.id))
            if after:
                options.append(Option(Content.styled(f" … {after:,} after", "dim"), disabled=True))
        if not options:
            options.append(
                Option(Content.styled("no spans yet: e 2, s 1 ...", "dim"), disabled=True)
            )
        self._spans = by_id
        self.set_options(options)
        if highlighted and highlighted in by_id:
            self.highlighted = self.get_option_index(highlighted)

    def _window(self, group: list[Span], around: int) -> tuple[list[Span], int, int]:
        """The spans of one label to list (document order), and how many are left out."""
        if len(group) <= WINDOW:
            return group, 0, 0
        starts = [span.start for span in group]
        first = min(max(bisect_left(starts, around) - WINDOW // 2, 0), len(group) - WINDOW)
        shown = group[first : first + WINDOW]
        # rebuild once the cursor leaves the middle of what is shown (either end of the
        # article counts as inside when the window touches it)
        low = shown[WINDOW // 4].start if first > 0 else 0
        high = shown[-WINDOW // 4].start if first + WINDOW < len(group) else 1 << 62
        self._windows.append((low, high))
        return shown, first, len(group) - first - WINDOW

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        span = self._spans.get(event.option_id or "")
        if span is not None:
            self.post_message(self.Jump(span))
