"""The span model: it learns from gold articles, survives a damaged model folder, trains in the
background in another process."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from annotator.learn import engine, storage
from annotator.learn.background import BackgroundTrainer, Finished
from annotator.learn.evaluate import score
from annotator.learn.features import token_features
from annotator.learn.gold import GoldArticle, read_gold
from annotator.learn.model import Example, SpanModel, prepare
from annotator.learn.training import train_database
from annotator.store import open_store
from annotator.suggest import combine
from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

SETS = Path(__file__).resolve().parents[1] / "benchmarks" / "gold" / "sets"
LABELS = ("ACTOR", "LOCATION", "CLAIM")


@pytest.fixture(scope="module")
def gold() -> list[GoldArticle]:
    return read_gold(SETS)


def finished_store(db: Path, articles: list[GoldArticle]) -> None:
    """A database whose articles are all done, with the gold spans made by hand."""
    with open_store(db, annotator="tester") as store:
        for a in articles:
            store.add_document(a.doc)
            store.add_spans(a.doc, sorted(a.spans), origin="manual")
            store.set_status(a.doc.id, "done")


def test_trained_on_fifty_gold_articles_it_beats_the_rules_on_unseen_ones(gold):
    """The learning curve's point at 50 (benchmarks/learning_curve.py): sets 4-13 train,
    sets 25-28 (never trained on, never tuned on by the rules) test; F1 above the rules'
    for every label."""
    train = [a for a in gold if a.set in {str(n) for n in range(4, 14)}]
    test = [a for a in gold if a.set in {"25", "26", "27", "28"}]
    assert len(train) == 50 and len(test) == 20
    model = SpanModel.train([Example(a.doc, a.spans) for a in train], LABELS)
    prepared = [prepare(a.doc, stacked=True) for a in test]
    both = score([({s.key for s in model.suggest_prepared(p)}, a.spans)
                  for a, p in zip(test, prepared, strict=True)], LABELS)  # fmt: skip
    rules = score([({s.key for s in combine(p.doc, p.words, p.rules or [])}, a.spans)
                   for a, p in zip(test, prepared, strict=True)], LABELS)  # fmt: skip
    for label in LABELS:
        assert both.exact[label].f1 > rules.exact[label].f1, label


def test_a_corrupt_model_file_is_reported_then_rebuilt(tmp_path, gold):
    db = tmp_path / "annotations.json"
    finished_store(db, [a for a in gold if a.set == "4"])
    first = train_database(db)
    assert first.status == "trained" and first.info is not None and first.info.version == 1
    folder = storage.current_folder(db)
    assert folder is not None
    layer = next(folder.glob("layer*.crfsuite"))
    layer.write_bytes(b"not a model" + layer.read_bytes()[:50])
    loaded = storage.load(db)
    assert loaded.model is None and loaded.problem.startswith("broken")
    doc = gold[0].doc
    # the engine answers with the rules, never raises
    assert engine.suggest(doc, TextIndex(doc.text), store=type("S", (), {"path": db})())
    again = train_database(db)  # nothing changed in the store, yet the model is rebuilt
    assert again.status == "trained" and again.info is not None and again.info.version == 2
    assert storage.load(db).model is not None


def test_the_background_trainer_trains_in_another_process_and_reports(tmp_path, gold):
    db = tmp_path / "annotations.json"
    finished_store(db, [a for a in gold if a.set == "5"])
    results: list[Finished] = []
    finished = threading.Event()

    def on_finished(result: Finished) -> None:
        results.append(result)
        finished.set()

    trainer = BackgroundTrainer(db, on_finished, every=2)
    try:
        assert not trainer.article_done()  # one of two
        assert trainer.article_done()  # the second starts a training
        assert trainer.running
        assert finished.wait(120)
    finally:
        trainer.close()
    [result] = results
    assert result.error is None, result.error
    assert result.message.startswith("model v1 in use: F1 ")
    assert storage.load(db).model is not None


def test_a_training_that_fails_is_one_readable_line(tmp_path):
    results: list[Finished] = []
    finished = threading.Event()
    trainer = BackgroundTrainer(
        tmp_path / "missing" / "x.json", lambda r: (results.append(r), finished.set())
    )
    try:
        trainer.start()
        assert finished.wait(120)
    finally:
        trainer.close()
    [result] = results
    assert result.message.startswith(("training failed: ", "model not trained: "))
    assert "\n" not in result.message


def test_a_model_saved_in_another_format_is_stale_and_retrained(tmp_path, gold):
    db = tmp_path / "annotations.json"
    finished_store(db, [a for a in gold if a.set == "6"])
    assert train_database(db).status == "trained"
    folder = storage.current_folder(db)
    assert folder is not None
    manifest_path = folder / storage.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["format"] = storage.FORMAT_VERSION - 1  # what an older annotator wrote
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    loaded = storage.load(db)
    assert loaded.model is None
    assert loaded.problem == (
        f"stale: model format {storage.FORMAT_VERSION - 1}, this annotator writes "
        f"{storage.FORMAT_VERSION}"
    )
    doc = gold[0].doc  # meanwhile the rules answer
    rules_only = engine.suggest(doc, TextIndex(doc.text), store=type("S", (), {"path": db})())
    assert rules_only
    again = train_database(db)  # the same finished articles, retrained: the model was stale
    assert again.status == "trained" and again.info is not None and again.info.version == 2
    assert storage.load(db).model is not None


def test_one_conversion_of_the_features_serves_every_layer_and_training(gold):
    """The item sequences are built once per prepared article and give the same tags as the
    feature lists they come from."""
    train = [a for a in gold if a.set == "7"]
    prepared = [prepare(a.doc, stacked=True) for a in train]
    model = SpanModel.train([Example(a.doc, a.spans) for a in train], LABELS, prepared=prepared)
    p = prepared[0]
    assert p.sequences() is p.sequences()
    assert len(model.layers) == 2
    for layer in model.layers:
        for line, seq in zip(p.lines, p.sequences(), strict=True):
            from_lists = layer.tagger.tag(p.features[line.first : line.last + 1])
            assert layer.tagger.tag(seq) == from_lists


def test_token_features_see_words_shapes_and_rule_votes_around_within_the_line():
    text = "Residents of Gotland said the ferry stopped.\nNext line."
    index = TextIndex(text)
    words = Words(text, index)
    gotland = [Suggestion(13, 20, "LOCATION", "gazetteer", 0.9)]
    feats = token_features(index, words, gotland)
    assert sorted(feats[2]) == sorted(
        ["bias", "w=gotland", "sh=Xxxx", "p3=got", "s3=and", "s2=nd", "cap",
         "-1w=of", "-1sh=xx", "-2w=residents", "+1w=said", "+1sh=xxx", "+2w=the",
         "+3w=ferry", "bi-=of|gotland", "bi+=gotland|said", "next_low=said", "prev_low=of",
         "r=LOCATION:B", "doc_r=LOCATION"]
    )  # fmt: skip
    said = set(feats[3])
    assert {"-1r=LOCATION:B", "-3w=residents", "bi-=gotland|said"} <= said
    assert not any(f.startswith("r=") for f in said)  # no vote on "said" itself
    first_of_line_two = set(feats[8])  # "Next": the line before is not its context
    assert {"line_start", "-1edge", "-2edge", "first"} <= first_of_line_two
    assert not any(f.startswith(("-1w=", "-3w=", "bi-=")) for f in first_of_line_two)
    assert {"+2edge", "+1w=."} <= set(feats[9])  # "line", before the last "."
    no_rules = set(token_features(index, words)[2])
    assert no_rules == set(feats[2]) - {"r=LOCATION:B", "doc_r=LOCATION"}
    # two engines with the same vote: it counts twice
    both = [*gotland, Suggestion(13, 20, "LOCATION", "patterns", 0.8)]
    assert token_features(index, words, both)[2].count("r=LOCATION:B") == 2
