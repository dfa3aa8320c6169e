"""Corpus reader benchmark: 10,000 generated articles in a temp folder.

Prints, measured in one run: time to list (load_corpus + entries), time to the first document,
time to preview all, time to load all; the baseline is os.walk plus reading every file's bytes.
Also times TextIndex on a 50,000-word article against str.split() of the same text.

    python benchmarks/bench_corpus.py [N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from annotator.corpus import load_corpus
from annotator.text import TextIndex

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_afbc20cf0ccb7af1.txt"


def generate(root: Path, count: int) -> None:
    seed = SEED.read_text(encoding="utf-8")
    lines = seed.split("\n")
    rng = random.Random(7)
    for i in range(count):
        folder = root / f"batch {i // 500:02d}"
        folder.mkdir(exist_ok=True)
        body = lines[:3] + rng.sample(lines[3:], k=len(lines) - 3)
        body[1] = f"Story {i}: {body[1]}"
        (folder / f"article_{i:05d}.txt").write_text("\n".join(body), encoding="utf-8")


def timed(label: str, func, baseline: float | None = None):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    ratio = f"  ({elapsed / baseline:5.2f}x baseline)" if baseline else ""
    print(f"{label:<44} {elapsed * 1000:9.1f} ms{ratio}")
    return result, elapsed


def baseline_read(root: Path) -> int:
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            with open(os.path.join(folder, name), "rb") as handle:
                total += len(handle.read())
    return total


def baseline_walk(root: Path) -> int:
    return sum(len(files) for _folder, _dirs, files in os.walk(root))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"generating {count} articles in {root} ...")
        generate(root, count)
        print()
        _, walk = timed("baseline: os.walk (names only)", lambda: baseline_walk(root))
        _, read_all = timed("baseline: os.walk + read all bytes", lambda: baseline_read(root))
        corpus, listed = timed("list: load_corpus + entries", lambda: load_corpus(root), walk)
        print(f"{'':<44} {'':>12}  ({listed / read_all:5.2f}x read-all baseline)")
        timed("first document: load(entries[0])", lambda: corpus.load(corpus.entries[0]), walk)
        timed(
            "preview all (title + date, heads only)",
            lambda: [corpus.preview(e) for e in corpus.entries],
            read_all,
        )
        docs, _ = timed("load all (decode, sanitise, parse)", lambda: corpus.documents, read_all)
        print(f"documents: {len(docs)}, skipped: {len(corpus.skipped)}")
    print()
    seed = SEED.read_text(encoding="utf-8")
    big = "\n".join([seed] * 95)
    _, split = timed(f"baseline: str.split() of {len(big.split())} words", big.split)
    index, _ = timed("TextIndex(50,000-word article)", lambda: TextIndex(big), split)
    print(
        f"tokens {len(index.tokens)}, sentences {len(index.sentences)}, "
        f"quotations {len(index.quotations)}"
    )
    start = time.perf_counter()
    for offset in range(0, len(big), 7):
        index.token_at(offset)
        index.sentence_at(offset)
    lookups = len(range(0, len(big), 7)) * 2
    per = (time.perf_counter() - start) / lookups * 1e6
    print(f"lookups (token_at + sentence_at): {per:.2f} µs each over {lookups} calls")


if __name__ == "__main__":
    main()
