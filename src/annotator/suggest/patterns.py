"""ACTOR suggestions from surface patterns: titled names, organisations, descriptions.

No model: a chunker groups runs of capitalised tokens (joined by name particles such as
"von der", and by "of"/"for"/"and" inside organisation names), drops sentence-initial
words that are capitalised only by position, and classifies each run:
titles and honorifics + name, organisation heads ("Ministry", "Party", "Agency"...),
acronyms, institutions ("Kremlin"), other multi-word names. A lone capitalised word is an
ACTOR when it repeats the last word of a name found elsewhere in the article ("Merz" after
"Chancellor Friedrich Merz") or is the subject of a reporting verb ("Unicef warned").
Descriptions that refer to one agent keep their leading "the" (GUIDELINES.md).
"""

from __future__ import annotations

import re

from annotator.model import Document
from annotator.suggest._common import (
    MONTHS_DAYS,
    REPORTING_VERBS,
    STOPWORDS,
    TITLES,
    Words,
    guarded,
    name_rx,
    one_word_names,
    repeated_mentions,
)
from annotator.suggest.evidence import S
from annotator.suggest.gazetteer import PROPER_PARTICLES, TOWN_CUES
from annotator.suggest.place_context import (
    PLACE_AS_AGENT_VERBS,
    PLACE_LEAD_WORDS,
    PLACE_PART_NOUNS,
    is_demonym,
    religious_body,
)
from annotator.suggest.place_context import PLACE_HEAD_WORDS as PLACE_HEADS
from annotator.suggest.places import place_kind, towns
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

ENGINE = "patterns"

LOWER_TITLE_RE = name_rx(
    r"(?:Chief executive|Chief economist|Chief medical officer|Chief constable|Finance minister|"
    r"Foreign minister|Health minister|Defence minister|Former president|Former prime minister)\s+$"
)
ORG_HEADS = frozenset(
    [
        "Ministry",
        "Department",
        "Agency",
        "Party",
        "Commission",
        "Committee",
        "Council",
        "Court",
        "Bank",
        "Service",
        "Services",
        "Society",
        "Organization",
        "Organisation",
        "Union",
        "Association",
        "Institute",
        "University",
        "College",
        "Centre",
        "Center",
        "Group",
        "Holding",
        "Holdings",
        "Corporation",
        "Corp",
        "Inc",
        "Ltd",
        "Plc",
        "plc",
        "Company",
        "Co",
        "Foundation",
        "Authority",
        "Office",
        "Police",
        "Army",
        "Navy",
        "Force",
        "Forces",
        "Federation",
        "League",
        "Club",
        "Magazine",
        "Times",
        "Post",
        "Journal",
        "News",
        "Herald",
        "Gazette",
        "Telegraph",
        "Tribune",
        "Guardian",
        "Observer",
        "Sport",
        "Cars",
        "Motors",
        "Airlines",
        "Airways",
        "International",
        "Network",
        "Bureau",
        "Board",
        "Fund",
        "Trust",
        "Assembly",
        "Friends",  # "Friends of the Earth"
        "Parliament",
        "Congress",
        "Senate",
        "Tribunal",
        "Team",
        "United",
        "FC",
        "Industries",
        "Energy",
        "Group",
        "Cross",
        "Crescent",
        "Alliance",
        "Coalition",
        "Movement",
        "Front",
        "Brigade",
        "Guard",
        "Guards",
        "Council",
        "Exchange",
        "Reserve",
        "Institution",
        "Chamber",
    ]
)
INSTITUTIONS = frozenset(
    [
        "Police",  # "Police closed the road": capitalised only opening a sentence
        # parliaments by their own names
        "Seimas",
        "Sejm",
        "Senedd",
        "Storting",
        "Riksdag",
        "Folketing",
        "Dáil",
        "Oireachtas",
        "Saeima",
        "Riigikogu",
        "Eduskunta",
        "Althing",
        "Sabor",
        "Bundesrat",
        "Nationalrat",
        "Majlis",
        "Rada",
        "Khural",
        "Kremlin",
        "Pentagon",
        "Vatican",
        "Congress",
        "Parliament",
        "Senate",
        "Bundestag",
        "Duma",
        "Knesset",
        "Whitehall",
        "Elysee",
        "Élysée",
        "Politburo",
        "Nato",
        "NATO",
        "Hamas",
        "Hezbollah",
        "Taliban",
        "Interpol",
        "Europol",
        "Unicef",
        "Unesco",
    ]
)
ACRONYM_STOP = frozenset(
    [
        "TV",
        "CEO",
        "GDP",
        "AM",
        "PM",
        "OK",
        "II",
        "III",
        "IV",
        "COVID",
        "AI",
        "UTC",
        "BST",
        "GMT",
        "CET",
        "PDF",
        "ID",
        "VAT",
        "GP",
    ]
)
EVENT_WORDS = frozenset(
    ["Olympics", "Games", "Summit", "Marathon", "Open", "Cup", "Conference", "Paralympics", "War"]
)
JOINERS = frozenset({"of", "for", "and", "&", "on"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})

