"""The model's speed, this tree against another one (e.g. main's), in one run, interleaved.

Each tree runs in a child process of its own (``PYTHONPATH=<tree>/src``): it trains on the
first 100 articles of gold sets 03-24 (timed, the issue's 60 s target), then on the first 50,
and then, each time the parent asks, suggests on every test article (sets 25-28): the shipped
engine (rules and model, everything included) and the rules alone. The parent asks the trees
in turn, round after round, so both see the same machine load; it prints medians.

    git archive main | tar -x -C /tmp/main_tree
    .venv/bin/python benchmarks/bench_model_speed.py [--other /tmp/main_tree] [--rounds 5]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
GOLD = HERE / "benchmarks" / "gold" / "sets"


def child() -> None:
    from annotator.learn.gold import read_gold
    from annotator.learn.model import Example, SpanModel, rule_suggestions
    from annotator.suggest import combine
    from annotator.suggest._common import Words
    from annotator.text import TextIndex

    articles = read_gold(GOLD)
    pool = [a for s in range(3, 25) for a in articles if a.set == str(s)]
    test = [a for a in articles if a.set in {"25", "26", "27", "28"}]
    labels = ("ACTOR", "LOCATION", "CLAIM")
    started = time.perf_counter()
    SpanModel.train([Example(a.doc, a.spans) for a in pool[:100]], labels)
    train_100 = time.perf_counter() - started
    model = SpanModel.train([Example(a.doc, a.spans) for a in pool[:50]], labels)
    for a in test:  # warm up: place data, caches
        model.suggest(a.doc)
    print(json.dumps({"train_100": train_100}), flush=True)
    for _ in sys.stdin:
        both, rules = [], []
        for a in test:
            t = time.perf_counter()
            model.suggest(a.doc)
            both.append(time.perf_counter() - t)
            t = time.perf_counter()
            index = TextIndex(a.doc.text)
            words = Words(a.doc.text, index)
            combine(a.doc, words, rule_suggestions(a.doc, index, words))
            rules.append(time.perf_counter() - t)
        print(json.dumps({"both": both, "rules": rules}), flush=True)


def start(tree: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    return subprocess.Popen(
        [sys.executable, __file__, "--child"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tree,
    )


def main() -> None:
    other = Path(sys.argv[sys.argv.index("--other") + 1]) if "--other" in sys.argv else None
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    trees = {"this tree": HERE, **({f"other ({other})": other} if other else {})}
    children, trained = {}, {}
    for name, tree in trees.items():  # one after the other: the trainings do not compete
        proc = start(tree)
        assert proc.stdout is not None
        trained[name] = json.loads(proc.stdout.readline())["train_100"]
        children[name] = proc
    times: dict[str, dict[str, list[float]]] = {n: {"both": [], "rules": []} for n in trees}
    for _ in range(rounds):
        for name, proc in children.items():
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            result = json.loads(proc.stdout.readline())
            for key in ("both", "rules"):
                times[name][key].extend(result[key])
    for proc in children.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    for name in trees:
        both = statistics.median(times[name]["both"]) * 1000
        rules = statistics.median(times[name]["rules"]) * 1000
        print(f"{name:40} suggest one article: median {both:5.1f} ms (rules alone "
              f"{rules:5.1f} ms, model side {both - rules:5.1f} ms); "
              f"train on 100 articles: {trained[name]:5.1f} s")  # fmt: skip


if __name__ == "__main__":
    child() if "--child" in sys.argv else main()
