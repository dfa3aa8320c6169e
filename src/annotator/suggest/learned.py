"""Learn from the user: a surface string tagged in the store is suggested elsewhere.

Only spans the user made or accepted (origin "manual" or "imported") teach; CLAIMs are
not learned (claims rarely repeat word for word). A surface tagged with different labels
is suggested with its majority label, and only if at least two thirds of its tags agree.
Matches must start and end on token boundaries ("Kyiv" does not match in "Kyivstar").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from annotator.model import Document
from annotator.suggest._common import Words
from annotator.suggest.evidence import S
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

ENGINE = "learned"
TEACHING_ORIGINS = frozenset({"manual", "imported"})
NOT_LEARNED = frozenset({"CLAIM"})


def vocabulary(store: Any) -> dict[str, str]:
    """Surface -> label learned from every document in the store."""
    counts: dict[str, Counter[str]] = {}
    for info in store.documents():
        for span in store.spans(info.id):
            if span.origin not in TEACHING_ORIGINS or span.label in NOT_LEARNED:
                continue
            surface = " ".join(span.text.split())
            if len(surface) < 2 or not re.search(r"\w", surface):
                continue
            if surface.islower():
                continue  # "government", "the state": an agent only in its context
            counts.setdefault(surface, Counter())[span.label] += 1
    vocab: dict[str, str] = {}
    for surface, labels in counts.items():
        label, n = labels.most_common(1)[0]
        if n * 3 >= sum(labels.values()) * 2:
            vocab[surface] = label
    return vocab


def suggest(
    doc: Document,
    index: TextIndex,
    words: Words | None = None,
    *,
    store: Any = None,
    vocab: dict[str, str] | None = None,
) -> list[Suggestion]:
    if vocab is None:
        if store is None:
            return []
        vocab = vocabulary(store)
    if not vocab:
        return []
    words = words or Words(doc.text, index)
    out: list[Suggestion] = []
    # One alternation, longest names first, so "Volodymyr Zelenskyy" wins over "Zelenskyy".
    names = sorted(vocab, key=len, reverse=True)
    for chunk_start in range(0, len(names), 500):
        part = names[chunk_start : chunk_start + 500]
        pattern = re.compile(
            r"(?<!\w)(?:"
            + "|".join(r"\s+".join(map(re.escape, n.split())) for n in part)
            + r")(?!\w)"
        )
        for m in pattern.finditer(doc.text):
            if words.on_boundaries(m.start(), m.end()):
                surface = " ".join(m.group(0).split())
                out.append(Suggestion(m.start(), m.end(), vocab[surface], ENGINE, S.learned_string))
    return out
