"""The allowlist: loaded from the shipped, versioned data file and managed by API and CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tangkal.audit.log import record
from tangkal.check.models import AllowlistEntry
from tangkal.data import allowlist
from tangkal.detect.domains import on_list
from tangkal.errors import InvalidInput, NotFound, Rejected
from tangkal.report.normalize import canonical_url, normalize
from tangkal.vocabulary import check_country

__all__ = [
    "Allowed", "ImportSummary", "Rejected", "add", "add_many", "load_shipped", "matches",
    "read_entries", "remove", "shipped",
]  # fmt: skip

CATEGORIES = ("official", "platform")


@dataclass(frozen=True, slots=True)
class Allowed:
    kind: str
    value: str
    label: str
    category: str


def shipped() -> dict[str, Any]:
    return allowlist()


def load_shipped(session: Session) -> int:
    """Insert the shipped entries that are not there yet; returns how many were added."""
    data = shipped()
    rows = [
        {
            "kind": e["kind"],
            "value": e["value"],
            "label": e["label"],
            "country": e.get("country"),
            "category": e.get("category", "official"),
            "source": f"shipped:{data['version']}",
        }
        for e in data["entries"]
    ]
    dialect = session.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(AllowlistEntry)
    before = len(session.scalars(select(AllowlistEntry.id)).all())
    session.execute(ins.on_conflict_do_nothing(index_elements=["kind", "value"]), rows)
    return len(session.scalars(select(AllowlistEntry.id)).all()) - before


@dataclass(frozen=True, slots=True)
class _Key:
    """Where an entry is stored, and what the person asked for (they differ for a URL)."""

    kind: str
    value: str
    asked: str


def _key(value: str, kind: str | None, category: str, country: str | None) -> _Key:
    if category not in CATEGORIES:
        raise InvalidInput(f"must be one of: {', '.join(CATEGORIES)}", field="category")
    try:
        found = normalize(value, kind, country)
    except InvalidInput as exc:  # normalize names the check's parameter, q
        raise InvalidInput(exc.detail, field="value" if exc.field == "q" else exc.field) from None
    # A URL is allowlisted through its registered domain: that is what the entity owns.
    k, v = (
        ("domain", found.attributes["registered_domain"])
        if found.kind == "url"
        else (found.kind, found.value)
    )
    # An official entry vouches for every link under its domain; on a shortener or a free
    # host (bit.ly, sites.google.com) that would vouch for every scammer's page there too.
    if k == "domain" and category == "official":
        split = canonical_url(value)
        host = split[1] if split is not None else v
        if on_list(host, "shorteners.txt") or on_list(host, "free_hosts.txt"):
            raise InvalidInput(
                f"{host} is a link shortener or shared hosting domain: anyone can publish "
                "under it; allowlist it as category 'platform', or the owner's own domain",
                field="value",
            )
    return _Key(k, v, value.strip())


def add(
    session: Session,
    value: str,
    *,
    kind: str | None = None,
    label: str,
    category: str = "official",
    country: str | None = None,
    actor: str,
) -> AllowlistEntry:
    _strings({"value": value, "kind": kind, "label": label, "category": category,
              "country": country})  # fmt: skip
    country = check_country(country) if country is not None else None
    key = _key(value, kind, category, country)
    return _store(session, key, label=label, category=category, country=country, actor=actor)[0]


def _store(
    session: Session, key: _Key, *, label: str, category: str, country: str | None, actor: str
) -> tuple[AllowlistEntry, bool]:
    """The entry under ``key``, added (and audited) unless there; and whether it was added."""
    existing = session.scalar(
        select(AllowlistEntry).where(
            AllowlistEntry.kind == key.kind, AllowlistEntry.value == key.value
        )
    )
    if existing is not None:
        return existing, False
    entry = AllowlistEntry(
        kind=key.kind, value=key.value, label=label.strip()[:200], category=category,
        country=country, source=actor,
    )  # fmt: skip
    session.add(entry)
    session.flush()
    record(session, actor, "allowlist.add", "allowlist", entry.id, details={"value": key.value})
    return entry, True


# ---- Bulk import: a ministry's trusted-sites list, a bank's published hotlines ----------

_FIELDS = ("value", "label", "kind", "category", "country")


@dataclass(slots=True)
class ImportSummary:
    """What an import did. ``widened`` lists values stored as their registered domain."""

    read: int = 0
    added: int = 0
    already: int = 0
    widened: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "added": self.added, "already": self.already,
            "widened": [{"value": a, "stored_as": b} for a, b in self.widened],
            "rejected": [r.as_dict() for r in self.rejected],
        }  # fmt: skip


def read_entries(text: str, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, fields) of each entry of a ``txt``, ``csv`` or ``jsonl`` file.

    Plain text is what published lists look like (one host or number per line, ``#``
    comments); CSV needs a ``value`` column; JSON Lines objects take the same field names.
    """
    if fmt == "txt":
        for number, line in enumerate(text.splitlines(), 1):
            value = line.split("#", 1)[0].strip()
            if value:
                yield number, {"value": value}
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        columns = reader.fieldnames or []
        if "value" not in columns:
            raise InvalidInput("a CSV allowlist needs a 'value' column", field="value")
        unknown = sorted(set(columns) - set(_FIELDS))
        if unknown:
            raise InvalidInput(f"unknown column {unknown[0]!r}", field=unknown[0])
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if v not in (None, "")}
    elif fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            yield number, obj if isinstance(obj, dict) else {"_invalid": line.strip()[:80]}
    else:
        raise InvalidInput(f"unknown format {fmt!r}: txt, csv or jsonl", field="format")


