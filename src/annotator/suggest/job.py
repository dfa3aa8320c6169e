"""The engines as one job for a worker process (see ``annotator.worker``).

Module-level and picklable: it gets a document, the engine names and the learned vocabulary
(read from the store by the caller, which owns it), and returns plain tuples, cheap to send
back and to unpickle in the UI's process.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.model import Document

Found = tuple[int, int, str, str, float]  # start, end, label, engine, score


def run_engines(
    doc: Document, engines: Sequence[str], vocab: dict[str, str] | None
) -> tuple[list[Found], list[str]]:
    """``suggest`` on ``doc``: (suggestions as tuples, messages of engines that could not run)."""
    from annotator.suggest import suggest
    from annotator.text import TextIndex

    messages: list[str] = []
    found = suggest(doc, TextIndex(doc.text), engines=engines, vocab=vocab, messages=messages)
    return [(s.start, s.end, s.label, s.engine, s.score) for s in found], messages
