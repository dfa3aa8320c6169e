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
from annotator.suggest._common import MONTHS_DAYS, REPORTING_VERBS, STOPWORDS, Words
from annotator.suggest.gazetteer import PROPER_PARTICLES, place_kind
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

ENGINE = "patterns"

TITLES = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Sir",
        "Dame",
        "Lord",
        "Lady",
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Chancellor",
        "Judge",
        "Justice",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "General",
        "Gen",
        "Senator",
        "Sen",
        "Representative",
        "Rep",
        "Professor",
        "Prof",
        "Rev",
        "Reverend",
        "Archbishop",
        "Bishop",
        "Governor",
        "Mayor",
        "Secretary",
        "Commissioner",
        "Ambassador",
        "Captain",
        "Capt",
        "Colonel",
        "Col",
        "Admiral",
        "Lieutenant",
        "Sergeant",
        "Inspector",
        "Detective",
        "Chief",
        "Superintendent",
        "Speaker",
        "Chairman",
        "Coach",
        "Foreign",
        "Defence",
        "Defense",
        "Health",
        "Finance",
        "Home",
        "Interior",
    ]
)
LOWER_TITLE_RE = re.compile(
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
    ]
)
INSTITUTIONS = frozenset(
    [
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
    ]
)
EVENT_WORDS = frozenset(
    ["Olympics", "Games", "Summit", "Marathon", "Open", "Cup", "Conference", "Paralympics", "War"]
)
JOINERS = frozenset({"of", "for", "and", "&"})

