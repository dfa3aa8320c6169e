"""The rule engines' evidence strengths: one named table, kept as data.

Every score a rule engine gives is the strength of the evidence that made the suggestion,
looked up here by name (``S.title_name``); the values and one line of why each live in
``annotator/data/evidence.tsv``. Overlapping ACTOR/LOCATION suggestions are resolved by score
(``annotator.suggest.combine``: the higher wins), so what matters is mostly the order of the
strengths: a name after a title beats a guess from its shape alone, which a place named by
its context beats in turn.

The model stacked on the rules does not read the scores (only which engine voted which label
on which tokens), so these values shape the rules-alone suggestions and the rules' own
contests (``one_word_names`` thresholds), not what the model learns.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

TABLE = "evidence.tsv"


@dataclass(frozen=True)
class Strengths:
    """The named strengths; the data file must give each field, and nothing else."""

    # patterns: agents
    title_name: float
    org_head_name: float
    known_body_word: float
    shape_guess: float
    above_shape_guess: float
    name_head_again: float
    partner_of_body: float
    small_town_with_official: float
    apposed_or_acting_name: float
    speaker_or_addressee: float
    description: float
    bloc: float
    family: float
    office: float
    national_body: float
    bare_parliament: float
    place_body_acting: float
    apposed_body_name: float
    named_by_kind: float
    owned_body: float
    acronym_defined: float
    repeated_actor_from: float
    repeated_actor: float
    # gazetteer: places (and states that act) from the lexicon
    lexicon_major_place: float
    lexicon_minor_place: float
    town_in_context: float
    coordinated_known_place: float
    coordinated_place: float
    repeated_place_from: float
    repeated_place: float
    feature_by_first_word: float
    repeated_long_place: float
    quotation: float
    reported_clause: float
    according_to: float
    trailing_attribution: float
    according_to_after: float
    # place_context: places recognised by their context, not the lexicon
    region_words: float
    one_region: float
    facility_or_of_name: float
    named_place: float
    building: float
    part_of: float
    list_with_known_place: float
    list_item: float
    upper_lower: float
    demonym_border: float
    placed_by_direction: float
    represents: float
    kinds_of_places: float
    after_preposition: float
    from_to: float
    facility_at: float
    route_or_link: float
    direction_name: float
    kind_of_place: float
    feature_or_street: float
    road: float
    # learned: strings the user tagged in other articles
    learned_string: float

    def why(self, name: str) -> str:
        return REASONS[name]


REASONS: dict[str, str] = {}


def load(path: Path | None = None) -> Strengths:
    """Read the table (``name<TAB>strength<TAB>why`` per line, ``#`` comments): every field of
    :class:`Strengths` exactly once, each strength in (0, 1], each with its reason."""
    if path is None:
        text = resources.files("annotator").joinpath("data", TABLE).read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    values: dict[str, float] = {}
    reasons: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip():
            raise ValueError(f"{TABLE}:{number}: want name<TAB>strength<TAB>why: {line!r}")
        name, value = parts[0].strip(), float(parts[1])
        if name in values:
            raise ValueError(f"{TABLE}:{number}: {name} given twice")
        if not 0 < value <= 1:
            raise ValueError(f"{TABLE}:{number}: {name} = {value} is not in (0, 1]")
        values[name], reasons[name] = value, parts[2].strip()
    fields = {f.name for f in dataclasses.fields(Strengths)}
    if missing := fields - values.keys():
        raise ValueError(f"{TABLE}: no strength for {', '.join(sorted(missing))}")
    if unknown := values.keys() - fields:
        raise ValueError(f"{TABLE}: unknown strength(s) {', '.join(sorted(unknown))}")
    if path is None:
        REASONS.update(reasons)
    return Strengths(**values)


S = load()