_DESC_MODIFIERS = (
    r"(?:[A-Z][a-z]+|[A-Z]{2,3}|[A-Za-z]+-[a-z]+|finance|foreign|health|interior|defence|defense|justice|"
    r"international|federal|central|local|regional|national|opposition|new|former|ruling|"
    r"military|top|supreme|high|appeals|district|state|chief|medical|sports|education|"
    r"transport|environment|trade|energy|economy|labour|labor|agriculture|football|athletics|"
    r"tax|competition|media|financial|nuclear|electoral|governing|world|data|privacy|"
    r"aviation|banking|securities|election|antitrust|water|food|combined|monetary|policy|"
    r"eastern|western|northern|southern|provincial|village|county|town|city|state power|"
    r"municipal|cantonal|mining|hospital|parish|park|housing)"
)
_DESC_HEADS = (
    r"(?:president|prime minister|chancellor|government|minister|court|company|carmaker|firm|"
    r"group|authorities|opposition|army|military|police|regime|administration|ministry|judge|"
    r"prosecutors?|bank|international community|junta|cabinet|parliament|leadership|"
    r"rebels|insurgents|militants|protesters|Russians|Americans|Ukrainians|Chinese|Israelis|"
    r"Palestinians|British|French|Germans|Iranians|allies|"
    # agents named by their role: one specific person, firm or body in context
    r"runner|athlete|player|coach|manager|striker|champion|regulator|watchdog|union|club|"
    r"team|insurer|lender|airline|retailer|broadcaster|agency|department|council|committee|"
    r"commission|federation|league|spokesman|spokeswoman|spokesperson|chairman|chairwoman|"
    r"chief executive|founder|secretary|defendant|suspect|mayor|governor|senator|ambassador|"
    r"organisers|organizers|carmakers?|automaker|manufacturer|supermarket|prosecution|"
    r"board|party|researchers|authority|\d+-year-old|association|legislature|justices|museum|"
    r"family|embassy|consulate|ministry|coastguard|coast guard|municipality|utility|"
    r"assembly|prefecture|town hall|city hall|chamber|village assembly|provincial government|"
    r"coalition|institute|unions|governments|auditors|commissioners court|cooperative|"
    r"co-operative|bloc|operator|presidency|air force|navy)"
)
DESCRIPTION_RE = name_rx(
    r"(?<![\w-])([Tt]he (?:"
    + _DESC_MODIFIERS
    + r" ){0,2}"
    + _DESC_HEADS
    + r")(?![\w-])(?!\s+[A-Z])"
)
# "shares in Kestrel Pay": what comes after "in" is a company, not a place.
STAKE_WORDS = frozenset(["shares", "stake", "stakes", "invested", "investment", "interest"])
RESTRICTIVE_RE = name_rx(r" (?:that|who) (?!is\b|was\b|has\b|had\b)[a-z]+s\b")
APPOSITION_RE = name_rx(r"[A-Z][\w'’-]*, $")
# "... in Sweden, the carmaker said": a place after a preposition, then a new subject.
PLACE_BEFORE_COMMA_RE = name_rx(
    r"\b(?:in|at|from|across|near|throughout|inside|outside|to|into) "
    r"((?:[A-Z][\w'’-]* ){0,3}[A-Z][\w'’-]*), $"
)
# News agencies and wires: single words with no organisation cue. A labelled list; keep tiny.
WIRE_AGENCIES = frozenset(
    [
        "Reuters",
        "AP",
        "AFP",
        "Bloomberg",
        "Xinhua",
        "TASS",
        "Tass",
        "Interfax",
        "Kyodo",
        "Yonhap",
        "Anadolu",
        "Bernama",
        "UPI",
        "EFE",
        "ANSA",
        "PTI",
    ]
)
# Words before a lone capitalised name that make it a speaker's addressee or source:
# "told Reuters", "according to Politico", "in an interview with Axios".
ADDRESSEE_CUES = name_rx(
    r"(?:\b(?:told|tells|tell|telling|informed|briefed)|\baccording to|\bspeaking to|"
    r"\binterview with|\bstatement to)\s+(?:the\s+)?$"
)
BLOC_RE = name_rx(
    r"(?<![\w-])((?:Western|European|Nato|NATO|Arab|Gulf|Allied|G7|EU) "
    r"(?:allies|partners|leaders|governments|powers|nations))\b"
)


