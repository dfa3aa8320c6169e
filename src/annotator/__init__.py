"""annotator: a keyboard-first terminal reader and annotator for news articles.

The scripting API (kept stable)::

    from annotator import load_corpus, open_store

    corpus = load_corpus("seeds/")
    with open_store("annotations.json") as store:
        doc = corpus.documents[0]
        span = store.add_span(doc, 0, 7, "ACTOR")
"""

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
