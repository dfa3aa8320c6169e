"""Plain data shared by the export formats: options, the per-document record, the report.

Format modules only see :class:`ExportDoc` (text, metadata and the spans and relations chosen
by the options, already checked), so they are pure functions over plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from annotator.model import Relation, Span

from .offsets import OffsetMap

OFFSET_MODES = ("codepoint", "utf16")
DUPLICATE = "duplicates of another span (same start, end, label), written once"


def plural(count: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class ExportError(ValueError):
    """An export the user asked for that cannot be written; ``str()`` is one readable line."""


class UnitLike(Protocol):
    """A token or sentence: ``text[start:end]`` (``text.Unit`` has this shape)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ExportOptions:
    only_done: bool = False
    labels: tuple[str, ...] | None = None  # None: every label (hf: ACTOR, LOCATION)
    annotator: str | None = None
    offsets: str = "codepoint"  # codepoint | utf16
    include_suggestions: bool = False
    # documents with no human decision (status new, no span to write) are left out unless
    # asked for: written, they would teach a model "nothing here" about text nobody read
    include_untouched: bool = False

    @property
    def utf16(self) -> bool:
        return self.offsets == "utf16"


@dataclass
class ExportReport:
    """What an export wrote, and every span it could not write as is (never silent)."""

    format: str
    out: str = ""
    documents: int = 0
    spans: int = 0
    relations: int = 0
    sentences: int = 0  # conll, hf, claims: sequences written
    # spans with an edge inside one of our tokens (spaCy: or on the space after one): the
    # exported tokens are cut there
    realigned: int = 0
    # spans cut in pieces: at sentence breaks (conll/hf BIO), at line breaks (brat fragments)
    split: int = 0
    # spans not written, by reason (e.g. nested in one BIO layer)
    dropped: Counter[str] = field(default_factory=Counter)
    # spans / relations left out by the options (suggestions, labels, annotator)
    filtered_spans: int = 0
    filtered_relations: int = 0
    untouched: int = 0  # documents left out: nobody annotated them yet
    not_done: int = 0  # documents written that are not marked done
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for stderr."""
        parts = [
            plural(self.documents, "document"),
            plural(self.spans, "span"),
            plural(self.relations, "relation"),
        ]
        if self.sentences:
            parts.append(plural(self.sentences, "sentence"))
        line = f"exported {', '.join(parts)} as {self.format}"
        if self.out:
            line += f" to {self.out}"
        extra = [f"{count} {reason}" for reason, count in sorted(self.dropped.items())]
        if self.split:
            extra.append(f"{self.split} spans split")
        if self.realigned:
            extra.append(f"{self.realigned} spans inside tokens (tokens cut at their edges)")
        if self.filtered_spans:
            extra.append(f"{self.filtered_spans} spans left out by the options")
        if self.untouched:
            extra.append(
                f"{plural(self.untouched, 'untouched document')} left out "
                "(--include-untouched writes them)"
            )
        if self.not_done:
            extra.append(
                f"{plural(self.not_done, 'document')} not marked done (--only-done leaves "
                f"{'it' if self.not_done == 1 else 'them'} out)"
            )
        if extra:
            line += " (" + "; ".join(extra) + ")"
        return line


@dataclass
class ExportDoc:
    """One document as the formats see it: text, metadata, chosen spans and relations."""

    id: str
    text: str
    spans: list[Span]  # sorted by Span.sort_key, all checked against ``text``
    relations: list[Relation] = field(default_factory=list)  # both ends among ``spans``
    path: str = ""
    title: str = ""
    date: datetime | None = None
    status: str = "new"
    byline: str | None = None
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    date_span: tuple[int, int] | None = None  # the date line (left out of the claims export)
    active_seconds: float = 0.0  # annotation time with the article open (idle gaps left out)
    _tokens: list[Any] | None = field(default=None, repr=False)
    _token_spans: list[tuple[int, int]] | None = field(default=None, repr=False)
    _sentences: list[Any] | None = field(default=None, repr=False)
    _offsets: OffsetMap | None = field(default=None, repr=False)

    @property
    def token_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` per token: what most formats need, without a Unit per token."""
        if self._token_spans is None:
            if self._tokens is not None:
                self._token_spans = [(t.start, t.end) for t in self._tokens]
            else:
                from annotator.text import token_spans

                self._token_spans = token_spans(self.text)
        return self._token_spans

    @property
    def tokens(self) -> list[Any]:
        if self._tokens is None:
            from annotator.text import tokenize

            self._tokens = tokenize(self.text)
        return self._tokens

    @property
    def sentences(self) -> list[Any]:
        if self._sentences is None:
            from annotator.text import split_sentences

            self._sentences = split_sentences(self.text)
        return self._sentences

    @property
    def offsets(self) -> OffsetMap:
        if self._offsets is None:
            self._offsets = OffsetMap(self.text)
        return self._offsets

    def span_by_id(self) -> dict[str, Span]:
        return {span.id: span for span in self.spans}

    def is_boilerplate(self, start: int, end: int) -> bool:
        return any(b_start <= start and end <= b_end for b_start, b_end in self.boilerplate)

    def outside_story(self) -> list[tuple[int, int]]:
        """Ranges that sentence exports leave out: boilerplate (the byline included) and the date line."""
        return [*self.boilerplate, self.date_span] if self.date_span else list(self.boilerplate)


