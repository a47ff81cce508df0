"""What every command shares: settings, the store, error handling and JSON output."""

from __future__ import annotations

import errno
import sys
from typing import Any

import click
import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.engine import make_url

from tangkal.config import Settings
from tangkal.errors import AuthenticationRequired, NotFound, PermissionDenied, TangkalError
from tangkal.store import Store
from tangkal.store.migrate import current_heads, script_heads

__all__ = [
    "TangkalGroup", "connect_store", "emit_json", "open_store", "progress_bar", "settings_from_env",
]  # fmt: skip

# Exit codes: 0 ok, 1 the answer is "bad" (verify failed, rows rejected), 2 usage or input.
EXIT_INPUT = 2
EXIT_NOT_FOUND = 3
EXIT_DENIED = 4


class TangkalGroup(click.Group):
    """A group that turns Tangkal's errors into a message on stderr and an exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Bytes that are not UTF-8 reach Python as lone surrogates, which every later step
        # (JSON output, the store) refuses with a traceback: say so once, here.
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                shown = arg.encode("utf-8", "surrogateescape")
                raise click.UsageError(f"argument {shown!r} is not UTF-8 text", ctx) from None
        return super().parse_args(ctx, args)

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
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # output piped into `head`: click ends quietly
            # A file the command was told to read or write: missing folder, no permission.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(EXIT_INPUT)


def settings_from_env() -> Settings:
    return Settings.from_env()


def _shown_url(url: str) -> str:
    """The store's URL as it may be printed: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "TANGKAL_DATABASE_URL"


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc  # the driver's words, not SQLAlchemy's wrapping
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def connect_store(settings: Settings) -> Store:
    """A store on ``settings.database_url`` that answers, or a one-line error saying why not.

    A mistyped URL, a driver that is not installed or a server that is down ends the command
    with that reason (and exit code 1), never a traceback.
    """
    shown = _shown_url(settings.database_url)
    try:
        store = Store(settings.database_url)
    except Exception as exc:
        raise click.ClickException(f"cannot open the store {shown}: {_first_line(exc)}") from exc
    try:
        with store.engine.connect():
            pass
    except Exception as exc:
        store.close()
        raise click.ClickException(f"cannot open the store {shown}: {_first_line(exc)}") from exc
    return store


def open_store(settings: Settings | None = None) -> Store:
    """Open the configured store, refusing one that ``tangkal init`` has not prepared."""
    settings = settings or settings_from_env()
    store = connect_store(settings)
    try:
        have = current_heads(store.engine)
    except Exception as exc:
        store.close()
        raise click.ClickException(
            f"cannot open the store {_shown_url(settings.database_url)}: {_first_line(exc)}"
        ) from exc
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
