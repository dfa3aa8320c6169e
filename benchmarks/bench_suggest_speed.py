"""Suggestion time per article, this tree against another checkout, interleaved in one run.

The figure the learning curve prints (the shipped engine, the model stacked on the rules, one
test article of sets 25-28, mean 690 words, everything included), measured for two source
trees side by side: each tree runs in a worker process of its own that trains the n=50 model
once, then the parent asks the workers in turn for a round (every test article suggested
once, model and rules alone) and prints the median of the rounds' medians. The machine is
shared, so the rounds alternate between the trees and only medians are compared.

    .venv/bin/python benchmarks/bench_suggest_speed.py --against /work/main/src [--rounds 7]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
SRC = HERE.parents[1] / "src"


def worker() -> None:
    sys.path.insert(0, str(HERE.parent))
    from learning_curve import GOLD, LABELS, TRAIN_SETS, rules_only

    from annotator.learn.gold import read_gold
    from annotator.learn.model import Example, Settings, SpanModel

    articles = read_gold(GOLD)
    pool = [a for s in TRAIN_SETS for a in articles if a.set == s][:50]
    test = [a for a in articles if a.set in ("25", "26", "27", "28")]
    model = SpanModel.train([Example(a.doc, a.spans) for a in pool], LABELS, Settings())
    for a in test:  # warm up: place data, caches
        model.suggest(a.doc)
        rules_only(a)
    print(json.dumps({"words": statistics.mean(len(a.doc.text.split()) for a in test)}))
    sys.stdout.flush()
    for _ in sys.stdin:
        both, rules = [], []
        for a in test:
            t = time.perf_counter()
            model.suggest(a.doc)
            both.append(time.perf_counter() - t)
            t = time.perf_counter()
            rules_only(a)
            rules.append(time.perf_counter() - t)
        print(json.dumps({"both": statistics.median(both), "rules": statistics.median(rules)}))
        sys.stdout.flush()


def start(src: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.Popen(
        [sys.executable, str(HERE), "--worker"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def main() -> None:
    against = Path(sys.argv[sys.argv.index("--against") + 1]).resolve()
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 7
    trees = {"other": against, "this": SRC}
    workers = {name: start(src) for name, src in trees.items()}
    words = {name: json.loads(w.stdout.readline())["words"] for name, w in workers.items()}
    got: dict[str, dict[str, list[float]]] = {n: {"both": [], "rules": []} for n in trees}
    for _ in range(rounds):
        for name, w in workers.items():
            assert w.stdin is not None and w.stdout is not None
            w.stdin.write("round\n")
            w.stdin.flush()
            figures = json.loads(w.stdout.readline())
            for key in ("both", "rules"):
                got[name][key].append(figures[key])
    for w in workers.values():
        assert w.stdin is not None
        w.stdin.close()
        w.wait()
    print(
        f"one test article (mean {words['this']:.0f} words), median of {rounds} interleaved rounds:"
    )
    for name, src in trees.items():
        both = statistics.median(got[name]["both"]) * 1000
        rules = statistics.median(got[name]["rules"]) * 1000
        print(
            f"  {name:5} ({src}): model stacked on the rules {both:5.1f} ms; rules alone {rules:5.1f} ms"
        )
    ratio = statistics.median(got["this"]["both"]) / statistics.median(got["other"]["both"])
    print(f"  this / other, model stacked on the rules: {ratio:.2f}")


if __name__ == "__main__":
    worker() if "--worker" in sys.argv else main()
