"""TUI benchmarks (ratios against baselines measured in the same run; no timed assertions).

1. Keystroke cost (move, extend, tag) through the pilot on a generated 50,000-word article vs a
   1,000-word one (target ratio <= 1.3), and vs a bare Textual app receiving the same keys.
2. Start-up to first frame on a generated folder of 10,000 articles vs a bare Textual app that
   starts and exits (target <= 1.5x), each in a fresh subprocess (imports included).
3. Peak memory (ru_maxrss) of that start-up, and after the background previews finished.

    .venv/bin/python benchmarks/bench_tui.py [--quick] [--startup-only]
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

WORDS = [
    "the",
    "government",
    "said",
    "that",
    "officials",
    "would",
    "meet",
    "on",
    "the",
    "border",
    "after",
    "talks",
    "about",
    "the",
    "future",
    "of",
    "the",
    "region",
    "and",
    "its",
    "people",
    "while",
    "critics",
    "warned",
    "it",
    "was",
    "too",
    "late",
]
NAMES = ["Mr Smith", "Anna Kovacs", "Paris", "the Ministry", "Kyiv", "NATO", "Sir John Major"]


def article(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    lines = [f"Generated article number {seed} about talks", "3 March 2025"]
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            n = rng.randint(8, 20)
            body = [rng.choice(WORDS) for _ in range(n)]
            body.insert(rng.randint(0, n), rng.choice(NAMES))
            sentence = " ".join(body)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            count += n + 1
        lines.append(" ".join(sentences))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- keystrokes

KEYS = {
    "move": ["right"] * 40 + ["down"] * 10 + ["left"] * 20,
    "extend": ["shift+right"] * 20 + ["escape"] + ["shift+down"] * 5 + ["escape"],
    "tag": ["right", "2"] * 20,
}


async def _time_keys(app, keys: list[str], *, warm: int = 1, rounds: int = 3) -> float:
    """Seconds per key (median of rounds) after a warm-up round."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        results = []
        for r in range(warm + rounds):
            start = time.perf_counter()
            for key in keys:
                await pilot.press(key)
            elapsed = (time.perf_counter() - start) / len(keys)
            if r >= warm:
                results.append(elapsed)
        return statistics.median(results)


def bare_app():
    from textual.app import App
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self):
            yield Static("bare")

    return Bare()


async def keystrokes(tmp: Path, quick: bool) -> None:
    from annotator.tui import AnnotatorApp

    sizes = {"1k": 1_000, "50k": 50_000}
    folders = {}
    for name, words in sizes.items():
        folder = tmp / f"art_{name}"
        folder.mkdir()
        (folder / "a.txt").write_text(article(words, seed=words))
        folders[name] = folder
    print("keystroke cost (ms per key, median of 3 rounds after a warm-up, 120x40)")
    print(f"{'keys':<8}{'bare':>8}{'1k':>8}{'50k':>8}{'50k/1k':>8}{'1k/bare':>9}")
    for kind, keys in KEYS.items():
        if quick:
            keys = keys[: len(keys) // 2]
        bare = await _time_keys(bare_app(), keys)
        row = {}
        for name, folder in folders.items():
            db = tmp / f"{name}-{kind}.json"
            row[name] = await _time_keys(AnnotatorApp(folder, db, annotator="bench"), keys)
        print(
            f"{kind:<8}{bare * 1e3:>8.2f}{row['1k'] * 1e3:>8.2f}{row['50k'] * 1e3:>8.2f}"
            f"{row['50k'] / row['1k']:>8.2f}{row['1k'] / bare:>9.2f}"
        )


# --------------------------------------------------------------------------- start-up

STARTUP = r"""
import sys, time
t0 = float(sys.argv[1])
mode = sys.argv[2]
if mode == "bare":
    from textual.app import App
    from textual.widgets import Static
    class Bare(App[None]):
        def compose(self):
            yield Static("bare")
    app = Bare()
else:
    sys.path.insert(0, sys.argv[5])
    from annotator.tui import AnnotatorApp
    app = AnnotatorApp(sys.argv[3], sys.argv[4], annotator="bench")
first = []
async def auto(pilot):
    await pilot.pause()
    first.append(time.time() - t0)
    if mode == "full":
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.exit()
app.run(headless=True, size=(120, 40), auto_pilot=auto)
# VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss over fork/exec
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(f"{first[0]:.4f} {rss}")
"""


def _startup(mode: str, folder: Path, db: Path) -> tuple[float, int]:
    if db.exists():
        db.unlink()
    out = subprocess.run(
        [sys.executable, "-c", STARTUP, repr(time.time()), mode, str(folder), str(db), str(SRC)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def startup(tmp: Path, quick: bool) -> None:
    n = 1_000 if quick else 10_000
    folder = tmp / "corpus"
    folder.mkdir()
    for i in range(n):
        sub = folder / f"d{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}.txt").write_text(article(150, seed=i))
    db = tmp / "startup.json"
    runs = 3
    bare = [_startup("bare", folder, db) for _ in range(runs)]
    app = [_startup("app", folder, db) for _ in range(runs)]
    full = _startup("full", folder, db)
    bare_t = statistics.median(t for t, _ in bare)
    app_t = statistics.median(t for t, _ in app)
    print(
        f"\nstart-up to first frame, {n:,} articles (process start -> first frame, median of {runs})"
    )
    print(
        f"  bare Textual app: {bare_t * 1e3:7.0f} ms   peak RSS {max(r for _, r in bare) / 1024:6.1f} MB"
    )
    print(
        f"  annotator:        {app_t * 1e3:7.0f} ms   peak RSS {max(r for _, r in app) / 1024:6.1f} MB"
    )
    print(f"  ratio: {app_t / bare_t:.2f}x (target <= 1.5)")
    print(f"  after all {n:,} titles previewed in the background: peak RSS {full[1] / 1024:.1f} MB")


def main() -> None:
    quick = "--quick" in sys.argv
    tmp = Path(tempfile.mkdtemp(prefix="bench_tui"))
    try:
        if "--startup-only" not in sys.argv:
            asyncio.run(keystrokes(tmp, quick))
        startup(tmp, quick)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\npython {sys.version.split()[0]}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
