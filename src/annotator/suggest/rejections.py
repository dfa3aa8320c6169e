"""Rejected suggestions, remembered so they are not offered again.

They live in the store (``Store.reject_suggestion`` / ``unreject`` / ``rejected``), so they
share its journal and snapshot durability and can be undone. This module keeps the old
function names as thin wrappers. Keys are (doc_id, start, end, label).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Key = tuple[str, int, int, str]


def _all_rejections(store: Any) -> set[Key]:
    return {
        (info.id, start, end, label)
        for info in store.documents()
        for start, end, label in store.rejected(info.id)
    }


def load_rejections(store_or_path: Any) -> set[Key]:
    """Every rejected key, from an open store or (read-only) from a store path."""
    if hasattr(store_or_path, "rejected"):
        return _all_rejections(store_or_path)
    from annotator.store import open_store

    path = Path(store_or_path)
    if not path.exists() and not path.with_name(path.name + ".journal").exists():
        return set()
    with open_store(path, readonly=True) as store:
        return _all_rejections(store)


def record_rejection(
    store: Any, doc_id: str, start: int, end: int, label: str, text: str = ""
) -> None:
    """Reject the suggested span at (start, end, label) in ``doc_id``.

    Raises KeyError if there is no such suggestion (the store only records rejections of
    spans it holds). ``text`` is ignored: the store records the span's own text.
    """
    for span in store.spans(doc_id):
        if span.key == (start, end, label) and span.origin == "suggested":
            store.reject_suggestion(span.id)
            return
    raise KeyError(f"no suggested {label} span at {start}..{end} in document {doc_id}")


def reject(store: Any, span_id: str) -> Any:
    """Reject a suggested span: remove it and remember it, in one store write. Returns it."""
    return store.reject_suggestion(span_id)
