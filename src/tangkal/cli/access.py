"""Organisations and tokens: ``tangkal org add`` and ``tangkal token create``."""

from __future__ import annotations

import click
from sqlalchemy import select

from tangkal.access.models import ApiToken, Organisation
from tangkal.access.tokens import add_organisation, create_token, get_organisation, revoke_token
from tangkal.cli.base import TangkalGroup, emit_json, open_store
from tangkal.vocabulary import ORG_TYPES, ROLES

__all__ = ["org", "token"]


@click.group(cls=TangkalGroup)
def org() -> None:
    """Organisations that use this node."""


@org.command("add")
@click.option("--name", required=True, help="Unique name, e.g. 'POLRI Siber'.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code.")
@click.option("--type", "type_", required=True, type=click.Choice(ORG_TYPES))
@click.option("--trusted/--untrusted", default=None, help="Override trust for corroboration.")
@click.option("--json", "as_json", is_flag=True)
def org_add(name: str, country: str, type_: str, trusted: bool | None, as_json: bool) -> None:
    """Register an organisation."""
    store = open_store()
    try:
        with store.begin() as session:
            o = add_organisation(session, name, country, type_, trusted=trusted)
            out = {
                "id": o.id,
                "name": o.name,
                "country": o.country,
                "type": o.type,
                "trusted": o.trusted,
            }
    finally:
        store.close()
    if as_json:
        emit_json(out)
    else:
        click.echo(f"Organisation {out['id']}: {out['name']} ({out['country']}, {out['type']})")


@org.command("list")
@click.option("--json", "as_json", is_flag=True)
def org_list(as_json: bool) -> None:
    """List organisations."""
    store = open_store()
    try:
        with store.read() as session:
            rows = [
                {
                    "id": o.id,
                    "name": o.name,
                    "country": o.country,
                    "type": o.type,
                    "trusted": o.trusted,
                }
                for o in session.scalars(select(Organisation).order_by(Organisation.id))
            ]
    finally:
        store.close()
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            click.echo(f"{r['id']:>4}  {r['name']}  {r['country']}  {r['type']}")


@click.group(cls=TangkalGroup)
def token() -> None:
    """API tokens (stored hashed; shown once at creation)."""


@token.command("create")
@click.option("--org", "org_name", required=True, help="Organisation name.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--label", default=None)
@click.option("--json", "as_json", is_flag=True)
def token_create(org_name: str, role: str, label: str | None, as_json: bool) -> None:
    """Create a token and print it: it cannot be shown again."""
    store = open_store()
    try:
        with store.begin() as session:
            secret = create_token(session, get_organisation(session, org_name), role, label=label)
    finally:
        store.close()
    if as_json:
        emit_json({"token": secret, "org": org_name, "role": role})
    else:
        click.echo(secret)


@token.command("list")
@click.option("--json", "as_json", is_flag=True)
def token_list(as_json: bool) -> None:
    """List tokens (prefixes only)."""
    store = open_store()
    try:
        with store.read() as session:
            rows = [
                {"id": t.id, "org": o.name, "role": t.role, "prefix": t.prefix,
                 "revoked": t.revoked_at is not None}
                for t, o in session.execute(
                    select(ApiToken, Organisation).join(Organisation).order_by(ApiToken.id)
                )
            ]  # fmt: skip
    finally:
        store.close()
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            click.echo(
                f"{r['id']:>4}  {r['prefix']}…  {r['org']}  {r['role']}{'  revoked' if r['revoked'] else ''}"
            )


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke a token by id."""
    store = open_store()
    try:
        with store.begin() as session:
            revoke_token(session, token_id)
    finally:
        store.close()
    click.echo(f"Token {token_id} revoked.")