def add_many(
    session: Session,
    entries: Iterable[tuple[int, dict[str, Any]]],
    *,
    label: str | None = None,
    category: str = "official",
    country: str | None = None,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Check every entry, then add them all, or none when any is wrong.

    All or nothing, unlike a report import: an allowlist confers trust, so a file with a
    mistyped line is fixed and loaded again rather than loaded in part. ``label``,
    ``category`` and ``country`` are the defaults of entries that do not name their own.
    """
    summary = ImportSummary()
    keys: list[tuple[_Key, str, str, str | None]] = []
    for number, item in entries:
        summary.read += 1
        shown = str(item.get("value", item.get("_invalid", "")))[:80]
        try:
            keys.append(_checked(item, label, category, country))
        except InvalidInput as exc:
            summary.rejected.append(Rejected(number, exc.field or "line", exc.detail, shown))
    if summary.rejected:
        return summary
    for done, (key, entry_label, entry_category, entry_country) in enumerate(keys, 1):
        _, added = _store(session, key, label=entry_label, category=entry_category,
                          country=entry_country, actor=actor)  # fmt: skip
        summary.added += added
        summary.already += not added
        if key.kind == "domain" and key.value != key.asked.lower():
            summary.widened.append((key.asked, key.value))
        if progress is not None:
            progress(done)
    return summary


def _strings(fields: dict[str, Any]) -> None:
    """Entries come from JSON bodies and files: a list where a string belongs is a 4xx."""
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InvalidInput("must be a string", field=name)


def _checked(
    item: dict[str, Any], label: str | None, category: str, country: str | None
) -> tuple[_Key, str, str, str | None]:
    if "_invalid" in item:
        raise InvalidInput("not a JSON object", field="line")
    unknown = sorted(set(item) - set(_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    _strings(item)
    value = item.get("value", "")
    entry_label = item.get("label") or label
    if not entry_label or not entry_label.strip():
        raise InvalidInput("no label: give the line one or the whole file --label", field="label")
    entry_category = item.get("category", category)
    entry_country = item.get("country", country)
    if entry_country is not None:
        entry_country = check_country(entry_country)
    key = _key(value, item.get("kind"), entry_category, entry_country)
    return key, entry_label, entry_category, entry_country


def remove(session: Session, entry_id: int, *, actor: str) -> None:
    entry = session.get(AllowlistEntry, entry_id)
    if entry is None:
        raise NotFound(f"no allowlist entry {entry_id}", field="id")
    session.execute(delete(AllowlistEntry).where(AllowlistEntry.id == entry_id))
    record(
        session, actor, "allowlist.remove", "allowlist", entry_id, details={"value": entry.value}
    )


def candidates(kind: str, value: str, attributes: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(kind, value, url_scoped) pairs under which ``value`` could be allowlisted.

    ``url_scoped`` marks keys that only count for official entries: a URL or handle on a
    platform domain is not vouched for by the platform's entry.
    """
    keys = [(kind, value, False)]
    if kind == "url" and attributes.get("registered_domain"):
        keys.append(("domain", attributes["registered_domain"], True))
    return keys


def matches(session: Session, kind: str, value: str, attributes: dict[str, str]) -> Allowed | None:
    for k, v, scoped in candidates(kind, value, attributes):
        entry = session.scalar(
            select(AllowlistEntry).where(AllowlistEntry.kind == k, AllowlistEntry.value == v)
        )
        if entry is not None and (not scoped or entry.category == "official"):
            return Allowed(entry.kind, entry.value, entry.label, entry.category)
    return None
