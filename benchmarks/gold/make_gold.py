"""Build the gold .json files from hand-written (label, surface, occurrence) lists.

Offsets are never typed by hand: each entry names the surface string and which of its
whole-word occurrences in the article (0-based) is meant; this script finds the offsets,
checks ``text[start:end] == surface`` and writes ``<name>.json`` beside ``<name>.txt``.
Run ``python benchmarks/gold/make_gold.py --show`` to print every span in context.

Conventions (beyond GUIDELINES.md): a CLAIM made of a clause after a reporting verb ends
before the sentence's final punctuation; a quoted sentence keeps its own final . ! ? but not
a trailing comma before the attribution.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

A, L, C = "ACTOR", "LOCATION", "CLAIM"

GOLD: dict[str, list[tuple]] = {
    "000_afbc20cf0ccb7af1": [
        # title
        (C, "Ukraine cannot take back territory occupied by Russia"),
        (A, "Ukraine", 0),
        (A, "Russia", 0),
        (A, "Zelenskyy", 0),
        (A, "Putin", 0),
        # body
        (A, "Volodymyr Zelenskyy", 0),
        (C, "Ukraine cannot retake the territories that Russia has annexed"),
        (A, "Ukraine", 1),
        (A, "Russia", 1),
        (A, "The Ukrainian president"),
        (
            C,
            "the only way that Crimea and eastern Ukraine could be brought back under Kyiv's control was via diplomacy",
        ),
        (L, "Crimea", 0),
        (L, "eastern Ukraine", 0),
        (A, "Kyiv", 0),
        (C, "Ukraine could reconquer the territory ceded in 2014 and since the 2022 invasion"),
        (A, "Ukraine", 3),
        (A, "Mr Zelenskyy", 0),
        (C, "We cannot give up our territories."),
        (C, "The Ukrainian constitution forbids us to do so."),
        (C, "De facto, these territories are now controlled by the Russians."),
        (A, "the Russians"),
        (C, "We do not have the strength to recover them"),
        (A, "Le Parisien"),
        (
            C,
            'We can only count on diplomatic pressure from the international community to force Putin to sit down at the negotiating table."'[
                :-1
            ],
        ),
        (A, "the international community"),
        (A, "Putin", 1),
        (A, "Russia", 2),
        (L, "Crimea", 1),
        (L, "Ukraine", 5),
        (L, "Black Sea"),
        (A, "Kremlin-linked forces"),
        (L, "Donbas region"),
        (L, "eastern Ukraine", 1),
        (A, "Russia", 3),
        (L, "Kherson"),
        (L, "Zaporizhzhia"),
        (A, "Kremlin"),
        (C, "both regions are legally Russian"),
        (A, "Ukraine", 7),
        (A, "Western allies"),
        (A, "Mr Zelenskyy", 1),
        (
            C,
            'he would be prepared to end the "hot phase" of the war in exchange for NATO membership',
        ),
        (A, "NATO", 0),
        (A, "NATO", 1),
        (A, "NATO", 2),
        (A, "Russia", 4),
        (A, "Donald Trump"),
        (A, "Vladimir Putin"),
        (A, "Volodymyr Zelenskyy", 2),
        (L, "White House"),
        (A, "Mr Trump"),
        (C, 'he disagreed "very vehemently with sending missiles hundreds of miles into Russia"'),
        (L, "Russia", 5),
        (A, "Time Magazine"),
        (C, "he would not abandon Kyiv"),
        (A, "Kyiv", 1),
        (L, "Norway"),
        (A, "Sir Keir Starmer"),
        (
            C,
            'it was time for Kyiv\'s allies to "double down" on the financial commitments, sanctions and the training they were providing to Ukraine',
        ),
        (A, "Kyiv", 2),
        (A, "Ukraine", 9),
        (
            C,
            "It's important that we put Ukraine in the strongest possible position if there are to be negotiations, and even if there aren't to be negotiations",
        ),
        (A, "Ukraine", 10),
        (
            C,
            "But it would be a big mistake, in my view, to take our eye off the ball and not ensure that Ukraine is in the strongest possible position, which is why we've been doubling down on this at many of the international meetings we've had with our allies to discuss this.",
        ),
        (A, "Ukraine", 11),
    ],
    "101_budget": [
        (C, "We will not be rushed"),
        (A, "Merz", 0),
        (A, "Berlin", 0),
        (A, "EU"),
        (A, "Chancellor Friedrich Merz"),
        (C, "Berlin will not sign up to a new European Union budget before the autumn"),
        (A, "Berlin", 1),
        (A, "European Union"),
        (L, "Berlin", 2),
        (A, "Mr Merz"),
        (C, 'the proposal "asks German taxpayers to carry too much of the load"'),
        (A, "European Commission"),
        (L, "Brussels", 1),
        (A, "Ursula von der Leyen"),
        (C, "delays would hurt farmers in Poland and southern Italy"),
        (L, "Poland"),
        (L, "southern Italy"),
        (C, "Every week we lose is a week our farmers cannot plan."),
        (C, "We need an agreement now"),
        (A, "France"),
        (A, "Spain"),
        (A, "Commission", 1),
        (A, "The French finance minister"),
        (A, "Eric Lombard"),
        (A, "Le Monde"),
        (C, "Paris was ready to compromise on agricultural subsidies"),
        (A, "Paris", 0),
        (A, "Germany", 0),
        (A, "Netherlands"),
        (A, "Social Democratic Party"),
        (A, "the government"),
        (A, "Germany", 1),
        (A, "Lars Klingbeil"),
        (C, 'the chancellor had "burned bridges with Paris and Warsaw"'),
        (A, "the chancellor"),
        (A, "Paris", 1),
        (A, "Warsaw"),
        (L, "Luxembourg"),
    ],
    "102_court": [
        (A, "Rui Almeida", 0),
        (L, "Lisbon", 0),
        (A, "Rui Almeida", 1),
        (L, "Lisbon", 1),
        (A, "Judge Ana Ferreira"),
        (A, "the court", 0),
        (C, 'Rui Almeida had "betrayed the trust of the people who elected him"'),
        (A, "Rui Almeida", 2),
        (A, "Almeida", 3),
        (A, "Prosecutors"),
        (C, "the money was hidden in bank accounts in Switzerland and Luxembourg"),
        (L, "Switzerland"),
        (L, "Luxembourg"),
        (A, "Pedro Costa"),
        (C, "his client would appeal"),
        (C, "Mr Almeida has always maintained his innocence."),
        (A, "Mr Almeida"),
        (C, "This verdict rests on the word of a single witness"),
        (A, "Public Prosecution Service"),
        (C, 'the case showed that "nobody is above the law"'),
        (A, "Transparency International"),
        (C, "Portugal loses hundreds of millions of euros a year to graft in public contracts"),
        (A, "Portugal"),
        (A, "The court"),
        (L, "Cascais"),
        (L, "Faro"),
    ],
    "103_floods": [
        (L, "Bangladesh", 0),
        (
            C,
            "At least 40 people have died after days of heavy rain caused severe flooding across northern Bangladesh",
        ),
        (L, "northern Bangladesh"),
        (A, "Disaster Management Ministry"),
        (
            C,
            "more than 300,000 families had been forced from their homes in the Sylhet and Sunamganj districts",
        ),
        (L, "Sylhet", 0),
        (L, "Sunamganj"),
        (A, "Bangladesh Red Crescent Society"),
        (L, "Sylhet", 1),
        (C, "The water came in the night."),
        (C, "We lost everything, even the chickens"),
        (A, "Rahima Begum"),
        (L, "Companiganj"),
        (A, "Prime Minister Sheikh Hasina"),
        (C, "every affected family would receive aid"),
        (A, "Unicef"),
        (C, "more than a million children were at risk from waterborne diseases"),
        (A, "Meteorological Department"),
        (A, "India"),
        (L, "Assam", 1),
        (L, "Meghalaya"),
        (C, "the monsoon is becoming more erratic"),
        (A, "Dr Farhana Rahman"),
        (A, "International Centre for Climate Change and Development"),
        (C, 'Bangladesh was "paying the price for emissions it did not cause"'),
        (A, "Bangladesh", 3),
    ],
    "104_volvo": [
        (A, "Volvo Cars", 0),
        (A, "Volvo Cars", 1),
        (C, "Volvo Cars will cut about 3,000 jobs, most of them in Sweden"),
        (L, "Sweden", 0),
        (A, "the carmaker"),
        (A, "Chief executive Hakan Samuelsson"),
        (
            C,
            'the company had to "act decisively" to protect its margins after a sharp fall in demand for electric vehicles in Europe and the United States',
        ),
        (A, "the company", 0),
        (L, "Europe"),
        (L, "United States"),
        (A, "The Gothenburg-based group"),
        (A, "China"),
        (A, "Geely Holding"),
        (C, "the cuts would save 18bn kronor (£1.4bn) a year"),
        (C, "This is a dark day for Gothenburg."),
        (L, "Gothenburg"),
        (C, "Thousands of families will pay for mistakes made by management"),
        (A, "Magnus Sandberg"),
        (A, "IF Metall"),
        (L, "Torslanda plant"),
        (A, "Morgan Stanley"),
        (C, "tariffs imposed by Washington could cost European carmakers billions"),
        (A, "Washington"),
        (A, "Volvo Cars", 2),
        (L, "Stockholm"),
        (A, "Mr Samuelsson"),
        (A, "the company", 1),
        (A, "Financial Times"),
        (C, "he did not expect further cuts"),
    ],
    "105_measles": [
        (A, "WHO", 0),
        (L, "Paris", 0),
        (A, "World Health Organization"),
        (C, "measles cases in Europe rose more than tenfold last year"),
        (L, "Europe", 0),
        (L, "Paris", 1),
        (A, "Dr Hans Kluge"),
        (A, "WHO", 1),
        (L, "Europe", 1),
        (C, "Measles is back."),
        (C, "No country is immune to this threat."),
        (C, "Vaccination is the only way to protect our children."),
        (A, "Romania"),
        (A, "Kazakhstan"),
        (A, "France", 0),
        (A, "Frederic Valletta"),
        (
            C,
            "the government had set up vaccination centres near the Stade de France and at Charles de Gaulle airport",
        ),
        (A, "the government"),
        (L, "Stade de France"),
        (L, "Charles de Gaulle airport"),
        (A, "International Olympic Committee"),
        (C, 'it was "working closely with the French authorities"'),
        (A, "the French authorities"),
        (L, "Paris", 2),
        (A, "Team GB"),
        (A, "Dr Rod Jaques"),
        (A, "BBC Sport"),
        (C, "all British competitors had been offered booster jabs"),
        (L, "London"),
        (A, "UK Health Security Agency"),
    ],
    # held-out: written and annotated after the engines were tuned; not used for tuning
    "201_doping": [
        (A, "Court of Arbitration for Sport"),
        (A, "Brian Kiptoo"),
        (A, "Kiptoo", 1),
        (L, "Paris"),
        (C, "the substance came from a contaminated supplement bought in Nairobi"),
        (L, "Nairobi", 0),
        (A, "The Lausanne-based court"),
        (C, 'his explanation was "not supported by any credible evidence"'),
        (A, "Athletics Integrity Unit"),
        (A, "Brett Clothier"),
        (C, "Kenya had made progress"),
        (A, "Kenya", 0),
        (C, "far too many athletes are still cheating"),
        (A, "Kiptoo", 2),
        (A, "Federico Rosa"),
        (A, "Reuters"),
        (C, "the runner was devastated and would consider taking the case to a Swiss court"),
        (A, "the runner"),
        (L, "Kenya", 1),
        (A, "The sports ministry"),
        (L, "Nairobi", 1),
    ],
    "202_senate": [
        (A, "Senate", 0),
        (A, "Republicans"),
        (A, "US Senate"),
        (L, "Mexico"),
        (A, "Ukraine"),
        (A, "Israel", 0),
        (A, "Senate Majority Leader Chuck Schumer"),
        (C, 'the vote was "a gift to smugglers"'),
        (A, "Donald Trump"),
        (A, "Mr Trump"),
        (L, "Las Vegas"),
        (C, 'the measure would "let millions more cross the border"'),
        (C, "they had been pressured by the former president"),
        (A, "the former president"),
        (A, "White House"),
        (C, "it would keep working with Congress"),
        (A, "Congress"),
        (C, "The president will not give up on a solution that both parties supported a week ago"),
        (A, "The president"),
        (A, "Karine Jean-Pierre"),
        (A, "Israel", 1),
        (A, "United Nations"),
        (A, "Gilad Erdan"),
        (C, 'delays were "emboldening Iran"'),
        (A, "Iran"),
    ],
}


def locate(text: str, surface: str, occurrence: int) -> tuple[int, int]:
    pattern = re.compile(r"(?<![\w-])" + re.escape(surface) + r"(?![\w]|-\w)")
    matches = list(pattern.finditer(text))
    if occurrence >= len(matches):
        raise SystemExit(f"{surface!r}: occurrence {occurrence} not found ({len(matches)} found)")
    match = matches[occurrence]
    return match.start(), match.end()


def build(name: str) -> list[dict]:
    text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
    records = []
    for entry in GOLD[name]:
        label, surface, occurrence = (*entry, 0) if len(entry) == 2 else entry
        start, end = locate(text, surface, occurrence)
        assert text[start:end] == surface
        records.append({"start": start, "end": end, "label": label, "text": surface})
    keys = [(r["start"], r["end"], r["label"]) for r in records]
    if len(set(keys)) != len(keys):
        raise SystemExit(f"{name}: duplicate gold span")
    records.sort(key=lambda r: (r["start"], -r["end"], r["label"]))
    return records


def main() -> None:
    show = "--show" in sys.argv
    for name in GOLD:
        records = build(name)
        (HERE / f"{name}.json").write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n")
        if show:
            text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
            print(f"== {name}")
            for r in records:
                before = text[max(0, r["start"] - 25) : r["start"]].replace("\n", "|")
                after = text[r["end"] : r["end"] + 20].replace("\n", "|")
                print(f"  {r['label']:8} {before}[{r['text']}]{after}")
        print(f"{name}: {len(records)} spans")


if __name__ == "__main__":
    main()