def _is_cap(words: Words, i: int) -> bool:
    tok = words.word(i)
    if not tok or not tok[0].isupper() or not words.is_word(i):
        return False
    return not re.search(r"-[a-z]", tok)  # "Kremlin-linked" is an adjective


def _gap(words: Words, i: int, j: int) -> str:
    """The text between tokens i and j."""
    return words.text[words.toks[i][1] : words.toks[j][0]]


def _cap_run(words: Words, k: int) -> list[int]:
    """Capitalised tokens from k on, one space apart ("Response Service")."""
    run: list[int] = []
    while k < len(words.toks) and _is_cap(words, k) and (not run or _gap(words, k - 1, k) == " "):
        run.append(k)
        k += 1
    return run


def _org_list_tail(words: Words, j: int) -> int:
    """After an organisation name ending at token j: the end of ", B and C" (or j).

    "Commission for Conciliation, Mediation and Arbitration", "Department for Environment,
    Food and Rural Affairs": the list belongs to the name when it closes with "and" + name.
    """
    k = j
    while True:
        comma = k + 1
        if words.word(comma) != "," or _gap(words, k, comma) != "":
            return j
        run = _cap_run(words, comma + 1)
        if not run or _gap(words, comma, comma + 1) != " ":
            return j
        k = run[-1]
        joiner = k + 1
        if words.word(joiner) in ("and", "&") and _gap(words, k, joiner) == " ":
            last = _cap_run(words, joiner + 1)
            return last[-1] if last and _gap(words, joiner, joiner + 1) == " " else j


def _chunks(words: Words) -> list[list[int]]:
    toks = words.toks
    text = words.text
    chunks: list[list[int]] = []
    i = 0
    while i < len(toks):
        if not _is_cap(words, i):
            i += 1
            continue
        chunk = [i]
        j = i
        while True:
            nxt = j + 1
            if nxt >= len(toks):
                break
            gap = text[toks[j][1] : toks[nxt][0]]
            word = words.word(nxt)
            owner = words.word(j)
            if gap == "" and word in POSSESSIVES and not place_kind(owner) and not owner.isupper():
                # "Information Commissioner's Office", "Citrus Growers' Association"
                run = _cap_run(words, nxt + 1)
                if (
                    run
                    and _gap(words, nxt, nxt + 1) == " "
                    and (words.word(run[-1]) in ORG_HEADS or words.word(run[-1]) in PLACE_HEADS)
                ):
                    chunk.extend(range(nxt, run[-1] + 1))
                    j = run[-1]
                    continue
                break
            if gap not in (" ", ""):
                break
            if gap == "" and not _is_cap(words, nxt):
                break
            if _is_cap(words, nxt):
                chunk.append(nxt)
                j = nxt
                continue
            after = nxt + 1
            if (
                word in ("of", "for")  # "Federal Office for the Environment"
                and words.word(after) == "the"
                and any(words.word(k) in ORG_HEADS for k in chunk)
                and words.word(chunk[-1]) in ORG_HEADS
                and after + 1 < len(toks)
                and _gap(words, nxt, after) == " "
                and _gap(words, after, after + 1) == " "
                and _is_cap(words, after + 1)
            ):
                run = _cap_run(words, after + 1)
                chunk.extend(range(nxt, run[-1] + 1))
                j = run[-1]
                continue
            while (
                word in PROPER_PARTICLES
                and after + 1 < len(toks)
                and words.word(after) in PROPER_PARTICLES
                and text[toks[after - 1][1] : toks[after][0]] == " "
            ):
                after += 1  # "von der Leyen"
            if not (
                after < len(toks)
                and text[toks[after - 1][1] : toks[after][0]] == " "
                and _is_cap(words, after)
            ):
                break
            run = _cap_run(words, after)
            if words.word(run[0]) in MONTHS_DAYS:
                break  # "the Supreme Court on Tuesday"
            head_before = any(words.word(k) in ORG_HEADS for k in chunk)
            head_after = words.word(run[-1]) in ORG_HEADS
            if word in PROPER_PARTICLES and word not in JOINERS:
                join = True
            elif word in ("and", "&"):
                # "Response Service", "Mail & Guardian"; not "the European Union and Japan"
                join = (
                    head_after
                    or words.word(run[-1]) in DOCUMENT_HEADS
                    or (
                        head_before
                        and words.word(j) not in ORG_HEADS
                        and not place_kind(" ".join(words.word(k) for k in run))
                    )
                )
            elif word in JOINERS:
                join = head_before or head_after
            else:
                join = False
            if not join:
                break
            chunk.extend(range(nxt, after + 1))
            j = after
            if word in JOINERS:
                tail = _org_list_tail(words, run[-1]) if head_before else run[-1]
                if tail != run[-1] or len(run) > 1:
                    chunk.extend(range(j + 1, tail + 1))
                    j = tail
        chunks.append(chunk)
        i = j + 1
    return chunks


