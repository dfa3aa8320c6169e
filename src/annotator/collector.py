"""The garbage collector rests while the program starts.

Start-up makes many objects that live as long as the process (modules, classes, the article
listing, the open store) and almost no garbage cycles, so the collections that the allocations
set off during it find nothing to free: on a 10,000-article folder they cost about 17 M
instructions (~5 ms) before the reader's first frame. ``launch.main`` pauses the collector
before anything is imported; ``resume`` ends the pause when a command starts (the reader: after
its first frame), freezing what was loaded so later full collections skip it too.

``resume`` is a no-op when nothing paused it (tests, the scripting API).
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until ``resume`` (only if it is on now)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """End a ``pause``: what lives now is frozen (never walked again), collection is back on."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    return _paused
