"""Optional spaCy engine: PERSON/ORG -> ACTOR, GPE/LOC/FAC -> LOCATION.

Never required and never downloads anything: it uses an already installed pipeline
(``ANNOTATOR_SPACY_MODEL``: a package name or a folder saved with ``nlp.to_disk``; else
the first installed of ``PREFERRED``) and raises EngineUnavailable with
a readable message otherwise. NORP (nationalities) is not mapped: the guidelines do not tag
nationality adjectives.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from annotator.model import Document
from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

ENGINE = "spacy"
PREFERRED = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
LABEL_MAP = {
    "PERSON": "ACTOR",
    "ORG": "ACTOR",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
}


class EngineUnavailable(RuntimeError):
    """An optional engine cannot run here; str() says why and how to enable it."""


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise EngineUnavailable(
            "spacy engine skipped: spaCy is not installed (pip install 'annotator[spacy]')"
        ) from exc
    wanted = os.environ.get("ANNOTATOR_SPACY_MODEL")
    if wanted and os.path.isdir(wanted):  # a pipeline saved with nlp.to_disk()
        return spacy.load(wanted)
    installed = set(spacy.util.get_installed_models())
    candidates = [wanted] if wanted else [name for name in PREFERRED if name in installed]
    if not candidates or candidates[0] not in installed:
        raise EngineUnavailable(
            "spacy engine skipped: no spaCy pipeline installed "
            "(install one yourself, e.g. python -m spacy download en_core_web_sm)"
        )
    return spacy.load(candidates[0], disable=["lemmatizer"])


def available() -> bool:
    try:
        _pipeline()
    except EngineUnavailable:
        return False
    return True


def suggest(doc: Document, index: TextIndex, words: Words | None = None) -> list[Suggestion]:
    nlp = _pipeline()
    words = words or Words(doc.text, index)
    out: list[Suggestion] = []
    for ent in nlp(doc.text).ents:
        label = LABEL_MAP.get(ent.label_)
        if label is None:
            continue
        start, end = ent.start_char, ent.end_char
        if doc.text[start : start + 4].lower() == "the " and label == "LOCATION":
            start += 4
        if start < end and words.on_boundaries(start, end):
            out.append(Suggestion(start, end, label, ENGINE, 0.7))
    return out
