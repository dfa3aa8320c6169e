"""Store errors: each carries one readable line the CLI can print before exiting 1."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class StoreError(Exception):
    """The store cannot be opened or written; ``str()`` is a single readable line."""


class StoreLocked(StoreError):
    """Another annotator process holds the lock on the store."""


class StoreCorrupt(StoreError):
    """The snapshot does not parse; the file is left untouched, never treated as empty."""


class Damage(NamedTuple):
    """Where a file of the store is damaged, for the one-line message and for repair."""

    path: Path
    line: int | None  # 1-based line of a journal; None for a snapshot
    reason: str
    valid_after: int = 0  # records after the damage that look valid
    excerpt: bytes = b""

    def describe(self) -> str:
        if self.line is None:
            return f"{self.path.name} is damaged ({self.reason})"
        after = f"{self.valid_after} record{'s' if self.valid_after != 1 else ''}"
        return (
            f"{self.path.name} is damaged at line {self.line} ({self.reason}); "
            f"{after} after it look{'s' if self.valid_after == 1 else ''} valid"
        )


class StoreDamaged(StoreCorrupt):
    """A snapshot or journal line is damaged (not a torn tail): the store refuses to open,
    changes nothing, and names the command that repairs it."""

    def __init__(self, message: str, damage: Damage) -> None:
        super().__init__(message)
        self.damage = damage

    @classmethod
    def of(cls, path: Path, line: int | None, reason: str, **kw: object) -> StoreDamaged:
        damage = Damage(path, line, reason, **kw)  # type: ignore[arg-type]
        return cls(damage.describe(), damage)

    def for_store(self, store_path: Path, *, backups: int = 0) -> StoreDamaged:
        """The same damage with the message a user sees: what, where, and how to repair."""
        fallback = (
            f" (it can fall back to {backups} backup{'s' if backups != 1 else ''})"
            if backups and self.damage.line is None
            else ""
        )
        message = (
            f"{self.damage.describe()}; nothing was changed. Run `annotator repair --db "
            f"{store_path}` to salvage every valid record{fallback}"
        )
        return StoreDamaged(message, self.damage)
