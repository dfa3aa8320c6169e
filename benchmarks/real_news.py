"""The suggesters on real news: Wikinews reports annotated by hand, held out from everything.

The stand-off file (``gold/real/wikinews.jsonl``) has offsets and a sha256 per article but no
text: the texts are third-party (CC BY 2.5) and kept outside the repository, one file per
article named ``<name>.txt`` in ``--texts DIR``. A text whose hash does not match is reported
and skipped. Each article is read the way a gold set is (``read_gold``: the corpus parser, the
same checks), then three suggesters are scored with the project's own ``score``:

- rules: the rule engines alone (what a new database suggests);
- both: the CRF stacked on the rules' votes, trained on every written gold article (sets 1-28),
  as the shipped "model" engine is after a team has finished that many articles;
- model: the CRF on words and shapes only, trained on the same articles.

    .venv/bin/python benchmarks/real_news.py --texts /work/realnews-texts [--standoff FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from learning_curve import GOLD, LABELS, rules_only

from annotator.learn.evaluate import Report, score
from annotator.learn.gold import GoldArticle, GoldError, read_gold
from annotator.learn.model import Example, Settings, SpanModel, prepare

STANDOFF = Path(__file__).resolve().parent / "gold" / "real" / "wikinews.jsonl"
TRAIN_SETS = [str(n) for n in range(1, 29)]  # every written set; 00 is the real seed article


def load(standoff: Path, texts: Path) -> tuple[list[GoldArticle], list[str]]:
    """The articles whose text is in ``texts`` and matches its hash; a line per skipped one."""
    articles: list[GoldArticle] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for line in standoff.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            name = entry["name"]
            path = texts / f"{name}.txt"
            if not path.is_file():
                skipped.append(f"skipped {name}: no {path}")
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry["sha256"]:
                skipped.append(
                    f"skipped {name}: {path} is not the annotated text "
                    f"(sha256 {digest[:12]}…, expected {entry['sha256'][:12]}…)"
                )
                continue
            text = data.decode("utf-8")
            spans = [{**s, "text": text[s["start"] : s["end"]]} for s in entry["spans"]]
            meta = {"name": name, "provenance": "real", "url": entry["url"],
                    "licence": entry["licence"], "source": path.name}  # fmt: skip
            one = Path(tmp) / f"{name}.jsonl"
            one.write_text(json.dumps({"text": text, "spans": spans, "meta": meta}) + "\n")
            try:
                articles.extend(read_gold(one))
            except GoldError as error:
                skipped.append(f"skipped {name}: {error}")
    return articles, skipped


def show(name: str, pairs: list) -> None:
    """The project's own table of ``score(pairs)``, indented under ``name``."""
    report: Report = score(pairs, LABELS)
    print(f"{name}:\n" + "\n".join("  " + row for row in report.table().splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="folder of <name>.txt files")
    parser.add_argument("--standoff", type=Path, default=STANDOFF, help="stand-off JSONL")
    args = parser.parse_args(argv)
    if not args.texts.is_dir():
        parser.error(f"--texts {args.texts}: no such folder (the texts are not in the repository)")
    articles, skipped = load(args.standoff, args.texts)
    for line in skipped:
        print(line)
    total = len(articles) + len(skipped)
    print(f"{len(skipped)} of {total} articles skipped" if skipped else f"all {total} texts match")
    if not articles:
        return 1
    counts = {label: sum(k[2] == label for a in articles for k in a.spans) for label in LABELS}
    words = sum(len(a.doc.text.split()) for a in articles)
    print(f"real news: {len(articles)} Wikinews articles, {words} words, "
          f"{sum(counts.values())} spans (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")  # fmt: skip

    pool = [a for a in read_gold(GOLD) if a.set in TRAIN_SETS]
    print(f"training: {len(pool)} written gold articles (sets 1-28), "
          f"{sum(len(a.spans) for a in pool)} spans; P/R/F1 exact | overlap\n")  # fmt: skip
    show("rules", [(rules_only(a), a.spans) for a in articles])
    examples = [Example(a.doc, a.spans) for a in pool]
    for stacked, name in ((True, "both (model stacked on the rules, shipped)"), (False, "model")):
        settings = Settings(stacked=stacked)
        started = time.perf_counter()
        model = SpanModel.train(
            examples, LABELS, settings, prepared=[prepare(a.doc, stacked=stacked) for a in pool]
        )
        seconds = time.perf_counter() - started
        pairs = [
            ({s.key for s in model.suggest_prepared(prepare(a.doc, stacked=stacked))}, a.spans)
            for a in articles
        ]
        show(f"{name}, trained in {seconds:.0f} s", pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
