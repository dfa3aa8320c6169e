"""annotator: a keyboard-first terminal reader and annotator for news articles.

The scripting API (kept stable)::

    from annotator import load_corpus, open_store

    corpus = load_corpus("seeds/")
    with open_store("annotations.json") as store:
        doc = corpus.documents[0]
        span = store.add_span(doc, 0, 7, "ACTOR")

The names are imported on first use (module ``__getattr__``), so ``import annotator.model``
or the TUI's start-up does not pay for modules it does not need yet.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.corpus import Corpus, Skipped, load_corpus
    from annotator.model import (
        DEFAULT_RELATIONS,
        DEFAULT_SCHEMA,
        AnnotationError,
        Document,
        Label,
        LabelSchema,
        Relation,
        Span,
    )
    from annotator.store import Store, StoreError, open_store

__version__ = "0.1.0"

_EXPORTS = {
    "DEFAULT_RELATIONS": "annotator.model",
    "DEFAULT_SCHEMA": "annotator.model",
    "AnnotationError": "annotator.model",
    "Corpus": "annotator.corpus",
    "Document": "annotator.model",
    "Label": "annotator.model",
    "LabelSchema": "annotator.model",
    "Relation": "annotator.model",
    "Skipped": "annotator.corpus",
    "Span": "annotator.model",
    "Store": "annotator.store",
    "StoreError": "annotator.store",
    "load_corpus": "annotator.corpus",
    "open_store": "annotator.store",
}

__all__ = [
    "DEFAULT_RELATIONS",
    "DEFAULT_SCHEMA",
    "AnnotationError",
    "Corpus",
    "Document",
    "Label",
    "LabelSchema",
    "Relation",
    "Skipped",
    "Span",
    "Store",
    "StoreError",
    "__version__",
    "load_corpus",
    "open_store",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'annotator' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