FIRST_NAME_MONTHS = frozenset(["Jan", "May", "June", "April", "August"])
# Roles after a party name: "Patriotic Front MP" is the party.
TRAILING_ROLES = frozenset(["MP", "MPs", "MEP", "MEPs", "MSP", "MLA", "CEO", "Senator"])


def _strip(words: Words, chunk: list[int]) -> list[int]:
    while chunk:
        first = chunk[0]
        tok = words.word(first)
        positional = first in words.sentence_first_words and (
            tok.lower() in words.lowercase_words or re.search(r"(?:ing|ed|ly)$", tok)
        )
        titled = tok in TITLES and len(chunk) > 1
        acronym = tok.isupper() and len(tok) > 1
        common = (tok in STOPWORDS or tok.lower() in STOPWORDS) and not acronym
        month = tok in MONTHS_DAYS and not (
            tok in FIRST_NAME_MONTHS and len(chunk) > 1  # "Jan van Goyen", "May Lee"
        )
        if (
            positional
            and not common
            and (words.word(chunk[1]) in TITLES if len(chunk) > 1 else False)
        ):
            positional = False  # "Immigration Minister Karine Lapointe"
        if positional and len(chunk) >= 3 and not re.search(r"(?:ing|ed|ly)$", tok):
            positional = False  # "Human Rights Watch said"
        if not titled and (common or month or (positional and not acronym)):
            chunk = chunk[1:]
            continue
        break
    while chunk and (
        words.word(chunk[-1]) in MONTHS_DAYS
        or words.word(chunk[-1]) in PROPER_PARTICLES
        or (len(chunk) > 1 and words.word(chunk[-1]) in TRAILING_ROLES)
    ):
        chunk = chunk[:-1]
    return chunk


APPOSED_BODY_RE = name_rx(
    r", (?:the|a|an) (?:[\w'’-]+ ){0,4}?(?:agency|party|company|firm|group|union|regulator|"
    r"publisher|developer|carmaker|airline|bank|lender|charity|organisation|organization|"
    r"broadcaster|newspaper|watchdog|ministry|authority|coalition|movement|body|council|"
    r"association|federation|operator|insurer|retailer|maker|manufacturer|network)\b"
)
WHICH_ACTS_RE = name_rx(
    r", (?:which|who) (?:[a-z]+ ){0,2}?(?:[a-z]+ed|has|have|owns|runs|makes|employs|bought|"
    r"sold|made|won|took|built|ran|led|owned|paid|lost)\b"
)


OFFICIAL_RE = name_rx(
    r"(?:'s|’s) (?:[a-z-]+ ){0,2}?(?:head|chief|director|chairman|chairwoman|chair|spokesman|"
    r"spokeswoman|spokesperson|executive|president|founder|owner|secretary|manager|boss|"
    r"leader|minister|negotiator|lawyer|lawyers)\b"
)


def _owns_an_official(words: Words, last: int) -> bool:
    """ "Eskom's head of distribution": a name with officials of its own is an agent."""
    return bool(OFFICIAL_RE.match(words.text, words.toks[last][1]))


def _named_in_apposition(words: Words, last: int) -> bool:
    """ "Frontex, the EU's border agency": a name explained by what kind of body it is."""
    return bool(APPOSED_BODY_RE.match(words.text, words.toks[last][1]))


def _acts_after_which(words: Words, last: int) -> bool:
    """ "Microsoft, which bought Activision": a relative clause saying what it did."""
    return bool(WHICH_ACTS_RE.match(words.text, words.toks[last][1]))


COMPASS = frozenset(["North", "South", "East", "West", "Upper", "Lower", "Greater", "Central"])
PLACE_TAILS = PLACE_HEADS | {"CBD", "Base", "Elementary"}


def _place_like(toks: list[str]) -> bool:
    """A compass word before a place, or a place-type word at the end: not a person or body."""
    rest = " ".join(toks[1:])
    if toks[0] in COMPASS and (place_kind(rest) or rest in towns()):
        return True
    return toks[-1] in PLACE_TAILS and not religious_body(toks)


# "the SAVA region": an acronym that names a place
REGION_WORDS = frozenset(["region", "province", "district", "county", "valley"])
_SPEAKER_PLACE_PREPS = frozenset(
    ["in", "around", "near"]
)  # not "at" or "from": "Analysts at Davy said"
# Words that open the name of a business named after its place: "Hotel Utne", "Radio Kolari".
ESTABLISHMENTS = frozenset(["Hotel", "Radio", "Café", "Cafe", "Restaurant", "Bar", "Camping"])


