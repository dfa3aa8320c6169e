"""Every rule suggestion on every gold article, written to or compared with a JSON file.

A refactor of the rules that must not change what they suggest (the table of evidence
strengths, speed work) is checked with it: ``--write FILE`` before, ``--check FILE`` after;
the check lists the articles whose raw suggestions (engine, label, offsets, score) differ.

    .venv/bin/python benchmarks/rule_snapshot.py --write /tmp/rules.json
    .venv/bin/python benchmarks/rule_snapshot.py --check /tmp/rules.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.learn.gold import read_gold
from annotator.learn.model import rule_suggestions
from annotator.suggest._common import Words
from annotator.text import TextIndex

GOLD = Path(__file__).resolve().parent / "gold" / "sets"


def snapshot() -> dict[str, list[list[object]]]:
    out: dict[str, list[list[object]]] = {}
    for article in read_gold(GOLD):
        index = TextIndex(article.doc.text)
        found = rule_suggestions(article.doc, index, Words(article.doc.text, index))
        out[article.name] = sorted(
            [s.engine, s.label, s.start, s.end, round(s.score, 6)] for s in found
        )
    return out


def main() -> int:
    mode, path = sys.argv[1], Path(sys.argv[2])
    now = snapshot()
    if mode == "--write":
        path.write_text(json.dumps(now))
        print(f"{sum(map(len, now.values()))} suggestions on {len(now)} articles -> {path}")
        return 0
    before = json.loads(path.read_text())
    changed = [name for name in sorted(set(before) | set(now)) if before.get(name) != now.get(name)]
    for name in changed:
        a = {tuple(x) for x in before.get(name, [])}
        b = {tuple(x) for x in now.get(name, [])}
        print(f"{name}: -{sorted(a - b)[:3]} +{sorted(b - a)[:3]}")
    print(f"{len(changed)} of {len(now)} articles differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
