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
PLURAL_REGION_SUFFIXES = frozenset(["regions", "provinces", "districts", "oblasts", "counties"])
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


CAPITALISED_DIRECTIONS = frozenset(
    ["Eastern", "Western", "Northern", "Southern", "Central", "North", "South", "East", "West",
     "Inner", "Outer"]
)  # fmt: skip


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
            out.append(Suggestion(start, end, "LOCATION", ENGINE, 0.5))
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
                or name.split()[0] in STOPWORDS
                or name.split()[0].lower() in STOPWORDS
                or name.split()[0] in MONTHS_DAYS
                or name.split()[0] in TITLES
                or not free(start, end)
            ):
                continue
            # joined by "and"/"or" (not a comma: "in Sfax, Noureddine Amri"), a two-word name
            # wins over one guessed an agent by its shape alone ("Golden Sands and Albena")
            joined = text[m.end(1) : m.end(1) + 5].startswith(" and ") or text[
                max(0, m.start(1) - 4) : m.start(1)
            ] in ("and ", " or ")
            score = 0.72 if " " in name and joined else 0.55
            out.append(Suggestion(start, end, "LOCATION", ENGINE, score))
    return out


def _repeated_places(
    words: Words, found: list[Suggestion], by_context: list[Suggestion]
) -> list[Suggestion]:
    """One sense per article: an unknown name found as a place is a place elsewhere too.

    "the southern coast of Crete" once, then "on Crete", "Crete cannot become ...".
    Low score: any other reading of a mention (an agent, a longer name) wins over it.
    """
    names = one_word_names(by_context, words.text, "LOCATION", 0.6)
    out = repeated_mentions(words, names, found, "LOCATION", ENGINE, 0.55)
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
                out.append(Suggestion(start, end, "LOCATION", ENGINE, 0.6))
    return out


_FEATURE_FIRST_WORD_RE = name_rx(
    r"([A-Z][a-z][\w'’-]+) (?:River|Desert|Mountains|Range|Hills|Valley|Forest|Delta|Plateau|"
    r"Peninsula|Sea|Basin|Canal|Estuary)|River ([A-Z][a-z][\w'’-]+)"
)


# Words that make a place's name into a body's: "Port of London Authority".
_BODY_AFTER_RE = re.compile(
    r" (?:Authority|Authorities|Commission|Council|Board|Police|Trust|Department|Committee|"
    r"Company|Corporation|Agency|Olympic|Club|University|College|Institute)\b"
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
            out.append(Suggestion(start, end, "LOCATION", ENGINE, 0.72))
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
            0.85
            if kind in ("country", "capital", "continent", "feature", "region", "area")
            else 0.75
        )
        out.append(Suggestion(start, end, label, ENGINE, score))
        last_label = (end, label)
        taken_until = end
    found_by_context = _contextual(words, places) + _towns_in_context(words, out)
    out.extend(found_by_context)
    out.extend(_repeated_places(words, out, found_by_context))
    out.extend(_repeated_long_places(words, found_by_context))
    out.extend(_coordinated_places(words, out))
    return out


