"""Generated news-like articles for the scale benchmarks and tests: real work for the engines.

Sentences are built from templates a wire report would use (reported speech, quotations,
attributions, places used as places and as actors, titled names, organisations), with names,
places and organisations drawn from lists, so the gazetteer, the patterns, the claim rules and
the learned engine all fire as they do on real news. Deterministic for a given seed.

    from news_articles import article
    text = article(50_000, seed=1)      # about 50,000 words, title and date line first
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Anna Olena Maria Pierre Ahmed Keir Emmanuel Olaf Giorgia Pedro Ursula Mark Jens Andrzej "
    "Viktor Sanna Kaja Mette Leo Nadia Tomasz Rishi Ibrahim Fatima Hiroshi Lucia Javier Ingrid "
    "Samuel Grace Daniel Chloe Rafael Amara Yusuf Elena Marco Sofia Tariq Helen"
)
LAST = _words(
    "Kowalski Shevchenko Dubois Haddad Lindqvist Moreau Novak Rossi Schmidt Jensen Petrov "
    "Fischer Okafor Tanaka Garcia Silva Nowak Kuznetsova Bakker Horvat Costa Weber Larsen "
    "Murphy Brennan Castillo Mendes Varga Nielsen Kovacs Romano Hughes Adeyemi Sato Fernandes"
)
TITLES = ("President", "Prime Minister", "Foreign Minister", "Senator", "Mayor", "General")
HONORIFICS = ("Mr", "Ms", "Dr", "Sir")
ROLES = (
    "spokesperson",
    "chief economist",
    "defence analyst",
    "senior official",
    "deputy director",
    "head of research",
)
ORGS = (
    "NATO",
    "the European Commission",
    "the World Bank",
    "the United Nations",
    "the International Monetary Fund",
    "Amnesty International",
    "the Red Cross",
    "the Kremlin",
    "the Bank of England",
    "the European Central Bank",
    "Reuters",
    "the World Health Organization",
)
OUTLETS = ("Le Parisien", "the BBC", "Reuters", "the Financial Times", "Der Spiegel", "Al Jazeera")
COUNTRIES = _words(
    "Ukraine Russia France Germany Poland Italy Spain Norway Sweden Finland Turkey Egypt "
    "Nigeria Kenya Brazil Argentina Japan India Canada Australia Hungary Romania Greece"
)
CITIES = _words(
    "Kyiv Moscow Paris Berlin Warsaw Rome Madrid Oslo Stockholm Helsinki Ankara Cairo Lagos "
    "Nairobi Brasilia Tokyo Delhi Ottawa Canberra Budapest Bucharest Athens Brussels Geneva "
    "Kharkiv Odesa Lviv Marseille Hamburg Krakow Milan Barcelona"
)
REGIONS = (
    "Crimea",
    "the Black Sea",
    "eastern Ukraine",
    "the Donbas region",
    "the Balkans",
    "the Middle East",
    "the Sahel",
    "the Baltic Sea",
    "northern Italy",
    "southern France",
)
SUBJECTS = (
    "the government",
    "the ceasefire",
    "the new budget",
    "the sanctions",
    "the central bank",
    "the army",
    "the coalition",
    "the talks",
    "energy prices",
    "the reform",
)
VERBS = (
    "would not survive the winter",
    "had failed to protect ordinary families",
    "could collapse within weeks",
    "was the only way to end the war",
    "would raise defence spending next year",
    "must be reviewed before the summit",
    "had been agreed in principle",
    "would cost billions of euros",
    "was a serious mistake",
    "could not be trusted",
)
QUOTES = (
    "We cannot give up now",
    "This is a dark day for our country",
    "We will do what is needed",
    "Nobody wants another war",
    "The people deserve the truth",
    "We are ready to talk, but not at any price",
    "It is time to double down on our support",
    "Our patience is running out",
    "This plan will not work",
    "We have done everything we could",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FILLER = (
    "The decision came after weeks of negotiations.",
    "Markets fell sharply on the news.",
    "Prices have risen every month this year.",
    "The meeting lasted more than six hours.",
    "Thousands of people gathered in the main square.",
    "No agreement was reached on the final text.",
)


def _person(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    kind = rng.random()
    if kind < 0.35:
        return f"{rng.choice(TITLES)} {name}"
    return name


def _short(rng: random.Random) -> str:
    return f"{rng.choice(HONORIFICS)} {rng.choice(LAST)}"


def _claim(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}"


def _place(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(CITIES)
    if pick < 0.8:
        return rng.choice(COUNTRIES)
    return rng.choice(REGIONS)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def sentence(rng: random.Random) -> str:
    """One sentence of a wire report."""
    n = rng.randrange(14)
    if n == 0:
        return f"“{rng.choice(QUOTES)},” {_person(rng)} told {rng.choice(OUTLETS)}."
    if n == 1:
        return (
            f"{_person(rng)}, a {rng.choice(ROLES)} at {rng.choice(ORGS)}, said that {_claim(rng)}."
        )
    if n == 2:
        return f"Officials in {rng.choice(CITIES)} said {_claim(rng)}."
    if n == 3:
        return f"{rng.choice(COUNTRIES)} warned on {rng.choice(DAYS)} that {_claim(rng)}."
    if n == 4:
        return (
            f"Speaking in {rng.choice(CITIES)} on {rng.choice(DAYS)}, {_short(rng)} said: "
            f"“{rng.choice(QUOTES)}. {rng.choice(QUOTES)}.”"
        )
    if n == 5:
        return f"Troops moved towards {_place(rng)} after talks in {rng.choice(CITIES)} broke down."
    if n == 6:
        return f"{_cap(rng.choice(ORGS))} said in a statement that {_claim(rng)}."
    if n == 7:
        return f"According to {rng.choice(ORGS)}, {_claim(rng)}."
    if n == 8:
        return (
            f"{_short(rng)} admitted that {_claim(rng)}, in an interview with "
            f"{rng.choice(OUTLETS)}."
        )
    if n == 9:
        return (
            f"The {rng.choice(ROLES)} flew from {rng.choice(CITIES)} to {rng.choice(CITIES)} "
            f"to meet {_person(rng)}."
        )
    if n == 10:
        return f"“{rng.choice(QUOTES)},” {_short(rng)} said."
    if n == 11:
        return (
            f"{rng.choice(COUNTRIES)} and {rng.choice(COUNTRIES)} signed the deal in "
            f"{rng.choice(CITIES)} on {rng.choice(DAYS)}."
        )
    if n == 12:
        return f"Ships left {_place(rng)} for {_place(rng)} late on {rng.choice(DAYS)}."
    return rng.choice(FILLER)


def article(words: int, seed: int = 1) -> str:
    """A title, a date line and paragraphs of 2-5 sentences: about ``words`` words in all."""
    rng = random.Random(seed)
    lines = [
        f"Talks in {rng.choice(CITIES)} stall as {rng.choice(COUNTRIES)} warns of a long winter",
        "18 December 2024, 22:04",
    ]
    count = sum(len(line.split()) for line in lines)
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        count += len(paragraph.split())
        lines.append(paragraph)
    return "\n".join(lines) + "\n"
