"""LOCATION (and country-as-agent ACTOR) suggestions from maintained place data.

Place names and their kinds come from :mod:`annotator.suggest.places`. A known name is a
LOCATION unless the text makes it an agent: following GUIDELINES.md, a country or capital
that acts or stands for its government ("Russia took", "Kyiv's control", "abandon Kyiv",
"occupied by Russia") is an ACTOR, decided by a heuristic over the neighbouring words.
Names the data lacks are found by their context ("residents of X", "the road between X and
Y", "X, a town 40 km north of Y") and by their shape ("River X", "X Wharf").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from annotator.model import Document
from annotator.suggest._common import (
    AUX_VERBS,
    COMMON_VERBS,
    MONTHS_DAYS,
    QUOTES,
    REPORTING_VERBS,
    STOPWORDS,
    TITLES,
    Words,
    name_rx,
    one_word_names,
    repeated_mentions,
)
from annotator.suggest.evidence import S
from annotator.suggest.place_context import (
    CAPITALISED_DIRECTIONS,
    contextual_places,
    is_demonym,
    opens_with_ordinary_word,
)
from annotator.suggest.places import (
    AGENT_KINDS,
    lexicon,
    place_kind,
    towns,
)
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

ENGINE = "gazetteer"
MAX_NGRAM = 5

DIRECTIONS = frozenset(
    [
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "north",
        "south",
        "east",
        "west",
        "rural",
        "coastal",
    ]
)
REGION_SUFFIXES = frozenset(
    [
        "region",
        "province",
        "district",
        "oblast",
        "county",
        "peninsula",
        "valley",
        "prefecture",
        "area",
        "township",
        "governorate",
        "canton",
        "coast",
        "border",
        "port",
        "harbour",
        "fells",
        "hills",
        "estuary",
        "basin",
        "delta",
        "lagoon",
        "airport",
        "department",
        "colliery",
        "dam",
        "plain",
        "glacier",
    ]
)
# Heads of event names: the place before one is where the event happens ("the Paris
# Marathon", "the Paris Olympics" -> LOCATION "Paris", following the gold convention).
EVENT_WORDS = frozenset(
    [
        "Olympics",
        "Games",
        "Summit",
        "Marathon",
        "Open",
        "Cup",
        "Conference",
        "Paralympics",
        "Festival",
        "Championship",
        "Championships",
        "Masters",
        "Expo",
        "Derby",
        "Biennale",
    ]
)
CITY_AGENT_VERBS = frozenset(
    ["said", "says", "announced", "warned", "insisted", "voted", "abstained", "agreed",
     "refused", "rejected", "approved", "signed", "denied", "confirmed", "beat", "won", "wants",
     "wanted", "should", "must", "pays", "paid", "owes", "decided", "plans", "tells", "told",
     "sues", "sued"]
)  # fmt: skip
# "Passau's mayor": a city with officials of its own is an agent there
_CITY_OFFICIAL_RE = re.compile(
    r"(?:'s|’s) (?:[a-z-]+ )?(?:mayor|council|councillors|officials|police|governor|authorities|"
    r"administration|government)\b"
)

LOCATIVE_PREPS = frozenset(
    [
        "in",
        "into",
        "across",
        "near",
        "at",
        "from",
        "throughout",
        "inside",
        "within",
        "towards",
        "toward",
        "around",
        "outside",
        "via",
        "through",
    ]
)
AGENT_PREPS = frozenset(["by", "with", "against", "between", "among"])
MOVEMENT_WORDS = frozenset(
    [
        "visit",
        "visits",
        "visited",
        "visiting",
        "trip",
        "trips",
        "travel",
        "travels",
        "journey",
        "sales",
        "sold",
        "selling",
        "move",
        "moving",
        "gone",
        "went",
        "fled",
        "migrated",
        "pipeline",
        "flows",
        "exports",
        "shipments",
        "cargo",
        "taken",
        "diverted",
        "bound",
        "headed",
        "heading",
        "road",
        "roads",
        "highway",
        "railway",
        "flights",
        "ferry",
        "ferries",
        "trains",
        "drive",
        "moved",
        "relocate",
        "relocated",
        "relocating",
        "emigrate",
        "emigrated",
        "return",
        "returned",
        "returning",
        "route",
        "routes",
        "crossing",
        "crossings",
        "voyage",
        "passage",
        "travelled",
        "traveled",
        "travelling",
        "fly",
        "flew",
        "flights",
        "flight",
        "return",
        "returned",
        "returning",
        "head",
        "heads",
        "headed",
        "heading",
        "move",
        "moved",
        "went",
        "go",
        "goes",
        "going",
        "come",
        "comes",
        "came",
        "arrive",
        "arrived",
        "arriving",
        "fled",
        "flee",
        "fleeing",
        "leaving",
        "troops",
        "soldiers",
        "deploy",
        "deployed",
        "deploying",
        "exports",
        "imports",
        "shipments",
        "entering",
        "reaching",
        "touring",
        "flying",
        "deported",
        "migrate",
        "migrated",
        "exported",
        "imported",
        "shipped",
        "sending",
        "sent",
        "missiles",
        "way",
        "back",
    ]
)
OF_AGENT_HEADS = frozenset(
    [
        "government",
        "president",
        "leader",
        "prime",
        "minister",
        "ministers",
        "army",
        "forces",
        "troops",
        "embassy",
        "ambassador",
        "allies",
        "ally",
        "people",
        "citizens",
        "parliament",
        "those",  # "the rules ... closer to those of the United States"
    ]
)
PROPER_PARTICLES = frozenset(
    ["de", "du", "des", "la", "le", "von", "van", "der", "den", "da", "di", "del", "al", "bin"]
)
# Things handed to a state: "aid to Ukraine" makes Ukraine a recipient (ACTOR), unlike
# movement "to" ("a visit to Norway").
TRANSFER_NOUNS = frozenset(
    [
        "aid",
        "weapons",
        "arms",
        "support",
        "assistance",
        "funding",
        "funds",
        "money",
        "loan",
        "loans",
        "credit",
        "credits",
        "ammunition",
        "munitions",
        "grants",
        "subsidies",
        "guarantees",
        "concessions",
        "ultimatum",
        "apology",
    ]
)
# Geographic heads before "with"/"between": "the border with Mexico" is a place.
GEO_RELATION_HEADS = frozenset(
    ["border", "borders", "frontier", "frontiers", "boundary", "crossing", "crossings"]
)
# A place used attributively before a role or body ("US president", "Paris police") is
# like a nationality adjective: not tagged on its own.
ATTRIBUTIVE_HEADS = frozenset(
    [
        "president",
        "presidents",
        "presidency",
        "prime",
        "secretary",
        "chancellor",
        "foreign",
        "defence",
        "defense",
        "finance",
        "interior",
        "counterpart",
        "counterparts",
        "embassy",
        "consulate",
        "federal",
        "vice-president",
        "leader",
        "leaders",
        "leadership",
        "government",
        "officials",
        "official",
        "authorities",
        "minister",
        "ministers",
        "senator",
        "senators",
        "lawmakers",
        "legislators",
        "diplomats",
        "diplomat",
        "envoy",
        "ambassador",
        "troops",
        "forces",
        "military",
        "army",
        "navy",
        "soldiers",
        "intelligence",
        "police",
        "prosecutors",
        "regulators",
        "regulator",
        "administration",
        "economy",
        "election",
        "elections",
        "team",
        "squad",
        "coach",
        "champion",
        "mayor",
        "governor",
        "citizens",
        "nationals",
        "voters",
        "firms",
        "companies",
        "banks",
        "markets",
        "stocks",
        "shares",
        "officers",
        "spokesman",
        "spokeswoman",
        "spokesperson",
    ]
)
# Quantities after "has": "Kenya has more than 100 athletes" describes a place.
QUANTITY_RE = name_rx(
    r"(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|"
    r"thousands|millions)$"
)
# Words that lead into a quantity: "more than 100", "about 40", "at least 3".
QUANTITY_LEADS = frozenset(
    [
        "more",
        "fewer",
        "less",
        "about",
        "around",
        "nearly",
        "almost",
        "over",
        "some",
        "roughly",
        "at",
        "than",
        "least",
        "an",
        "estimated",
        "approximately",
        "just",
        "under",
    ]
)
# -ing words that are prepositions or nouns, not verbs taking a country as object.
NOT_ING_VERBS = frozenset(
    [
        "during",
        "according",
        "including",
        "regarding",
        "concerning",
        "following",
        "excluding",
        "notwithstanding",
        "pending",
        "morning",
        "evening",
        "nothing",
        "something",
        "anything",
        "everything",
        "thing",
        "spring",
        "king",
        "meeting",
        "building",
        "wedding",
        "ceiling",
    ]
)


def _is_verb_like(word: str, *, ing: bool = False) -> bool:
    """A verb form by shape; with ``ing``, "-ing" participles too ("emboldening Iran")."""
    lower = word.lower()
    if lower in AUX_VERBS or lower in COMMON_VERBS or lower in REPORTING_VERBS:
        return True
    if not word.islower() or len(word) < 4:
        return False
    if ing and len(word) >= 6 and word.endswith("ing") and word not in NOT_ING_VERBS:
        return True
    return bool(re.fullmatch(r"[a-z]+(?:ed|es|s)", word)) and not word.endswith("ss")


def _is_attributive(words: Words, last: int) -> bool:
    """A place before a role or body noun ("US president", "Kenya team"): not tagged."""
    nxt = words.next_index(last)
    return nxt >= 0 and (words.word(nxt) in ATTRIBUTIVE_HEADS or _plural_noun_then_verb(words, nxt))


_OF_NAME_RE = name_rx(r" of [A-Z]")


_PLACE_POSSESSION_RE = re.compile(
    r" (?:main |biggest |largest |second |longest |northern |southern |eastern |western |"
    r"central )?(?:highway|highways|road|roads|port|ports|coast|coastline|border|borders|north|"
    r"south|east|west|interior|rivers|river|mountains|islands|provinces|regions|"
    r"countryside|beaches|towns|cities|villages)\b"
)


def _after_place_preposition(words: Words, first: int) -> bool:
    """ "in Colombo", "in the Hague", "in Ratnapura and Galle": placed by a preposition."""
    prev = words.prev_word(first)
    if words.word(prev) == "the":
        prev = words.prev_word(prev)
    if words.word(prev) == "and":  # "in Ratnapura and Galle"
        name = words.prev_word(prev)
        if name < 0 or not words.is_capitalised(name):
            return False
        prev = words.prev_word(name)
    return words.word(prev).lower() in _PLACING_PREPS


# Prepositions that place a name ("from China, which wants" is a source, not a place).
_PLACING_PREPS = frozenset(
    ["in", "at", "near", "across", "around", "throughout", "inside", "within"]
)


def agent_or_place(words: Words, first: int, last: int) -> str:
    """ACTOR when the country/capital at tokens first..last acts or stands for a government."""
    nxt = words.next_index(last)
    nxt_word = words.word(nxt) if nxt >= 0 else ""
    if nxt_word in ("'s", "’s", "'", "’"):
        # "Sudan's Darfur region": a part of the place, not something the state has
        if _place_follows(words, nxt) or _PLACE_POSSESSION_RE.match(words.text, words.toks[nxt][1]):
            return "LOCATION"  # "Mozambique's main highway"
        return "ACTOR"
    if nxt_word in ("has", "have", "had"):
        # "Kenya has more than 100 athletes": what a place holds, not an agent's act
        j = words.next_index(nxt)
        for _ in range(3):  # skip "more than", "at least", "an estimated"
            if j < 0 or words.word(j).lower() not in QUANTITY_LEADS:
                break
            j = words.next_index(j)
        if j >= 0 and QUANTITY_RE.match(words.word(j).lower()):
            return "LOCATION"
    if nxt_word in QUOTES:  # 'that Europe “cannot and will not” carry'
        after_quote = words.next_index(nxt)
        if after_quote >= 0 and _is_verb_like(words.word(after_quote)):
            return "ACTOR"
    if nxt_word == "in" and _place_follows(words, nxt):
        return "LOCATION"  # "diverting vessels to Maputo in Mozambique"
    if _after_place_preposition(words, first):
        return "LOCATION"  # "smallholders in Ratnapura and Galle, who grow": the who is theirs
    if _followed_by_who(words, nxt):
        return "ACTOR"  # "Chelsea, who have spent": a place is not a "who"
    if nxt_word == "," and _acts_after_relative_clause(words, nxt):
        return "ACTOR"  # "China, which is still classed as ..., rejected calls"
    prev = words.prev_word(first)
    prev_word = words.word(prev).lower() if prev >= 0 else ""
    if prev_word == "the":  # "the Netherlands": look past the article
        prev = words.prev_word(prev)
        prev_word = words.word(prev).lower() if prev >= 0 else ""
    if prev_word in LOCATIVE_PREPS:
        return "LOCATION"
    if prev_word in ("with", "between"):
        head = words.word(words.prev_word(prev)).lower() if prev >= 0 else ""
        if head in GEO_RELATION_HEADS:  # "the border with Mexico"
            return "LOCATION"
    if prev_word in AGENT_PREPS:
        return "ACTOR"
    if prev_word == "to":
        near = {words.word(words.prev_word(prev, n)).lower() for n in (1, 2, 3)}
        if near & TRANSFER_NOUNS:  # "sent military aid to Ukraine": the recipient
            return "ACTOR"
        # "exported goods worth about $125bn to China", "the journey north to Libya"
        before = {words.word(words.prev_word(prev, n)).lower() for n in range(1, 8)}
        return "LOCATION" if before & MOVEMENT_WORDS else "ACTOR"
    if prev_word == "of":
        head_index = words.prev_word(prev)
        head = words.word(head_index)
        if head.lower() in OF_AGENT_HEADS:
            return "ACTOR"
        # "Ambassador Mereana Tuilagi of Samoa": a person named, then whom they represent
        titled = words.word(words.prev_word(head_index, 2)) in TITLES
        return "ACTOR" if head[:1].isupper() and titled else "LOCATION"
    if nxt_word == "to" and first in words.sentence_first_words:
        after = words.next_index(nxt)
        if after >= 0 and words.word(after).isalpha() and words.word(after).islower():
            return "ACTOR"  # headline: "Greece to open closed migrant centre"
    if nxt_word == "on" and words.word(words.next_index(nxt)) in MONTHS_DAYS:
        after = words.next_index(words.next_index(nxt))
        if after >= 0 and _is_verb_like(words.word(after)):
            return "ACTOR"  # "Estonia on Thursday opened a road"
    if nxt_word in ADVERBS:  # "Ottawa first capped", "Paris also said"
        after = words.next_index(nxt)
        if after >= 0 and _is_verb_like(words.word(after)):
            return "ACTOR"
    if nxt_word == "," and _list_acts(words, nxt):
        return "ACTOR"
    if nxt_word and _is_verb_like(nxt_word):
        return "ACTOR"
    if nxt_word in ("and", "or"):
        # "France and Spain have backed", "Ukraine and its Western allies reject"
        j = nxt
        for _ in range(6):
            j = words.next_index(j)
            if j < 0:
                break
            tok = words.word(j)
            if tok in ("the", "its", "their", "his", "her") or tok[:1].isupper():
                continue
            if _is_verb_like(tok):
                return "ACTOR"
            if tok.islower() and tok.endswith("s") and not tok.endswith("ss"):
                nxt2 = words.next_index(j)
                if nxt2 >= 0 and _is_verb_like(words.word(nxt2)):
                    return "ACTOR"
            break
    if prev_word and prev_word in MOVEMENT_WORDS:
        return "LOCATION"
    if prev >= 0 and _is_verb_like(words.word(prev), ing=True) and prev_word not in AUX_VERBS:
        # object of a verb: "abandon Kyiv", "isolating Germany", "put Ukraine"
        return "ACTOR"
    if prev_word in (
        "put",
        "abandon",
        "support",
        "back",
        "help",
        "defend",
        "attack",
        "invade",
        "isolate",
        "isolating",
        "ensure",
        "urge",
        "urged",
        "punish",
        "sanction",
        "ask",
        "asked",
        "asking",
        "tell",
        "told",
        "warn",
        "warned",
        "pay",
        "paid",
    ):
        return "ACTOR"
    return "LOCATION"


def _state_suffix(words: Words, i: int) -> bool:
    """ "Rio de Janeiro state killed": "state" closes the place's name (not "state law")."""
    if words.word(i) != "state":
        return False
    after = words.next_index(i)
    follower = words.word(after) if after >= 0 else ""
    return not follower.isalpha() or follower in STOPWORDS or _is_verb_like(follower)