def _add_name_head(heads: set[str], toks: list[str]) -> None:
    """Remember the last word of a name ("Mr Hrubý" -> "Hrubý") to tag it when it stands alone.

    Not a place named inside it: "Federation of Artisanal Fishermen of Quellón" and "CPRE
    Warwickshire" do not make "Quellón" or "Warwickshire" actors elsewhere.
    """
    head = toks[-1]
    if len(toks) > 1 and toks[-2] in JOINERS:
        return
    if toks[0] in ORG_HEADS | ESTABLISHMENTS and head in towns():
        return  # "Hotel Utne", "Radio Kolari": a body named after its town
    if place_kind(head):  # not the smaller towns: many are surnames too (Benson, Almeida)
        return
    heads.add(head)


def _is_acronym(tok: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z]{2,6}", tok)) and tok not in ACRONYM_STOP and not place_kind(tok)
    )


def _place_before(text: str, start: int) -> bool:
    """True for "in Sweden, " right before ``start``: a place, not a name in apposition."""
    m = PLACE_BEFORE_COMMA_RE.search(text, max(0, start - 80), start)
    return bool(m) and place_kind(m.group(1)) is not None


def _surface(words: Words, chunk: list[int]) -> tuple[int, int, str]:
    start, end = words.toks[chunk[0]][0], words.toks[chunk[-1]][1]
    return start, end, words.text[start:end]


