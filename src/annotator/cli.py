"""The command line: a thin click shell over the core.

``annotator PATH`` opens the TUI; the sub-commands (check, stats, export, import, suggest) run
headless. Usage errors exit 2 (click's convention), every other error exits 1 with one readable
line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from annotator import __version__, collector
from annotator.cli_core import (
    DEFAULT_DB,
    fail,
    friendly_errors,
    login_name,
    open_reader,
)

SHOWN_BAD_LINES = 20  # import: the first bad records by line, then a count of the rest


class DefaultGroup(click.Group):
    """A group where ``annotator PATH`` means ``annotator open PATH``.

    The commands of :mod:`annotator.commands` are loaded when asked for (click's lazy group
    pattern: ``get_command`` and ``list_commands``), so opening the reader does not import them.
    """

    default_command = "open"

    def _lazy(self) -> dict[str, tuple[str, str]]:
        from annotator.commands import COMMANDS

        return COMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._lazy()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in self._lazy():
            from annotator.commands import load

            command = load(cmd_name)
            if command is not None:
                self.add_command(command, cmd_name)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name != self.default_command:  # the reader ends the pause after its first frame
            collector.resume()
        return name, command, rest

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = args and (args[0] in self.commands or args[0] in self._lazy())
        if args and not known and args[0] not in ("--help", "-h", "--version"):
            _refuse_a_mistyped_command(ctx, args[0], self.list_commands(ctx))
            args = [self.default_command, *args]
        elif not args:
            if not os.path.exists("seeds"):
                raise click.UsageError(
                    "give a file or folder of articles: annotator PATH (no ./seeds here)", ctx
                )
            args = [self.default_command]
        return super().parse_args(ctx, args)


def _refuse_a_mistyped_command(ctx: click.Context, word: str, commands: list[str]) -> None:
    """``annotator stat``: a word that is no path but close to a command is a typo, not a
    folder to open."""
    import difflib

    if word.startswith("-") or os.path.exists(word):
        return
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    if close:
        raise click.UsageError(f"no such command {word!r} (did you mean {close[0]}?)", ctx)


db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The annotation database (a TinyDB JSON file).",
)


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run `annotator PATH` to open the reader on a file or folder of articles.",
)
@click.version_option(__version__, prog_name="annotator")
def cli() -> None:
    """A keyboard-first terminal reader and annotator for news articles."""


@cli.command("open")
@click.argument("path", type=click.Path(exists=True), default="seeds")
@db_option
@click.option(
    "--annotator", "annotator_name", default=None, help="Your name (default: login name)."
)
@click.option(
    "--guidelines",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Annotation guidelines (Markdown) shown with the `i` key.",
)
@click.option(
    "--no-suggest",
    is_flag=True,
    help="Do not pre-annotate an untouched article with suggestions when it opens (S still does).",
)
@friendly_errors
def open_command(
    path: str, db_path: str, annotator_name: str | None, guidelines: str | None, no_suggest: bool
) -> None:
    """Open PATH (a file or folder of articles) in the terminal annotator."""
    open_reader(path, db_path, annotator_name, guidelines=guidelines, suggest=not no_suggest)


@cli.command("check")
@click.argument("path", type=click.Path(exists=True))
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line.")
@friendly_errors
def check_command(path: str, quiet: bool) -> None:
    """List the articles found under PATH, and the files skipped and why."""
    from annotator.corpus import load_corpus

    corpus = load_corpus(path)
    documents = corpus.documents
    skipped = corpus.skipped
    if not quiet:
        for doc in documents:
            date = doc.date.isoformat(sep=" ", timespec="minutes") if doc.date else "-"
            notes = f"  [{doc.encoding}]" if doc.encoding not in ("utf-8", "utf-8-sig") else ""
            click.echo(
                f"ok    {doc.id}  {_rel(doc.path, corpus.root)}  {date}  {_clip(doc.title)}{notes}"
            )
        for item in skipped:
            click.echo(f"skip  {item.path}: {item.reason}")
    click.echo(f"{len(documents)} articles, {len(skipped)} skipped")
    if not documents:
        sys.exit(1)


@cli.command("stats")
@db_option
@click.option("--all", "show_all", is_flag=True, help="List every timed document (default: 30).")
@friendly_errors
def stats_command(db_path: str, show_all: bool) -> None:
    """Documents, done, spans per label, and time spent (per document, spans per hour)."""
    from rich.console import Console
    from rich.table import Table

    from annotator.store import open_store, store_exists

    if not store_exists(db_path):
        fail(f"{db_path}: no such database")
    with open_store(db_path, readonly=True) as store:
        _warn(store)
        statuses: dict[str, int] = {"new": 0, "in_progress": 0, "done": 0}
        per_label: dict[str, int] = {name: 0 for name in store.schema.names}
        suggested = 0
        per_relation: dict[str, int] = {name: 0 for name in store.relation_schema.names}
        documents = 0
        timed: list[tuple[Any, int]] = []  # (document, its decided spans) with time recorded
        for info in store.documents():
            documents += 1
            statuses[info.status] = statuses.get(info.status, 0) + 1
            decided = 0
            for span in store.spans(info.id):
                if span.origin == "suggested":
                    suggested += 1
                else:
                    decided += 1
                    per_label[span.label] = per_label.get(span.label, 0) + 1
            if info.active_seconds > 0:
                timed.append((info, decided))
            for relation in store.relations(info.id):
                per_relation[relation.label] = per_relation.get(relation.label, 0) + 1
    table = Table(title=db_path, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(documents))
    table.add_row("done", str(statuses.get("done", 0)))
    table.add_row("in progress", str(statuses.get("in_progress", 0)))
    table.add_row("new", str(statuses.get("new", 0)))
    table.add_section()
    for name, count in per_label.items():
        table.add_row(f"spans {name}", str(count))
    table.add_row("spans (all labels)", str(sum(per_label.values())))
    if suggested:
        table.add_row("suggestions pending", str(suggested))
    table.add_section()
    for name, count in per_relation.items():
        table.add_row(f"links {name}", str(count))
    console = Console(markup=False, highlight=False)
    if timed:
        from annotator.team.timing import format_duration, spans_per_hour

        seconds = sum(info.active_seconds for info, _n in timed)
        rate = spans_per_hour(sum(n for _info, n in timed), seconds)
        table.add_section()
        table.add_row("active time", format_duration(seconds))
        table.add_row("spans per hour", f"{rate:.0f}" if rate is not None else "—")
    console.print(table)
    if timed:
        console.print(_time_table(timed, limit=None if show_all else 30))


def _time_table(timed: list[tuple[Any, int]], *, limit: int | None) -> Any:
    """Time per document: active time (idle gaps over a minute left out), spans, spans/hour."""
    from rich.table import Table
    from rich.text import Text

    from annotator.team.timing import format_duration, spans_per_hour

    table = Table(title="Time per document", title_justify="left")
    table.add_column("document")
    table.add_column("status")
    table.add_column("spans", justify="right")
    table.add_column("active time", justify="right")
    table.add_column("spans/hour", justify="right")
    shown = timed if limit is None else timed[:limit]
    for info, spans in shown:
        rate = spans_per_hour(spans, info.active_seconds)
        title = _clip(" ".join((info.title or info.path or info.id).split()), 50)
        table.add_row(
            Text(title),
            info.status.replace("_", " "),
            str(spans),
            format_duration(info.active_seconds),
            f"{rate:.0f}" if rate is not None else "—",
        )
    if len(shown) < len(timed):
        table.caption = f"{len(timed) - len(shown)} more documents (--all lists them)"
    return table


def _warn(store: Any) -> None:
    """What a read-only open noticed but could read past (an unfinished last write)."""
    for warning in store.warnings:
        click.echo(f"annotator: warning: {warning}", err=True)


def _format_names() -> list[str]:
    from annotator.export import FORMATS

    return list(FORMATS)


@cli.command("export")
@click.argument("path", type=click.Path(exists=True), required=False)
@db_option
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["spacy", "doccano", "conll", "hf", "brat", "claims"]),
    default="spacy",
    show_default=True,
    help="spacy (Prodigy/spaCy JSONL), doccano, conll (BIO, a column per label), hf "
    "(token tags per sentence), brat (standoff folder), claims (sentence-level claim data).",
)
@click.option(
    "-o", "--output", "out", default="-", help="Output file (a folder for brat); - is stdout."
)
@click.option("--only-done", is_flag=True, help="Only documents marked done.")
@click.option("--labels", default=None, help="Comma-separated labels to export, e.g. CLAIM,ACTOR.")
@click.option("--annotator", "annotator_name", default=None, help="Only spans by this annotator.")
@click.option(
    "--offsets",
    type=click.Choice(["codepoint", "utf16"]),
    default="codepoint",
    show_default=True,
    help="Character offsets: Python code points, or UTF-16 code units (doccano, Label Studio).",
)
@click.option(
    "--include-suggestions", is_flag=True, help="Also export suggestions not yet accepted."
)
@click.option(
    "--include-untouched",
    is_flag=True,
    help="Also write documents nobody has annotated yet (as documents with no spans).",
)
@friendly_errors
def export_command(
    path: str | None,
    db_path: str,
    fmt: str,
    out: str,
    only_done: bool,
    labels: str | None,
    annotator_name: str | None,
    offsets: str,
    include_suggestions: bool,
    include_untouched: bool,
) -> None:
    """Write the annotations as training data (stdout unless -o is given).

    With PATH, only the documents found under PATH are exported. Documents nobody has
    annotated yet (new, with nothing to write) are left out unless --include-untouched.
    """
    from annotator.export import export
    from annotator.store import open_store, store_exists

    if not store_exists(db_path):
        fail(f"{db_path}: no such database")
    if fmt == "brat" and out in ("-", ""):
        raise click.UsageError("brat writes a folder: give one with -o FOLDER")
    doc_ids = None
    if path is not None:
        from annotator.corpus import load_corpus

        doc_ids = {doc.id for doc in load_corpus(path)}
    with open_store(db_path, readonly=True) as store:
        _warn(store)
        source = _FilteredStore(store, doc_ids) if doc_ids is not None else store
        with _progress(fmt, enabled=out not in ("-", "") and sys.stderr.isatty()) as progress:
            report = export(
                source,
                fmt,
                None if out == "-" else out,
                only_done=only_done,
                labels=labels,
                annotator=annotator_name,
                offsets=offsets,
                include_suggestions=include_suggestions,
                include_untouched=include_untouched,
                progress=progress,
            )
    click.echo(report.summary(), err=True)


class _FilteredStore:
    """A read-only view of a store limited to some documents (``export PATH``)."""

    def __init__(self, store: Any, doc_ids: set[str]) -> None:
        self._store = store
        self._doc_ids = doc_ids

    def documents(self) -> Any:
        return (info for info in self._store.documents() if info.id in self._doc_ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _progress:
    """A Rich progress bar on stderr for long exports, or nothing."""

    def __init__(self, fmt: str, *, enabled: bool) -> None:
        self.enabled = enabled
        self.fmt = fmt

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task(f"export {self.fmt}", total=None)

        def update(done: int, total: int) -> None:
            self._bar.update(self._task, completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._bar.stop()


@cli.command("import")
@click.argument("file", type=click.Path(exists=True))
@db_option
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["spacy", "doccano", "brat"]),
    default=None,
    help="Input format (default: detected per line; a folder or .ann file is brat).",
)
@click.option(
    "--as",
    "as_",
    type=click.Choice(["annotations", "suggestions"]),
    default="annotations",
    show_default=True,
    help="Import as annotations (origin imported) or as suggestions to review in the TUI.",
)
@click.option(
    "--offsets",
    type=click.Choice(["codepoint", "utf16"]),
    default=None,
    help="Offsets in the file (default: code points, or what the file's meta says).",
)
@click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(exists=True),
    default=None,
    help="Match documents against the articles under this path.",
)
@click.option("--annotator", "annotator_name", default=None, help="Annotator name to record.")
@friendly_errors
def import_command(
    file: str,
    db_path: str,
    fmt: str | None,
    as_: str,
    offsets: str | None,
    corpus_path: str | None,
    annotator_name: str | None,
) -> None:
    """Read spans (and links) from spaCy/Prodigy, doccano or brat files into the database.

    Bad lines are reported with their line number and skipped; the good ones are kept.
    Importing the same file twice changes nothing.
    """
    from annotator.export import import_file
    from annotator.store import open_store

    corpus = None
    if corpus_path is not None:
        from annotator.corpus import load_corpus

        corpus = load_corpus(corpus_path)
    with open_store(db_path, annotator=annotator_name or login_name()) as store:
        report = import_file(
            store,
            file,
            fmt=fmt,
            as_=as_,
            corpus=corpus,
            offsets=offsets,
            annotator=annotator_name,
        )
    for bad in report.bad_lines[:SHOWN_BAD_LINES]:
        click.echo(f"annotator: {file}: {bad}", err=True)
    if len(report.bad_lines) > SHOWN_BAD_LINES:
        more = len(report.bad_lines) - SHOWN_BAD_LINES
        click.echo(f"annotator: {file}: … and {more} more bad records", err=True)
    click.echo(report.summary())
    if report.bad_lines and not (
        report.spans_added
        or report.documents_matched
        or report.documents_added
        or report.duplicates_skipped
    ):
        sys.exit(1)


@cli.command("suggest")
@click.argument("path", type=click.Path(exists=True), required=False)
@db_option
@click.option(
    "--engine",
    "engines",
    multiple=True,
    help="An engine to run (repeatable): gazetteer, patterns, claims, learned, spacy. "
    "Default: all but spacy.",
)
@friendly_errors
def suggest_command(path: str | None, db_path: str, engines: tuple[str, ...]) -> None:
    """Pre-annotate PATH (or every document in the database) with suggested spans.

    Suggestions are stored with origin "suggested": the TUI shows them dimmed for you to
    accept or reject, and exports leave them out unless --include-suggestions is given.
    """
    from annotator.store import open_store
    from annotator.suggest import DEFAULT_ENGINES, ENGINES, run_suggestions

    chosen = engines or DEFAULT_ENGINES
    unknown = [name for name in chosen if name not in ENGINES]
    if unknown:
        raise click.BadParameter(
            f"unknown engine {', '.join(unknown)} (known: {', '.join(ENGINES)})",
            param_hint="--engine",
        )
    with open_store(db_path, annotator=login_name()) as store:
        if path is not None:
            from annotator.corpus import load_corpus

            documents: Any = load_corpus(path)
        else:
            documents = [info.to_document() for info in store.documents()]
            if not documents:
                fail(f"{db_path} holds no documents: give a PATH of articles to suggest on")
        report = run_suggestions(store, documents, engines=chosen)
    for message in report.messages:
        click.echo(f"annotator: {message}", err=True)
    per_label = ", ".join(f"{label} {count}" for label, count in sorted(report.by_label.items()))
    click.echo(
        f"{report.added} suggestions added over {report.documents} documents"
        + (f" ({per_label})" if per_label else "")
        + f"; {report.skipped_existing} already decided, {report.skipped_rejected} rejected before"
    )


def _rel(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def main() -> None:
    cli(prog_name="annotator")


if __name__ == "__main__":
    main()