TOWN_CUES = LOCATIVE_PREPS | {"to", "of"}


def _towns_in_context(words: Words, found: list[Suggestion]) -> list[Suggestion]:
    """Small places from :func:`towns`, only where the text treats them as places.

    After a place preposition ("to Challhuahuacho", "out of Henningsvær") or in a list of
    places ("Tromsø, Båtsfjord and Kirkenes"); never opening a sentence, never inside a longer
    capitalised name, never a word the article also writes in lower case.
    """
    small = towns()
    if not small:
        return []
    toks = words.toks
    places = lexicon()
    hits: list[tuple[int, int]] = []  # token ranges of candidate names
    i = 0
    while i < len(toks):
        if not toks[i][2][:1].isupper():
            i += 1
            continue
        match = None
        for n in range(min(3, len(toks) - i), 0, -1):
            j = i + n - 1
            surface = words.text[toks[i][0] : toks[j][1]]
            if surface in small and words.same_paragraph(i, j):
                match = (i, j)
                break
        if match is None:
            i += 1
            continue
        first, last = match
        i = last + 1
        if (
            first in words.sentence_first_words
            or toks[first][2].lower() in words.lowercase_words
            or _blocked_by_neighbours(words, first, last)
        ):
            continue
        hits.append((first, last))

    def is_place_word(k: int) -> bool:
        w = words.word(k)
        return w in places or any(a <= k <= b for a, b in hits)

    taken = {(s.start, s.end) for s in found}
    out = []
    for first, last in hits:
        start, end = toks[first][0], toks[last][1]
        if (start, end) in taken:
            continue
        prev = words.prev_word(first)
        prev_word = words.word(prev).lower() if prev >= 0 else ""
        listed = any(
            words.word(k) in (",", "and") and is_place_word(k2)
            for k, k2 in ((last + 1, last + 2), (first - 1, first - 2))
            if 0 <= k2 < len(toks)
        )
        if prev_word in TOWN_CUES or listed:
            out.append(Suggestion(start, end, "LOCATION", ENGINE, S.town_in_context))
    return out


