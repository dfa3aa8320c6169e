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


class TokenPrefetch:
    """Token bounds of documents, tokenised ahead in a worker process (large corpora) while
    the caller goes on (opening the other databases, comparing spans). ``get`` waits for the
    document's chunk; documents never asked for cost only worker time."""

    def __init__(self, documents: Sequence[tuple[str, str]], *, parallel: bool | None = None):
        if parallel is None:
            parallel = len(documents) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2
        self._texts = {doc_id: text for doc_id, text in documents}
        self._where: dict[str, tuple[int, int]] = {}
        self._futures: list = []
        self._pool = None
        if parallel:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=1)
            for i in range(0, len(documents), CHUNK):
                chunk = documents[i : i + CHUNK]
                for k, (doc_id, _text) in enumerate(chunk):
                    self._where[doc_id] = (len(self._futures), k)
                self._futures.append(self._pool.submit(token_bounds, [t for _d, t in chunk]))

    def get(self, doc_id: str, text: str) -> Bounds:
        where = self._where.get(doc_id)
        if where is None or self._texts.get(doc_id) != text:
            return token_bounds([text])[0]
        chunk, k = where
        return self._futures[chunk].result()[k]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> TokenPrefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
