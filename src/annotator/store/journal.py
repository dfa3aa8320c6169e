"""The journal ``<store>.journal``: one fsync'd JSON line per operation, the commit point."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import StoreError
from .storage import dumps, fsync_dir


@dataclass
class JournalScan:
    entries: list[dict[str, Any]] = field(default_factory=list)
    valid_bytes: int = 0  # length of the valid prefix
    total_bytes: int = 0
    torn: bool = False  # something after the valid prefix (never acknowledged)


def scan_journal(path: Path) -> JournalScan:
    """Parse the journal up to the first torn or invalid line."""
    scan = JournalScan()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return scan
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    scan.total_bytes = len(raw)
    pos = 0
    last_seq = -1
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:
            break  # no newline: the append never completed
        try:
            entry = json.loads(raw[pos:end])
        except ValueError:
            break
        if not _valid(entry) or entry["seq"] <= last_seq:
            break
        last_seq = entry["seq"]
        scan.entries.append(entry)
        pos = end + 1
    scan.valid_bytes = pos
    scan.torn = pos < len(raw)
    return scan


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and type(entry.get("seq")) is int
        and isinstance(entry.get("op"), str)
        and isinstance(entry.get("table"), str)
    )


class Journal:
    """Append-only writer. ``append`` returns only once the line is on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        created = not path.exists()
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
        if created:
            fsync_dir(path.parent)  # the new name must survive a crash too
        self.size = os.fstat(self._fd).st_size
        self.broken: str | None = None

    def append(self, entry: dict[str, Any]) -> None:
        if self.broken:
            raise StoreError(self.broken)
        line = (dumps(entry) + "\n").encode("ascii")
        before = self.size
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)
        except OSError as exc:
            self._rollback(before)
            raise StoreError(
                f"could not save to {self.path.name}: {exc.strerror or exc}; the change was undone"
            ) from None
        except BaseException:
            # E.g. KeyboardInterrupt between write and fsync: the caller undoes the change in
            # memory, so the line must go too (else it comes back on replay, and ``size`` would
            # be stale and a later rollback would cut acknowledged lines).
            self._rollback(before)
            raise
        self.size = before + len(line)

    def _rollback(self, size: int) -> None:
        """Cut a partial line off so later lines are never hidden behind it."""
        try:
            os.ftruncate(self._fd, size)
            os.fsync(self._fd)
        except OSError as exc:
            self.broken = (
                f"{self.path.name} could not be repaired after a failed write "
                f"({exc.strerror or exc}); close and reopen the store"
            )

    def truncate(self) -> None:
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self.size = 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