_NAME_AFTER_AND_RE = name_rx(
    r"(?:,| and| or) ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)\b(?![ -][A-Z])(?!['’]s)"
)
_NAME_BEFORE_AND_RE = name_rx(r"(?<![\w-])([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) and $")


def _coordinated_places(words: Words, found: list[Suggestion]) -> list[Suggestion]:
    """ "around Darjeeling and Kalimpong": a name joined to a place by "and" is a place too.

    Only a name nothing else claims, not opening a sentence, never a month or a stopword.
    """
    text = words.text
    taken = sorted((s.start, s.end) for s in found if s.label != "CLAIM")
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))

    def free(start: int, end: int) -> bool:
        j = bisect_left(starts, end)
        return not (j and reach[j - 1] > start)

    out = []
    for s in found:
        if s.label != "LOCATION":
            continue
        after = _NAME_AFTER_AND_RE.match(text, s.end)
        before = _NAME_BEFORE_AND_RE.search(text, max(0, s.start - 60), s.start)
        for m in (after, before):
            if m is None:
                continue
            start, end = m.start(1), m.end(1)
            name = m.group(1)
            first = words.starts.get(start)
            if (
                first is None
                or first in words.sentence_first_words
                or opens_with_ordinary_word(name)
                or name.split()[0] in TITLES
                or not free(start, end)
            ):
                continue
            # joined by "and"/"or" (not a comma: "in Sfax, Noureddine Amri"), a two-word name
            # wins over one guessed an agent by its shape alone ("Golden Sands and Albena")
            joined = text[m.end(1) : m.end(1) + 5].startswith(" and ") or text[
                max(0, m.start(1) - 4) : m.start(1)
            ] in ("and ", " or ")
            score = S.coordinated_known_place if " " in name and joined else S.coordinated_place
            out.append(Suggestion(start, end, "LOCATION", ENGINE, score))
    return out