def suggest(doc: Document, index: TextIndex, words: Words | None = None) -> list[Suggestion]:
    words = words or Words(doc.text, index)
    text = doc.text
    out: list[Suggestion] = []
    singles: list[list[int]] = []
    name_heads: set[str] = set()
    for raw in _chunks(words):
        chunk = _strip(words, raw)
        if not chunk:
            continue
        start, end, surface = _surface(words, chunk)
        toks = [words.word(k) for k in chunk]
        if place_kind(surface) or any(t in EVENT_WORDS for t in toks):
            continue
        if len(toks) > 1 and toks[-1] in DOCUMENT_HEADS:
            continue
        if (
            len(toks) == 2
            and toks[0] in ("North", "South", "East", "West", "Central")
            and re.search(r"(?:an|ese|ish|ch|i)$", toks[1])
            and words.word(words.next_index(chunk[-1]))[:1].islower()
        ):
            continue  # "South Korean chipmakers", "a South African economist"
        if (
            len(toks) > 1
            and toks[-1] in PLACE_HEADS
            and words.word(words.next_index(chunk[-1]))
            not in REPORTING_VERBS | PLACE_AS_AGENT_VERBS
            and not religious_body(toks)
        ):
            continue  # "Queen Street", "Leeds Bradford Airport": places (gazetteer), unless they speak
        if (
            len(toks) > 1
            and toks[0] in PLACE_LEAD_WORDS
            and not any(t in ORG_HEADS for t in toks)
            and words.word(words.next_index(chunk[-1])) not in REPORTING_VERBS
        ):
            continue  # "River Stour", "Port Hinchinbrook": places (gazetteer), unless they speak
        if toks[0] in TITLES and len(toks) > 1 and any(t not in TITLES for t in toks):
            out.append(Suggestion(start, end, "ACTOR", ENGINE, S.title_name))
            _add_name_head(name_heads, toks)
            continue
        if (
            any(t in ORG_HEADS for t in toks[1:])
            or (len(toks) > 1 and toks[0] in ("Team",))
            or (
                len(toks) > 2 and toks[0] in ORG_HEADS and toks[1] in JOINERS
            )  # "University of Chile"
        ):
            out.append(Suggestion(start, end, "ACTOR", ENGINE, S.org_head_name))
            _add_name_head(name_heads, toks)
            continue
        if len(toks) == 1:
            tok = toks[0]
            if (
                tok in INSTITUTIONS
                or tok in WIRE_AGENCIES
                or tok in PARTY_NAMES
                or (
                    _is_acronym(tok) and words.word(words.next_index(chunk[-1])) not in REGION_WORDS
                )
            ):
                out.append(Suggestion(start, end, "ACTOR", ENGINE, S.known_body_word))
            else:
                singles.append(chunk)
            continue
        if len(toks) >= 2 and place_kind(toks[0]) and all(place_kind(t) for t in toks):
            continue
        if (
            _place_like(toks)
            and words.word(words.next_index(chunk[-1])) not in PLACE_AS_AGENT_VERBS
        ):
            continue  # "North Lismore", "Lismore CBD": a place (the gazetteer's), not a name
        before = words.prev_word(chunk[0])
        if (
            words.word(before).lower()
            in (
                "in",
                "near",
                "through",
                "via",
                "outside",
                "inside",
                "around",
                "above",
                "along",
                "towards",
                "toward",
                "beyond",
                "below",
                "off",
            )
            and words.word(chunk[-1] + 1) not in POSSESSIVES
            and words.word(words.prev_word(before)).lower() not in STAKE_WORDS
        ):
            continue  # "stops in Knowle West": an unknown name after "in" is a place
        if surface in towns() and (
            words.word(before).lower() in TOWN_CUES | {"on", "for"}
            or words.word(chunk[-1] + 1) not in REPORTING_VERBS
        ):
            continue  # "the chaos at Ter Apel": a known town, unless it speaks (the gazetteer's)
        if words.word(before) == "of" and words.word(words.prev_word(before)) in PLACE_PART_NOUNS:
            continue  # "the suburbs of Walloon Brabant", "residents of Dobhan"
        window = max(0, start - 40)
        match = LOWER_TITLE_RE.search(text[window:start])
        if match:
            start = window + match.start()
        out.append(Suggestion(start, end, "ACTOR", ENGINE, S.shape_guess))
        _add_name_head(name_heads, toks)
    for chunk in singles:
        start, end, surface = _surface(words, chunk)
        if surface in name_heads:
            out.append(Suggestion(start, end, "ACTOR", ENGINE, S.name_head_again))
            continue
        nxt = words.next_index(chunk[-1])
        nxt_word = words.word(nxt) if nxt >= 0 else ""
        if nxt_word in ("has", "have", "had"):
            nxt2 = words.next_index(nxt)
            nxt_word = words.word(nxt2) if nxt2 >= 0 else ""
        if nxt_word in ("and", "or"):  # "Maersk and MSC have begun": a partner of an agent
            partner = words.next_index(nxt)
            if partner >= 0 and (
                words.word(partner) in INSTITUTIONS or _is_acronym(words.word(partner))
            ):
                out.append(Suggestion(start, end, "ACTOR", ENGINE, S.partner_of_body))
                continue
        if (
            chunk[0] in words.sentence_first_words
            and len(surface) > 6
            and re.search(r"(?:ists|ysts|ers|ants|ents|ors|ians|ics|ives)$", surface)
            and surface not in ("Prosecutors", "Investigators")  # the case's own authority
        ):
            continue  # "Analysts said", "Campaigners warned": a generic group
        if (
            _named_in_apposition(words, chunk[-1])
            or _acts_after_which(words, chunk[-1])
            or (_owns_an_official(words, chunk[-1]) and not place_kind(surface))
        ):
            # a small town with a mayor is an agent there, but not a name to tag everywhere
            score = S.small_town_with_official if surface in towns() else S.apposed_or_acting_name
            out.append(Suggestion(start, end, "ACTOR", ENGINE, score))
            continue
        before = words.prev_word(chunk[0])
        if words.word(before) in _SPEAKER_PLACE_PREPS or (
            words.word(before) == "and"
            and words.word(words.prev_word(before, 2)) in _SPEAKER_PLACE_PREPS
        ):
            continue  # "Shopkeepers in Phungling said": the speakers are the shopkeepers
        speaker = nxt_word in REPORTING_VERBS  # "Unicef warned"
        addressee = ADDRESSEE_CUES.search(text, max(0, start - 30), start)  # "told Reuters"
        if (speaker or addressee) and not place_kind(surface):
            out.append(Suggestion(start, end, "ACTOR", ENGINE, S.speaker_or_addressee))
    for rx, score in (
        (DESCRIPTION_RE, S.description),
        (BLOC_RE, S.bloc),
    ):
        for m in rx.finditer(text):
            if rx is DESCRIPTION_RE and any(
                w.isupper() and len(w) > 1 and not place_kind(w) for w in m.group(1).split()
            ):
                continue  # "the IF Metall union": the name itself is the actor
            if (
                rx is DESCRIPTION_RE
                and (apposed := APPOSITION_RE.search(text, max(0, m.start(1) - 80), m.start(1)))
                and apposed.group().rstrip(", ") not in MONTHS_DAYS
                and not _place_before(text, m.start(1))
            ):
                continue  # "Transparency International, the anti-corruption group," names, not a mention
            if rx is DESCRIPTION_RE and RESTRICTIVE_RE.match(text, m.end(1)):
                continue  # "the team that finishes bottom": a kind, not one agent
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, score))
    out += _named_by_description(text)
    for m in _FAMILY_RE.finditer(text):
        if m.group(1).split()[0] not in STOPWORDS and not place_kind(m.group(1).split()[0]):
            # above "The Hallworth family" as a description: a name inside, so no "the"
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.family))
    out += _owned_bodies(text)
    out += _place_bodies_acting(text)
    out += _offices_and_national_bodies(text)
    out += _acronyms_defined(text, out)
    out += _repeated_names(words, out)
    return [s for s in out if words.on_boundaries(s.start, s.end)]


