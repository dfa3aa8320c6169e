"""Finding, decoding and parsing article files: a lazy, ordered corpus of :class:`Document`.

``load_corpus`` only walks the folder (names and file types, no reads except counting the
lines of ``.jsonl`` files); a document is read, decoded, sanitised and parsed when first asked
for, then cached. ``preview`` reads only the head of a file (title and date for a list view).

What is skipped, and said so in ``Corpus.skipped``: unsupported file types, hidden files and
folders (names starting with a dot; VCS and tool folders such as ``.git`` are ignored silently),
symlink loops, broken links, unreadable, empty, whitespace-only, binary and undecodable files,
bad ``.jsonl`` lines, and duplicates (same sanitised text as an earlier entry: the first in order
is kept). Files decoded with the cp1252 fallback are kept and listed in ``Corpus.notes``.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from annotator import json_errors, lazy_re, listing_cache
from annotator.model import Document
from annotator.text import DecodeError, decode_bytes, sanitize

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Corpus",
    "CorpusError",
    "Entry",
    "Skipped",
    "cached_corpus",
    "has_entries",
    "load_corpus",
    "natural_key",
    "parse_article",
    "parse_date",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".jsonl")
SILENT_NAMES = frozenset(
    [
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".DS_Store",
        ".idea",
        ".vscode",
        ".venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        "__pycache__",
        "node_modules",
        "Thumbs.db",
        "desktop.ini",
    ]
)
MAX_BYTES = 64 * 1024 * 1024
PREVIEW_BYTES = 8192


class CorpusError(Exception):
    """The corpus path itself is unusable (missing, unreadable); ``str()`` is one readable line."""


class Skipped(NamedTuple):
    path: str  # relative to the corpus root; "file.jsonl:3" for a line of a .jsonl file
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Entry(NamedTuple):
    """One article to list: ``Entry(path, name, line=None)``.

    A named tuple holding the path as a string: listing 10,000 files builds no ``Path`` objects
    (they cost more than the directory walk itself); ``path`` makes one when asked.
    """

    file: str  # the file on disk (os.fspath of the path)
    name: str  # display name: path relative to the corpus root, "data.jsonl:3" for a line
    line: int | None = None  # 1-based line number for .jsonl entries

    @property
    def path(self) -> Path:
        """The file on disk."""
        return Path(self.file)


_DIGITS = lazy_re.compile(__name__, "_DIGITS", r"\d+")


_PADDED: dict[str, str] = {}  # digit run -> its sort form; file names repeat runs a lot


def _pad(match: re.Match[str]) -> str:
    run = match.group()
    padded = _PADDED.get(run)
    if padded is None:
        digits = run.lstrip("0") or "0"
        padded = f"{len(digits):04d}{digits}"
        if len(_PADDED) < 1 << 16:
            _PADDED[run] = padded
    return padded


def natural_key(name: str) -> tuple[str, str]:
    """Case-insensitive natural sort key: "a2" < "a10" < "B11"; ties broken by the raw name.

    Digit runs are length-prefixed so they compare numerically as strings; "/" becomes NUL
    so a path sorts component by component.
    """
    return (_DIGITS.sub(_pad, name.casefold()).replace("/", "\0"), name)


def _path_key(rel: str) -> tuple[str, str]:
    return natural_key(rel)


def _entry_key(entry: Entry) -> tuple[str, str]:
    return natural_key(entry.name)


def doc_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# --------------------------------------------------------------------------- corpus


class Corpus:
    """An ordered set of article entries, loaded lazily and cached."""

    def __init__(self, root: Path, entries: Sequence[Entry], walk_skipped: list[Skipped]) -> None:
        self.root = root
        self.entries = entries
        self.walk_skipped = walk_skipped  # found while listing, no file read
        self.notes: list[str] = []  # decoding fallbacks and other things worth telling
        self._results: dict[int, Document | Skipped] = {}
        self._index: dict[str, int] | None = None  # name -> position, made on first need
        self._by_id: dict[str, int] = {}  # doc id -> entry index of the kept document
        self._jsonl_offsets: dict[str, list[tuple[int, int]]] = {}

    def __repr__(self) -> str:
        return f"Corpus({str(self.root)!r}, {len(self.entries)} entries)"

    def names(self) -> Sequence[str]:
        """The entries' names, in order (without making the entries of a cached listing)."""
        if isinstance(self.entries, listing_cache.Packed):
            return self.entries.names
        return list(map(itemgetter(1), self.entries))

    # ---- positions
    def position(self, name: str) -> int | None:
        """Where the entry called ``name`` is in ``entries`` (None: not listed).

        Entries are listed in ``natural_key`` order, so a binary search finds most names
        without the name -> position map, which costs ~40 ms to build for 100,000 entries at
        start-up; the map is built the first time the search misses (``.jsonl`` lines, or
        entries given in another order) and used from then on.
        """
        if self._index is None:
            entries = self.entries
            i = bisect.bisect_left(entries, natural_key(name), key=_entry_key)
            if i < len(entries) and entries[i].name == name:
                return i
            self._index = {entry.name: i for i, entry in enumerate(entries)}  # names are unique
        return self._index.get(name)

    def _position(self, entry: Entry) -> int:
        i = self.position(entry.name)
        if i is None:
            raise KeyError(entry.name)
        return i

    # ---- loading
    def load(self, entry: Entry) -> Document | Skipped:
        """The document for ``entry`` (cached), or a :class:`Skipped` saying why not."""
        i = self._position(entry)
        cached = self._results.get(i)
        if cached is not None:
            return cached
        result = self._read(entry)
        if isinstance(result, Document):
            first = self._by_id.get(result.id)
            if first is not None and first < i:
                result = Skipped(entry.name, f"duplicate of {self.entries[first].name}")
            else:
                if first is not None:  # a later copy was loaded first: it becomes the duplicate
                    self._results[first] = Skipped(
                        self.entries[first].name, f"duplicate of {entry.name}"
                    )
                self._by_id[result.id] = i
        self._results[i] = result
        return result

    def preview(self, entry: Entry) -> tuple[str, datetime | None]:
        """Title and date from the head of the file only (the whole document if loaded)."""
        cached = self._results.get(self._position(entry))
        if isinstance(cached, Document):
            return cached.title, cached.date
        if isinstance(cached, Skipped):
            return entry.name, None
        if entry.line is not None:
            result = self.load(entry)
            if isinstance(result, Document):
                return result.title, result.date
            return entry.name, None
        try:
            with open(entry.file, "rb") as handle:
                head = handle.read(PREVIEW_BYTES)
            more = len(head) == PREVIEW_BYTES
            text, _ = _decode_head(head, more)
        except (OSError, DecodeError):
            return entry.name, None
        text = sanitize(text)
        if more and "\n" in text:
            text = text[: text.rindex("\n")]
        doc = parse_article(text, path=entry.name, head_only=True)
        return doc.title, doc.date

    def iter_documents(self) -> Iterator[Document]:
        """Valid documents in order, each loaded when reached."""
        for entry in self.entries:
            result = self.load(entry)
            if isinstance(result, Document):
                yield result

    def __iter__(self) -> Iterator[Document]:
        return self.iter_documents()

    @property
    def documents(self) -> list[Document]:
        """All valid documents (loads everything once)."""
        self._load_all()
        docs = [self._results[i] for i in range(len(self.entries))]
        return [doc for doc in docs if isinstance(doc, Document)]

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def skipped(self) -> list[Skipped]:
        """Everything not loaded and why (loads everything once), sorted by path."""
        self._load_all()
        found = list(self.walk_skipped)
        found += [r for r in self._results.values() if isinstance(r, Skipped)]
        return sorted(found, key=lambda s: _path_key(s.path))

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, loading entries in order until it is found."""
        i = self._by_id.get(doc_id)
        if i is not None and isinstance(self._results.get(i), Document):
            return self._results[i]  # type: ignore[return-value]
        for doc in self.iter_documents():
            if doc.id == doc_id:
                return doc
        return None

    def _load_all(self) -> None:
        if len(self._results) < len(self.entries):
            for entry in self.entries:
                self.load(entry)

    # ---- reading one entry
    def _read(self, entry: Entry) -> Document | Skipped:
        if entry.line is not None:
            return self._read_jsonl_line(entry)
        try:
            path = entry.path
            size = path.stat().st_size
            if size > MAX_BYTES:
                return Skipped(entry.name, f"too large ({_size(size)}; limit {_size(MAX_BYTES)})")
            data = path.read_bytes()
        except OSError as exc:
            return Skipped(entry.name, f"cannot read: {exc.strerror or exc}")
        try:
            raw, encoding = decode_bytes(data)
        except DecodeError as exc:
            return Skipped(entry.name, str(exc))
        return self._make(entry, raw, encoding, None)

    def _make(
        self, entry: Entry, raw: str, encoding: str, meta: dict[str, Any] | None
    ) -> Document | Skipped:
        text = sanitize(raw)
        if not text.strip():
            return Skipped(entry.name, "empty" if not text else "only whitespace")
        if encoding not in ("utf-8", "utf-8 (BOM)"):
            self.notes.append(f"{entry.name}: decoded as {encoding}")
        doc = parse_article(text, path=entry.name, meta=meta)
        doc.encoding = encoding
        return doc

    def _read_jsonl_line(self, entry: Entry) -> Document | Skipped:
        offsets = self._jsonl_offsets.get(entry.file)
        if offsets is None:
            offsets = self._jsonl_offsets[entry.file] = _jsonl_lines(entry.file)
        assert entry.line is not None
        if entry.line > len(offsets):
            return Skipped(entry.name, "line no longer in the file (changed since listing)")
        begin, end = offsets[entry.line - 1]
        try:
            with open(entry.file, "rb") as handle:
                handle.seek(begin)
                data = handle.read(end - begin)
        except OSError as exc:
            return Skipped(entry.name, f"cannot read: {exc.strerror or exc}")
        if entry.line == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            obj = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return Skipped(entry.name, f"not UTF-8 (byte {exc.start}); .jsonl must be UTF-8")
        except json.JSONDecodeError as exc:
            return Skipped(
                entry.name, f"invalid JSON ({json_errors.reason(exc)} at column {exc.colno})"
            )
        if not isinstance(obj, dict):
            return Skipped(entry.name, f"expected a JSON object, got {type(obj).__name__}")
        text = obj.get("text")
        if text is None:
            return Skipped(entry.name, 'no "text" field')
        if not isinstance(text, str):
            return Skipped(entry.name, f'"text" is a {type(text).__name__}, not a string')
        meta = obj.get("meta", {})
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            return Skipped(entry.name, f'"meta" is a {type(meta).__name__}, not an object')
        return self._make(entry, text, "utf-8", dict(meta))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _decode_head(head: bytes, more: bool) -> tuple[str, str]:
    """Decode the first bytes of a file; a multibyte character cut at the end is dropped."""
    if not more:
        return decode_bytes(head)
    for cut in range(4):
        try:
            return decode_bytes(head[: len(head) - cut] if cut else head)
        except DecodeError:
            if cut == 3:
                raise
    raise DecodeError("undecodable")  # pragma: no cover


def _jsonl_lines(path: str) -> list[tuple[int, int]]:
    with open(path, "rb") as handle:
        return _line_ranges(handle.read())


def _line_ranges(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of every line of ``data`` (without the newline), in order."""
    ranges = []
    pos = 0
    size = len(data)
    while pos < size:
        nl = data.find(b"\n", pos)
        stop = size if nl < 0 else nl
        ranges.append((pos, stop))
        pos = stop + 1
    return ranges


