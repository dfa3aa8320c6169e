"""Places found by their context and their shape, where the data has no entry.

"residents of X", "the road between X and Y", "X, a town 40 km north of Y", "a bridge over
the X"; "River X", "X Wharf", "the X nuclear power plant". Each rule came from a class of
misses on unseen gold articles and has a unit test (``tests/test_suggest.py``). Scores rank
them against the gazetteer's known names: a whole name found by its shape ("the Freeport of
Monrovia") outranks the known place inside it; a guess from context alone ("in X") ranks
below any name the data or the patterns engine knows.
"""

from __future__ import annotations

import re

from annotator.suggest._common import (
    MONTHS_DAYS,
    STOPWORDS,
    Words,
    guarded,
    name_rx,
)
from annotator.suggest.evidence import S
from annotator.suggest.places import place_kind, towns
from annotator.suggest.types import Suggestion

ENGINE = "gazetteer"

CAPITALISED_DIRECTIONS = frozenset(
    ["Eastern", "Western", "Northern", "Southern", "Central", "North", "South", "East", "West",
     "Inner", "Outer"]
)  # fmt: skip
PLURAL_REGION_SUFFIXES = frozenset(["regions", "provinces", "districts", "oblasts", "counties"])
# Words that make a place's name into a body's: "Port of London Authority".
_BODY_AFTER_RE = re.compile(
    r" (?:Authority|Authorities|Commission|Council|Board|Police|Trust|Department|Committee|"
    r"Company|Corporation|Agency|Olympic|Club|University|College|Institute)\b"
)

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
# "the upper Afan valley", "the upper Greybull River": a reach of a valley or river
_UPPER_LOWER_RE = guarded(
    name_rx(
        r"\b((?:upper|lower) (?:[A-Z][\w'’-]+ )+(?:valley|River|Valley|river|reaches|basin))\b"
        r"|\bthe ((?:upper|lower) [A-Z][a-z][\w'’-]*)\b(?! [A-Z])(?!['’]s)"  # "the upper Baleh"
        r"(?! (?:valley|river|reaches|basin)\b)(?<!House)(?<!Chamber)(?<!Court)(?<!Senate)"
    ),
    "upper ",
    "lower ",
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
_ROUTE_BETWEEN_RE = guarded(
    name_rx(
        r"\b(?:road|roads|railway|railways|rail|line|route|routes|highway|motorway|ferry|ferries|"
        r"flights?|crossing|border|corridor|pipeline|bridge|journey|drive|trains?|bus|buses|"
        r"services?|link|tunnel|trip|stretch|section|lorries|trucks|traffic|miles|kilometres|km|dunes|"
        r"coast|coastline|beach|shore|villages|towns|banks|bank|valley) "
        r"(?:[\w'’-]+ ){0,4}?between ((?:the )?"
        + _LISTED
        + r"(?:, (?:the )?"
        + _LISTED
        + r")* and "
        r"(?:the )?" + _LISTED + r")\b"
        r"(?! [A-Z])"
    ),
    "between",
)
# "the railway that links Djibouti with Addis Ababa"
_LINKS_RE = guarded(
    name_rx(
        r"\b(?:links?|linking|linked|connects?|connecting|connected) ("
        + _LISTED
        + r" (?:with|to|and) "
        + _LISTED
        + r")\b(?! [A-Z])"
    ),
    "link",
    "connect",
)
# "villages such as Ilmington and Long Compton", "towns including Hindman"
_PLACES_SUCH_AS_RE = guarded(
    name_rx(
        r"\b(?:villages|towns|cities|islands|communities|districts|regions|provinces|countries|"
        r"municipalities|suburbs|neighbourhoods|neighborhoods|ports|settlements|hamlets|resorts|rivers|"
        r"lakes|wetlands|beaches|mountains|forests|parks|reserves),? (?:[\w-]+ ){0,6}?"
        r"(?:such as|including|like) "
        r"((?&item)(?:, (?&item))*(?:,? (?:and|or) (?&item))?)\b(?! [A-Z])".replace(
            "(?&item)", "(?:the )?" + _LISTED
        )
    ),
    "such as ",
    "including ",
    "like ",
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
# "eastern Slavonia": a direction word before a capitalised name the data lacks.
_DIRECTION_NAME_RE = name_rx(
    r"\b(?:(?:north|south|east|west|central)-)?(?:northern|southern|eastern|western|central|north|"
    r"south|east|west) ([A-Z][a-z][\w'’-]*)\b(?! [A-Z])"
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
_ROAD_RE = guarded(
    name_rx(
        r"\b(?:the|along|on|via|off) ((?:[ABMN]|RN|RD|NH|SH|SR|DN)\d{1,4}[a-z]?(?: road)?|I-\d{1,3})\b"
        r"(?! (?:highway|motorway|bombers?|jets?|aircraft|planes?|masks?|rifles?|fighters?|engines?))"
        r"|(?<![\w-])((?:National |State |Interstate |US |U\.S\. |Federal |County |Provincial |"
        r"Trans-\w+ )?"
        r"(?:Highway|Route|Road|Hwy) \d{1,4}[A-Z]?)\b"
    ),
    hint=r"A\d|B\d|M\d|N\d|D\d|H\d|R\d|I-\d|Highway \d|Route \d|Road \d|Hwy \d",
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


def is_demonym(word: str) -> bool:
    """ "Chinese", "Kenyan", "Greek": by shape, unless the word is itself a place."""
    if word in DEMONYMS:
        return True
    return bool(_DEMONYM_ENDING_RE.search(word)) and not place_kind(word) and word not in towns()


_LIST_ITEM_RE = name_rx(r"[A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)?")


def without_leading_stopword(name: str, start: int) -> tuple[str, int]:
    """ "In Třebíč", "At Chtouka", "The Devdoraki glacier": a capitalised function word that
    opens a match (by sentence position) is not part of the name."""
    first, _, rest = name.partition(" ")
    if rest and first.lower() in STOPWORDS:
        return rest, start + len(first) + 1
    return name, start


def opens_with_ordinary_word(name: str) -> bool:
    """The name opens with a function word or a month or day ("On Monday"): not a place."""
    first = name.split()[0]
    return first.lower() in STOPWORDS or first in MONTHS_DAYS


def _skip_stopwords(text: str, start: int, end: int) -> int | None:
    """Where a matched name starts once leading stopwords ("On Florida Street") are dropped.

    None when nothing but the place-type word would be left.
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    for w in words[:-1]:
        if w.group() not in STOPWORDS and w.group().lower() not in STOPWORDS:
            return start + w.start()
    return None


def contextual_places(words: Words, places: dict[str, str]) -> list[Suggestion]:
    """Places recognised by their context rather than the lexicon (lower scores)."""
    text = words.text
    out: list[Suggestion] = []
    for m in _REGION_RE.finditer(text):
        if m.group(2) is None and m.group(3) not in PLURAL_REGION_SUFFIXES:
            continue  # "Small towns", "Rural villages": one word before a plural is a describer
        for g in (1, 2):
            if m.group(g) and not _plain_word(words, m.group(g)):
                out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, S.region_words))
    for m in _REGION_ONE_RE.finditer(text):
        name, start = m.group(1), m.start(1)
        if (cut := max(name.rfind("'s "), name.rfind("’s "))) >= 0:
            name, start = name[cut + 3 :], start + cut + 3  # "Sudan's Darfur region"
        name, start = without_leading_stopword(name, start)
        if name in MONTHS_DAYS or _plain_word(words, name):
            continue  # "the Chinese port", "a Greek island": a kind of place, not its name
        out.append(Suggestion(start, m.end(), "LOCATION", ENGINE, S.one_region))
    for rx in (_FACILITY_RE, _NAMED_PLACE_RE):
        for m in rx.finditer(text):
            if rx is _NAMED_PLACE_RE and _BODY_AFTER_RE.match(text, m.end()):
                continue  # "Fort Worth Police Department", "the Port of London Authority"
            start = _skip_stopwords(text, m.start(), m.end())
            if start is None or (rx is _FACILITY_RE and _plain_facility_name(words, m, start)):
                continue  # "Art market experts", "a Baptist church"
            # the whole "Parliament building", "Krško nuclear power plant" above its first word
            # "the Freeport of Monrovia", "the Gulf of Aden": the whole name above the place in it
            score = (
                S.facility_or_of_name
                if rx is _FACILITY_RE or " of " in m.group()
                else S.named_place
            )
            out.append(Suggestion(start, m.end(), "LOCATION", ENGINE, score))
    for m in _HOUSE_RE.finditer(text):  # above an organisation reading ("World Trade Center")
        g = next(k for k in (1, 2, 3, 4) if m.group(k))
        if _SPEAKS_RE.match(text, m.end(g)):
            continue  # "Chatham House said", "the Met Office warned": the body
        if g > 1 and ROLE_AT_RE.search(text, max(0, m.start() - 40), m.start(g)):
            continue  # "an editor at Random House": an employer
        out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, S.building))
    small = towns()
    for m in _PART_OF_RE.finditer(text):
        if m.group(1).split()[0] not in STOPWORDS and not re.search(
            r"(?:ian|ese|ish)$", m.group(1)
        ):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, S.part_of))
    for m in _PLACE_LIST_RE.finditer(text):
        names = list(_LIST_ITEM_RE.finditer(m.group(1)))
        known = sum(1 for n in names if n.group() in places or n.group() in small)
        if known or len(names) >= 3:  # a list with a known place, or a long one
            for n in names:
                if n.group() not in MONTHS_DAYS and n.group() not in STOPWORDS:
                    # a two-word item wins over a name guessed an agent by its shape alone
                    # above the shape-only agent guesses and their name heads
                    score = (
                        S.list_with_known_place
                        if known
                        else S.above_shape_guess
                        if " " in n.group()
                        else S.list_item
                    )
                    start = m.start(1) + n.start()
                    out.append(Suggestion(start, start + len(n.group()), "LOCATION", ENGINE, score))
    for m in _UPPER_LOWER_RE.finditer(text):
        g = 1 if m.group(1) else 2
        out.append(Suggestion(m.start(g), m.end(g), "LOCATION", ENGINE, S.upper_lower))
    for m in _DEMONYM_BORDER_RE.finditer(text):
        if is_demonym(m.group(1).split()[0]):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, S.demonym_border))
    for m in _PLACED_BY_DIRECTION_RE.finditer(text):
        name, start = without_leading_stopword(m.group(1), m.start(1))
        if not opens_with_ordinary_word(name):
            out.append(Suggestion(start, m.end(1), "LOCATION", ENGINE, S.placed_by_direction))
    for m in _REPRESENTS_RE.finditer(text):
        out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, S.represents))
    for m in _KINDS_OF_PLACES_RE.finditer(text):
        for n in _LISTED_PLACE_RE.finditer(m.group(1)):
            if not opens_with_ordinary_word(n.group()):
                start = m.start(1) + n.start()
                out.append(
                    Suggestion(start, start + len(n.group()), "LOCATION", ENGINE, S.kinds_of_places)
                )
    for m in _PREP_UNKNOWN_RE.finditer(text):
        for g in (1, 2):
            name = m.group(g)
            end = m.end(g)
            if name is not None and re.search(r"['’]s$", name):
                name, end = name[:-2], end - 2  # "in Rio's favelas"
            if (
                name is None
                or name in places
                or opens_with_ordinary_word(name)
                or re.search(r"(?:ian|ese|ish|ch|ic)$", name)
                or _ORG_APPOSITION_RE.match(text, end)
            ):
                continue
            out.append(Suggestion(m.start(g), end, "LOCATION", ENGINE, S.after_preposition))
    for m in _FROM_TO_RE.finditer(text):
        for g in (1, 2):
            if not m.group(g):
                continue
            for n in _LISTED_PLACE_RE.finditer(m.group(g)):
                name = n.group()
                if not opens_with_ordinary_word(name):
                    start = m.start(g) + n.start()
                    out.append(Suggestion(start, start + len(name), "LOCATION", ENGINE, S.from_to))
    for m in _FACILITY_AT_RE.finditer(text):
        name = m.group(1)
        if name.split()[0] not in MONTHS_DAYS and not _plain_word(words, name):
            out.append(
                Suggestion(
                    m.start(1),
                    m.end(1),
                    "LOCATION",
                    ENGINE,
                    S.above_shape_guess if " " in name else S.facility_at,
                )
            )
    for rx in (_ROUTE_BETWEEN_RE, _LINKS_RE, _PLACES_SUCH_AS_RE):
        for m in rx.finditer(text):
            if rx is _PLACES_SUCH_AS_RE and _LIST_ACTS_RE.match(text, m.end()):
                continue  # "cities, including Rotterdam and Eindhoven, have offered": agents
            for n in _LISTED_PLACE_RE.finditer(m.group(1)):
                name = n.group()
                if opens_with_ordinary_word(name):
                    continue
                start = m.start(1) + n.start()
                out.append(
                    Suggestion(start, start + len(name), "LOCATION", ENGINE, S.route_or_link)
                )
    for m in _DIRECTION_NAME_RE.finditer(text):
        name = m.group(1)
        if re.search(r"(?:ian|ese|ish|ch|ic|an)$", name):
            continue  # "the eastern Indian state"
        if name not in places and name not in MONTHS_DAYS and name.lower() not in STOPWORDS:
            out.append(Suggestion(m.start(), m.end(), "LOCATION", ENGINE, S.direction_name))
    for rx in (_KIND_OF_PLACE_RE, _PLACE_APPOSITION_RE):
        for m in rx.finditer(text):
            name, start = without_leading_stopword(m.group(1), m.start(1))
            if name.endswith(("'s", "’s")):
                continue  # "the port of Portugal's capital": the place is the capital
            if not opens_with_ordinary_word(name):
                out.append(Suggestion(start, m.end(1), "LOCATION", ENGINE, S.kind_of_place))
    for rx in (_FEATURE_RE, _STREET_RE):
        for m in rx.finditer(text):
            if religious_body(m.group(1).split()):
                continue  # "the Catholic Church": a body, not a building
            if (start := _skip_stopwords(text, m.start(1), m.end(1))) is not None:
                out.append(Suggestion(start, m.end(1), "LOCATION", ENGINE, S.feature_or_street))
    for m in _ROAD_RE.finditer(text):
        g = 1 if m.group(1) else 2
        start = m.start(g)
        state = _STATE_BEFORE_RE.search(text, max(0, start - 30), start)
        if g == 2 and state and place_kind(state.group(1)) in ("state", "region"):
            start = state.start(1)  # "Kentucky Route 160"
        out.append(Suggestion(start, m.end(g), "LOCATION", ENGINE, S.road))
    for m in _STATE_ROAD_RE.finditer(text):
        if place_kind(m.group(2)) in ("state", "region"):
            out.append(Suggestion(m.start(1), m.end(1), "LOCATION", ENGINE, S.road))
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
