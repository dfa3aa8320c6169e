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
            app = AnnotatorApp(folder, db, annotator="bench", suggest_on_open=False)
            row[name] = await _time_keys(app, keys)
        print(
            f"{kind:<8}{bare * 1e3:>8.2f}{row['1k'] * 1e3:>8.2f}{row['50k'] * 1e3:>8.2f}"
            f"{row['50k'] / row['1k']:>8.2f}{row['1k'] / bare:>9.2f}"
        )


# --------------------------------------------------------------------------- start-up

# Runs in a fresh interpreter. Prints one JSON line: wall time from process start to the first
# frame, CPU time of the process by then, peak RSS and the phases (wall seconds).
STARTUP = r"""
import sys, time, json, inspect
t0 = float(sys.argv[1])
mode = sys.argv[2]
marks = {}
def mark(name):
    marks[name] = time.time() - t0
mark("interpreter")
import textual.app, textual.widgets
mark("import textual")
if mode == "bare":
    from textual.app import App
    from textual.widgets import Static
    class Bare(App[None]):
        def compose(self):
            yield Static("bare")
    app = Bare()
    mark("app init")
else:
    sys.path.insert(0, sys.argv[5])
    from annotator.tui import AnnotatorApp
    mark("import annotator")
    from annotator.corpus import load_corpus
    from annotator.store import open_store
    # what the CLI does: corpus and store first (errors before the TUI starts), then the app
    corpus = load_corpus(sys.argv[3])
    mark("list corpus")
    store = open_store(sys.argv[4], annotator="bench")
    mark("open store")
    import gc
    gc.freeze()  # as the CLI's open command does before it makes the app
    options = {}
    if mode == "app-nosuggest" and "suggest_on_open" in inspect.signature(AnnotatorApp).parameters:
        options["suggest_on_open"] = False
    app = AnnotatorApp(sys.argv[3], sys.argv[4], annotator="bench", corpus=corpus, store=store,
                       **options)
    mark("app init")
first = []
async def auto(pilot):
    await pilot.pause()
    first.append(time.time() - t0)
    first.append(time.process_time())
    if mode == "full":
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.exit()
app.run(headless=True, size=(120, 40), auto_pilot=auto)
marks["first frame"] = first[0]
# VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss over fork/exec
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"first": first[0], "cpu": first[1], "rss_kb": rss, "marks": marks}))
"""


def _evict(paths: list[Path]) -> None:
    """Drop these files from the page cache (posix_fadvise): a cold start without root."""
    for base in paths:
        for folder, _dirs, files in os.walk(base):
            for name in files:
                try:
                    fd = os.open(os.path.join(folder, name), os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                except OSError:
                    pass
                finally:
                    os.close(fd)


def _startup(mode: str, folder: Path, db: Path, env: dict[str, str]) -> dict:
    import json

    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    argv = [sys.executable, "-c", STARTUP, repr(time.time()), mode, str(folder), str(db), str(SRC)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


PHASES = ["interpreter", "import textual", "import annotator", "list corpus", "open store",
          "app init", "first frame"]  # fmt: skip


def _phases(runs: list[dict]) -> str:
    out = []
    previous = 0.0
    for phase in PHASES:
        values = [r["marks"][phase] for r in runs if phase in r["marks"]]
        if not values:
            continue
        at = statistics.median(values)
        out.append(f"{phase} {(at - previous) * 1e3:.0f}")
        previous = at
    return " | ".join(out)


def startup(tmp: Path, quick: bool) -> None:
    n = 1_000 if quick else 10_000
    folder = tmp / "corpus"
    folder.mkdir()
    for i in range(n):
        sub = folder / f"d{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}.txt").write_text(article(150, seed=i))
    db = tmp / "startup.json"
    runs = 3 if quick else 5
    # As installed (pip compiles the bytecode): cached bytecode, kept out of the repo.
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    # As this checkout runs with PYTHONDONTWRITEBYTECODE=1: our sources compiled at each start.
    nocache = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    nocache["PYTHONDONTWRITEBYTECODE"] = "1"
    modes = ["bare", "app", "app-nosuggest"]
    for mode in modes:
        _startup(mode, folder, db, cached)  # warm-up: writes the bytecode cache
    results: dict[str, list[dict]] = {mode: [] for mode in modes}
    for _ in range(runs):  # interleaved, so a busy machine slows every mode alike
        for mode in modes:
            results[mode].append(_startup(mode, folder, db, cached))
    uncached = [_startup("app", folder, db, nocache) for _ in range(runs)]
    cold_paths = [folder, SRC, Path(sys.prefix), Path(sys.base_prefix) / "lib", tmp / "pycache"]
    cold: dict[str, list[dict]] = {"bare": [], "app": []}
    for _ in range(max(2, runs // 2)):
        for mode in cold:
            _evict(cold_paths)
            cold[mode].append(_startup(mode, folder, db, cached))
    full = _startup("full", folder, db, cached)

    def med(rs: list[dict], key: str = "first") -> float:
        return statistics.median(r[key] for r in rs)

    bare_t, bare_cpu = med(results["bare"]), med(results["bare"], "cpu")
    print(
        f"\nstart-up to first frame, {n:,} articles (process start -> first frame, "
        f"median of {runs}, bytecode cached as when installed)"
    )
    labels = {
        "bare": "bare Textual app",
        "app": "annotator",
        "app-nosuggest": "annotator, no auto-suggest",
    }
    for mode in modes:
        rs = results[mode]
        t, cpu = med(rs), med(rs, "cpu")
        rss = max(r["rss_kb"] for r in rs) / 1024
        print(
            f"  {labels[mode]:<28}{t * 1e3:7.0f} ms  ratio {t / bare_t:4.2f}x"
            f"   (CPU {cpu * 1e3:5.0f} ms, {cpu / bare_cpu:4.2f}x)   peak RSS {rss:6.1f} MB"
        )
    print("  target: annotator / bare <= 1.5")
    print("  phases, ms (median):")
    for mode in modes:
        print(f"    {labels[mode]:<28}{_phases(results[mode])}")
    t = med(uncached)
    print(
        f"  annotator, sources compiled at every start (PYTHONDONTWRITEBYTECODE=1): "
        f"{t * 1e3:.0f} ms, {t / bare_t:.2f}x"
    )
    cb, ca = med(cold["bare"]), med(cold["app"])
    print(
        f"  cold page cache (corpus, Python and sources evicted): bare {cb * 1e3:.0f} ms, "
        f"annotator {ca * 1e3:.0f} ms, ratio {ca / cb:.2f}x"
    )
    print(
        f"  after all {n:,} titles previewed in the background: "
        f"peak RSS {full['rss_kb'] / 1024:.1f} MB"
    )


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