# --------------------------------------------------------------------------- walking


def _root(path: str | Path) -> Path:
    root = Path(path).expanduser()
    if not root.exists():
        if root.is_symlink():
            raise CorpusError(f"{path}: broken symbolic link")
        raise CorpusError(f"{path}: no such file or folder")
    return root


def _from_cache(root: Path, cached: listing_cache.Listing) -> Corpus:
    entries = cached.entries
    if isinstance(entries, listing_cache.Packed):
        entries.make = functools.partial(tuple.__new__, Entry)  # type: ignore[assignment]
    corpus = Corpus(root, entries, [Skipped(*item) for item in cached.skipped])
    corpus._jsonl_offsets.update(cached.offsets)
    return corpus


def cached_corpus(path: str | Path) -> Corpus | None:
    """The listing of ``path`` when it needs no walk (a file, or a folder whose listing cache is
    valid); None when the folder must be walked (``load_corpus``, which then caches it)."""
    root = _root(path)
    if not root.is_dir():
        return load_corpus(root)
    cached = listing_cache.load(root)
    return None if cached is None else _from_cache(root, cached)


def has_entries(path: str | Path) -> bool:
    """Whether ``load_corpus(path)`` lists anything, without walking the whole folder when it
    holds a ``.txt`` or ``.md`` file (the walk stops at the first one)."""
    root = _root(path)
    if root.is_dir() and _walk(root, [], {}, first=True):
        return True
    return bool(load_corpus(root).entries)