# A named place that speaks is an agent ("Downing Street said", "Bristol Airport told").
PLACE_AS_AGENT_VERBS = frozenset(
    ["said", "says", "told", "warned", "announced", "confirmed", "insisted", "denied", "sued",
     "sues", "voted", "agreed", "approved", "rejected", "filed", "asked"]
)  # fmt: skip
_NOT_SPEAKING = r"(?! (?:" + "|".join(sorted(PLACE_AS_AGENT_VERBS)) + r"))"
_SPEAKS_RE = re.compile(r" (?:" + "|".join(sorted(PLACE_AS_AGENT_VERBS)) + r")\b")
# Common nouns for kinds of places: "the town of X", "X, a small island".
_PLACE_KINDS = (
    "town|village|city|port|island|suburb|district|province|region|resort|neighbourhood|"
    "neighborhood|municipality|county|community"
)
# Capitalised words that end a place's name ("Kafue River", "East Street").
FEATURE_HEADS = (
    "River|Lake|Sea|Ocean|Bay|Gulf|Mountains|Hills|Valley|Desert|Island|Islands|Canal|"
    "County|Province|Area|Park|Creek|Strait|Delta|Plateau|Peninsula|Forest|Reservoir|Dam|Zone|"
    "Highway|Motorway|Freeway|Expressway|Museum|School|Harbour|Harbor|Beach|Coast|Trail|Isles|"
    "Falls|Gorge|Glacier|Fjord|Estuary|Basin|Reef|Lagoon|Marshes|Wetlands|Region|District|"
    "Province|Prefecture|Governorate|Territory|Parish|Firth|Pass|Estate|Abbey|Cathedral|Chapel|"
    "Monastery|Church|Cove|Wharf|Pier|Jetty|Marina|Country|Dales|Peaks|Range|Viaduct|Inn|Moors|"
    "Peak|Highlands|Landscape|Sanctuary|Library|Town Hall|City Hall"
)
STREET_HEADS = (
    "Street|Road|Avenue|Lane|Boulevard|Place|Square|Quay|Bridge|Way|Drive|Crescent|Terrace"
)
FACILITY_HEADS = "Airport|Station|Hospital|Stadium|Prison|Courthouse"
# Capitalised words that end a place's name: the other engines never take such a name for an agent.
PLACE_HEAD_WORDS = frozenset(f"{FEATURE_HEADS}|{STREET_HEADS}|{FACILITY_HEADS}".split("|"))
_REGION_RE = name_rx(
    r"(?<![\w-])([A-Z][\w'’-]+)(?: and ([A-Z][\w'’-]+))? (regions|districts|provinces|"
    r"oblasts|counties|neighbourhoods|neighborhoods|parishes|municipalities|islands|valleys|"
    r"villages|towns|suburbs|dams|mines|lakes|rivers)\b"
)
_REGION_ONE_RE = name_rx(
    r"(?<![\w-])([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}) (region|province|district|oblast|county|"
    r"prefecture|area|parish|municipality|commune|department|wetlands|estate|lake|"
    r"industrial area|township|governorate|canton|reservoir|river|port|fells|hills|mountains|"
    r"valley|island|islands|peninsula|estuary|lagoon|glacier|plateau|colliery|dam|plain|gorge|"
    r"checkpoint|jetty|wharf|pier|marina|waterfall|falls|sinkhole|fault|quarry|deposit|"
    r"(?:(?:coal|oil|gas) )?basin|(?:coal|oil|gas) ?field|"
    r"(?:(?:copper|gold|iron|iron ore|coal|nickel|lithium|uranium|zinc|diamond|silver|bauxite|"
    r"open-pit) )?mine)\b(?! of [A-Z])"  # "the Atlantic port of Safi": the port is Safi
)
_FACILITY_RE = name_rx(
    r"(?<![\w-])((?:[A-Z][\w'’-]+ )(?:(?:de|of|la|du|del|der) )?(?:[A-Z][\w'’-]+ ){0,4})"
    r"((?:(?:nuclear|power|coal|coal-fired|gas|gas-fired|steel|cement|water|wind|solar|hydro|"
    r"hydroelectric|treatment|desalination|oil|chemical|fertiliser|fertilizer|sewage|waste|"
    r"pulp|aluminium|aluminum|processing|smelting) )*"
    r"(?:airport|plant|stadium|station|hospital|prison|factory|refinery|nuclear plant|power station|"
    r"highway|motorway|neighbourhood|neighborhood|suburb|township|coast|coastline|"
    r"camp|favela|slum|interchange|junction|smelter|building|tower|mall|market|complex|compound|"
    r"warehouse|terminal|depot|barracks|shrine|temple|mosque|church|monastery|"
    + FACILITY_HEADS
    + r"))\b"
    + _NOT_SPEAKING
)
# Capitalised words that open a place's name ("River Stour", "Port Hinchinbrook", "Loch Ness").
PLACE_LEAD_WORDS = frozenset(
    [
        "Monastery",
        "Abbey",
        "Basilica",
        "Stade",
        "Stadio",
        "Estadio",
        "Mount",
        "Mont",
        "Monts",
        "Lake",
        "Fort",
        "Cape",
        "Rue",
        "Avenida",
        "Calle",
        "Rua",
        "Via",
        "Viale",
        "Piazza",
        "Praça",
        "Plaza",
        "Complexo",
        "Isla",
        "Ilha",
        "Bahía",
        "Baía",
        "Ciudad",
        "River",
        "Loch",
        "Port",
        "Canal",
        "Puerto",
        "Gare",
        "Río",
    ]
)
_NAMED_PLACE_RE = name_rx(
    r"(?<![\w-])((?:Stade|Stadio|Estadio|Mount|Monts?|Lake|Fort|Cape|Gulf of|Sea of|Rue|Avenida|"
    r"Monastery of|Abbey of|Basilica of|Freeport of|Port of|"
    r"Calle|Rua|Via|Viale|Piazza|Praça|Plaza|Complexo|Isla|Ilha|Bahía|Baía|Ciudad|River|Loch|Canal|"
    r"Puerto|Gare|Río|"
    r"Isle of|Port(?! (?:Authority|Authorities|Commission|Council|Board|Police|Trust)\b))"
    r"(?: (?:de|of|la|le|du|des|da|do|dos|das|del|della|di|der|the))* [A-Z][\w'’-]+"
    r"(?: (?:de |da |do |du |del )?[A-Z][\w'’-]+)*)"
)
_HOUSE_RE = name_rx(
    r"\b(?:in|at|to|into|outside|inside|from|near) the ((?:[A-Z][\w'’-]+ )+(?:House|Palace|Square|"
    r"Tower|Hall|Cathedral|Castle|Bridge|Center|Centre|Arena|Stadium|Plaza|Hotel|Museum))\b"
    # "outside Parliament", "on the steps of the Capitol": the building, not the body
    r"|\b(?:outside|inside|in front of|steps of|gates of) (?:the )?((?:National )?(?:Parliament|"
    r"Congress|Capitol|Senate|Knesset|Bundestag|Duma|Assembly|Sejm|Storting|Riksdag))\b(?! [A-Z])"
    # "told reporters at the Government Office in Bratislava": the building
    r"|\b(?:at|outside|inside|in front of) the ((?:[A-Z][\w'’-]+ )+Office)\b(?! (?:for|of)\b)"
    # "at State House", "outside Buckingham Palace": a seat named without "the"
    r"|\b(?:in|at|to|into|outside|inside|from|near) ((?:[A-Z][\w'’-]+ )+(?:House|Palace|Castle|"
    r"Hall|Library|Centre|Center|Market))\b"
    r"(?! [A-Z])"
)
# "the banks of the Rhine", "the other side of the Andes": rivers and ranges the data lacks.
_FEATURE_OF_RE = name_rx(
    r"\b(?:banks?|side|foot|mouth|shores?|slopes?|edge|source|valley|waters|peaks?|delta|plain|"
    r"floodplain|catchment|estuary|basin) "
    r"of the ([A-Z][a-z][\w'’-]*)\b(?! [A-Z])"
    # "a bridge over the Daugava", "the glacier on the Weisshorn"
    r"|\b(?:bridges?|crossing|viaduct|dams?|ferry|ferries) (?:over|across|on) the "
    r"([A-Z][a-z][\w'’-]*)\b(?! [A-Z])"
    r"|\b(?:glaciers?|summit|peak|slopes|face|flank|ridge|hut) on the ([A-Z][a-z][\w'’-]*)\b(?! [A-Z])"
)
# "the Ecuadorian Amazon", "the American West": a region named with its country's demonym
_DEMONYM_PLACE_RE = name_rx(r"\bthe ([A-Z][a-z]+ [A-Z][\w'’-]+)\b(?! [A-Z])")
# "the upper Afan valley", "the upper Greybull River": a reach of a valley or river
_UPPER_LOWER_RE = name_rx(
    r"\b((?:upper|lower) (?:[A-Z][\w'’-]+ )+(?:valley|River|Valley|river|reaches|basin))\b"
    r"|\bthe ((?:upper|lower) [A-Z][a-z][\w'’-]*)\b(?! [A-Z])(?!['’]s)"  # "the upper Baleh"
    r"(?! (?:valley|river|reaches|basin)\b)(?<!House)(?<!Chamber)(?<!Court)(?<!Senate)"
)
# "the Latvian border", "the Polish border": a country's border, named by its demonym
_DEMONYM_BORDER_RE = name_rx(r"\b(?:the|a) ([A-Z][a-z]+ (?:border|frontier))\b")
# "at Chtouka, south of Agadir", "Lalla Fatna north of the city": placed by a direction
_COMPASS = (
    r"(?:north|south|east|west|north-east|north-west|south-east|south-west|northeast|northwest|"
    r"southeast|southwest)"
)
_PLACED_BY_DIRECTION_RE = name_rx(
    r"(?<![\w-])([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}),? (?:about |some |just )?"
    r"(?:(?:\d+ ?(?:km|kilometres|kilometers|miles) )?" + _COMPASS + r" of "
    r"(?:the (?:city|town|capital|village|border|coast|port)\b|[A-Z])"
    # "Nuevo Rocafuerte, near the border with Peru"
    r"|near (?:the )?(?:border|coast|mouth|source|town|city|capital)\b"
    # "the reserve at Huttoft Bank a few miles to the north"
    r"|(?:a few|several|\d+|two|three|four|five) (?:km|kilometres|kilometers|miles) (?:to the )?"
    + _COMPASS
    + r"\b"
    # "Nanga Serani, about 40 kilometres downstream"
    r"|(?:\d+|a few|several) (?:km|kilometres|kilometers|miles) (?:downstream|upstream|away|"
    r"inland|offshore|up the (?:river|valley|coast)|down the (?:river|valley|coast))\b)"
)
# "the neighbouring districts of Biertułtowy and Głożyny"
_KINDS_OF_PLACES_RE = name_rx(
    r"\b(?:districts|villages|towns|suburbs|neighbourhoods|neighborhoods|municipalities|islands|"
    r"communes|parishes|hamlets|settlements) of ((?&item)(?:, (?&item))*,? and (?&item))\b"
    r"(?! [A-Z])".replace("(?&item)", r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?")
)
# "off the southern coast of Crete", "the interior of Negros Oriental"
PLACE_PART_NOUNS = frozenset(
    ["coast", "coastline", "interior", "outskirts", "heart", "centre", "center", "tip", "shore",
     "shores", "suburbs", "residents", "villagers", "inhabitants", "townspeople", "streets",
     "whole", "mayor"]
)  # fmt: skip
_PART_OF_RE = name_rx(
    r"\b(?:" + "|".join(sorted(PLACE_PART_NOUNS)) + r") of "
    r"([A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)?)\b"
)
# "across Leyte, Cebu and Negros": a list of names after a place preposition
_PLACE_LIST_RE = name_rx(
    r"\b(?:in|across|through|throughout|between|to|from|at|of|on) ((?&n)(?:, (?&n))+,? and (?&n))\b"
    r"(?! [A-Z])".replace("(?&n)", r"[A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)?")
)
ROLE_AT_RE = name_rx(
    r"\b(?:economist|analyst|professor|researcher|lecturer|scientist|director|fellow|"
    r"strategist|head|chief|partner|engineer|lawyer|executive|manager|official|expert|"
    r"doctor|consultant|student|worker|employee|spokesperson|spokesman|spokeswoman|editor|"
    r"reporter|journalist|correspondent|teacher|nurse|officer|trader|banker|accountant|"
    r"designer|programmer|developer|publisher|writer|forecaster|diplomat)s? (?:at|from) (?:the )?$"
)
# "from La Moneda in Santiago": a named building or area located in a known place.
_PLACE_IN_PLACE_RE = name_rx(
    r"\b(?:in|at|from|near|outside|inside) (?:the )?((?:[A-Z][\w'’-]+ ){0,3}[A-Z][\w'’-]+) in "
    r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)"
)
_PREP_UNKNOWN_RE = name_rx(
    r"\b(?:[Ii]n|[Nn]ear|from|[Oo]utside|through|via|[Aa]round|above|below|beyond|[Aa]long|towards|"
    r"toward|off) ((?&name))\b(?! [A-Z])(?: and ((?&name))\b(?! [A-Z]))?".replace(
        "(?&name)",
        r"(?:(?:El|Al|La|Le|Los|Las|San|Santa|St|Port|New|Fort|North|South|East|West|Upper|Lower|"
        r"Great|Little|Long|Old|Mount|Lake|Cape|Kafr|Ras|Sidi|Ban|Bandar|Puerto|Porto|Villa|São|"
        r"Santo|Punta|Playa|Cabo|Monte|Costa|Isla|Ilha) )?"
        r"[A-Z][a-z][\w'’-]*(?: (?:El|Al|el|al|de|del|la|le|di|da|do|sur|upon|à la|de la|du|des) "
        r"[A-Z][a-z][\w'’-]*)?"
        r"(?: (?:West|East|North|South|Hill|Park|Green|Vale|Heath))?",
    )
)
_LISTED = (
    r"[A-Z][\w'’-]*(?: (?:(?:El|Al|de|del|la|à la|de la|du|des|à|au|aux|sur|upon) )?"
    r"[A-Z][\w'’-]*){0,3}"
)
_LISTED_PLACE_RE = name_rx(_LISTED)
# "the road between Isiolo and Moyale", "flights between Giza and downtown Cairo": the ends of
# a route are places, whatever else (a country, a capital) they might stand for.
_ROUTE_BETWEEN_RE = name_rx(
    r"\b(?:road|roads|railway|railways|rail|line|route|routes|highway|motorway|ferry|ferries|"
    r"flights?|crossing|border|corridor|pipeline|bridge|journey|drive|trains?|bus|buses|"
    r"services?|link|tunnel|trip|stretch|section|lorries|trucks|traffic|miles|kilometres|km|dunes|"
    r"coast|coastline|beach|shore|villages|towns|banks|bank|valley) "
    r"(?:[\w'’-]+ ){0,4}?between ((?:the )?" + _LISTED + r"(?:, (?:the )?" + _LISTED + r")* and "
    r"(?:the )?" + _LISTED + r")\b"
    r"(?! [A-Z])"
)
# "the railway that links Djibouti with Addis Ababa"
_LINKS_RE = name_rx(
    r"\b(?:links?|linking|linked|connects?|connecting|connected) ("
    + _LISTED
    + r" (?:with|to|and) "
    + _LISTED
    + r")\b(?! [A-Z])"
)
# "villages such as Ilmington and Long Compton", "towns including Hindman"
_PLACES_SUCH_AS_RE = name_rx(
    r"\b(?:villages|towns|cities|islands|communities|districts|regions|provinces|countries|"
    r"municipalities|suburbs|neighbourhoods|neighborhoods|ports|settlements|hamlets|resorts|rivers|"
    r"lakes|wetlands|beaches|mountains|forests|parks|reserves),? (?:[\w-]+ ){0,6}?"
    r"(?:such as|including|like) "
    r"((?&item)(?:, (?&item))*(?:,? (?:and|or) (?&item))?)\b(?! [A-Z])".replace(
        "(?&item)", "(?:the )?" + _LISTED
    )
)
# "marched from Martim Moniz to São Bento Palace": the ends of a journey
_FROM_TO_RE = name_rx(
    r"\b(?:march|marched|walked|walk|drove|drive|driven|travelled|traveled|flew|fly|sailed|sail|"
    r"rode|ride|cycled|stretches|stretch|runs|ran|extends|journey|route|road|trip|moved|"
    r"carried|shipped|trucked|hauled|travels|travel|commutes|commute|commuted|flying|flown|"
    r"sending|sent|delivering|delivered|trucking) (?:[\w'’-]+ ){0,4}?from ("
    + _LISTED
    + r")\b"
    r"(?! [A-Z])(?: to (?:the )?((?&item)(?:,? (?:and|or) (?&item))?)\b(?! [A-Z]))?".replace(
        "(?&item)", _LISTED
    )
)
# "Councillor Ann Dobson, who represents Chapel St Leonards": the area an elected member serves
_REPRESENTS_RE = name_rx(
    r"\b(?:(?:MP|MPs|MSP|MLA|MEP|TD|councillor|Councillor|Member|senator|Senator|assemblyman|"
    r"assemblywoman) for|(?:Councillor|councillor|MP|senator|Senator|congressman|congresswoman|"
    r"representative|deputy|member|MEP|MLA|MSP)\b[^.;]{0,60}?\b(?:represents|represented|"
    r"representing)) (" + _LISTED + r")\b(?! [A-Z])"
)
# "the sewage plant at Punnamada", "the market at Alto Molócuè", "day trips to Kuttanad"
_FACILITY_AT_RE = name_rx(
    r"\b(?:(?:plant|station|camp|site|base|mine|factory|port|jetty|wharf|terminal|depot|airport|"
    r"airstrip|hospital|clinic|market|canal|river|lake|beach|bridge|pier|quay|harbour|crossing) at|(?:trips?|journeys?|flights?|ferry|ferries|boats|buses|trains|road|roads|route) to|"
    r"and on to) "
    r"((?:(?:El|Al|Alto|Baixo|San|Santa|São|Port|New|Fort|Upper|Lower) )?[A-Z][\w'’-]+)\b"
    r"(?! [A-Z])(?!['’]s)"
)
_LIST_ACTS_RE = re.compile(
    r",? (?:have|has|had|will|would|are|were|is|was|say|said|says|can|could)\b"
)
# "Cemre, a shipbuilder in Turkey", "Tukes, the Finnish safety agency": a name in apposition
# with a kind of organisation is not a place.
_ORG_APPOSITION_RE = re.compile(
    r",? (?:a|an|the) (?:[\w'’-]+ ){0,5}?(?:company|firm|group|maker|builder|shipbuilder|agency|"
    r"authority|regulator|bank|union|association|operator|insurer|carrier|airline|ministry|"
    r"department|institute|university|charity|party|newspaper|broadcaster|producer|exporter|"
    r"supplier|contractor|developer|manufacturer|chain|retailer|watchdog|body|council)\b",
    re.IGNORECASE,
)
# "catches off Lalla Fatna", "a farm near Hope Cove": two unknown capitalised words after a
# preposition that only takes places (not "in" or "from": "in Goldman Sachs")
_NEAR_TWO_WORDS_RE = name_rx(
    r"\b(?:near|outside|around|off|beyond|nearby) "
    r"([A-Z][a-z][\w'’-]* [A-Z][a-z][\w'’-]*)\b(?! [A-Z])(?!['’]s)(?<! Eve)(?<! Day)"
)
# "eastern Slavonia": a direction word before a capitalised name the data lacks.
_DIRECTION_NAME_RE = name_rx(
    r"\b(?:(?:north|south|east|west|central)-)?(?:northern|southern|eastern|western|central|north|"
    r"south|east|west) ([A-Z][a-z][\w'’-]*)\b(?! [A-Z])"
)
# "west-central Saskatchewan", "sub-Himalayan West Bengal": a hyphenated modifier of a known place
_COMPOUND_DIRECTION_RE = name_rx(
    r"\b((?:north|south|east|west|central|sub|upper|lower)-[a-zA-Z]+) ((?:[A-Z][\w'’-]+ ){0,2}[A-Z][\w'’-]+)\b"
)
# Named natural features and areas: "Kafue River", "Maricopa County", "Queen Creek".
_FEATURE_RE = name_rx(
    r"(?<![\w-])((?:[A-Z][\w'’-]+ ){1,5}(?:" + FEATURE_HEADS + r"))\b(?! [A-Z])" + _NOT_SPEAKING
)
# "the town of Guiuan", "the village of Kaloi Limenes", "the port of Souda"
_KIND_OF_PLACE_RE = name_rx(
    r"\b(?:" + _PLACE_KINDS + r"|islands|hamlet|commune|state) of "
    r"((?:(?:El|Al|La|Le|Los|Las|San|Santa|St|Port|New|Fort) )?[A-Z][\w'’-]+"
    r"(?: (?:(?:de|del|de la|do|da|dos|du|des) )?[A-Z][\w'’-]+)?)\b(?! [A-Z])"
)
# "Gavdos, a small island off Crete"
_PLACE_APPOSITION_RE = name_rx(
    r"(?<![\w-])([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}), (?:a|an|the) (?:[\w-]+ ){0,2}?"
    r"(?:" + _PLACE_KINDS + r"|islet|factory|plant|mine|building|hospital|compound|"
    r"warehouse|camp|farm|estate|complex|mall|waterway|river|lake|beach|valley|canal|wetland|site)"
    # the kind is the head: "a school teacher" is a person
    r"(?=[,.;:]| \d| (?:in|on|at|near|outside|off|that|which|where|run|owned|built|with|of|"
    r"for|about|from|north|south|east|west|closest|nearest|worst|hardest|most)\b)"
)
# Streets and squares: "East Street", "Martin Place"; not "Downing Street said".
_STREET_RE = name_rx(
    r"(?<![\w-])((?:[A-Z][\w'’-]+ (?:the |of |de |la |du )?){1,5}(?:"
    + STREET_HEADS
    + r"))\b"
    + _NOT_SPEAKING
)
# Road numbers: "the A38", "along the M4", "the N3".
_ROAD_RE = name_rx(
    r"\b(?:the|along|on|via|off) ((?:[ABMN]|RN|RD|NH|SH|SR|DN)\d{1,4}[a-z]?(?: road)?|I-\d{1,3})\b"
    r"(?! (?:highway|motorway|bombers?|jets?|aircraft|planes?|masks?|rifles?|fighters?|engines?))"
    r"|(?<![\w-])((?:National |State |Interstate |US |U\.S\. |Federal |County |Provincial |"
    r"Trans-\w+ )?"
    r"(?:Highway|Route|Road|Hwy) \d{1,4}[A-Z]?)\b"
)


