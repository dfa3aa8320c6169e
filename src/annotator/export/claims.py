"""Sentence-level claim detection data: one JSON line per sentence of the story.

``{"text","label","doc_id","start","end","claims":[{"start","end","text"}],"source":[...]}``.
The title is part of the story and is included; boilerplate, the date line and the byline line
are not (the article parser flags the byline as boilerplate). ``label`` is 1 when a CLAIM span overlaps the sentence; ``claims`` are those spans
clipped to the sentence and re-based to it; ``source`` are the texts of the ACTOR spans linked
by SOURCE to them (document order, no repeats). ``start``/``end`` are document offsets
(UTF-16 code units with ``offsets="utf16"``, as are the claims' offsets within the sentence).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .common import ExportDoc, ExportReport

CLAIM = "CLAIM"
SOURCE = "SOURCE"


def excluded_ranges(doc: ExportDoc) -> list[tuple[int, int]]:
    """Boilerplate (the parser flags the byline line as boilerplate too) and the date line."""
    return doc.outside_story()


def records(
    doc: ExportDoc,
    *,
    utf16: bool = False,
    excluded: Sequence[tuple[int, int]] | None = None,
    report: ExportReport | None = None,
) -> Iterator[dict[str, Any]]:
    excluded = excluded_ranges(doc) if excluded is None else excluded
    conv = doc.offsets.to_utf16 if utf16 and not doc.offsets.identity else None
    claims = [s for s in doc.spans if s.label == CLAIM]
    by_id = doc.span_by_id()
    sources: dict[str, list[str]] = {}
    for rel in doc.relations:
        if rel.label == SOURCE and rel.child in by_id:
            sources.setdefault(rel.head, []).append(by_id[rel.child].text)
    written: set[str] = set()
    for sentence in doc.sentences:
        s_start, s_end = sentence.start, sentence.end
        if any(a <= s_start and s_end <= b for a, b in excluded):
            continue
        inside = [c for c in claims if c.start < s_end and s_start < c.end]
        items = []
        actors: list[str] = []
        for claim in inside:
            a, b = max(claim.start, s_start), min(claim.end, s_end)
            if conv:
                base = conv(s_start)
                ra, rb = conv(a) - base, conv(b) - base
            else:
                ra, rb = a - s_start, b - s_start
            items.append({"start": ra, "end": rb, "text": doc.text[a:b]})
            written.add(claim.id)
            for actor in sources.get(claim.id, []):
                if actor not in actors:
                    actors.append(actor)
        start, end = (conv(s_start), conv(s_end)) if conv else (s_start, s_end)
        if report is not None:
            report.sentences += 1
        yield {
            "text": sentence.text,
            "label": 1 if inside else 0,
            "doc_id": doc.id,
            "start": start,
            "end": end,
            "claims": items,
            "source": actors,
        }
    if report is not None:
        report.spans += len(written)
        if len(written) < len(claims):
            report.dropped["claims outside the story sentences"] += len(claims) - len(written)
        report.relations += sum(1 for r in doc.relations if r.label == SOURCE and r.head in written)
