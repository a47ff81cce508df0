"""``tangkal link`` (recompute every network) and ``tangkal networks`` (list or show)."""

from __future__ import annotations

import click

from tangkal.cli.base import emit_json, open_store, settings_from_env
from tangkal.link.batch import recompute
from tangkal.link.profile import network_profile
from tangkal.link.summary import list_networks, members_of, network_as_dict
from tangkal.vocabulary import check_country

__all__ = ["link", "networks"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def link(as_json: bool) -> None:
    """Recompute every network from the reports (ids are kept where networks persist)."""
    settings = settings_from_env()
    store = open_store(settings)
    try:
        with store.begin() as session:
            result = recompute(session, degree_cap=settings.link_degree_cap, actor="cli")
    finally:
        store.close()
    out = result.as_dict()
    if as_json:
        emit_json(out)
        return
    if "note" in out:
        click.echo(out["note"] + " (TANGKAL_LINK_DEGREE_CAP).")
    click.echo(
        f"{result.networks} networks holding {result.members} reports "
        f"({result.created} new, {result.merges} merges, {result.splits} splits, "
        f"{result.dissolved} dissolved; {result.hubs} hub values ignored) "
        f"in {result.seconds:.2f} s."
    )


@click.command()
@click.argument("network_id", required=False)
@click.option("--cross-border", is_flag=True, help="Only networks spanning countries.")
@click.option("--country", default=None, help="Only networks with victims in this country.")
@click.option("--min-reports", type=click.IntRange(1), default=2, show_default=True)
@click.option("--members", is_flag=True, help="Add the report ids of each network.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of networks.")
def networks(
    network_id: str | None,
    cross_border: bool,
    country: str | None,
    min_reports: int,
    members: bool,
    as_json: bool,
) -> None:
    """List networks, largest first; with NETWORK_ID, show that network's profile."""
    store = open_store()
    try:
        with store.read() as session:
            if network_id:
                profile = network_profile(session, network_id)
                if as_json:
                    emit_json(profile)
                    return
                _show(profile)
                return
            nets = list_networks(
                session,
                cross_border=cross_border,
                country=check_country(country) if country else None,
                min_reports=min_reports,
            )
            items = [network_as_dict(n) for n in nets]
            if members:
                of = members_of(session, [n["id"] for n in items])
                for item in items:
                    item["members"] = of[item["id"]]
    finally:
        store.close()
    if as_json:
        emit_json(items)
        return
    if not items:
        click.echo("No networks match.")
    for n in items:
        flag = " cross-border" if n["cross_border"] else ""
        click.echo(
            f"{n['id']}  {n['reports']:>6} reports  {','.join(n['countries']):<20}"
            f" USD {n['loss_usd']:>14,.2f}{flag}"
        )
        if members:
            click.echo("    reports: " + " ".join(str(r) for r in n["members"]))


def _show(p: dict[str, object]) -> None:
    click.echo(f"{p['id']}: {p['reports']} reports; victims {p['victims']}")
    click.echo(f"  typologies {p['typologies']}; loss {p['loss']}")
    click.echo(f"  first seen {p['first_seen']}, last seen {p['last_seen']}")
    click.echo(f"  infrastructure {p['infrastructure']}; cross-border: {p['cross_border']}")
    for k in p["key_indicators"]:  # type: ignore[attr-defined]  # a list of dicts
        click.echo(f"  {k['kind']:<14} {k['value']}  ({k['reports']} reports)")
