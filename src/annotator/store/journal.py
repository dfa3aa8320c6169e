"""The journal ``<store>.journal``: one fsync'd JSON line per change, the commit point.

Each line carries the CRC32 of its record (``..., "crc": "1a2b3c4d"}`` as its last field), so a
torn tail can be told from damage. Only the last write can have been interrupted (one writer,
each append fsync'd before the next), so only an unfinished *last* line (its newline never
written) with nothing after it is a torn tail, never acknowledged, and dropped. Anything else (a
bad last line that ends in a newline, so an overwritten newline may have run an acknowledged
record into it; a bad line with lines after it; a checksum mismatch in the middle; a sequence
number out of order; a record this version cannot apply) is damage: the store refuses to open and ``annotator repair`` salvages.

Lines written before checksums existed (store format 1) have no ``crc``; they are accepted as
long as no checksummed line came before them. Journals are rotated at each compaction into
*segments* ``<store>.journal.<last seq>``, read before the live journal until the snapshot
that folds them in is on disk.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator import lazy_re

from .errors import Damage, StoreError
from .records import entry_problem
from .storage import dumps, fsync_dir

_CRC_TAIL = lazy_re.compile(__name__, "_CRC_TAIL", rb',"crc":"([0-9a-f]{8})"\}$')
SEGMENT = lazy_re.compile(__name__, "SEGMENT", r"\.journal\.(\d{12})$")


def encode_line(entry: dict[str, Any]) -> bytes:
    """The journal line of ``entry``: its JSON with the CRC32 of that JSON as the last field."""
    body = dumps(entry).encode("ascii")
    return body[:-1] + b',"crc":"%08x"}\n' % zlib.crc32(body)


@dataclass
class Line:
    """One line of a journal file, checked."""

    number: int  # 1-based
    offset: int  # byte offset in the file
    raw: bytes  # without the newline
    complete: bool  # ended by a newline
    entry: dict[str, Any] | None = None
    checksummed: bool = False  # its checksum is there and matches: the bytes are as written
    problem: str | None = None
    embedded: bool = False  # a piece of a damaged line cut around a whole record inside it

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_line(raw: bytes) -> tuple[dict[str, Any] | None, bool, str | None]:
    """(entry, checksum present and right, problem) for one line's bytes."""
    match = _CRC_TAIL.search(raw)
    if match is not None:
        body = raw[: match.start()] + b"}"
        if zlib.crc32(body) != int(match.group(1), 16):
            return None, False, "checksum mismatch"
    else:
        body = raw
    checksummed = match is not None
    try:
        entry = json.loads(body)
    except ValueError:
        return None, False, "not valid JSON" if checksummed else "no checksum, not valid JSON"
    if not isinstance(entry, dict) or type(entry.get("seq")) is not int:
        return None, checksummed, "not a journal record"
    problem = entry_problem(entry)
    if problem:
        return entry, checksummed, f"cannot be applied: {problem}"
    return entry, checksummed, None


def read_lines(raw: bytes) -> list[Line]:
    """Every line of a journal file, each checked on its own (order is checked by ``scan``)."""
    lines: list[Line] = []
    pos = 0
    number = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        complete = end >= 0
        if not complete:
            end = len(raw)
        number += 1
        line = Line(number, pos, raw[pos:end], complete)
        if complete:
            line.entry, line.checksummed, line.problem = check_line(line.raw)
        else:
            line.problem = "incomplete (no newline)"
        if line.problem is not None and not line.checksummed:
            lines.extend(_cut_around_records(line))
        else:
            lines.append(line)
        pos = end + 1
    return lines


_RECORD_START = lazy_re.compile(__name__, "_RECORD_START", rb'\{"seq":')
_RECORD_END = lazy_re.compile(__name__, "_RECORD_END", rb',"crc":"[0-9a-f]{8}"\}')


def _cut_around_records(line: Line) -> list[Line]:
    """A bad line cut into the whole checksummed records inside it and the bytes around them.

    Damage that overwrites a newline runs two lines into one; the record on the far side of it
    is still whole, and so was acknowledged. The pieces around a record are damage, never a
    torn write (a torn write starts at the beginning of a line).
    """
    raw = line.raw
    starts = [m.start() for m in _RECORD_START.finditer(raw)]
    ends = [m.end() for m in _RECORD_END.finditer(raw)]
    if not starts or not ends:
        return [line]
    pieces: list[Line] = []
    pos = 0
    for start in starts:
        if start < pos:
            continue
        for end in ends:
            if end <= start:
                continue
            entry, checksummed, problem = check_line(raw[start:end])
            if checksummed and problem is None:
                if start > pos:
                    pieces.append(_piece(line, pos, start))
                record = Line(line.number, line.offset + start, raw[start:end], True, entry, True)
                record.embedded = True
                pieces.append(record)
                pos = end
                break
    if not pieces or (len(pieces) == 1 and pos == len(raw) and not line.complete):
        return [line]  # nothing whole inside, or a whole last record that only lacks its newline
    if pos < len(raw):
        pieces.append(_piece(line, pos, len(raw)))
    return pieces


