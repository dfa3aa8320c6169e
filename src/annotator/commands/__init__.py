"""Sub-commands that live in modules of their own, each registered on the ``annotator`` group.

A module here defines click commands with the shared helpers of :mod:`annotator.cli`
(``db_option``, ``friendly_errors``, ``fail``) and a ``register(group)`` function; add its
commands to ``COMMANDS`` below. Keeping each command area in its own module keeps ``cli.py``
short.

The group loads a module only when one of its commands is run or listed (``COMMANDS`` names
them without importing anything): ``annotator PATH`` does not pay for every command's module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

# command name -> (module in this package, the click command's attribute there)
COMMANDS: dict[str, tuple[str, str]] = {
    "repair": ("repair", "repair_command"),
    "serve": ("serve", "serve_command"),
    "serve-session": ("serve", "serve_session_command"),
    "agree": ("team", "agree_command"),
    "merge": ("team", "merge_command"),
    "review": ("team", "review_command"),
    "train": ("learn", "train_command"),
    "evaluate": ("learn", "evaluate_command"),
}

MODULES: tuple[str, ...] = tuple(dict.fromkeys(module for module, _attr in COMMANDS.values()))


def load(name: str) -> click.Command | None:
    """The command called ``name`` (its module imported now), or None if there is none."""
    where = COMMANDS.get(name)
    if where is None:
        return None
    module, attr = where
    command = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    return command  # type: ignore[no-any-return]


def register(group: click.Group) -> None:
    """Add every command to ``group`` now (importing every module)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}").register(group)
