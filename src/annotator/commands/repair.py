"""``annotator repair``: salvage a damaged database (see :mod:`annotator.store.repair`)."""

from __future__ import annotations

import click

from annotator.cli import db_option, friendly_errors


@click.command("repair")
@db_option
@click.option("--dry-run", is_flag=True, help="Say what would be kept and lost; change nothing.")
@click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(exists=True),
    default=None,
    help="The articles (a file or folder), to register again a document whose first record "
    "was damaged.",
)
@friendly_errors
def repair_command(db_path: str, dry_run: bool, corpus_path: str | None) -> None:
    """Rebuild a damaged database from every record that passes its checksum.

    Copies of the damaged files are kept beside it (a timestamped folder); what was kept and
    what was lost is listed. A healthy database is left alone, so running it twice is safe.
    """
    from annotator.store.repair import repair

    documents: list = []
    if corpus_path is not None:
        from annotator.corpus import load_corpus

        documents = list(load_corpus(corpus_path))
    report = repair(db_path, dry_run=dry_run, documents=documents)
    for line in report.lines():
        click.echo(line)


def register(group: click.Group) -> None:
    group.add_command(repair_command)
