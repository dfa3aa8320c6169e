"""`annotator serve` without a browser: names, the session command, and bad input."""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_afbc20cf0ccb7af1.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "my articles"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(*args: str):
    return CliRunner().invoke(cli, ["serve", *args])


def _one_error_line(result, needle: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), result.output
    assert needle in lines[0]


@pytest.mark.parametrize("name", ["alice", "Bob_2", "a.b-c", "x" * 40, "7"])
def test_safe_names(name):
    from annotator.tui.serving import valid_name

    assert valid_name(name)


@pytest.mark.parametrize(
    "name", ["", "../x", "a/b", "a\\b", ".hidden", "-rf", "a..b", "x" * 41, "é", "a b", "a;b"]
)
def test_names_that_are_not_a_plain_file_name_are_refused(name):
    from annotator.tui.serving import valid_name

    assert not valid_name(name)


def test_each_session_command_is_quoted_and_points_at_its_own_database(tmp_path):
    from annotator.tui.serving import SessionPlan

    plan = SessionPlan(corpus=str(tmp_path / "my articles"), db_dir=str(tmp_path / "team $x"))
    words = shlex.split(plan.command("alice"))
    assert words[:4] == [sys.executable, "-m", "annotator", "serve-session"]
    assert words[4] == str(tmp_path / "my articles")
    assert words[5:] == ["--db", str(tmp_path / "team $x" / "alice.json"), "--annotator", "alice"]
    with pytest.raises(AssertionError):
        plan.command("../alice")


def test_db_and_db_dir_together_is_a_usage_error(corpus, tmp_path):
    result = _serve(str(corpus), "--db", str(tmp_path / "a.json"), "--db-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "not both" in result.output


def test_another_host_needs_public(corpus, tmp_path):
    result = _serve(str(corpus), "--host", "0.0.0.0", "--db-dir", str(tmp_path / "team"))
    _one_error_line(result, "--host 0.0.0.0 is not loopback: add --public")


def test_a_port_in_use_is_one_line(corpus, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _serve(str(corpus), "--port", str(port), "--db-dir", str(tmp_path / "team"))
    _one_error_line(result, f"port {port} on 127.0.0.1 is in use")


def test_a_db_folder_that_cannot_be_written_is_one_line(corpus, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    result = _serve(str(corpus), "--db-dir", str(blocker / "team"), "--port", str(_free_port()))
    _one_error_line(result, "cannot write there")


def test_no_articles_is_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _serve(str(empty), "--db-dir", str(tmp_path / "team"))
    _one_error_line(result, "no articles")


def test_without_textual_serve_the_command_says_how_to_install_it(corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "annotator.tui.serving", None)
    result = _serve(str(corpus), "--db-dir", str(tmp_path / "team"))
    _one_error_line(result, "pip install 'annotator[serve]'")


def test_a_session_on_a_locked_database_shows_the_lock_message(corpus, tmp_path, monkeypatch):
    from annotator.tui.message_app import MessageApp

    shown: list[str] = []
    monkeypatch.setattr(MessageApp, "run", lambda self: shown.append(self.message))
    db = tmp_path / "alice.json"
    with open_store(db, annotator="alice"):
        result = CliRunner().invoke(
            cli, ["serve-session", str(corpus), "--db", str(db), "--annotator", "alice"]
        )
    assert result.exit_code == 1
    assert len(shown) == 1 and "in use by" in shown[0]
    assert result.output.strip().splitlines() == [f"annotator: error: {shown[0]}"]


def test_a_session_refuses_a_bad_name(corpus, tmp_path, monkeypatch):
    from annotator.tui.message_app import MessageApp

    shown: list[str] = []
    monkeypatch.setattr(MessageApp, "run", lambda self: shown.append(self.message))
    result = CliRunner().invoke(
        cli, ["serve-session", str(corpus), "--db", str(tmp_path / "x.json"), "--annotator", "../x"]
    )
    assert result.exit_code == 1 and "not a usable name" in shown[0]
    assert not (tmp_path / "x.json").exists()


def test_public_prints_the_warning(corpus, tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "annotator",
            "serve",
            str(corpus),
            "--host",
            "0.0.0.0",
            "--public",
            "--port",
            str(port),
            "--db-dir",
            str(tmp_path / "team"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        deadline = time.time() + 30
        while time.time() < deadline and not any("annotator: warning" in line for line in lines):
            lines.append(process.stderr.readline())
    finally:
        process.terminate()
        process.wait(timeout=20)
    warning = next(line for line in lines if "annotator: warning" in line)
    assert "anyone who reaches port" in warning and "can read the articles and annotate" in warning