def load_corpus(path: str | Path, progress: Callable[[int], None] | None = None) -> Corpus:
    """List the articles under ``path`` (a file or a folder, recursive) without reading them.

    ``progress(files found so far)`` is called after each folder walked (it may raise to stop).
    """
    root = _root(path)
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    offsets: dict[str, list[tuple[int, int]]] = {}
    folders: dict[str, listing_cache.Stamp] = {}
    read: dict[str, listing_cache.Stamp] = {}
    if root.is_dir():
        cached = listing_cache.load(root)
        if cached is not None:
            return _from_cache(root, cached)
        files = _walk(root, skipped, folders, progress=progress)
        base = root
    else:
        base = root.parent
        files = [(_path_key(root.name)[0], root.name, str(root))]
    files.sort()  # (natural key, name): the order of natural_key(name)
    new_entry = tuple.__new__  # Entry(file, rel) without NamedTuple's Python-level __new__
    append = entries.append
    for _, rel, file_path in files:
        # the usual case without _suffix's slicing (hidden names never reach here from _walk;
        # a file given by name may be one)
        if rel.endswith(_COMMON_SUFFIXES) and rel[0] != ".":
            append(new_entry(Entry, (file_path, rel, None)))
            continue
        suffix = _suffix(rel)
        if suffix == ".jsonl":
            _list_jsonl(rel, file_path, entries, skipped, offsets, read)
        elif suffix in SUPPORTED_SUFFIXES:
            append(new_entry(Entry, (file_path, rel, None)))
        else:
            what = (
                f"unsupported file type {suffix}" if suffix else "unsupported file (no extension)"
            )
            skipped.append(Skipped(rel, f"{what}; use .txt, .md or .jsonl"))
    corpus = Corpus(base, entries, skipped)
    corpus._jsonl_offsets.update(offsets)
    if folders and len(entries) >= listing_cache.MIN_ENTRIES:
        listing = listing_cache.Listing(
            [tuple(entry) for entry in entries],  # type: ignore[misc]
            [(item.path, item.reason) for item in skipped],
            offsets,
            folders,
            read,
        )
        listing_cache.save(root, listing)
    return corpus


