"""The "model" suggestion engine: the trained model when there is one, else the rules.

The model is found next to the database (the store's path, or the one given to
``use_database``), loaded once and kept until a newer version becomes current (a background
training finished), which costs one ``stat`` per call. The labels the training found the rules
better at (``Info.rules_for``, see ``gate``) are served by the rules. Without a usable model
(none yet, too few finished articles, a damaged or outdated folder) the rule engines answer, as
they did before there was a model; a damaged model is reported in ``status`` and retrained,
never raised.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.learn import gate, storage
from annotator.learn.model import SpanModel, rule_suggestions
from annotator.model import Document
from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex


@dataclass
class _Cached:
    stamp: tuple[str, float] | None
    loaded: storage.Loaded


_lock = threading.Lock()
_cache: dict[Path, _Cached] = {}
_default_db: Path | None = None


def use_database(db_path: str | Path | None) -> None:
    """The database whose model serves callers that pass no store (the app's suggestions)."""
    global _default_db
    _default_db = Path(db_path).expanduser().absolute() if db_path is not None else None


def _db_of(store: Any) -> Path | None:
    path = getattr(store, "path", None)
    if isinstance(path, Path | str):
        return Path(path)
    return _default_db


def current(db_path: str | Path) -> storage.Loaded:
    """The model in use for ``db_path`` (reloaded when a new version became current)."""
    key = Path(db_path).expanduser().absolute()
    stamp = storage.stamp(key)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.stamp == stamp:
            return cached.loaded
    loaded = storage.load(key) if stamp is not None else storage.Loaded(None, None, "none")
    with _lock:
        _cache[key] = _Cached(stamp, loaded)
    return loaded


def model_for(store: Any = None) -> SpanModel | None:
    db = _db_of(store)
    return current(db).model if db is not None else None


def _loaded_for(store: Any) -> storage.Loaded | None:
    db = _db_of(store)
    return current(db) if db is not None else None


def suggest(
    doc: Document, index: TextIndex, words: Words | None = None, *, store: Any = None
) -> list[Suggestion]:
    """The model's suggestions for ``doc``, or the rules' when there is no usable model; on
    the labels the model was worse at on the held-back articles, the rules' (``gate``)."""
    words = words or Words(doc.text, index)
    rules = rule_suggestions(doc, index, words)
    loaded = _loaded_for(store)
    if loaded is None or loaded.model is None:
        return rules
    rules_for = loaded.info.rules_for if loaded.info is not None else []
    try:
        found = loaded.model.suggest(doc, index, words, rules=rules)
        return gate.mix(doc, words, found, rules, rules_for)
    except Exception as error:  # a model that loads but cannot tag: the rules answer
        db = _db_of(store)
        if db is not None:  # reported as broken until a training replaces it
            key = db.expanduser().absolute()
            with _lock:
                old = _cache.get(key)
                info = old.loaded.info if old else None
                _cache[key] = _Cached(
                    storage.stamp(key), storage.Loaded(None, info, f"broken: {error}")
                )
        return rules
