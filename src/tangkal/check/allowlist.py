"""The allowlist: loaded from the shipped, versioned data file and managed by API and CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tangkal.audit.log import record
from tangkal.check.models import AllowlistEntry
from tangkal.errors import InvalidInput, NotFound
from tangkal.report.normalize import normalize

__all__ = ["Allowed", "add", "load_shipped", "matches", "remove", "shipped"]

CATEGORIES = ("official", "platform")


@dataclass(frozen=True, slots=True)
class Allowed:
    kind: str
    value: str
    label: str
    category: str


@cache
def shipped() -> dict[str, Any]:
    text = resources.files("tangkal.data").joinpath("allowlist.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


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
    if category not in CATEGORIES:
        raise InvalidInput(f"must be one of: {', '.join(CATEGORIES)}", field="category")
    found = normalize(value, kind, country)
    # A URL is allowlisted through its registered domain: that is what the entity owns.
    k, v = (
        ("domain", found.attributes["registered_domain"])
        if found.kind == "url"
        else (found.kind, found.value)
    )
    existing = session.scalar(
        select(AllowlistEntry).where(AllowlistEntry.kind == k, AllowlistEntry.value == v)
    )
    if existing is not None:
        return existing
    entry = AllowlistEntry(
        kind=k, value=v, label=label.strip()[:200], category=category, country=country, source=actor
    )
    session.add(entry)
    session.flush()
    record(session, actor, "allowlist.add", "allowlist", entry.id, details={"value": v})
    return entry


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
