"""``annotator agree`` and ``annotator merge`` on real databases, and their bad input.

The held-out check builds three annotators' versions of the seed article from its shipped
annotations (spans dropped, boundaries moved, labels changed, each by its own rule), imports
each with ``annotator import`` and compares what ``agree --json`` and ``merge --min-agree 2``
report with figures computed here, independently, from the exported tokens (scikit-learn and
krippendorff for kappa and alpha, sets for F1 and the merge).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator import open_store

ROOT = Path(__file__).resolve().parent.parent
SEED_DB = ROOT / "annotations.json"
LABELS = ("CLAIM", "ACTOR", "LOCATION")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"},
    )


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a hash of its bytes: to see that nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------- three versions of the seed


@pytest.fixture(scope="module")
def seed_task(tmp_path_factory) -> dict:
    """The seed article as the spaCy export writes it (text, tokens, spans, relations)."""
    folder = tmp_path_factory.mktemp("seed")
    db = folder / "seed.json"
    db.write_bytes(SEED_DB.read_bytes())
    out = folder / "seed.jsonl"
    result = run("export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    task = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    # the units of agreement are the words: the export's tokens but its whitespace tokens
    # (the seed's spans lie on our tokens, so the export cut none of them)
    task["tokens"] = [t for t in task["tokens"] if not t["text"].isspace()]
    return task


def _word_edge(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its last word (or the same span if it has one word)."""
    cut = text.rfind(" ", start, end)
    return (start, cut) if cut > start else (start, end)


def versions(task: dict) -> dict[str, list[tuple[int, int, str]]]:
    """Three annotators: alice as shipped; bob drops every 5th span and relabels every 6th
    ACTOR as LOCATION; carol shortens every 4th span by its last word and drops every 9th."""
    text = task["text"]
    spans = [(s["start"], s["end"], s["label"]) for s in task["spans"]]
    bob, carol = [], []
    actors = 0
    for i, (start, end, label) in enumerate(spans):
        if i % 5 != 4:
            if label == "ACTOR":
                actors += 1
                if actors % 6 == 0:
                    label = "LOCATION" if (start, end, "LOCATION") not in spans else label
            bob.append((start, end, label))
        if i % 9 != 8:
            s, e = _word_edge(text, start, end) if i % 4 == 3 else (start, end)
            carol.append((s, e, spans[i][2]))
    return {"alice": spans, "bob": sorted(set(bob)), "carol": sorted(set(carol))}


def _write_task(path: Path, task: dict, spans: list[tuple[int, int, str]], links: list) -> None:
    record = {
        "text": task["text"],
        "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
        "meta": {"doc_id": task["meta"]["doc_id"]},
    }
    if links:
        record["relations"] = links
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def _links_kept(task: dict, spans: list[tuple[int, int, str]]) -> list[dict]:
    kept = set(spans)
    out = []
    for rel in task.get("relations", []):
        h, c = rel["head_span"], rel["child_span"]
        if (h["start"], h["end"], h["label"]) in kept and (
            c["start"],
            c["end"],
            c["label"],
        ) in kept:
            out.append(rel)
    return out


@pytest.fixture(scope="module")
def team(tmp_path_factory, seed_task):
    """alice.json, bob.json, carol.json made with `annotator import` from spaCy JSONL."""
    folder = tmp_path_factory.mktemp("team")
    made = versions(seed_task)
    for name, spans in made.items():
        source = folder / f"{name}.jsonl"
        links = _links_kept(seed_task, spans) if name != "carol" else []
        _write_task(source, seed_task, spans, links)
        result = run(
            "import", str(source), "--db", str(folder / f"{name}.json"), "--annotator", name
        )
        assert result.returncode == 0, result.stderr
    return folder, made


def _units(task: dict, spans: list[tuple[int, int, str]], label: str) -> list[int]:
    values = []
    for token in task["tokens"]:
        values.append(
            int(any(s < token["end"] and token["start"] < e for s, e, lab in spans if lab == label))
        )
    return values


def _f1(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b))


