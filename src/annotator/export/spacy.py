"""spaCy / Prodigy task JSONL: one line per document.

``tokens`` are spaCy's kind (:func:`annotator.text.spacy_tokens`): our tokens, and every
whitespace but the one space after a token as a token of its own, so the token texts and their
``ws`` flags rebuild the text exactly (``spacy.tokens.Doc(vocab, words, spaces)``). Where a span
edge falls inside a token (an imported span: "Kyiv" of "Kyiv's") that token is cut at the edge
(:mod:`.tokens`), so every span's ``token_start``..``token_end`` holds exactly its characters and
``Doc.char_span(start, end)`` finds it. Relations follow Prodigy: ``head``/``child`` are the
index of each span's last token.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Callable
from itertools import count
from json.encoder import encode_basestring, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from annotator.text import SpacyTokens, spacy_tokens

from .common import ExportDoc, ExportReport
from .tokens import align


def hash32(*parts: str) -> int:
    """A stable signed 32-bit hash (Prodigy's hashes are signed 32-bit ints too)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


class _Task(NamedTuple):
    """A task's parts, rendered by :func:`record` (dicts) and :func:`line` (JSON text)."""

    tokens: SpacyTokens
    conv: Callable[[int], int] | None  # code points -> UTF-16 units; None: code points
    # per span: start, end, token_start, token_end (inclusive), label, text
    spans: list[tuple[int, int, int, int, str, str]]
    links: list[tuple[int, int, str]]  # per relation: index of head span, of child span, label
    meta: dict[str, Any]
    input_hash: int
    task_hash: int


def record(
    doc: ExportDoc, *, utf16: bool = False, report: ExportReport | None = None
) -> dict[str, Any]:
    """The task for ``doc``."""
    task = _parts(doc, utf16, report)
    (starts, ends, follows), conv = task.tokens, task.conv
    text = doc.text
    at = conv or _same
    token_records = [
        {
            "text": text[start:end],
            "start": at(start),
            "end": at(end),
            "id": i,
            "ws": follow > end,
        }
        for i, start, end, follow in zip(count(), starts, ends, follows)
    ]
    spans = [
        {"start": s, "end": e, "token_start": ts, "token_end": te, "label": label, "text": span}
        for s, e, ts, te, label, span in task.spans
    ]
    out: dict[str, Any] = {"text": text, "tokens": token_records, "spans": spans}
    if task.links:
        out["relations"] = [
            {
                "head": spans[head]["token_end"],
                "child": spans[child]["token_end"],
                "head_span": _bound(spans[head]),
                "child_span": _bound(spans[child]),
                "label": label,
            }
            for head, child, label in task.links
        ]
    out["meta"] = task.meta
    out["_input_hash"] = task.input_hash
    out["_task_hash"] = task.task_hash
    out["answer"] = "accept"
    return out


def _bound(item: dict[str, Any]) -> dict[str, Any]:
    """A span as a relation's end: its record without the text."""
    return {key: item[key] for key in ("start", "end", "token_start", "token_end", "label")}


def _same(offset: int) -> int:
    return offset


def line(
    doc: ExportDoc,
    *,
    utf16: bool = False,
    report: ExportReport | None = None,
    ensure_ascii: bool = False,
) -> str:
    """``json.dumps(record(doc), ensure_ascii=...)``, the same string, written faster.

    Tokens are most of a task (a thousand small objects per article); formatting them with
    one f-string each instead of building dicts for the JSON encoder makes a corpus export
    about three times faster; spans and relations get the same. tests/test_export_formats.py
    checks the strings are identical.
    """
    task = _parts(doc, utf16, report)
    (starts, ends, follows), conv = task.tokens, task.conv
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    text = doc.text
    if conv is None:  # the common case, kept to one f-string per token
        tokens = ", ".join(
            [
                f'{{"text": {quote(text[start:end])}, "start": {start}, "end": {end}, '
                f'"id": {i}, "ws": {_JSON_BOOL[follow > end]}}}'
                for i, start, end, follow in zip(count(), starts, ends, follows)
            ]
        )
    else:
        tokens = ", ".join(
            [
                f'{{"text": {quote(text[start:end])}, "start": {conv(start)}, '
                f'"end": {conv(end)}, "id": {i}, "ws": {_JSON_BOOL[follow > end]}}}'
                for i, start, end, follow in zip(count(), starts, ends, follows)
            ]
        )
    bounds = [
        f'"start": {s}, "end": {e}, "token_start": {ts}, "token_end": {te}, "label": {quote(label)}'
        for s, e, ts, te, label, _text in task.spans
    ]
    spans = ", ".join(
        [
            f'{{{bound}, "text": {quote(item[5])}}}'
            for bound, item in zip(bounds, task.spans, strict=True)
        ]
    )
    parts = [f'{{"text": {quote(text)}, "tokens": [{tokens}], "spans": [{spans}]']
    if task.links:
        relations = ", ".join(
            [
                f'{{"head": {task.spans[head][3]}, "child": {task.spans[child][3]}, '
                f'"head_span": {{{bounds[head]}}}, "child_span": {{{bounds[child]}}}, '
                f'"label": {quote(label)}}}'
                for head, child, label in task.links
            ]
        )
        parts.append(f'"relations": [{relations}]')
    parts.append(f'"meta": {json.dumps(task.meta, ensure_ascii=ensure_ascii)}')
    parts.append(
        f'"_input_hash": {task.input_hash}, "_task_hash": {task.task_hash}, "answer": "accept"}}'
    )
    return ", ".join(parts)


_JSON_BOOL = ("false", "true")


def _time_meta(doc: ExportDoc, meta: dict[str, Any]) -> None:
    """Time spent, when it was measured: ``lead_time`` (Label Studio's name) is the
    document's active annotation time in seconds; ``span_seconds`` gives, per span in order,
    the active seconds since the annotator's previous action (null where not measured)."""
    if doc.active_seconds:
        meta["lead_time"] = doc.active_seconds
    if any(s.seconds is not None for s in doc.spans):
        meta["span_seconds"] = [s.seconds for s in doc.spans]


def _parts(doc: ExportDoc, utf16: bool, report: ExportReport | None) -> _Task:
    """The tokens (cut at span edges), span and relation tuples, meta and hashes of a task."""
    text = doc.text
    tokens, realigned = align(spacy_tokens(text), [(s.start, s.end) for s in doc.spans])
    starts, ends = tokens.starts, tokens.ends
    conv = doc.offsets.to_utf16 if utf16 and not doc.offsets.identity else None
    at = conv or _same
    # token ranges are exact: align cut the tokens at every span edge
    spans = [
        (
            at(s.start),
            at(s.end),
            bisect_left(starts, s.start),
            bisect_left(ends, s.end),
            s.label,
            s.text,
        )
        for s in doc.spans
    ]
    links: list[tuple[int, int, str]] = []
    if doc.relations:
        index = {span.id: k for k, span in enumerate(doc.spans)}
        links = [(index[rel.head], index[rel.child], rel.label) for rel in doc.relations]
    meta: dict[str, Any] = {
        "doc_id": doc.id,
        "source": doc.path,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "annotators": sorted(
            {s.annotator for s in doc.spans if s.annotator}
            | {name for s in doc.spans for name in s.annotators}
        ),
    }
    _time_meta(doc, meta)
    if utf16:
        meta["offsets"] = "utf16"
    input_hash = hash32(text)
    keys = [[s, e, label] for s, e, _ts, _te, label, _text in spans]
    rels = [[spans[head][3], spans[child][3], label] for head, child, label in links]
    task_hash = hash32(str(input_hash), json.dumps([keys, rels]))
    if report is not None:
        report.realigned += realigned
        report.spans += len(spans)
        report.relations += len(links)
    return _Task(tokens, conv, spans, links, meta, input_hash, task_hash)
