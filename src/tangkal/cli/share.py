"""``tangkal export``, ``tangkal import-stix`` and ``tangkal import-misp``: files in and out.

Exports go through the same distribution policy as TAXII (one audience at a time; victim
contact data is never part of any export). Imports file a bundle's indicators as reports
of the named organisation, in one transaction: a bundle with any bad object is refused
whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

import click
import orjson

from tangkal.access.roles import Principal
from tangkal.access.tokens import get_organisation
from tangkal.audit.log import record
from tangkal.cli.base import emit_json, open_store, settings_from_env
from tangkal.errors import InvalidInput
from tangkal.share import misp, stix
from tangkal.share.importer import ImportResult, Source, import_objects, parse_bundle
from tangkal.share.policy import AUDIENCES
from tangkal.share.publish import NodeIdentity, export_rows

__all__ = ["export", "import_misp", "import_stix"]

CSV_COLUMNS = (
    "stix_id", "kind", "value", "distribution", "tlp", "handling", "report_count",
    "countries", "typologies", "modified", "revoked",
)  # fmt: skip


def _csv(objects: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for o in objects:
        if o["type"] != "indicator":
            continue
        ext = o["extensions"][stix.EXTENSION_ID]
        writer.writerow([
            o["id"], ext["kind"], ext["value"], ext["distribution"], ext["tlp"],
            ";".join(ext.get("handling", ())), ext.get("report_count", 0),
            ";".join(ext.get("countries", ())), ";".join(o.get("labels", ())),
            o["modified"], "true" if o.get("revoked") else "false",
        ])  # fmt: skip
    return out.getvalue().encode()


@click.command()
@click.option("--format", "fmt", type=click.Choice(["stix", "misp", "csv"]), default="stix")
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="public",
    show_default=True,
    help="Who the file is for; only what the policy lets them see is written.",
)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")  # fmt: skip
def export(fmt: str, audience: str, out: Path | None) -> None:
    """Export indicators for one audience as a STIX 2.1 bundle, a MISP event or CSV."""
    settings = settings_from_env()
    node = NodeIdentity.from_settings(settings)
    store = open_store(settings)
    try:
        with store.begin() as session:
            objects = [row.obj for row in export_rows(session, audience, node)]
            count = sum(1 for o in objects if o["type"] == "indicator")
            record(
                session, "cli", "share.export", "audience", audience,
                details={"format": fmt, "indicators": count},
            )  # fmt: skip
    finally:
        store.close()
    if fmt == "stix":
        data = orjson.dumps(stix.bundle(objects), option=orjson.OPT_INDENT_2)
    elif fmt == "misp":
        tlp = "CLEAR" if audience == "public" else "GREEN"
        info = f"Tangkal {node.name}: scam indicators for {audience}"
        event = misp.to_misp_event(objects, info=info, date=dt.date.today(), tlp=tlp)
        data = orjson.dumps(event, option=orjson.OPT_INDENT_2)
    else:
        data = _csv(objects)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)
        click.echo(f"Wrote {count} indicators for '{audience}' to {out}.", err=True)


def _load(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not JSON: {exc}", field="file") from None


def _import(objects: list[dict[str, Any]], org_name: str, notes: list[str]) -> ImportResult:
    store = open_store()
    try:
        with store.begin() as session:
            org = get_organisation(session, org_name)
            who = Principal(org.id, org.name, org.country, org.type, "peer")
            source = Source(principal=who, peer=org.name, country=org.country, trusted=org.trusted)
            result = import_objects(session, objects, source)
            if result.failures or notes:
                problems = notes + [f"{f['id']}: {f['message']}" for f in result.failures]
                # Raising rolls the whole bundle back: nothing is half-imported.
                raise InvalidInput(
                    f"{len(problems)} object(s) refused, nothing imported: "
                    + "; ".join(problems[:5]),
                    field="file",
                )
    finally:
        store.close()
    return result


def _report(result: ImportResult, as_json: bool) -> None:
    if as_json:
        emit_json({"successes": result.successes, "failures": result.failures})
    else:
        click.echo(f"Imported {len(result.successes)} objects.")


@click.command("import-stix")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_name", required=True, help="Organisation the indicators come from.")
@click.option("--json", "as_json", is_flag=True)
def import_stix(file: Path, org_name: str, as_json: bool) -> None:
    """Import a STIX 2.1 bundle: its indicators become reports of ORG."""
    objects = parse_bundle(_load(file), field_name="file")
    _report(_import(objects, org_name, []), as_json)


@click.command("import-misp")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_name", required=True, help="Organisation the indicators come from.")
@click.option("--json", "as_json", is_flag=True)
def import_misp(file: Path, org_name: str, as_json: bool) -> None:
    """Import a MISP event (JSON): its attributes become reports of ORG."""
    try:
        objects, skipped = misp.from_misp_event(_load(file))
    except ValueError as exc:
        raise InvalidInput(str(exc), field="file") from None
    if not objects:
        raise InvalidInput("the event has no attribute Tangkal can import", field="file")
    # Events mix evidence with notes and context: attributes without a kind are skipped.
    result = _import(objects, org_name, [])
    _report(result, as_json)
    if skipped and not as_json:
        click.echo(f"Skipped {len(skipped)} attribute(s) with no Tangkal kind.", err=True)