def check_span(doc_id: str, text: str, span: Span) -> None:
    """The slice invariant; refuse (ExportError naming document and span) when it fails."""
    ok = 0 <= span.start < span.end <= len(text) and text[span.start : span.end] == span.text
    if not ok:
        found = text[span.start : span.end] if 0 <= span.start <= len(text) else ""
        raise ExportError(
            f"document {doc_id}: span {span.id} {span.label} {span.start}..{span.end} "
            f"says {_short(span.text)} but the text there is {_short(found)}; export refused"
        )


def _short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def select(
    doc_id: str,
    text: str,
    spans: Iterable[Span],
    relations: Iterable[Relation],
    options: ExportOptions,
    report: ExportReport | None = None,
    *,
    checked: bool = False,
) -> tuple[list[Span], list[Relation]]:
    """The spans and relations ``options`` keep, checked (unless ``checked``: the caller did);
    relations need both ends kept."""
    kept: list[Span] = []
    left_out = 0
    for span in spans:
        if (
            (span.origin == "suggested" and not options.include_suggestions)
            or (options.labels is not None and span.label not in options.labels)
            or (options.annotator is not None and span.annotator != options.annotator)
        ):
            left_out += 1
            continue
        if not checked:
            check_span(doc_id, text, span)
        kept.append(span)
    kept.sort(key=lambda s: s.sort_key)
    # One span per (start, end, label): a duplicate (a store that let one in) is written once
    # and its relations move to the span kept.
    unique: list[Span] = []
    first: dict[tuple[int, int, str], str] = {}
    alias: dict[str, str] = {}
    for span in kept:
        if span.key in first:
            alias[span.id] = first[span.key]
        else:
            first[span.key] = span.id
            unique.append(span)
    ids = set(first.values())
    links: list[Relation] = []
    link_keys: set[tuple[str, str, str]] = set()
    links_out = 0
    for relation in relations:
        head, child = (
            alias.get(relation.head, relation.head),
            alias.get(relation.child, relation.child),
        )
        if head in ids and child in ids:
            if relation.origin == "suggested" and not options.include_suggestions:
                links_out += 1
                continue
            if (head, child, relation.label) in link_keys:
                continue
            link_keys.add((head, child, relation.label))
            if (head, child) != (relation.head, relation.child):
                relation = replace(relation, head=head, child=child)
            links.append(relation)
        else:
            links_out += 1
    if report is not None:
        if alias:
            report.dropped[DUPLICATE] += len(alias)
        report.filtered_spans += left_out
        report.filtered_relations += links_out
    return unique, links


def normalize_labels(
    labels: str | Sequence[str] | None, known: Sequence[str]
) -> tuple[str, ...] | None:
    """``"CLAIM,actor"`` or a list -> schema names; unknown names raise ExportError."""
    if labels is None:
        return None
    names = labels.split(",") if isinstance(labels, str) else list(labels)
    by_upper = {name.upper(): name for name in known}
    chosen: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        match = name if name in known else by_upper.get(name.upper())
        if match is None:
            raise ExportError(f"unknown label {name!r} (known: {', '.join(known)})")
        if match not in chosen:
            chosen.append(match)
    if not chosen:
        raise ExportError("--labels names no label")
    return tuple(chosen)


def token_range(
    starts: Sequence[int], ends: Sequence[int], start: int, end: int
) -> tuple[int, int]:
    """Inclusive token range ``(first, last)`` overlapping ``start..end``; first > last if none."""
    from bisect import bisect_left, bisect_right

    return bisect_right(ends, start), bisect_left(starts, end) - 1
