"""Agreement speed: ``annotator agree`` over 3 databases, 5,000 documents, 100,000 spans.

Three annotators' stores are built through the store API (one snapshot at close; a few minutes
the first time) and kept under ``--dir`` for later runs: "a" tags random tokens and stretches,
"b" and "c" copy it with some spans dropped, moved by a token or relabelled, and add their own.

Measured in the same run (best of ``--repeat``):

* baseline, loading: open the three stores read-only and read every document's spans and
  links (what any command reading them must do);
* agree: open the three stores and compute every figure (per label, per pair, per document,
  links), as ``annotator agree --json`` does, without printing.

Prints both times and the ratio agree / loading (target <= 2x), and the same on databases a
fifth the size: a linear computation keeps both the ratio and the time per document.

    .venv/bin/python benchmarks/bench_agree.py [--docs 5000] [--spans 100000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from annotator.corpus import parse_article
from annotator.store import open_store
from annotator.team.agreement import agree_paths
from annotator.text import tokenize

WORDS = [
    "the",
    "minister",
    "said",
    "on",
    "Wednesday",
    "that",
    "forces",
    "had",
    "advanced",
    "near",
    "the",
    "border",
    "while",
    "officials",
    "in",
    "Kyiv",
    "and",
    "Moscow",
    "denied",
    "any",
    "talks",
    "about",
    "territory",
    "Zelenskyy",
    "Putin",
    "Crimea",
    "Donbas",
    "reported",
    "according",
    "to",
    "sources",
    "economy",
    "prices",
    "rose",
    "sharply",
    "analysts",
    "warned",
]


def article(rng: random.Random, n: int) -> str:
    lines = [f"Story {n}: {' '.join(rng.choices(WORDS, k=8))}", "18 December 2024, 22:04"]
    for _ in range(rng.randint(6, 10)):
        sentences = []
        for _ in range(rng.randint(1, 3)):
            words = rng.choices(WORDS, k=rng.randint(8, 20))
            sentences.append(" ".join(words).capitalize() + ".")
        lines.append(" ".join(sentences))
    return "\n".join(lines) + "\n"


def _random_key(rng: random.Random, tokens) -> tuple[int, int, str]:
    i = rng.randrange(len(tokens))
    j = min(len(tokens) - 1, i + rng.choice((0, 0, 1, 2, 8)))
    label = "CLAIM" if j - i >= 8 else rng.choice(("ACTOR", "LOCATION"))
    return (tokens[i].start, tokens[j].end, label)


def _variant(rng: random.Random, keys: list, tokens) -> list:
    """Another annotator: most spans kept, some dropped, moved by a token, relabelled, added."""
    ends = {t.start: t.end for t in tokens}
    out = []
    for start, end, label in keys:
        r = rng.random()
        if r < 0.08:
            continue
        if r < 0.14:
            end = ends.get(end + 1, end)
        elif r < 0.18 and label != "CLAIM":
            label = "LOCATION" if label == "ACTOR" else "ACTOR"
        out.append((start, end, label))
    out += [_random_key(rng, tokens) for _ in range(rng.choice((0, 0, 1)))]
    return out


def build(folder: Path, docs: int, spans: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    per_doc = max(1, spans // (3 * docs))
    paths = [folder / f"{name}.json" for name in "abc"]
    for path in paths:
        for suffix in ("", ".journal", ".lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    stores = [open_store(p, annotator=p.stem, compact_every=10**9) for p in paths]
    try:
        for n in range(docs):
            doc = parse_article(article(rng, n), path=f"bench/{n:05d}.txt")
            tokens = tokenize(doc.text)
            base: list = []
            while len(base) < per_doc:
                key = _random_key(rng, tokens)
                if key not in base:
                    base.append(key)
            for k, store in enumerate(stores):
                store.add_document(doc)
                keys = base if k == 0 else _variant(rng, base, tokens)
                made = [store.add_span(doc.id, *key) for key in dict.fromkeys(keys)]
                claims = [s for s in made if s.label == "CLAIM"]
                actors = [s for s in made if s.label == "ACTOR"]
                for claim, actor in zip(claims, actors, strict=False):
                    store.add_relation(claim.id, actor.id, "SOURCE")
            if n % 1000 == 999:
                print(
                    f"  built {n + 1} documents ({time.perf_counter() - started:.0f}s)", flush=True
                )
    finally:
        for store in stores:
            store.close()
    print(f"built {folder} in {time.perf_counter() - started:.1f}s")
    return paths


def load(paths: list[Path]) -> int:
    """Baseline: open each store read-only and read every span and link."""
    count = 0
    for path in paths:
        with open_store(path, readonly=True) as store:
            for info in store.documents():
                count += len(store.spans(info.id)) + len(store.relations(info.id))
    return count


def run_agree(paths: list[Path]) -> dict:
    """What `annotator agree --json` computes (agree_paths), without printing."""
    return agree_paths(paths)


def timed(func, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench-agree"
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = {"all": (args.dir, args.docs, args.spans)}
    sizes["fifth"] = (args.dir / "fifth", args.docs // 5, args.spans // 5)
    for folder, docs, spans in sizes.values():
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / f"{name}.json" for name in "abc"]
        if args.rebuild or not all(p.exists() for p in paths):
            build(folder, docs, spans)
    paths = [args.dir / f"{name}.json" for name in "abc"]
    records = load(paths)
    figures = run_agree(paths)
    print(
        f"3 databases: {figures['documents_compared']} documents in common, "
        f"{records:,} spans and links read, {figures['tokens']:,} tokens"
    )
    overall = figures["overall"]
    print(
        f"overall: F1 exact {overall['f1_exact']:.3f}, kappa {overall['kappa']:.3f}, "
        f"alpha {overall['alpha']:.3f}, Fleiss {overall['fleiss_kappa']:.3f}"
    )
    for name, (folder, docs, _spans) in sizes.items():
        paths = [folder / f"{n}.json" for n in "abc"]
        base = timed(lambda paths=paths: load(paths), args.repeat)
        took = timed(lambda paths=paths: run_agree(paths), args.repeat)
        print(
            f"{docs} documents ({name}): loading {base:.2f}s, agree {took:.2f}s, "
            f"ratio {took / base:.2f}x (target <= 2x); agree per 1,000 documents "
            f"{took / docs * 1000:.2f}s"
        )


if __name__ == "__main__":
    main()