def _repeated_places(
    words: Words, found: list[Suggestion], by_context: list[Suggestion]
) -> list[Suggestion]:
    """One sense per article: an unknown name found as a place is a place elsewhere too.

    "the southern coast of Crete" once, then "on Crete", "Crete cannot become ...".
    Low score: any other reading of a mention (an agent, a longer name) wins over it.
    """
    names = one_word_names(by_context, words.text, "LOCATION", S.repeated_place_from)
    out = repeated_mentions(words, names, found, "LOCATION", ENGINE, S.repeated_place)
    # "the Gobi Desert" once, then "the Gobi": a feature named by its first word after "the"
    text = words.text
    firsts = {
        m.group(1) or m.group(2)
        for s in by_context
        if s.label == "LOCATION" and (m := _FEATURE_FIRST_WORD_RE.fullmatch(text[s.start : s.end]))
    }
    firsts = {f for f in firsts if not is_demonym(f)}  # "the Irish Sea" is not "the Irish"
    if not firsts:
        return out
    toks = words.toks
    for i in range(1, len(toks)):  # one pass over the tokens, not one scan per name
        if toks[i][2] in firsts and toks[i - 1][2] == "the":
            start, end = toks[i][0], toks[i][1]
            if not _NAME_GOES_ON_RE.match(text, end):
                out.append(Suggestion(start, end, "LOCATION", ENGINE, S.feature_by_first_word))
    return out


