"""The rule engines' evidence strengths: one named table, loaded from data, and used."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
from pathlib import Path

import pytest

import annotator.suggest
from annotator.learn.model import rule_suggestions
from annotator.model import Document
from annotator.suggest import evidence
from annotator.suggest._common import Words
from annotator.text import TextIndex

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_afbc20cf0ccb7af1.txt"
GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "gold" / "sets"


def rules_on(text: str) -> list:
    index = TextIndex(text)
    return rule_suggestions(Document(id="d", text=text), index, Words(text, index))


def rule_modules() -> list:
    """The suggest modules holding the table as ``S`` (the ones whose scores come from it)."""
    names = [m.name for m in pkgutil.iter_modules(annotator.suggest.__path__)]
    modules = [importlib.import_module(f"annotator.suggest.{name}") for name in names]
    return [m for m in modules if getattr(m, "S", None) is evidence.S]


def test_table_loads_every_strength_with_a_reason() -> None:
    fields = [f.name for f in dataclasses.fields(evidence.Strengths)]
    assert set(evidence.REASONS) == set(fields)
    for name in fields:
        assert 0 < getattr(evidence.S, name) <= 1
        assert evidence.S.why(name)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("title_name\t0.9\t", "want name"),
        ("title_name\t1.5\twhy", "not in"),
        ("no_such_rule\t0.5\twhy", "unknown strength"),
    ],
)
def test_a_bad_table_is_refused(tmp_path: Path, line: str, error: str) -> None:
    rows = [
        row
        for row in evidence.resources.files("annotator")
        .joinpath("data", evidence.TABLE)
        .read_text(encoding="utf-8")
        .splitlines()
        if not row.startswith(line.split("\t")[0] + "\t")
    ]
    (tmp_path / "t.tsv").write_text("\n".join([*rows, line]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        evidence.load(tmp_path / "t.tsv")


def test_a_missing_strength_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text("title_name\t0.9\ta title\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no strength for"):
        evidence.load(tmp_path / "t.tsv")


def test_every_rule_score_comes_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give every strength a value of its own: then every score the rules give on the seed and
    a few gold sets must be one of them (a hard-coded score would show), and changing one
    strength changes the scores of the suggestions it named."""
    fields = [f.name for f in dataclasses.fields(evidence.Strengths)]
    marked = evidence.Strengths(**{n: round(0.3 + k / 1000, 3) for k, n in enumerate(fields)})
    modules = rule_modules()
    assert {m.__name__.rsplit(".", 1)[1] for m in modules} >= {
        "claims",
        "gazetteer",
        "patterns",
        "place_context",
    }
    texts = [SEED.read_text(encoding="utf-8")]
    for path in sorted(GOLD.glob("*.jsonl"))[5:9]:
        texts += [json.loads(line)["text"] for line in path.read_text().splitlines()[:2]]
    for module in modules:
        monkeypatch.setattr(module, "S", marked)
    found = [s for text in texts for s in rules_on(text)]
    values = {getattr(marked, n) for n in fields}
    assert found and {s.score for s in found} <= values
    title = [s for s in found if s.score == marked.title_name]
    assert title  # "Mr Zelenskyy" and the like
    for module in modules:
        monkeypatch.setattr(module, "S", dataclasses.replace(marked, title_name=0.99))
    again = [s for text in texts for s in rules_on(text)]
    assert {s.key for s in again if s.score == 0.99} == {s.key for s in title}


def test_every_strength_is_used_by_a_rule() -> None:
    """A strength whose rule was removed leaves the table with it."""
    folder = Path(annotator.suggest.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))
    unused = [f.name for f in dataclasses.fields(evidence.Strengths) if f"S.{f.name}" not in source]
    assert not unused


def test_a_guard_never_hides_a_match() -> None:
    """Every regex scan skipped by its guard (``Guarded``) finds nothing in that text: on the
    seed and the gold, each guarded pattern's matches are exactly the guarded finditer's."""
    from annotator.suggest import patterns, place_context
    from annotator.suggest._common import Guarded

    guards = [
        v for m in (patterns, place_context) for v in vars(m).values() if isinstance(v, Guarded)
    ]
    assert len(guards) >= 5
    texts = [SEED.read_text(encoding="utf-8")]
    for path in sorted(GOLD.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text().splitlines()]
    texts.append("No needle here: the A38 and a family of the upper Rhine, between parliaments.")
    for guard in guards:
        for text in texts:
            assert [m.span() for m in guard.finditer(text)] == [
                m.span() for m in guard.rx.finditer(text)
            ]
    assert list(guards[0].finditer("nothing")) == []
