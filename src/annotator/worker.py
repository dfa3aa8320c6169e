"""Long work in another process, so it never holds the UI's interpreter (its GIL).

``ProcessRunner`` runs picklable module-level functions in one worker process (a
``ProcessPoolExecutor`` on the "spawn" context: a fresh interpreter, no copy of the UI's
threads or open files). The process starts on the first ``submit``, not before, so start-up
pays nothing. If the worker dies (killed, out of memory, a crash in native code), the futures
it held fail with ``WorkerDied``; the next ``submit`` starts a new process. Plain Python, no
Textual: any part of the program can use it (suggestions, training).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

CONTEXT = "spawn"


class WorkerDied(RuntimeError):
    """The worker process ended before it returned a result; ``str()`` is one line."""


class ProcessRunner:
    """One lazily started worker process; ``submit`` returns a ``Future`` of the result."""

    def __init__(self, name: str = "worker", *, workers: int = 1, context: str = CONTEXT) -> None:
        self.name = name
        self.workers = workers
        self.context = context
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def started(self) -> bool:
        return self._pool is not None

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn(*args, **kwargs)`` in the worker (started now if it is not running)."""
        with self._lock:
            if self._closed:
                raise RuntimeError(f"the {self.name} process runner is shut down")
            with real_stderr():  # processes (and multiprocessing's tracker) start here
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(
                        max_workers=self.workers,
                        mp_context=multiprocessing.get_context(self.context),
                        initializer=quiet_worker,
                    )
                pool = self._pool
                try:
                    inner = pool.submit(fn, *args, **kwargs)
                except BrokenProcessPool:  # died between two jobs: a new one, then retry
                    self._pool = None
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool = ProcessPoolExecutor(
                        max_workers=self.workers,
                        mp_context=multiprocessing.get_context(self.context),
                        initializer=quiet_worker,
                    )
                    inner = pool.submit(fn, *args, **kwargs)
        outer: Future[T] = Future()
        inner.add_done_callback(lambda done: self._settle(pool, done, outer))
        return outer

    def _settle(self, pool: ProcessPoolExecutor, done: Future[Any], outer: Future[Any]) -> None:
        error = None if done.cancelled() else done.exception()
        if isinstance(error, BrokenProcessPool):
            with self._lock:
                if self._pool is pool:
                    self._pool = None  # the next submit starts a fresh process
            pool.shutdown(wait=False, cancel_futures=True)
        # The caller may have cancelled ``outer`` already (the app quit while the job ran, and
        # asyncio.wrap_future cancelled it): then there is no one left to tell.
        try:
            if done.cancelled():
                if outer.cancel():
                    outer.set_running_or_notify_cancel()
            elif isinstance(error, BrokenProcessPool):
                outer.set_exception(WorkerDied(f"the {self.name} process stopped unexpectedly"))
            elif error is not None:
                outer.set_exception(error)
            else:
                outer.set_result(done.result())
        except InvalidStateError:
            pass

    def pids(self) -> list[int]:
        """The worker processes' ids (empty before the first job)."""
        pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.pid is not None]

    def shutdown(self, *, wait: bool = False) -> None:
        """Stop the worker: pending jobs are cancelled, a running one is not waited for unless
        ``wait``. The runner cannot be used afterwards."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            if not wait:
                for process in (getattr(pool, "_processes", None) or {}).values():
                    if process.is_alive():
                        process.terminate()
            pool.shutdown(wait=wait, cancel_futures=True)


@contextlib.contextmanager
def real_stderr() -> Iterator[None]:
    """Starting a process passes ``sys.stderr``'s file descriptor on; a TUI replaces
    ``sys.stderr`` with an object that has none (Textual captures prints), so put the real one
    back meanwhile."""
    current = sys.stderr
    try:
        usable = current is not None and current.fileno() >= 0
    except (AttributeError, ValueError, OSError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = current


def exit_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone.

    A pool's workers wait for their next job forever; when the UI's process is killed
    outright (SIGKILL, an out-of-memory kill, a browser session's process ended) they would
    stay behind, holding its pipes open (``annotator serve`` waits on those) and memory."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def quiet_worker() -> None:
    """In the worker: nothing it prints may reach the terminal the UI draws on, and it ends
    with the UI's process."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    exit_with_parent()
