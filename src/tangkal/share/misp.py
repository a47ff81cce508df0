"""MISP event JSON out of Tangkal's STIX indicators, and MISP events in as STIX. Pure.

MISP has attribute types for most of what Tangkal tracks (``phone-number``,
``bank-account-nr``, ``btc``…); values without one travel as ``text`` with a comment
naming the kind. TLP and the distribution level ride along as tags.

>>> event = to_misp_event([], info="empty", date=dt.date(2026, 1, 1), tlp="GREEN")
>>> event["Event"]["Tag"]
[{'name': 'tlp:green'}]
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from tangkal.share.stix import EXTENSION_ID, NAMESPACE, TLP_MARKING_IDS, pattern_for, timestamp

__all__ = ["from_misp_event", "to_misp_event"]

# kind -> (MISP attribute type, category)
_TYPES = {
    "phone": ("phone-number", "Financial fraud"),
    "url": ("url", "Network activity"),
    "domain": ("domain", "Network activity"),
    "email": ("email", "Social network"),
    "bank_account": ("bank-account-nr", "Financial fraud"),
    "ewallet": ("text", "Financial fraud"),
    "social_handle": ("text", "Social network"),
}
_CHAINS = {"bitcoin": "btc", "monero": "xmr"}
# MISP attribute type -> Tangkal kind, for import.
_KINDS = {
    "phone-number": "phone",
    "whois-registrant-phone": "phone",
    "url": "url",
    "link": "url",
    "domain": "domain",
    "hostname": "domain",
    "email": "email",
    "email-src": "email",
    "bank-account-nr": "bank_account",
    "iban": "bank_account",
    "btc": "crypto_wallet",
    "xmr": "crypto_wallet",
    "dash": "crypto_wallet",
}


def _tag(tlp: str) -> dict[str, str]:
    return {"name": f"tlp:{tlp.lower()}"}


def _attribute(ind: Mapping[str, Any]) -> dict[str, Any] | None:
    ext = ind.get("extensions", {}).get(EXTENSION_ID, {})
    kind, value = ext.get("kind"), ext.get("value")
    if not isinstance(kind, str) or not isinstance(value, str) or ind.get("revoked"):
        return None
    type_, category = _TYPES.get(kind, ("text", "Other"))
    if kind == "crypto_wallet":
        chain = str(ext.get("attributes", {}).get("chain", ""))
        type_, category = _CHAINS.get(chain, "text"), "Financial fraud"
    tags = [_tag(str(ext.get("tlp", "AMBER")))]
    tags.append({"name": f'tangkal:distribution="{ext.get("distribution", "national")}"'})
    tags += [{"name": f'tangkal:handling="{h}"'} for h in ext.get("handling", ())]
    countries = ",".join(ext.get("countries", ()))
    return {
        "uuid": str(uuid.uuid5(NAMESPACE, str(ind["id"]))),
        "type": type_,
        "category": category,
        "value": value,
        "to_ids": type_ != "text",
        "comment": f"Tangkal {kind}; reports: {ext.get('report_count', 0)}; "
        f"countries: {countries or '-'}",
        "timestamp": str(int(dt.datetime.fromisoformat(ind["modified"]).timestamp())),
        "Tag": tags,
    }


def to_misp_event(
    indicators: Iterable[Mapping[str, Any]], *, info: str, date: dt.date, tlp: str
) -> dict[str, Any]:
    """One MISP event holding an attribute per (unrevoked) Tangkal STIX indicator."""
    attributes = [a for ind in indicators if (a := _attribute(ind)) is not None]
    return {
        "Event": {
            "uuid": str(uuid.uuid5(NAMESPACE, f"misp-event|{info}|{date.isoformat()}")),
            "info": info,
            "date": date.isoformat(),
            "threat_level_id": "2",
            "analysis": "2",
            "distribution": "1",
            "published": False,
            "Tag": [_tag(tlp)],
            "Attribute": attributes,
        }
    }


def _tlp_of(tags: Any) -> str | None:
    for tag in tags or ():
        name = str(tag.get("name", "")) if isinstance(tag, dict) else ""
        if name.lower().startswith("tlp:"):
            level = name[4:].upper().replace("WHITE", "CLEAR")
            if level in TLP_MARKING_IDS:
                return level
    return None


def from_misp_event(data: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """STIX indicators for a MISP event's attributes, and a note per attribute skipped."""
    if not isinstance(data, dict):
        raise ValueError("a MISP event must be a JSON object")
    event = data.get("Event", data)
    if not isinstance(event, dict) or not isinstance(event.get("Attribute", []), list):
        raise ValueError("not a MISP event: no 'Event' with an 'Attribute' list")
    event_tlp = _tlp_of(event.get("Tag")) or "AMBER"
    objects: list[dict[str, Any]] = []
    skipped: list[str] = []
    attributes = list(event.get("Attribute", []))
    for obj in event.get("Object", []) or []:
        attributes += list(obj.get("Attribute", []) if isinstance(obj, dict) else [])
    for i, attr in enumerate(attributes):
        if not isinstance(attr, dict):
            skipped.append(f"Attribute.{i}: not an object")
            continue
        kind = _KINDS.get(str(attr.get("type")))
        value = attr.get("value")
        if kind is None or not isinstance(value, str) or not value.strip():
            skipped.append(f"Attribute.{i}: type {attr.get('type')!r} has no Tangkal kind")
            continue
        try:
            stamp = dt.datetime.fromtimestamp(int(attr.get("timestamp", 0)), dt.UTC)
            key = str(uuid.UUID(str(attr.get("uuid")))) if attr.get("uuid") else None
        except (TypeError, ValueError):
            skipped.append(f"Attribute.{i}: bad timestamp or uuid")
            continue
        key = key or str(uuid.uuid5(NAMESPACE, f"misp|{kind}|{value}"))
        tlp = _tlp_of(attr.get("Tag")) or event_tlp
        objects.append(
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": f"indicator--{key}",
                "created": timestamp(stamp),
                "modified": timestamp(stamp),
                "pattern": pattern_for(kind, value.strip()),
                "pattern_type": "stix",
                "valid_from": timestamp(stamp),
                "object_marking_refs": [TLP_MARKING_IDS[tlp]],
            }
        )
    return objects, skipped
