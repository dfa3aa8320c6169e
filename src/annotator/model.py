"""The annotation model: labels, spans, relations, documents and their invariants.

Plain dataclasses, no I/O and no Textual. Offsets are Python string indices (code points),
end-exclusive: ``doc.text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

# manual: made by the annotator; suggested: an engine's, not yet decided; imported: read from a
# file; merged: written by ``annotator merge`` (shared by enough annotators); reviewed: accepted
# into a gold database on the review screen.
ORIGINS = ("manual", "suggested", "imported", "merged", "reviewed")
STATUSES = ("new", "in_progress", "done")
STATUS_NAMES = {"new": "new", "in_progress": "in progress", "done": "done"}


class AnnotationError(ValueError):
    """A span, relation or label that breaks the model's rules (bad offsets, unknown label...)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A short random id; spans and relations keep theirs across undo, export and import."""
    return uuid.uuid4().hex[:16]


# --------------------------------------------------------------------------- labels


class Label(NamedTuple):
    """A span label. ``style`` is the visual attribute that tells labels apart without colour."""

    name: str
    key: str
    color: str
    style: str = "background"  # background | bold | underline | italic
    letter: str = ""  # mnemonic key, in addition to the digit


@dataclass(frozen=True)
class LabelSchema:
    labels: tuple[Label, ...]

    def __post_init__(self) -> None:
        names = [label.name for label in self.labels]
        if len(set(names)) != len(names):
            raise AnnotationError(f"duplicate label names in schema: {names}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def get(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise AnnotationError(f"unknown label {name!r} (known: {', '.join(self.names)})")

    def by_key(self, key: str) -> Label | None:
        for label in self.labels:
            if key in (label.key, label.letter):
                return label
        return None

    def with_label(self, name: str) -> LabelSchema:
        """This schema plus ``name`` (declared on import); a no-op if it is already known."""
        if name in self:
            return self
        palette = ["magenta", "cyan", "yellow", "green", "red", "blue"]
        index = len(self.labels)
        key = str(index + 1) if index < 9 else ""
        color = palette[index % len(palette)]
        return LabelSchema((*self.labels, Label(name, key, color, "italic")))

    def to_records(self) -> list[dict[str, str]]:
        return [
            {"name": x.name, "key": x.key, "color": x.color, "style": x.style, "letter": x.letter}
            for x in self.labels
        ]

    @classmethod
    def from_records(cls, records: Iterable[dict[str, str]]) -> LabelSchema:
        return cls(tuple(Label(**record) for record in records))


DEFAULT_SCHEMA = LabelSchema(
    (
        Label("CLAIM", "1", "yellow", "background", "c"),
        Label("ACTOR", "2", "cyan", "bold", "a"),
        Label("LOCATION", "3", "green", "underline", "l"),
    )
)


class RelationType(NamedTuple):
    """A link label, allowed only from a span labelled one of ``heads`` to one of ``children``."""

    name: str
    heads: frozenset[str]
    children: frozenset[str]
    key: str = ""

    def allows(self, head_label: str, child_label: str) -> bool:
        return head_label in self.heads and child_label in self.children


@dataclass(frozen=True)
class RelationSchema:
    types: tuple[RelationType, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[RelationType]:
        return iter(self.types)

    def get(self, name: str) -> RelationType:
        for rtype in self.types:
            if rtype.name == name:
                return rtype
        raise AnnotationError(f"unknown relation {name!r} (known: {', '.join(self.names)})")

    def check(self, name: str, head_label: str, child_label: str) -> None:
        rtype = self.get(name)
        if not rtype.allows(head_label, child_label):
            raise AnnotationError(
                f"{name} links {'/'.join(sorted(rtype.heads))} -> "
                f"{'/'.join(sorted(rtype.children))}, not {head_label} -> {child_label}"
            )


DEFAULT_RELATIONS = RelationSchema(
    (
        RelationType("SOURCE", frozenset({"CLAIM"}), frozenset({"ACTOR"}), "s"),
        RelationType("ABOUT", frozenset({"CLAIM"}), frozenset({"ACTOR", "LOCATION"}), "b"),
    )
)


# --------------------------------------------------------------------------- spans


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _parse_iso(value: str | datetime | None) -> datetime:
    if value is None:
        return utc_now()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Span:
    id: str
    doc_id: str
    start: int
    end: int
    label: str
    text: str
    annotator: str = ""
    created: datetime = field(default_factory=utc_now)
    origin: str = "manual"
    # who had this span, for merged and reviewed spans (empty otherwise)
    annotators: tuple[str, ...] = ()
    # seconds since the annotator's previous action when it was made (None: not measured)
    seconds: float | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        """What makes two spans the same annotation: adding the same key twice is a no-op."""
        return (self.start, self.end, self.label)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Document order; an enclosing span sorts before the spans nested in it."""
        return (self.start, -self.end, self.label)

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def with_(self, **changes: Any) -> Span:
        return replace(self, **changes)

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "annotator": self.annotator,
            "created": _iso(self.created),
            "origin": self.origin,
        }
        if self.annotators:
            record["annotators"] = list(self.annotators)
        if self.seconds is not None:
            record["seconds"] = self.seconds
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Span:
        seconds = record.get("seconds")
        return cls(
            id=record["id"],
            doc_id=record["doc_id"],
            start=int(record["start"]),
            end=int(record["end"]),
            label=record["label"],
            text=record["text"],
            annotator=record.get("annotator", ""),
            created=_parse_iso(record.get("created")),
            origin=record.get("origin", "manual"),
            annotators=tuple(record.get("annotators") or ()),
            seconds=float(seconds) if seconds is not None else None,
        )


def make_span(
    doc_id: str,
    text: str,
    start: int,
    end: int,
    label: str,
    *,
    annotator: str = "",
    origin: str = "manual",
    span_id: str | None = None,
    created: datetime | None = None,
    annotators: Iterable[str] = (),
    seconds: float | None = None,
) -> Span:
    """Build a span over ``text`` (the whole document text), checking the invariants."""
    check_offsets(text, start, end)
    if origin not in ORIGINS:
        raise AnnotationError(f"unknown origin {origin!r} (known: {', '.join(ORIGINS)})")
    if not label:
        raise AnnotationError("a span needs a label")
    return Span(
        id=span_id or new_id(),
        doc_id=doc_id,
        start=start,
        end=end,
        label=label,
        text=text[start:end],
        annotator=annotator,
        created=created or utc_now(),
        origin=origin,
        annotators=tuple(annotators),
        seconds=seconds,
    )


def check_offsets(text: str, start: int, end: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise AnnotationError(f"offsets must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise AnnotationError(
            f"offsets {start}..{end} out of range for a text of {len(text)} characters"
        )


@dataclass(frozen=True)
class Relation:
    """A directed link between two spans of one document: ``head`` -> ``child`` (span ids)."""

    id: str
    doc_id: str
    head: str
    child: str
    label: str
    annotator: str = ""
    created: datetime = field(default_factory=utc_now)
    origin: str = "manual"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.head, self.child, self.label)

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "head": self.head,
            "child": self.child,
            "label": self.label,
            "annotator": self.annotator,
            "created": _iso(self.created),
            "origin": self.origin,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Relation:
        return cls(
            id=record["id"],
            doc_id=record["doc_id"],
            head=record["head"],
            child=record["child"],
            label=record["label"],
            annotator=record.get("annotator", ""),
            created=_parse_iso(record.get("created")),
            origin=record.get("origin", "manual"),
        )


# --------------------------------------------------------------------------- documents


@dataclass
class Document:
    """One article. ``text`` is the sanitised text every offset refers to."""

    id: str
    text: str
    path: str = ""
    title: str = ""
    date: datetime | None = None
    byline: str | None = None
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    title_span: tuple[int, int] | None = None  # where the title line is in ``text``
    date_span: tuple[int, int] | None = None  # where the date line is in ``text``
    encoding: str = "utf-8"

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when ``start..end`` lies entirely inside one boilerplate range."""
        return any(b_start <= start and end <= b_end for b_start, b_end in self.boilerplate)

    def overlaps_boilerplate(self, start: int, end: int) -> bool:
        return any(start < b_end and b_start < end for b_start, b_end in self.boilerplate)

    def outside_story(self) -> list[tuple[int, int]]:
        """The ranges never annotated, sorted: boilerplate (the byline included) and the date
        line (suggestions, training and the sentence exports leave them out too)."""
        ranges = list(self.boilerplate)
        if self.date_span is not None:
            ranges.append(self.date_span)
        return sorted(ranges)

    def story_stretch(
        self, offset: int, outside: list[tuple[int, int]] | None = None
    ) -> tuple[int, int]:
        """The stretch of story text around ``offset`` that one span may cover: between the
        ranges outside the story (boilerplate, the date line), and not across the title's
        edges (a headline and the body are never one span). Inside a range outside the story:
        that range. ``outside``: :meth:`outside_story`, when the caller keeps it."""
        lo, hi = 0, len(self.text)
        for a, b in self.outside_story() if outside is None else outside:
            if a <= offset < b:
                return a, b
            if b <= offset:
                lo = max(lo, b)
            elif a > offset:
                hi = min(hi, a)
        if self.title_span is not None:
            t0, t1 = self.title_span
            if t0 <= offset < t1:
                lo, hi = max(lo, t0), min(hi, t1)
            elif offset >= t1:
                lo = max(lo, t1)
            else:
                hi = min(hi, t0)
        return lo, hi

    def story_part(self, start: int, end: int) -> tuple[int, int] | None:
        """``start..end`` as one span may cover it: from ``start`` (moved past the boilerplate or
        date line it is in) to the end of its :meth:`story_stretch` (the first boilerplate or
        date line after it, or the title's end), whitespace trimmed at both ends. The range
        itself when it stays in one stretch; None when nothing is left."""
        outside = self.outside_story()
        lo, hi = self.story_stretch(start, outside)
        if lo <= start and end <= hi and not any(a <= start < b for a, b in outside):
            return start, end
        for a, b in outside:  # sorted: a range ending inside the next one is followed
            if a <= start < b:
                start = b
        _lo, hi = self.story_stretch(start, outside)
        stop = min(end, hi)
        text = self.text
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        return (start, stop) if stop > start else None
