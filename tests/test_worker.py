"""annotator.worker: a worker process never outlives the process that started it, even in the
middle of a job (``annotator serve`` waits for a killed session's pipes, which a worker left
behind would hold open)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

PARENT = textwrap.dedent(
    """
    import os, sys, time
    from annotator.worker import ProcessRunner
    {make}
    print(pid, flush=True)
    time.sleep(120)
    """
)

# the worker is busy with a long job when its parent dies (a suggestion run on a long article)
RUNNER = """
runner = ProcessRunner('test')
runner.submit(os.getpid).result(timeout=60)
runner.submit(time.sleep, 300)
time.sleep(0.5)
(pid,) = runner.pids()
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (not yet reaped by init) is gone for our purpose
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_worker_exits_when_its_parent_is_killed_outright() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(make=RUNNER)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        worker = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert worker != parent.pid and _alive(worker)
        os.kill(parent.pid, signal.SIGKILL)  # no shutdown, no atexit
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.parametrize("ending", ["finishes", "dies"])
def test_a_job_its_caller_gave_up_on_ends_without_an_error(
    ending: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quitting the app cancels the future it awaits (asyncio.wrap_future); the job that then
    finishes, or whose process is killed, must not raise InvalidStateError in a callback (it
    printed a traceback on the terminal after quitting)."""
    import logging

    from annotator.worker import ProcessRunner

    errors: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = errors.append  # type: ignore[method-assign]
    logger = logging.getLogger("concurrent.futures")
    logger.addHandler(handler)
    runner = ProcessRunner("test")
    try:
        runner.submit(os.getpid).result(timeout=60)  # the process is up
        future = runner.submit(time.sleep, 0.5 if ending == "finishes" else 300)
        assert future.cancel()
        if ending == "dies":
            (pid,) = runner.pids()
            os.kill(pid, signal.SIGKILL)
        time.sleep(1.5)
        assert runner.submit(os.getpid).result(timeout=60) > 0  # still usable
    finally:
        runner.shutdown()
        logger.removeHandler(handler)
    assert not errors, [record.getMessage() for record in errors]
    assert "InvalidStateError" not in capsys.readouterr().err
