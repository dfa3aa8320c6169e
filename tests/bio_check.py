"""A strict BIO checker shared by the export tests: every I- continues a tag of its own label."""

from __future__ import annotations


def is_valid_bio(tags: list[str]) -> bool:
    previous = "O"
    for tag in tags:
        if tag != "O" and not tag.startswith(("B-", "I-")):
            return False
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True


def conll_sentences(text: str) -> list[list[list[str]]]:
    """CoNLL export text -> sentences of rows (token, tag, tag, ...), ``-DOCSTART-`` left out."""
    sentences: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith("-DOCSTART-"):
            continue
        if not line:
            if current:
                sentences.append(current)
            current = []
            continue
        current.append(line.split(" "))
    return sentences
