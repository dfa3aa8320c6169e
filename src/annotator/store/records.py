"""The shapes of stored records and journal entries, checked before anything is applied.

A record or entry that does not have its shape is damage (a bad writer, a hand edit, a newer
format), never something to apply half of: the store refuses to open and names it.
"""

from __future__ import annotations

from typing import Any

from ..model import ORIGINS, STATUSES

Record = dict[str, Any]

META = "_meta"
DOC_PREFIX = "doc:"
KINDS = ("doc", "span", "rel", "rej", "meta")
# every operation name a journal line may carry (the name is informative; what is applied is
# the line's head/set/put/del, but a name this version never wrote means a format it cannot read)
OPS = frozenset(
    {
        "add_document",
        "set_document",
        "add_span",
        "add_spans",
        "remove_span",
        "restore_span",
        "reject_suggestion",
        "unreject",
        "relabel_span",
        "set_origin",
        "add_relation",
        "restore_relation",
        "remove_relation",
        "set_status",
        "declare_label",
        "batch",
    }
)
ENTRY_FIELDS = frozenset({"seq", "op", "table", "head", "set", "put", "del", "ops", "crc"})
DOC_FIELDS = frozenset(
    {
        "text",
        "path",
        "title",
        "date",
        "byline",
        "boilerplate",
        "meta",
        "title_span",
        "date_span",
        "encoding",
        "status",
        "active_seconds",
    }
)


def _str(record: Record, name: str) -> str | None:
    return None if isinstance(record.get(name), str) else f'"{name}" is not a string'


def _int(record: Record, name: str) -> str | None:
    value = record.get(name)
    return None if type(value) is int else f'"{name}" is not an integer'


_ORIGINS = frozenset(ORIGINS)


def span_problem(record: Record, text: str | None = None) -> str | None:
    """Why ``record`` is not a valid span record (``text``: its document's text), or None."""
    try:  # the common case in one expression: 100,000 spans are checked on every open
        start, end, body = record["start"], record["end"], record["text"]
        if (
            type(start) is int
            and type(end) is int
            and type(body) is str
            and type(record["id"]) is str
            and type(record["doc_id"]) is str
            and type(record["label"]) is str
            and 0 <= start < end
            and (text is None or (end <= len(text) and text[start:end] == body))
            and record.get("origin", "manual") in _ORIGINS
            and type(record.get("created", "")) is str
            and type(record.get("annotators", _EMPTY)) is list
            and record.get("seconds") is None
        ):
            return None
    except KeyError:
        pass
    return _span_problem(record, text)


_EMPTY: list[str] = []


