"""Per-keystroke cost of ArticleView on a 50,000-word article against a 1,000-word one.

Measures, inside a headless Textual app, the widget work of one key: the move itself (cursor,
selection, invalidation, scrolling) plus rendering every visible row afterwards (cache hits for
unchanged rows, fresh Strips for the invalidated ones).  Also the one-off layout of the whole
document.  Prints the 50k/1k ratios (target <= 1.3: work per key depends on what is visible).

Run: .venv/bin/python benchmarks/bench_article_view.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time

from textual.app import App, ComposeResult

from annotator.model import DEFAULT_SCHEMA, Document, make_span
from annotator.text import TextIndex
from annotator.tui.article_view import ArticleView
from annotator.tui.layout import Layout

WORDS = [
    "the",
    "Ukrainian",
    "president",
    "said",
    "that",
    "Kyiv's",
    "control",
    "of",
    "“Crimea”",
    "was,",
    "via",
    "diplomacy,",
    "the",
    "only",
    "way",
    "—",
    "officials",
    "in",
    "Moscow",
    "rejected",
    "it;",
    "2024",
    "talks",
    "Zelenskyy",
    "Putin",
    "Trump",
    "NATO",
]


def article(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    paragraphs = []
    count = 0
    while count < words:
        n = rng.randint(25, 90)
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
        count += n
    return "Title line\n" + "\n".join(paragraphs) + "\n"


class BenchApp(App):
    def compose(self) -> ComposeResult:
        yield ArticleView()


def render_visible(view: ArticleView) -> None:
    for y in range(view.scrollable_content_region.height):
        view.render_line(y)


async def measure(words: int, keys: int = 400) -> dict[str, float]:
    text = article(words)
    index = TextIndex(text)
    doc = Document(id="bench", text=text, title_span=(0, 10))
    spans = [
        make_span("bench", text, t.start, t.end, ("ACTOR", "LOCATION", "CLAIM")[i % 3])
        for i, t in enumerate(index.tokens[::40])
    ]
    app = BenchApp()
    results: dict[str, float] = {}
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(ArticleView)
        view.show(doc, index, spans, [], DEFAULT_SCHEMA, cursor=len(text) // 2)
        await pilot.pause()
        render_visible(view)

        def timed(action) -> float:
            samples = []
            for _ in range(keys):
                start = time.perf_counter()
                action()
                render_visible(view)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples) * 1e6

        counter = iter(range(10**9))

        def bounce(step: int) -> int:
            # 10 keys one way, 10 back: both documents stay away from their edges
            return step if (next(counter) // 10) % 2 == 0 else -step

        results["move_word"] = timed(lambda: view.move_word(bounce(1)))
        results["move_line"] = timed(lambda: view.move_line(bounce(1)))

        def extend() -> None:
            if view.selection is not None and view.selection[1] - view.selection[0] > 300:
                view.clear_selection()
            view.move_word(1, extend=True)

        results["extend"] = timed(extend)
        pages = iter(range(10**9))
        results["page (full repaint)"] = timed(
            lambda: view.move_page(1 if next(pages) % 2 == 0 else -1)
        )
        await pilot.pause()
    start = time.perf_counter()
    Layout(text, 98)
    results["layout_ms"] = (time.perf_counter() - start) * 1e3
    return results


async def main() -> None:
    small = await measure(1_000)
    big = await measure(50_000)
    print(f"{'operation':22} {'1k words':>12} {'50k words':>12} {'ratio':>7}")
    for key in small:
        unit = "ms" if key.endswith("_ms") else "us"
        ratio = big[key] / small[key] if small[key] else float("nan")
        print(f"{key:22} {small[key]:10.1f}{unit} {big[key]:10.1f}{unit} {ratio:7.2f}")


if __name__ == "__main__":
    asyncio.run(main())
