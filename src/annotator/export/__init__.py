"""Export annotations as training data, and import annotations from other tools.

``export(store, fmt, out, ...)`` streams one document at a time (memory does not grow with the
corpus); ``FORMATS`` is the registry the CLI and the TUI list. Every span is checked against
the text (``text[start:end] == span.text``) before anything is written: a span that does not
slice correctly makes the export refuse with an :class:`ExportError` naming document and span.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import brat, claims, conll, doccano, hf, spacy
from .common import (
    OFFSET_MODES,
    ExportDoc,
    ExportError,
    ExportOptions,
    ExportReport,
    check_span,
    normalize_labels,
    select,
)
from .importer import ImportError_, ImportReport, import_file

__all__ = [
    "FORMATS",
    "ExportDoc",
    "ExportError",
    "ExportOptions",
    "ExportReport",
    "Format",
    "ImportError_",
    "ImportReport",
    "export",
    "import_file",
    "iter_documents",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Context:
    options: ExportOptions
    report: ExportReport
    labels: tuple[str, ...]  # the labels this export writes (conll columns, hf layer, brat conf)
    store: Any
    ascii_only: bool = False  # the stream cannot take UTF-8: escape non-ASCII in JSON


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    render: Callable[[ExportDoc, Context], Iterable[Any]]  # JSON records or text lines
    kind: str = "jsonl"  # jsonl | lines | folder
    utf16: bool = False  # does --offsets utf16 apply
    suffix: str = ".jsonl"


def _spacy(doc: ExportDoc, ctx: Context) -> Iterable[Any]:
    options = ctx.options
    return [spacy.line(doc, utf16=options.utf16, report=ctx.report, ensure_ascii=ctx.ascii_only)]


def _doccano(doc: ExportDoc, ctx: Context) -> Iterable[Any]:
    return [doccano.record(doc, utf16=ctx.options.utf16, report=ctx.report)]


def _conll(doc: ExportDoc, ctx: Context) -> Iterable[Any]:
    return conll.lines(doc, ctx.labels, ctx.report)


def _hf(doc: ExportDoc, ctx: Context) -> Iterable[Any]:
    return hf.records(doc, ctx.labels, ctx.report)


def _claims(doc: ExportDoc, ctx: Context) -> Iterable[Any]:
    return claims.records(doc, utf16=ctx.options.utf16, report=ctx.report)


def _brat(doc: ExportDoc, ctx: Context) -> Iterable[Any]:
    return [(doc.text, brat.ann(doc, ctx.report))]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "spacy",
            "spaCy / Prodigy task JSONL, one line per document",
            _spacy,
            "lines",  # spacy.line writes the JSON itself (faster than json.dumps of a record)
            utf16=True,
        ),
        Format(
            "doccano", "doccano JSONL (entities/relations form when linked)", _doccano, utf16=True
        ),
        Format(
            "conll",
            "CoNLL: token per line, one BIO column per label",
            _conll,
            "lines",
            suffix=".conll",
        ),
        Format("hf", "Hugging Face token classification JSONL, one line per sentence", _hf),
        Format(
            "brat",
            "brat standoff folder: .txt + .ann per document, annotation.conf",
            _brat,
            "folder",
            suffix="",
        ),
        Format("claims", "sentence-level claim detection JSONL with sources", _claims, utf16=True),
    )
}


def iter_documents(
    store: Any,
    options: ExportOptions,
    report: ExportReport | None = None,
    progress: Progress | None = None,
    *,
    checked: bool = False,
) -> Iterator[ExportDoc]:
    """The store's documents as :class:`ExportDoc`, one at a time, filtered by ``options``;
    every span is checked against the text unless ``checked`` (the caller ran ``_validate``)."""
    total = sum(1 for _ in store.documents()) if progress else 0
    done = 0
    for info in store.documents():
        done += 1
        if options.only_done and info.status != "done":
            if progress:
                progress(done, total)
            continue
        spans, relations = select(
            info.id,
            info.text,
            store.spans(info.id),
            store.relations(info.id),
            options,
            report,
            checked=checked,
        )
        if info.status == "new" and not spans and not options.include_untouched:
            if report is not None:
                report.untouched += 1
            if progress:
                progress(done, total)
            continue
        if report is not None and info.status != "done":
            report.not_done += 1
        yield ExportDoc(
            id=info.id,
            text=info.text,
            spans=spans,
            relations=relations,
            path=str(info.path or ""),
            title=info.title or "",
            date=info.date,
            status=info.status,
            byline=info.byline,
            boilerplate=[(int(a), int(b)) for a, b in (info.boilerplate or [])],
            meta=dict(info.meta or {}),
            date_span=getattr(info, "date_span", None),
            active_seconds=getattr(info, "active_seconds", 0.0),
        )
        if progress:
            progress(done, total)


def _validate(store: Any, options: ExportOptions) -> None:
    """The slice invariant for every span the export would write, before writing anything."""
    for info in store.documents():
        if options.only_done and info.status != "done":
            continue
        for span in store.spans(info.id):
            if span.origin == "suggested" and not options.include_suggestions:
                continue
            check_span(info.id, info.text, span)


def _is_stdout(out: Any) -> bool:
    return out is None or (isinstance(out, str | Path) and str(out) == "-")


@contextlib.contextmanager
def _open_text(out: Any) -> Iterator[IO[str]]:
    """A text stream for ``out``: stdout, a given stream, or a path written atomically."""
    if _is_stdout(out):
        yield sys.stdout
        sys.stdout.flush()
        return
    if hasattr(out, "write"):
        yield out
        return
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name with -o")
    if not path.parent.exists():
        raise ExportError(f"folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); an export is an ordinary file (0666 - umask).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import: os.umask is process-wide, not thread-safe


def _umask() -> int:
    return _UMASK


def _ascii_only(stream: IO[str]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding not in ("utf8", "utf8sig")


def export(
    store: Any,
    fmt: str = "spacy",
    out: str | Path | IO[str] | None = None,
    *,
    only_done: bool = False,
    labels: str | Sequence[str] | None = None,
    annotator: str | None = None,
    offsets: str = "codepoint",
    include_suggestions: bool = False,
    include_untouched: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the store's annotations in format ``fmt`` to ``out``.

    ``out``: a path, an open text stream, or None / ``"-"`` for stdout (brat: a folder, required).
    ``labels``: ``"CLAIM,ACTOR"`` or a list (default: all; hf: ACTOR, LOCATION).
    ``include_untouched``: also write documents nobody annotated yet (status new, nothing to
    write), as documents with no spans.
    ``progress(done, total)`` is called after each document.
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if offsets not in OFFSET_MODES:
        raise ExportError(f"unknown offsets {offsets!r} (known: {', '.join(OFFSET_MODES)})")
    if offsets == "utf16" and not spec.utf16:
        with_offsets = ", ".join(f.name for f in FORMATS.values() if f.utf16)
        raise ExportError(f"--offsets utf16 applies to {with_offsets}, not {fmt}")
    known = tuple(store.schema.names)
    chosen = normalize_labels(labels, known)
    if chosen is not None:
        written = chosen
    elif fmt == "hf":
        written = tuple(x for x in hf.DEFAULT_LABELS if x in known)
        if not written:
            raise ExportError("hf export: give --labels (the schema has no ACTOR or LOCATION)")
        chosen = written
    else:
        written = known
    if fmt == "claims" and "CLAIM" not in written:
        raise ExportError("claims export needs the CLAIM label")
    options = ExportOptions(
        only_done, chosen, annotator, offsets, include_suggestions, include_untouched
    )
    shown = "-" if _is_stdout(out) else "<stream>" if hasattr(out, "write") else str(out)
    report = ExportReport(format=fmt, out=shown)
    if fmt == "conll":
        report.notes.append("columns: token " + " ".join(written))
    ctx = Context(options, report, written, store)
    _validate(store, options)  # before anything is written, so a refused export writes nothing
    docs = iter_documents(store, options, report, progress, checked=True)
    if spec.kind == "folder":
        _write_folder(spec, docs, ctx, out)
        return report
    with _open_text(out) as stream:
        ascii_only = _ascii_only(stream)
        ctx = dataclasses.replace(ctx, ascii_only=ascii_only)
        write = stream.write
        for doc in docs:
            report.documents += 1
            if spec.kind == "lines":
                for line in spec.render(doc, ctx):
                    write(line + "\n")
            else:
                for item in spec.render(doc, ctx):
                    write(json.dumps(item, ensure_ascii=ascii_only) + "\n")
    return report


def _write_folder(spec: Format, docs: Iterable[ExportDoc], ctx: Context, out: Any) -> None:
    if _is_stdout(out) or hasattr(out, "write"):
        raise ExportError(f"{spec.name} export writes a folder: give it with -o FOLDER")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; {spec.name} export needs a folder")
    folder.mkdir(parents=True, exist_ok=True)
    conf = brat.annotation_conf(ctx.labels, ctx.store.relation_schema)
    (folder / "annotation.conf").write_text(conf, encoding="utf-8")
    used: set[str] = set()
    for doc in docs:
        ctx.report.documents += 1
        name = brat.file_name(doc.path, doc.id, used)
        for text, ann in spec.render(doc, ctx):
            (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
            (folder / f"{name}.ann").write_text(ann, encoding="utf-8", newline="")
