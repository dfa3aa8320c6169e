"""Store benchmark: per-action save cost at 100 vs 100,000 spans, per-span cost in one document
holding 100 vs 10,000 spans (single changes and batches), open+replay, and what a compaction
costs the action that triggers it (background vs in line).

Run: .venv/bin/python benchmarks/bench_store.py [--spans 100000] [--docs 2000] [--actions 400]
Prints figures and ratios measured in this run (no absolute thresholds are asserted).
The big store is generated straight into the snapshot format (100,000 fsync'd adds would only
measure the disk); every action measured goes through the public API.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from annotator.model import Document, Span
from annotator.store import open_store
from annotator.store.storage import dumps, snapshot_chunks, write_atomic
from annotator.store.store import DOC_PREFIX, _doc_fields, _meta_defaults, _span_record

WORDS = (
    "the minister said that Kyiv would not accept any deal signed in Moscow or Washington".split()  # noqa: SIM905
)
LABELS = ("CLAIM", "ACTOR", "LOCATION")


def make_doc(index: int, chars: int, rng: random.Random) -> Document:
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)[:chars]
    return Document(
        id=f"d{index:06d}", text=text, path=f"articles/{index}.txt", title=f"Article {index}"
    )


def spans_for(doc: Document, count: int, rng: random.Random) -> list[Span]:
    spans = []
    for i in range(count):
        start = rng.randrange(0, len(doc.text) - 40)
        end = start + rng.randrange(1, 40)
        label = LABELS[i % 3]
        spans.append(
            Span(f"{doc.id}s{i:04d}", doc.id, start, end, label, doc.text[start:end], "bench")
        )
    return spans


def build_snapshot(path: Path, docs: list[Document], per_doc: int, rng: random.Random) -> int:
    meta = _meta_defaults()
    data: dict = {}
    total = 0
    for doc in docs:
        table = {"1": {"kind": "doc", "id": doc.id, **_doc_fields(doc), "status": "new"}}
        for tid, span in enumerate(spans_for(doc, per_doc, rng), start=2):
            table[str(tid)] = _span_record(span)
            total += 1
        data[DOC_PREFIX + doc.id] = table
    fragments = [(name, dumps(table).encode("ascii")) for name, table in data.items()]
    write_atomic(path, snapshot_chunks(fragments, meta))
    return total


def measure_actions(
    paths: list[Path], docs: list[list[Document]], actions: int, rng: random.Random
) -> list[list[float]]:
    """Milliseconds per save in each store: add_span and remove_span alternately (the size
    stays put), interleaving the stores so they see the same disk conditions.

    This is the keystroke path: validate, apply in memory, one journal line + fsync.
    """
    times: list[list[float]] = [[] for _ in paths]
    stores = [open_store(p, annotator="bench", compact_every=10**9) for p in paths]
    for _ in range(actions // 2):
        for store, doc_list, out in zip(stores, docs, times, strict=True):
            doc = rng.choice(doc_list)
            start = rng.randrange(0, len(doc.text) - 40)
            end = start + rng.randrange(1, 40)
            label = rng.choice(LABELS)
            t0 = time.perf_counter()
            span = store.add_span(doc, start, end, label)
            t1 = time.perf_counter()
            store.remove_span(span.id)
            t2 = time.perf_counter()
            out += [(t1 - t0) * 1000, (t2 - t1) * 1000]
    for store in stores:
        store.close()
    return times


def measure_rejects(
    paths: list[Path], docs: list[list[Document]], actions: int, rng: random.Random
) -> list[list[float]]:
    """Milliseconds per reject_suggestion and per unreject (its undo), each one journal line."""
    times: list[list[float]] = [[] for _ in paths]
    stores = [open_store(p, annotator="bench", compact_every=10**9) for p in paths]
    for _ in range(actions // 2):
        for store, doc_list, out in zip(stores, docs, times, strict=True):
            doc = rng.choice(doc_list)
            start = rng.randrange(0, len(doc.text) - 40)
            span = store.add_span(
                doc, start, start + rng.randrange(1, 40), "ACTOR", origin="suggested"
            )
            t0 = time.perf_counter()
            store.reject_suggestion(span.id)
            t1 = time.perf_counter()
            store.unreject(span)
            t2 = time.perf_counter()
            out += [(t1 - t0) * 1000, (t2 - t1) * 1000]
            store.remove_span(span.id)
    for store in stores:
        store.close()
    return times


def measure_one_document(root: Path, held: list[int], actions: int, rng: random.Random):
    """Per-span cost in ONE document holding each count of spans: add_span + remove_span
    alternately (single changes), and add_spans of 50 new spans then removing them in one
    batch (batches). Stores interleaved so they see the same disk."""
    chars = max(held) * 30 + 1000
    doc = make_doc(0, chars, rng)
    stores = []
    for count in held:
        path = root / f"one-{count}.json"
        build_snapshot(path, [doc], count, rng)
        stores.append(open_store(path, annotator="bench", compact_every=10**9))
    single: list[list[float]] = [[] for _ in held]
    batched: list[list[float]] = [[] for _ in held]
    for _ in range(actions // 2):
        for store, out in zip(stores, single, strict=True):
            start = rng.randrange(0, len(doc.text) - 40)
            t0 = time.perf_counter()
            span = store.add_span(doc.id, start, start + rng.randrange(1, 40), "CLAIM")
            t1 = time.perf_counter()
            store.remove_span(span.id)
            out += [(t1 - t0) * 1000, (time.perf_counter() - t1) * 1000]
    for _ in range(max(4, actions // 50)):
        for store, out in zip(stores, batched, strict=True):
            items = []
            for _ in range(50):
                start = rng.randrange(0, len(doc.text) - 40)
                items.append((start, start + rng.randrange(1, 40), "LOCATION"))
            t0 = time.perf_counter()
            made = store.add_spans(doc.id, items)
            t1 = time.perf_counter()
            with store.batch():
                for span in {s.id: s for s in made}.values():
                    store.remove_span(span.id)
            t2 = time.perf_counter()
            out += [(t1 - t0) * 1000 / len(items), (t2 - t1) * 1000 / len(items)]
    for store in stores:
        store.close()
    return single, batched


def measure_compaction_stall(path: Path, docs: list[Document], background: bool, rng) -> tuple:
    """(median ms of an ordinary action, the ms of each action that started a compaction)."""
    every = 60
    store = open_store(
        path, annotator="bench", compact_every=every, background_compaction=background
    )
    normal, triggering = [], []
    for i in range(every * 5):
        doc = rng.choice(docs)
        start = rng.randrange(0, len(doc.text) - 40)
        t0 = time.perf_counter()
        store.add_span(doc.id, start, start + rng.randrange(1, 40), "ACTOR")
        ms = (time.perf_counter() - t0) * 1000
        (triggering if (i + 1) % every == 0 else normal).append(ms)
    store.close()
    normal.sort()
    return statistics.median(normal), triggering, normal[int(0.99 * (len(normal) - 1))]


def raw_append_floor(folder: Path, count: int) -> list[float]:
    line = (
        dumps({"seq": 1, "op": "add_span", "table": "doc:x", "put": [{"x": "y" * 200}]}) + "\n"
    ).encode()
    fd = os.open(folder / "floor.journal", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        os.write(fd, line)
        os.fsync(fd)
        times.append((time.perf_counter() - t0) * 1000)
    os.close(fd)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument("--docs", type=int, default=2_000)
    parser.add_argument("--chars", type=int, default=3_000, help="characters per article")
    parser.add_argument("--actions", type=int, default=400)
    parser.add_argument("--journal", type=int, default=300, help="journal lines to replay on open")
    args = parser.parse_args()
    rng = random.Random(7)

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp)
        floor = summary(raw_append_floor(root, args.actions))

        small_docs = [make_doc(i, args.chars, rng) for i in range(2)]
        small = root / "small.json"
        build_snapshot(small, small_docs, 50, rng)

        big_docs = [make_doc(i, args.chars, rng) for i in range(args.docs)]
        big = root / "big.json"
        t0 = time.perf_counter()
        total = build_snapshot(big, big_docs, args.spans // args.docs, rng)
        build_s = time.perf_counter() - t0
        small_times, big_times = measure_actions(
            [small, big], [small_docs, big_docs], args.actions, rng
        )
        small_rej, big_rej = measure_rejects(
            [small, big], [small_docs, big_docs], args.actions // 2, rng
        )
        size_mb = big.stat().st_size / 1e6
        single, batched = measure_one_document(root, [100, 10_000], args.actions, rng)
        stall_bg = measure_compaction_stall(big, big_docs, True, rng)
        stall_sync = measure_compaction_stall(big, big_docs, False, rng)

        # open + replay: leave a journal of N lines behind (as after a crash), then reopen
        store = open_store(big, annotator="bench", compact_every=10**9)
        for _ in range(args.journal):
            doc = rng.choice(big_docs)
            start = rng.randrange(0, len(doc.text) - 40)
            store.add_span(doc.id, start, start + 5, rng.choice(LABELS))
        store._journal.close()  # abandon without compacting, like a killed process
        store._lock.release()
        t0 = time.perf_counter()
        store = open_store(big, annotator="bench")
        open_total = time.perf_counter() - t0
        replayed = store.replayed
        timings = dict(store.timings)
        t0 = time.perf_counter()
        ro = open_store(big, readonly=True)
        open_ro = time.perf_counter() - t0
        ro.close()
        store.add_span(big_docs[0].id, 0, 3, "ACTOR")
        t0 = time.perf_counter()
        store.compact()
        compact_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.close()
        close_s = time.perf_counter() - t0

    s_med, s_p95 = summary(small_times)
    b_med, b_p95 = summary(big_times)
    print(
        f"store benchmark ({args.actions} actions each: add_span/remove_span alternately; fsync'd journal)"
    )
    print(f"  raw fsync'd append (floor):   median {floor[0]:.3f} ms   p95 {floor[1]:.3f} ms")
    print(f"  100 spans stored:             median {s_med:.3f} ms   p95 {s_p95:.3f} ms")
    print(
        f"  {total:,} spans / {args.docs:,} docs: median {b_med:.3f} ms   p95 {b_p95:.3f} ms"
        f"   (snapshot {size_mb:.1f} MB, generated in {build_s:.1f} s)"
    )
    print(
        f"  ratio big/small:              median {b_med / s_med:.2f}   p95 {b_p95 / s_p95:.2f}   (target <= 1.5)"
    )
    rs, rb = summary(small_rej), summary(big_rej)
    print(
        f"  reject_suggestion / unreject: median {rs[0]:.3f} ms at 100 spans, {rb[0]:.3f} ms at"
        f" {total:,} (ratio {rb[0] / rs[0]:.2f})"
    )
    print(f"  overhead over the fsync floor: median {b_med - floor[0]:.3f} ms")
    one_small, one_big = summary(single[0]), summary(single[1])
    print(
        f"  one document holding 100 / 10,000 spans, add_span+remove_span: median "
        f"{one_small[0]:.3f} / {one_big[0]:.3f} ms, ratio {one_big[0] / one_small[0]:.2f} "
        f"(p95 ratio {one_big[1] / one_small[1]:.2f}; target <= 1.5)"
    )
    b_small, b_big = summary(batched[0]), summary(batched[1])
    print(
        f"  same, per span in batches of 50 (add_spans, one batch of removes): median "
        f"{b_small[0]:.4f} / {b_big[0]:.4f} ms, ratio {b_big[0] / b_small[0]:.2f}; "
        f"a batch costs {b_small[0] / one_small[0]:.2f}x a single change per span"
    )
    for name, (median, trig, worst) in (("background", stall_bg), ("in line", stall_sync)):
        print(
            f"  compaction {name} at {total:,} spans: the triggering action "
            f"{statistics.median(trig):.2f} ms (max {max(trig):.2f}) vs an ordinary one "
            f"{median:.3f} ms: ratio {statistics.median(trig) / median:.1f}; ordinary actions p99 "
            f"{worst:.2f} ms"
        )
    print(
        f"  open + replay {replayed} journal lines at {total:,} spans: {open_total:.3f} s (target <= 1 s)"
    )
    print(
        f"    of which: snapshot load {timings['load']:.3f} s, journal replay {timings['replay']:.3f} s,"
        f" compaction at open {timings['compact']:.3f} s (only after a torn tail)"
    )
    print(f"  read-only open (snapshot + journal, no lock, no write):       {open_ro:.3f} s")
    print(
        f"  compaction at {total:,} spans: {compact_s:.3f} s;  close (nothing to compact): {close_s * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
