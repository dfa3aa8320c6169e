"""``annotator train`` and ``annotator evaluate``: the model that learns from finished articles."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from annotator.cli import db_option, fail, friendly_errors


@contextmanager
def _bar(what: str) -> Iterator[Callable[[float, str], None]]:
    """A Rich progress bar on stderr (a terminal only); yields ``update(fraction, message)``."""
    if not sys.stderr.isatty():
        yield lambda fraction, message: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task(what, total=1.0)
    with bar:
        yield lambda fraction, message: bar.update(
            task, completed=fraction, description=f"{what}: {message}"
        )


@click.command("train")
@db_option
@click.option("--force", is_flag=True, help="Train even if the finished articles did not change.")
@friendly_errors
def train_command(db_path: str, force: bool) -> None:
    """Train the suggestion model on the articles marked done.

    The model learns every label from the spans you made or accepted in finished articles
    (rejected suggestions count against), is measured on a fifth of them held back, and is
    saved beside the database (DB.model/); `S` and `annotator suggest` then use it. Until
    enough articles are done the rules suggest alone.
    """
    from annotator.learn.training import train_database
    from annotator.store import store_exists

    if not store_exists(db_path):
        fail(f"{db_path}: no such database")
    with _bar("train") as update:
        outcome = train_database(db_path, force=force, progress=update)
    click.echo(outcome.message)


@click.command("evaluate")
@db_option
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True),
    help="Gold spans: spaCy/Prodigy JSONL (a file, or a folder of .jsonl files).",
)
@click.option(
    "--engines",
    default="model",
    show_default=True,
    help="Comma-separated engines to measure (model: the trained model, else the rules; "
    "gazetteer,patterns,claims: the rules alone).",
)
@friendly_errors
def evaluate_command(db_path: str, gold_path: str, engines: str) -> None:
    """Precision, recall and F1 per label of the suggestions on gold articles.

    Exact: the same start, end and label; overlap: a suggestion overlapping a gold span of its
    label. Gold articles the model was trained on are counted and named in a warning.
    """
    from annotator.learn import engine
    from annotator.learn.evaluate import score
    from annotator.learn.gold import GoldError, read_gold
    from annotator.learn.training import describe
    from annotator.suggest import ENGINES, suggest
    from annotator.text import TextIndex

    chosen = tuple(name.strip() for name in engines.split(",") if name.strip())
    unknown = [name for name in chosen if name not in ENGINES]
    if unknown:
        fail(f"unknown engine {', '.join(unknown)} (known: {', '.join(ENGINES)})")
    try:
        articles = read_gold(gold_path)
    except GoldError as error:
        fail(str(error))
    if not articles:
        fail(f"{gold_path}: no gold articles")
    engine.use_database(db_path)
    loaded = engine.current(db_path)
    if "model" in chosen:
        if loaded.model is not None:
            click.echo("using " + describe(loaded.info))
        else:
            click.echo(f"no model in use ({loaded.problem}): the rules answer for it")
    labels = sorted({label for a in articles for label in a.labels()})
    pairs = []
    with _bar("evaluate") as update:
        for k, article in enumerate(articles):
            found = suggest(article.doc, TextIndex(article.doc.text), engines=chosen)
            pairs.append(({s.key for s in found}, article.spans))
            update((k + 1) / len(articles), f"article {k + 1}/{len(articles)}")
    spans = sum(len(a.spans) for a in articles)
    click.echo(f"{len(articles)} gold articles, {spans} spans; engines: {','.join(chosen)}")
    click.echo(score(pairs, labels).table())
    if "model" in chosen and loaded.info is not None and loaded.model is not None:
        seen = set(loaded.info.trained_ids) & {a.doc.id for a in articles}
        if seen:
            click.echo(
                f"warning: the model was trained on {len(seen)} of these articles; "
                "the figures are not on unseen text",
                err=True,
            )


def register(group: click.Group) -> None:
    group.add_command(train_command)
    group.add_command(evaluate_command)
