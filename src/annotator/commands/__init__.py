"""Sub-commands that live in modules of their own, each registered on the ``annotator`` group.

A module here defines click commands with the shared helpers of :mod:`annotator.cli`
(``db_option``, ``friendly_errors``, ``fail``) and a ``register(group)`` function; add its
name to ``MODULES`` below. Keeping each command area in its own module keeps ``cli.py`` short.
"""

from __future__ import annotations

import importlib

import click

MODULES: tuple[str, ...] = ("repair", "serve", "team", "learn")


def register(group: click.Group) -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}").register(group)
