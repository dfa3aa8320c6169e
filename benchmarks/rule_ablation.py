"""Which rules earn their place: the dev-gold F1 per label with and without a rule.

Development gold only: the model is trained as the learning curve trains it at n=50 (the
first 50 articles of sets 03-24, stacked on the rules) and both the rules alone and rules+model
are scored on the dev articles it never trained on (sets 01-02 and the rest of 03-24). Sets
25-28, the held-out test, are never read here. A candidate is a named switch that turns one
rule (or a group of related rules) off by replacing its function with one that finds nothing;
the figures are printed beside the baseline's, with the change in F1 per label.

    .venv/bin/python benchmarks/rule_ablation.py [CANDIDATE[+CANDIDATE...] ...] [--list] [--baseline]

A name joined with "+" switches several off together (a group of removals).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from annotator.learn.evaluate import score
from annotator.learn.gold import read_gold
from annotator.learn.model import Example, Settings, SpanModel, prepare
from annotator.suggest import claims, combine, gazetteer, patterns, place_context
from annotator.suggest._common import Guarded

GOLD = Path(__file__).resolve().parent / "gold" / "sets"
LABELS = ("ACTOR", "LOCATION", "CLAIM")
TRAIN_SETS = [f"{n}" for n in range(3, 25)]  # the learning curve's training pool, in order
DEV_ONLY = ["1", "2"]
TRAIN_N = 50


def _nothing(*_: object, **__: object) -> list:
    return []


NEVER = re.compile(r"(?!)")  # a regex that matches nowhere: the rule it drives finds nothing


# name -> (module, attribute): the attribute is replaced by a function that finds nothing
CANDIDATES: dict[str, list[tuple[object, str]]] = {
    "patterns.owned_bodies": [(patterns, "_owned_bodies")],
    "patterns.place_bodies_acting": [(patterns, "_place_bodies_acting")],
    "patterns.offices_and_national_bodies": [(patterns, "_offices_and_national_bodies")],
    "patterns.named_by_description": [(patterns, "_named_by_description")],
    "patterns.acronyms_defined": [(patterns, "_acronyms_defined")],
    "patterns.repeated_names": [(patterns, "_repeated_names")],
    "gazetteer.repeated_places": [(gazetteer, "_repeated_places")],
    "gazetteer.repeated_long_places": [(gazetteer, "_repeated_long_places")],
    "gazetteer.coordinated_places": [(gazetteer, "_coordinated_places")],
    "gazetteer.towns_in_context": [(gazetteer, "_towns_in_context")],
    "place_context.rivers": [(place_context, "_rivers_in_context")],
    "claims.reported": [(claims, "_reported")],
}
# the rules that are one loop over one regex: switched off by a regex that matches nowhere
for _module, _names in (
    (
        place_context,
        "_COMPOUND_DIRECTION_RE _CONFLUENCE_RE _DEMONYM_BORDER_RE _DEMONYM_PLACE_RE "
        "_DIRECTION_NAME_RE _FACILITY_AT_RE _FACILITY_RE _FEATURE_OF_RE _FEATURE_RE _FROM_TO_RE "
        "_HOUSE_RE _KINDS_OF_PLACES_RE _KIND_OF_PLACE_RE _LINKS_RE _NAMED_PLACE_RE "
        "_NEAR_TWO_WORDS_RE _PART_OF_RE _PLACED_BY_DIRECTION_RE _PLACES_SUCH_AS_RE "
        "_PLACE_APPOSITION_RE _PLACE_IN_PLACE_RE _PLACE_LIST_RE _PREP_UNKNOWN_RE _REGION_RE "
        "_REGION_ONE_RE _REPRESENTS_RE _ROAD_RE _ROUTE_BETWEEN_RE _STATE_ROAD_RE _STREET_RE "
        "_THE_NAME_RE _UPPER_LOWER_RE",
    ),
    (
        patterns,
        "APPOSED_NAME_RE BLOC_RE DEMONYM_RE DESCRIPTION_RE LINKED_RE _BARE_PARLIAMENT_RE "
        "_BARE_POLICE_RE _DEFINED_ACRONYM_RE _FAMILY_RE _FOR_BODY_RE _NAMED_BY_DESCRIPTION_RE "
        "_NAME_THEN_KIND_RE _NATIONAL_BODY_RE _OFFICE_RE _OWNED_BODY_RE _PLACE_BODY_RE "
        "_PLACE_COUNCIL_RE",
    ),
):
    for _name in _names.split():
        CANDIDATES[f"{_module.__name__.rsplit('.', 1)[1]}.{_name}"] = [(_module, _name)]
# the rules removed since (benchmarks/gold/README.md) are no longer candidates
CANDIDATES = {
    name: switches
    for name, switches in CANDIDATES.items()
    if all(hasattr(module, attr) for module, attr in switches)
}


def measure() -> dict[str, dict[str, tuple[float, float, float]]]:
    articles = read_gold(GOLD)
    pool = [a for s in TRAIN_SETS for a in articles if a.set == s]
    train, dev = pool[:TRAIN_N], [a for a in articles if a.set in DEV_ONLY] + pool[TRAIN_N:]
    assert not {a.set for a in train + dev} & {"25", "26", "27", "28"}
    train_prep = [prepare(a.doc, stacked=True) for a in train]
    dev_prep = [prepare(a.doc, stacked=True) for a in dev]
    model = SpanModel.train(
        [Example(a.doc, a.spans) for a in train], LABELS, Settings(), prepared=train_prep
    )
    rules = [
        ({s.key for s in combine(p.doc, p.words, p.rules or [])}, a.spans)
        for a, p in zip(dev, dev_prep, strict=True)
    ]
    both = [
        ({s.key for s in model.suggest_prepared(p)}, a.spans)
        for a, p in zip(dev, dev_prep, strict=True)
    ]
    out = {}
    for name, pairs in (("rules", rules), ("both", both)):
        report = score(pairs, LABELS)
        out[name] = {
            label: (
                report.exact[label].precision,
                report.exact[label].recall,
                report.exact[label].f1,
            )
            for label in LABELS
        }
    return out


def _line(name: str, figures: dict, base: dict | None) -> str:
    cells = []
    for what in ("rules", "both"):
        for label in LABELS:
            f1 = figures[what][label][2]
            delta = f" {f1 - base[what][label][2]:+.3f}" if base else ""
            cells.append(f"{what} {label[:3]} {f1:.3f}{delta}")
    return " | ".join(cells) + f" | {name}"


def run(names: list[str]) -> None:
    t = time.perf_counter()
    base = measure()
    print(_line("baseline", base, None), f"({time.perf_counter() - t:.0f} s)", flush=True)
    for name in names:
        switches = [switch for part in name.split("+") for switch in CANDIDATES[part]]
        saved = [(mod, attr, getattr(mod, attr)) for mod, attr in switches]
        for mod, attr, value in saved:
            setattr(mod, attr, NEVER if isinstance(value, (re.Pattern, Guarded)) else _nothing)
        try:
            label = name if "+" not in name else f"group of {name.count('+') + 1}: {name}"
            print(_line(label, measure(), base), flush=True)
        finally:
            for mod, attr, value in saved:
                setattr(mod, attr, value)


if __name__ == "__main__":
    if "--list" in sys.argv:
        print("\n".join(CANDIDATES))
    elif "--baseline" in sys.argv:
        run([])
    else:
        run([a for a in sys.argv[1:] if not a.startswith("--")] or list(CANDIDATES))
