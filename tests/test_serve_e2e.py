"""End to end: `annotator serve` in headless Chromium (Debian's chromium, driven by Playwright).

The page draws the terminal in a canvas, so the tests look at what matters: the databases.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = os.environ.get("ANNOTATOR_SERVE_SCREENSHOT")  # where to keep a screenshot, if set
# Flags for a closed network (no background connections) and a root user.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(predicate, what: str, timeout: float = 30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except (urllib.error.URLError, OSError):
        return False


class Served:
    def __init__(self, process: subprocess.Popen, url: str, team: Path, log: Path) -> None:
        self.process, self.url, self.team, self.log = process, url, team, log


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "annotator",
                "serve",
                "seeds",
                "--db-dir",
                "team",
                "--port",
                str(port),
            ],
            cwd=tmp_path,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: process.poll() is not None or _up(url + "/"), "the server")
        assert process.poll() is None, log.read_text()
        yield Served(process, url, tmp_path / "team", log)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open_session(browser, served: Served, name: str):
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto(f"{served.url}/?annotator={name}")
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    # The session's reader has opened its database once it holds the database's lock.
    _wait(
        lambda: (served.team / f"{name}.json.lock").exists(),
        f"{name}.json; the server said:\n{served.log.read_text(errors='replace')}",
    )
    time.sleep(2.0)  # the first article is laid out after the store opens
    return page


def _manual_spans(path: Path, name: str) -> list:
    with open_store(path, readonly=True) as store:
        return [
            span
            for doc in store.documents()
            for span in store.spans(doc.id)
            if span.origin == "manual" and span.annotator == name
        ]


def _tag_first_name(page, label_key: str) -> None:
    page.mouse.click(4, 4)  # keyboard focus to the terminal; the cursor to the article's start
    time.sleep(0.3)
    for key in ("e", label_key):  # e selects the next name, a label key tags it
        page.keyboard.press(key)
        time.sleep(0.3)


def _session_pids(db: Path) -> list[int]:
    """Session processes (`python -m annotator serve-session ... --db DB`) still running."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        head = [sys.executable.encode(), b"-m", b"annotator", b"serve-session"]
        if words[:4] == head and str(db).encode() in words:
            pids.append(int(cmdline.parent.name))
    return pids


def _session_count(db: Path) -> int:
    return len(_session_pids(db))


def test_a_span_tagged_in_the_browser_is_in_the_database_after_the_tab_closes(served, browser):
    page = _open_session(browser, served, "alice")
    _tag_first_name(page, "2")
    _wait(lambda: _manual_spans(served.team / "alice.json", "alice"), "alice's span", 10)
    if SCREENSHOT:
        time.sleep(1.0)  # the frame after the tag reaches the page
        page.screenshot(path=SCREENSHOT)
    page.close()
    _wait(lambda: _session_count(served.team / "alice.json") == 0, "the session to end", 20)
    spans = _manual_spans(served.team / "alice.json", "alice")
    assert [(s.label, s.origin) for s in spans] == [("ACTOR", "manual")]
    with open_store(served.team / "alice.json", readonly=True) as store:
        doc = store.document(spans[0].doc_id)
        assert doc.text[spans[0].start : spans[0].end] == spans[0].text


def test_a_session_killed_outright_keeps_every_acknowledged_action(served, browser):
    page = _open_session(browser, served, "alice")
    _tag_first_name(page, "2")
    _wait(lambda: _manual_spans(served.team / "alice.json", "alice"), "alice's span", 10)
    (pid,) = _session_pids(served.team / "alice.json")
    os.kill(pid, signal.SIGKILL)  # no quit, no close: only what the journal already holds
    _wait(lambda: _session_count(served.team / "alice.json") == 0, "the session to die", 10)
    page.close()
    with open_store(served.team / "alice.json", annotator="alice") as store:  # takes the lock
        spans = [s for d in store.documents() for s in store.spans(d.id) if s.origin == "manual"]
    assert [s.label for s in spans] == ["ACTOR"]


def test_two_annotators_write_two_databases_at_once_and_agree_reads_both(served, browser):
    alice = _open_session(browser, served, "alice")
    bob = _open_session(browser, served, "bob")
    _tag_first_name(alice, "2")
    _tag_first_name(bob, "3")  # bob calls the same name a LOCATION
    _wait(lambda: _manual_spans(served.team / "alice.json", "alice"), "alice's span", 10)
    _wait(lambda: _manual_spans(served.team / "bob.json", "bob"), "bob's span", 10)
    alice.close()
    bob.close()
    _wait(
        lambda: (
            _session_count(served.team / "alice.json") + _session_count(served.team / "bob.json")
            == 0
        ),
        "the sessions to end",
        20,
    )
    a, b = (_manual_spans(served.team / f"{n}.json", n) for n in ("alice", "bob"))
    assert (a[0].start, a[0].end, a[0].label) != (b[0].start, b[0].end, b[0].label)
    assert (a[0].start, a[0].end) == (b[0].start, b[0].end)
    agree = subprocess.run(
        [sys.executable, "-m", "annotator", "agree", "alice.json", "bob.json"],
        cwd=served.team,
        capture_output=True,
        text=True,
    )
    assert agree.returncode == 0, agree.stderr
    assert "alice" in agree.stdout and "bob" in agree.stdout


def test_a_second_tab_with_the_same_name_gets_the_lock_message(served, browser):
    first = _open_session(browser, served, "alice")
    second = browser.new_page(viewport={"width": 1000, "height": 500})
    second.goto(f"{served.url}/?annotator=alice")
    second.wait_for_selector("body.-first-byte", timeout=30_000)
    # The second session could not take the lock: it shows the store's message and waits for
    # a key (tests/test_serve.py checks the text); the first one goes on working.
    time.sleep(2.0)
    _tag_first_name(first, "2")
    _wait(lambda: _manual_spans(served.team / "alice.json", "alice"), "alice's span", 10)
    assert _session_count(served.team / "alice.json") == 2
    second.mouse.click(4, 4)
    second.keyboard.press("x")
    _wait(
        lambda: _session_count(served.team / "alice.json") == 1, "the refused session to close", 15
    )
    second.close()
    first.close()


def test_a_name_that_is_a_path_is_refused_with_a_readable_page(served):
    for name in ("../etc", "a/b", ".hidden", "x" * 41):
        url = f"{served.url}/?annotator={urllib.parse.quote(name)}"
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(url, timeout=5)
        assert error.value.code == 400
        assert "is not a usable name" in error.value.read().decode()
    assert not any(served.team.iterdir())


def test_the_page_connects_back_to_the_address_it_was_loaded_from(served):
    # Through `ssh -L 9999:127.0.0.1:PORT`, the browser asks for localhost:9999.
    request = urllib.request.Request(
        f"{served.url}/?annotator=alice", headers={"Host": "localhost:9999"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        page = response.read().decode()
    assert 'data-session-websocket-url="ws://localhost:9999/ws/alice"' in page
    assert 'src="http://localhost:9999/static/js/textual.js"' in page
