"""Import annotations from other tools or from a model: spaCy/Prodigy JSONL, doccano JSONL
(both forms) and brat standoff folders.

Documents are matched by a ``meta.doc_id`` / ``id`` hint when the stored text is the same, else
by their text (the document id is derived from the text); documents not in the store are added
from the text the file carries. Every span is checked (offsets in range, the carried span text
matches, label known or declared) before anything is written: a bad JSONL line is reported with
its number and reason and nothing of it is kept, the good lines are. Spans are deduplicated by
``(start, end, label)`` and relations by ``(head, child, label)``, so importing the same file
twice changes nothing. Offsets may be UTF-16 code units (``offsets="utf16"``, or a spaCy line
whose ``meta.offsets`` says so).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator import json_errors
from annotator.model import AnnotationError

from .offsets import OffsetError, OffsetMap

FORMATS = ("spacy", "doccano", "brat")
MODES = {"annotations": "imported", "suggestions": "suggested"}


class ImportError_(ValueError):  # the builtin ImportError means something else
    """An import that cannot start (missing file, unknown format); ``str()`` is one line."""


class LineError(ValueError):
    """One input line (or brat annotation) that cannot be imported; the reason is ``str()``."""


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else f"line {self.line}"
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    path: str
    format: str = ""
    lines: int = 0  # records read (JSONL lines with content; brat .ann files)
    documents_matched: int = 0
    documents_added: int = 0
    spans_added: int = 0
    relations_added: int = 0
    duplicates_skipped: int = 0  # spans already in the store
    relation_duplicates: int = 0
    labels_declared: list[str] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)
    skipped: list[BadLine] = field(default_factory=list)  # not bad, not imported (rejected tasks)

    def summary(self) -> str:
        line = (
            f"imported {self.spans_added} spans and {self.relations_added} relations "
            f"into {self.documents_matched + self.documents_added} documents "
            f"({self.documents_added} new) from {self.path}"
        )
        extra = []
        if self.duplicates_skipped or self.relation_duplicates:
            extra.append(
                f"{self.duplicates_skipped} spans and {self.relation_duplicates} relations "
                "already there"
            )
        if self.labels_declared:
            extra.append("labels declared: " + ", ".join(self.labels_declared))
        if self.skipped:
            extra.append(f"{len(self.skipped)} records skipped")
        if self.bad_lines:
            extra.append(f"{len(self.bad_lines)} bad records")
        return line + (" (" + "; ".join(extra) + ")" if extra else "")


@dataclass
class ParsedSpan:
    start: int  # code points
    end: int
    label: str
    text: str | None = None  # as the file carries it, if it does


@dataclass
class ParsedRelation:
    head: tuple[int, int, str]  # span keys (code points)
    child: tuple[int, int, str]
    label: str


@dataclass
class ParsedDoc:
    text: str
    spans: list[ParsedSpan]
    relations: list[ParsedRelation]
    hint: str | None = None  # a document id the file gives
    source: str = ""


def text_id(text: str) -> str:
    """The document id for ``text`` (as the corpus computes it)."""
    from annotator.corpus import doc_id_for

    return doc_id_for(text)


# --------------------------------------------------------------------------- parsing


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LineError(f"{what} is not an integer: {value!r}")
    return value


def _label(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LineError(f"{what} has no label")
    return value.strip()


def _text(obj: dict[str, Any]) -> str:
    text = obj.get("text")
    if not isinstance(text, str):
        raise LineError('no "text" string')
    if not text.strip():
        raise LineError("the text is empty")
    return text


class _Offsets:
    def __init__(self, text: str, utf16: bool) -> None:
        self.text = text
        self.map = OffsetMap(text) if utf16 else None

    def span(self, start: Any, end: Any, label: str, what: str, carried: Any = None) -> ParsedSpan:
        start, end = _int(start, f"{what} start"), _int(end, f"{what} end")
        if self.map is not None:
            try:
                start, end = self.map.to_codepoint(start), self.map.to_codepoint(end)
            except OffsetError as error:
                raise LineError(f"{what}: {error}") from None
        if not 0 <= start < end <= len(self.text):
            raise LineError(
                f"{what} offsets {start}..{end} out of range for a text of {len(self.text)} characters"
            )
        if carried is not None:
            if not isinstance(carried, str):
                raise LineError(f"{what} text is not a string")
            if carried != self.text[start:end]:
                raise LineError(
                    f"{what} ({start}..{end} {label}) says {carried!r} "
                    f"but the text there is {self.text[start:end]!r}"
                )
        return ParsedSpan(start, end, label, carried)


def _utf16(obj: dict[str, Any], offsets: str | None) -> bool:
    if offsets is not None:
        return offsets == "utf16"
    meta = obj.get("meta")
    return isinstance(meta, dict) and meta.get("offsets") == "utf16"


def parse_spacy(obj: dict[str, Any], offsets: str | None = None) -> ParsedDoc:
    text = _text(obj)
    conv = _Offsets(text, _utf16(obj, offsets))
    spans = obj.get("spans") or []
    if not isinstance(spans, list):
        raise LineError('"spans" is not a list')
    parsed = []
    for k, raw in enumerate(spans):
        if not isinstance(raw, dict):
            raise LineError(f"span {k} is not an object")
        label = _label(raw.get("label"), f"span {k}")
        parsed.append(
            conv.span(raw.get("start"), raw.get("end"), label, f"span {k}", raw.get("text"))
        )
    relations = []
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        raise LineError('"relations" is not a list')
    for k, raw in enumerate(raw_relations):
        if not isinstance(raw, dict):
            raise LineError(f"relation {k} is not an object")
        ends = []
        for side in ("head_span", "child_span"):
            part = raw.get(side)
            if not isinstance(part, dict):
                raise LineError(f"relation {k} has no {side}")
            label = _label(part.get("label"), f"relation {k} {side}")
            span = conv.span(part.get("start"), part.get("end"), label, f"relation {k} {side}")
            ends.append((span.start, span.end, span.label))
        relations.append(
            ParsedRelation(ends[0], ends[1], _label(raw.get("label"), f"relation {k}"))
        )
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    hint = meta.get("doc_id")
    return ParsedDoc(
        text, parsed, relations, str(hint) if hint else None, str(meta.get("source") or "")
    )


def parse_doccano(obj: dict[str, Any], offsets: str | None = None) -> ParsedDoc:
    text = _text(obj)
    conv = _Offsets(text, offsets == "utf16")
    hint = obj.get("id")
    hint = str(hint) if hint not in (None, "") else None
    if "entities" in obj:
        entities = obj.get("entities") or []
        if not isinstance(entities, list):
            raise LineError('"entities" is not a list')
        by_id: dict[Any, ParsedSpan] = {}
        spans = []
        for k, raw in enumerate(entities):
            if not isinstance(raw, dict):
                raise LineError(f"entity {k} is not an object")
            label = _label(raw.get("label"), f"entity {k}")
            span = conv.span(raw.get("start_offset"), raw.get("end_offset"), label, f"entity {k}")
            spans.append(span)
            by_id[raw.get("id", k)] = span
        relations = []
        for k, raw in enumerate(obj.get("relations") or []):
            if not isinstance(raw, dict):
                raise LineError(f"relation {k} is not an object")
            head, child = by_id.get(raw.get("from_id")), by_id.get(raw.get("to_id"))
            if head is None or child is None:
                raise LineError(f"relation {k} links an entity id that is not in the line")
            relations.append(
                ParsedRelation(
                    (head.start, head.end, head.label),
                    (child.start, child.end, child.label),
                    _label(raw.get("type"), f"relation {k}"),
                )
            )
        return ParsedDoc(text, spans, relations, hint)
    labels = obj.get("label", obj.get("labels")) or []
    if not isinstance(labels, list):
        raise LineError('"label" is not a list')
    spans = []
    for k, raw in enumerate(labels):
        if not (isinstance(raw, list | tuple) and len(raw) >= 3):
            raise LineError(f"label {k} is not [start, end, label] (a text classification label?)")
        spans.append(conv.span(raw[0], raw[1], _label(raw[2], f"label {k}"), f"label {k}"))
    return ParsedDoc(text, spans, [], hint)


def detect(obj: dict[str, Any]) -> str:
    if "spans" in obj or "tokens" in obj or "_input_hash" in obj:
        return "spacy"
    if "entities" in obj or "label" in obj or "labels" in obj:
        return "doccano"
    return "spacy"  # text only: a document without annotations


# --------------------------------------------------------------------------- applying


class _Importer:
    def __init__(
        self, store: Any, report: ImportReport, origin: str, annotator: str | None, corpus: Any
    ):
        self.store = store
        self.report = report
        self.origin = origin
        self.annotator = annotator
        self.corpus = corpus

    def _label(self, name: str, declare: list[str]) -> str:
        known = self.store.schema.names
        if name in known:
            return name
        for existing in known:
            if existing.upper() == name.upper():
                return existing
        if name not in declare:
            declare.append(name)
        return name

    def _resolve(self, parsed: ParsedDoc) -> tuple[str, Any]:
        """``(doc_id, Document to add or None)``."""
        from annotator.text import sanitize

        if sanitize(parsed.text) != parsed.text:
            raise LineError(
                "the text has characters the annotator removes (carriage returns, control "
                "characters, escape sequences), so its offsets cannot be matched"
            )
        if parsed.hint:
            info = self.store.document(parsed.hint)
            if info is not None and info.text == parsed.text:
                return info.id, None
        doc_id = text_id(parsed.text)
        info = self.store.document(doc_id)
        if info is not None:
            if info.text != parsed.text:  # pragma: no cover - a hash collision
                raise LineError(f"document {doc_id} in the store has another text")
            return doc_id, None
        if self.corpus is not None:
            doc = self.corpus.get(doc_id)
            if doc is not None and doc.text == parsed.text:
                return doc_id, doc
        from annotator.corpus import parse_article

        doc = parse_article(parsed.text, path=parsed.source or self.report.path)
        return doc.id, doc

    def apply(self, parsed: ParsedDoc) -> None:
        """Check everything against the store, then write; LineError leaves the store untouched."""
        doc_id, new_doc = self._resolve(parsed)
        declare: list[str] = []
        spans = [(s.start, s.end, self._label(s.label, declare)) for s in parsed.spans]
        existing = {} if new_doc is not None else {s.key: s for s in self.store.spans(doc_id)}
        line_keys = set(spans)
        rschema = self.store.relation_schema
        relations = []
        for k, rel in enumerate(parsed.relations):
            name = rel.label
            if name not in rschema:
                match = [n for n in rschema.names if n.upper() == name.upper()]
                if not match:
                    raise LineError(
                        f"relation {k}: unknown relation {name!r} (known: {', '.join(rschema.names)})"
                    )
                name = match[0]
            ends = []
            for key in (rel.head, rel.child):
                key = (key[0], key[1], self._label(key[2], declare))
                if key not in line_keys and key not in existing:
                    raise LineError(
                        f"relation {k} {name}: span {key[0]}..{key[1]} {key[2]} is not among the spans"
                    )
                ends.append(key)
            try:
                rschema.check(name, ends[0][2], ends[1][2])
            except AnnotationError as error:
                raise LineError(f"relation {k}: {error}") from None
            if ends[0] == ends[1]:
                raise LineError(f"relation {k} {name} links a span to itself")
            relations.append((ends[0], ends[1], name))
        # ---- write: the document's spans and relations are one batch (one journal line)
        with self.store.batch():
            self._write(doc_id, new_doc, declare, spans, existing, relations)

    def _write(
        self,
        doc_id: str,
        new_doc: Any,
        declare: list[str],
        spans: list[tuple[int, int, str]],
        existing: dict[tuple[int, int, str], Any],
        relations: list[tuple[tuple[int, int, str], tuple[int, int, str], str]],
    ) -> None:
        report = self.report
        if new_doc is not None:
            self.store.add_document(new_doc)
            report.documents_added += 1
        else:
            report.documents_matched += 1
        for name in declare:
            self.store.declare_label(name)
            if name not in report.labels_declared:
                report.labels_declared.append(name)
        ids = {key: span.id for key, span in existing.items()}
        fresh = list(dict.fromkeys(key for key in spans if key not in ids))
        report.duplicates_skipped += len(spans) - len(fresh)
        added = self.store.add_spans(doc_id, fresh, origin=self.origin, annotator=self.annotator)
        ids.update((span.key, span.id) for span in added)
        report.spans_added += len(added)
        have = {r.key for r in self.store.relations(doc_id)} if relations else set()
        for head, child, name in relations:
            key = (ids[head], ids[child], name)
            if key in have:
                report.relation_duplicates += 1
                continue
            self.store.add_relation(
                key[0], key[1], name, origin=self.origin, annotator=self.annotator
            )
            have.add(key)
            report.relations_added += 1


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if raw.strip():
                yield number, raw


def _import_jsonl(importer: _Importer, path: Path, fmt: str | None, offsets: str | None) -> None:
    report = importer.report
    seen: set[str] = set()
    parsed_any = False
    for number, raw in _jsonl_lines(path):
        report.lines += 1
        try:
            try:
                obj = json.loads(raw.decode("utf-8"))
                parsed_any = True
            except UnicodeDecodeError:
                raise LineError("not UTF-8") from None
            except json.JSONDecodeError as error:
                raise LineError(
                    f"not JSON ({json_errors.reason(error)} at column {error.colno})"
                ) from None
            if not isinstance(obj, dict):
                raise LineError("not a JSON object")
            kind = fmt or detect(obj)
            seen.add(kind)
            answer = obj.get("answer", "accept")
            if kind == "spacy" and answer != "accept":
                report.skipped.append(BadLine(number, f"answer is {answer!r}, not 'accept'"))
                continue
            parsed = parse_spacy(obj, offsets) if kind == "spacy" else parse_doccano(obj, offsets)
            importer.apply(parsed)
        except LineError as error:
            report.bad_lines.append(BadLine(number, str(error)))
    if report.lines and not parsed_any:  # nothing was written: say what the file is not, once
        raise ImportError_(
            f"{path}: not JSONL (none of its {report.lines} lines is JSON; line "
            f"{report.bad_lines[0].line}: {report.bad_lines[0].reason}); import reads "
            "spaCy/Prodigy or doccano JSONL, or a brat folder"
        )
    report.format = fmt or "+".join(sorted(seen)) or "jsonl"


# --------------------------------------------------------------------------- brat


def parse_brat(text: str, ann: str, name: str = "") -> tuple[ParsedDoc, list[BadLine]]:
    """A brat ``.txt``/``.ann`` pair; discontinuous fragments become one span (first..last)."""
    bad: list[BadLine] = []
    conv = _Offsets(text, False)
    by_id: dict[str, ParsedSpan] = {}
    relations: list[ParsedRelation] = []
    for number, line in enumerate(ann.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            ident, _, rest = line.partition("\t")
            if ident.startswith("T"):
                head, _, shown = rest.partition("\t")
                label, _, where = head.partition(" ")
                pieces = []
                for fragment in where.split(";"):
                    parts = fragment.split()
                    if len(parts) != 2 or not all(p.isdigit() for p in parts):
                        raise LineError(f"bad fragment {fragment!r}")
                    pieces.append((int(parts[0]), int(parts[1])))
                pieces.sort()
                label = _label(label, ident)
                for a, b in pieces:
                    conv.span(a, b, label, ident)
                joined = " ".join(text[a:b] for a, b in pieces)
                if shown and shown != joined:
                    raise LineError(f"{ident} says {shown!r} but the text there is {joined!r}")
                by_id[ident] = ParsedSpan(pieces[0][0], pieces[-1][1], label)
            elif ident.startswith("R"):
                fields = rest.split()
                if len(fields) != 3:
                    raise LineError(f"bad relation {rest!r}")
                args = dict(f.split(":", 1) for f in fields[1:] if ":" in f)
                head, child = by_id.get(args.get("Arg1", "")), by_id.get(args.get("Arg2", ""))
                if head is None or child is None:
                    raise LineError(
                        f"{ident} links an entity that is not (validly) defined before it"
                    )
                relations.append(
                    ParsedRelation(
                        (head.start, head.end, head.label),
                        (child.start, child.end, child.label),
                        fields[0],
                    )
                )
            else:
                raise LineError(f"{ident[:1]!r} annotations are not imported (only T and R)")
        except (LineError, ValueError) as error:
            bad.append(BadLine(number, str(error), name))
    return ParsedDoc(text, list(by_id.values()), relations, Path(name).stem or None, name), bad


def _import_brat(importer: _Importer, path: Path) -> None:
    report = importer.report
    report.format = "brat"
    anns = sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    if not anns:
        raise ImportError_(f"{path}: no brat .ann files in this folder")
    for ann_path in anns:
        txt_path = ann_path.with_suffix(".txt")
        report.lines += 1
        name = str(ann_path)
        try:
            if not txt_path.exists():
                raise LineError(f"no {txt_path.name} beside it")
            text = txt_path.read_text(encoding="utf-8")
            # read_text turns \r\n into \n, as brat's offsets expect for a sanitised text
            parsed, bad = parse_brat(text, ann_path.read_text(encoding="utf-8"), name)
            report.bad_lines.extend(bad)
            importer.apply(parsed)
        except (LineError, UnicodeDecodeError) as error:
            report.bad_lines.append(BadLine(0, str(error), name))


# --------------------------------------------------------------------------- entry point


def import_file(
    store: Any,
    path: str | Path,
    *,
    fmt: str | None = None,
    as_: str = "annotations",
    corpus: Any = None,
    offsets: str | None = None,
    annotator: str | None = None,
) -> ImportReport:
    """Import ``path`` (JSONL, or a brat folder / ``.ann`` file) into ``store``.

    ``fmt``: spacy | doccano | brat, or None to detect it per line (brat: from the path).
    ``as_``: "annotations" (origin "imported") or "suggestions" (origin "suggested").
    ``corpus``: documents not in the store are taken from it when their text matches.
    ``offsets``: "codepoint" | "utf16"; None: code points unless a spaCy line's meta says utf16.
    ``annotator``: recorded on the new spans (default: the store's annotator).
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise ImportError_(f"unknown import format {fmt!r} (known: {', '.join(FORMATS)})")
    if as_ not in MODES:
        raise ImportError_(f"--as must be one of {', '.join(MODES)}, not {as_!r}")
    if offsets is not None and offsets not in ("codepoint", "utf16"):
        raise ImportError_(f"unknown offsets {offsets!r} (known: codepoint, utf16)")
    if not path.exists():
        raise ImportError_(f"{path}: no such file or folder")
    report = ImportReport(path=str(path))
    importer = _Importer(store, report, MODES[as_], annotator, corpus)
    if fmt == "brat" or path.is_dir() or path.suffix == ".ann":
        if offsets == "utf16":
            raise ImportError_("brat offsets are code points; --offsets utf16 does not apply")
        _import_brat(importer, path)
    else:
        _import_jsonl(importer, path, fmt, offsets)
    return report
