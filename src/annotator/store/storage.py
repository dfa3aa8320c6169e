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
import re
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


def load_snapshot(path: Path) -> tuple[Tables, dict[str, str]] | None:
    """(tables, the JSON text of each table) or None if the file does not exist.

    Raises StoreCorrupt (file left untouched) if it does not parse. Each table's original text
    is kept so compaction only re-serialises the tables that changed since.
    """
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
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreCorrupt(
            f"{path} is not valid UTF-8 (byte {exc.start}); it was left untouched"
        ) from None
    try:
        try:
            data, fragments = _parse_tables(text)
        except ValueError:  # anything unusual: let the full parser find (and report) it
            data, fragments = json.loads(text), {}
    except json.JSONDecodeError as exc:
        raise StoreCorrupt(
            f"{path} is corrupt or truncated: {exc.msg} at line {exc.lineno} column {exc.colno} "
            f"(char {exc.pos} of {len(text)}); it was left untouched"
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(r, dict) for r in table.values())
        for table in data.values()
    ):
        raise StoreCorrupt(
            f"{path} is JSON but not an annotator/TinyDB store; it was left untouched"
        )
    return data, fragments


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _parse_tables(text: str) -> tuple[Tables, dict[str, str]]:
    """Parse ``{"name": {...}, ...}`` table by table, keeping each table's source text."""
    data: Tables = {}
    fragments: dict[str, str] = {}
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != "{":
        raise ValueError("not an object")
    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            name, pos = _DECODER.raw_decode(text, pos)
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if not isinstance(name, str) or text[pos : pos + 1] != ":":
                raise ValueError("bad key")
            start = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            table, pos = _DECODER.raw_decode(text, start)
            data[name] = table
            fragments[name] = text[start:pos]
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            sep = text[pos : pos + 1]
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if sep == "}":
                break
            if sep != ",":
                raise ValueError("bad separator")
    if pos != len(text):
        raise ValueError("trailing data")
    return data, fragments


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
        loaded = load_snapshot(self.path)
        return None if loaded is None else loaded[0]

    def write(self, data: Tables) -> None:
        write_atomic(self.path, dumps(data).encode("ascii"))


class MemoryMiddleware(Middleware):
    """Holds the whole database in memory; writes reach the file only through ``flush()``.

    ``flush`` re-serialises only tables whose dict changed since the last snapshot: TinyDB
    replaces a table's dict on every write, so identity tells an unchanged table.
    """

    def __init__(self, storage_cls: type[Storage] = AtomicJSONStorage) -> None:
        super().__init__(storage_cls)
        self.cache: Tables | None = None
        self._fragments: dict[str, tuple[dict, str]] = {}

    def load(self, data: Tables | None, fragments: dict[str, str] | None = None) -> None:
        self.cache = data if data is not None else {}
        self._fragments = {
            name: (self.cache[name], text)
            for name, text in (fragments or {}).items()
            if name in self.cache
        }

    def read(self) -> Tables:
        if self.cache is None:
            self.cache = self.storage.read() or {}
        return self.cache

    def write(self, data: Tables) -> None:
        self.cache = data

    def serialise(self) -> bytes:
        fragments: dict[str, tuple[dict, str]] = {}
        parts = []
        for name, table in self.read().items():
            known = self._fragments.get(name)
            text = known[1] if known is not None and known[0] is table else dumps(table)
            fragments[name] = (table, text)
            parts.append(f"{dumps(name)}:{text}")
        self._fragments = fragments
        return ("{" + ",".join(parts) + "}").encode("utf-8")

    def flush(self) -> None:
        write_atomic(self.storage.path, self.serialise())

    def close(self) -> None:  # never flushes implicitly: the store compacts explicitly
        pass
