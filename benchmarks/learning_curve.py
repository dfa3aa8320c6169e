"""Learning curve: train on 5, 10, 25, 50, 100 gold articles, test on articles never trained on.

Three suggesters on the same unseen articles: the rules alone (gazetteer, patterns, claims),
the model alone (the CRF on words and shapes only) and both (the CRF stacked on the rules'
votes: the shipped "model" engine). Training articles come from the sets the rules were
tuned on (03-24, in set order, so 5 articles is one set); the test articles are sets 25-28,
which no rule was written from and no model trains on. Prints exact-match P/R/F1 per label,
training time and suggestion time per article (with the rules' own time as the baseline).

    .venv/bin/python benchmarks/learning_curve.py [--sizes 5,10,25,50,100] [--test 25,26,27,28]

Choices (settings, features) are made by cross-validation within the training pool, never on
the test sets: ``--cv '{"c1": 0.02}'`` trains on the pool's first 50 articles and validates
on its last 50, then the other way round, and prints the pooled P/R/F1 of "both" for those
``Settings`` (JSON; ``{}``: the defaults).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from annotator.learn.evaluate import score
from annotator.learn.gold import GoldArticle, read_gold
from annotator.learn.model import Example, Settings, SpanModel, prepare, rule_suggestions
from annotator.suggest import combine
from annotator.suggest._common import Words
from annotator.text import TextIndex

GOLD = Path(__file__).resolve().parent / "gold" / "sets"
LABELS = ("ACTOR", "LOCATION", "CLAIM")
TRAIN_SETS = [f"{n}" for n in range(3, 25)]
TEST_SETS = ["25", "26", "27", "28"]


def arg(name: str, default: list[str]) -> list[str]:
    return sys.argv[sys.argv.index(name) + 1].split(",") if name in sys.argv else default


def rules_only(article: GoldArticle) -> set:
    index = TextIndex(article.doc.text)
    words = Words(article.doc.text, index)
    return {s.key for s in combine(article.doc, words, rule_suggestions(article.doc, index, words))}


def row(name: str, size: int, pairs: list, extra: str = "", digits: int = 2) -> str:
    report = score(pairs, LABELS)
    cells = []
    for label in LABELS:
        s = report.exact[label]
        cells.append(" ".join(f"{x:.{digits}f}" for x in (s.precision, s.recall, s.f1)))
    return f"{name:6} {size:4} | " + " | ".join(cells) + f" | {extra}"


def read_pool() -> list[GoldArticle]:
    """The training pool (sets 03-24) alone: the test sets' files are not opened."""
    return [a for s in TRAIN_SETS for a in read_gold(GOLD / f"{int(s):02d}.jsonl") if a.set == s]


def cv_folds(pool: list[GoldArticle]) -> list[tuple[list[int], list[int]]]:
    """Two folds within the training pool: first 50 -> last 50, last 50 -> first 50."""
    first, last = list(range(50)), list(range(len(pool) - 50, len(pool)))
    return [(first, last), (last, first)]


def crf_folds(pool: list[GoldArticle], overrides: dict) -> list[tuple[list, float, SpanModel]]:
    """Per fold of ``cv_folds``: (predicted, gold) pairs on the held articles, training
    seconds and the model, for the CRF with ``Settings(**overrides)``."""
    settings = Settings(**overrides)
    prepared = [prepare(a.doc, stacked=settings.stacked) for a in pool]
    examples = [Example(a.doc, a.spans) for a in pool]
    out = []
    for train, held in cv_folds(pool):
        t = time.perf_counter()
        model = SpanModel.train(
            [examples[i] for i in train], LABELS, settings, prepared=[prepared[i] for i in train]
        )
        seconds = time.perf_counter() - t
        fold = [({s.key for s in model.suggest_prepared(prepared[i])}, pool[i].spans) for i in held]
        out.append((fold, seconds, model))
    return out


def cross_validate(pool: list[GoldArticle], overrides: dict) -> None:
    """Both folds of ``cv_folds``, then the pooled P/R/F1."""
    pairs = []
    folds = cv_folds(pool)
    for (train, _), (fold, seconds, _) in zip(folds, crf_folds(pool, overrides), strict=True):
        pairs.extend(fold)
        print(row("fold", len(train), fold, f"{seconds:5.1f}", 3), flush=True)
    print(row("cv", len(folds[0][0]), pairs, json.dumps(overrides), 3))


def main() -> None:
    sizes = [int(x) for x in arg("--sizes", ["5", "10", "25", "50", "100"])]
    test_sets = arg("--test", TEST_SETS)
    if "--cv" in sys.argv:
        cross_validate(read_pool(), json.loads(sys.argv[sys.argv.index("--cv") + 1]))
        return
    articles = read_gold(GOLD)
    pool = [a for s in TRAIN_SETS for a in articles if a.set == s]
    test = [a for a in articles if a.set in test_sets]
    print(f"training pool: {len(pool)} articles (sets {TRAIN_SETS[0]}-{TRAIN_SETS[-1]}); "
          f"test: {len(test)} articles, {sum(len(a.spans) for a in test)} spans "
          f"(sets {','.join(test_sets)}), never trained on")  # fmt: skip
    head = " | ".join(f"{label:^14}" for label in LABELS)
    print(f"{'':6} {'':4} | {head} |")
    print(f"{'what':6} {'n':>4} | " + " | ".join(["   P    R   F1"] * 3) + " | train s")
    started = time.perf_counter()
    rule_keys = {a.name: rules_only(a) for a in test}
    rules_seconds = (time.perf_counter() - started) / len(test)
    print(row("rules", 0, [(rule_keys[a.name], a.spans) for a in test]))
    examples = [Example(a.doc, a.spans) for a in pool]
    for stacked, name in ((False, "model"), (True, "both")):
        settings = Settings(stacked=stacked)
        pool_prep = [prepare(a.doc, stacked=stacked) for a in pool]
        test_prep = [prepare(a.doc, stacked=stacked) for a in test]
        for size in sizes:
            if size > len(pool):
                continue
            t = time.perf_counter()
            model = SpanModel.train(examples[:size], LABELS, settings, prepared=pool_prep[:size])
            train_s = time.perf_counter() - t
            pairs = [
                ({s.key for s in model.suggest_prepared(p)}, a.spans)
                for a, p in zip(test, test_prep, strict=True)
            ]
            print(row(name, size, pairs, f"{train_s:5.1f}"), flush=True)
        if stacked:
            timing(model, test, rules_seconds)


def timing(model: SpanModel, test: list[GoldArticle], rules_seconds: float) -> None:
    """Suggestion time per article, everything included (index, rules, features, tagging),
    against the rules alone on the same article in the same loop (both warmed up)."""
    del rules_seconds  # the first pass includes loading the place data: not a baseline
    times, rule_times = [], []
    for a in test:
        t = time.perf_counter()
        model.suggest(a.doc)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        rules_only(a)
        rule_times.append(time.perf_counter() - t)
    words = statistics.mean(len(a.doc.text.split()) for a in test)
    median, rules = statistics.median(times), statistics.median(rule_times)
    print(f"\nsuggest, one article (mean {words:.0f} words), model stacked on the rules: median "
          f"{median * 1000:.0f} ms; the rules alone: {rules * 1000:.0f} ms; "
          f"ratio {median / rules:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