_COMMON_SUFFIXES = (".txt", ".md")  # lower case: _suffix decides the rest (".TXT", ".jsonl")


def _suffix(rel: str) -> str:
    """``os.path.splitext(rel)[1].lower()``, without its overhead in the common case."""
    slash = rel.rfind("/")
    dot = rel.rfind(".")
    if dot > slash + 1 and rel[slash + 1] != ".":
        return rel[dot:].lower()
    return os.path.splitext(rel)[1].lower()  # no dot, or a name starting with dots


def _list_jsonl(
    rel: str,
    path: str,
    entries: list[Entry],
    skipped: list[Skipped],
    offsets: dict[str, list[tuple[int, int]]],
    read: dict[str, listing_cache.Stamp],
) -> None:
    """One entry per non-blank line (the file is scanned for newlines, not parsed)."""
    try:
        read[path] = listing_cache.stamp(path)  # before reading: a later change shows
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        skipped.append(Skipped(rel, f"cannot read: {exc.strerror or exc}"))
        return
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        skipped.append(Skipped(rel, "UTF-16 .jsonl is not supported; save it as UTF-8"))
        return
    ranges = _line_ranges(data)
    offsets[path] = ranges
    found = False
    for number, (begin, end) in enumerate(ranges, start=1):
        if data[begin:end].strip():
            entries.append(Entry(path, f"{rel}:{number}", number))
            found = True
    if not found:
        skipped.append(Skipped(rel, "empty"))


