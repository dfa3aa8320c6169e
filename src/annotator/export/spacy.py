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
from typing import Any

from annotator.text import SpacyTokens, spacy_tokens

from .common import ExportDoc, ExportReport
from .tokens import align


def hash32(*parts: str) -> int:
    """A stable signed 32-bit hash (Prodigy's hashes are signed 32-bit ints too)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def record(
    doc: ExportDoc, *, utf16: bool = False, report: ExportReport | None = None
) -> dict[str, Any]:
    """The task for ``doc``."""
    (starts, ends, follows), conv, rest = _parts(doc, utf16, report)
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
    return {"text": text, "tokens": token_records, **rest}


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
    about three times faster. tests/test_export_formats.py checks the strings are identical.
    """
    (starts, ends, follows), conv, rest = _parts(doc, utf16, report)
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
    tail = json.dumps(rest, ensure_ascii=ensure_ascii)  # '{"spans": ...}'
    return f'{{"text": {quote(doc.text)}, "tokens": [{tokens}], {tail[1:]}'


_JSON_BOOL = ("false", "true")


def _time_meta(doc: ExportDoc, meta: dict[str, Any]) -> None:
    """Time spent, when it was measured: ``lead_time`` (Label Studio's name) is the
    document's active annotation time in seconds; ``span_seconds`` gives, per span in order,
    the active seconds since the annotator's previous action (null where not measured)."""
    if doc.active_seconds:
        meta["lead_time"] = doc.active_seconds
    if any(s.seconds is not None for s in doc.spans):
        meta["span_seconds"] = [s.seconds for s in doc.spans]


def _bound(item: dict[str, Any]) -> dict[str, Any]:
    """A span as a relation's end: its record without the text."""
    return {
        "start": item["start"],
        "end": item["end"],
        "token_start": item["token_start"],
        "token_end": item["token_end"],
        "label": item["label"],
    }


def _parts(
    doc: ExportDoc, utf16: bool, report: ExportReport | None
) -> tuple[SpacyTokens, Callable[[int], int] | None, dict[str, Any]]:
    """The tokens, the UTF-16 conversion (None: code points) and the other task fields."""
    text = doc.text
    tokens, realigned = align(spacy_tokens(text), [(s.start, s.end) for s in doc.spans])
    starts, ends = tokens.starts, tokens.ends
    conv = doc.offsets.to_utf16 if utf16 and not doc.offsets.identity else None
    span_records: list[dict[str, Any]] = []
    append = span_records.append
    for span in doc.spans:
        start, end = (conv(span.start), conv(span.end)) if conv else (span.start, span.end)
        append(
            {
                "start": start,
                "end": end,
                # exact: align cut the tokens at every span edge
                "token_start": bisect_left(starts, span.start),
                "token_end": bisect_left(ends, span.end),
                "label": span.label,
                "text": span.text,
            }
        )
    task: dict[str, Any] = {"spans": span_records}
    if doc.relations:
        by_id = {span.id: item for span, item in zip(doc.spans, span_records, strict=True)}
        task["relations"] = [
            {
                "head": by_id[rel.head]["token_end"],
                "child": by_id[rel.child]["token_end"],
                "head_span": _bound(by_id[rel.head]),
                "child_span": _bound(by_id[rel.child]),
                "label": rel.label,
            }
            for rel in doc.relations
        ]
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
    task["meta"] = meta
    input_hash = hash32(text)
    keys = [[s["start"], s["end"], s["label"]] for s in span_records]
    rels = [[r["head"], r["child"], r["label"]] for r in task.get("relations", [])]
    task["_input_hash"] = input_hash
    task["_task_hash"] = hash32(str(input_hash), json.dumps([keys, rels]))
    task["answer"] = "accept"
    if report is not None:
        report.realigned += realigned
        report.spans += len(span_records)
        report.relations += len(doc.relations)
    return tokens, conv, task
