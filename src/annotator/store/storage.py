"""The snapshot file: a TinyDB JSON file written atomically, with a checksum of its body.

TinyDB's own ``JSONStorage`` rewrites the file in place (a crash can leave it unparseable) and
rebuilds a whole table on every insert. Here the tables live in memory (see ``store.py``) and
the snapshot is only written on compaction: temp file in the same folder, fsync, ``os.replace``,
fsync of the folder. Durability between snapshots comes from the journal.

Format 2 puts the ``_meta`` table last and ends the file with the CRC32 of everything before
it, as the meta record's last field: ``..."_meta":{"1":{...,"crc":"1a2b3c4d"}}}``. TinyDB reads
the file as it is (the crc is one more field of the meta record). Format 1 files have no crc.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator import json_errors, lazy_re

from .errors import StoreCorrupt, StoreDamaged, StoreError

Tables = dict[str, dict[str, dict[str, Any]]]
META = "_meta"
FORMAT = 2  # the snapshot format this module writes (format 1: no checksum)
_CRC_END = lazy_re.compile(__name__, "_CRC_END", rb',"crc":"([0-9a-f]{8})"\}\}\}$')
_END = b"}}}"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dumps(data: Any) -> str:
    # ensure_ascii keeps lone surrogates and odd code points representable in UTF-8 bytes
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True)


def dump_table(table: dict[str, dict[str, Any]]) -> bytes:
    """One table's JSON, record by record (a background writer lets other threads run between
    records; one ``json.dumps`` of a big table would hold the interpreter throughout)."""
    if not table:
        return b"{}"
    parts = [f"{dumps(tid)}:{dumps(record)}" for tid, record in table.items()]
    return ("{" + ",".join(parts) + "}").encode("ascii")


@dataclass(eq=False)
class Snapshot:
    """A parsed snapshot: its tables, each table's source bytes, its format and seq."""

    tables: Tables = field(default_factory=dict)
    fragments: dict[str, bytes] = field(default_factory=dict)
    version: int = 1
    size: int = 0

    @property
    def meta(self) -> dict[str, Any]:
        return next(iter(self.tables.get(META, {}).values()), {})

    @property
    def seq(self) -> int:
        seq = self.meta.get("seq", 0)
        return seq if type(seq) is int else 0


def snapshot_chunks(fragments: Iterable[tuple[str, bytes]], meta: dict[str, Any]) -> list[bytes]:
    """The file's bytes in pieces: the tables in order, then ``_meta`` with its crc last."""
    chunks: list[bytes] = [b"{"]
    for name, fragment in fragments:
        chunks += [dumps(name).encode("ascii"), b":", fragment, b","]
    meta_table = dumps({"1": {k: v for k, v in meta.items() if k != "crc"}}).encode("ascii")
    chunks += [b'"_meta":', meta_table, b"}"]
    crc = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
    chunks[-2] = meta_table[:-2] + b',"crc":"%08x"}}' % crc
    return chunks


def check_crc(raw: bytes) -> str | None:
    """Why the format-2 checksum at the end of ``raw`` fails, or None."""
    match = _CRC_END.search(raw[-64:])
    if match is None:
        return "its checksum is missing (truncated or edited?)"
    end = len(raw) - 64 + match.start() if len(raw) > 64 else match.start()
    body = raw[:end] + _END
    if zlib.crc32(body) != int(match.group(1), 16):
        return "checksum mismatch"
    return None


def load_snapshot(path: Path) -> Snapshot | None:
    """The parsed snapshot, or None if the file does not exist.

    Raises StoreDamaged (file left untouched) if it does not parse, fails its checksum or is
    not a store; each table's source bytes are kept so compaction only re-serialises the
    tables that changed since.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not an annotations file") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_snapshot(path, raw)


def parse_snapshot(path: Path, raw: bytes) -> Snapshot:
    def damaged(reason: str) -> StoreDamaged:
        return StoreDamaged.of(path, None, reason)

    if not raw.strip():
        raise damaged(f"empty, {len(raw)} bytes: probably truncated")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise damaged(f"not valid UTF-8 at byte {exc.start}") from None
    try:
        try:
            data, fragments = _parse_tables(text)
        except ValueError:  # anything unusual: let the full parser find (and report) it
            data, fragments = json.loads(text), {}
    except json.JSONDecodeError as exc:
        raise damaged(
            f"not valid JSON: {json_errors.reason(exc)} at line {exc.lineno} column {exc.colno}, "
            f"char {exc.pos} of {len(text)}"
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(r, dict) for r in table.values())
        for table in data.values()
    ):
        raise StoreCorrupt(
            f"{path} is JSON but not an annotator/TinyDB store; it was left untouched"
        )
    snapshot = Snapshot(data, {k: v.encode("utf-8") for k, v in fragments.items()}, 1, len(raw))
    meta = snapshot.meta
    version = meta.get("schema_version", 1)
    if type(version) is not int:
        raise damaged(f"its format version {version!r} is not a number")
    snapshot.version = version
    # A checksum at the end means our format 2 whatever the version field says: a damaged
    # "schema_version" key must not pass the file off as format 1, which has no checksum.
    # (A newer format is refused by the store, with its own message.)
    if version == FORMAT or _CRC_END.search(raw[-64:]) is not None:
        problem = check_crc(raw)
        if problem:
            raise damaged(problem)
        meta.pop("crc", None)
        snapshot.fragments.pop(META, None)
    return snapshot


_WS = lazy_re.compile(__name__, "_WS", r"[ \t\n\r]*")
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
            if name in data:
                raise ValueError("duplicate table")
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


SYNC_EVERY = 1 << 20


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_atomic(path: Path, payload: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``payload`` so a crash leaves either the old or the new file.

    The data is flushed every ``SYNC_EVERY`` bytes as it is written: a big snapshot written
    in one go and fsync'd at the end makes the journal's small fsyncs wait for all of it (the
    file system commits them together), which would stall the actions meanwhile.
    """
    folder = path.parent
    chunks = [payload] if isinstance(payload, bytes) else payload
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, os.stat(path).st_mode & 0o777 if path.exists() else 0o644)
        pending: list[bytes] = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= SYNC_EVERY:
                _write_all(fd, b"".join(pending))  # few big writes: the GIL is rarely needed
                os.fdatasync(fd)
                pending, size = [], 0
        if pending:
            _write_all(fd, b"".join(pending))
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


def salvage_tables(raw: bytes) -> tuple[Tables, str | None]:
    """The tables of a damaged snapshot that still parse, in order, and why reading stopped.

    Reads table by table from the start; the first one that does not parse ends it (the
    tables after it are lost). A table that parses may still hold damaged values: the caller
    checks every record before trusting it.
    """
    text = raw.decode("utf-8", errors="replace")
    data: Tables = {}
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != "{":
        return data, "it does not start with '{'"
    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    while pos < len(text) and text[pos] != "}":
        try:
            name, pos = _DECODER.raw_decode(text, pos)
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if not isinstance(name, str) or text[pos : pos + 1] != ":":
                return data, f"no table name at char {pos}"
            start = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            table, pos = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError as exc:
            return data, f"{json_errors.reason(exc)} at char {exc.pos}"
        if isinstance(table, dict) and all(isinstance(r, dict) for r in table.values()):
            data[name] = table
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == ",":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        elif text[pos : pos + 1] != "}":
            return data, f"no ',' or '}}' at char {pos}"
    return data, None