def _span_problem(record: Record, text: str | None) -> str | None:
    """The reason, for a record the fast check did not pass (or one with ``seconds``)."""
    for check in (_str(record, "id"), _str(record, "doc_id"), _str(record, "label")):
        if check:
            return check
    for name in ("start", "end"):
        if problem := _int(record, name):
            return problem
    if not isinstance(record.get("text"), str):
        return '"text" is not a string'
    start, end = record["start"], record["end"]
    if not 0 <= start < end:
        return f"offsets {start}..{end} are not a span"
    if text is not None:
        if end > len(text):
            return f"offsets {start}..{end} run past the text ({len(text)} characters)"
        if text[start:end] != record["text"]:
            return f"its text does not match the document at {start}..{end}"
    if record.get("origin", "manual") not in ORIGINS:
        return f"unknown origin {record.get('origin')!r}"
    if "created" in record and not isinstance(record["created"], str):
        return '"created" is not a string'
    if not isinstance(record.get("annotators", []), list):
        return '"annotators" is not a list'
    seconds = record.get("seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)):
        return '"seconds" is not a number'
    return None


def relation_problem(record: Record) -> str | None:
    for name in ("id", "doc_id", "head", "child", "label"):
        if problem := _str(record, name):
            return problem
    if record.get("origin", "manual") not in ORIGINS:
        return f"unknown origin {record.get('origin')!r}"
    return None


def rejection_problem(record: Record) -> str | None:
    for name in ("start", "end"):
        if problem := _int(record, name):
            return problem
    return _str(record, "label") or _str(record, "id")


def doc_problem(record: Record) -> str | None:
    if problem := _str(record, "id") or _str(record, "text"):
        return problem
    if record.get("status", "new") not in STATUSES:
        return f"unknown status {record.get('status')!r}"
    bad = [
        pair
        for pair in record.get("boilerplate") or ()
        if not (isinstance(pair, list) and len(pair) == 2 and all(type(x) is int for x in pair))
    ]
    if bad:
        return f"bad boilerplate range {bad[0]!r}"
    return None


def meta_problem(record: Record) -> str | None:
    if not isinstance(record.get("labels", []), list):
        return '"labels" is not a list'
    if not isinstance(record.get("relations", []), list):
        return '"relations" is not a list'
    if type(record.get("seq", 0)) is not int:
        return '"seq" is not an integer'
    return None


def record_problem(record: Any, text: str | None = None) -> str | None:
    """Why ``record`` (any kind) is invalid, or None. ``text``: the document's, for spans."""
    if not isinstance(record, dict):
        return "not an object"
    kind = record.get("kind")
    if kind == "span":
        return span_problem(record, text)
    if kind == "rel":
        return relation_problem(record)
    if kind == "rej":
        return rejection_problem(record)
    if kind == "doc":
        return doc_problem(record)
    if kind == "meta":
        return meta_problem(record)
    return f"unknown record kind {kind!r}"


def table_problem(name: str, table: dict[str, Any]) -> str | None:
    """Why a whole table of the snapshot is invalid (records, their document, their links)."""
    if name == META:
        for record in table.values():
            if problem := record_problem(record):
                return f"its meta record: {problem}"
            if record.get("kind") != "meta":
                return "a record in the meta table is not the meta record"
        return None
    if not name.startswith(DOC_PREFIX):
        return None  # not ours (ignored, as before)
    doc_id = name[len(DOC_PREFIX) :]
    heads = [r for r in table.values() if isinstance(r, dict) and r.get("kind") == "doc"]
    if len(heads) != 1:
        return f"document {doc_id} has {len(heads)} document records"
    head = heads[0]
    if problem := doc_problem(head):
        return f"document {doc_id}: {problem}"
    if head["id"] != doc_id:
        return f"document {doc_id}: its record names document {head['id']!r}"
    text = head["text"]
    span_ids: set[str] = set()
    links = []
    for tid, record in table.items():
        if not tid.isdigit():
            return f"document {doc_id}: record id {tid!r} is not a number"
        kind = record.get("kind")
        problem = span_problem(record, text) if kind == "span" else record_problem(record, text)
        if problem:
            return f"document {doc_id}, record {tid}: {problem}"
        if kind == "span":
            if record["doc_id"] != doc_id:
                return f"document {doc_id}, record {tid}: a span of document {record['doc_id']!r}"
            span_ids.add(record["id"])
        elif kind == "rel":
            links.append((tid, record))
    for tid, record in links:
        if record["head"] not in span_ids or record["child"] not in span_ids:
            return f"document {doc_id}, record {tid}: a link to a span that is not there"
    return None


def entry_problem(entry: Any) -> str | None:
    """Why a journal entry (or one operation of a batch) cannot be applied, or None."""
    if not isinstance(entry, dict):
        return "not an object"
    unknown = set(entry) - ENTRY_FIELDS
    if unknown:
        return f"unknown field(s) {', '.join(sorted(unknown))} (written by a newer annotator?)"
    if entry.get("op") not in OPS:
        return f"unknown operation {entry.get('op')!r} (written by a newer annotator?)"
    if entry["op"] == "batch":
        ops = entry.get("ops")
        if not isinstance(ops, list):
            return 'a batch without "ops"'
        for i, op in enumerate(ops):
            if isinstance(op, dict) and op.get("op") == "batch":
                return f"operation {i + 1} of the batch is itself a batch"
            if problem := entry_problem(
                {k: v for k, v in op.items() if k != "seq"} if isinstance(op, dict) else op
            ):
                return f"operation {i + 1} of the batch: {problem}"
        return None
    table = entry.get("table")
    if not isinstance(table, str) or not (table == META or table.startswith(DOC_PREFIX)):
        return f"unknown table {table!r}"
    if "head" in entry:
        head = entry["head"]
        if problem := record_problem(head):
            return f"document record: {problem}"
        if head.get("kind") != "doc" or DOC_PREFIX + head["id"] != table:
            return "the document record does not belong to its table"
    if "set" in entry:
        changes = entry["set"]
        if not isinstance(changes, dict):
            return '"set" is not an object'
        allowed = {"labels", "relations"} if table == META else DOC_FIELDS - {"text"}
        if set(changes) - allowed:
            return f"cannot set {', '.join(sorted(set(changes) - allowed))}"
    for record in entry.get("put", ()):
        if problem := record_problem(record):
            return f"record: {problem}"
        if record["kind"] in ("doc", "meta"):
            return f"a {record['kind']} record among the records put"
    dels = entry.get("del", [])
    if not isinstance(dels, list) or not all(
        isinstance(k, list) and len(k) == 2 and all(isinstance(x, str) for x in k) for k in dels
    ):
        return '"del" is not a list of [kind, id] pairs'
    if not isinstance(entry.get("put", []), list):
        return '"put" is not a list'
    return None