_STATE_BEFORE_RE = name_rx(r"(?<![\w-])([A-Z][a-z]+(?: [A-Z][a-z]+)?) $")
# "trees from Kentucky 550": a state's road by number, after a word for moving along it
_STATE_ROAD_RE = name_rx(
    r"\b(?:on|off|along|onto|via|from) (([A-Z][a-z]+(?: [A-Z][a-z]+)?) \d{1,4})\b(?![-–.,:/]\d|%)"
    r"(?! (?:years?|months?|days?|weeks?|times|per ?cent|points?)\b)"
)
_DEMONYM_ENDING_RE = re.compile(r"(?:ian|ean|ese|ish|ic)$")
DEMONYMS = frozenset(
    ["Greek", "Thai", "Swiss", "Basque", "Arab", "Scots", "Inuit", "Maori", "Sami", "Israeli",
     "Pakistani", "Iraqi", "Saudi", "Kuwaiti", "Omani", "Yemeni", "Qatari", "Emirati", "Bahraini",
     "Bangladeshi", "Nepali", "Somali", "Azeri", "Uzbek", "Kazakh", "Tajik", "Turkmen", "Kyrgyz",
     "American", "African", "Mexican", "Kenyan", "Ugandan", "Moroccan", "Cuban", "Tibetan",
     "Afghan", "Rwandan", "Dominican", "Jamaican", "Lankan", "Korean", "Chilean", "Dutch",
     "French", "Czech", "Welsh", "Malagasy", "Filipino", "German", "Angolan", "Guatemalan",
     "Nicaraguan", "Venezuelan", "Honduran", "Salvadoran", "Costa Rican", "Puerto Rican",
     "Mozambican", "Zimbabwean", "Tongan", "Samoan", "Fijian", "Papuan", "Sri Lankan"]
)  # fmt: skip


