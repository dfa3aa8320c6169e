"""Child process for tests/test_store_crash.py: adds spans forever, printing each span id
once ``add_span`` has returned (acknowledged). The parent kills it with SIGKILL.

argv: store path, seed, documents, characters per document, hook, acks before the hook.
Hooks let the parent kill at an exact point of a compaction (the one at open included):
``flush`` prints ``hook flush`` when a snapshot write starts (the parent kills a moment later),
``replace`` stops right before ``os.replace`` of the written temp file, ``truncate`` stops after
the new snapshot is in place but before the journal is emptied. ``none``: no hook.
Protocol on stdout: ``imported``, ``hook <name>`` lines, ``ready`` once the store is open, then span ids.
"""

from __future__ import annotations

import os
import random
import sys
import time

from annotator.model import Document
from annotator.store import open_store
from annotator.store.journal import Journal
from annotator.store.storage import MemoryMiddleware

print("imported", flush=True)  # the package imported; a failure before this is not the store's

WORDS = ["Kyiv", "said", "the", "minister", "Moscow", "claims", "that", "war", "peace", "talks"]
acks = 0


def big_doc(index: int, chars: int) -> Document:
    rng = random.Random(index)
    text = " ".join(rng.choice(WORDS) for _ in range(chars // 5))[:chars]
    return Document(id=f"doc{index:03d}", text=text, path=f"{index}.txt", title=f"Doc {index}")


def install_hook(name: str, after: int) -> None:
    def announce(stop: bool) -> None:
        if acks >= after:
            print(f"hook {name}", flush=True)
            while stop:  # wait for the SIGKILL at exactly this point
                time.sleep(1)

    if name == "flush":
        real_flush = MemoryMiddleware.flush

        def flush(self) -> None:
            announce(stop=False)
            real_flush(self)

        MemoryMiddleware.flush = flush  # type: ignore[method-assign]
    elif name == "replace":
        real_replace = os.replace

        def replace(src, dst, **kw) -> None:
            announce(stop=True)
            real_replace(src, dst, **kw)

        os.replace = replace  # type: ignore[assignment]
    elif name == "truncate":
        real_truncate = Journal.truncate

        def truncate(self) -> None:
            announce(stop=True)
            real_truncate(self)

        Journal.truncate = truncate  # type: ignore[method-assign]


def main() -> None:
    global acks
    path, seed, docs, chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    hook, after = sys.argv[5], int(sys.argv[6])
    install_hook(hook, after)
    rng = random.Random(seed)
    documents = [big_doc(i, chars) for i in range(docs)]
    with open_store(path, annotator="crash", compact_every=7) as store:
        print("ready", flush=True)
        while True:
            doc = rng.choice(documents)
            start = rng.randrange(0, len(doc.text) - 30)
            span = store.add_span(
                doc, start, start + rng.randrange(1, 30), rng.choice(["ACTOR", "CLAIM"])
            )
            print(span.id, flush=True)
            acks += 1


if __name__ == "__main__":
    main()
