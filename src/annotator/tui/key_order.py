"""Keys in order: a key is routed only once the key before it has been handled.

Textual's ``App.on_event`` sends each key to the widget focused *when the app takes the key
off its queue*; the key's bindings run later, when it has bubbled back up to the app, against
the screen active *then*. Keys that arrive together (typed while the main thread was busy, for
instance writing suggestions; pasted; sent by tmux) are all routed before the first of them
has had any effect. So after ``/`` (which opens the search prompt) the letters of the query
went to the article view and were matched against the prompt's bindings (lost), Enter
submitted an empty query behind an Escape that had already cancelled the prompt, and ``e``
and ``3`` then acted on the cursor as it was before the search: the wrong token was tagged
(Textual's own issue: Textualize/textual#1009, "Add input queue").

:class:`KeysInOrder` holds a key while the app is still busy with the previous one (a message
waiting or being handled in any queue of the app or of its screens, or a callback waiting to
run) and routes it once that work is done, one key at a time, each through the app's own
queue. A key that finds the app settled is routed at once, as before. The wait is bounded
(``MAX_HOLD``): an app kept busy by something else still gets its keys.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from textual import events
from textual.message_pump import MessagePump

MAX_HOLD = 0.5  # seconds a key waits at most for the previous key's work to finish
_SPINS = 50  # polls with sleep(0) before polling with a short sleep
_POLL = 0.002

_RELEASED = "_annotator_released"  # set on a held key when it is let through


def _busy(pump: MessagePump, current: int = 0) -> bool:
    """A message waiting or being handled (besides ``current`` ones), or a callback due."""
    queue = pump._message_queue
    unfinished = getattr(queue, "_unfinished_tasks", queue.qsize())  # queued + being handled
    return unfinished > current or pump._pending_message is not None or bool(pump._next_callbacks)


class KeysInOrder:
    """Mixed into the App (before ``App``): keyboard input is routed one key at a time."""

    _held_keys: deque[events.Event]
    _key_release: asyncio.Task[None] | None

    def _init_key_order(self) -> None:
        self._held_keys = deque()
        self._key_release = None

    def keys_settled(self, current: int = 0) -> bool:
        """Nothing left to do in the app's queue and its screens' widgets' (``current``: the
        messages the app is handling now, not counted)."""
        app: Any = self
        if _busy(app, current):
            return False
        for screen in app.screen_stack:
            if _busy(screen):
                return False
            for node in screen.walk_children(with_self=False):
                if _busy(node):
                    return False
        return True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if getattr(event, _RELEASED, False):
                setattr(event, _RELEASED, False)
            elif self._held_keys or not self.keys_settled(current=1):
                self._held_keys.append(event)
                if self._key_release is None or self._key_release.done():
                    self._key_release = asyncio.create_task(self._release_keys())
                return
        await super().on_event(event)  # type: ignore[misc]

    async def _release_keys(self) -> None:
        """Let the held keys through one by one, each once the app has settled."""
        app: Any = self
        try:
            while self._held_keys:
                deadline = time.monotonic() + MAX_HOLD
                spins = 0
                while not self.keys_settled() and time.monotonic() < deadline:
                    spins += 1
                    await asyncio.sleep(0 if spins < _SPINS else _POLL)
                if not app.is_running or app._closing:
                    self._held_keys.clear()
                    return
                event = self._held_keys.popleft()
                setattr(event, _RELEASED, True)
                app.post_message(event)
                await asyncio.sleep(0)  # the app takes it off its queue before the next check
        except Exception as error:  # pragma: no cover - reported like any handler's error
            app._handle_exception(error)
