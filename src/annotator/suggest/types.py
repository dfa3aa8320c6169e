"""The suggestion record shared by all engines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed span: ``doc.text[start:end]`` is the exact surface; ``score`` is 0..1."""

    start: int
    end: int
    label: str
    engine: str
    score: float = 0.5

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)
