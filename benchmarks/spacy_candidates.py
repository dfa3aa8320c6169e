"""spaCy's trainable ner and spancat measured side by side with the shipped CRF (issue 13).

Cross-validation within the training pool only (sets 03-24), on the folds of
``learning_curve.py --cv`` (first 50 articles -> last 50, then back); the test sets 25-28 are not
opened. Every candidate is scored with ``annotator.learn.evaluate.score`` (exact-match P/R/F1
per label, pooled over both folds), so the rows compare with the CRF's:

- ``crf-model``, ``crf-both``: the shipped CRF alone and stacked on the rules (learning_curve's
  own ``crf_folds``);
- ``ner``: spaCy ``ner`` on a blank "en" pipeline, trained on the ACTOR/LOCATION layer;
- ``ner+votes``: the same, the rules' votes on each token (``features.rule_tags``) embedded as
  one more hashed token attribute (TAG), the way the CRF stacks on them;
- ``ner|rules``: ``ner``'s spans, and the rules' ACTOR/LOCATION spans where ner is silent;
- ``spancat``: spaCy ``spancat`` with an n-gram suggester (1..6 tokens) for ACTOR/LOCATION;
- ``ner-claim`` (``+votes``): a second ner for the CLAIM layer alone (spancat is not run on
  CLAIM: its spans run to 48 tokens, so an n-gram suggester would score ~30,000 candidates per
  article).

Every pipeline is blank (nothing is downloaded), on the CPU, with a fixed seed, one thread
(``OMP_NUM_THREADS`` etc. are set to 1 before numpy loads) and a small tok2vec (MultiHashEmbed
+ MaxoutWindowEncoder, width ``--width``, depth 4). It learns per paragraph line of the
article (the CRF's sequences; boilerplate and the date line are left out) and is given the
project's own tokens (``annotator.text``), so every gold span the CRF can learn aligns;
``--spacy-tokens`` uses spaCy's tokenizer instead (spans aligned with ``char_span(...,
alignment_mode="expand")``). Gold spans that do not align are counted. Suggestions go through
``annotator.suggest.combine`` as the CRF's do. Suggestion time is everything for one article
(index, rules when used, docs, the pipeline, combine), median over the held articles.

    .venv/bin/python benchmarks/spacy_candidates.py [--epochs 12] [--width 96]
        [--only ner,spancat] [--time100] [--spacy-tokens]

``--time100`` also trains each spaCy candidate once on the pool's first 100 articles and
prints the seconds (the limit is 60 s).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from learning_curve import LABELS, arg, crf_folds, cv_folds, read_pool  # noqa: E402

from annotator.learn.evaluate import score  # noqa: E402
from annotator.learn.features import lines, rule_tags  # noqa: E402
from annotator.learn.gold import GoldArticle  # noqa: E402
from annotator.learn.layers import flatten  # noqa: E402
from annotator.learn.model import _skipped, rule_suggestions  # noqa: E402
from annotator.model import Document  # noqa: E402
from annotator.suggest import combine  # noqa: E402
from annotator.suggest._common import Words  # noqa: E402
from annotator.suggest.types import Suggestion  # noqa: E402
from annotator.text import TextIndex  # noqa: E402

SEED = 0
ENTITIES = ("ACTOR", "LOCATION")
ENGINE = "spacy-candidate"


@dataclass(frozen=True)
class Candidate:
    name: str
    factory: str  # "ner" or "spancat"
    labels: tuple[str, ...]
    votes: bool = False  # the rules' votes as a token attribute
    fill: bool = False  # the rules' spans where the model is silent


CANDIDATES = [
    Candidate("ner", "ner", ENTITIES),
    Candidate("ner+votes", "ner", ENTITIES, votes=True),
    Candidate("ner|rules", "ner", ENTITIES, fill=True),
    Candidate("spancat", "spancat", ENTITIES),
    Candidate("ner-claim", "ner", ("CLAIM",)),
    Candidate("ner-claim+votes", "ner", ("CLAIM",), votes=True),
]


@dataclass
class Options:
    epochs: int
    width: int
    spacy_tokens: bool


@dataclass
class Article:
    """What one article gives every candidate: its lines as (start, end, token bounds)."""

    words: Words
    lines: list[tuple[int, int, list[tuple[int, int]]]]
    votes: list[list[str]] | None  # per line, per token: the rules' votes as one string
    rules: list[Suggestion] | None


def analyse(doc: Document, rules: bool) -> Article:
    index = TextIndex(doc.text)
    words = Words(doc.text, index)
    found = rule_suggestions(doc, index, words) if rules else None
    per_token = rule_tags(index, found) if found is not None else None
    toks = index.tokens
    out, votes = [], []
    for line in lines(index):
        if _skipped(doc, index, line):
            continue
        bounds = [(toks[i].start, toks[i].end) for i in range(line.first, line.last + 1)]
        out.append((bounds[0][0], bounds[-1][1], bounds))
        if per_token is not None:
            votes.append(
                [
                    "|".join(sorted(set(per_token[i]))) or "-"
                    for i in range(line.first, line.last + 1)
                ]
            )
    return Article(words, out, votes if rules else None, found)


def line_doc(nlp: Any, text: str, line: tuple, tags: list[str] | None, options: Options) -> Any:
    """A spaCy Doc of one line's text (offsets relative to the line's start)."""
    from spacy.tokens import Doc

    lo, hi, bounds = line
    if options.spacy_tokens:
        return nlp.make_doc(text[lo:hi])
    words, spaces, doc_tags = [], [], []
    for k, (start, end) in enumerate(bounds):
        words.append(text[start:end])
        doc_tags.append(tags[k] if tags else "-")
        gap = text[end : bounds[k + 1][0]] if k + 1 < len(bounds) else ""
        spaces.append(gap == " ")
        if gap not in ("", " "):  # other whitespace: a token of its own, as spaCy has it
            words.append(gap)
            spaces.append(False)
            doc_tags.append("-")
    doc = Doc(nlp.vocab, words=words, spaces=spaces, tags=doc_tags if tags else None)
    assert doc.text == text[lo:hi]
    return doc


class Counts:
    def __init__(self) -> None:
        self.gold = self.unaligned = self.expanded = self.outside = 0


def examples_of(nlp: Any, pool: list, arts: list[Article], cand: Candidate, options: Options, counts: Counts | None) -> list:  # fmt: skip
    from spacy.training import Example

    out = []
    for gold, art in zip(pool, arts, strict=True):
        text = gold.doc.text
        spans = [s for s in gold.spans if s[2] in cand.labels]
        spans = flatten(spans) if cand.factory == "ner" else sorted(spans)
        placed = 0
        for n, line in enumerate(art.lines):
            lo, hi, _ = line
            tags = art.votes[n] if cand.votes else None
            predicted = line_doc(nlp, text, line, tags, options)
            reference = line_doc(nlp, text, line, tags, options)
            found = []
            for start, end, label in spans:
                if not (lo <= start and end <= hi):
                    continue
                placed += 1
                span = reference.char_span(start - lo, end - lo, label, alignment_mode="strict")
                if span is None:
                    if counts is not None:
                        counts.unaligned += 1
                    span = reference.char_span(start - lo, end - lo, label, alignment_mode="expand")
                    if span is None:
                        continue
                    if counts is not None:
                        counts.expanded += 1
                found.append(span)
            if cand.factory == "ner":
                reference.ents = found
            else:
                reference.spans["sc"] = found
            out.append(Example(predicted, reference))
        if counts is not None:
            counts.gold += len(spans)
            counts.outside += len(spans) - placed
    return out


def build(cand: Candidate, options: Options) -> Any:
    import spacy

    spacy.util.fix_random_seed(SEED)
    nlp = spacy.blank("en")
    attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"] + (["TAG"] if cand.votes else [])
    rows = [5000, 1000, 2500, 1000] + ([200] if cand.votes else [])
    tok2vec = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": options.width,
            "attrs": attrs,
            "rows": rows,
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": options.width,
            "depth": 4,
            "window_size": 1,
            "maxout_pieces": 3,
        },
    }
    if cand.factory == "ner":
        config = {
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 64,
                "maxout_pieces": 2,
                "use_upper": True,
                "nO": None,
                "tok2vec": tok2vec,
            }
        }
    else:
        config = {
            "threshold": 0.5,
            "spans_key": "sc",
            "suggester": {"@misc": "spacy.ngram_range_suggester.v1", "min_size": 1, "max_size": 6},
            "model": {
                "@architectures": "spacy.SpanCategorizer.v1",
                "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 128},
                "scorer": {"@layers": "spacy.LinearLogistic.v1", "nO": None, "nI": None},
                "tok2vec": tok2vec,
            },
        }
    pipe = nlp.add_pipe(cand.factory, config=config)
    for label in cand.labels:
        pipe.add_label(label)
    return nlp


def train(cand: Candidate, pool: list, arts: list[Article], options: Options, counts: Counts | None = None) -> tuple[Any, float]:  # fmt: skip
    """A pipeline trained on ``pool``; the seconds include building the examples."""
    from spacy.util import minibatch

    started = time.perf_counter()
    nlp = build(cand, options)
    examples = examples_of(nlp, pool, arts, cand, options, counts)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    for _ in range(options.epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, drop=0.1, sgd=optimizer)
    return nlp, time.perf_counter() - started


def suggest(nlp: Any, cand: Candidate, doc: Document, options: Options) -> list[Suggestion]:
    """Everything for one new article: index, rules when used, docs, pipeline, combine."""
    art = analyse(doc, rules=cand.votes or cand.fill)
    text = doc.text
    docs = [
        line_doc(nlp, text, line, art.votes[n] if cand.votes else None, options)
        for n, line in enumerate(art.lines)
    ]
    found: list[Suggestion] = []
    weight = 2.0 if cand.fill else 1.0  # above every rule score: the model wins an overlap
    for line, sdoc in zip(art.lines, nlp.pipe(docs, batch_size=64), strict=True):
        lo = line[0]
        if cand.factory == "ner":
            for ent in sdoc.ents:
                found.append(
                    Suggestion(lo + ent.start_char, lo + ent.end_char, ent.label_, ENGINE, weight)
                )
        else:
            group = sdoc.spans["sc"]
            for span, scores in zip(group, group.attrs["scores"], strict=True):
                found.append(
                    Suggestion(
                        lo + span.start_char, lo + span.end_char, span.label_, ENGINE, float(scores)
                    )
                )
    if cand.fill and art.rules:
        found.extend(s for s in art.rules if s.label in cand.labels)
    return combine(doc, art.words, found)


def cells(pairs: list, labels: tuple[str, ...]) -> list[str]:
    report = score(pairs, LABELS)
    out = []
    for label in LABELS:
        s = report.exact[label]
        out.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}" if label in labels else "-")
    return out


def line(name: str, pairs: list, labels: tuple[str, ...], train_s: list[float], ms: float) -> str:
    cols = [name, *cells(pairs, labels), " + ".join(f"{s:.1f}" for s in train_s), f"{ms:.0f}"]
    return "| " + " | ".join(cols) + " |"


def crf_rows(pool: list[GoldArticle]) -> list[str]:
    rows = []
    for name, overrides in (("crf-model", {"stacked": False}), ("crf-both", {})):
        pairs, seconds, times = [], [], []
        for (fold, secs, model), (_, held) in zip(
            crf_folds(pool, overrides), cv_folds(pool), strict=True
        ):
            pairs.extend(fold)
            seconds.append(secs)
            for i in held:
                t = time.perf_counter()
                model.suggest(pool[i].doc)
                times.append(time.perf_counter() - t)
        rows.append(line(name, pairs, LABELS, seconds, 1000 * statistics.median(times)))
        print(rows[-1], flush=True)
    return rows


def spacy_row(cand: Candidate, pool: list, arts: dict, options: Options, time100: bool) -> str:
    arts_of = arts[cand.votes]
    pairs, seconds, times = [], [], []
    for n, (train_idx, held) in enumerate(cv_folds(pool)):
        counts = Counts()
        nlp, secs = train(
            cand, [pool[i] for i in train_idx], [arts_of[i] for i in train_idx], options, counts
        )
        seconds.append(secs)
        print(f"  {cand.name} fold {n + 1}: {secs:.1f} s; gold spans {counts.gold}, not on a "
              f"kept line {counts.outside}, not on token bounds {counts.unaligned} "
              f"(expanded {counts.expanded})", flush=True)  # fmt: skip
        suggest(nlp, cand, pool[held[0]].doc, options)  # warm up
        for i in held:
            t = time.perf_counter()
            keys = {s.key for s in suggest(nlp, cand, pool[i].doc, options)}
            times.append(time.perf_counter() - t)
            pairs.append((keys, pool[i].spans))
    if time100:
        _, secs = train(cand, pool[:100], arts_of[:100], options)
        print(f"  {cand.name}: training on 100 articles {secs:.1f} s", flush=True)
    return line(cand.name, pairs, cand.labels, seconds, 1000 * statistics.median(times))


def main() -> None:
    options = Options(
        epochs=int(arg("--epochs", ["12"])[0]),
        width=int(arg("--width", ["96"])[0]),
        spacy_tokens="--spacy-tokens" in sys.argv,
    )
    only = arg("--only", [])
    pool = read_pool()
    words = statistics.mean(len(a.doc.text.split()) for a in pool)
    print(f"pool: {len(pool)} articles (sets 03-24), mean {words:.0f} words; folds: first 50 -> "
          f"last 50 and back; epochs {options.epochs}, width {options.width}, "
          f"{'spaCy' if options.spacy_tokens else 'project'} tokens", flush=True)  # fmt: skip
    rows = [
        "| candidate | ACTOR P / R / F1 | LOCATION P / R / F1 | CLAIM P / R / F1 "
        "| train s (50 articles, fold 1 + 2) | suggest ms/article |",
        "|---|---|---|---|---|---|",
    ]
    if not only or "crf" in only:
        rows.extend(crf_rows(pool))
    cands = [c for c in CANDIDATES if not only or c.name in only]
    arts = {}
    for votes in sorted({c.votes for c in cands}):
        arts[votes] = [analyse(a.doc, rules=votes) for a in pool]
    for cand in cands:
        rows.append(spacy_row(cand, pool, arts, options, "--time100" in sys.argv))
        print(rows[-1], flush=True)
    print()
    print("\n".join(rows))


if __name__ == "__main__":
    main()
