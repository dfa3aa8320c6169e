"""Suggestion cost at scale (ratios against baselines measured in the same run).

1. ``annotator suggest`` on one generated 50,000-word article vs one 5,000-word article:
   wall time of the real command (a fresh process each, so start-up is included) and of
   ``run_suggestions`` in-process (engines + conflict checks + store), median of rounds.
   Linear is ~10x for 10x the text.
2. Per-key cost (key to screen, through the Pilot) on the 50,000-word article while the
   suggestions on open run (engines in their process, then the write of the result) vs the same
   keys with no suggestions running. Target: within 1.3x.

    .venv/bin/python benchmarks/bench_suggest_scale.py [--rounds N] [--skip-cli] [--skip-keys]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from news_articles import article  # noqa: E402

SIZES = {"5k": 5_000, "50k": 50_000}
KEYS = ["right"] * 12 + ["down"] * 4 + ["shift+right"] * 4 + ["escape"] + ["left"] * 8 + ["up"] * 3


def _folders(tmp: Path) -> dict[str, Path]:
    folders = {}
    for name, words in SIZES.items():
        folder = tmp / f"art_{name}"
        folder.mkdir()
        (folder / "article.txt").write_text(article(words, seed=7), encoding="utf-8")
        folders[name] = folder
    return folders


def _fresh_db(tmp: Path, tag: str) -> Path:
    db = tmp / f"db-{tag}"
    if db.exists():
        shutil.rmtree(db)
    db.mkdir()
    return db / "annotations.json"


def _cli_seconds(folder: Path, db: Path) -> tuple[float, str]:
    exe = Path(sys.executable).with_name("annotator")
    cmd = [str(exe), "suggest", str(folder), "--db", str(db)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def _inprocess_seconds(folder: Path, db: Path) -> float:
    from annotator.corpus import load_corpus
    from annotator.store import open_store
    from annotator.suggest import run_suggestions

    docs = list(load_corpus(folder))
    with open_store(db, annotator="bench") as store:
        start = time.perf_counter()
        run_suggestions(store, docs)
        return time.perf_counter() - start


def scale(tmp: Path, folders: dict[str, Path], rounds: int, cli: bool) -> None:
    print("annotator suggest: one generated article, 5,000 vs 50,000 words (median of rounds)")
    results: dict[str, dict[str, float]] = {"cli": {}, "run_suggestions": {}}
    for name, folder in folders.items():
        if cli:
            times = []
            for r in range(rounds):
                seconds, out = _cli_seconds(folder, _fresh_db(tmp, f"cli-{name}-{r}"))
                times.append(seconds)
            results["cli"][name] = statistics.median(times)
            print(f"  {name}: {out}")
        times = [
            _inprocess_seconds(folder, _fresh_db(tmp, f"in-{name}-{r}")) for r in range(rounds)
        ]
        results["run_suggestions"][name] = statistics.median(times)
    print(f"  {'measure':<18}{'5k s':>8}{'50k s':>8}{'50k/5k':>8}")
    for what, row in results.items():
        if row:
            print(f"  {what:<18}{row['5k']:>8.2f}{row['50k']:>8.2f}{row['50k'] / row['5k']:>8.2f}")


# --------------------------------------------------------------------------- keys


async def _press_timed(pilot, keys: list[str]) -> list[float]:
    times = []
    for key in keys:
        start = time.perf_counter()
        await pilot.press(key)
        times.append(time.perf_counter() - start)
    return times


async def _while_suggesting(folder: Path, db: Path) -> tuple[list[float], int, float]:
    """Keys pressed from the moment the run starts until its spans are in the store."""
    from annotator.tui import AnnotatorApp

    app = AnnotatorApp(folder, db, annotator="bench", suggest_on_open=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app._suggest_gate.set()  # no start delay: the run begins now
        await pilot.pause()
        started = time.perf_counter()
        times: list[float] = []
        while app._suggesting:
            times += await _press_timed(pilot, KEYS)
        took = time.perf_counter() - started
        times += await _press_timed(pilot, KEYS)  # the keys right after the write
        spans = len(app.store.spans(app.doc.id))
        await app.workers.wait_for_complete()
    return times, spans, took


async def _idle(folder: Path, db: Path, count: int) -> list[float]:
    from annotator.tui import AnnotatorApp

    app = AnnotatorApp(folder, db, annotator="bench", suggest_on_open=False)
    keys = (KEYS * (count // len(KEYS) + 1))[:count]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return await _press_timed(pilot, keys)


def _row(name: str, times: list[float]) -> str:
    ms = sorted(t * 1e3 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (
        f"  {name:<12}{len(ms):>6}{statistics.mean(ms):>8.2f}{statistics.median(ms):>8.2f}"
        f"{p95:>8.2f}{ms[-1]:>8.1f}"
    )


async def keys(tmp: Path, folders: dict[str, Path], rounds: int) -> None:
    folder = folders["50k"]
    print("per-key cost on the 50,000-word article (ms, key to screen through the Pilot)")
    ratios_mean, ratios_median = [], []
    for r in range(rounds):
        busy, spans, took = await _while_suggesting(folder, _fresh_db(tmp, f"keys-s-{r}"))
        idle = await _idle(folder, _fresh_db(tmp, f"keys-i-{r}"), len(busy))
        print(f"  round {r + 1}: the run took {took:.2f} s and wrote {spans} spans")
        print(f"  {'':<12}{'keys':>6}{'mean':>8}{'median':>8}{'p95':>8}{'max':>8}")
        print(_row("suggesting", busy))
        print(_row("idle", idle))
        ratios_mean.append(statistics.mean(busy) / statistics.mean(idle))
        ratios_median.append(statistics.median(busy) / statistics.median(idle))
    print(
        f"  suggesting/idle per key: mean {statistics.median(ratios_mean):.2f}x, "
        f"median {statistics.median(ratios_median):.2f}x (target <= 1.3x; median of rounds)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-cli", action="store_true", help="no annotator suggest runs")
    parser.add_argument("--skip-keys", action="store_true", help="no per-key measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folders = _folders(tmp)
        scale(tmp, folders, args.rounds, cli=not args.skip_cli)
        if not args.skip_keys:
            asyncio.run(keys(tmp, folders, args.rounds))


if __name__ == "__main__":
    main()
