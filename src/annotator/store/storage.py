"""TinyDB storage layers: an atomic JSON snapshot file under a cache that never flushes by itself.

TinyDB's own ``JSONStorage`` rewrites the file in place (a crash can leave it unparseable) and
``CachingMiddleware`` flushes on its own schedule. Here the snapshot is only written by an
explicit ``flush()`` (compaction): temp file in the same folder, fsync, ``os.replace``, fsync
the folder. Durability between snapshots comes from the journal.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.middlewares import Middleware
from tinydb.storages import Storage

from .errors import StoreCorrupt, StoreError

Tables = dict[str, dict[str, dict[str, Any]]]


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dumps(data: Any) -> str:
    # ensure_ascii keeps lone surrogates and odd code points representable in UTF-8 bytes
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True)


def load_snapshot(path: Path) -> Tables | None:
    """The parsed snapshot, None if the file does not exist; StoreCorrupt if it does not parse."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not an annotations file") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not raw.strip():
        raise StoreCorrupt(
            f"{path} is empty ({len(raw)} bytes), probably truncated; it was left untouched "
            "(move it away to start a new store)"
        )
    try:
        data = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise StoreCorrupt(
            f"{path} is not valid UTF-8 (byte {exc.start}); it was left untouched"
        ) from None
    except json.JSONDecodeError as exc:
        raise StoreCorrupt(
            f"{path} is corrupt or truncated: {exc.msg} at line {exc.lineno} column {exc.colno} "
            f"(char {exc.pos} of {len(raw)} bytes); it was left untouched"
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(r, dict) for r in table.values())
        for table in data.values()
    ):
        raise StoreCorrupt(f"{path} is JSON but not an annotator/TinyDB store; it was left untouched")
    return data


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so a crash leaves either the old or the new file."""
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, os.stat(path).st_mode & 0o777 if path.exists() else 0o644)
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


class AtomicJSONStorage(Storage):
    """Reads the snapshot once; ``write`` replaces it atomically (only called on compaction)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> Tables | None:
        return load_snapshot(self.path)

    def write(self, data: Tables) -> None:
        write_atomic(self.path, dumps(data).encode("ascii"))


class MemoryMiddleware(Middleware):
    """Holds the whole database in memory; writes reach the file only through ``flush()``."""

    def __init__(self, storage_cls: type[Storage] = AtomicJSONStorage) -> None:
        super().__init__(storage_cls)
        self.cache: Tables | None = None

    def load(self, data: Tables | None) -> None:
        self.cache = data if data is not None else {}

    def read(self) -> Tables:
        if self.cache is None:
            self.cache = self.storage.read() or {}
        return self.cache

    def write(self, data: Tables) -> None:
        self.cache = data

    def flush(self) -> None:
        self.storage.write(self.read())

    def close(self) -> None:  # never flushes implicitly: the store compacts explicitly
        pass
