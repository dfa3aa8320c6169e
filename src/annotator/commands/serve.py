"""``annotator serve``: the same TUI in a browser, through textual-serve (the ``serve`` extra).

Each browser session runs ``annotator serve-session`` (hidden): the reader on one database, or
with ``--db-dir`` on ``DIR/NAME.json`` for the name in the page's address. Every action is
journalled and fsync'd by the store as in the terminal, so closing the tab loses nothing saved.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from annotator.cli import DEFAULT_DB, fail, friendly_errors, login_name
from annotator.cli_core import run_reader

INSTALL_HINT = "serving to a browser needs textual-serve: pip install 'annotator[serve]'"


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Fail with one line if (host, port) cannot be bound (in use, or not an address here)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        fail(f"--host {host}: not an address of this machine ({error.strerror})")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(f"port {port} on {host} is in use (choose another with --port)")
            fail(f"cannot listen on {host}:{port}: {error.strerror}")


def check_writable(folder: Path, what: str) -> None:
    """Fail with one line unless a file can be created in ``folder``."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        fail(f"{what} {folder}: cannot write there ({error.strerror})")


@click.command("serve")
@click.argument("path", type=click.Path(exists=True), default="seeds")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--db",
    "db_path",
    default=None,
    type=click.Path(dir_okay=False),
    help=f"One database for every session, one session at a time (default: {DEFAULT_DB}).",
)
@click.option(
    "--db-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="A folder of databases: the session at /?annotator=NAME writes DIR/NAME.json.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow a --host other than loopback (anyone who reaches the port can annotate).",
)
@click.option(
    "--public-url",
    default=None,
    help="The address browsers use behind a proxy (default: the address the page came from).",
)
@click.option(
    "--annotator", "annotator_name", default=None, help="Name used with --db (default: login)."
)
@click.option(
    "--guidelines",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Annotation guidelines (Markdown) shown with the `i` key.",
)
@friendly_errors
def serve_command(
    path: str,
    host: str,
    port: int,
    db_path: str | None,
    db_dir: str | None,
    public: bool,
    public_url: str | None,
    annotator_name: str | None,
    guidelines: str | None,
) -> None:
    """Serve the annotator to a browser (each browser tab is one session)."""
    if db_path is not None and db_dir is not None:
        raise click.UsageError("use --db FILE or --db-dir DIR, not both")
    try:
        from annotator.tui.serving import AnnotatorServer, SessionPlan
    except ImportError:
        fail(INSTALL_HINT)
    from annotator.corpus import load_corpus

    if not is_loopback(host) and not public:
        fail(f"--host {host} is not loopback: add --public to let anyone who reaches it annotate")
    corpus = load_corpus(path)
    if not corpus.entries:
        fail(f"no articles (.txt, .md, .jsonl) found in {path}")
    if db_dir is not None:
        check_writable(Path(db_dir), "--db-dir")
        db_dir = os.path.abspath(db_dir)
    else:
        db_path = os.path.abspath(db_path or DEFAULT_DB)
        check_writable(Path(db_path).parent, "--db folder")
    check_port(host, port)

    plan = SessionPlan(
        corpus=os.path.abspath(path),
        db_path=db_path,
        db_dir=db_dir,
        annotator=annotator_name or (None if db_dir else login_name()),
        guidelines=os.path.abspath(guidelines) if guidelines else None,
    )
    shown_host = f"[{host}]" if ":" in host else host
    url = public_url or f"http://{shown_host}:{port}"

    def announce() -> None:
        where = f"{url}/?annotator=NAME  (databases in {db_dir})" if db_dir else url
        click.echo(f"annotator: serving {path} on {where}; Ctrl+C stops", err=True)
        if not is_loopback(host):
            click.echo(
                f"annotator: warning: listening on {host}: anyone who reaches port {port} "
                "can read the articles and annotate",
                err=True,
            )

    server = AnnotatorServer(
        plan,
        on_start=announce,
        host=host,
        port=port,
        title="annotator",
        public_url=public_url,
    )
    server.serve()


@click.command("serve-session", hidden=True)
@click.argument("path", type=click.Path(exists=True))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False))
@click.option("--annotator", "annotator_name", default=None)
@click.option("--guidelines", type=click.Path(exists=True, dir_okay=False), default=None)
@friendly_errors
def serve_session_command(
    path: str, db_path: str, annotator_name: str | None, guidelines: str | None
) -> None:
    """One browser session: the reader, or the reason it cannot open, drawn in the page."""
    from annotator.corpus import load_corpus
    from annotator.store import StoreError, open_store
    from annotator.tui.serving import NAME_RULE, valid_name

    if annotator_name is not None and not valid_name(annotator_name):
        _show_and_exit(f"{annotator_name!r} is not a usable name ({NAME_RULE})")
    corpus = load_corpus(path)
    try:
        store = open_store(db_path, annotator=annotator_name or login_name())
    except (StoreError, OSError) as error:
        _show_and_exit(f"annotator: {error}")
    run_reader(path, db_path, store, corpus, guidelines=guidelines)


def _show_and_exit(message: str) -> None:
    from annotator.tui.message_app import MessageApp

    click.echo(f"annotator: error: {message}", err=True)
    MessageApp(message).run()
    sys.exit(1)


def register(group: click.Group) -> None:
    group.add_command(serve_command)
    group.add_command(serve_session_command)
