"""BIO tagging shared by the CoNLL and Hugging Face formats.

A tag column is one layer: spans in it cannot overlap. When spans of one column do overlap
(nested or crossing), the outer (earlier, then longer) span is kept and the inner one is counted
in ``ExportReport.dropped``. Sentences are the sequences: a span that crosses a sentence break
restarts with ``B-`` in the next sentence (counted in ``ExportReport.split``), so every sequence
is valid BIO on its own. Boilerplate sentences are not written. A token that a written span
starts or ends inside is cut at the span's edge (:func:`.tokens.align`), so the span's tags lie
on exactly its characters ("Kyiv" of "Kyiv's" is tagged, "'s" is not).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

from annotator.model import Span

from .common import ExportDoc, ExportReport, token_range
from .tokens import align, word_tokens

NESTED = "nested or overlapping in one tag layer (outer span kept)"
NO_TOKEN = "without any token (whitespace only)"
OUTSIDE = "outside the story sentences (boilerplate)"


def one_layer(spans: Iterable[Span]) -> tuple[list[Span], list[Span]]:
    """Split ``spans`` into a non-overlapping layer (outer spans first) and the rest."""
    kept: list[Span] = []
    dropped: list[Span] = []
    reach = -1
    for span in sorted(spans, key=lambda s: s.sort_key):
        if span.start >= reach:
            kept.append(span)
            reach = span.end
        else:
            dropped.append(span)
    return kept, dropped


def sentence_token_ranges(doc: ExportDoc, starts: Sequence[int]) -> list[tuple[int, int]]:
    """Token index ranges ``[i, j)`` of the story's sentences (boilerplate and date line left out)."""
    ranges = []
    outside = doc.outside_story()
    for sentence in doc.sentences:
        if any(a <= sentence.start and sentence.end <= b for a, b in outside):
            continue
        i = bisect_left(starts, sentence.start)
        j = bisect_left(starts, sentence.end)
        if i < j:
            ranges.append((i, j))
    return ranges


def tagged_sentences(
    doc: ExportDoc, columns: Sequence[Sequence[str]], report: ExportReport
) -> Iterator[tuple[list[str], list[list[str]]]]:
    """Per sentence: its token texts and one BIO tag list per column (labels of that column)."""
    layers = []
    for labels in columns:
        kept, dropped = one_layer(s for s in doc.spans if s.label in labels)
        if dropped:
            report.dropped[NESTED] += len(dropped)
        layers.append(kept)
    edges = [(span.start, span.end) for kept in layers for span in kept]
    (starts, ends, _ends), realigned = align(word_tokens(doc.token_spans), edges)
    report.realigned += realigned
    ranges = sentence_token_ranges(doc, starts)
    included = bytearray(len(starts))
    for i, j in ranges:
        included[i:j] = b"\x01" * (j - i)
    tag_columns: list[list[str]] = []
    for kept in layers:
        tags = ["O"] * len(starts)
        for span in kept:
            first, final = token_range(starts, ends, span.start, span.end)
            if first > final:
                report.dropped[NO_TOKEN] += 1
                continue
            if not any(included[first : final + 1]):
                report.dropped[OUTSIDE] += 1
                continue
            report.spans += 1
            tags[first] = "B-" + span.label
            inside = "I-" + span.label
            for k in range(first + 1, final + 1):
                tags[k] = inside
        tag_columns.append(tags)
    for i, j in ranges:
        cols = [tags[i:j] for tags in tag_columns]
        for col in cols:
            if col[0].startswith("I-"):
                col[0] = "B-" + col[0][2:]
                report.split += 1
        report.sentences += 1
        text = doc.text
        yield [text[start:end] for start, end in zip(starts[i:j], ends[i:j], strict=True)], cols
