"""Start-up to first frame: ``annotator DIR --db TMP`` on 10,000 and 100,000 articles vs a bare app.

One run generates two folders of small article files in a temp dir (10,000 and 100,000 files,
500 per sub-folder), then starts, in fresh interpreters launched the same way, interleaved:

- a bare Textual app (an ``App`` composing one ``Static``),
- the real CLI (``annotator.cli.main`` with ``sys.argv = ["annotator", DIR, "--db", TMP]``,
  what the console script runs), twice per folder: with the listing cache
  (``annotator.listing_cache``: what every start after the first sees) and without it
  (``ANNOTATOR_CACHE_DIR=""``: the folder walked, as on the first start). The cache is filled
  before the runs (a first start fills it when its background walk ends, after the first frame;
  here every start quits before that). Walked, the first frame comes before the walk: the list
  and the article fill in when it ends.

Each child patches ``App.run`` to run headless at 120x40 with an auto-pilot, and notes two
moments, in seconds since the parent launched it: **first paint** (the first time Textual hands
a rendered screen to the driver, ``App._display``) and **settled** (``pilot.pause()`` after
that: the first frame's follow-up messages handled). Then it exits. Medians over several
repetitions; the ratios are against the bare app measured in the same run.

The app's child pauses the garbage collector before it imports Textual, as the ``annotator``
console script does (:mod:`annotator.launch`: the pause covers Textual's own import too, and
ends after the first frame); the bare app runs as any Textual app does, collector on.

    .venv/bin/python benchmarks/bench_startup.py [--reps N] [--sizes 10000,100000] [--profile] [--instructions]

``--instructions`` counts, instead of timing, the instructions each start executes up to its
first paint (valgrind's callgrind; one run each, as the count barely varies). On this shared
machine that is the measure to go by: two wall-clock runs of the same code differ by 0.3x.

``--profile`` also writes ``startup-<N>.prof`` (cProfile of one app start per size, open it with
``python -m pstats`` or snakeviz) into the current folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from annotator import listing_cache  # noqa: E402
from annotator.corpus import load_corpus  # noqa: E402

TARGETS = {10_000: 1.3, 100_000: 1.5}  # issue 12

_PHRASE = (
    "the government said that officials would meet on the border after talks about the future "
    "of the region and its people while critics warned it was too late for a deal"
)
WORDS = _PHRASE.split()
NAMES = ["Mr Smith", "Anna Kovacs", "Paris", "the Ministry", "Kyiv", "NATO", "Sir John Major"]


def article(seed: int, words: int = 120) -> str:
    rng = random.Random(seed)
    lines = [
        f"Talks on the border, story {seed}",
        f"{rng.randint(1, 28)} March 2025, 10:{seed % 60:02d}",
    ]
    count = 0
    while count < words:
        n = rng.randint(8, 20)
        body = [rng.choice(WORDS) for _ in range(n)]
        body.insert(rng.randint(0, n), rng.choice(NAMES))
        sentence = " ".join(body)
        lines.append(sentence[0].upper() + sentence[1:] + ".")
        count += n + 1
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        sub = folder / f"batch {i // 500:03d}"
        if i % 500 == 0:
            sub.mkdir()
        (sub / f"article_{i:06d}.txt").write_text(article(i), encoding="utf-8")


# Runs in a fresh interpreter: argv = t0, mode ("bare" | "app"), then the CLI's arguments.
CHILD = r"""
import os, sys, time, json
t0 = float(sys.argv[1]); mode = sys.argv[2]; args = sys.argv[3:]
if mode == "app":  # what the console script does first (annotator.launch.main), before Textual
    from annotator import collector
    collector.pause()
import textual.app
marks = {}
_display = textual.app.App._display
def display(self, screen, renderable):
    marks.setdefault("paint", time.time() - t0)
    if os.environ.get("BENCH_EXIT_AT_PAINT"):  # --instructions: count up to the first paint
        os._exit(0)
    return _display(self, screen, renderable)
textual.app.App._display = display
_run = textual.app.App.run
def run(self, *a, **k):
    async def auto(pilot):
        await pilot.pause()
        marks["settled"] = time.time() - t0
        self.exit()
    return _run(self, headless=True, size=(120, 40), auto_pilot=auto)
textual.app.App.run = run
if mode == "bare":
    from textual.app import App
    from textual.widgets import Static
    class Bare(App[None]):
        def compose(self):
            yield Static("bare")
    Bare().run()
