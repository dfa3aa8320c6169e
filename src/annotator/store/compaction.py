"""Compaction: write a snapshot of a frozen copy of the tables, then retire the journal segments
it folds in, off the action's path.

The store rotates the live journal into a segment (``<store>.journal.<last seq>``) and freezes
the tables (the JSON of unchanged tables from the last snapshot, a shallow copy of the others:
records are never changed in place) under its lock, which costs little; this job then
serialises, writes the new snapshot atomically, keeps the old one as a backup and moves the
segments next to it. Actions meanwhile append to the new live journal. At every moment the
snapshot plus the segments plus the live journal hold every acknowledged change, so a crash
anywhere in here loses nothing: on open, segments newer than the snapshot are replayed first.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import storage
from .backups import Backups
from .journal import segments
from .storage import dump_table, snapshot_chunks


@dataclass
class FrozenTable:
    name: str
    version: int
    fragment: bytes | None  # the unchanged table's JSON, or None: serialise ``records``
    records: dict[str, dict[str, Any]] | None = None


@dataclass
class Compaction:
    """One snapshot write; ``run`` may be called in a background thread."""

    path: Path
    seq: int
    tables: list[FrozenTable]
    meta: dict[str, Any]
    previous_seq: int | None  # the seq of the snapshot being replaced (None: there is none)
    backups: Backups
    retire_segments: bool = True  # move the folded-in segments to the backups afterwards
    fragments: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name="annotator-compaction", daemon=True)
        self.thread.start()

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
        self.done.wait()

    @property
    def running(self) -> bool:
        return not self.done.is_set()

    def run(self) -> None:
        started = time.perf_counter()
        try:
            pieces = []
            for table in self.tables:
                fragment = table.fragment
                if fragment is None:
                    fragment = dump_table(table.records or {})
                self.fragments[table.name] = (table.version, fragment)
                pieces.append((table.name, fragment))
            chunks = snapshot_chunks(pieces, self.meta)
            if self.previous_seq is not None:
                self.backups.keep_snapshot(self.path, self.previous_seq)
            storage.write_atomic(self.path, chunks)
            if self.retire_segments:
                for last_seq, segment in segments(self.path):
                    if last_seq <= self.seq:
                        self.backups.keep_segment(segment, last_seq)
                self.backups.prune()
        except OSError as exc:
            self.error = f"could not write {self.path}: {exc.strerror or exc}"
        except Exception as exc:  # never lose the reason; the data is safe in the journal
            self.error = f"could not write {self.path}: {exc}"
        finally:
            self.seconds = time.perf_counter() - started
            self.done.set()
