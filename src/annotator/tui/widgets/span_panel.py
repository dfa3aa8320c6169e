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
            options.append(Option(Content.styled(header, "bold"), disabled=True))
            for span in group:
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
