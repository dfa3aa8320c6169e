"""The console entry: the collector's start-up pause, and the click-free path of
``annotator PATH`` (which must take exactly what click would accept as is)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import collector
from annotator.cli import cli
from annotator.cli_core import DEFAULT_DB
from annotator.commands import COMMANDS
from annotator.launch import _CLI_COMMANDS, plain_open

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("Title\n\nThe minister said no.\n", "utf-8")
    return tmp_path / "corpus"


def test_the_plain_forms_of_opening_take_the_fast_path(folder: Path) -> None:
    assert plain_open([str(folder)]) == (str(folder), DEFAULT_DB)
    assert plain_open([str(folder), "--db", "x.json"]) == (str(folder), "x.json")


@pytest.mark.parametrize(
    "args",
    [
        [],  # ./seeds or a usage error: click says which
        ["missing-folder"],  # click: does not exist
        ["export", "corpus"],
        ["corpus", "--no-suggest"],
        ["corpus", "--db"],  # click: needs an argument
        ["corpus", "--db", "--help"],
        ["corpus", "--db", "corpus"],  # a folder: click says a file is needed
        ["corpus", "--annotator", "ann"],
        ["--db", "x.json", "corpus"],
        ["-h"],
        ["--version"],
    ],
)
def test_everything_else_goes_to_click(folder: Path, args: list[str]) -> None:
    assert plain_open(args) is None


def test_a_folder_named_like_a_command_goes_to_click(folder: Path) -> None:
    for name in ("export", "train"):
        (folder.parent / name).mkdir()
        assert plain_open([name]) is None


def test_the_fast_path_knows_every_command_name() -> None:
    assert set(cli.commands) == _CLI_COMMANDS
    assert not _CLI_COMMANDS & set(COMMANDS)


def test_pause_and_resume() -> None:
    assert gc.isenabled()
    collector.resume()  # nothing paused: nothing happens
    assert gc.isenabled() and not collector.paused()
    collector.pause()
    try:
        assert not gc.isenabled() and collector.paused()
    finally:
        collector.resume()
    assert gc.isenabled() and not collector.paused()


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        collector.pause()
        collector.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


READER = """
import gc, json, sys
import annotator.cli_core as core
seen = {}
def run_reader(path, db_path, store, corpus, **options):
    seen.update(click="click" in sys.modules, collecting=gc.isenabled(), db=db_path,
                articles=len(corpus.entries) if corpus is not None else None)
core.run_reader = run_reader
sys.argv = ["annotator", *sys.argv[1:]]
from annotator.launch import main
main()
seen["collecting_after"] = gc.isenabled()
print(json.dumps(seen))
"""


def _launch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC), ANNOTATOR_CACHE_DIR="")
    return subprocess.run(
        [sys.executable, "-c", READER, *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_opening_the_reader_loads_no_click_and_pauses_the_collector(folder: Path) -> None:
    done = _launch(folder.parent, "corpus", "--db", "mine.json")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "click": False,
        "collecting": False,  # the app resumes it after its first frame
        "db": "mine.json",
        "articles": None,  # walked by the app: no cached listing here
        "collecting_after": True,
    }


def test_the_fast_path_gives_the_same_error_lines(folder: Path) -> None:
    (folder.parent / "empty").mkdir()
    done = _launch(folder.parent, "empty")
    assert done.returncode == 1
    assert done.stderr.strip() == "annotator: error: no articles (.txt, .md, .jsonl) found in empty"
    (folder.parent / "broken.json").write_text("{not json", "utf-8")
    done = _launch(folder.parent, "corpus", "--db", "broken.json")
    assert done.returncode == 1
    assert done.stderr.startswith("annotator: error: ") and "\n" not in done.stderr.strip()


def test_a_command_other_than_the_reader_ends_the_pause_when_it_starts(folder: Path) -> None:
    from click.testing import CliRunner

    collector.pause()
    try:
        result = CliRunner().invoke(cli, ["check", "--quiet", str(folder)])
        assert result.exit_code == 0, result.output
        assert gc.isenabled() and not collector.paused()
    finally:
        collector.resume()
