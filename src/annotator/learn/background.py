"""Training in a separate process, so the app's interpreter (and its GIL) stays free.

``BackgroundTrainer`` runs ``train_database`` in a one-worker process pool started with the
``spawn`` context (no fork of a threaded app). The app calls ``article_done`` when an article
is marked done (a training starts after every ``every`` of them) and ``start`` on demand; a
request while one runs is queued as one more run. ``on_finished`` is called from the pool's
result thread with the outcome (or the error, as a readable line): the caller hands it to its
own thread (Textual: ``call_from_thread``). The new model is picked up by the "model" engine
on its next call (it stats the model folder), nothing else needs telling.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from annotator.learn import gate
from annotator.learn.training import Outcome, train_database
from annotator.worker import quiet_worker, real_stderr

TRAIN_EVERY = 3  # articles marked done between two trainings in the app


@dataclass(frozen=True)
class Finished:
    outcome: Outcome | None
    error: str | None = None

    @property
    def message(self) -> str:
        if self.error is not None:
            return f"training failed: {self.error}"
        assert self.outcome is not None
        return in_use_message(self.outcome)


def in_use_message(outcome: Outcome) -> str:
    """``model v3 in use: F1 0.87 on your 4 held-back articles (rules alone 0.80)``, or, when
    the rules serve some labels, ``model v3 in use for ACTOR, CLAIM; LOCATION from rules
    (rules 0.91 vs model 0.77 on your 4 held-back articles)``."""
    info = outcome.info
    if outcome.status not in ("trained", "up to date") or info is None:
        return f"model not trained: {outcome.message}"
    held = info.heldout or {}
    if info.rules_for:
        line = f"model v{info.version} " + gate.phrase(info.labels, held, info.rules_for)
    else:
        line = f"model v{info.version} in use"
        model = [f1 for _, _, f1 in held.get("model", {}).values()]
        rules = [f1 for _, _, f1 in held.get("rules", {}).values()]
        if held.get("documents") and model:
            mean = sum(model) / len(model)
            line += f": F1 {mean:.2f} on your {gate.held_back(held['documents'])}"
            if rules:
                line += f" (rules alone {sum(rules) / len(rules):.2f})"
    if outcome.status == "up to date":
        line += " (up to date)"
    return line


def _train(db_path: str, force: bool) -> Outcome:
    """The child's job (a module-level function: spawn pickles it by name)."""
    return train_database(db_path, force=force)


class BackgroundTrainer:
    def __init__(
        self,
        db_path: str | Path,
        on_finished: Callable[[Finished], None],
        *,
        every: int = TRAIN_EVERY,
    ) -> None:
        self.db_path = str(Path(db_path).expanduser().absolute())
        self.on_finished = on_finished
        self.every = every
        self._done_since = 0
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[Outcome] | None = None
        self._again = False
        self._closed = False

    @property
    def running(self) -> bool:
        with self._lock:
            return self._future is not None

    def article_done(self) -> bool:
        """Count one article marked done; True when that started (or queued) a training."""
        if self.every <= 0:
            return False
        with self._lock:
            self._done_since += 1
            due = self._done_since >= self.every
        return self.start() if due else False

    def start(self, force: bool = False) -> bool:
        """Start a training now (or once the running one ends); False when closed."""
        with self._lock:
            if self._closed:
                return False
            self._done_since = 0
            if self._future is not None:
                self._again = True
                return True
            with real_stderr():
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(
                        max_workers=1,
                        mp_context=multiprocessing.get_context("spawn"),
                        initializer=quiet_worker,  # off the UI's terminal, ends with the app
                    )
                future = self._pool.submit(_train, self.db_path, force)
            self._future = future
        future.add_done_callback(self._finished)
        return True

    def _finished(self, future: Future[Outcome]) -> None:
        try:
            result = Finished(future.result())
        except Exception as error:  # a child that died or raised: one readable line
            result = Finished(None, str(error) or type(error).__name__)
        with self._lock:
            self._future = None
            again, self._again = self._again, False
            closed = self._closed
        if closed:
            return
        self.on_finished(result)
        if again:
            self.start()

    def close(self) -> None:
        """Stop, ending a training in progress (its model is not yet current: saving switches
        the 'current' pointer last, atomically, so a killed run leaves the old model in use)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())  # no public handle
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