def _walk(
    root: Path,
    skipped: list[Skipped],
    folders: dict[str, listing_cache.Stamp],
    *,
    progress: Callable[[int], None] | None = None,
    first: bool = False,
) -> list[tuple[str, str, str]]:
    """(sort key, relative posix path, path) of every visible file; loops and hidden names reported.

    ``first``: stop at the first ``.txt`` or ``.md`` file (returned alone); [] when there is none.

    Strings only (no ``Path`` per file), and the natural sort key of a folder is computed once
    for all its files: ``natural_key(prefix + name)[0] == key(prefix) + key(name)`` because a
    digit run never spans the "/".
    """
    files: list[tuple[str, str, str]] = []
    visited: dict[str, str] = {os.path.realpath(root): "."}
    stack: list[tuple[str, str]] = [(str(root), "")]
    digits, pad = _DIGITS.sub, _pad
    while stack:
        if progress is not None:
            progress(len(files))
        folder, prefix = stack.pop()
        prefix_key = natural_key(prefix)[0]
        try:
            folders[folder] = listing_cache.stamp(folder)  # before listing: a change shows
            with os.scandir(folder) as it:
                items = list(it)
        except OSError as exc:
            skipped.append(
                Skipped(prefix.rstrip("/") or ".", f"cannot read folder: {exc.strerror}")
            )
            continue
        for item in items:
            name = item.name
            rel = prefix + name
            if name in SILENT_NAMES:
                continue
            try:
                is_dir = item.is_dir()
                is_file = item.is_file()
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot read: {exc.strerror}"))
                continue
            if item.name.startswith("."):
                kind = "folder" if is_dir else "file"
                skipped.append(Skipped(rel, f"hidden {kind} (name starts with a dot)"))
                continue
            if is_dir:
                real = os.path.realpath(item.path)
                if real in visited:
                    skipped.append(
                        Skipped(rel, f"symlink loop: folder already read as {visited[real]}")
                    )
                    continue
                visited[real] = rel
                stack.append((item.path, rel + "/"))
            elif is_file:
                if first:
                    if name.lower().endswith(_COMMON_SUFFIXES):
                        return [(prefix_key + digits(pad, name.casefold()), rel, item.path)]
                    continue
                files.append((prefix_key + digits(pad, name.casefold()), rel, item.path))
            elif item.is_symlink():
                skipped.append(Skipped(rel, "broken symbolic link"))
            else:
                skipped.append(Skipped(rel, "not a regular file"))
    return files


