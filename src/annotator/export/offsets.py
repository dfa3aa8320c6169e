"""Code point <-> UTF-16 code unit offsets.

Python counts code points; JavaScript tools (doccano, Label Studio) count UTF-16 code units,
where every character outside the Basic Multilingual Plane (emoji, rare CJK) takes two.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetError(ValueError):
    """A UTF-16 offset that falls inside a surrogate pair or outside the text."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class OffsetMap:
    """Converts offsets of one text both ways in O(log n); identity for BMP-only texts."""

    __slots__ = ("_astral", "_astral16", "length", "length16")

    def __init__(self, text: str) -> None:
        # Code point indices of astral characters, and where each starts in UTF-16 units.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        self._astral16 = [index + k for k, index in enumerate(self._astral)]
        self.length = len(text)
        self.length16 = self.length + len(self._astral)

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        if not 0 <= offset <= self.length:
            raise OffsetError(f"offset {offset} out of range 0..{self.length}")
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_codepoint(self, offset16: int) -> int:
        if not 0 <= offset16 <= self.length16:
            raise OffsetError(f"UTF-16 offset {offset16} out of range 0..{self.length16}")
        if not self._astral16:
            return offset16
        inside = bisect_left(self._astral16, offset16 - 1)
        if inside < len(self._astral16) and self._astral16[inside] == offset16 - 1:
            raise OffsetError(f"UTF-16 offset {offset16} splits a surrogate pair")
        return offset16 - bisect_right(self._astral16, offset16 - 2)
