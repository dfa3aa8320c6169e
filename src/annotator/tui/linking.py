"""Link mode: keyboard linking of claims to their SOURCE and what they are ABOUT (issue 5).

``k`` (SOURCE) or ``b`` (ABOUT) on a claim draws short hint letters on the candidate spans,
nearest first; typing a hint links the claim to that span through History (undoable). ``x``
removes a link (hints on the linked spans when there are several) and ``o`` jumps to the next
claim without a source. While hints are shown every key is a hint letter or cancels.

The ranking and the hint letters are pure functions (tested without the app); the mixin holds
the app side and is mixed into :class:`annotator.tui.app.AnnotatorApp`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import events

from annotator.model import Relation, RelationSchema, Span
from annotator.text import TextIndex

if TYPE_CHECKING:
    from annotator.history import History
    from annotator.model import Document
    from annotator.store import Store
    from annotator.tui.article_view import ArticleView
    from annotator.tui.hint_mode import HintMode

HINT_KEYS = "asdfghjkl"  # home row: the nearest candidates get single letters, "a" first
CLAIM = "CLAIM"
SOURCE = "SOURCE"


def hint_labels(n: int, alphabet: str = HINT_KEYS) -> list[str]:
    """``n`` prefix-free hint strings, shortest first (the first ones are single letters).

    When there are more candidates than letters, the *last* short labels become prefixes of
    longer ones, so the nearest candidates keep single letters: 10 candidates -> a..k, la, ls.
    """
    if n <= 0:
        return []
    labels = list(alphabet)
    while len(labels) < n:
        shortest = min(len(label) for label in labels)
        at = max(i for i, label in enumerate(labels) if len(label) == shortest)
        prefix = labels.pop(at)
        labels.extend(prefix + letter for letter in alphabet)
    labels.sort(key=lambda label: (len(label), [alphabet.index(c) for c in label]))
    return labels[:n]


def innermost_head(
    spans_at_cursor: Sequence[Span], head_labels: Sequence[str] = (CLAIM,)
) -> Span | None:
    """The innermost span at the cursor that can head a relation (spans come innermost first);
    an accepted span wins over a suggestion."""
    heads = [s for s in spans_at_cursor if s.label in head_labels]
    return next((s for s in heads if s.origin != "suggested"), heads[0] if heads else None)


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end and span.key != outer.key


def rank_candidates(
    head: Span,
    spans: Sequence[Span],
    relations: Sequence[Relation],
    index: TextIndex,
    relation: str,
    schema: RelationSchema,
) -> list[Span]:
    """Spans ``head`` may be linked to with ``relation``, best first.

    SOURCE: the source of an earlier claim in the same quotation ("a claim continuing a
    quotation has the same source"); then the same sentence — nearest before the claim, then
    after it; then the source of the previous claim; then earlier sentences, nearest first;
    then the rest of the article, nearest first. Actors inside a claim (quoted people rarely
    are the speaker) are put after the others of their tier.
    ABOUT: spans inside the claim first (in reading order), then as for SOURCE.
    Spans already linked to ``head`` with ``relation`` are left out. Suggested spans are
    candidates too (the nearest mention may not be accepted yet: choosing it accepts it).
    """
    kind = schema.get(relation)
    by_id = {s.id: s for s in spans}
    linked = {r.child for r in relations if r.head == head.id and r.label == relation}
    pool = [
        s
        for s in spans
        if s.id != head.id and s.id not in linked and kind.allows(head.label, s.label)
    ]
    claims = [s for s in spans if s.label == head.label and s.origin != "suggested"]

    def in_claim(span: Span) -> bool:
        return any(c.start <= span.start and span.end <= c.end for c in claims)

    first = index.sentence_index_at(head.start)
    last = max(first, index.sentence_index_at(max(head.start, head.end - 1)))

    def sentence_of(span: Span) -> int:
        return index.sentence_index_at(span.start)

    promoted: list[str] = []  # span ids to put in front of a tier
    if relation == SOURCE:
        sources = {r.head: by_id.get(r.child) for r in relations if r.label == SOURCE}
        earlier = sorted(
            (c for c in claims if c.start < head.start and sources.get(c.id) is not None),
            key=lambda c: c.start,
        )
        quote = index.quotation_at(head.start)
        same_quote = [
            c for c in earlier if quote is not None and quote.start <= c.start < quote.end
        ]
        if same_quote:
            promoted.append(sources[same_quote[-1].id].id)  # type: ignore[union-attr]
        if earlier:
            previous_source = sources[earlier[-1].id]
            assert previous_source is not None
            previous_id = previous_source.id
        else:
            previous_id = None
    else:
        previous_id = None

    def key(span: Span) -> tuple:
        demoted = relation == SOURCE and in_claim(span)
        if span.id in promoted:
            return (0, 0, 0)
        if relation != SOURCE and _inside(span, head):
            return (1, 0, span.start)
        s = sentence_of(span)
        if first <= s <= last:
            if span.end <= head.start or (span.start < head.start and not _inside(span, head)):
                return (2, int(demoted), head.start - span.start)
            if _inside(span, head):
                return (5, int(demoted), span.start - head.start)  # with the rest
            return (3, int(demoted), span.start - head.end)
        if span.id == previous_id:
            return (4, 0, 0)
        if s < first:
            return (5, int(demoted), head.start - span.start)
        return (6, int(demoted), span.start - head.end)

    return sorted(pool, key=lambda s: (key(s), s.sort_key))


def claims_without_source(spans: Sequence[Span], relations: Sequence[Relation]) -> list[Span]:
    """Accepted claims that have no SOURCE link, in reading order."""
    sourced = {r.head for r in relations if r.label == SOURCE}
    return [
        s for s in spans if s.label == CLAIM and s.origin != "suggested" and s.id not in sourced
    ]


class LinkingMixin:
    """The app side of link mode (mixed into AnnotatorApp, which provides these attributes)."""

    if TYPE_CHECKING:
        doc: Document | None
        index: TextIndex | None
        store: Store
        history: History
        _pending: str | None

        @property
        def view(self) -> ArticleView: ...
        def _say(self, message: str, error: bool = False) -> None: ...
        def _write(self, what: str, change: Callable[[], Any]) -> Any: ...
        def _refresh_spans(self) -> None: ...
        def notify(self, message: str, **kw: Any) -> None: ...

    _hint_mode: HintMode | None = None

    # ------------------------------------------------------------------ key hook

    def on_key(self, event: events.Key) -> None:
        """In hint mode every key is a hint letter or cancels (bindings do not run)."""
        if self._hint_mode is None:
            return
        event.prevent_default()
        event.stop()
        self.hint_key(event.key, event.character)

    def hint_key(self, key: str, character: str | None) -> None:
        mode = self._hint_mode
        assert mode is not None
        if key == "escape":
            self.cancel_hints("cancelled")
            return
        if self.doc is None or self.doc.id != mode.doc_id:
            self.cancel_hints("cancelled (another article)")
            return
        letter = character if character and character.isprintable() else key
        result, target = mode.feed(letter)
        if result == "more":
            self.view.set_hints(mode.visible())
            self._say(f"{self._hint_prompt(mode)} {mode.typed}…")
            return
        if result == "miss":
            self.cancel_hints(f"no hint {letter!r}: cancelled")
            return
        self._hint_mode = None
        self.view.set_hints(None)
        if isinstance(target, Relation):
            self._unlink(target)
        else:
            self._link(mode.head, target, mode.relation)

    def cancel_hints(self, message: str = "") -> None:
        if self._hint_mode is None:
            return
        self._hint_mode = None
        self.view.set_hints(None)
        if message:
            self._say(message)

    @staticmethod
    def _hint_prompt(mode: HintMode) -> str:
        if mode.relation:
            return f"link {mode.relation}: press a hint letter (Esc cancels)"
        return "unlink: press the hint of the link to remove (Esc cancels)"

    # ------------------------------------------------------------------ actions

    def _head_at_cursor(self, relation: str = "") -> Span | None:
        schema = self.store.relation_schema
        kinds = [schema.get(relation)] if relation else list(schema)
        heads = sorted({label for kind in kinds for label in kind.heads})
        head = innermost_head(self.view.spans_at_cursor(), heads)
        if head is None:
            self._say("put the cursor on a claim (o jumps to the next one without a source)")
            self.notify("put the cursor on a claim", severity="warning", markup=False)
        elif head.origin == "suggested":
            self._say("this claim is only suggested: accept it first", True)
            return None
        return head

    def action_link(self, relation: str) -> None:
        """Start linking the claim at the cursor (``k`` SOURCE, ``b`` ABOUT)."""
        self.cancel_hints()
        self._pending = None
        if self.doc is None or self.index is None:
            return
        head = self._head_at_cursor(relation)
        if head is None:
            return
        spans = self.store.spans(self.doc.id)
        relations = self.store.relations(self.doc.id)
        ranked = rank_candidates(
            head, spans, relations, self.index, relation, self.store.relation_schema
        )
        if not ranked:
            labels = " or ".join(sorted(self.store.relation_schema.get(relation).children))
            self._say(f"no {labels} to link as {relation} (tag one first)", True)
            return
        labels = hint_labels(len(ranked))
        targets = dict(zip(labels, ranked, strict=True))
        from annotator.tui.hint_mode import HintMode

        self._start_hints(HintMode(self.doc.id, head, relation, targets, dict(targets)))

    def action_unlink(self) -> None:
        """Remove a link of the claim at the cursor (hints when it has several)."""
        self.cancel_hints()
        self._pending = None
        if self.doc is None:
            return
        head = self._head_at_cursor()
        if head is None:
            return
        relations = [r for r in self.store.relations_of(head.id) if r.head == head.id]
        if not relations:
            self._say("this claim has no links")
            return
        if len(relations) == 1:
            self._unlink(relations[0])
            return
        children = {s.id: s for s in self.store.spans(self.doc.id)}
        relations.sort(
            key=lambda r: (
                (children[r.child].start, r.label) if r.child in children else (0, r.label)
            )
        )
        labels = hint_labels(len(relations))
        targets = dict(zip(labels, relations, strict=True))
        drawn = {h: children[r.child] for h, r in targets.items() if r.child in children}
        from annotator.tui.hint_mode import HintMode

        self._start_hints(HintMode(self.doc.id, head, "", targets, drawn))

    def _start_hints(self, mode: HintMode) -> None:
        self._hint_mode = mode
        self.view.set_hints(mode.visible())
        self._say(self._hint_prompt(mode))

    def action_next_unsourced(self) -> None:
        """Jump to the next claim without a SOURCE (wrapping)."""
        self.cancel_hints()
        self._pending = None
        if self.doc is None:
            return
        spans = self.store.spans(self.doc.id)
        todo = claims_without_source(spans, self.store.relations(self.doc.id))
        if not todo:
            claims = any(s.label == CLAIM for s in spans)
            self._say("every claim has a source" if claims else "no claims in this article")
            return
        cursor = self.view.cursor
        here = innermost_head(self.view.spans_at_cursor())
        after = here.start if here is not None else cursor - 1
        target = next((s for s in todo if s.start > after), todo[0])
        self.view.move_to(target.start)
        wrapped = " (from the top)" if target.start <= after else ""
        self._say(f"claim without a source{wrapped}: {len(todo)} left · k links it")

    # ------------------------------------------------------------------ writes

    def _link(self, head: Span, child: Span, relation: str) -> None:
        doc_id = head.doc_id

        def change() -> Relation:
            with self.history.group(f"link {relation}"):
                if child.origin == "suggested":  # linking a suggestion accepts it (same step)
                    self.history.accept_suggestion(child.id, self.store.annotator)
                rel = self.history.add_relation(head.id, child.id, relation)
                # like a first span, a first link marks the article in progress (undone with it)
                if self.store.status(doc_id) == "new":
                    self.history.set_status(doc_id, "in_progress", offset=head.start)
            return rel

        accepted = " (suggestion accepted)" if child.origin == "suggested" else ""
        if self._write(f"linked {relation} {_short(child.text)}{accepted}", change):
            self._refresh_spans()

    def _unlink(self, relation: Relation) -> None:
        child = self.store.get_span(relation.child)
        what = f"unlinked {relation.label} {_short(child.text) if child else ''}".rstrip()
        if self._write(what, lambda: self.history.remove_relation(relation.id)):
            self._refresh_spans()


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
