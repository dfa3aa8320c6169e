"""The token units of agreement: the spaCy export's tokens of each document, as two arrays.

Tokenising is most of the work of ``annotator agree`` (a regular expression over every
character); for a large corpus it runs in a worker process, a chunk of documents at a time,
while the main process compares the spans of the chunks already tokenised. Results come back
in order as compact arrays of token starts and ends, identical to
:func:`annotator.text.token_spans`.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator, Sequence

CHUNK = 250  # documents per worker task
PARALLEL_FROM = 500  # documents: below this a worker costs more than it saves

Bounds = tuple[array, array]  # token starts, token ends


def token_bounds(texts: Sequence[str]) -> list[Bounds]:
    from annotator.text import token_spans

    out = []
    for text in texts:
        spans = token_spans(text)
        out.append((array("q", [s for s, _e in spans]), array("q", [e for _s, e in spans])))
    return out


def iter_token_bounds(texts: Sequence[str], *, parallel: bool | None = None) -> Iterator[Bounds]:
    """Token bounds of each text, in order (a worker process tokenises when it pays)."""
    if parallel is None:
        parallel = len(texts) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    if not parallel:
        for chunk in chunks:
            yield from token_bounds(chunk)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1) as pool:
        for result in pool.map(token_bounds, chunks):
            yield from result
