"""Helpers shared by the pilot tests."""

from __future__ import annotations


async def at(app, pilot, needle: str, nth: int = 0) -> int:
    """Put the cursor on the nth occurrence of ``needle`` (as a click or search would)."""
    offset = -1
    for _ in range(nth + 1):
        offset = app.doc.text.index(needle, offset + 1)
    app.view.move_to(offset)
    await pilot.pause()
    return offset
