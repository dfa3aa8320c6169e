"""Which suggestions the store has already decided: an interval index instead of a scan.

A suggestion is skipped when a span in the document has the same extent (whatever its label:
the user has decided that text), or overlaps it with the same label, or overlaps it while both
are entities (ACTOR/LOCATION do not nest among themselves). ``ConflictIndex`` answers that in
O(log n) per suggestion and takes new spans as they are written, so checking a whole run costs
O(k log n) instead of the O(k * n) of comparing each suggestion with every span so far.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

ENTITY_LABELS = frozenset({"ACTOR", "LOCATION"})


class Extent(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


class OverlapIndex:
    """Non-empty half-open intervals inside ``[0, size)``: does any overlap ``[start, end)``?

    A Fenwick tree over start offsets holding the furthest end seen: an interval overlaps
    ``[start, end)`` exactly when some interval starting before ``end`` ends after ``start``,
    i.e. when the largest end among starts ``< end`` exceeds ``start``. Adding and asking are
    O(log size); intervals are only added (one suggestion run never removes any).
    """

    def __init__(self, size: int) -> None:
        self._size = max(size, 1)
        self._tree = [0] * (self._size + 1)  # 1-based; 0: nothing (every end is > 0)

    def add(self, start: int, end: int) -> None:
        tree, size = self._tree, self._size
        i = min(max(start, 0), size - 1) + 1
        while i <= size:
            if tree[i] < end:
                tree[i] = end
            i += i & -i

    def max_end_before(self, offset: int) -> int:
        """The furthest end among intervals starting before ``offset`` (0 if none)."""
        tree = self._tree
        i = min(max(offset, 0), self._size)
        best = 0
        while i > 0:
            if tree[i] > best:
                best = tree[i]
            i -= i & -i
        return best

    def overlaps(self, start: int, end: int) -> bool:
        return self.max_end_before(end) > start


class ConflictIndex:
    """The spans of one document, indexed for :meth:`conflicts`; ``add`` keeps it current."""

    def __init__(self, size: int, spans: Iterable[Extent] = ()) -> None:
        self._size = size
        self._extents: set[tuple[int, int]] = set()
        self._by_label: dict[str, OverlapIndex] = {}
        self._entities = OverlapIndex(size)
        for span in spans:
            self.add(span)

    def add(self, span: Extent) -> None:
        self._extents.add((span.start, span.end))
        index = self._by_label.get(span.label)
        if index is None:
            index = self._by_label[span.label] = OverlapIndex(self._size)
        index.add(span.start, span.end)
        if span.label in ENTITY_LABELS:
            self._entities.add(span.start, span.end)

    def conflicts(self, s: Extent) -> bool:
        """True when a span already covers this suggestion's decision."""
        if (s.start, s.end) in self._extents:
            return True  # same text, same or other label: the user has decided
        same = self._by_label.get(s.label)
        if same is not None and same.overlaps(s.start, s.end):
            return True
        return s.label in ENTITY_LABELS and self._entities.overlaps(s.start, s.end)
