"""``tangkal check``, ``tangkal analyze`` and ``tangkal allowlist``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson
from sqlalchemy import select

from tangkal.check import allowlist as allow
from tangkal.check.analyze import analyze as analyze_text
from tangkal.check.lookup import check_one, link_risks
from tangkal.check.models import AllowlistEntry
from tangkal.cli.base import EXIT_INPUT, TangkalGroup, emit_json, open_store, progress_bar
from tangkal.errors import InvalidInput
from tangkal.vocabulary import check_country

__all__ = ["allowlist", "analyze", "check"]


def _country(value: str | None) -> str | None:
    return check_country(value) if value else None


@click.command()
@click.argument("value")
@click.option("--country", default=None, help="ISO country hint for national formats.")
@click.option("--json", "as_json", is_flag=True)
def check(value: str, country: str | None, as_json: bool) -> None:
    """Is VALUE (number, account, link, wallet, handle) a scam?"""
    store = open_store()
    try:
        with store.read() as session:
            result = check_one(session, value, _country(country), link_scorer=link_risks).as_dict()
    except InvalidInput as exc:
        if exc.field != "q":
            raise
        raise InvalidInput(exc.detail, field="VALUE") from None  # the API's ?q= is VALUE here
    finally:
        store.close()
    if as_json:
        emit_json(result)
        return
    ev = result["evidence"]
    click.echo(
        f"{result['kind']} {result['value']}: {result['verdict'].upper()} (score {result['score']})"
    )
    if result.get("allowlisted_as"):
        click.echo(f"  allowlisted as: {result['allowlisted_as']}")
    click.echo(
        f"  {ev['reports']} reports from {ev['reporters']} reporters"
        f"; countries: {', '.join(ev['countries']) or '—'}"
        f"; typologies: {', '.join(ev['typologies']) or '—'}"
    )
    if ev["first_seen"]:
        click.echo(
            f"  first seen {ev['first_seen']}, last seen {ev['last_seen']}; reported loss USD {ev['total_loss_usd']:,.2f}"
        )


@click.command()
@click.argument("text", required=False)
@click.option("--country", default=None, help="ISO country hint for national formats.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.option(
    "--jsonl",
    is_flag=True,
    help='Read JSON Lines {"text", "country"} on stdin; write one result per line.',
)
def analyze(text: str | None, country: str | None, as_json: bool, jsonl: bool) -> None:
    """Language and indicators of TEXT (or of stdin when TEXT is '-' or absent)."""
    hint = _country(country)
    if jsonl:
        out = sys.stdout.buffer
        bad = 0
        for lineno, line in enumerate(sys.stdin.buffer, start=1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('expected {"text": "...", "country": "CC"}')
                c = item.get("country")
                if c is not None and not isinstance(c, str):
                    raise ValueError('country: must be a string such as "TH"')
                result = analyze_text(item["text"], _country(c) if c else hint)
            except Exception as exc:
                bad += 1
                result = {"error": f"line {lineno}: {exc}"}
            out.write(orjson.dumps(result) + b"\n")
        out.flush()
        if bad:
            raise SystemExit(1)
        return
    if text is None or text == "-":
        # Bytes, decoded here: how sys.stdin decodes depends on the locale (a traceback on
        # the first non-UTF-8 byte in some, lone surrogates that break --json in others).
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            click.echo(
                f"Error: the text on standard input is not UTF-8 (byte {exc.start + 1}); "
                "save or send it as UTF-8",
                err=True,
            )
            raise SystemExit(EXIT_INPUT) from None
    if not text.strip():
        click.echo("Error: no text to analyse", err=True)
        raise SystemExit(EXIT_INPUT)
    result = analyze_text(text, hint)
    if as_json:
        emit_json(result)
        return
    click.echo(f"language: {result['language']}")
    for ind in result["indicators"]:
        extra = {k: v for k, v in ind.items() if k not in ("kind", "value", "role", "raw")}
        click.echo(
            f"  {ind['kind']:<14} {ind['value']}  ({ind['role']}{'; ' + ', '.join(f'{k}={v}' for k, v in extra.items()) if extra else ''})"
        )
    for key in ("scam_probability", "typology"):
        if key in result:
            click.echo(f"{key}: {result[key]}")
    for reason in result.get("reasons", []):
        click.echo(f"  - {reason['text']}")


@click.group(cls=TangkalGroup)
def allowlist() -> None:
    """Entities never labelled scam."""


@allowlist.command("add")
@click.argument("value")
@click.option("--label", required=True)
@click.option("--kind", default=None)
@click.option("--category", type=click.Choice(allow.CATEGORIES), default="official")
@click.option("--country", default=None)
def allowlist_add(
    value: str, label: str, kind: str | None, category: str, country: str | None
) -> None:
    """Add VALUE to the allowlist."""
    store = open_store()
    try:
        with store.begin() as session:
            e = allow.add(session, value, kind=kind, label=label, category=category,
                          country=_country(country), actor="cli")  # fmt: skip
            click.echo(f"Allowlisted {e.kind} {e.value} ({e.label}) as entry {e.id}.")
    finally:
        store.close()


_SHOWN = 50  # rejected lines listed in text output; --json lists all
_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@allowlist.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(("txt", "csv", "jsonl")), default=None,
              help="Default: from the extension (.csv, .jsonl), else one value per line.")  # fmt: skip
@click.option("--label", default=None, help="Label of the entries that do not name their own.")
@click.option("--category", type=click.Choice(allow.CATEGORIES), default="official",
              show_default=True, help="Default category of the entries.")  # fmt: skip
@click.option("--country", default=None, help="Default ISO country of the entries.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def allowlist_import(
    file: Path, fmt: str | None, label: str | None, category: str, country: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Add every entry of FILE to the allowlist: all of them, or none if any line is wrong.

    FILE is a published list (one domain, URL or number per line, # comments), a CSV with
    a ``value`` column (and optionally label, kind, category, country) or JSON Lines with
    the same fields. Entries already there are counted, not repeated. Exit code 1 when
    any line is rejected; each is listed with its line number, and nothing is stored.
    """
    try:
        text = file.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8 text: {exc}") from exc
    fmt = fmt or _EXTENSIONS.get(file.suffix.lower(), "txt")
    if fmt == "txt" and not (label and label.strip()):
        raise click.UsageError("a plain list names no labels: give --label")
    entries = list(allow.read_entries(text, fmt))
    store = open_store()
    try:
        with store.begin() as session, progress_bar(len(entries), "entries") as bar:
            task = bar.add_task(file.name, total=len(entries), visible=not as_json)
            summary = allow.add_many(
                session, entries, label=label, category=category, country=_country(country),
                actor="cli", progress=lambda done: bar.update(task, completed=done),
            )  # fmt: skip
    finally:
        store.close()
    if as_json:
        emit_json({"file": str(file), **summary.as_dict()})
    else:
        click.echo(
            f"{file}: {summary.read} entries, {summary.added} added, {summary.already} "
            f"already there, {len(summary.rejected)} rejected."
        )
        if summary.rejected:
            click.echo("Nothing was stored.")
        for r in summary.rejected[:_SHOWN]:
            click.echo(f"  line {r.line}: {r.value}: {r.field}: {r.detail}", err=True)
        if len(summary.rejected) > _SHOWN:
            click.echo(f"  … and {len(summary.rejected) - _SHOWN} more (use --json)", err=True)
        for asked, stored in summary.widened:
            click.echo(f"  {asked} is allowlisted as its domain {stored}")
    if summary.rejected:
        raise SystemExit(1)


@allowlist.command("list")
@click.option("--json", "as_json", is_flag=True)
def allowlist_list(as_json: bool) -> None:
    """List allowlist entries."""
    store = open_store()
    try:
        with store.read() as session:
            rows = [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "value": e.value,
                    "label": e.label,
                    "category": e.category,
                }
                for e in session.scalars(select(AllowlistEntry).order_by(AllowlistEntry.id))
            ]
    finally:
        store.close()
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            click.echo(
                f"{r['id']:>4}  {r['kind']:<8} {r['value']:<30} {r['category']:<9} {r['label']}"
            )


@allowlist.command("remove")
@click.argument("entry_id", type=int)
def allowlist_remove(entry_id: int) -> None:
    """Remove an entry by id."""
    store = open_store()
    try:
        with store.begin() as session:
            allow.remove(session, entry_id, actor="cli")
    finally:
        store.close()
    click.echo(f"Removed allowlist entry {entry_id}.")
