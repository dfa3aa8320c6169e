"""Keystrokes per span: annotate the seed article fully (following GUIDELINES.md) with keys only.

Drives the real app through the pilot. For each gold span (document order) a small planner tries
a few ways a user would select it from where the cursor is — `e`/`E` (names), `)`/`(` then `s`
(sentences, quoted sentences), `q` (quotations), word moves then Shift+Right / Shift+End — picks
the cheapest that really selects the span, replays it, and presses the label key. Every key counts
(movement included). The resulting spans are checked against the gold list.

    .venv/bin/python benchmarks/keystrokes.py
    .venv/bin/python benchmarks/keystrokes.py --suggestions   # with the suggestion engines on
    .venv/bin/python benchmarks/keystrokes.py --one-by-one    # the same without `Y`
    .venv/bin/python benchmarks/keystrokes.py --suggestions --rules  # no trained model

With suggestions the default engine ("model") answers with a model trained first on 50 gold
articles that do not include the seed (``--rules``: without one, the rules alone).

``--suggestions``: `S` runs the engines, then the review walk: `.` to the first suggestion, then
per suggestion `y` (in the gold list), `n` (not), `r` + label key + `.` (right extent, wrong
label) or `Y` when every suggestion of the sentence is right; y/n/Y move on by themselves. The
gold spans still missing are then made with the planner above (after `g`). Every key counts.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SEED = ROOT / "seeds" / "000_afbc20cf0ccb7af1.txt"

# (label, text, context): ``text`` at its first occurrence in ``context`` (or starting there).
GOLD: list[tuple[str, str, str]] = [
    ("CLAIM", "Ukraine cannot take back territory occupied by Russia", "Ukraine cannot take back"),
    ("ACTOR", "Ukraine", "'Ukraine cannot take back"),
    ("ACTOR", "Russia", "occupied by Russia'"),
    ("ACTOR", "Zelenskyy", "Zelenskyy admits"),
    ("ACTOR", "Putin", "talks with Putin"),
    ("ACTOR", "Volodymyr Zelenskyy", "Volodymyr Zelenskyy has admitted"),
    (
        "CLAIM",
        "Ukraine cannot retake the territories that Russia has annexed",
        "Ukraine cannot retake",
    ),
    ("ACTOR", "Ukraine", "Ukraine cannot retake"),
    ("ACTOR", "Russia", "Russia has annexed"),
    ("ACTOR", "The Ukrainian president", "The Ukrainian president said"),
    (
        "CLAIM",
        "the only way that Crimea and eastern Ukraine could be brought back under Kyiv's control was via diplomacy",
        "the only way that Crimea",
    ),
    ("LOCATION", "Crimea", "Crimea and eastern"),
    ("LOCATION", "eastern Ukraine", "eastern Ukraine could"),
    ("ACTOR", "Kyiv", "Kyiv's control"),
    (
        "CLAIM",
        "Ukraine could reconquer the territory ceded in 2014 and since the 2022 invasion",
        "Ukraine could reconquer",
    ),
    ("ACTOR", "Ukraine", "Ukraine could reconquer"),
    ("ACTOR", "Mr Zelenskyy", "Mr Zelenskyy said on Wednesday"),
    ("CLAIM", "We cannot give up our territories.", "We cannot give up"),
    ("CLAIM", "The Ukrainian constitution forbids us to do so.", "The Ukrainian constitution"),
    ("CLAIM", "De facto, these territories are now controlled by the Russians.", "De facto"),
    ("ACTOR", "the Russians", "by the Russians"),
    ("CLAIM", "We do not have the strength to recover them", "We do not have"),
    ("ACTOR", "Le Parisien", "Le Parisien"),
    (
        "CLAIM",
        "We can only count on diplomatic pressure from the international community to force Putin to sit down at the negotiating table.",
        "We can only count",
    ),
    ("ACTOR", "the international community", "the international community"),
    ("ACTOR", "Putin", "force Putin"),
    ("ACTOR", "Russia", "Russia took Crimea"),
    ("LOCATION", "Crimea", "took Crimea"),
    ("LOCATION", "Ukraine", "south of Ukraine"),
    ("LOCATION", "Black Sea", "Black Sea"),
    ("ACTOR", "Kremlin-linked forces", "Kremlin-linked forces"),
    ("LOCATION", "Donbas region", "Donbas region"),
    ("LOCATION", "eastern Ukraine", "eastern Ukraine in 2014"),
    ("ACTOR", "Russia", "Russia has also conquered"),
    ("LOCATION", "Kherson", "Kherson and"),
    ("LOCATION", "Zaporizhzhia", "Zaporizhzhia regions"),
    ("ACTOR", "Kremlin", "The Kremlin has said"),
    ("CLAIM", "both regions are legally Russian", "both regions are legally"),
    ("ACTOR", "Ukraine", "that Ukraine and its"),
    ("ACTOR", "Western allies", "Western allies reject"),
    ("ACTOR", "Mr Zelenskyy", "November, Mr Zelenskyy"),
    (
        "CLAIM",
        'he would be prepared to end the "hot phase" of the war in exchange for NATO membership',
        "he would be prepared",
    ),
    ("ACTOR", "NATO", "NATO membership."),
    ("ACTOR", "NATO", "a NATO member"),
    ("ACTOR", "NATO", "NATO members do"),
    ("ACTOR", "Russia", "conflict with Russia"),
    ("ACTOR", "Donald Trump", "Donald Trump"),
    ("ACTOR", "Vladimir Putin", "Vladimir Putin"),
    ("ACTOR", "Volodymyr Zelenskyy", "Volodymyr Zelenskyy's warring"),
    ("LOCATION", "White House", "White House"),
    ("ACTOR", "Mr Trump", "Mr Trump"),
    (
        "CLAIM",
        "very vehemently with sending missiles hundreds of miles into Russia",
        "very vehemently",
    ),
    ("LOCATION", "Russia", "into Russia"),
    ("ACTOR", "Time Magazine", "Time Magazine"),
    ("CLAIM", "he would not abandon Kyiv", "he would not abandon"),
    ("ACTOR", "Kyiv", "abandon Kyiv"),
    ("LOCATION", "Norway", "Norway"),
    ("ACTOR", "Sir Keir Starmer", "Sir Keir Starmer"),
    (
        "CLAIM",
        'it was time for Kyiv\'s allies to "double down" on the financial commitments, sanctions and the training they were providing to Ukraine',
        "it was time for",
    ),
    ("ACTOR", "Kyiv", "Kyiv's allies"),
    ("ACTOR", "Ukraine", "providing to Ukraine"),
    (
        "CLAIM",
        "It's important that we put Ukraine in the strongest possible position if there are to be negotiations, and even if there aren't to be negotiations",
        "It's important",
    ),
    ("ACTOR", "Ukraine", "put Ukraine in"),
    (
        "CLAIM",
        "But it would be a big mistake, in my view, to take our eye off the ball and not ensure that Ukraine is in the strongest possible position, which is why we've been doubling down on this at many of the international meetings we've had with our allies to discuss this.",
        "But it would be",
    ),
    ("ACTOR", "Ukraine", "ensure that Ukraine"),
]

LABEL_KEYS = {"CLAIM": "1", "ACTOR": "2", "LOCATION": "3"}


def resolve(text: str) -> list[tuple[str, int, int]]:
    gold = []
    for label, span_text, context in GOLD:
        at = text.index(context)
        if span_text in context:  # else the context is the start of the span
            at += context.index(span_text)
        assert text[at : at + len(span_text)] == span_text
        gold.append((label, at, at + len(span_text)))
    return sorted(gold, key=lambda g: (g[1], -g[2]))


async def review(
    app, pilot, gold: list[tuple[str, int, int]], verbose: bool, one_by_one: bool = False
) -> list[str]:
    """The suggestion walk (see the module doc); returns the keys pressed."""
    from annotator.tui.suggesting import in_unit, pending, sentence_around, under_cursor

    keys: list[str] = []
    app.offered_starts = []  # where the walk stopped (a gap is fixed when the walk is there)
    wanted = {(start, end, label) for label, start, end in gold}
    extents = {(start, end): label for label, start, end in gold}

    async def press(*names: str, why: str = "") -> None:
        keys.extend(names)
        await pilot.press(*names)
        if verbose and why:
            print(f"{len(names):>3}  {' '.join(names):<40} {why}")

    await press("S", why="run the engines")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    offered = len(pending(app.store.spans(app.doc.id)))
    app.offered_starts = sorted({s.start for s in pending(app.store.spans(app.doc.id))})
    await press("full_stop", why="first suggestion")
    for _ in range(4 * offered + 10):
        spans = app.store.spans(app.doc.id)
        if not pending(spans):
            break
        span = under_cursor(app.view.spans_at_cursor())
        if span is None:
            await press("full_stop")
            continue
        unit = sentence_around(app.index, app.view.cursor)
        group = in_unit(spans, unit) if unit is not None else []
        what = f"{span.label:<8} {span.text[:50]!r}"
        if (
            not one_by_one
            and len(group) > 1
            and all(s.key in wanted for s in group)
            and all(s.start >= app.view.cursor for s in group)
        ):
            await press("Y", why=f"{len(group)} right in the sentence")
        elif span.key in wanted:
            await press("y", why=what)
        elif (span.start, span.end) in extents:
            label = extents[(span.start, span.end)]
            await press("r", LABEL_KEYS[label], "full_stop", why=f"-> {label} {what}")
        else:
            await press("n", why=f"reject {what}")
    return keys


def train_model(db: Path) -> None:
    """The "model" engine (the default) with a model beside ``db``: trained on 50 gold articles
    (sets 4-13, which do not hold the seed), as if the user had finished them."""
    from annotator.learn import storage
    from annotator.learn.gold import read_gold
    from annotator.learn.model import Example, SpanModel

    train = [a for a in read_gold(ROOT / "benchmarks" / "gold" / "sets") if 4 <= int(a.set) <= 13]
    assert all(a.name != SEED.stem for a in train)
    model = SpanModel.train(
        [Example(a.doc, a.spans) for a in train], ["ACTOR", "LOCATION", "CLAIM"]
    )
    storage.save(db, model, storage.Info(documents=len(train)))
    print(f"model engine: trained on {len(train)} gold articles (sets 4-13, not the seed)")


async def run(
    verbose: bool = False,
    suggestions: bool = False,
    one_by_one: bool = False,
    save: Path | None = None,
    model: bool = True,
) -> int:
    """Annotate the seed with keys; ``save``: copy the database the app wrote to this path."""
    from annotator.tui import AnnotatorApp

    tmp = Path(tempfile.mkdtemp())
    try:
        folder = tmp / "seeds"
        folder.mkdir()
        shutil.copy(SEED, folder / SEED.name)
        if suggestions and model:
            train_model(tmp / "db.json")
        app = AnnotatorApp(
            folder,
            tmp / "db.json",
            annotator=os.environ.get("ANNOTATOR_NAME", "bench"),
            suggest_on_open=False,
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            gold = resolve(app.doc.text)
            all_gold = gold
            view = app.view
            total = 0
            if suggestions:
                walk = await review(app, pilot, gold, verbose, one_by_one)
                made = {(s.label, s.start, s.end) for s in app.store.spans(app.doc.id)}
                gold = [g for g in gold if g not in made]
                total = len(walk)
                print(f"suggestion review: {len(walk)} keys, {len(gold)} gold spans left to make")

            async def restore(state):
                cursor, selection = state
                if selection:
                    view.move_to(selection[0], select_to=selection[1])
                    view._set_cursor(cursor)
                else:
                    view.move_to(cursor)
                app._pending = None

            # trials call the same actions the keys are bound to (fast); the chosen plan is
            # then replayed with real key presses through the pilot and checked
            actions = {
                "e": lambda: app.action_name(1),
                "E": lambda: app.action_name(-1),
                ")": lambda: view.move_sentence(1),
                "(": lambda: view.move_sentence(-1),
                "s": app.action_select_sentence,
                "q": app.action_select_quotation,
                "right": lambda: view.move_word(1),
                "left": lambda: view.move_word(-1),
                "shift+right": lambda: view.move_word(1, extend=True),
                "shift+end": lambda: app.action_extend_sentence_edge(1),
            }

            async def attempt(
                keys: list[str], want: tuple[int, int], limit: int
            ) -> list[str] | None:
                """Apply ``keys``; the shortest prefix that selects ``want`` wins."""
                pressed: list[str] = []
                for key in keys:
                    actions[key]()
                    pressed.append(key)
                    if view.selection == want:
                        return pressed
                    if len(pressed) >= limit:
                        return None
                return None

            def plans(start: int, end: int) -> list[list[str]]:
                """Candidate key sequences, cheapest ideas first (each tried for real)."""
                out = []
                for n in range(0, 9):
                    out.append(["e"] * (n + 1))
                    out.append(["E"] * (n + 1))
                for n in range(0, 6):
                    for tail in (["s"], ["s", "s"], ["q"]):
                        out.append(["right"] * n + tail)
                        out.append([")"] * n + tail)
                        out.append(["("] * n + tail)
                        out.append(["e"] * n + tail)
                # walk to the first word, then extend
                for mover in ("right", "e", ")"):
                    for n in range(0, 12):
                        for ext in (["shift+end"], ["shift+right"] * 1):
                            out.append([mover] * n + ext)
                return out

            for label, start, end in gold:
                want = (start, end)
                if suggestions:  # the walk passed here: start from the suggestion before it
                    before = [o for o in app.offered_starts if o <= start]
                    view.move_to(before[-1] if before else 0)
                state = (view.cursor, view.selection)
                best: list[str] | None = None
                for plan in plans(start, end):
                    if best is not None and len(plan) >= len(best):
                        continue
                    await restore(state)
                    result = await attempt(plan, want, len(plan))
                    if result is not None:
                        best = result
                # extending word by word: try counts of shift+right after each prefix
                if best is None:
                    for mover in ("right", "e", ")", "left"):
                        for n in range(0, 25):
                            for m in range(1, 40):
                                plan = [mover] * n + ["shift+right"] * m
                                if best is not None and len(plan) >= len(best):
                                    break
                                await restore(state)
                                result = await attempt(plan, want, len(plan))
                                if result is not None:
                                    best = result
                                    break
                await restore(state)
                if best is None:
                    print(f"could not select {label} {app.doc.text[start:end]!r}")
                    continue
                keys = [*best, LABEL_KEYS[label]]
                await pilot.press(*best)
                if view.selection != want:
                    print(f"replay differs for {label} {app.doc.text[start:end]!r}")
                await pilot.press(LABEL_KEYS[label])
                total += len(keys)
                if verbose:
                    print(
                        f"{len(keys):>3}  {' '.join(keys):<40} {label:<8} {app.doc.text[start:end][:50]!r}"
                    )
            spans = {(s.label, s.start, s.end) for s in app.store.spans(app.doc.id)}
            gold = all_gold
            gold_set = set(gold)
            missing, extra = gold_set - spans, spans - gold_set
            print(
                f"spans: {len(gold)} gold, {len(spans)} made, {len(missing)} missing, {len(extra)} extra"
            )
            target = 1.0 if suggestions else 4
            print(
                f"keystrokes: {total}  ->  {total / len(gold):.2f} keys per span (target <= {target})"
            )
            await pilot.press("ctrl+q")
        if save is not None:
            shutil.copy(tmp / "db.json", save)
        return 0 if not missing and not extra else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    one = "--one-by-one" in args  # --suggestions without `Y` (y / n per suggestion)
    save = Path(args[args.index("--save") + 1]) if "--save" in args else None
    model = "--rules" not in args  # --rules: the suggestions without a trained model
    sys.exit(asyncio.run(run("-v" in args, "--suggestions" in args or one, one, save, model)))