# "the state logistics company Transnet", "the newspaper Folha de S.Paulo": a common noun
# for a kind of organisation, then its name.
_KIND_OF_BODY = (
    r"company|firm|group|union|newspaper|paper|daily|broadcaster|agency|carmaker|airline|"
    r"insurer|lender|bank|retailer|regulator|watchdog|charity|network|magazine|website|"
    r"operator|utility|club|party|conglomerate|giant|start-up|startup|manufacturer|"
    r"supermarket|chain|consultancy|think tank|pressure group|campaign group|broadsheet|"
    r"tabloid|outlet|publisher|platform|developer|contractor|consortium|shipping line|"
    r"shipping newspaper|investment fund|fund|exchange"
)
_NAME = r"[A-Z][\w&'’-]*(?:\.[A-Z][\w'’-]*)*"
_NAMED_BY_DESCRIPTION_RE = name_rx(
    r"(?<![\w-])[Tt]he (?:[\w-]+ ){0,3}?(?:" + _KIND_OF_BODY + r") "
    r"("
    + _NAME
    + r"(?:(?:(?:'s|’s)?|(?: for| of| and| &)) "
    + _NAME
    + r"| (?:de|da|do|del|von|van|der|du|of) "
    + _NAME
    + r")*)"
)
# Parties and unions named by one ordinary-looking word. A labelled list; keep tiny.
PARTY_NAMES = frozenset(
    ["Labour", "Labor", "Tories", "Conservatives", "Democrats", "Republicans", "Greens",
     "Liberals", "Nationals", "Socialists", "Unite", "Unison"]
)  # fmt: skip
_FAMILY_RE = guarded(
    name_rx(r"(?<![\w-])([A-Z][\w'’-]+ family)\b"),
    " family",
)
# "her government", "its party": the body belongs to the speaker named before.
_OWNED_BODY_RE = name_rx(
    r"(?<![\w-])(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir) (government|party|administration|office)\b"
)
# "the United National Transport Union (Untu)": the short name defined in brackets.
_DEFINED_ACRONYM_RE = name_rx(r" \(([A-Z][A-Za-z&]{1,9})\)")
# Names of documents and laws: "General Data Protection Regulation" is not an agent.
DOCUMENT_HEADS = frozenset(
    ["Regulation", "Act", "Directive", "Treaty", "Accord", "Protocol", "Agreement", "Bill",
     "Law", "Code", "Charter", "Declaration", "Constitution", "Amendment", "Report", "Index"]
)  # fmt: skip


APPOSED_NAME_RE = name_rx(
    r"(?<![\w-])[Tt]he (?:[\w-]+ ){0,3}?(?:agency|company|firm|group|union|regulator|utility|"
    r"broadcaster|newspaper|charity|operator|association|body|watchdog), ([A-Z][\w&'’-]+),"
)


# "the county would ask the state for funds", "the hospital said": a place-like body that acts.
# In "in the county" or "the state's 254 counties" it is only a place (left untagged).
_PLACE_BODY_RE = name_rx(
    r"(?<![\w-])([Tt]he (?:county|state|canton|hospital|city|town|village|province|district|"
    r"school|university|parish|force|mills|owners))(?![\w-])"
)
_BODY_ACTS_RE = re.compile(
    r"(?:['’]s (?:request|decision|plan|proposal|offer|chief|director|board|officials|lawyers|"
    r"spokesman|spokeswoman|spokesperson|administration|government|attorney)\b"
    # "had asked", "has not been open" (an auxiliary), not "has 254 counties" (a possession)
    r"| (?:has|had|have) (?:not |also |already |now |long |since )?(?:been|[a-z]+ed|[a-z]+en|"
    r"lost|told|paid|made|sent|said|won|built|found|spent|kept|held|left|brought|bought|sought)\b"
    r"| (?:said|says|will|would|must|should|agreed|asked|opened|closed|"
    r"decided|plans|wants|announced|refused|approved|argued|insisted|warned|denied|confirmed|"
    r"pays|paid|sued|appealed|ordered)\b)"
)
_ASKS_BODY_RE = re.compile(r"\b(?:ask|asked|asking|urged|told|tell|sued|suing|against) $")


_PLACED_BODY_RE = re.compile(
    r"\b(?:from|in|of|to|at|near|across|around|outside|inside|into|for|on|throughout|within) $"
)


