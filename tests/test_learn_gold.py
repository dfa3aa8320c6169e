"""The gold sets are data read by the project's own parser, and every offset slices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.learn.gold import GoldError, read_gold

SETS = Path(__file__).resolve().parents[1] / "benchmarks" / "gold" / "sets"


def test_every_gold_set_reads_and_slices():
    articles = read_gold(SETS)
    assert len(articles) >= 137
    names = [a.name for a in articles]
    assert len(set(names)) == len(names)
    for a in articles:
        assert a.provenance in {"real", "written"}, a.name
        assert a.spans, a.name
        for start, end, label in a.spans:
            assert 0 <= start < end <= len(a.doc.text)
            assert label in {"ACTOR", "LOCATION", "CLAIM"}
        if a.provenance == "real" and a.name != "000_afbc20cf0ccb7af1":
            assert a.meta.get("url") and a.meta.get("licence"), a.name


def test_a_span_whose_text_does_not_match_is_refused(tmp_path):
    line = {
        "text": "Ms Rivera said so.\n",
        "spans": [{"start": 0, "end": 9, "label": "ACTOR", "text": "Ms Rivers"}],
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad\.jsonl:1: .*Ms Rivers"):
        read_gold(path)


def test_a_text_the_reader_would_change_is_refused(tmp_path):
    path = tmp_path / "crlf.jsonl"
    path.write_text(json.dumps({"text": "A\r\nB\n", "spans": []}) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="offsets would move"):
        read_gold(path)
