"""The span model: one linear-chain CRF (CRFsuite) per layer of labels, over our own tokens.

A CRF trains on 100 articles in well under a minute on two cores, tags a 700-word article in
about ten milliseconds, needs no download, and learns from a handful of articles
(``benchmarks/learning_curve.py``; settings are chosen with its ``--cv``, within the training
sets). Nested spans are learnt as layers (``layers``): ACTOR and LOCATION share one tagger,
CLAIM has its own. Stacked on the rules (``stacked=True``), the rule engines' votes are
features, so the model learns where to trust them and where the user's conventions differ.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pycrfsuite

from annotator.learn.features import Line, lines, token_features
from annotator.learn.layers import assign_layers, decode, encode, flatten
from annotator.model import Document
from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

Key = tuple[int, int, str]
Progress = Callable[[float, str], None]
ENGINE = "model"
RULE_ENGINES = ("gazetteer", "patterns", "claims")


@dataclass(frozen=True)
class Example:
    """A document whose every span of the learnt labels is known (the user marked it done)."""

    doc: Document
    spans: frozenset[Key]


@dataclass(frozen=True)
class Settings:
    stacked: bool = True  # the rule engines' votes are features
    c1: float = 0.05  # L1: keeps the model small
    # L2, chosen by cross-validation within the training sets (learning_curve.py --cv):
    # ACTOR F1 0.874 at 0.02, 0.879-0.881 from 0.05 to 0.2 (LOCATION, CLAIM within 0.002)
    c2: float = 0.1
    min_freq: int = 0  # features seen fewer times than this in training are not used
    max_iterations: int = 120
    min_score: float = 0.35  # a span whose tags are less likely than this is not offered


@dataclass
class Prepared:
    """A document's tokens, features and lines, computed once per training or suggestion."""

    doc: Document
    index: TextIndex
    words: Words
    features: list[list[str]]
    lines: list[Line]
    rules: list[Suggestion] | None = None  # the rule engines' raw output, when stacked
    _sequences: list[pycrfsuite.ItemSequence] | None = field(default=None, repr=False)

    def sequences(self) -> list[pycrfsuite.ItemSequence]:
        """The features of each kept line as CRFsuite item sequences, converted once for every
        layer and every training (the conversion costs as much as the tagging)."""
        if self._sequences is None:
            self._sequences = [
                pycrfsuite.ItemSequence(self.features[line.first : line.last + 1])
                for line in self.lines
            ]
        return self._sequences


def rule_suggestions(doc: Document, index: TextIndex, words: Words) -> list[Suggestion]:
    """What the rule engines propose, before any combining (overlaps kept: they are features)."""
    from annotator.suggest import claims, gazetteer, patterns

    return [
        *gazetteer.suggest(doc, index, words),
        *patterns.suggest(doc, index, words),
        *claims.suggest(doc, index, words),
    ]


def prepare(
    doc: Document,
    index: TextIndex | None = None,
    words: Words | None = None,
    *,
    stacked: bool,
    rules: Sequence[Suggestion] | None = None,
) -> Prepared:
    index = index or TextIndex(doc.text)
    words = words or Words(doc.text, index)
    if stacked and rules is None:
        rules = rule_suggestions(doc, index, words)
    text_lines = lines(index)
    feats = token_features(index, words, rules if stacked else None, text_lines)
    kept = [line for line in text_lines if not _skipped(doc, index, line)]
    return Prepared(doc, index, words, feats, kept, list(rules) if rules is not None else None)


def _skipped(doc: Document, index: TextIndex, line: Line) -> bool:
    """Boilerplate and the date line are never annotated: neither learnt from nor tagged."""
    start, end = index.tokens[line.first].start, index.tokens[line.last].end
    if doc.date_span and start < doc.date_span[1] and doc.date_span[0] < end:
        return True
    return any(a <= start and end <= b for a, b in doc.boilerplate)


@dataclass
class LayerModel:
    labels: list[str]
    data: bytes  # the CRFsuite model file
    _tagger: pycrfsuite.Tagger | None = field(default=None, repr=False, compare=False)

    @property
    def tagger(self) -> pycrfsuite.Tagger:
        if self._tagger is None:
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.data)
            self._tagger = tagger
        return self._tagger


class _Trainer(pycrfsuite.Trainer):
    def __init__(self, on_iteration: Callable[[int], None]) -> None:
        super().__init__(verbose=False)
        self._on_iteration = on_iteration

    def on_iteration(self, log: str, info: dict) -> None:
        self._on_iteration(int(info.get("num", 0)))