# --------------------------------------------------------------------------- article structure

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_HAS_MONTH = lazy_re.compile(__name__, "_HAS_MONTH", rf"(?i)\b(?:{_MONTHS})\b\.?")
_HAS_YEAR = lazy_re.compile(__name__, "_HAS_YEAR", r"\b(?:19|20)\d\d\b")
_NUMERIC_DATE = lazy_re.compile(__name__, "_NUMERIC_DATE", r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_DATE_LABEL = lazy_re.compile(
    __name__,
    "_DATE_LABEL",
    r"(?i)^(?:published|updated|last updated|first published|posted|date|modified)"
    r"(?:\s+on)?\s*:?\s*",
)
_DOT_TIME = lazy_re.compile(__name__, "_DOT_TIME", r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)")
_OFFSETS = {
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
}


@cache
def _dateutil() -> tuple[Any, dict[str, Any]]:
    """dateutil's parser and our time zone names, imported on the first date that needs them.

    Importing dateutil costs ~0.1-0.2 s: too much for start-up, where most dates take
    ``_quick_date``'s path (or the first article has none).
    """
    from dateutil import parser, tz

    tzinfos: dict[str, Any] = {"GMT": tz.UTC, "UTC": tz.UTC, "Z": tz.UTC}
    tzinfos.update({name: tz.tzoffset(name, seconds) for name, seconds in _OFFSETS.items()})
    return parser, tzinfos


def parse_date(line: str) -> datetime | None:
    """A date from a short line that is only a date (dateutil, fuzzy off), else None.

    Requires a four-digit year and a month name or a numeric date, so ordinary sentences and
    bare numbers are never dates.
    """
    line = line.strip()
    if not line or len(line) > 80 or len(line.split()) > 10:
        return None
    line = _DATE_LABEL.sub("", line)
    if not _HAS_YEAR.search(line):
        return None
    if not (_HAS_MONTH.search(line) or _NUMERIC_DATE.search(line)):
        return None
    candidate = _DOT_TIME.sub(r"\1:\2", line) if _HAS_MONTH.search(line) else line
    quick = _quick_date(candidate)
    if quick is not None:
        return quick
    candidate = candidate.replace("|", " ").replace(" at ", " ").strip(" ,-–—|")
    date_parser, tzinfos = _dateutil()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moment = date_parser.parse(
                candidate, fuzzy=False, dayfirst=True, tzinfos=tzinfos,
                default=datetime(2000, 1, 1),
            )  # fmt: skip
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1900 <= moment.year <= 2100:
        return None
    return moment


_MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_QUICK_DATE = lazy_re.compile(
    __name__,
    "_QUICK_DATE",
    r"(?i)^(?:[a-z]+day,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?,?\s+"
    r"(?P<year>\d{4})(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?$",
)


def _quick_date(line: str) -> datetime | None:
    """The common "18 December 2024, 22:04" form without dateutil (which takes ~0.3 ms)."""
    match = _QUICK_DATE.match(line)
    if not match or (month := _MONTH_NUMBER.get(match["month"].lower())) is None:
        return None
    try:
        return datetime(
            int(match["year"]), month, int(match["day"]),
            int(match["hour"] or 0), int(match["minute"] or 0),
        )  # fmt: skip
    except ValueError:
        return None


# Lines that are page furniture, not story. Anchored at the line start, case-insensitive.
_BOILERPLATE = lazy_re.compile(
    __name__,
    "_BOILERPLATE",
    r"""(?ix)^(?:
        listen\ to\ (?:this\ )?(?:article|story)
      | loading\ (?:audio|video|comments)
      | read\ more\b | more\ on\ this\ story | related(?:\ (?:articles?|stories|topics))?\s*:
      | watch\s*: | watch\ more | listen\s*: | see\ also\s*: | also\ read\s*:
      | sign\ up\b | subscribe\b | advertisement$ | advert$ | sponsored\b
      | share\ (?:this|on|via)\b | share$ | follow\ (?:us|@) | click\ here
      | image\ (?:source|caption)\b | (?:getty|reuters|pa|ap|afp)(?:\ images)?$
      | copyright\b | ©  | all\ rights\ reserved | skip\ to\ (?:content|main)
      | (?:most\ )?(?:read|popular|watched)$ | top\ stories$ | trending\b
      | download\ (?:the|our)\ app | get\ (?:the|our)\ (?:app|newsletter)
      | (?:this\ )?(?:article|story)\ (?:continues|was\ updated)
      | published\ \d+\ (?:minutes?|hours?|days?)\ ago$
    )""",
)
_TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|midnight|noon)"
_SCHEDULE = lazy_re.compile(
    __name__, "_SCHEDULE", rf"(?i)^(?:.{{0,60}}\s)?{_TIME}\s*(?:-|–|—|to|until)\s*{_TIME}$"
)
_BYLINE = lazy_re.compile(
    __name__,
    "_BYLINE",
    r"^(?:By|Written by|Words by|Reporting by|Report by)\s+(?P<name>[A-Z][\w'’.-]*"
    r"(?:[ ,]+(?:and\s+|&\s+)?[A-Z][\w'’.-]*){0,7})\s*$",
)
_ROLE_WORDS = (
    r"editor|correspondent|reporter|writer|journalist|columnist|presenter|contributor|"
    r"staff|producer|analyst|commentator|bureau chief|chief|team|desk"
)
_BYLINE_ROLE = lazy_re.compile(
    __name__,
    "_BYLINE_ROLE",
    rf"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{1,3}}),\s+(?P<role>[^.!?]{{0,60}}\b(?:{_ROLE_WORDS})\b[^.!?]{{0,40}})$",
    re.IGNORECASE,
)
_SENTENCE_END = lazy_re.compile(__name__, "_SENTENCE_END", r"[.!?…:;,]$")
_TRAILING = "\"”’'»)]} \t*_"
_BULLET = lazy_re.compile(__name__, "_BULLET", r"^(?:[-*•·–]|\d+[.)])\s")
_WORD = lazy_re.compile(__name__, "_WORD", r"[^\W\d_]{2,}")


def is_byline(line: str) -> str | None:
    """The author named by a byline line ("By Jane Smith", "Jane Smith, Political Editor")."""
    match = _BYLINE.match(line)
    if match:
        return match.group("name").strip(" ,")
    match = _BYLINE_ROLE.match(line)
    if match and len(line) <= 100 and match.group("name")[0].isupper():
        return line.strip()
    return None


