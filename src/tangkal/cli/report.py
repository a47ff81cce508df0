"""``tangkal demo`` and ``tangkal import``: reports in bulk, with a progress bar."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

import click
import orjson
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from tangkal.chain import propagate, propagating_writer
from tangkal.cli.base import emit_json, open_store, progress_bar, settings_from_env
from tangkal.report.demo import file_demo, generate
from tangkal.report.importer import FORMATS, ImportResult, import_file
from tangkal.report.models import Report

__all__ = ["demo", "import_"]

T = TypeVar("T")
_SHOWN = 50  # rejected rows listed in text output; --json lists all


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


@click.command()
@click.option("--reports", "n", type=click.IntRange(0, 10_000_000), default=1000,
              show_default=True, help="How many reports to generate.")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--truth", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write {report_id, network} JSON Lines for every report here.")  # fmt: skip
@click.option("--if-empty", is_flag=True, help="Do nothing when the store has reports.")
@click.option("--batch", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def demo(n: int, seed: int, truth: Path | None, if_empty: bool, batch: int, as_json: bool) -> None:
    """Load N synthetic reports from the ten ASEAN states, with planted networks."""
    settings = settings_from_env()
    store = open_store(settings)
    stored = duplicates = 0
    networks: set[str] = set()
    try:
        with store.read() as session:
            has_reports = session.scalar(select(Report.id).limit(1)) is not None
        if if_empty and has_reports:
            _say(as_json, {"skipped": True, "reason": "the store already has reports"})
            return
        with contextlib.ExitStack() as stack:
            out: IO[bytes] | None = stack.enter_context(truth.open("wb")) if truth else None
            bar = stack.enter_context(progress_bar(n, "reports"))
            task = bar.add_task("demo", total=n)
            for chunk in _batched(generate(n, seed), batch):
                with store.begin() as session:
                    filed = file_demo(session, chunk)
                    propagate(session, filed, settings)
                for item, f in zip(chunk, filed, strict=True):
                    stored += not f.duplicate
                    duplicates += f.duplicate
                    if item.network:
                        networks.add(item.network)
                    if out is not None:
                        line = {"report_id": f.report_id, "network": item.network}
                        out.write(orjson.dumps(line) + b"\n")
                bar.advance(task, len(chunk))
    finally:
        store.close()
    _say(as_json, {"reports": n, "stored": stored, "duplicates": duplicates,
                   "networks": len(networks), "seed": seed,
                   "truth": str(truth) if truth else None})  # fmt: skip


def _say(as_json: bool, data: dict[str, object]) -> None:
    if as_json:
        emit_json(data)
    elif data.get("skipped"):
        click.echo(f"Demo data not loaded: {data['reason']}.")
    else:
        click.echo(
            f"Demo: {data['stored']} reports stored ({data['duplicates']} already there), "
            f"{data['networks']} planted networks, seed {data['seed']}."
        )
        if data["truth"]:
            click.echo(f"Planted networks written to {data['truth']}.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Default: from the extension (.csv, .jsonl), else sniffed.")  # fmt: skip
@click.option("--batch", type=click.IntRange(1, 100_000), default=10_000, show_default=True,
              help="Rows per transaction.")  # fmt: skip
@click.option("--workers", type=click.IntRange(0, 64), default=None,
              help="Processes preparing rows while this one writes (default: one per core; "
              "0: prepare in this process).")  # fmt: skip
@click.option("--strict", is_flag=True, help="Store nothing if any row is rejected.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_(
    file: Path, fmt: str | None, batch: int, workers: int | None, strict: bool, as_json: bool
) -> None:
    """Import reports from a CSV or JSON Lines FILE (columns: docs/import.md).

    Idempotent: rows already imported are counted as duplicates. Exit code 1 when any
    row was rejected; each is listed with its line number and the field at fault.
    """
    settings = settings_from_env()
    store = open_store(settings)
    size = file.stat().st_size
    try:
        with progress_bar(size, "bytes") as bar:
            task = bar.add_task(file.name, total=size)
            result = import_file(
                store, file, fmt=fmt, batch=batch, workers=workers, strict=strict,
                progress=lambda _rows, done: bar.update(task, completed=done),
                write=propagating_writer(settings, reporter_key="import"),
            )  # fmt: skip
    except SQLAlchemyError as exc:
        notes = " ".join(getattr(exc, "__notes__", []))
        raise click.ClickException(f"the store refused a batch: {exc}. {notes}") from exc
    finally:
        store.close()
    _report(file, result, strict, as_json)
    if result.rejected:
        raise SystemExit(1)


def _report(file: Path, result: ImportResult, strict: bool, as_json: bool) -> None:
    if as_json:
        emit_json({"file": str(file), "strict": strict, **result.as_dict()})
        return
    click.echo(
        f"{file}: {result.rows} rows, {result.stored} stored, {result.duplicates} already "
        f"there, {len(result.rejected)} rejected."
    )
    if strict and result.rejected:
        click.echo("Nothing was stored (--strict).")
    for r in result.rejected[:_SHOWN]:
        click.echo(f"  line {r.line}: {r.field}: {r.detail}", err=True)
    if len(result.rejected) > _SHOWN:
        click.echo(f"  … and {len(result.rejected) - _SHOWN} more (use --json)", err=True)
