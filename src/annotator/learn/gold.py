"""Gold articles: spaCy/Prodigy JSONL files of hand-checked spans, read with the importer's parser.

One JSON object per line, ``{"text", "spans": [{"start", "end", "label", "text"}], "meta"}``, the
format ``annotator export --format spacy`` writes and ``annotator import`` reads. ``meta`` may name
the article (``name``), its set (``set``) and where it comes from (``provenance``: "real" or
"written", ``url``, ``licence``). The text is parsed as an article (title, date, boilerplate) the
way the corpus parses a file, and must come out unchanged, so every offset still slices.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.corpus import parse_article
from annotator.export.importer import LineError, parse_spacy
from annotator.model import Document
from annotator.text import sanitize

Key = tuple[int, int, str]


class GoldError(ValueError):
    """A gold file that cannot be read; ``str()`` names the file and line."""


@dataclass
class GoldArticle:
    name: str
    doc: Document
    spans: frozenset[Key]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def set(self) -> str:
        return str(self.meta.get("set", ""))

    @property
    def provenance(self) -> str:
        return str(self.meta.get("provenance", ""))

    def labels(self) -> set[str]:
        return {label for _, _, label in self.spans}


def gold_files(path: str | Path) -> list[Path]:
    """``path`` itself, or the ``.jsonl`` files in a folder, in name order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise GoldError(f"{path}: no .jsonl gold files in this folder")
        return files
    if not path.exists():
        raise GoldError(f"{path}: no such file or folder")
    return [path]


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Every article of a gold file, or of the ``.jsonl`` files in a folder."""
    articles: list[GoldArticle] = []
    for file in gold_files(path):
        articles.extend(_read_file(file))
    return articles


def _read_file(file: Path) -> Iterable[GoldArticle]:
    with file.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                yield _article(json.loads(line), f"{file.stem}-{number}")
            except (json.JSONDecodeError, LineError) as error:
                raise GoldError(f"{file}:{number}: {error}") from None


def _article(obj: Any, default_name: str) -> GoldArticle:
    if not isinstance(obj, dict):
        raise LineError("not a JSON object")
    parsed = parse_spacy(obj)
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    name = str(meta.get("name") or default_name)
    if sanitize(parsed.text) != parsed.text:
        raise LineError("the text changes when read as an article, so its offsets would move")
    doc = parse_article(parsed.text, path=str(meta.get("source") or name))
    spans = frozenset((s.start, s.end, s.label) for s in parsed.spans)
    if len(spans) != len(parsed.spans):
        raise LineError("a span is listed twice")
    return GoldArticle(name, doc, spans, dict(meta))
