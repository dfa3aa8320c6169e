"""Per label, the model's suggestions or the rules': decided once, when the model is trained.

The model stacked on the rules usually beats them, but not on every label for every user: on
a label where its exact-match F1 on the user's held-back articles is lower than the rules'
alone, the rules serve that label and the model the others. The decision is stored in the
saved model's info (``Info.rules_for``), so suggesting costs one label test per suggestion; a
label without held-back figures (no held-back span of it) keeps the model, as does a model
saved before there was a gate (no ``rules_for``).

The comparison is of what is shipped: the mixed suggestions (the model's for its labels, the
rules' for the others, combined) against the rules alone, label by label, until no label the
model keeps is worse than the rules (mixing can move an overlap the other way).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from annotator.learn.evaluate import Report, score
from annotator.model import Document
from annotator.suggest._common import Words
from annotator.suggest.types import Suggestion

Key = tuple[int, int, str]
Figures = dict[str, list[float]]  # label -> [precision, recall, f1] on the held-back articles


def mix(
    doc: Document,
    words: Words,
    model: Sequence[Suggestion],
    rules: Sequence[Suggestion],
    rules_for: Collection[str],
) -> list[Suggestion]:
    """The model's suggestions, except on the ``rules_for`` labels: there, the rules'.

    ``model``: already combined (as ``SpanModel.suggest`` returns them), returned as they are
    when no label is gated; ``rules``: the rule engines' raw output.
    """
    if not rules_for:
        return list(model)
    from annotator.suggest import combine

    kept = [s for s in model if s.label not in rules_for]
    return combine(doc, words, [*kept, *(s for s in rules if s.label in rules_for)])


def summary(report: Report, labels: Sequence[str]) -> Figures:
    """label -> [precision, recall, f1] (exact match), rounded for the manifest; only the
    labels with held-back gold spans (the others have no figure to decide on)."""
    return {
        label: [round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)]
        for label, s in report.exact.items()
        if label in labels and s.gold
    }


@dataclass(frozen=True)
class HeldBack:
    """One held-back article: the first model's and the rules' suggestions, and the truth."""

    doc: Document
    words: Words
    model: list[Suggestion]  # combined, as the model engine returns them
    rules: list[Suggestion]  # the rule engines' raw output
    gold: frozenset[Key]


def worse(shipped: Figures, rules: Figures, gated: Collection[str]) -> set[str]:
    """The labels the model still serves whose F1 is below the rules' alone."""
    return {
        label
        for label, (_, _, f1) in shipped.items()
        if label not in gated and label in rules and rules[label][2] > f1
    }


@dataclass(frozen=True)
class Decision:
    """What ``decide`` found on the held-back articles (figures: label -> [p, r, f1])."""

    rules_for: list[str]  # the labels the rules serve
    model: Figures  # the model alone (as it was before the gate)
    rules: Figures  # the rules alone
    shipped: Figures  # the model gated: what suggest gives
    lost: dict[str, float]  # gated label -> the model's F1 that was below the rules'


def decide(held: Sequence[HeldBack], labels: Sequence[str]) -> Decision:
    """Gate the labels the model is worse at than the rules, on the held-back articles.

    Compared on the rounded figures that are stored, so the decision can be read off them.
    A label can lose only once another is gated (a rule place now wins an overlap with a
    model ACTOR): its ``lost`` figure is then the mixed one, not the model's alone.
    """
    from annotator.suggest import combine

    rules_pairs = [({s.key for s in combine(h.doc, h.words, h.rules)}, h.gold) for h in held]
    rules = summary(score(rules_pairs, labels), labels)
    model = shipped = _figures(held, labels, set())
    lost: dict[str, float] = {}
    while more := worse(shipped, rules, lost):
        lost.update({label: shipped[label][2] for label in more})
        shipped = _figures(held, labels, set(lost))
    return Decision(sorted(lost), model, rules, shipped, lost)


def _figures(held: Sequence[HeldBack], labels: Sequence[str], gated: set[str]) -> Figures:
    pairs = [({s.key for s in mix(h.doc, h.words, h.model, h.rules, gated)}, h.gold) for h in held]
    return summary(score(pairs, labels), labels)


def phrase(labels: Sequence[str], heldout: Mapping, rules_for: Sequence[str]) -> str:
    """``in use for ACTOR, CLAIM; LOCATION from rules (rules 0.91 vs model 0.77 on your 4
    held-back articles)``: which labels the model serves and why the others come from the
    rules. ``labels``: the model's."""
    gated = list(rules_for)
    served = [label for label in labels if label not in rules_for]
    rules = heldout.get("rules", {})
    model = {label: f1 for label, (_, _, f1) in heldout.get("model", {}).items()}
    model.update(heldout.get("lost", {}))
    named = len(gated) > 1
    reasons = [
        f"{label + ' ' if named else ''}rules {rules[label][2]:.2f} vs model {model[label]:.2f}"
        for label in gated
        if label in rules and label in model
    ]
    why = ", ".join(reasons)
    if why and heldout.get("documents"):
        why += f" on your {held_back(heldout['documents'])}"
    head = f"in use for {', '.join(served)}; " if served else "not used: "
    return f"{head}{', '.join(gated)} from rules" + (f" ({why})" if why else "")


def held_back(n: int) -> str:
    """``4 held-back articles``, ``1 held-back article``."""
    return f"{n} held-back article{'' if n == 1 else 's'}"
