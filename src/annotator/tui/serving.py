"""Serving the TUI to a browser: a textual-serve ``Server`` that runs one annotator per session.

textual-serve starts its command once per browser session (one websocket) and draws the app in
the page. It does not pass the page's query string to that command, so this server carries the
annotator's name from ``/?annotator=NAME`` into the websocket's path (``/ws/NAME``) and builds
the session's command from it: with a database folder each name gets ``DIR/NAME.json``.

The name is checked against :data:`NAME_PATTERN` before it reaches a path or a shell command.
"""

from __future__ import annotations

import contextvars
import html
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
NAME_RULE = "1 to 40 letters, digits, '_', '.' or '-', starting with a letter or digit"

# The command of the session being opened (read by textual-serve inside handle_websocket).
_SESSION_COMMAND: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "annotator_session_command", default=None
)


def valid_name(name: str) -> bool:
    """A name that is safe as a file name and in a shell word: never a path."""
    return NAME_PATTERN.fullmatch(name) is not None and ".." not in name


@dataclass(frozen=True)
class SessionPlan:
    """What each browser session runs: the corpus, and one database or a folder of them."""

    corpus: str
    db_path: str | None = None  # one database shared by every session (one at a time)
    db_dir: str | None = None  # one database per annotator name
    annotator: str | None = None  # the name used with db_path
    guidelines: str | None = None

    def db_for(self, name: str) -> str:
        assert self.db_dir is not None
        return str(Path(self.db_dir) / f"{name}.json")

    def command(self, name: str | None) -> str:
        """The shell command that runs one session (every word quoted)."""
        words = [sys.executable, "-m", "annotator", "serve-session", self.corpus]
        if self.db_dir is not None:
            assert name is not None and valid_name(name)
            words += ["--db", self.db_for(name), "--annotator", name]
        else:
            assert self.db_path is not None
            words += ["--db", self.db_path]
            if self.annotator:
                words += ["--annotator", self.annotator]
        if self.guidelines:
            words += ["--guidelines", self.guidelines]
        return shlex.join(words)


NAME_FORM = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>annotator</title>
<style>
body {{ background: #0c181f; color: #e8eef2; font: 16px "Roboto Mono", menlo, monospace;
       display: flex; align-items: center; justify-content: center; height: 90vh; }}
form {{ background: #12232d; padding: 32px 40px; }}
input {{ font: inherit; padding: 6px; margin: 12px 0; width: 22em; }}
button {{ font: inherit; padding: 8px 24px; background: #5e0ba7; color: #fff; border: none; }}
.error {{ color: #ff8a80; }}
form > div {{ margin: 8px 0; }}
</style></head>
<body><form method="get" action="/">
<div>Who is annotating? Your annotations go to <code>&lt;name&gt;.json</code>.</div>
{error}
<div><input name="annotator" value="{value}" autofocus
 pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]{{0,39}}" required></div>
<div><small>{rule}. Bookmark <code>/?annotator=&lt;name&gt;</code> to skip this.</small></div>
<div><button type="submit">Start</button></div>
</form></body></html>
"""


def name_form(value: str = "", error: str = "") -> str:
    shown = f'<div class="error">{html.escape(error)}</div>' if error else ""
    return NAME_FORM.format(error=shown, value=html.escape(value), rule=html.escape(NAME_RULE))


class AnnotatorServer(Server):
    """textual-serve's Server with a per-session command (the annotator's own database)."""

    def __init__(self, plan: SessionPlan, *, on_start: Callable[[], None] | None = None, **kw: Any):
        self.plan = plan
        self._on_start = on_start
        # Without a public URL, the page's own address (host and port as the browser typed
        # them: through ssh -L any local port works) is where its websocket and files are.
        self._fixed_url = kw.get("public_url") is not None
        super().__init__(plan.command("session") if plan.db_dir else plan.command(None), **kw)

    # textual-serve reads ``self.command`` when a websocket opens: give it the session's own.
    @property
    def command(self) -> str:
        return _SESSION_COMMAND.get() or self._base_command

    @command.setter
    def command(self, value: str) -> None:
        self._base_command = value

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{annotator}", self.handle_named_websocket)
        return app

    async def on_startup(self, app: web.Application) -> None:
        if self._on_start is not None:
            self._on_start()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        name = request.query.get("annotator", "")
        if self.plan.db_dir is not None and not valid_name(name):
            error = f"{name!r} is not a usable name ({NAME_RULE})." if name else ""
            return web.Response(
                text=name_form(name, error), content_type="text/html", status=400 if name else 200
            )
        context = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
        if not self._fixed_url:
            here = f"{request.scheme}://{request.host}"
            ws_here = "ws" + here.removeprefix("http")
            ws_public = "ws" + self.public_url.removeprefix("http")
            context["app_websocket_url"] = context["app_websocket_url"].replace(
                ws_public, ws_here, 1
            )
            static = context["config"]["static"]
            static["url"] = static["url"].replace(self.public_url, here, 1)
        if self.plan.db_dir is not None:
            context["app_websocket_url"] += f"/{name}"
            context["application"] = {"name": f"annotator · {name}"}
        else:
            context["application"] = {"name": "annotator"}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.plan.db_dir is not None:
            raise web.HTTPBadRequest(text="open /?annotator=NAME")
        return await super().handle_websocket(request)

    async def handle_named_websocket(self, request: web.Request) -> web.WebSocketResponse:
        name = request.match_info["annotator"]
        if self.plan.db_dir is None or not valid_name(name):
            raise web.HTTPBadRequest(text=f"not a usable name ({NAME_RULE})")
        token = _SESSION_COMMAND.set(self.plan.command(name))
        try:
            return await super().handle_websocket(request)
        finally:
            _SESSION_COMMAND.reset(token)