_FEATURE_FIRST_WORD_RE = name_rx(
    r"([A-Z][a-z][\w'’-]+) (?:River|Desert|Mountains|Range|Hills|Valley|Forest|Delta|Plateau|"
    r"Peninsula|Sea|Basin|Canal|Estuary)|River ([A-Z][a-z][\w'’-]+)"
)


_LONG_NAME_RE = name_rx(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}")
_NAME_GOES_ON_RE = name_rx(r"[\w-]| [A-Z]")
_NAME_BEFORE_RE = name_rx(r"[A-Z][\w'’-]* $")


def _repeated_long_places(words: Words, by_context: list[Suggestion]) -> list[Suggestion]:
    """One sense per article for names of two or three words: "in South Uist" once, then
    "South Uist cut off", "ferries to South Uist".

    Scored just above a name guessed to be an agent by its shape alone, below any real
    evidence; a mention that speaks or is part of a longer name is left alone.
    """
    text = words.text
    names = {
        text[s.start : s.end]
        for s in by_context
        if s.label == "LOCATION" and _LONG_NAME_RE.fullmatch(text[s.start : s.end])
    }
    if not names:
        return []
    toks = words.toks
    out = []
    for i in range(len(toks)):
        if not toks[i][2][:1].isupper():
            continue
        for n in (3, 2):
            j = i + n - 1
            if j >= len(toks) or text[toks[i][0] : toks[j][1]] not in names:
                continue
            start, end = toks[i][0], toks[j][1]
            if _NAME_GOES_ON_RE.match(text, end) or (start and text[start - 1] in "-'’"):
                break  # part of a longer name: "South Uist Community Council"
            after = words.word(words.next_index(j))
            if after in REPORTING_VERBS or after in CITY_AGENT_VERBS:
                break
            if _NAME_BEFORE_RE.search(text, max(0, start - 30), start):
                break  # "NHS Western Isles": inside a longer name
            out.append(Suggestion(start, end, "LOCATION", ENGINE, S.repeated_long_place))
            break
    return out


