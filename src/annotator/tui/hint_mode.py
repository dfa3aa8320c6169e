"""Link mode's state while the user types a hint (imported when link mode starts, not at
start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.model import Span


@dataclass(eq=False)
class HintMode:
    """Waiting for a hint: ``targets`` maps hint strings to what a hint chooses."""

    doc_id: str
    head: Span
    relation: str  # "SOURCE" / "ABOUT", or "" when removing a link
    targets: dict[str, Any]  # hint -> Span (linking) or Relation (unlinking)
    spans: dict[str, Span] = field(default_factory=dict)  # hint -> span drawn in the article
    typed: str = ""

    def feed(self, letter: str) -> tuple[str, Any]:
        """("more", None) while a longer hint is being typed, ("done", target) or ("miss", None)."""
        typed = self.typed + letter
        if typed in self.targets:
            return "done", self.targets[typed]
        if any(h.startswith(typed) for h in self.targets):
            self.typed = typed
            return "more", None
        return "miss", None

    def visible(self) -> dict[str, Span]:
        return {h: s for h, s in self.spans.items() if h.startswith(self.typed)}
