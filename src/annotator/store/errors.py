"""Store errors: each carries one readable line the CLI can print before exiting 1."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot be opened or written; ``str()`` is a single readable line."""


class StoreLocked(StoreError):
    """Another annotator process holds the lock on the store."""


class StoreCorrupt(StoreError):
    """The snapshot does not parse; the file is left untouched, never treated as empty."""
