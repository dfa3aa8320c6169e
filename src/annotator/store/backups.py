"""Backups of the last few snapshots and the journal segments between them.

Each compaction keeps the snapshot it replaces (a hard link: no copy, no extra disk while the
new one is written) as ``<store>.backups/snapshot.<seq>.json`` and moves the journal segments
it folded in next to it as ``journal.<last seq>``. From any backup snapshot, the segments after
it lead to the current state, so ``annotator repair`` can rebuild a damaged snapshot without
losing acknowledged work. The oldest generations go first when there are more than
``KEEP`` of them or they take more than ``LIMIT_BYTES``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .storage import fsync_dir

KEEP = 3
LIMIT_BYTES = 1 << 30  # 1 GiB
_SNAPSHOT = re.compile(r"^snapshot\.(\d{12})\.json$")
_SEGMENT = re.compile(r"^journal\.(\d{12})$")


@dataclass(frozen=True)
class Backup:
    seq: int
    path: Path


def folder_of(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".backups")


class Backups:
    def __init__(self, store_path: Path, *, keep: int = KEEP, limit_bytes: int = LIMIT_BYTES):
        self.folder = folder_of(store_path)
        self.keep = keep
        self.limit_bytes = limit_bytes

    def snapshots(self) -> list[Backup]:
        """Backup snapshots, newest first."""
        return sorted(self._list(_SNAPSHOT), key=lambda b: -b.seq)

    def segments(self) -> list[Backup]:
        """Journal segments kept with the backups, oldest first (seq: the last one in it)."""
        return sorted(self._list(_SEGMENT), key=lambda b: b.seq)

    def _list(self, pattern: re.Pattern[str]) -> list[Backup]:
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        return [
            Backup(int(m.group(1)), self.folder / name)
            for name in names
            if (m := pattern.match(name))
        ]

    def _ensure(self) -> bool:
        if self.keep <= 0:
            return False
        try:
            if not self.folder.is_dir():
                self.folder.mkdir()
                fsync_dir(self.folder.parent)
        except OSError:
            return False
        return True

    def keep_snapshot(self, snapshot: Path, seq: int) -> None:
        """Hard-link the snapshot about to be replaced (a copy where links do not work)."""
        if not snapshot.exists() or not self._ensure():
            return
        target = self.folder / f"snapshot.{seq:012d}.json"
        try:
            os.link(snapshot, target)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            with contextlib.suppress(OSError):
                shutil.copyfile(snapshot, target)
        with contextlib.suppress(OSError):
            fsync_dir(self.folder)

    def keep_segment(self, segment: Path, last_seq: int) -> None:
        """Move a folded-in journal segment here (or delete it when backups are off)."""
        if self._ensure():
            try:
                os.replace(segment, self.folder / f"journal.{last_seq:012d}")
                fsync_dir(self.folder)
                fsync_dir(segment.parent)
                return
            except OSError:
                pass
        with contextlib.suppress(OSError):
            segment.unlink()
            fsync_dir(segment.parent)

    def prune(self) -> None:
        """Keep the newest ``keep`` snapshots within ``limit_bytes``, and the segments after the
        oldest kept one; the rest goes."""
        snapshots = self.snapshots()
        kept: list[Backup] = []
        total = 0
        for backup in snapshots:
            size = _size(backup.path)
            if len(kept) >= self.keep or total + size > self.limit_bytes:
                break
            kept.append(backup)
            total += size
        for backup in snapshots[len(kept) :]:
            with contextlib.suppress(OSError):
                backup.path.unlink()
        # segments before the oldest kept snapshot lead nowhere; with no snapshot kept, the
        # segments can still rebuild from an empty store if they start at the first record
        floor = kept[-1].seq if kept else None
        segments = self.segments()
        for segment in segments:
            if floor is not None and segment.seq <= floor:
                with contextlib.suppress(OSError):
                    segment.path.unlink()
        if floor is None:
            total = 0
            for segment in reversed(segments):
                total += _size(segment.path)
                if total > self.limit_bytes:
                    with contextlib.suppress(OSError):
                        segment.path.unlink()
        with contextlib.suppress(OSError):
            fsync_dir(self.folder)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
