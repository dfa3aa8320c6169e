"""The real-news stand-off file: its invariants, and, where the texts are here, their hashes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

STANDOFF = Path(__file__).resolve().parents[1] / "benchmarks" / "gold" / "real" / "wikinews.jsonl"
TEXTS = Path(os.environ.get("ANNOTATOR_REALNEWS_TEXTS", "/work/realnews-texts"))
FIELDS = {"name", "url", "title", "licence", "sha256", "chars", "truncated", "spans"}
LABELS = {"ACTOR", "LOCATION", "CLAIM"}


def entries() -> list[dict]:
    lines = STANDOFF.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_every_line_has_the_fields_and_no_text():
    seen = set()
    for e in entries():
        assert set(e) == FIELDS, e.get("name")
        assert e["name"] not in seen
        seen.add(e["name"])
        assert e["url"].startswith(("https://en.wikinews.org/", "https://en.m.wikinews.org/"))
        assert e["licence"] == "CC BY 2.5"
        assert len(e["sha256"]) == 64 and int(e["sha256"], 16) >= 0
        assert isinstance(e["chars"], int) and e["chars"] > 0
        assert isinstance(e["truncated"], bool)
        for s in e["spans"]:
            assert set(s) == {"start", "end", "label"}, e["name"]  # no span text
    assert len(seen) >= 12


def test_spans_are_known_labels_within_the_text_sorted_and_unique():
    for e in entries():
        keys = [(s["start"], s["end"], s["label"]) for s in e["spans"]]
        assert keys, e["name"]
        for start, end, label in keys:
            assert label in LABELS, e["name"]
            assert isinstance(start, int) and isinstance(end, int)
            assert 0 <= start < end <= e["chars"], (e["name"], start, end)
        assert keys == sorted(keys, key=lambda k: (k[0], -k[1], k[2])), e["name"]
        assert len(set(keys)) == len(keys), e["name"]


def test_the_texts_match_their_hashes_where_they_are_here():
    if not TEXTS.is_dir():
        pytest.skip(f"no texts folder {TEXTS} (set ANNOTATOR_REALNEWS_TEXTS)")
    found = 0
    for e in entries():
        path = TEXTS / f"{e['name']}.txt"
        if not path.is_file():
            continue
        found += 1
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], e["name"]
        text = data.decode("utf-8")
        assert len(text) == e["chars"] and "\r" not in text, e["name"]
        for s in e["spans"]:
            piece = text[s["start"] : s["end"]]
            assert piece == piece.strip() and piece, (e["name"], piece)
    if not found:
        pytest.skip(f"none of the texts is in {TEXTS}")
