"""Child process for tests/test_store_crash.py: adds spans forever, printing each span id
once ``add_span`` has returned (acknowledged). The parent kills it with SIGKILL."""

from __future__ import annotations

import random
import sys

from annotator.model import Document
from annotator.store import open_store

WORDS = ["Kyiv", "said", "the", "minister", "Moscow", "claims", "that", "war", "peace", "talks"]


def big_doc(index: int, chars: int) -> Document:
    rng = random.Random(index)
    text = " ".join(rng.choice(WORDS) for _ in range(chars // 5))[:chars]
    return Document(id=f"doc{index:03d}", text=text, path=f"{index}.txt", title=f"Doc {index}")


def main() -> None:
    path, seed, docs, chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
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


if __name__ == "__main__":
    main()
