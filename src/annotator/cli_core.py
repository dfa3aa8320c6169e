"""The parts of the command line that need no click: error lines, and opening the reader.

``annotator PATH`` in its plain forms starts here without loading click at all (see
:mod:`annotator.launch`); :mod:`annotator.cli` builds its commands on the same functions.
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from annotator import collector

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "annotations.json"


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "annotator"


def fail(message: str) -> None:
    """Print one readable line and exit 1."""
    print(f"annotator: error: {message}", file=sys.stderr)
    sys.exit(1)


def friendly_errors(func: F) -> F:
    """Turn the errors a user can cause into one line and exit 1 (click's own usage errors
    are no ValueError or OSError: they pass to click)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from annotator.store import StoreError

        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            # The reader went away (`annotator export | head`): not an error of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except StoreError as error:
            fail(str(error))
        except (ValueError, OSError) as error:
            fail(_one_line(error))
        except KeyboardInterrupt:
            print("annotator: interrupted", file=sys.stderr)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename:
        reason = error.strerror or str(error)
        return f"{error.filename}: {reason}"
    text = str(error) or type(error).__name__
    return " ".join(text.split())


def open_reader(
    path: str,
    db_path: str = DEFAULT_DB,
    annotator_name: str | None = None,
    *,
    guidelines: str | None = None,
    suggest: bool = True,
) -> None:
    """``annotator PATH``: list the folder (or read its cached listing), open the store, run
    the TUI."""
    from annotator.corpus import cached_corpus, has_entries
    from annotator.store import open_store

    # None: a folder not listed before; the app walks it after its first frame
    corpus = cached_corpus(path)
    if not (corpus.entries if corpus is not None else has_entries(path)):
        fail(f"no articles (.txt, .md, .jsonl) found in {path}")
    store = open_store(db_path, annotator=annotator_name or login_name())
    run_reader(path, db_path, store, corpus, guidelines=guidelines, suggest_on_open=suggest)


def run_reader(
    path: str,
    db_path: str,
    store: Any,
    corpus: Any,
    *,
    guidelines: str | None = None,
    suggest_on_open: bool = True,
) -> None:
    """Run the TUI on an open store (closed on the way out); exit with the app's return code.

    ``corpus`` None: the folder is walked by the app, after its first frame.
    """
    try:
        import gc

        from annotator.tui import AnnotatorApp

        # What is loaded by now (modules, the corpus listing, the store) lives as long as the
        # process: the collector need not walk it again (a full collection during start-up
        # costs ~30 ms on a 10,000-article folder). Paused, the pause's end freezes it.
        if not collector.paused():
            gc.freeze()
        app = AnnotatorApp(
            path,
            db_path=db_path,
            annotator=store.annotator,
            guidelines=guidelines,
            store=store,
            corpus=corpus,
            suggest_on_open=suggest_on_open,
            walk_in_background=corpus is None,
        )
        app.run()
    finally:
        collector.resume()  # the app ends the pause after its first frame; this is the fallback
        store.close()
    if app.return_code:
        sys.exit(app.return_code)