_FIRST_WORDS = frozenset(
    [
        "listen",
        "loading",
        "read",
        "more",
        "related",
        "watch",
        "see",
        "also",
        "sign",
        "subscribe",
        "advertisement",
        "advert",
        "sponsored",
        "share",
        "follow",
        "click",
        "image",
        "getty",
        "reuters",
        "pa",
        "ap",
        "afp",
        "copyright",
        "©",
        "all",
        "skip",
        "most",
        "popular",
        "watched",
        "top",
        "trending",
        "download",
        "get",
        "this",
        "article",
        "story",
        "published",
    ]
)
_SCHEDULE_TAIL = lazy_re.compile(__name__, "_SCHEDULE_TAIL", r"(?i)(?:am|pm|\d\d|midnight|noon)$")


def is_pattern_boilerplate(line: str) -> bool:
    """A line that is page furniture by its wording (schedule, "Listen to this article" ...)."""
    if len(line) > 300:
        return False
    first = line.split(None, 1)[0].rstrip(":.,").lower() if line else ""
    if first in _FIRST_WORDS and _BOILERPLATE.match(line):
        return True
    return len(line) <= 100 and bool(_SCHEDULE_TAIL.search(line) and _SCHEDULE.match(line))


def _looks_like_headline(line: str) -> bool:
    """A short line without sentence-final punctuation: another story's headline, a caption."""
    if len(line) > 200 or len(line.split()) > 25 or _BULLET.match(line):
        return False
    return not _SENTENCE_END.search(line.rstrip(_TRAILING) or line)


def parse_article(
    text: str, *, path: str = "", meta: dict[str, Any] | None = None, head_only: bool = False
) -> Document:
    """Parse sanitised article text: id, title, date, byline and boilerplate line ranges.

    Nothing is removed: boilerplate is a list of ``(start, end)`` line ranges into ``text``.
    The title is the first substantive line (three or more words, or a Markdown ``# `` heading)
    that is not boilerplate, a date or a byline; the date is the first date-only line among the
    first lines (or ``meta["date"]``); the byline line, when found, is flagged as boilerplate.
    Markdown ``#`` headings and list items are never taken for other stories' headlines.
    ``head_only`` stops after the first lines (title, date, byline: enough for a preview).
    """
    meta = dict(meta or {})
    doc = Document(id="" if head_only else doc_id_for(text), text=text, path=path, meta=meta)
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.split("\n", 40) if head_only else text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            lines.append((start, start + len(stripped), stripped))
            if head_only and len(lines) >= 12:
                break
        pos += len(raw) + 1

    boiler: list[tuple[int, int]] = []
    title_index: int | None = None
    head_limit = min(len(lines), 12)
    for n, (start, end, line) in enumerate(lines):
        if head_only and title_index is not None and (doc.date or n > title_index + 3):
            break  # preview: title and date (the date sits next to the title)
        heading = line.startswith("#")
        body = line.lstrip("#").strip() if heading else line
        if is_pattern_boilerplate(body):
            boiler.append((start, end))
            continue
        if n < head_limit and doc.date_span is None and (moment := parse_date(body)):
            doc.date, doc.date_span = moment, (start, end)
            continue
        if n < head_limit and doc.byline is None and (name := is_byline(body)):
            doc.byline = name
            boiler.append((start, end))
            continue
        if title_index is None:
            substantive = heading or len(_WORD.findall(body)) >= 3
            if substantive and len(body) <= 300:
                title_index = n
                offset = end - len(body)
                doc.title, doc.title_span = body, (offset, end)
                continue
            if not substantive and n < head_limit:
                boiler.append((start, end))  # section label or breadcrumb before the title
                continue
            title_index = -1  # first real line is body text: no title line
        if not head_only and not heading and _looks_like_headline(line):
            boiler.append((start, end))
    doc.boilerplate = sorted(boiler)

    meta_title = meta.get("title")
    if isinstance(meta_title, str) and meta_title.strip():
        doc.title = " ".join(meta_title.split())
    if doc.date is None and isinstance(meta.get("date"), str):
        doc.date = _parse_meta_date(meta["date"])
    if not doc.title:
        doc.title = _fallback_title(text, path)
    return doc


def _parse_meta_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return parse_date(value)


def _fallback_title(text: str, path: str) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if first:
        return first if len(first) <= 80 else first[:79].rsplit(" ", 1)[0] + "…"
    return Path(path).stem if path else "(untitled)"
