"""``tangkal report`` (the monthly brief), ``tangkal stats`` (one figure) and ``tangkal
measure refresh`` (fold new reports into the daily summaries)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tangkal.audit.log import record
from tangkal.cli.base import emit_json, open_store, settings_from_env
from tangkal.errors import InvalidInput
from tangkal.measure import FIGURES, compute, parse_filters, refresh
from tangkal.measure.brief import monthly_brief
from tangkal.measure.render import brief_html, brief_pdf
from tangkal.measure.table import as_csv
from tangkal.store.base import utcnow

__all__ = ["measure", "report", "stats"]


@click.command()
@click.option("--period", required=True, help="The month, e.g. 2026-10.")
@click.option("--country", default=None, help="ISO country; leave out for the region.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.pdf or FILE.html.",
)
def report(period: str, country: str | None, out: Path) -> None:
    """Write the monthly brief of one country or the region, ready to circulate.

    Small counts are suppressed (TANGKAL_MEASURE_MIN_COUNT), as in anything that leaves
    the node.
    """
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise InvalidInput("the brief is written as .pdf or .html", field="out")
    settings = settings_from_env()
    store = open_store(settings)
    try:
        with store.read() as session:
            brief = monthly_brief(
                session, period, country, utcnow().date(), min_count=settings.measure_min_count
            )
        with store.begin() as session:
            record(
                session,
                "cli",
                "stats.brief",
                "period",
                period,
                details={"country": brief["country"], "out": out.name},
            )
    finally:
        store.close()
    if suffix == ".pdf":
        out.write_bytes(brief_pdf(brief))
    else:
        out.write_text(brief_html(brief), encoding="utf-8")
    click.echo(
        f"Wrote the {brief['period']} brief for {brief['country'] or 'the region'} to {out}."
    )


@click.command()
@click.argument("figure", type=click.Choice(sorted(FIGURES)))
@click.option("--since", default=None, help="First day (2026-10-01) or month (2026-10).")
@click.option("--until", default=None, help="Last day or month, inclusive (default today).")
@click.option("--country", default=None, help="ISO country; leave out for the region.")
@click.option(
    "--granularity", type=click.Choice(["day", "week", "month"]), default="month", show_default=True
)
@click.option(
    "--by", default=None, help="volumes: total, country, typology, channel, payment_method."
)
@click.option("--kind", default=None, help="flows: any, phone, bank_account, …")
@click.option("--order", default=None, help="networks: victims or loss.")
@click.option("--exact", is_flag=True, help="Exact counts, for this node's own use (audited).")
@click.option("--csv", "as_csv_", is_flag=True, help="Print CSV instead of JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the default).")
def stats(
    figure: str,
    since: str | None,
    until: str | None,
    country: str | None,
    granularity: str,
    by: str | None,
    kind: str | None,
    order: str | None,
    exact: bool,
    as_csv_: bool,
    as_json: bool,
) -> None:
    """Print one figure (volumes, flows, networks, action, outcomes) as JSON or CSV."""
    settings = settings_from_env()
    filters = parse_filters(
        {"since": since, "until": until, "country": country, "granularity": granularity},
        utcnow().date(),
    )
    store = open_store(settings)
    try:
        with store.read() as session:
            result = compute(
                session,
                figure,
                filters,
                {"by": by, "kind": kind, "order": order},
                min_count=0 if exact else settings.measure_min_count,
            )
        if exact:
            with store.begin() as session:
                record(session, "cli", "stats.exact", "figure", figure, details=filters.as_dict())
    finally:
        store.close()
    if as_csv_:
        sys.stdout.write(as_csv(result))
    else:
        emit_json(result.as_dict())


@click.group()
def measure() -> None:
    """Measure's summaries of reports and flows."""


@measure.command("refresh")
@click.option("--full", is_flag=True, help="Rebuild from every report, not only the new ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def refresh_cmd(full: bool, as_json: bool) -> None:
    """Fold reports filed since the last refresh into the daily summaries (run it hourly
    or nightly: figures stay exact either way, and fast once the new reports are in)."""
    store = open_store()
    try:
        with store.begin() as session:
            result = refresh(session, full=full)
            record(
                session,
                "cli",
                "measure.refresh",
                "summaries",
                result["to_report_id"],
                details=result,
            )
    finally:
        store.close()
    if as_json:
        emit_json(result)
        return
    if result["from_report_id"] == result["to_report_id"] and not result["full"]:
        click.echo("The summaries were already current.")
        return
    kind = "Rebuilt" if result["full"] else "Extended"
    click.echo(
        f"{kind} the summaries: reports {result['from_report_id'] + 1}–"
        f"{result['to_report_id']} folded in."
    )
