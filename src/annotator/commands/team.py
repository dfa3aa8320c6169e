"""Team commands: ``annotator agree``, ``annotator merge`` and ``annotator review``.

Each takes several annotators' databases (one per annotator), opens them read-only and never
writes to them. The work is done by :mod:`annotator.team`; this module parses options and
prints.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from annotator.cli import friendly_errors, login_name

TOP_DOCUMENTS = 10


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def agreement_tables(figures: dict[str, Any], top: int = TOP_DOCUMENTS) -> list[Any]:
    """The Rich tables ``annotator agree`` prints: per label, per pair (3+), lowest documents.

    Document titles are untrusted text: they go in as ``Text``, never as markup.
    """
    from rich.table import Table
    from rich.text import Text

    names = figures["annotators"]
    many = len(names) >= 3
    n_docs = figures["documents_compared"]
    title = (
        f"Agreement of {', '.join(names)} over {n_docs} document{'s' if n_docs != 1 else ''} "
        f"({figures['tokens']:,} tokens)"
    )
    caption = Text(f"spans: {' / '.join(names)}; — undefined (nothing to compare)")
    table = Table(title=Text(title), title_justify="left", caption=caption, caption_justify="left")
    table.add_column("label")
    table.add_column("spans", justify="right", no_wrap=True)
    for column in ("F1 exact", "F1 overlap", "kappa", "alpha"):
        table.add_column(column, justify="right")
    if many:
        table.add_column("Fleiss", justify="right")

    def row(name: str, values: dict[str, Any], spans: str) -> list[Any]:
        cells = [
            Text(name),
            spans,
            _fmt(values["f1_exact"]),
            _fmt(values["f1_overlap"]),
            _fmt(values["kappa"]),
            _fmt(values["alpha"]),
        ]
        if many:
            cells.append(_fmt(values.get("fleiss_kappa")))
        return cells

    totals = [0] * len(names)
    for label, values in figures["labels"].items():
        counts = [values["spans"][n] for n in names]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        table.add_row(*row(label, values, " / ".join(map(str, counts))))
    table.add_section()
    table.add_row(*row("overall", figures["overall"], " / ".join(map(str, totals))), style="bold")
    relations = {k: v for k, v in figures["relations"].items() if k != "overall"}
    if any(sum(v["links"].values()) for v in relations.values()):
        table.add_section()
        for label, values in relations.items():
            counts = " / ".join(str(values["links"][n]) for n in names)
            cells = [Text(f"{label} links"), counts, _fmt(values["f1_exact"]), "", "", ""]
            table.add_row(*cells, *([""] if many else []))
    tables: list[Any] = [table]
    if many:
        pairs = Table(title="Pairs (overall)", title_justify="left")
        pairs.add_column("pair")
        for column in ("F1 exact", "F1 overlap", "kappa", "alpha", "links F1"):
            pairs.add_column(column, justify="right")
        for pair in figures["pairs"]:
            o = pair["overall"]
            links = [v["f1_exact"] for v in pair["relations"].values() if v["f1_exact"] is not None]
            pairs.add_row(
                Text(f"{pair['a']} · {pair['b']}"),
                _fmt(o["f1_exact"]),
                _fmt(o["f1_overlap"]),
                _fmt(o["kappa"]),
                _fmt(o["alpha"]),
                _fmt(sum(links) / len(links) if links else None),
            )
        tables.append(pairs)
    lowest = [d for d in figures["documents"] if d["disagreements"]][:top]
    if lowest:
        docs = Table(title="Lowest agreement", title_justify="left")
        docs.add_column("document")
        for column in ("F1 exact", "kappa", "alpha", "disagreements"):
            docs.add_column(column, justify="right")
        for doc in lowest:
            name = " ".join((doc["title"] or doc["doc_id"]).split())
            docs.add_row(
                Text(name[:60] + ("…" if len(name) > 60 else "")),
                _fmt(doc["f1_exact"]),
                _fmt(doc["kappa"]),
                _fmt(doc["alpha"]),
                str(doc["disagreements"]),
            )
        tables.append(docs)
    else:
        tables.append(Text("Every document: all annotators agree on every span."))
    return tables


@click.command("agree")
@click.argument("databases", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--labels", default=None, help="Comma-separated labels to compare (default: all).")
@click.option("--only-done", is_flag=True, help="Only documents marked done in every database.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@friendly_errors
def agree_command(
    databases: tuple[str, ...], labels: str | None, only_done: bool, as_json: bool
) -> None:
    """Agreement between annotators' databases (DB1 DB2 [DB3 ...]) over their common documents.

    Per label and overall: span F1 (exact and overlap), Cohen's kappa and Krippendorff's alpha
    over tokens (Fleiss' kappa too with 3 or more databases), link F1, and the documents with
    the lowest agreement. Nothing is written.
    """
    from annotator.team.agreement import agree_paths

    figures = agree_paths(databases, labels=labels, only_done=only_done)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    from rich.console import Console

    console = Console(markup=False, highlight=False, emoji=False)
    for table in agreement_tables(figures):
        console.print(table)


@click.command("merge")
@click.argument("databases", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--db",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The new database to write (never one of the inputs).",
)
@click.option(
    "--min-agree",
    type=int,
    default=None,
    help="Keep spans and links at least N databases share exactly (default: all of them).",
)
@click.option(
    "--annotator", "annotator_name", default=None, help="Who merged (default: login name)."
)
@friendly_errors
def merge_command(
    databases: tuple[str, ...], out: str, min_agree: int | None, annotator_name: str | None
) -> None:
    """Write a new database with the spans (and links) enough of DB1 DB2 ... share exactly.

    Each span records which annotators had it (origin "merged"); documents done in every
    input are done in the merge.
    """
    from annotator.team import close_inputs, open_inputs
    from annotator.team.merge import merge

    inputs = open_inputs(databases)
    try:
        report = merge(inputs, out, min_agree=min_agree, annotator=annotator_name or login_name())
    finally:
        close_inputs(inputs)
    click.echo(report.summary())


@click.command("review")
@click.argument("databases", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--db",
    "gold",
    required=True,
    type=click.Path(dir_okay=False),
    help="The GOLD database the decisions go to (an ordinary annotator database).",
)
@click.option(
    "--annotator", "annotator_name", default=None, help="Who reviews (default: login name)."
)
@click.option(
    "--no-accept-agreed",
    is_flag=True,
    help="Do not accept the spans every annotator agrees on when an article opens.",
)
@friendly_errors
def review_command(
    databases: tuple[str, ...], gold: str, annotator_name: str | None, no_accept_agreed: bool
) -> None:
    """Adjudicate DB1 DB2 ... into GOLD in the terminal: every annotator's spans as candidates.

    Spans all annotators share are accepted into GOLD when an article opens (one undoable
    step); `.` goes to the next disagreement, `y` accepts it, `n` rejects it, `T` takes one
    annotator's version of the article, `m` marks it reviewed and opens the next.
    """
    from annotator.store import open_store
    from annotator.team import close_inputs, common_documents, open_inputs
    from annotator.team.merge import check_output

    inputs = open_inputs(databases)
    try:
        check_output(gold, inputs)
        common_documents(inputs)  # refuse before GOLD is opened: nothing written
        store = open_store(gold, annotator=annotator_name or login_name())
        try:
            from annotator.tui.review import ReviewApp

            app = ReviewApp(inputs, store, accept_agreed=not no_accept_agreed)
            app.run()
        finally:
            store.close()
    finally:
        close_inputs(inputs)
    if app.return_code:
        sys.exit(app.return_code)


def register(group: click.Group) -> None:
    group.add_command(agree_command)
    group.add_command(merge_command)
    group.add_command(review_command)
