"""Train a model on a database's finished articles, measure it on held-back ones, save it.

``train_database`` is what ``annotator train`` and the app's background training run: it reads
the store read-only (the app may hold it), trains on the finished articles, scores the model
and the rules on the held-back ones (and decides, per label, which of them serves it:
``gate``), trains again on all of them, and saves the model next to the database. Nothing is
trained when the finished articles have not changed since the model in use was trained,
unless ``force``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.learn import gate, storage
from annotator.learn.data import TrainingData, training_data
from annotator.learn.model import (
    Example,
    Prepared,
    Settings,
    SpanModel,
    prepare,
    rule_suggestions,
)

Progress = Callable[[float, str], None]
# Below this many finished articles the rules alone suggest (the learning curve: the model
# stacked on the rules beats them from about five training articles on).
MIN_DOCUMENTS = 5


@dataclass
class Outcome:
    status: str  # "trained" | "up to date" | "too few" | "no labels"
    message: str
    info: storage.Info | None = None


def heldout_scores(
    model: SpanModel, held: Sequence[Example], prepared: Sequence[Prepared], labels: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """The exact-match P/R/F1 on the held-back articles of the model, of the rules and of what
    is shipped (the model gated per label), and the labels the rules serve (``gate``)."""
    rows = []
    for ex, p in zip(held, prepared, strict=True):
        rules = p.rules if p.rules is not None else rule_suggestions(p.doc, p.index, p.words)
        rows.append(gate.HeldBack(p.doc, p.words, model.suggest_prepared(p), rules, ex.spans))
    decision = gate.decide(rows, labels)
    figures = {
        "documents": len(held),
        "model": decision.model,
        "rules": decision.rules,
        "shipped": decision.shipped,
        "lost": decision.lost,
    }
    return figures, decision.rules_for


def train_examples(
    data: TrainingData,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> tuple[SpanModel, dict[str, Any], list[str]]:
    """Train on every example, after measuring a model trained without the held-back ones.

    Returns the model, its held-back figures and the labels the rules serve (``gate``)."""
    settings = settings or Settings()
    report = progress or (lambda fraction, message: None)
    labels = [
        label
        for label in data.labels
        if any(k[2] == label for ex in data.examples for k in ex.spans)
    ]
    prepared: dict[str, Prepared] = {}
    for k, ex in enumerate(data.examples):
        prepared[ex.doc.id] = prepare(ex.doc, stacked=settings.stacked)
        report(0.25 * (k + 1) / len(data.examples), f"reading article {k + 1}/{len(data.examples)}")
    train, held = data.split()
    heldout: dict[str, Any] = {}
    rules_for: list[str] = []
    if held:
        first = SpanModel.train(
            train,
            labels,
            settings,
            lambda f, m: report(0.25 + 0.35 * f, f"{m} (without held-back articles)"),
            [prepared[ex.doc.id] for ex in train],
        )
        heldout, rules_for = heldout_scores(
            first, held, [prepared[ex.doc.id] for ex in held], labels
        )
    start = 0.6 if held else 0.25
    model = SpanModel.train(
        data.examples,
        labels,
        settings,
        lambda f, m: report(start + (1 - start) * f, m),
        [prepared[ex.doc.id] for ex in data.examples],
    )
    return model, heldout, rules_for


def train_database(
    db_path: str | Path,
    *,
    force: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    min_documents: int = MIN_DOCUMENTS,
) -> Outcome:
    """Train and save a model for the database at ``db_path`` (read-only: the app may hold it)."""
    from annotator.store import open_store

    with open_store(db_path, readonly=True) as store:
        data = training_data(store)
    if len(data.examples) < min_documents:
        return Outcome(
            "too few",
            f"{len(data.examples)} finished articles; the model needs {min_documents} "
            "(mark articles done with m), the rules suggest until then",
        )
    if not any(ex.spans for ex in data.examples):
        return Outcome("no labels", "the finished articles have no spans to learn from")
    fingerprint = data.fingerprint()
    loaded = storage.load(db_path, data.labels)
    if not force and loaded.model is not None and loaded.info.fingerprint == fingerprint:
        info = loaded.info
        line = f"model v{info.version} is up to date"
        if info.rules_for:
            line += "; " + gate.phrase(info.labels, info.heldout, info.rules_for)
        return Outcome("up to date", line, info)
    started = time.perf_counter()
    model, heldout, rules_for = train_examples(data, settings, progress)
    info = storage.Info(
        documents=len(data.examples),
        fingerprint=fingerprint,
        seconds=round(time.perf_counter() - started, 2),
        heldout=heldout,
        trained_ids=[ex.doc.id for ex in data.examples],
        rules_for=rules_for,
    )
    info = storage.save(db_path, model, info)
    return Outcome("trained", describe(info), info)


def describe(info: storage.Info) -> str:
    """One line: which model, trained on what, how good on the held-back articles, and the
    labels it does not serve (the rules were better there)."""
    line = f"model v{info.version}: {info.documents} articles, {info.seconds:.0f} s"
    held = info.heldout
    if held.get("documents"):
        parts = []
        for label, (_, _, f1) in held.get("model", {}).items():
            rules = held.get("rules", {}).get(label)
            parts.append(f"{label} {f1:.2f}" + (f" (rules {rules[2]:.2f})" if rules else ""))
        line += f"; F1 on {held['documents']} held-back: " + ", ".join(parts)
    if info.rules_for:
        line += "; " + gate.phrase(info.labels, held, info.rules_for)
    return line
