"""Rejected suggestions, remembered so they are not offered again.

The store has no rejection API, so rejections live beside the database in
``<db>.rejected``: one JSON object per line, appended and fsynced before the call returns
(a torn last line from a crash is ignored on reading). Keys are (doc_id, start, end, label).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

Key = tuple[str, int, int, str]


def rejections_path(store_or_path: Any) -> Path:
    path = Path(getattr(store_or_path, "path", store_or_path))
    return path.with_name(path.name + ".rejected")


def record_rejection(
    store_or_path: Any, doc_id: str, start: int, end: int, label: str, text: str = ""
) -> None:
    """Append one rejection durably (append + flush + fsync)."""
    path = rejections_path(store_or_path)
    line = json.dumps(
        {"doc_id": doc_id, "start": start, "end": end, "label": label, "text": text},
        ensure_ascii=False,
    )
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def load_rejections(store_or_path: Any) -> set[Key]:
    path = rejections_path(store_or_path)
    keys: set[Key] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return keys
    for line in lines:
        try:
            record = json.loads(line)
            keys.add((record["doc_id"], int(record["start"]), int(record["end"]), record["label"]))
        except (ValueError, KeyError, TypeError):
            continue  # a torn or foreign line
    return keys


def reject(store: Any, span_id: str) -> Any:
    """Reject a suggested span: remember it, then remove it from the store. Returns the span."""
    span = store.get_span(span_id)
    if span is None:
        raise KeyError(span_id)
    record_rejection(store, span.doc_id, span.start, span.end, span.label, span.text)
    return store.remove_span(span_id)
