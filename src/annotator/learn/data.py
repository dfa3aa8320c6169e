"""What the model learns from: the articles the user finished, with the spans they made or kept.

An article marked done is taken as complete: its spans of origin manual, imported, reviewed or
merged are the positives, and everything else in it is not a span of those labels, so a
suggestion the user rejected (removed from the article and remembered by the store) is a
negative example. Suggestions still undecided in a done article are left out, as if rejected.
Articles not done teach nothing (what is missing from them may just not be done yet).

A share of the finished articles is held back, chosen by document id so the split does not
change as more are finished, to tell the user how good a new model is on their own articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.learn.model import Example

TEACHING_ORIGINS = frozenset({"manual", "imported", "reviewed", "merged"})
HOLDOUT_EVERY = 5  # one finished article in five is held back
MIN_HOLDOUT_POOL = 5  # with fewer finished articles nothing is held back


@dataclass
class TrainingData:
    examples: list[Example]
    labels: list[str]
    rejected: int  # rejected suggestions in the finished articles (negative examples)

    def fingerprint(self) -> str:
        """Changes when the finished articles or their spans change."""
        h = hashlib.sha256()
        for ex in sorted(self.examples, key=lambda e: e.doc.id):
            h.update(ex.doc.id.encode())
            for key in sorted(ex.spans):
                h.update(repr(key).encode())
        h.update(repr(self.labels).encode())
        return h.hexdigest()[:16]

    def split(self) -> tuple[list[Example], list[Example]]:
        """(train, held back): every HOLDOUT_EVERY-th by document id, once there are enough."""
        if len(self.examples) < MIN_HOLDOUT_POOL:
            return list(self.examples), []
        held = [ex for ex in self.examples if is_held_back(ex.doc.id)]
        if not held:  # ids that all hash the other way: hold back one anyway
            held = [min(self.examples, key=lambda e: e.doc.id)]
        held_ids = {ex.doc.id for ex in held}
        train = [ex for ex in self.examples if ex.doc.id not in held_ids]
        return train, held


def is_held_back(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % HOLDOUT_EVERY == 0


def training_data(store: Any, labels: Sequence[str] | None = None) -> TrainingData:
    """The finished articles of ``store`` as examples, for ``labels`` (default: the schema's)."""
    names = list(labels) if labels is not None else list(store.schema.names)
    wanted = set(names)
    examples: list[Example] = []
    rejected = 0
    for info in store.documents():
        if info.status != "done":
            continue
        spans = frozenset(
            span.key
            for span in store.spans(info.id)
            if span.origin in TEACHING_ORIGINS and span.label in wanted
        )
        rejected += len(store.rejected(info.id))
        examples.append(Example(info.to_document(), spans))
    return TrainingData(examples, names, rejected)
