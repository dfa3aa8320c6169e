"""The console entry point (``annotator``).

Two things make the reader's first frame come sooner:

- the collector rests while the program loads (:mod:`annotator.collector`); the pause ends
  when a command starts, for the reader after its first frame, and in ``finally`` whatever
  happens;
- the plain forms of opening the reader, ``annotator PATH`` and ``annotator PATH --db FILE``,
  start without click (importing and building it costs about as much as reading the corpus
  listing). Anything else, including every mistake, goes to the click CLI, which gives the
  usual help and error messages; so the fast path only takes what click would accept as is.
"""

from __future__ import annotations

import os
import sys

from annotator import collector


def plain_open(args: list[str]) -> tuple[str, str] | None:
    """``(path, db)`` when ``args`` is ``PATH`` or ``PATH --db FILE`` exactly, else None.

    PATH must exist and be no command's name; FILE must not be a folder (click says why).
    """
    from annotator.cli_core import DEFAULT_DB
    from annotator.commands import COMMANDS

    if len(args) == 1:
        path, db = args[0], DEFAULT_DB
    elif len(args) == 3 and args[1] == "--db":
        path, db = args[0], args[2]
        if not db or db.startswith("-") or os.path.isdir(db):
            return None
    else:
        return None
    if path.startswith("-") or path in COMMANDS or path in _CLI_COMMANDS:
        return None
    return (path, db) if os.path.exists(path) else None


# the commands cli.py defines itself (annotator.commands lists the others); a test checks both
_CLI_COMMANDS = frozenset({"open", "check", "stats", "export", "import", "suggest"})


def main() -> None:
    collector.pause()
    try:
        plain = plain_open(sys.argv[1:])
        if plain is not None:
            from annotator.cli_core import friendly_errors, open_reader

            friendly_errors(open_reader)(*plain)
        else:
            from annotator.cli import main as cli_main

            cli_main()
    finally:
        collector.resume()
