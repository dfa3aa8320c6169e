"""Several annotators' databases, opened read-only, and the documents they have in common.

One database per annotator (``--db alice.json --annotator alice``); each knows its annotator
from its spans (the name most of its decided spans carry; the file name if it has none).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.model import Span
from annotator.store import Store, open_store


class TeamError(ValueError):
    """Bad input for agree, merge or review; ``str()`` is one readable line."""


@dataclass
class AnnotatorDB:
    """One annotator's database, open read-only."""

    path: Path
    store: Store
    name: str  # the annotator (unique among the inputs)

    def spans(self, doc_id: str) -> list[Span]:
        """The decided spans of a document (suggestions not yet accepted are left out)."""
        return [s for s in self.store.spans(doc_id) if s.origin != "suggested"]


def decided(spans: Sequence[Span]) -> list[Span]:
    return [s for s in spans if s.origin != "suggested"]


def check_input_path(path: str | Path) -> Path:
    from annotator.store import store_exists

    file = Path(path).expanduser()
    if file.is_dir():
        raise TeamError(f"{path} is a folder, not an annotations database")
    if not store_exists(file):  # a snapshot, or a journal not yet folded into one
        raise TeamError(f"{path}: no such database")
    return file


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are one file: same resolved path, or same device and inode."""
    if a.expanduser().resolve() == b.expanduser().resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def annotator_of(store: Store, fallback: str) -> str:
    """The annotator most of the store's decided spans name (``fallback`` if none does)."""
    counts: Counter[str] = Counter()
    for info in store.documents():
        for span in store.spans(info.id):
            if span.origin != "suggested" and span.annotator:
                counts[span.annotator] += 1
    return counts.most_common(1)[0][0] if counts else fallback


def open_inputs(
    paths: Sequence[str | Path],
    *,
    minimum: int = 2,
    after_first: Callable[[Store], None] | None = None,
) -> list[AnnotatorDB]:
    """Open every database read-only; refuses a missing file or the same file twice.

    ``after_first`` is called with the first store as soon as it is open (agree starts
    tokenising its documents then, while the others load)."""
    if len(paths) < minimum:
        raise TeamError(f"give at least {minimum} databases (got {len(paths)})")
    files = [check_input_path(p) for p in paths]
    for i, a in enumerate(files):
        for b in files[:i]:
            if same_file(a, b):
                raise TeamError(f"{a} is given twice ({b})")
    opened: list[AnnotatorDB] = []
    try:
        for file in files:
            store = open_store(file, readonly=True)
            if after_first is not None and not opened:
                after_first(store)
            opened.append(AnnotatorDB(file, store, annotator_of(store, file.stem)))
    except BaseException:
        for db in opened:
            db.store.close()
        raise
    names = Counter(db.name for db in opened)
    for db in opened:
        if names[db.name] > 1:  # two databases by one name: tell them apart by file
            db.name = f"{db.name} ({db.path.name})"
    return opened


def close_inputs(inputs: Sequence[AnnotatorDB]) -> None:
    for db in inputs:
        db.store.close()


def common_documents(
    inputs: Sequence[AnnotatorDB], *, only_done: bool = False, at_least: int | None = None
) -> list[str]:
    """Ids of the documents in every input (``at_least``: in that many), in the first's order.

    ``only_done``: only documents marked done in every input holding them.
    """
    need = len(inputs) if at_least is None else at_least
    seen: Counter[str] = Counter()
    order: dict[str, None] = {}
    for db in inputs:
        for info in db.store.documents():
            if only_done and info.status != "done":
                continue
            seen[info.id] += 1
            order.setdefault(info.id, None)
    if only_done:  # done where present, and present (done or not) in enough inputs
        present: Counter[str] = Counter()
        for db in inputs:
            for info in db.store.documents():
                present[info.id] += 1
        found = [d for d in order if seen[d] >= need and seen[d] == present[d]]
    else:
        found = [d for d in order if seen[d] >= need]
    if not found:
        names = ", ".join(str(db.path.name) for db in inputs)
        which = "marked done in" if only_done else "in"
        where = "all of" if need == len(inputs) else f"at least {need} of"
        raise TeamError(f"no document is {which} {where} {names}")
    return found


def known_labels(inputs: Sequence[AnnotatorDB]) -> list[str]:
    """Every label of the inputs' schemas (first database's order first)."""
    names: dict[str, None] = {}
    for db in inputs:
        names.update(dict.fromkeys(db.store.schema.names))
    return list(names)


def choose_labels(inputs: Sequence[AnnotatorDB], labels: str | Sequence[str] | None) -> list[str]:
    """``"CLAIM,actor"`` -> known label names; an unknown label is a TeamError."""
    known = known_labels(inputs)
    if labels is None:
        return known
    raw = labels.split(",") if isinstance(labels, str) else list(labels)
    by_upper = {name.upper(): name for name in known}
    chosen: list[str] = []
    for item in raw:
        name = item.strip()
        if not name:
            continue
        match = name if name in known else by_upper.get(name.upper())
        if match is None:
            raise TeamError(f"unknown label {name!r} (known: {', '.join(known)})")
        if match not in chosen:
            chosen.append(match)
    if not chosen:
        raise TeamError("--labels names no label")
    return chosen