def _plain_word(words: Words, name: str) -> bool:
    """A one-word "name" that is really an ordinary or describing word: a stopword, a
    demonym ("Dutch municipalities"), a religion, or a word the article also writes in lower
    case ("Small towns", "New neighbourhoods")."""
    if " " in name:
        return False
    return (
        name.lower() in STOPWORDS
        or is_demonym(name)
        or name in RELIGIOUS_ADJECTIVES
        or name.lower() in words.lowercase_words
    )


def _plain_facility_name(words: Words, m: re.Match[str], start: int) -> bool:
    """ "a Baptist church", "Art market experts": a describing word, not a name, before a
    kind of facility; "the Dalmatian coast" is still a place."""
    name = m.group(1).strip()
    if " " in name or place_kind(name) or name in towns():
        return False
    if m.group(2).startswith("coast"):
        return name.lower() in words.lowercase_words
    return _plain_word(words, name) or words.starts.get(start) in words.sentence_first_words


RELIGIOUS_ADJECTIVES = frozenset(
    ["Baptist", "Catholic", "Methodist", "Anglican", "Orthodox", "Evangelical", "Lutheran",
     "Presbyterian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh", "Christian", "Islamic"]
)  # fmt: skip


def religious_body(names: list[str]) -> bool:
    """ "Catholic Church", "the Orthodox Church": a church as a body, not a building."""
    return names[-1] in CHURCH_WORDS and all(
        n in RELIGIOUS_ADJECTIVES or n.lower() in STOPWORDS or is_demonym(n) for n in names[:-1]
    )