else:
    sys.argv = ["annotator", *args]  # what the console script sees, and runs:
    from annotator.launch import main
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
marks.setdefault("settled", marks.get("paint", float("nan")))
print(json.dumps(marks))
"""


def instructions(child: Path, mode: str, args: list[str], env: dict[str, str]) -> int:
    """Instructions executed from launch to the first paint (valgrind's callgrind counts them:
    unlike the wall clock, the count repeats to about 0.1% on a busy machine)."""
    env = dict(env, BENCH_EXIT_AT_PAINT="1", PYTHONHASHSEED="0")  # hash order: same work
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    argv += [sys.executable, str(child), "0", mode, *args]
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(
            f"valgrind {mode} {args} failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    return int(found.group(1))


def report_instructions(counts: dict[str, int]) -> None:
    bare = counts["bare"]
    print("\nstart-up, instructions to the first paint (valgrind callgrind; ratio = / bare app)")
    print(f"{'':<40}{'instructions':>14}{'ratio':>8}{'target':>8}")
    for name, count in counts.items():
        n = int(name.split(", ")[0].replace(",", "")) if name != "bare" else 0
        target = f"{TARGETS[n]:.1f}x" if n in TARGETS else ""
        label = "bare Textual app" if name == "bare" else f"annotator, {name}"
        print(f"{label:<40}{count / 1e6:>12.1f} M{count / bare:>7.2f}x{target:>8}")


def launch(
    child: Path, mode: str, args: list[str], env: dict[str, str], profile: Path | None = None
) -> dict:
    prefix = [sys.executable]
    if profile is not None:
        prefix += ["-m", "cProfile", "-o", str(profile)]
    argv = [*prefix, str(child), repr(time.time()), mode, *args]
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{mode} {args} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions to the first paint with valgrind (slow, but repeatable)",
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench_startup"))
    # as installed: bytecode cached (kept out of the checkout)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    child = tmp / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    try:
        folders = {}
        for n in sizes:
            start = time.perf_counter()
            folders[n] = tmp / f"corpus{n}"
            generate(folders[n], n)
            print(f"generated {n:,} articles in {time.perf_counter() - start:.1f} s")
        time.sleep(listing_cache.RACY_SECONDS)  # a folder changed just now is not cached
        cached = dict(env, ANNOTATOR_CACHE_DIR=str(tmp / "cache"))
        walked = dict(env, ANNOTATOR_CACHE_DIR="")  # no listing cache: every start walks
        # what the first start leaves behind once its background walk ends (the app quits
        # right after its first frame here, before the walk ends): list each folder once
        os.environ["ANNOTATOR_CACHE_DIR"] = cached["ANNOTATOR_CACHE_DIR"]
        for n in sizes:
            load_corpus(folders[n])
        runs: dict[str, tuple[str, list[str], dict[str, str]]] = {"bare": ("bare", [], env)}
        for n in sizes:
            args = [str(folders[n]), "--db", str(tmp / f"db{n}.json")]
            runs[f"{n:,}, listing cached"] = ("app", args, cached)
            runs[f"{n:,}, folder walked"] = ("app", args, walked)
        for mode, args, where in runs.values():
            launch(child, mode, args, where)  # warm-up: bytecode, page cache, cache, db
        if options.instructions:
            if shutil.which("valgrind") is None:
                raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
            counts = {name: instructions(child, *run) for name, run in runs.items()}
            report_instructions(counts)
            return
        results: dict[str, list[dict]] = {name: [] for name in runs}
        for _ in range(options.reps):  # interleaved: a busy machine slows every mode alike
            for name, (mode, args, where) in runs.items():
                results[name].append(launch(child, mode, args, where))
        report(results, options.reps)
        if options.profile:
            for n in sizes:
                out = Path(f"startup-{n}.prof").resolve()
                launch(child, "app", runs[f"{n:,}, listing cached"][1], cached, profile=out)
                print(f"profile of one start on {n:,} articles: {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")


def report(results: dict[str, list[dict]], reps: int) -> None:
    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    print(f"\nstart-up, ms since launch (median of {reps}; ratio = / bare app, same run)")
    print(f"{'':<40}{'first paint':>12}{'ratio':>8}{'settled':>10}{'ratio':>8}{'target':>8}")
    for name in results:
        paint, settled = med(name, "paint"), med(name, "settled")
        ratio_p, ratio_s = paint / med("bare", "paint"), settled / med("bare", "settled")
        n = int(name.split(", ")[0].replace(",", "")) if name != "bare" else 0
        target = f"{TARGETS[n]:.1f}x" if n in TARGETS else ""
        label = "bare Textual app" if name == "bare" else f"annotator, {name}"
        print(f"{label:<40}{paint * 1e3:>12.0f}{ratio_p:>7.2f}x{settled * 1e3:>10.0f}"
              f"{ratio_s:>7.2f}x{target:>8}")  # fmt: skip


if __name__ == "__main__":
    main()
