"""Fixtures for the TUI tests: a small corpus in tmp_path (seed article, a second article,
a hostile file, a binary file) and a database in tmp_path (never the repo's annotations.json)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_afbc20cf0ccb7af1.txt"

SECOND = """Ministers meet in Paris to discuss the budget
3 March 2025
President Emmanuel Macron said that France would raise defence spending.
"We will do what is needed," he told reporters in Paris.
"""

HOSTILE = (
    "[bold]Hostile[/] title [@click=app.quit]click[/] with [/] markup\n"
    "Body with \x1b[31mANSI red\x1b[0m and \x1b]0;evil title\x07 OSC, [link=http://x]link[/link].\n"
    "Mr [red]Markup[/red] said that the \u202eRTL override\u202c and emoji 😀 render.\n"
)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "001_second.txt").write_text(SECOND, encoding="utf-8")
    (folder / "002_[hostile].txt").write_text(HOSTILE, encoding="utf-8")
    (folder / "003_binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.fixture
def make_app(corpus_dir: Path, db_path: Path):
    from annotator.tui import AnnotatorApp

    def make(**kw):
        kw.setdefault("suggest_on_open", False)  # background suggestions: opt in per test
        return AnnotatorApp(corpus_dir, db_path, annotator="tester", **kw)

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests with asyncio.run (no pytest-asyncio needed)."""
    import asyncio
    import inspect

    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = {name: pyfuncitem.funcargs[name] for name in names}
        asyncio.run(pyfuncitem.obj(**kwargs))
        return True
    return None