_DESC_MODIFIERS = (
    r"(?:[A-Z][a-z]+|[A-Z]{2,3}|[A-Za-z]+-[a-z]+|finance|foreign|health|interior|defence|defense|justice|"
    r"international|federal|central|local|regional|national|opposition|new|former|ruling|"
    r"military|top|supreme|high|appeals|district|state|chief|medical|sports|education|"
    r"transport|environment|trade|energy|economy|labour|labor|agriculture|football|athletics|"
    r"tax|competition|media|financial|nuclear|electoral|governing|world|data|privacy|"
    r"aviation|banking|securities|election|antitrust|water|food)"
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
    r"organisers|organizers|carmakers?|automaker|manufacturer|supermarket|prosecution)"
)
DESCRIPTION_RE = re.compile(
    r"(?<![\w-])([Tt]he (?:"
    + _DESC_MODIFIERS
    + r" ){0,2}"
    + _DESC_HEADS
    + r")(?![\w-])(?!\s+[A-Z])"
)
APPOSITION_RE = re.compile(r"[A-Z][\w'’-]*, $")
# "... in Sweden, the carmaker said": a place after a preposition, then a new subject.
PLACE_BEFORE_COMMA_RE = re.compile(
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
ADDRESSEE_CUES = re.compile(
    r"(?:\b(?:told|tells|tell|telling|informed|briefed)|\baccording to|\bspeaking to|"
    r"\binterview with|\bstatement to)\s+(?:the\s+)?$"
)
DEMONYM_RE = re.compile(r"(?<![\w-])([Tt]he [A-Z][a-z]+(?:ians|ans|eans|ese|ish|ch))\b(?!\s+[a-z])")
LINKED_RE = re.compile(
    r"(?<![\w-])([A-Z][\w]*-(?:linked|backed|led|aligned|controlled|funded|allied|supported) "
    r"(?:forces|troops|fighters|militants|rebels|separatists|groups|militias|government|"
    r"authorities|officials|paramilitaries))\b"
)
BLOC_RE = re.compile(
    r"(?<![\w-])((?:Western|European|Nato|NATO|Arab|Gulf|Allied|G7|EU) "
    r"(?:allies|partners|leaders|governments|powers|nations))\b"
)


def _is_cap(words: Words, i: int) -> bool:
    tok = words.word(i)
    if not tok or not tok[0].isupper() or not words.is_word(i):
        return False
    return not re.search(r"-[a-z]", tok)  # "Kremlin-linked" is an adjective


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
            if nxt >= len(toks) or text[toks[j][1] : toks[nxt][0]] not in (" ", ""):
                break
            if text[toks[j][1] : toks[nxt][0]] == "" and not _is_cap(words, nxt):
                break
            if _is_cap(words, nxt):
                chunk.append(nxt)
                j = nxt
                continue
            word = words.word(nxt)
            after = nxt + 1
            while (
                word in PROPER_PARTICLES
                and after + 1 < len(toks)
                and words.word(after) in PROPER_PARTICLES
                and text[toks[after - 1][1] : toks[after][0]] == " "
            ):
                after += 1  # "von der Leyen"
            if (
                after < len(toks)
                and text[toks[after - 1][1] : toks[after][0]] == " "
                and _is_cap(words, after)
                and (
                    word in PROPER_PARTICLES
                    or (word in JOINERS and any(words.word(k) in ORG_HEADS for k in chunk))
                )
            ):
                chunk.extend(range(nxt, after + 1))
                j = after
                continue
            break
        chunks.append(chunk)
        i = j + 1
    return chunks


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
        if not titled and (common or tok in MONTHS_DAYS or (positional and not acronym)):
            chunk = chunk[1:]
            continue
        break
    while chunk and (
        words.word(chunk[-1]) in MONTHS_DAYS or words.word(chunk[-1]) in PROPER_PARTICLES
    ):
        chunk = chunk[:-1]
    return chunk


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
        if toks[0] in TITLES and len(toks) > 1 and any(t not in TITLES for t in toks):
            out.append(Suggestion(start, end, "ACTOR", ENGINE, 0.9))
            name_heads.add(toks[-1])
            continue
        if any(t in ORG_HEADS for t in toks[1:]) or (len(toks) > 1 and toks[0] in ("Team",)):
            out.append(Suggestion(start, end, "ACTOR", ENGINE, 0.9))
            name_heads.add(toks[-1])
            continue
        if len(toks) == 1:
            tok = toks[0]
            if (
                tok in INSTITUTIONS
                or tok in WIRE_AGENCIES
                or (re.fullmatch(r"[A-Z]{2,6}", tok) and tok not in ACRONYM_STOP)
            ):
                out.append(Suggestion(start, end, "ACTOR", ENGINE, 0.85))
            else:
                singles.append(chunk)
            continue
        if len(toks) >= 2 and place_kind(toks[0]) and all(place_kind(t) for t in toks):
            continue
        window = max(0, start - 40)
        match = LOWER_TITLE_RE.search(text[window:start])
        if match:
            start = window + match.start()
        out.append(Suggestion(start, end, "ACTOR", ENGINE, 0.7))
        name_heads.add(toks[-1])
    for chunk in singles:
        start, end, surface = _surface(words, chunk)
        if surface in name_heads:
            out.append(Suggestion(start, end, "ACTOR", ENGINE, 0.75))
            continue
        nxt = words.next_index(chunk[-1])
        nxt_word = words.word(nxt) if nxt >= 0 else ""
        if nxt_word in ("has", "have", "had"):
            nxt2 = words.next_index(nxt)
            nxt_word = words.word(nxt2) if nxt2 >= 0 else ""
        speaker = nxt_word in REPORTING_VERBS  # "Unicef warned"
        addressee = ADDRESSEE_CUES.search(text, max(0, start - 30), start)  # "told Reuters"
        if (speaker or addressee) and not place_kind(surface):
            out.append(Suggestion(start, end, "ACTOR", ENGINE, 0.6))
    for rx, score in ((DESCRIPTION_RE, 0.8), (DEMONYM_RE, 0.75), (LINKED_RE, 0.8), (BLOC_RE, 0.75)):
        for m in rx.finditer(text):
            if rx is DESCRIPTION_RE and any(
                w.isupper() and len(w) > 1 and not place_kind(w) for w in m.group(1).split()
            ):
                continue  # "the IF Metall union": the name itself is the actor
            if (
                rx is DESCRIPTION_RE
                and APPOSITION_RE.search(text, 0, m.start(1))
                and not _place_before(text, m.start(1))
            ):
                continue  # "Transparency International, the anti-corruption group," names, not a mention
            out.append(Suggestion(m.start(1), m.end(1), "ACTOR", ENGINE, score))
    return [s for s in out if words.on_boundaries(s.start, s.end)]
