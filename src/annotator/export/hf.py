"""Hugging Face token classification: one JSON line per sentence,
``{"id": "<doc_id>-<n>", "tokens": [...], "ner_tags": ["B-ACTOR", "O", ...]}`` (tag strings).

The chosen labels (default ACTOR and LOCATION) share one tag layer. When spans of the chosen
labels overlap (e.g. ``--labels CLAIM,ACTOR``: actors inside claims), the outer (earlier, then
longer) span is kept and the inner one is left out and counted in ``ExportReport.dropped``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .bio import tagged_sentences
from .common import ExportDoc, ExportReport

DEFAULT_LABELS = ("ACTOR", "LOCATION")


def records(
    doc: ExportDoc, labels: Sequence[str], report: ExportReport
) -> Iterator[dict[str, Any]]:
    for n, (words, cols) in enumerate(tagged_sentences(doc, [labels], report)):
        yield {"id": f"{doc.id}-{n}", "tokens": words, "ner_tags": cols[0]}
