"""The span panel: the article's spans grouped by label, in document order; Enter jumps to one."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotator.model import LabelSchema, Relation, Span
from annotator.tui.text_cells import one_line


class SpanPanel(OptionList):
    """Rebuilt on every change (a few hundred rows at most); span texts rendered literally."""

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

    def show_spans(self, spans: list[Span], relations: list[Relation], schema: LabelSchema) -> None:
        by_id = {span.id: span for span in spans}
        sources: dict[str, list[str]] = {}
        for relation in relations:
            child = by_id.get(relation.child)
            if child is not None:
                sources.setdefault(relation.head, []).append(f"{relation.label}: {child.text}")
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option | None] = []
        labels = list(schema.names) + sorted({s.label for s in spans} - set(schema.names))
        for name in labels:
            group = [s for s in spans if s.label == name]
            if not group:
                continue
            if options:
                options.append(None)
            options.append(Option(Content.styled(f"{name} ({len(group)})", "bold"), disabled=True))
            for span in group:
                text = one_line(span.text)
                parts: list[str | tuple[str, str]] = [" ", text]
                if span.origin == "suggested":
                    parts = [" ", (text, "italic dim")]
                for link in sources.get(span.id, ()):
                    parts.append((f"  ← {one_line(link)}", "italic"))
                options.append(Option(Content.assemble(*parts), id=span.id))
        if not options:
            options.append(
                Option(Content.styled("no spans yet: e 2, s 1 ...", "dim"), disabled=True)
            )
        self._spans = by_id
        self.set_options(options)
        if highlighted and highlighted in by_id:
            self.highlighted = self.get_option_index(highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        span = self._spans.get(event.option_id or "")
        if span is not None:
            self.post_message(self.Jump(span))
