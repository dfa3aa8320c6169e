"""Crash-proof annotation store (in-memory TinyDB tables + checksummed journal); see
:mod:`annotator.store.store`, and :mod:`annotator.store.repair` for damaged files."""

from .errors import Damage, StoreCorrupt, StoreDamaged, StoreError, StoreLocked
from .store import COMPACT_EVERY, SCHEMA_VERSION, NotFound, Store, open_store, store_exists
from .tables import DocInfo

__all__ = [
    "COMPACT_EVERY",
    "SCHEMA_VERSION",
    "Damage",
    "DocInfo",
    "NotFound",
    "Store",
    "StoreCorrupt",
    "StoreDamaged",
    "StoreError",
    "StoreLocked",
    "open_store",
    "store_exists",
]