def _place_follows(words: Words, i: int) -> bool:
    """Is the token after token i the start of a known place name?"""
    j = words.next_index(i)
    if j < 0 or not words.is_capitalised(j):
        return False
    if words.word(words.next_index(j)).lower() in REGION_SUFFIXES:
        return True  # "Sudan's Darfur region"
    for n in range(MAX_NGRAM, 0, -1):
        k = j + n - 1
        if (
            k < len(words.toks)
            and words.same_paragraph(j, k)
            and place_kind(words.text[words.toks[j][0] : words.toks[k][1]])
        ):
            return True
    return False


ADVERBS = frozenset(
    ["first", "also", "then", "now", "already", "still", "later", "since", "recently",
     "quickly", "again", "never", "repeatedly", "formally", "officially", "previously"]
)  # fmt: skip


def _list_acts(words: Words, comma: int) -> bool:
    """ "Germany, Spain and the Netherlands back it": a list of names, then a verb."""
    j = comma
    for _ in range(12):
        j = words.next_index(j)
        if j < 0:
            return False
        tok = words.word(j)
        if tok in (",", "and", "the") or words.is_capitalised(j):
            continue
        return _is_verb_like(tok) and words.word(j - 1)[:1].isupper()
    return False


def _plural_noun_then_verb(words: Words, i: int) -> bool:
    """Token i is a plural noun followed by a verb: "US tariffs have hit"."""
    tok = words.word(i)
    nxt = words.next_index(i)
    return (
        tok.islower()
        and tok.endswith("s")
        and not tok.endswith("ss")
        and tok not in AUX_VERBS
        and nxt >= 0
        and words.word(nxt).lower() in AUX_VERBS
    )


