"""Crash-proof annotation store (TinyDB + journal); see :mod:`annotator.store.store`."""

from .errors import StoreCorrupt, StoreError, StoreLocked
from .store import COMPACT_EVERY, SCHEMA_VERSION, DocInfo, NotFound, Store, open_store

__all__ = [
    "COMPACT_EVERY",
    "SCHEMA_VERSION",
    "DocInfo",
    "NotFound",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "open_store",
]
