"""The listing cache: a large folder is listed from the cache only while nothing in it changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from annotator import corpus as corpus_module
from annotator import listing_cache
from annotator.corpus import load_corpus


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(folder))
    monkeypatch.setattr(listing_cache, "MIN_ENTRIES", 1)
    monkeypatch.setattr(listing_cache, "RACY_SECONDS", 0.0)
    return folder


def _tree(root: Path) -> Path:
    for name in ("a1.txt", "a10.txt", "a2.md", "sub/b.txt", "notes.pdf", ".hidden.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"Story called {name} here\nBody.\n", encoding="utf-8")
    (root / "lines.jsonl").write_text('{"text": "One story here"}\n\n{"text": "Two"}\n')
    return root


def _listing(root: Path) -> tuple[list, list, dict]:
    corpus = load_corpus(root)
    return list(corpus.entries), list(corpus.walk_skipped), dict(corpus._jsonl_offsets)


def _no_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def walk(*args: object) -> None:
        raise AssertionError("walked although the cache is valid")

    monkeypatch.setattr(corpus_module, "_walk", walk)


def _changed() -> None:
    time.sleep(0.05)  # past the file system's clock tick: the change gets a new timestamp


def test_second_listing_comes_from_the_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "corpus")
    first = _listing(root)
    assert len(list(cache.glob("listing-*.marshal"))) == 1
    _no_walk(monkeypatch)
    again = _listing(root)
    assert again == first
    assert [e.name for e in again[0]] == ["a1.txt", "a2.md", "a10.txt", "lines.jsonl:1",
                                          "lines.jsonl:3", "sub/b.txt"]  # fmt: skip
    doc = load_corpus(root).load(again[0][4])
    assert not isinstance(doc, corpus_module.Skipped) and doc.text == "Two"


@pytest.mark.parametrize("change", ["add", "remove", "rename", "add in sub", "jsonl", "mkdir"])
def test_any_change_to_the_names_lists_again(tmp_path: Path, cache: Path, change: str) -> None:
    root = _tree(tmp_path / "corpus")
    _listing(root)
    _changed()
    if change == "add":
        (root / "a3.txt").write_text("A new story here\n")
    elif change == "remove":
        (root / "a10.txt").unlink()
    elif change == "rename":
        (root / "a2.md").rename(root / "z2.md")
    elif change == "add in sub":
        (root / "sub" / "c.txt").write_text("A new story here\n")
    elif change == "jsonl":
        with open(root / "lines.jsonl", "a") as handle:
            handle.write('{"text": "Three"}\n')
    else:
        (root / "deeper").mkdir()
        (root / "deeper" / "d.txt").write_text("A deeper story here\n")
    fresh = _listing(root)
    os.environ["ANNOTATOR_CACHE_DIR"] = ""  # the truth: a walk without any cache
    assert fresh == _listing(root)


def test_a_folder_changed_just_now_is_not_cached(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing_cache, "RACY_SECONDS", 3600.0)
    _listing(_tree(tmp_path / "corpus"))
    assert not cache.exists() or list(cache.iterdir()) == []


def test_small_folders_and_an_empty_cache_dir_write_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "corpus")
    monkeypatch.setattr(listing_cache, "MIN_ENTRIES", 1000)
    _listing(root)
    assert not cache.exists()
    monkeypatch.setattr(listing_cache, "MIN_ENTRIES", 1)
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", "")
    _listing(root)
    assert not cache.exists()


def test_a_damaged_cache_file_is_ignored(tmp_path: Path, cache: Path) -> None:
    root = _tree(tmp_path / "corpus")
    first = _listing(root)
    for path in cache.glob("listing-*.marshal"):
        path.write_bytes(b"\x00garbage")
    assert _listing(root) == first


def test_relative_paths_from_another_folder_are_not_mixed_up(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path / "one" / "corpus")
    _tree(tmp_path / "two" / "corpus")
    (tmp_path / "two" / "corpus" / "only-two.txt").write_text("Only in two here\n")
    monkeypatch.chdir(tmp_path / "one")
    _listing(Path("corpus"))
    monkeypatch.chdir(tmp_path / "two")
    names = [e.name for e in load_corpus("corpus").entries]
    assert "only-two.txt" in names


def test_cached_entries_are_made_only_when_asked_for(tmp_path: Path, cache: Path) -> None:
    root = _tree(tmp_path / "corpus")
    first = _listing(root)[0]
    corpus = load_corpus(root)
    entries = corpus.entries
    assert isinstance(entries, listing_cache.Packed)
    made: list[tuple] = []
    make = entries.make
    entries.make = lambda item: made.append(item) or make(item)  # type: ignore[method-assign]
    assert list(corpus.names()) == [e.name for e in first]
    assert made == []  # the names come without making the entries
    assert entries[4] == first[4] and entries[-1] == first[-1] and entries[1:3] == first[1:3]
    assert isinstance(entries[3], corpus_module.Entry) and entries[3].line == 1  # a .jsonl line
    assert len(entries) == len(first) and list(entries) == first
    with pytest.raises(IndexError):
        entries[len(first)]


def test_cached_corpus_only_without_a_walk(tmp_path: Path, cache: Path) -> None:
    root = _tree(tmp_path / "corpus")
    assert corpus_module.cached_corpus(root) is None  # never listed: the app walks it
    listed = _listing(root)[0]
    again = corpus_module.cached_corpus(root)
    assert again is not None and list(again.entries) == listed
    single = corpus_module.cached_corpus(root / "a2.md")  # a file needs no walk
    assert single is not None and [e.name for e in single.entries] == ["a2.md"]


def test_has_entries_stops_at_the_first_article(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "deep" / "er").mkdir(parents=True)
    (root / "notes.pdf").write_text("x")
    (root / ".hidden.txt").write_text("A hidden story\n")
    assert not corpus_module.has_entries(root)
    (root / "empty.jsonl").write_text("\n\n")
    assert not corpus_module.has_entries(root)  # a .jsonl file counts by its lines
    (root / "lines.jsonl").write_text('{"text": "One story"}\n')
    assert corpus_module.has_entries(root)
    (root / "lines.jsonl").unlink()
    (root / "deep" / "er" / "A.TXT").write_text("A story\n")
    assert corpus_module.has_entries(root)
