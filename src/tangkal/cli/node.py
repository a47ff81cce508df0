"""Node commands: create or upgrade the store, serve the web app, list the settings."""

from __future__ import annotations

import os
import sys

import click

from tangkal.check.allowlist import load_shipped
from tangkal.cli.base import connect_store, emit_json, settings_from_env
from tangkal.config import Settings
from tangkal.store import upgrade

__all__ = ["init", "serve", "settings"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def init(as_json: bool) -> None:
    """Create the store or upgrade it to the current schema; safe to run again."""
    cfg = settings_from_env()
    store = connect_store(cfg)
    try:
        heads = upgrade(store.engine)
        with store.begin() as session:
            added = load_shipped(session)
    finally:
        store.close()
    if as_json:
        emit_json(
            {
                "database": store.engine.url.render_as_string(),
                "heads": heads,
                "allowlist_added": added,
            }
        )
    else:
        click.echo(
            f"Store ready at {store.engine.url.render_as_string()} (schema {', '.join(heads)})."
        )
        click.echo(f"Shipped allowlist entries added: {added}.")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app and API (run `tangkal init` first).

    Also refreshes Measure's summaries every TANGKAL_MEASURE_REFRESH_SECONDS.
    """
    from tangkal.cli.base import open_store

    cfg = settings_from_env()
    open_store(cfg).close()
    # One process refreshing Measure's summaries beside the workers; it exits with them.
    from tangkal.measure.refresher import spawn

    spawn(cfg)
    # The uvicorn command line, not uvicorn.run(): worker processes spawned from inside
    # a click command die at start-up, while the command line's supervisor starts them.
    args = [
        sys.executable, "-m", "uvicorn", "tangkal.web.asgi:app", "--host", host,
        "--port", str(port), "--workers", str(workers), "--loop", "uvloop", "--http",
        "httptools", "--no-access-log", "--log-level", "info",
    ]  # fmt: skip
    os.execv(sys.executable, args)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def settings(as_json: bool) -> None:
    """List every setting: environment variable, default and meaning."""
    rows = Settings.documented()
    if as_json:
        emit_json([{"name": n, "default": d, "help": h} for n, d, h in rows])
        return
    for name, default, help_text in rows:
        click.echo(f"{name}  (default: {default or '—'})\n    {help_text}")