def test_agree_json_matches_reference_figures(team, seed_task):
    folder, made = team
    result = run("agree", str(folder / "alice.json"), str(folder / "bob.json"), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["annotators"] == ["alice", "bob"]
    assert figures["documents_compared"] == 1
    assert figures["tokens"] == len(seed_task["tokens"])
    a, b = made["alice"], made["bob"]
    for label in LABELS:
        ka = {x for x in a if x[2] == label}
        kb = {x for x in b if x[2] == label}
        got = figures["labels"][label]
        assert got["f1_exact"] == pytest.approx(_f1(ka, kb), abs=5e-4)
        x, y = _units(seed_task, a, label), _units(seed_task, b, label)
        assert round(got["kappa"], 3) == round(cohen_kappa_score(x, y), 3)
        ref = krippendorff.alpha(reliability_data=np.array([x, y]), level_of_measurement="nominal")
        assert round(got["alpha"], 3) == round(ref, 3)
        assert got["spans"] == {"alice": len(ka), "bob": len(kb)}
    # overall: every (token, label) unit
    x = [v for label in LABELS for v in _units(seed_task, a, label)]
    y = [v for label in LABELS for v in _units(seed_task, b, label)]
    assert round(figures["overall"]["kappa"], 3) == round(cohen_kappa_score(x, y), 3)
    # links whose ends both match: bob kept the links between the spans he kept
    alice_links = {_link_key(r) for r in _links_kept(seed_task, a)}
    bob_links = {_link_key(r) for r in _links_kept(seed_task, b)}
    source = figures["relations"]["SOURCE"]
    assert source["links"] == {"alice": len(alice_links), "bob": len(bob_links)}
    assert source["f1_exact"] == pytest.approx(_f1(alice_links, bob_links))
    assert figures["documents"][0]["disagreements"] == len(set(a) ^ set(b))


def _link_key(rel: dict) -> tuple:
    h, c = rel["head_span"], rel["child_span"]
    return ((h["start"], h["end"], h["label"]), (c["start"], c["end"], c["label"]), rel["label"])


def test_agree_of_three_reports_pairs_and_fleiss(team, seed_task):
    folder, made = team
    dbs = [str(folder / f"{n}.json") for n in ("alice", "bob", "carol")]
    figures = json.loads(run("agree", *dbs, "--json").stdout)
    assert [(p["a"], p["b"]) for p in figures["pairs"]] == [
        ("alice", "bob"),
        ("alice", "carol"),
        ("bob", "carol"),
    ]
    rows = [_units(seed_task, made[n], "ACTOR") for n in ("alice", "bob", "carol")]
    ref = krippendorff.alpha(reliability_data=np.array(rows), level_of_measurement="nominal")
    assert round(figures["labels"]["ACTOR"]["alpha"], 3) == round(ref, 3)
    kappas = [cohen_kappa_score(rows[i], rows[j]) for i, j in ((0, 1), (0, 2), (1, 2))]
    assert figures["labels"]["ACTOR"]["kappa"] == pytest.approx(sum(kappas) / 3, abs=5e-4)
    assert figures["labels"]["ACTOR"]["fleiss_kappa"] is not None


def test_merge_min_agree_two_matches_reference(team, tmp_path):
    folder, made = team
    before = _tree(folder)
    out = tmp_path / "M.json"
    dbs = [str(folder / f"{n}.json") for n in ("alice", "bob", "carol")]
    result = run("merge", *dbs, "--db", str(out), "--min-agree", "2")
    assert result.returncode == 0, result.stderr
    votes: Counter = Counter()
    who: dict = {}
    for name, spans in made.items():
        for key in set(spans):
            votes[key] += 1
            who.setdefault(key, []).append(name)
    expected = {key for key, n in votes.items() if n >= 2}
    with open_store(out, readonly=True) as store:
        (info,) = list(store.documents())
        spans = store.spans(info.id)
        assert {s.key for s in spans} == expected
        for span in spans:
            assert span.origin == "merged"
            assert list(span.annotators) == who[span.key]
            assert info.text[span.start : span.end] == span.text
        # alice and bob have the links; carol none: links between kept spans survive
        assert len(store.relations(info.id)) > 0
    assert _tree(folder) == before  # no input changed


def test_merge_default_keeps_what_all_share(team, tmp_path):
    folder, made = team
    out = tmp_path / "all.json"
    dbs = [str(folder / f"{n}.json") for n in ("alice", "bob", "carol")]
    assert run("merge", *dbs, "--db", str(out)).returncode == 0
    shared = set(made["alice"]) & set(made["bob"]) & set(made["carol"])
    with open_store(out, readonly=True) as store:
        (info,) = list(store.documents())
        assert {s.key for s in store.spans(info.id)} == shared
        assert store.relations(info.id) == []  # carol made no links


def test_agree_table_shows_labels_and_lowest_documents(team):
    folder, _made = team
    result = run("agree", str(folder / "alice.json"), str(folder / "bob.json"))
    assert result.returncode == 0, result.stderr
    for needle in ("CLAIM", "ACTOR", "LOCATION", "overall", "kappa", "alpha", "Lowest agreement"):
        assert needle in result.stdout
    assert "Ukraine cannot take back" in result.stdout  # the seed's title


# ---------------------------------------------------------------------- bad input


def _store_with(path: Path, text: str, spans: list[tuple[int, int, str]], who: str) -> None:
    from annotator.corpus import parse_article

    doc = parse_article(text, path="a.txt")
    with open_store(path, annotator=who) as store:
        store.add_document(doc)
        for s, e, label in spans:
            store.add_span(doc, s, e, label)


def test_bad_input_is_one_line_and_changes_nothing(tmp_path, team):
    folder, _made = team
    alice = str(folder / "alice.json")
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"_meta": {"1": ', encoding="utf-8")
    other = tmp_path / "other.json"
    _store_with(other, "Another story\nMr Smith said so.\n", [(14, 22, "ACTOR")], "dan")
    before = {**_tree(folder), **_tree(tmp_path)}
    cases = [
        (("agree", alice, str(tmp_path / "missing.json")), "no such database"),
        (("agree", alice, str(corrupt)), "corrupt.json"),
        (("agree", alice, str(other)), "no document is in all of"),
        (
            ("agree", alice, str(folder / "bob.json"), "--labels", "CLAIM,PLACE"),
            "unknown label 'PLACE'",
        ),
        (("agree", alice), "at least 2 databases"),
        (("agree", alice, str(folder / "bob.json"), "--only-done"), "no document is marked done"),
        (("merge", alice, str(other), "--db", str(tmp_path / "m.json")), "no document is in"),
        (("merge", alice, str(folder / "bob.json"), "--db", alice), "is one of the inputs"),
        (("merge", alice, str(corrupt), "--db", str(tmp_path / "m.json")), "corrupt.json"),
        (
            (
                "merge",
                alice,
                str(folder / "bob.json"),
                "--db",
                str(tmp_path / "m.json"),
                "--min-agree",
                "3",
            ),
            "--min-agree must be between 1 and 2",
        ),
        (("review", alice, str(folder / "bob.json"), "--db", alice), "is one of the inputs"),
        (("review", alice, str(other), "--db", str(tmp_path / "m.json")), "no document is in"),
        (("review", alice, str(corrupt), "--db", str(tmp_path / "m.json")), "corrupt.json"),
    ]
    for args, needle in cases:
        result = run(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0], (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert {**_tree(folder), **_tree(tmp_path)} == before  # nothing written, nothing changed
    assert not (tmp_path / "m.json").exists()


def test_merge_refuses_a_hard_link_to_an_input(tmp_path, team):
    folder, _made = team
    copy = tmp_path / "alice.json"
    copy.write_bytes((folder / "alice.json").read_bytes())
    bob = tmp_path / "bob.json"
    bob.write_bytes((folder / "bob.json").read_bytes())
    os.link(copy, tmp_path / "same.json")
    result = run("merge", str(copy), str(bob), "--db", str(tmp_path / "same.json"))
    assert result.returncode == 1
    assert "is one of the inputs" in result.stderr


def test_merge_into_a_locked_database_is_refused(tmp_path, team):
    folder, _made = team
    out = tmp_path / "locked.json"
    holder = open_store(out, annotator="someone")
    try:
        result = run(
            "merge", str(folder / "alice.json"), str(folder / "bob.json"), "--db", str(out)
        )
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    finally:
        holder.close()
    with open_store(out, readonly=True) as store:
        assert list(store.documents()) == []


def test_agree_reads_a_database_another_process_is_writing(tmp_path, team):
    """An input held open by the annotator (locked) is read, not refused: agree only reads."""
    folder, _made = team
    live = tmp_path / "live.json"
    live.write_bytes((folder / "bob.json").read_bytes())
    holder = open_store(live, annotator="bob")
    try:
        result = run("agree", str(folder / "alice.json"), str(live), "--json")
        assert result.returncode == 0, result.stderr
    finally:
        holder.close()


def test_kappa_reference_warning_free():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cohen_kappa_score([0, 1, 1], [0, 1, 0]) == pytest.approx(0.4)
