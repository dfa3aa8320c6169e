"""Time spent annotating: active time per document and seconds per span (no Textual).

The app calls :meth:`ActiveTimer.open` when an article opens, :meth:`~ActiveTimer.tick` on any
activity (a cursor move, a key that changes something) and :meth:`~ActiveTimer.action` when a
change is made. Time between two events counts when the gap is at most ``idle`` seconds (a
minute): a longer gap is someone away from the keyboard and counts nothing. The time is kept in
memory and written with the next change, or when the article is left or the app quits, so a
key press never costs a journal write of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

IDLE_SECONDS = 60.0


@dataclass(eq=False)
class ActiveTimer:
    idle: float = IDLE_SECONDS
    clock: Callable[[], float] = time.monotonic
    doc_id: str | None = None
    _last: float | None = None
    _since_action: float = 0.0
    _pending: dict[str, float] = field(default_factory=dict)

    def open(self, doc_id: str) -> None:
        """An article opens: time now counts for it (the previous one keeps what it had)."""
        self.tick()
        self.doc_id = doc_id
        self._last = self.clock()
        self._since_action = 0.0

    def tick(self) -> None:
        """Some activity: the time since the previous event counts, unless it was idle."""
        now = self.clock()
        if self.doc_id is not None and self._last is not None:
            gap = now - self._last
            if 0 < gap <= self.idle:
                self._pending[self.doc_id] = self._pending.get(self.doc_id, 0.0) + gap
                self._since_action += gap
        self._last = now

    def action(self) -> float:
        """A change is made: the active seconds since the previous change (or the opening)."""
        self.tick()
        seconds, self._since_action = self._since_action, 0.0
        return round(seconds, 3)

    def pending(self, doc_id: str) -> float:
        return round(self._pending.get(doc_id, 0.0), 3)

    def take(self, doc_id: str) -> float:
        """The active seconds not written yet for ``doc_id`` (forgotten here: write them)."""
        return round(self._pending.pop(doc_id, 0.0), 3)

    def give_back(self, doc_id: str, seconds: float) -> None:
        """A write of ``take``'s seconds failed: keep them for the next one."""
        if seconds > 0:
            self._pending[doc_id] = self._pending.get(doc_id, 0.0) + seconds


def save_time(store, timer: ActiveTimer, doc_id: str | None) -> float:
    """Write ``doc_id``'s pending active time to the store (only for a stored document: an
    article only looked at is not added to the database for it). Returns the seconds written."""
    timer.tick()  # the time up to now counts
    if doc_id is None or doc_id not in store:
        return 0.0
    seconds = timer.take(doc_id)
    if seconds <= 0:
        return 0.0
    try:
        store.add_time(doc_id, seconds)
    except Exception:
        timer.give_back(doc_id, seconds)
        raise
    return seconds


def format_duration(seconds: float) -> str:
    """``3725`` -> ``1:02:05``; under an hour ``m:ss``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def spans_per_hour(spans: int, seconds: float) -> float | None:
    return None if seconds <= 0 else spans * 3600.0 / seconds
