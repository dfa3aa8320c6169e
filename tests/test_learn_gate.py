"""The per-label gate: on a label where the model was worse than the rules on the held-back
articles, the rules suggest it; a model saved before the gate behaves as it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.learn import engine, gate, storage
from annotator.learn.background import in_use_message
from annotator.learn.data import is_held_back
from annotator.learn.gold import GoldArticle, read_gold
from annotator.learn.model import RULE_ENGINES, Example, SpanModel, rule_suggestions
from annotator.learn.training import Outcome, describe, train_database
from annotator.model import Document
from annotator.store import open_store
from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

SETS = Path(__file__).resolve().parents[1] / "benchmarks" / "gold" / "sets"
LABELS = ("ACTOR", "LOCATION", "CLAIM")


@pytest.fixture(scope="module")
def gold() -> list[GoldArticle]:
    return [a for a in read_gold(SETS) if a.set in {"4", "5"}]


@pytest.fixture(scope="module")
def model(gold) -> SpanModel:
    return SpanModel.train([Example(a.doc, a.spans) for a in gold if a.set == "4"], LABELS)


def at_path(db: Path) -> object:
    """A stand-in store: the engine only needs its path."""
    return type("S", (), {"path": db})()


def keys(found: list[Suggestion], label: str) -> set[tuple[int, int, str]]:
    return {s.key for s in found if s.label == label}


def test_decide_gives_the_rules_the_label_the_model_is_worse_at():
    text = "Alice went to Paris yesterday."
    doc = Document("d1", text)
    words = Words(text, TextIndex(text))
    alice, paris, went = (0, 5, "ACTOR"), (14, 19, "LOCATION"), (6, 10, "LOCATION")
    model = [Suggestion(*alice, "model", 0.9), Suggestion(*went, "model", 0.8)]
    rules = [Suggestion(*paris, "gazetteer", 0.9)]
    held = [gate.HeldBack(doc, words, model, rules, frozenset({alice, paris}))]
    decision = gate.decide(held, LABELS)
    assert decision.rules_for == ["LOCATION"] and decision.lost == {"LOCATION": 0.0}
    assert decision.model == {"ACTOR": [1.0, 1.0, 1.0], "LOCATION": [0.0, 0.0, 0.0]}
    assert decision.rules == {"ACTOR": [0.0, 0.0, 0.0], "LOCATION": [1.0, 1.0, 1.0]}
    assert decision.shipped == {"ACTOR": [1.0, 1.0, 1.0], "LOCATION": [1.0, 1.0, 1.0]}
    mixed = gate.mix(doc, words, model, rules, decision.rules_for)
    assert {s.key: s.engine for s in mixed} == {alice: "model", paris: "gazetteer"}


def test_a_tie_or_no_held_back_span_keeps_the_model():
    text = "Alice went to Paris yesterday."
    doc = Document("d1", text)
    words = Words(text, TextIndex(text))
    alice = (0, 5, "ACTOR")
    model = [Suggestion(*alice, "model", 0.9)]
    rules = [Suggestion(*alice, "patterns", 0.6), Suggestion(14, 19, "LOCATION", "gazetteer")]
    held = [gate.HeldBack(doc, words, model, rules, frozenset({alice}))]
    decision = gate.decide(held, LABELS)
    assert decision.rules_for == []  # ACTOR: equal; LOCATION: no held-back span, no figure
    assert "LOCATION" not in decision.rules


def test_a_label_that_loses_once_another_is_gated_is_gated_too():
    """The model's ACTORs tie with the rules' alone, but a rule place then wins an overlap
    with one of them: what would ship is worse than the rules, so ACTOR goes to them too."""
    text = "Jordan, Bob and Carl said it rains in Paris."
    doc = Document("d1", text)
    words = Words(text, TextIndex(text))

    def at(surface: str, label: str) -> tuple[int, int, str]:
        return (text.index(surface), text.index(surface) + len(surface), label)

    jordan, bob, carl = at("Jordan", "ACTOR"), at("Bob", "ACTOR"), at("Carl", "ACTOR")
    paris = at("Paris", "LOCATION")
    model = [Suggestion(*jordan, "model", 0.5), Suggestion(*bob, "model", 0.5)]
    rules = [
        Suggestion(*bob, "patterns", 0.8),
        Suggestion(*carl, "patterns", 0.8),
        Suggestion(*at("Jordan", "LOCATION"), "gazetteer", 0.9),
        Suggestion(*paris, "gazetteer", 0.9),
    ]
    held = [gate.HeldBack(doc, words, model, rules, frozenset({jordan, bob, carl, paris}))]
    decision = gate.decide(held, LABELS)
    assert decision.model["ACTOR"][2] == decision.rules["ACTOR"][2] == 0.8  # a tie at first
    assert decision.rules_for == ["ACTOR", "LOCATION"]
    assert decision.lost == {"LOCATION": 0.0, "ACTOR": 0.5}
    assert decision.shipped == decision.rules
    heldout = {"documents": 1, "model": decision.model, "rules": decision.rules}
    heldout["lost"] = decision.lost
    assert gate.phrase(["ACTOR", "LOCATION"], heldout, decision.rules_for) == (
        "not used: ACTOR, LOCATION from rules (ACTOR rules 0.80 vs model 0.50, "
        "LOCATION rules 0.67 vs model 0.00 on your 1 held-back article)"
    )


def test_the_gated_label_comes_from_the_rules_the_others_from_the_model(tmp_path, gold, model):
    db = tmp_path / "annotations.json"
    info = storage.Info(documents=5, rules_for=["LOCATION"])
    storage.save(db, model, info)
    doc = next(a.doc for a in gold if a.set == "5")
    index = TextIndex(doc.text)
    words = Words(doc.text, index)
    rules = rule_suggestions(doc, index, words)
    alone = model.suggest(doc, index, words, rules=rules)
    assert keys(alone, "LOCATION") and keys(alone, "ACTOR")  # the model does suggest both
    found = engine.suggest(doc, index, store=at_path(db))
    located = [s for s in found if s.label == "LOCATION"]
    assert located and all(s.engine in RULE_ENGINES for s in located)
    assert keys(found, "LOCATION") <= {s.key for s in rules}
    assert keys(found, "LOCATION") != keys(alone, "LOCATION")
    others = [s for s in found if s.label != "LOCATION"]
    assert others and all(s.engine == "model" for s in others)
    assert keys(found, "ACTOR") <= keys(alone, "ACTOR")
    assert keys(found, "CLAIM") == keys(alone, "CLAIM")  # CLAIMs do not compete with places


def test_a_model_saved_before_the_gate_loads_and_serves_every_label(tmp_path, gold, model):
    db = tmp_path / "annotations.json"
    heldout = {
        "documents": 2,
        "model": {"ACTOR": [0.8, 0.8, 0.8], "LOCATION": [0.7, 0.7, 0.7]},
        "rules": {"ACTOR": [0.6, 0.6, 0.6], "LOCATION": [0.9, 0.9, 0.9]},
    }
    storage.save(db, model, storage.Info(documents=5, heldout=heldout))
    folder = storage.current_folder(db)
    assert folder is not None
    manifest_path = folder / storage.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["rules_for"]  # what an annotator before the gate wrote
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    loaded = storage.load(db)
    assert loaded.model is not None and loaded.info is not None
    assert loaded.info.rules_for == []
    doc = next(a.doc for a in gold if a.set == "5")
    index = TextIndex(doc.text)
    words = Words(doc.text, index)
    expected = model.suggest(doc, index, words, rules=rule_suggestions(doc, index, words))
    assert engine.suggest(doc, index, store=at_path(db)) == expected
    message = in_use_message(Outcome("trained", "", loaded.info))
    assert message == "model v1 in use: F1 0.75 on your 2 held-back articles (rules alone 0.75)"


def _info(rules_for: list[str]) -> storage.Info:
    return storage.Info(
        version=3,
        labels=list(LABELS),
        documents=20,
        seconds=12.0,
        heldout={
            "documents": 4,
            "model": {
                "ACTOR": [0.9, 0.86, 0.88],
                "LOCATION": [0.8, 0.74, 0.77],
                "CLAIM": [0.5, 0.5, 0.5],
            },
            "rules": {
                "ACTOR": [0.8, 0.8, 0.8],
                "LOCATION": [0.9, 0.92, 0.91],
                "CLAIM": [0.6, 0.6, 0.6],
            },
        },
        rules_for=rules_for,
    )


def test_the_messages_say_which_labels_the_rules_serve_and_why():
    one = _info(["LOCATION"])
    assert in_use_message(Outcome("trained", "", one)) == (
        "model v3 in use for ACTOR, CLAIM; LOCATION from rules "
        "(rules 0.91 vs model 0.77 on your 4 held-back articles)"
    )
    assert in_use_message(Outcome("up to date", "", one)).endswith("articles) (up to date)")
    assert describe(one) == (
        "model v3: 20 articles, 12 s; F1 on 4 held-back: ACTOR 0.88 (rules 0.80), "
        "LOCATION 0.77 (rules 0.91), CLAIM 0.50 (rules 0.60); in use for ACTOR, CLAIM; "
        "LOCATION from rules (rules 0.91 vs model 0.77 on your 4 held-back articles)"
    )
    two = _info(["LOCATION", "CLAIM"])
    assert in_use_message(Outcome("trained", "", two)) == (
        "model v3 in use for ACTOR; LOCATION, CLAIM from rules (LOCATION rules 0.91 vs model "
        "0.77, CLAIM rules 0.60 vs model 0.50 on your 4 held-back articles)"
    )
    every = _info(list(LABELS))
    assert in_use_message(Outcome("trained", "", every)).startswith(
        "model v3 not used: ACTOR, LOCATION, CLAIM from rules (ACTOR rules 0.80 vs model 0.88"
    )
    ungated = _info([])
    assert in_use_message(Outcome("trained", "", ungated)) == (
        "model v3 in use: F1 0.72 on your 4 held-back articles (rules alone 0.77)"
    )


def finished_store(db: Path, articles: list[GoldArticle], drop: str) -> None:
    """Every article done; the ``drop`` label left out of the articles trained on (the user
    took it up late), kept in the held-back ones."""
    with open_store(db, annotator="tester") as store:
        for a in articles:
            spans = a.spans if is_held_back(a.doc.id) else {k for k in a.spans if k[2] != drop}
            store.add_document(a.doc)
            store.add_spans(a.doc, sorted(spans), origin="manual")
            store.set_status(a.doc.id, "done")


def test_training_decides_once_and_the_engine_follows(tmp_path, gold):
    """A model that never saw a LOCATION in training loses to the rules on the held-back
    LOCATIONs: the training hands that label to the rules and says so."""
    db = tmp_path / "annotations.json"
    assert any(is_held_back(a.doc.id) for a in gold)
    finished_store(db, gold, "LOCATION")
    result = CliRunner().invoke(cli, ["train", "--db", str(db)])
    assert result.exit_code == 0, result.output
    info = storage.load(db).info
    assert info is not None
    assert "LOCATION" in info.rules_for
    held = info.heldout
    assert held["rules"]["LOCATION"][2] > held["model"]["LOCATION"][2]
    assert set(held["shipped"]) == set(held["model"])
    assert "; LOCATION from rules (rules " in result.output
    assert "; LOCATION from rules (rules " in in_use_message(Outcome("trained", "", info))
    again = train_database(db)  # decided once, when trained
    assert again.status == "up to date" and again.info is not None
    assert again.info.rules_for == info.rules_for
    assert "is up to date; in use for " in again.message
    assert "; LOCATION from rules (rules " in again.message
    doc = gold[0].doc
    found = engine.suggest(doc, TextIndex(doc.text), store=at_path(db))
    located = [s for s in found if s.label == "LOCATION"]
    assert located and all(s.engine in RULE_ENGINES for s in located)


def test_one_held_back_article_is_one_article():
    info = _info(["LOCATION"])
    info.heldout["documents"] = 1
    assert in_use_message(Outcome("trained", "", info)).endswith(
        "(rules 0.91 vs model 0.77 on your 1 held-back article)"
    )