def _piece(line: Line, start: int, end: int) -> Line:
    piece = Line(line.number, line.offset + start, line.raw[start:end], line.complete)
    piece.problem = f"damaged bytes around a whole record ({line.problem})"
    piece.embedded = start > 0
    return piece


@dataclass(eq=False)
class JournalScan:
    path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)
    valid_bytes: int = 0  # length of the valid prefix (a torn tail starts here)
    total_bytes: int = 0
    torn: bool = False  # an unacknowledged last write after the valid lines (dropped)
    damage: Damage | None = None
    lines: list[Line] = field(default_factory=list)
    checksummed: bool = False  # a checksummed line was seen (no legacy line may follow)


def scan(
    path: Path, *, after_seq: int | None = None, legacy: bool = True, raw: bytes | None = None
) -> JournalScan:
    """Check a journal file: its valid entries, a torn tail, or the first damage.

    ``after_seq``: the sequence number the file continues from: checksummed lines follow each
    other (and it) by exactly one; lines from before checksums only have to increase.
    ``legacy``: lines without a checksum are accepted at the start of the file.
    """
    result = JournalScan(path)
    if raw is None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return result
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    result.total_bytes = len(raw)
    lines = result.lines = read_lines(raw)
    last_seq = after_seq
    seen_checksum = not legacy
    for index, line in enumerate(lines):
        problem = line.problem
        intact = (
            line.checksummed or line.embedded or (problem is None and not seen_checksum)
        )  # the bytes are as some writer wrote them, or a torn write never made them
        if problem is None and not line.checksummed and seen_checksum:
            problem = "no checksum after checksummed lines"
        if problem is None:
            seq = line.entry["seq"]  # type: ignore[index]
            if last_seq is not None and seq <= last_seq:
                problem = f"sequence number {seq} after {last_seq}"
            elif line.checksummed and seen_checksum and last_seq is not None and seq > last_seq + 1:
                problem = f"records {last_seq + 1}..{seq - 1} are missing before it"
        if problem is not None:
            line.problem = problem
            rest = lines[index + 1 :]
            if not rest and not intact and not line.complete:
                # the last write, never acknowledged: a torn append never reached its newline.
                # A bad last line that ends in one is damage (e.g. the newline before it was
                # overwritten, running an acknowledged record into it).
                result.torn = True
            else:
                valid_after = sum(1 for other in rest if other.ok)
                result.damage = Damage(path, line.number, problem, valid_after, line.raw[:200])
            break
        if line.checksummed:
            seen_checksum = True
        last_seq = line.entry["seq"]  # type: ignore[index]
        result.entries.append(line.entry)  # type: ignore[arg-type]
        result.valid_bytes = line.offset + len(line.raw) + 1
    result.checksummed = seen_checksum
    return result


def segments(store_path: Path) -> list[tuple[int, Path]]:
    """The rotated journal segments of a store, oldest first, as (last seq, path)."""
    found = []
    try:
        names = os.listdir(store_path.parent)
    except OSError:
        return []
    prefix = store_path.name + ".journal."
    for name in names:
        if name.startswith(prefix) and (m := SEGMENT.search(name)) and name == prefix + m.group(1):
            found.append((int(m.group(1)), store_path.with_name(name)))
    return sorted(found)


def segment_path(store_path: Path, last_seq: int) -> Path:
    return store_path.with_name(f"{store_path.name}.journal.{last_seq:012d}")


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
        self.append_line(encode_line(entry))

    def append_line(self, line: bytes) -> None:
        before = self.size
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if self._rollback(before):
                raise StoreError(
                    f"could not save to {self.path.name}: {reason}; the change was undone"
                ) from None
            raise StoreError(
                f"could not save to {self.path.name}: {reason}; the change was undone here, "
                f"but the journal could not be cut back ({self.broken_reason}), so it may "
                "come back when the store is next opened; no further changes are accepted: "
                "close and reopen the store"
            ) from None
        except BaseException:
            # E.g. KeyboardInterrupt between write and fsync: the caller undoes the change in
            # memory, so the line must go too (else it comes back on replay, and ``size`` would
            # be stale and a later rollback would cut acknowledged lines).
            self._rollback(before)
            raise
        self.size = before + len(line)

    broken_reason = ""

    def _rollback(self, size: int) -> bool:
        """Cut a partial line off so later lines are never hidden behind it; False if not."""
        try:
            os.ftruncate(self._fd, size)
            os.fsync(self._fd)
        except OSError as exc:
            self.broken_reason = exc.strerror or str(exc)
            self.broken = (
                f"{self.path.name} could not be cut back after a failed write "
                f"({self.broken_reason}); the last change may come back when the store is "
                "reopened; close and reopen the store"
            )
            return False
        return True

    def truncate_to(self, size: int) -> None:
        os.ftruncate(self._fd, size)
        os.fsync(self._fd)
        self.size = size

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
