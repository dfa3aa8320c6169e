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
    doc: Document,
    engines: Sequence[str],
    vocab: dict[str, str] | None,
    db_path: str | None = None,
) -> tuple[list[Found], list[str]]:
    """``suggest`` on ``doc``: (suggestions as tuples, messages of engines that could not run).

    ``db_path``: the database whose trained model the "model" engine uses (the store itself
    stays in the app's process; the model is read from the folder beside it)."""
    from annotator.suggest import suggest
    from annotator.text import TextIndex

    if db_path is not None and "model" in engines:
        from annotator.learn import engine

        engine.use_database(db_path)

    messages: list[str] = []
    found = suggest(doc, TextIndex(doc.text), engines=engines, vocab=vocab, messages=messages)
    return [(s.start, s.end, s.label, s.engine, s.score) for s in found], messages
