"""Child process for tests/test_store_crash.py: adds spans forever, printing each span id
once ``add_span`` has returned (acknowledged). The parent kills it with SIGKILL.

argv: store path, seed, documents, characters per document, hook, acks before the hook.
Every third change is a batch of spans (``store.add_spans``, one journal record): the child
prints ``T id,id,...`` before the call and ``B id,id,...`` once it returned, so the parent can
check that a batch is all there or not there at all.
Hooks let the parent kill at an exact point of a compaction (which runs in a background
thread while spans keep being added): ``flush`` prints ``hook flush`` when a snapshot write
starts (the parent kills a moment later), ``replace`` stops right before ``os.replace`` of the
written temp snapshot, ``retire`` stops after the new snapshot is in place but before the
folded-in journal segment moves to the backups, ``rotate`` stops right after the live journal
was renamed to a segment and before the new journal exists. ``none``: no hook.
Protocol on stdout: ``imported``, ``hook <name>`` lines, ``ready`` once the store is open, then
span ids and batch lines.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time

from annotator.model import Document, Span
from annotator.store import open_store
from annotator.store import storage as storage_mod
from annotator.store.backups import Backups

_out = threading.Lock()  # compaction runs in a thread: whole lines only, never interleaved


def say(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


say("imported")  # the package imported; a failure before this is not the store's

WORDS = ["Kyiv", "said", "the", "minister", "Moscow", "claims", "that", "war", "peace", "talks"]
acks = 0


def big_doc(index: int, chars: int) -> Document:
    rng = random.Random(index)
    text = " ".join(rng.choice(WORDS) for _ in range(chars // 5))[:chars]
    return Document(id=f"doc{index:03d}", text=text, path=f"{index}.txt", title=f"Doc {index}")


def install_hook(name: str, after: int) -> None:
    def announce(stop: bool) -> None:
        if acks >= after:
            say(f"hook {name}")
            while stop:  # wait for the SIGKILL at exactly this point
                time.sleep(1)

    if name == "flush":
        real_write = storage_mod.write_atomic

        def write_atomic(path, payload) -> None:
            announce(stop=False)
            real_write(path, payload)

        storage_mod.write_atomic = write_atomic  # type: ignore[assignment]
    elif name == "replace":
        real_replace = os.replace

        def replace(src, dst, **kw) -> None:
            if str(dst).endswith(".json"):  # the snapshot, not a segment moving to the backups
                announce(stop=True)
            real_replace(src, dst, **kw)

        os.replace = replace  # type: ignore[assignment]
    elif name == "retire":
        real_keep = Backups.keep_segment

        def keep_segment(self, segment, last_seq) -> None:
            announce(stop=True)
            real_keep(self, segment, last_seq)

        Backups.keep_segment = keep_segment  # type: ignore[method-assign]
    elif name == "rotate":
        real_rename = os.rename

        def rename(src, dst, **kw) -> None:
            real_rename(src, dst, **kw)
            announce(stop=True)

        os.rename = rename  # type: ignore[assignment]


def main() -> None:
    global acks
    path, seed, docs, chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    hook, after = sys.argv[5], int(sys.argv[6])
    install_hook(hook, after)
    rng = random.Random(seed)
    documents = [big_doc(i, chars) for i in range(docs)]
    with open_store(path, annotator="crash", compact_every=7) as store:
        say("ready")
        n = 0
        while True:
            doc = rng.choice(documents)
            n += 1
            if n % 3 == 0:
                items = []
                for i in range(rng.randrange(2, 12)):
                    start = rng.randrange(0, len(doc.text) - 30)
                    end = start + rng.randrange(1, 30)
                    if store.find_span(doc.id, start, end, "ACTOR") is None and all(
                        (s.start, s.end) != (start, end) for s in items
                    ):  # only new spans, so the parent can tell all-or-nothing by id
                        items.append(Span(f"b{seed}x{n}x{i}", doc.id, start, end, "ACTOR", ""))
                say("T " + ",".join(s.id for s in items))
                made = store.add_spans(doc, items)
                say("B " + ",".join(s.id for s in made))
            else:
                start = rng.randrange(0, len(doc.text) - 30)
                span = store.add_span(
                    doc, start, start + rng.randrange(1, 30), rng.choice(["ACTOR", "CLAIM"])
                )
                say(span.id)
            acks += 1


if __name__ == "__main__":
    main()
