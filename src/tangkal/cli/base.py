"""What every command shares: settings, the store, error handling and JSON output."""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tangkal.config import Settings
from tangkal.errors import AuthenticationRequired, NotFound, PermissionDenied, TangkalError
from tangkal.store import Store
from tangkal.store.migrate import current_heads, script_heads

__all__ = ["TangkalGroup", "emit_json", "open_store", "progress_bar", "settings_from_env"]

# Exit codes: 0 ok, 1 the answer is "bad" (verify failed, rows rejected), 2 usage or input.
EXIT_INPUT = 2
EXIT_NOT_FOUND = 3
EXIT_DENIED = 4


class TangkalGroup(click.Group):
    """A group that turns Tangkal's errors into a message on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TangkalError as exc:
            click.echo(f"Error: {exc}", err=True)
            code = EXIT_INPUT
            if isinstance(exc, NotFound):
                code = EXIT_NOT_FOUND
            elif isinstance(exc, PermissionDenied | AuthenticationRequired):
                code = EXIT_DENIED
            ctx.exit(code)


def settings_from_env() -> Settings:
    return Settings.from_env()


def open_store(settings: Settings | None = None) -> Store:
    """Open the configured store, refusing one that ``tangkal init`` has not prepared."""
    settings = settings or settings_from_env()
    store = Store(settings.database_url)
    try:
        have = current_heads(store.engine)
    except Exception as exc:
        raise click.ClickException(f"cannot open the store {settings.database_url}: {exc}") from exc
    if have != script_heads(store.engine):
        store.close()
        raise click.ClickException(
            "the store is not initialised or not up to date: run `tangkal init` first"
        )
    return store


def emit_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str) + b"\n")
    sys.stdout.flush()


def progress_bar(total: int | None, unit: str) -> Progress:
    """The bar of long commands: on stderr, so ``--json`` output on stdout stays clean."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn(unit), TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )  # fmt: skip