class SpanModel:
    """Layers of CRF taggers; ``suggest`` gives spans on a document it has not seen."""

    def __init__(self, layers: list[LayerModel], settings: Settings) -> None:
        self.layers = layers
        self.settings = settings

    @property
    def labels(self) -> list[str]:
        return [label for layer in self.layers for label in layer.labels]

    # ------------------------------------------------------------------ training

    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        labels: Sequence[str] | None = None,
        settings: Settings | None = None,
        progress: Progress | None = None,
        prepared: Sequence[Prepared] | None = None,
    ) -> SpanModel:
        """Train on ``examples`` (at least one); ``labels``: default every label they hold."""
        settings = settings or Settings()
        if not examples:
            raise ValueError("nothing to learn from: no finished article with spans")
        if labels is None:
            labels = sorted({label for ex in examples for *_, label in ex.spans})
        report = progress or (lambda fraction, message: None)
        if prepared is None:
            prepared = []
            for k, ex in enumerate(examples):
                prepared.append(prepare(ex.doc, stacked=settings.stacked))
                report(0.3 * (k + 1) / len(examples), f"features {k + 1}/{len(examples)}")
        sequences = [p.sequences() for p in prepared]
        layer_labels = assign_layers((ex.spans for ex in examples), labels)
        layers = []
        for n, names in enumerate(layer_labels):
            done = 0.3 + 0.7 * n / len(layer_labels)
            share = 0.7 / len(layer_labels)
            layers.append(
                _train_layer(
                    examples,
                    prepared,
                    sequences,
                    names,
                    settings,
                    lambda it, done=done, share=share, names=names: report(
                        done + share * min(it, settings.max_iterations) / settings.max_iterations,
                        f"training {'/'.join(names)}",
                    ),
                )
            )
        report(1.0, "trained")
        return cls(layers, settings)

    # ------------------------------------------------------------------ suggesting

    def suggest(
        self,
        doc: Document,
        index: TextIndex | None = None,
        words: Words | None = None,
        *,
        rules: Sequence[Suggestion] | None = None,
    ) -> list[Suggestion]:
        """Spans for ``doc``, as ``annotator.suggest.combine`` keeps them."""
        return self.suggest_prepared(
            prepare(doc, index, words, stacked=self.settings.stacked, rules=rules)
        )

    def suggest_prepared(self, p: Prepared) -> list[Suggestion]:
        from annotator.suggest import combine

        doc = p.doc
        found: list[Suggestion] = []
        toks = p.index.tokens
        sequences = p.sequences()
        for layer in self.layers:
            tagger = layer.tagger
            for line, xseq in zip(p.lines, sequences, strict=True):
                tagger.set(xseq)
                tags = tagger.tag()
                for first, last, label in decode(tags):
                    score = sum(tagger.marginal(tags[i], i) for i in range(first, last + 1))
                    score /= last - first + 1
                    if score < self.settings.min_score:
                        continue
                    start, end = toks[line.first + first].start, toks[line.first + last].end
                    found.append(Suggestion(start, end, label, ENGINE, round(score, 3)))
        return combine(doc, p.words, found)


def _train_layer(
    examples: Sequence[Example],
    prepared: Sequence[Prepared],
    sequences: Sequence[list[pycrfsuite.ItemSequence]],
    labels: list[str],
    settings: Settings,
    on_iteration: Callable[[int], None],
) -> LayerModel:
    wanted = set(labels)
    trainer = _Trainer(on_iteration)
    for ex, p, seqs in zip(examples, prepared, sequences, strict=True):
        spans = flatten(s for s in ex.spans if s[2] in wanted)
        toks = p.index.tokens
        for line, xseq in zip(p.lines, seqs, strict=True):
            bounds = [(toks[i].start, toks[i].end) for i in range(line.first, line.last + 1)]
            lo, hi = bounds[0][0], bounds[-1][1]
            tags = encode(bounds, (s for s in spans if lo <= s[0] and s[1] <= hi))
            trainer.append(xseq, tags)
    trainer.set_params(
        {
            "c1": settings.c1,
            "c2": settings.c2,
            "max_iterations": settings.max_iterations,
            "feature.minfreq": settings.min_freq,
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory(prefix="annotator-crf-") as tmp:
        path = Path(tmp) / "layer.crfsuite"
        trainer.train(str(path))
        data = path.read_bytes()
    return LayerModel(labels, data)


def examples_of(docs: Iterable[tuple[Document, Iterable[Key]]]) -> list[Example]:
    return [Example(doc, frozenset(spans)) for doc, spans in docs]
