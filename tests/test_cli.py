"""The command line: exit codes, one-line errors, check and stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import load_corpus, open_store
from annotator.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"},
    )


def test_version_and_help() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert "annotator" in result.stdout
    result = run("--help")
    assert result.returncode == 0
    for command in ("check", "stats", "export", "import", "suggest"):
        assert command in result.stdout


def test_usage_error_exits_2() -> None:
    result = run("check")  # missing PATH
    assert result.returncode == 2
    result = run("export", "--format", "nope")
    assert result.returncode == 2


def test_check_lists_found_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline here\n\nSome text of a story.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1 articles, 2 skipped" in result.output
    assert "empty.txt" in result.output
    assert "picture.png" in result.output


def test_check_on_seeds() -> None:
    result = CliRunner().invoke(cli, ["check", str(SEEDS)])
    assert result.exit_code == 0
    assert "Ukraine cannot take back territory" in result.output
    assert "2024-12-18 22:04" in result.output


def test_check_nothing_found_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    assert "0 articles" in result.stdout


def test_stats_table(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    doc = load_corpus(SEEDS).documents[0]
    with open_store(db, annotator="tester") as store:
        start = doc.text.index("Volodymyr Zelenskyy")
        store.add_span(doc, start, start + len("Volodymyr Zelenskyy"), "ACTOR")
        store.set_status(doc.id, "done")
    result = run("stats", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "documents" in result.stdout
    assert "spans ACTOR" in result.stdout
    lines = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in result.stdout.splitlines()
        if line.count("│") >= 3
    }
    assert lines["spans ACTOR"] == "1"
    assert lines["done"] == "1"


def test_corrupt_database_is_one_line_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    db.write_text('{"_meta": {"1": {"schema": 1}', encoding="utf-8")  # truncated
    before = db.read_bytes()
    result = run("stats", "--db", str(db))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before
    result = run(str(SEEDS), "--db", str(db))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_locked_database_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    with open_store(db, annotator="first"):
        result = run("import", str(tmp_path / "missing.jsonl"), "--db", str(db))
        assert result.returncode in (1, 2)
        result = run(str(SEEDS), "--db", str(db))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "pid" in result.stderr


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["spacy", "doccano", "conll", "hf", "claims"])
def test_export_to_stdout(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "db.json"
    doc = load_corpus(SEEDS).documents[0]
    with open_store(db, annotator="tester") as store:
        start = doc.text.index("Crimea")
        store.add_span(doc, start, start + len("Crimea"), "LOCATION")
        claim = "We cannot give up our territories."
        start = doc.text.index(claim)
        store.add_span(doc, start, start + len(claim), "CLAIM")
    result = run("export", "--db", str(db), "--format", fmt, "--labels", "CLAIM,LOCATION")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    if fmt in ("spacy", "doccano", "hf", "claims"):
        for line in result.stdout.splitlines():
            json.loads(line)


def test_a_mistyped_command_is_named_not_opened_as_a_path(tmp_path: Path) -> None:
    result = run("stat", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such command 'stat' (did you mean stats?)" in result.stderr
    result = run(cwd=tmp_path)  # no ./seeds here
    assert result.returncode == 2
    assert "give a file or folder of articles" in result.stderr
    (tmp_path / "stat").mkdir()  # a folder of that name is a path to open, not a typo
    (tmp_path / "stat" / "a.txt").write_text("Title\n\nSome text.\n", encoding="utf-8")
    result = run("check", "stat", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_control_character_in_the_database_reads_once_at(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    db.write_text('{"_meta": {"1": {"schema": "a\x01b"}}}', encoding="utf-8")
    result = run("stats", "--db", str(db))
    assert result.returncode == 1
    assert "Invalid control character at line" in result.stderr
    assert "at at" not in result.stderr


def test_a_file_that_is_not_jsonl_is_one_line(tmp_path: Path) -> None:
    conll = tmp_path / "out.conll"
    conll.write_text("".join(f"word{i}\tO\tO\n" for i in range(500)), encoding="utf-8")
    result = run("import", str(conll), "--db", str(tmp_path / "db.json"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not JSONL (none of its 500 lines is JSON; line 1:" in result.stderr


def test_many_bad_records_are_shown_first_then_counted(tmp_path: Path) -> None:
    from annotator.cli import SHOWN_BAD_LINES

    text = load_corpus(SEEDS).documents[0].text
    good = json.dumps({"text": text, "spans": []})
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(good + "\n" + "not json\n" * 50, encoding="utf-8")
    result = run("import", str(mixed), "--db", str(tmp_path / "db.json"))
    lines = result.stderr.strip().splitlines()
    assert len(lines) == SHOWN_BAD_LINES + 1
    assert lines[-1].endswith(f"… and {50 - SHOWN_BAD_LINES} more bad records")


def test_export_leaves_out_documents_nobody_annotated(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    first, second = load_corpus(SEEDS).documents[0], None
    with open_store(db, annotator="tester") as store:
        start = first.text.index("Crimea")
        store.add_span(first, start, start + len("Crimea"), "LOCATION")
        from annotator.corpus import parse_article

        second = parse_article("Untouched\n\nNobody read this article yet.\n", path="u.txt")
        store.add_document(second)
        store.add_span(second, 0, len("Untouched"), "ACTOR", origin="suggested")
    result = run("export", "--db", str(db), "-f", "spacy")
    assert result.returncode == 0, result.stderr
    assert [json.loads(x)["text"] for x in result.stdout.splitlines()] == [first.text]
    assert "1 untouched document left out (--include-untouched writes them)" in result.stderr
    assert "1 document not marked done" in result.stderr
    result = run("export", "--db", str(db), "-f", "spacy", "--include-untouched")
    assert len(result.stdout.splitlines()) == 2