CHURCH_WORDS = frozenset(["Church", "Chapel", "Cathedral", "Abbey", "Monastery"])
# A sentence about water: "the Danube was running high", "a dyke on the Isar burst".
_WATER_WORDS_RE = re.compile(
    r"\b(?:river|rivers|flood|floods|flooding|flooded|dyke|dykes|levee|levees|polder|polders|"
    r"downstream|upstream|tributary|confluence|barge|barges|dredging|dredged|water level|"
    r"high water|riverbank|riverbanks|floodwater|floodwaters|irrigated|irrigation)\b"
)
_CONFLUENCE_RE = name_rx(
    r"\bwhere the ([A-Z][a-z][\w'’-]*) (?:meets|joins|flows into|empties into) the "
    r"([A-Z][a-z][\w'’-]*)\b(?! [A-Z])"
)
_THE_NAME_RE = name_rx(r"(?<![\w-])the ([A-Z][a-z][\w'’-]*)\b(?! [A-Z])(?!['’]s)(?![\w-])")


def _rivers_in_context(words: Words) -> list[Suggestion]:
    """ "the Danube", "the Isar": a bare "the X" in a sentence about water is a river.

    Only a name the data lacks, never one the article also writes in lower case, never a
    demonym; the other engines' bodies ("the Commission") score higher and win.
    """
    text = words.text
    out = []
    for sentence in words.index.sentences:
        chunk = text[sentence.start : sentence.end]
        if not _WATER_WORDS_RE.search(chunk):
            continue
        for m in _THE_NAME_RE.finditer(chunk):
            name = m.group(1)
            if (
                place_kind(name)
                or name in MONTHS_DAYS
                or _plain_word(words, name)
                or name in PLACE_HEAD_WORDS
            ):
                continue
            start = sentence.start + m.start(1)
            out.append(Suggestion(start, start + len(name), "LOCATION", ENGINE, 0.6))
    return out


