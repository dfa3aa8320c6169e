"""doccano JSONL: ``{"id","text","label":[[start,end,"LABEL"]]}``; documents with relations use
doccano's entities/relations form ``{"id","text","entities":[...],"relations":[...]}``.
Offsets are code points, or UTF-16 code units with ``offsets="utf16"`` (doccano, Label Studio).
"""

from __future__ import annotations

from typing import Any

from .common import ExportDoc, ExportReport


def record(
    doc: ExportDoc, *, utf16: bool = False, report: ExportReport | None = None
) -> dict[str, Any]:
    conv = doc.offsets.to_utf16 if utf16 and not doc.offsets.identity else None

    def at(offset: int) -> int:
        return conv(offset) if conv else offset

    if report is not None:
        report.spans += len(doc.spans)
        report.relations += len(doc.relations)
    if not doc.relations:
        return {
            "id": doc.id,
            "text": doc.text,
            "label": [[at(s.start), at(s.end), s.label] for s in doc.spans],
        }
    entity_ids = {span.id: number for number, span in enumerate(doc.spans, 1)}
    return {
        "id": doc.id,
        "text": doc.text,
        "entities": [
            {
                "id": entity_ids[s.id],
                "label": s.label,
                "start_offset": at(s.start),
                "end_offset": at(s.end),
            }
            for s in doc.spans
        ],
        "relations": [
            {
                "id": number,
                "from_id": entity_ids[r.head],
                "to_id": entity_ids[r.child],
                "type": r.label,
            }
            for number, r in enumerate(doc.relations, 1)
        ],
    }
