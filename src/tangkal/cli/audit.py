"""``tangkal audit verify``: prove the audit log was neither edited nor cut."""

from __future__ import annotations

import click

from tangkal.audit.log import verify
from tangkal.cli.base import TangkalGroup, emit_json, open_store
from tangkal.errors import IntegrityFailure

__all__ = ["audit"]


@click.group(cls=TangkalGroup)
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True)
def audit_verify(as_json: bool) -> None:
    """Exit 0 when the chain is intact, 1 naming the first bad event otherwise."""
    store = open_store()
    try:
        with store.read() as session:
            try:
                count = verify(session)
            except IntegrityFailure as exc:
                if as_json:
                    emit_json({"ok": False, "error": exc.detail})
                else:
                    click.echo(f"Audit log FAILED: {exc.detail}", err=True)
                raise SystemExit(1) from None
    finally:
        store.close()
    if as_json:
        emit_json({"ok": True, "events": count})
    else:
        click.echo(f"Audit log intact: {count} events.")
