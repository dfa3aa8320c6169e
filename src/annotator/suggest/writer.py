"""Writing one run's suggestions into a live store in steps, the part on screen first.

The TUI writes on its main thread while the user keeps working, so one big write of 10,000
suggestions (about half a second of store work) would freeze the keys. ``SuggestionWriter``
cuts it into steps of ``step`` suggestions, each one store batch (one journal line, all or
nothing); the app yields to its keys between steps. ``first`` (an offset range, the visible
part) is written first, then what follows it, then what comes before. Each step is checked
against the store as it is then: if anything else changed the document's spans meanwhile (the
user tagged), the conflict index is rebuilt; otherwise it is only extended, so the whole run
costs O(k log n).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.model import Document, Span
from annotator.suggest.conflicts import ConflictIndex
from annotator.suggest.types import Suggestion

STEP = 500  # suggestions per store batch (~25 ms of store work on this kind of machine)


def visible_first(
    suggestions: Sequence[Suggestion], first: tuple[int, int] | None
) -> list[Suggestion]:
    """``suggestions`` reordered: those overlapping ``first``, then after it, then before it
    (each part in the given order)."""
    if first is None:
        return list(suggestions)
    lo, hi = first
    inside = [s for s in suggestions if s.start < hi and lo < s.end]
    after = [s for s in suggestions if s.start >= hi]
    before = [s for s in suggestions if s.end <= lo]
    return inside + after + before


class SuggestionWriter:
    """Writes ``suggestions`` for ``doc`` into ``store`` one :meth:`step` at a time."""

    def __init__(
        self,
        store: Any,
        doc: Document,
        suggestions: Sequence[Suggestion],
        *,
        first: tuple[int, int] | None = None,
        step: int = STEP,
    ) -> None:
        self.store = store
        self.doc = doc
        self.step_size = max(1, step)
        self._queue = visible_first(suggestions, first)
        self._next = 0
        self._index: ConflictIndex | None = None
        self._count = -1  # the document's span count the index was built for
        self._rejected: set[tuple[int, int, str]] = set()
        self.added = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self._queue) and self._index is not None

    def step(self) -> list[Span]:
        """Write the next part (one batch); returns the spans added."""
        from annotator.suggest import store_suggestions

        store, doc = self.store, self.doc
        if self._index is None or store.span_count(doc.id) != self._count:
            self._index = ConflictIndex(len(doc.text), store.spans(doc.id))
            self._rejected = store.rejected(doc.id) if doc.id in store else set()
        part = self._queue[self._next : self._next + self.step_size]
        self._next += len(part)
        kept: list[Suggestion] = []
        for s in part:
            if s.key in self._rejected or self._index.conflicts(s):
                continue
            self._index.add(s)
            kept.append(s)
        try:
            spans = store_suggestions(store, doc, kept) if kept or doc.id not in store else []
        except BaseException:
            self._index = None  # the batch was undone: the index is ahead of the store
            raise
        self._count = store.span_count(doc.id)
        self.added += len(spans)
        return spans
