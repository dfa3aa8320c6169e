"""brat standoff: a folder with ``<name>.txt`` (the text) and ``<name>.ann`` per document,
plus ``annotation.conf`` declaring the entity and relation types.

``<name>`` is the source file's name without its suffix (``data_3`` for line 3 of
``data.jsonl``), so the folder reads like the corpus; a name met twice (the same file name in
two folders) gets the document id after it. The importer finds documents by their text, not
by the file name, so renamed files still import.

``T1<TAB>CLAIM 10 45<TAB>text`` (code point offsets, as brat counts them); a span that contains
line breaks is written as discontinuous fragments ``start end;start end`` split at the breaks
(brat cannot show one fragment over two lines) and counted in ``ExportReport.split``. A span
that starts or ends with a line break loses it (brat fragments cannot hold one); a span made of
line breaks only is left out and counted in ``ExportReport.dropped``.
Relations: ``R1<TAB>SOURCE Arg1:T1 Arg2:T2``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from annotator.model import RelationSchema

from .common import ExportDoc, ExportReport

LINE_BREAK = re.compile("[\n\r\u2028\u2029]+")
_UNSAFE = re.compile(r"[^\w.-]+")
NAME_LIMIT = 80
ONLY_BREAKS = "made of line breaks only (a brat .ann line cannot hold them)"


def file_name(path: str, doc_id: str, used: set[str]) -> str:
    """The file name (no suffix) for the document from ``path``; ``used`` collects them."""
    tail = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem, _, line = tail.partition(".jsonl:")
    if not line:
        stem = stem.rsplit(".", 1)[0]
    name = _UNSAFE.sub("_", f"{stem}_{line}" if line else stem).strip("._")[:NAME_LIMIT]
    if not name or name.lower() in used:
        name = f"{name}-{doc_id}" if name else doc_id
    used.add(name.lower())  # case-insensitive: the folder may be on a Mac or Windows disk
    return name


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start..end`` cut at line breaks (empty pieces skipped; none if it is all breaks)."""
    pieces = []
    position = start
    for match in LINE_BREAK.finditer(text, start, end):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = match.end()
    if position < end:
        pieces.append((position, end))
    return pieces


def ann(doc: ExportDoc, report: ExportReport | None = None) -> str:
    """The ``.ann`` file for ``doc``."""
    out: list[str] = []
    numbers: dict[str, int] = {}
    for span in doc.spans:
        pieces = fragments(doc.text, span.start, span.end)
        if not pieces:  # nothing but line breaks: a .ann line cannot hold it
            if report is not None:
                report.dropped[ONLY_BREAKS] += 1
            continue
        if len(pieces) > 1 and report is not None:
            report.split += 1
        number = numbers[span.id] = len(numbers) + 1
        where = ";".join(f"{a} {b}" for a, b in pieces)
        shown = " ".join(doc.text[a:b] for a, b in pieces)
        out.append(f"T{number}\t{span.label} {where}\t{shown}")
    links = [r for r in doc.relations if r.head in numbers and r.child in numbers]
    for number, rel in enumerate(links, 1):
        out.append(f"R{number}\t{rel.label} Arg1:T{numbers[rel.head]} Arg2:T{numbers[rel.child]}")
    if report is not None:
        report.spans += len(numbers)
        report.relations += len(links)
    return "\n".join(out) + ("\n" if out else "")


def annotation_conf(labels: Sequence[str], relations: RelationSchema | Iterable = ()) -> str:
    """Entity types, relation types (limited to the labels exported); overlaps allowed."""
    known = set(labels)
    rel_lines = []
    for rtype in relations:
        heads = [x for x in sorted(rtype.heads) if x in known]
        children = [x for x in sorted(rtype.children) if x in known]
        if heads and children:
            rel_lines.append(f"{rtype.name}\tArg1:{'|'.join(heads)}, Arg2:{'|'.join(children)}")
    return "\n".join(
        [
            "[entities]",
            *labels,
            "",
            "[relations]",
            *rel_lines,
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
            "",
            "[events]",
            "",
            "[attributes]",
            "",
        ]
    )