def _followed_by_who(words: Words, i: int) -> bool:
    """Token i is the comma of ", who ..."."""
    return words.word(i) == "," and words.word(words.next_index(i)) == "who"


def _acts_after_relative_clause(words: Words, comma: int) -> bool:
    """ "X, which/who ..., <verb>": the clause closes with a comma and a verb follows."""
    j = words.next_index(comma)
    if words.word(j) not in ("which", "who"):
        return False
    for _ in range(30):
        j = words.next_index(j)
        if j < 0 or words.word(j) in (".", ";", ":", "!", "?"):
            return False
        if words.word(j) == ",":
            verb = words.next_index(j)
            return verb >= 0 and _is_verb_like(words.word(verb)) and words.word(verb) != "and"
    return False


def _blocked_by_neighbours(words: Words, first: int, last: int) -> bool:
    """A place name inside a longer proper name ("Stade de France", "UK Health Security Agency")."""
    nxt = words.next_index(last)
    if (
        nxt >= 0
        and words.is_capitalised(nxt)
        and words.word(nxt) not in EVENT_WORDS
        and words.word(nxt) not in MONTHS_DAYS
    ):
        return True
    prev = first - 1
    if prev >= 0 and words.same_paragraph(prev, first):
        p = words.word(prev)
        if p.lower() in PROPER_PARTICLES and p.islower():
            return True
        if (
            p[:1].isupper()
            and p not in CAPITALISED_DIRECTIONS  # "Eastern Samar": the direction joins the place
            and p not in STOPWORDS
            and p.lower() not in STOPWORDS
            and p not in ("And", "Or")
            and (
                prev not in words.sentence_first_words
                # "Mwila Chanda, an MP": a first name opening the sentence
                or (
                    p not in words.lowercase_words
                    and p.lower() not in words.lowercase_words
                    and not place_kind(p)
                    and p.isalpha()
                    and p[1:].islower()
                    and not re.search(r"(?:ing|ed|ly)$", p)  # "Neighbouring India"
                )
                or (p.isupper() and len(p) > 1 and not place_kind(p))  # "NHS Highland"
            )
        ):
            return True
    return False