# "The president's office said", "the presidential office": the office acts for its holder.
_OFFICE_RE = name_rx(
    r"(?<![\w-])([Tt]he (?:(?:president|governor|prime minister|mayor|minister|king|chancellor|"
    r"premier)['’]s|presidential|prime ministerial|mayoral) office)\b"
)
# "Icelandic authorities evacuated", "Serbian parliament rejects": a nation's body, no "the".
_NATIONAL_BODY_RE = name_rx(
    r"(?<![\w-])(?<!the )(?<!a )(?<!an )([A-Z][a-z]+ "
    r"(?:authorities|police|government|parliament|prime minister|president|army|"
    r"military|troops|forces|coastguard|navy|cabinet|regulators|prosecutors|court|coalition))\b"
    r"(?!['’]s)(?! [A-Z])"
    r"(?! (?:patrols|boats|vessels|officers|ships|units|members|spokesman|spokeswoman|chief|head|"
    r"official|officials|minister|ministers|source|sources)\b)"
)
# "told parliament", "would ask parliament to": the legislature as the one addressed
_BARE_PARLIAMENT_RE = guarded(
    re.compile(
        r"(?<!the )(?<!a )(?<!of )(?<!European )(?<![Ss]ingle )(?<!in )(?<!into )(?<!to )(?<!through )"
        r"\b(parliament)\b"
        r"(?! (?:building|buildings|seat|seats|speaker|member|members|election|elections|session|"
        r"majority|vote|votes|term|debate|chamber|house|hall|committee|square)\b)"
    ),
    "parliament",
)


def _offices_and_national_bodies(text: str) -> list[Suggestion]:
    out = [
        Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.office)
        for m in _OFFICE_RE.finditer(text)
    ]
    for m in _NATIONAL_BODY_RE.finditer(text):
        demonym = m.group(1).split()[0]
        before = text[max(0, m.start(1) - 20) : m.start(1)].split()
        if before and before[-1][:1].isupper() and before[-1][-1:].isalpha():
            continue  # "Sri Lankan police": not half of a longer name
        if is_demonym(demonym) and not place_kind(demonym):
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.national_body))
    out += [
        Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.bare_parliament)
        for m in _BARE_PARLIAMENT_RE.finditer(text)
    ]
    return out


def _place_bodies_acting(text: str) -> list[Suggestion]:
    out = []
    for m in _PLACE_BODY_RE.finditer(text):
        before = text[max(0, m.start(1) - 12) : m.start(1)]
        if _PLACED_BODY_RE.search(before):
            continue  # "young men from the town had left": the town is where, not who
        if _BODY_ACTS_RE.match(text, m.end(1)) or _ASKS_BODY_RE.search(before):
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.place_body_acting))
    return out


def _named_by_description(text: str) -> list[Suggestion]:
    out = [
        Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.apposed_body_name)
        for m in APPOSED_NAME_RE.finditer(text)
        if not place_kind(m.group(1)) and m.group(1) not in STOPWORDS
    ]
    for m in _NAMED_BY_DESCRIPTION_RE.finditer(text):
        name = m.group(1)
        if name in STOPWORDS or name.split()[0] in MONTHS_DAYS or place_kind(name):
            continue
        out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.named_by_kind))
    return out


def _owned_bodies(text: str) -> list[Suggestion]:
    return [
        Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.owned_body)
        for m in _OWNED_BODY_RE.finditer(text)
    ]


_KNOWN_AS_RE = name_rx(
    r",? (?:known as|also known as|or) (?:the )?([A-Z][A-Za-z&-]{1,14})\b(?! [A-Z])"
)


def _acronyms_defined(text: str, found: list[Suggestion]) -> list[Suggestion]:
    """The short name given right after an organisation's full name is an ACTOR too:
    "the United National Transport Union (Untu)", "..., known as VTrans"."""
    ends = {s.end for s in found if s.label == "ACTOR" and " " in text[s.start : s.end]}
    out = []
    for end in ends:
        if (m := _KNOWN_AS_RE.match(text, end)) and m.group(1) not in ACRONYM_STOP:
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.acronym_defined))
    for m in _DEFINED_ACRONYM_RE.finditer(text):
        if m.start() in ends and m.group(1) not in ACRONYM_STOP:
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, S.acronym_defined))
    return out


def _repeated_names(words: Words, found: list[Suggestion]) -> list[Suggestion]:
    """One sense per article: a one-word name found as an ACTOR is one everywhere in it.

    "Untu" defined once in brackets, "Transnet" named once after "the company": later
    mentions ("Untu's general secretary", "Transnet insisted") are the same agent.
    """
    names = one_word_names(found, words.text, "ACTOR", S.repeated_actor_from)
    names -= {n for n in names if place_kind(n) or n in STOPWORDS or n in MONTHS_DAYS}
    return repeated_mentions(words, names, found, "ACTOR", ENGINE, S.repeated_actor)
