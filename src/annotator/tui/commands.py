"""Command palette provider: every keymap action, searchable by its description."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from annotator.tui.keymap import all_keys

if TYPE_CHECKING:
    from annotator.tui.app import AnnotatorApp


class AnnotatorCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        app: AnnotatorApp = self.app  # type: ignore[assignment]
        result = []
        for key in all_keys(app.schema):
            if key.action in ("command_palette",):
                continue
            result.append((f"{key.description} ({key.shown()})", key.action, key.group))
        return result

    async def discover(self) -> Hits:
        for text, action, group in self._commands():
            yield DiscoveryHit(text, partial(self._run, action), text=text, help=group)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, group in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, action),
                    text=text,
                    help=group,
                )

    async def _run(self, action: str) -> None:
        await self.app.run_action(action)
