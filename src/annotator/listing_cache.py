"""A cache of folder listings, so a 100,000-article folder opens without walking it again.

A listing (the corpus's entries, what the walk skipped, the ``.jsonl`` line ranges) is kept in
``<cache dir>/listing-<hash of the folder's real path>.marshal`` with the identity of every
folder walked (inode, mtime and ctime in nanoseconds: adding, removing or renaming a name in a
folder changes them) and of every ``.jsonl`` file read (its lines are entries). It is used only
when all of them are unchanged; a folder changed within ``RACY_SECONDS`` of the listing is not
cached at all (a change in the same clock tick would not show). The cache is an optimisation:
any error reading or writing it is ignored and the folder is walked.

On disk the entries are packed: the names joined by NUL (no file name holds one) in one string,
the files spelled as the root's path plus the name, and only the entries that differ (``.jsonl``
lines) in full. Loading 100,000 entries is then one string split (a few milliseconds) instead of
300,000 objects built by ``marshal`` (~80 ms); :class:`Packed` makes each entry when asked for.

The cache dir is ``$XDG_CACHE_HOME/annotator`` or ``~/.cache/annotator``; ``ANNOTATOR_CACHE_DIR``
overrides it and ``ANNOTATOR_CACHE_DIR=""`` turns caching off (the rule of the place lexicon's
cache in ``annotator.suggest.places``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

FORMAT = 2
RACY_SECONDS = 2.0
MIN_ENTRIES = 2000  # smaller folders list in a few milliseconds: not worth a file

Stamp = tuple[int, int, int]  # st_ino, st_mtime_ns, st_ctime_ns
EntryTuple = tuple[str, str, int | None]  # Entry fields: file, name, line


class Packed(Sequence[Any]):
    """Entries as stored: ``make((file, name, line))`` of each, made when asked for.

    ``file`` is ``prefix + name`` unless the entry is in ``others`` (by position).
    """

    def __init__(
        self,
        prefix: str,
        names: list[str],
        others: dict[int, EntryTuple],
        make: Callable[[EntryTuple], Any] = tuple,
    ) -> None:
        self.prefix, self.names, self.others, self.make = prefix, names, others, make

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.names)))]
        name = self.names[index]  # IndexError past the end, as a list
        if index < 0:
            index += len(self.names)
        other = self.others.get(index)
        return self.make(other if other is not None else (self.prefix + name, name, None))


def pack(prefix: str, entries: Sequence[EntryTuple]) -> tuple[str, str, dict[int, EntryTuple]]:
    """(prefix, the names joined by NUL, the entries that are not ``prefix + name``)."""
    others = {
        i: tuple(entry)  # type: ignore[misc]
        for i, entry in enumerate(entries)
        if entry[2] is not None or entry[0] != prefix + entry[1]
    }
    return prefix, "\0".join(entry[1] for entry in entries), others


def unpack(packed: tuple[str, str, dict[int, EntryTuple]]) -> Packed:
    prefix, joined, others = packed
    return Packed(prefix, joined.split("\0") if joined else [], others)


@dataclass(eq=False)
class Listing:
    """What ``load_corpus`` found in a folder, in plain tuples (marshal-able)."""

    entries: Sequence[EntryTuple]  # Entry fields: file, name, line (a Packed when loaded)
    skipped: list[tuple[str, str]]  # Skipped fields: path, reason
    offsets: dict[str, list[tuple[int, int]]]  # .jsonl file -> line byte ranges
    folders: dict[str, Stamp] = field(default_factory=dict)  # every folder walked
    files: dict[str, Stamp] = field(default_factory=dict)  # every .jsonl file read


def stamp(path: str) -> Stamp:
    info = os.stat(path)
    return (info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def cache_dir() -> Path | None:
    """Where the annotator keeps its caches (listings, place data); None: caching turned off."""
    override = os.environ.get("ANNOTATOR_CACHE_DIR")
    if override is not None:
        return Path(override).expanduser() if override else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "annotator"


def identity(root: Path) -> str:
    """The folder as listed: entries hold paths spelled from ``root`` (relative to the cwd)."""
    cwd = "" if root.is_absolute() else os.getcwd()
    return f"{os.path.realpath(root)}\0{root}\0{cwd}"


def cache_file(root: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(os.fsencode(identity(root))).hexdigest()[:16]
    return folder / f"listing-{key}.marshal"


def load(root: Path) -> Listing | None:
    """The cached listing of ``root`` if nothing in it changed since, else None."""
    path = cache_file(root)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = marshal.loads(handle.read())  # marshal.load(handle) reads piecemeal: 10x slower
        version, real, packed, skipped, offsets, folders, files = data
        if version != FORMAT or real != identity(root):
            return None
        for name, recorded in folders.items():
            if stamp(name) != recorded:
                return None
        for name, recorded in files.items():
            if stamp(name) != recorded:
                return None
        entries = unpack(packed)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return Listing(entries, skipped, offsets, folders, files)


def save(root: Path, listing: Listing) -> None:
    """Keep ``listing`` for next time (large folders only; nothing changed just now)."""
    path = cache_file(root)
    if path is None or len(listing.entries) < MIN_ENTRIES:
        return
    now = time.time_ns()
    racy = int(RACY_SECONDS * 1e9)
    stamps = [*listing.folders.values(), *listing.files.values()]
    if any(now - max(mtime, ctime) < racy for _, mtime, ctime in stamps):
        return
    data = (
        FORMAT,
        identity(root),
        pack(os.path.join(str(root), ""), listing.entries),
        listing.skipped,
        listing.offsets,
        listing.folders,
        listing.files,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(temp, "wb") as handle:
            handle.write(marshal.dumps(data))
        os.replace(temp, path)
    except (OSError, ValueError):
        return