def suggest(doc: Document, index: TextIndex, words: Words | None = None) -> list[Suggestion]:
    words = words or Words(doc.text, index)
    places = lexicon()
    text = doc.text
    toks = words.toks
    out: list[Suggestion] = []
    taken_until = -1
    last_label: tuple[int, str] | None = None  # (end offset, label) of the previous place
    i = 0
    while i < len(toks):
        if toks[i][0] < taken_until or not toks[i][2][:1].isupper():
            i += 1
            continue
        match = None
        for n in range(min(MAX_NGRAM, len(toks) - i), 0, -1):
            j = i + n - 1
            if not words.same_paragraph(i, j):
                continue
            surface = " ".join(text[toks[i][0] : toks[j][1]].split())
            if surface in places:
                match = (i, j, places[surface])
                break
        if match is None:
            i += 1
            continue
        first, last, kind = match
        start, end = toks[first][0], toks[last][1]
        i = last + 1
        if _blocked_by_neighbours(words, first, last) or _is_attributive(words, last):
            continue
        if (
            first in words.sentence_first_words
            and first == last
            and kind == "city"
            and toks[first][2].lower() in words.lowercase_words
        ):
            continue
        forced_place = False
        prev = first - 1
        if (
            prev >= 0
            and words.word(prev) in CAPITALISED_DIRECTIONS
            and words.same_paragraph(prev, first)
        ):
            start = toks[prev][0]  # "Eastern Samar province"
            forced_place = True
        elif prev >= 0 and words.word(prev) == "The" and prev not in words.sentence_first_words:
            start = toks[prev][0]  # "in The Hague": the article is part of the name
        if (
            prev >= 0
            and words.word(prev).lower() in DIRECTIONS
            and words.same_paragraph(prev, first)
        ):
            start = toks[prev][0]
            forced_place = True
            if prev > 0 and words.word(prev - 1) == "far":
                start = toks[prev - 1][0]  # "far north Queensland"
        nxt = words.next_index(last)
        if nxt >= 0 and words.word(nxt) in EVENT_WORDS:
            forced_place = True  # where the event happens: "won the Paris Marathon"
        if (
            nxt >= 0
            and (words.word(nxt).lower() in REGION_SUFFIXES or _state_suffix(words, nxt))
            and not _OF_NAME_RE.match(text, toks[nxt][1])  # "the Black Sea port of Poti"
        ):
            end = toks[nxt][1]
            forced_place = True
            i = nxt + 1
        if forced_place:
            label = "LOCATION"
        elif kind not in AGENT_KINDS:
            # a city that speaks or votes is its council or club: "Chelsea abstained"
            nxt = words.next_index(last)
            prev = words.prev_word(first)
            acts = (
                words.word(nxt) in CITY_AGENT_VERBS
                or _followed_by_who(words, nxt)
                or bool(_CITY_OFFICIAL_RE.match(text, end))
            )
            placed = _after_place_preposition(words, first)
            label = "ACTOR" if kind == "city" and acts and not placed else "LOCATION"
        elif kind == "region" and words.word(words.prev_word(first)) == "the":
            label = "LOCATION"  # "the Magdalena", "the Algarve": a river or an area, not a state
        else:
            label = agent_or_place(words, first, last)
            gap = text[last_label[0] : start] if last_label else ""
            if last_label and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*(?:the\s+)?", gap):
                label = last_label[1] if last_label[1] in ("ACTOR", "LOCATION") else label
        score = (
            S.lexicon_major_place
            if kind in ("country", "capital", "continent", "feature", "region", "area")
            else S.lexicon_minor_place
        )
        out.append(Suggestion(start, end, label, ENGINE, score))
        last_label = (end, label)
        taken_until = end
    found_by_context = contextual_places(words, places) + _towns_in_context(words, out)
    out.extend(found_by_context)
    out.extend(_repeated_places(words, out, found_by_context))
    out.extend(_repeated_long_places(words, found_by_context))
    out.extend(_coordinated_places(words, out))
    return out