def is_demonym(word: str) -> bool:
    """ "Chinese", "Kenyan", "Greek": by shape, unless the word is itself a place."""
    if word in DEMONYMS:
        return True
    return bool(_DEMONYM_ENDING_RE.search(word)) and not place_kind(word) and word not in towns()


_LIST_ITEM_RE = name_rx(r"[A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)?")


def _skip_stopwords(text: str, start: int, end: int) -> int | None:
    """Where a matched name starts once leading stopwords ("On Florida Street") are dropped.

    None when nothing but the place-type word would be left.
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    for w in words[:-1]:
        if w.group() not in STOPWORDS and w.group().lower() not in STOPWORDS:
            return start + w.start()
    return None


def _contextual(words: Words, places: dict[str, str]) -> list[Suggestion]:
    """Places recognised by their context rather than the lexicon (lower scores)."""
    text = words.text
    out: list[Suggestion] = []
    for m in _REGION_RE.finditer(text):
        if m.group(2) is None and m.group(3) not in PLURAL_REGION_SUFFIXES:
            continue  # "Small towns", "Rural villages": one word before a plural is a describer
        for g in (1, 2):
            if m.group(g) and not _plain_word(words, m.group(g)):
                out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, 0.6))
    for m in _REGION_ONE_RE.finditer(text):
        name, start = m.group(1), m.start(1)
        if (cut := max(name.rfind("'s "), name.rfind("’s "))) >= 0:
            name, start = name[cut + 3 :], start + cut + 3  # "Sudan's Darfur region"
        first, _, rest = name.partition(" ")
        if rest and first.lower() in STOPWORDS:
            name, start = rest, start + len(first) + 1  # "The Devdoraki glacier"
        if name in MONTHS_DAYS or _plain_word(words, name):
            continue  # "the Chinese port", "a Greek island": a kind of place, not its name
        out.append(Suggestion(start, m.end(), "LOCATION", ENGINE, 0.8))
    for rx in (_FACILITY_RE, _NAMED_PLACE_RE):
        for m in rx.finditer(text):
            if rx is _NAMED_PLACE_RE and _BODY_AFTER_RE.match(text, m.end()):
                continue  # "Fort Worth Police Department", "the Port of London Authority"
            start = _skip_stopwords(text, m.start(), m.end())
            if start is None or (rx is _FACILITY_RE and _plain_facility_name(words, m, start)):
                continue  # "Art market experts", "a Baptist church"
            # the whole "Parliament building", "Krško nuclear power plant" above its first word
            # "the Freeport of Monrovia", "the Gulf of Aden": the whole name above the place in it
            score = 0.86 if rx is _FACILITY_RE or " of " in m.group() else 0.8
            out.append(Suggestion(start, m.end(), "LOCATION", ENGINE, score))
    for m in _HOUSE_RE.finditer(text):  # above an organisation reading ("World Trade Center")
        g = next(k for k in (1, 2, 3, 4) if m.group(k))
        if _SPEAKS_RE.match(text, m.end(g)):
            continue  # "Chatham House said", "the Met Office warned": the body
        if g > 1 and ROLE_AT_RE.search(text, max(0, m.start() - 40), m.start(g)):
            continue  # "an editor at Random House": an employer
        out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, 0.92))
    small = towns()
    for m in _PART_OF_RE.finditer(text):
        if m.group(1).split()[0] not in STOPWORDS and not re.search(
            r"(?:ian|ese|ish)$", m.group(1)
        ):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.7))
    for m in _PLACE_LIST_RE.finditer(text):
        names = list(_LIST_ITEM_RE.finditer(m.group(1)))
        known = sum(1 for n in names if n.group() in places or n.group() in small)
        if known or len(names) >= 3:  # a list with a known place, or a long one
            for n in names:
                if n.group() not in MONTHS_DAYS and n.group() not in STOPWORDS:
                    # a two-word item wins over a name guessed an agent by its shape alone
                    # above the shape-only agent guesses (0.7) and their name heads (0.75)
                    score = 0.76 if known else 0.72 if " " in n.group() else 0.6
                    start = m.start(1) + n.start()
                    out.append(Suggestion(start, start + len(n.group()), "LOCATION", ENGINE, score))
    for m in _FEATURE_OF_RE.finditer(text):
        g = next(k for k in (1, 2, 3) if m.group(k))
        if m.group(g) not in STOPWORDS and m.group(g) not in MONTHS_DAYS:
            out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, 0.6))
    for m in _DEMONYM_PLACE_RE.finditer(text):
        demonym, place = m.group(1).split(" ", 1)
        if is_demonym(demonym) and (
            place_kind(place) in ("feature", "region", "continent")
            or place in CAPITALISED_DIRECTIONS
        ):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.88))
    for m in _UPPER_LOWER_RE.finditer(text):
        g = 1 if m.group(1) else 2
        out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, 0.82))
    for m in _DEMONYM_BORDER_RE.finditer(text):
        if is_demonym(m.group(1).split()[0]):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.8))
    for m in _PLACED_BY_DIRECTION_RE.finditer(text):
        name, start = m.group(1), m.start(1)
        first, _, rest = name.partition(" ")
        if rest and first.lower() in STOPWORDS:
            name, start = rest, start + len(first) + 1  # "At Chtouka, south of"
        if name.split()[0].lower() not in STOPWORDS and name.split()[0] not in MONTHS_DAYS:
            out.append(Suggestion(start, m.end(1), "LOCATION", ENGINE, 0.75))
    for m in _REPRESENTS_RE.finditer(text):
        out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.75))
    for m in _KINDS_OF_PLACES_RE.finditer(text):
        for n in _LISTED_PLACE_RE.finditer(m.group(1)):
            if n.group().split()[0].lower() not in STOPWORDS:
                start = m.start(1) + n.start()
                out.append(Suggestion(start, start + len(n.group()), "LOCATION", ENGINE, 0.8))
    for m in _PLACE_IN_PLACE_RE.finditer(text):
        name = m.group(1)
        if ROLE_AT_RE.search(text, max(0, m.start() - 40), m.start(1)):
            continue  # "an economist at Mizuho Research in Tokyo": an employer
        if (place_kind(m.group(2)) or place_kind(m.group(2).split()[0])) and not (
            name.split()[0] in STOPWORDS or name.split()[0] in MONTHS_DAYS
        ):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.8))
    for m in _PREP_UNKNOWN_RE.finditer(text):
        for g in (1, 2):
            name = m.group(g)
            end = m.end(g)
            if name is not None and re.search(r"['’]s$", name):
                name, end = name[:-2], end - 2  # "in Rio's favelas"
            if (
                name is None
                or name in places
                or name.split()[0] in MONTHS_DAYS
                or name.split()[0].lower() in STOPWORDS
                or re.search(r"(?:ian|ese|ish|ch|ic)$", name)
                or _ORG_APPOSITION_RE.match(text, end)
            ):
                continue
            out.append(Suggestion(m.start(g), end, "LOCATION", ENGINE, 0.5))
    for m in _NEAR_TWO_WORDS_RE.finditer(text):
        name = m.group(1)
        if name.split()[0] not in MONTHS_DAYS and name.split()[0] not in TITLES:
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.5))
    for m in _FROM_TO_RE.finditer(text):
        for g in (1, 2):
            if not m.group(g):
                continue
            for n in _LISTED_PLACE_RE.finditer(m.group(g)):
                name = n.group()
                if name.split()[0].lower() not in STOPWORDS and name not in MONTHS_DAYS:
                    start = m.start(g) + n.start()
                    out.append(Suggestion(start, start + len(name), "LOCATION", ENGINE, 0.75))
    for m in _FACILITY_AT_RE.finditer(text):
        name = m.group(1)
        if name.split()[0] not in MONTHS_DAYS and not _plain_word(words, name):
            out.append(
                Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.72 if " " in name else 0.6)
            )
    for rx in (_ROUTE_BETWEEN_RE, _LINKS_RE, _PLACES_SUCH_AS_RE):
        for m in rx.finditer(text):
            if rx is _PLACES_SUCH_AS_RE and _LIST_ACTS_RE.match(text, m.end()):
                continue  # "cities, including Rotterdam and Eindhoven, have offered": agents
            for n in _LISTED_PLACE_RE.finditer(m.group(1)):
                name = n.group()
                if name in MONTHS_DAYS or name.split()[0].lower() in STOPWORDS:
                    continue
                start = m.start(1) + n.start()
                out.append(Suggestion(start, start + len(name), "LOCATION", ENGINE, 0.88))
    for m in _COMPOUND_DIRECTION_RE.finditer(text):
        if place_kind(m.group(2)):
            out.append(Suggestion(m.start(), m.end(), "LOCATION", ENGINE, 0.9))
    for m in _DIRECTION_NAME_RE.finditer(text):
        name = m.group(1)
        if re.search(r"(?:ian|ese|ish|ch|ic|an)$", name):
            continue  # "the eastern Indian state"
        if name not in places and name not in MONTHS_DAYS and name.lower() not in STOPWORDS:
            out.append(Suggestion(m.start(), m.end(), "LOCATION", ENGINE, 0.55))
    for rx in (_KIND_OF_PLACE_RE, _PLACE_APPOSITION_RE):
        for m in rx.finditer(text):
            name, start, end = m.group(1), m.start(1), m.end(1)
            first, _, rest = name.partition(" ")
            if rest and first.lower() in STOPWORDS:
                name, start = rest, start + len(first) + 1  # "In Třebíč, the nearest town"
            if name.endswith(("'s", "’s")):
                continue  # "the port of Portugal's capital": the place is the capital
            if name.split()[0] not in STOPWORDS and name.split()[0] not in MONTHS_DAYS:
                out.append(Suggestion(start, end, "LOCATION", ENGINE, 0.9))
    for rx in (_FEATURE_RE, _STREET_RE):
        for m in rx.finditer(text):
            if religious_body(m.group(1).split()):
                continue  # "the Catholic Church": a body, not a building
            if (start := _skip_stopwords(text, m.start(1), m.end(1))) is not None:
                out.append(Suggestion(start, m.end(1), "LOCATION", ENGINE, 0.85))
    out += _rivers_in_context(words)
    for m in _CONFLUENCE_RE.finditer(text):  # "where the Gunt meets the Panj"
        for g in (1, 2):
            if not place_kind(m.group(g)) and not _plain_word(words, m.group(g)):
                out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, 0.6))
    for m in _ROAD_RE.finditer(text):
        g = 1 if m.group(1) else 2
        start = m.start(g)
        state = _STATE_BEFORE_RE.search(text, max(0, start - 30), start)
        if g == 2 and state and place_kind(state.group(1)) in ("state", "region"):
            start = state.start(1)  # "Kentucky Route 160"
        out.append(Suggestion(start, m.end(g), "LOCATION", ENGINE, 0.85))
    for m in _STATE_ROAD_RE.finditer(text):
        if place_kind(m.group(2)) in ("state", "region"):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, 0.85))
    return [_after_possessive(text, s) for s in out if words.on_boundaries(s.start, s.end)]


def _after_possessive(text: str, s: Suggestion) -> Suggestion:
    """ "Sarawak's Baleh River" -> "Baleh River": the owner is a place of its own."""
    surface = text[s.start : s.end]
    cut = max(surface.rfind("'s "), surface.rfind("’s "))
    if cut < 0:
        return s
    owner = surface[:cut]
    if not (place_kind(owner) or owner in towns()):
        return s  # "Dr Mackie's Hospital", "St Anne's Church": the name itself
    return Suggestion(s.start + cut + 3, s.end, s.label, s.engine, s.score)
