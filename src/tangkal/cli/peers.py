"""``tangkal peers``, ``tangkal sync`` and ``tangkal seen``: the client side of federation."""

from __future__ import annotations

import sys

import click

from tangkal.cli.base import TangkalGroup, emit_json, open_store, settings_from_env
from tangkal.share.peers import add_peer, list_peers, node_key
from tangkal.share.seen import ask_peers
from tangkal.share.sync import import_ingest, pull, pull_all
from tangkal.vocabulary import check_country

__all__ = ["peers", "seen", "sync"]


@click.group(cls=TangkalGroup)
def peers() -> None:
    """Nodes this node pulls from and pushes to."""


@peers.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--token", required=True, help="The token the peer issued us (kept sealed).")
@click.option("--country", required=True, help="The peer's ISO 3166-1 alpha-2 country.")
@click.option(
    "--collection",
    "collections",
    multiple=True,
    help="Collection id to pull (repeat); default: every readable one.",
)
@click.option(
    "--our-org", default=None, help="Our organisation's name at the peer (HTTP Basic user)."
)
@click.option(
    "--org",
    "org_name",
    default=None,
    help="Local organisation standing for the peer (default: NAME).",
)
@click.option(
    "--push/--no-push", default=True, show_default=True, help="POST new versions to the peer."
)
@click.option(
    "--push-collection", default=None, help="Collection to POST to (default: first writable)."
)
@click.option("--json", "as_json", is_flag=True)
def peers_add(
    name: str, url: str, token: str, country: str, collections: tuple[str, ...],
    our_org: str | None, org_name: str | None, push: bool, push_collection: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Register peer NAME whose TAXII 2.1 API root is URL (…/taxii2/api/)."""
    settings = settings_from_env()
    store = open_store(settings)
    try:
        with store.begin() as session:
            peer = add_peer(
                session, name, url, token, key=node_key(settings), country=country,
                collections=list(collections), our_org=our_org, org_name=org_name, push=push,
                push_collection=push_collection,
            )  # fmt: skip
            out = {"name": peer.name, "api_root": peer.api_root, "country": peer.country}
    finally:
        store.close()
    if as_json:
        emit_json(out)
    else:
        click.echo(f"Peer {out['name']} added: {out['api_root']} ({out['country']}).")


@peers.command("list")
@click.option("--json", "as_json", is_flag=True)
def peers_list(as_json: bool) -> None:
    """List peers and how far each collection has been pulled (tokens are never shown)."""
    store = open_store()
    try:
        with store.read() as session:
            rows = [p.as_dict() for p in list_peers(session)]
    finally:
        store.close()
    if as_json:
        emit_json(rows)
        return
    for p in rows:
        flags = ("push" if p["push"] else "no push") + ("" if p["enabled"] else ", disabled")
        click.echo(f"{p['name']:<12} {p['country']}  {p['api_root']}  ({flags})")
        for cp in p["checkpoints"]:  # type: ignore[attr-defined]
            line = f"    {cp['collection']:<12} {cp['status']:<8} {cp['objects']:>9,} objects"
            line += f"  after {cp['added_after'] or '—'}"
            click.echo(line + (f"  error: {cp['error']}" if cp["error"] else ""))


def _progress(peer: str, collection: str, objects: int) -> None:
    if sys.stderr.isatty():
        click.echo(f"\r{peer}/{collection}: {objects:,} objects", err=True, nl=False)


@click.command()
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per peer.")
def sync(name: str | None, as_json: bool) -> None:
    """Pull from peer NAME (or every enabled peer) from its checkpoints."""
    settings = settings_from_env()
    store = open_store(settings)
    key = node_key(settings)
    show = None if as_json else _progress
    try:
        if name:
            runs = [pull(store, name, node_key=key, ingest=import_ingest, progress=show)]
        else:
            runs = pull_all(store, node_key=key, ingest=import_ingest, progress=show)
    finally:
        store.close()
    if as_json:
        emit_json([r.as_dict() for r in runs])
    else:
        if sys.stderr.isatty():
            click.echo("", err=True)
        for r in runs:
            if r.error:
                click.echo(f"Error: {r.peer}: {r.error}", err=True)
            for c in r.collections:
                click.echo(
                    f"{r.peer}/{c.collection}: {c.objects:,} objects in {c.pages} pages, "
                    f"{c.stored:,} stored, {c.failed:,} refused; checkpoint {c.cursor or '—'}"
                )
                for f in c.failures[:5]:
                    click.echo(f"    refused {f}")
                if c.error:
                    click.echo(
                        f"Error: {r.peer}/{c.collection}: {c.error} "
                        f"(checkpoint kept at {c.cursor or 'the start'})",
                        err=True,
                    )
    if not all(r.ok for r in runs):
        raise SystemExit(1)


@click.command()
@click.argument("value")
@click.option("--country", default=None, help="ISO country hint for national formats.")
@click.option("--json", "as_json", is_flag=True)
def seen(value: str, country: str | None, as_json: bool) -> None:
    """Ask every peer whether it holds reports on VALUE, sending only a keyed hash."""
    settings = settings_from_env()
    store = open_store(settings)
    try:
        with store.begin() as session:
            answers = ask_peers(
                session, value, check_country(country) if country else None,
                node_key=node_key(settings), regional_secret=settings.regional_secret,
            )  # fmt: skip
    finally:
        store.close()
    rows = [a.as_dict() for a in answers]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No peers registered (tangkal peers add).")
    for a in answers:
        if a.error:
            click.echo(f"{a.peer} ({a.country}): error: {a.error}")
        elif not a.answers:
            click.echo(f"{a.peer} ({a.country}): not seen")
        for h in a.answers:
            click.echo(
                f"{a.peer} ({a.country}): SEEN — {h.reports} reports from {h.reporters} reporters"
                f"; countries: {', '.join(h.countries) or '—'}; last seen {h.last_seen or '—'}"
                + ("; delisted" if h.delisted else "")
            )
