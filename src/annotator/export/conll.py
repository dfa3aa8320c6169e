"""CoNLL: one token per line, then one BIO tag column per label, separated by single spaces.

Columns are the exported labels in schema order, e.g. ``token CLAIM ACTOR LOCATION``::

    -DOCSTART- O O O

    Zelenskyy B-CLAIM B-ACTOR O
    admits I-CLAIM O O

No header line (plain CoNLL): the column order is in ``ExportReport.notes``. Each document
starts with ``-DOCSTART-`` (tagged ``O`` in every column) and a blank line; sentences are
separated by a blank line. A label's own nested spans (a CLAIM inside a CLAIM) cannot share one
column: the outer one is kept and the inner one counted (see :mod:`.bio`). Tokens never contain
whitespace (:func:`annotator.text.tokenize`), so the lines split cleanly on spaces.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .bio import tagged_sentences
from .common import ExportDoc, ExportReport


def lines(doc: ExportDoc, labels: Sequence[str], report: ExportReport) -> Iterator[str]:
    """The document's lines (without newlines)."""
    yield " ".join(["-DOCSTART-", *(["O"] * len(labels))])
    yield ""
    for words, cols in tagged_sentences(doc, [[label] for label in labels], report):
        for k, word in enumerate(words):
            yield " ".join([word, *(col[k] for col in cols)])
        yield ""
