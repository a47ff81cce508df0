"""STIX 2.1 mapping: indicators to plain, JSON-ready STIX dicts and back. Pure: no I/O.

Ids are deterministic (uuid5 over a Tangkal namespace, the node and ``kind:value``), so a
replayed export or sync produces the same objects and peers deduplicate on id+modified.
Phone numbers, bank accounts and crypto wallets use the custom SCO types OpenCTI defines
(``phone-number``, ``bank-account``, ``cryptocurrency-wallet``, flagged with OpenCTI's
``new-sco`` extension) so OpenCTI and MISP's converters read them as the same things.

>>> pattern_for("phone", "+6281234567890")
"[phone-number:value = '+6281234567890']"
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote

__all__ = [
    "EXTENSION_DEFINITION",
    "EXTENSION_ID",
    "TANGKAL_IDENTITY",
    "TLP_MARKING_IDS",
    "IndicatorLike",
    "ParsedIndicator",
    "bundle",
    "distribution_marking",
    "identity",
    "indicator_id",
    "indicator_to_stix",
    "location",
    "observable",
    "pattern_for",
    "report_to_stix",
    "sighting_to_stix",
    "static_objects",
    "stix_to_indicator",
    "timestamp",
    "tlp_marking",
]

NAMESPACE = uuid.UUID("6f0c2a52-3a0e-5c4e-9b1e-74616e676b61")  # fixed forever: ids depend on it
# The namespace STIX 2.1 (section 2.9) fixes for deterministic SCO ids.
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
OCTI_SCO_EXTENSION = "extension-definition--f93e2c80-4231-4f9a-af8b-95c9bd566a82"
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
# The official TLP 2.0 marking definitions (OASIS cti-stix-common-objects).
TLP_MARKING_IDS = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
_EPOCH = "2026-11-28T00:00:00.000Z"
TANGKAL_IDENTITY: dict[str, Any] = {
    "type": "identity",
    "spec_version": "2.1",
    "id": f"identity--{uuid.uuid5(NAMESPACE, 'identity|tangkal-project')}",
    "created": _EPOCH,
    "modified": _EPOCH,
    "name": "Tangkal project",
    "identity_class": "organization",
}
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, 'extension|tangkal|1')}"
EXTENSION_DEFINITION: dict[str, Any] = {
    "type": "extension-definition",
    "spec_version": "2.1",
    "id": EXTENSION_ID,
    "created_by_ref": TANGKAL_IDENTITY["id"],
    "created": _EPOCH,
    "modified": _EPOCH,
    "name": "Tangkal scam evidence",
    "description": "Kind, canonical value, evidence counts and distribution of a Tangkal "
    "indicator; the distribution level and handling codes of a Tangkal marking.",
    "schema": "https://github.com/tangkal/tangkal/blob/main/docs/federation.md#stix-mapping",
    "version": "1.0.0",
    "extension_types": ["property-extension"],
}

# kind -> (SCO type, pattern property)
_SCO = {
    "phone": ("phone-number", "value"),
    "url": ("url", "value"),
    "domain": ("domain-name", "value"),
    "email": ("email-addr", "value"),
    "bank_account": ("bank-account", "account_number"),
    "crypto_wallet": ("cryptocurrency-wallet", "value"),
    "social_handle": ("user-account", "account_login"),
    "ewallet": ("user-account", "user_id"),
}
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_OCTI_TYPES = frozenset({"phone-number", "bank-account", "cryptocurrency-wallet"})
_SIMPLE_PATTERN = re.compile(r"\[\s*([a-z0-9-]+):([a-z_]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]")


class IndicatorLike(Protocol):
    """The columns of ``report.models.Indicator`` the mapping reads."""

    kind: str
    value: str
    attributes: dict[str, Any] | None
    first_seen: dt.datetime | None
    updated_at: dt.datetime
    delisted_at: dt.datetime | None
    typologies: str


@dataclass(frozen=True)
class ParsedIndicator:
    """What an incoming STIX indicator says, in Tangkal's terms."""

    stix_id: str
    kind: str | None
    value: str
    modified: str
    revoked: bool
    labels: tuple[str, ...] = ()
    tlp: str | None = None
    distribution: str | None = None
    handling: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)


def timestamp(when: dt.datetime) -> str:
    """STIX timestamp: UTC, 'Z', microseconds kept so two versions never collide."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _id(type_: str, *parts: str) -> str:
    return f"{type_}--{uuid.uuid5(NAMESPACE, '|'.join((type_, *parts)))}"


def indicator_id(kind: str, value: str, node: str) -> str:
    return _id("indicator", node, f"{kind}:{value}")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _handle_parts(kind: str, value: str, attrs: Mapping[str, Any]) -> dict[str, str]:
    if kind == "social_handle":
        platform, _, login = value.partition(":")
        return {"account_type": platform, "account_login": login}
    provider = str(attrs.get("provider") or "ewallet")
    return {"account_type": f"ewallet-{provider}", "user_id": value}


def pattern_for(kind: str, value: str, attributes: Mapping[str, Any] | None = None) -> str:
    """A STIX pattern that matches exactly this canonical value."""
    sco, prop = _SCO[kind]
    if sco == "user-account":
        parts = _handle_parts(kind, value, attributes or {})
        return "[" + " AND ".join(f"{sco}:{k} = '{_quote(v)}'" for k, v in parts.items()) + "]"
    return f"[{sco}:{prop} = '{_quote(value)}']"


def observable(
    kind: str, value: str, attributes: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The SCO for a value, with the id STIX 2.1 derives from its contributing properties."""
    sco, prop = _SCO[kind]
    if kind == "url":
        # An url SCO must hold a valid URI; the pattern keeps the canonical text.
        value = quote(value, safe=_URI_SAFE)
    props = _handle_parts(kind, value, attributes or {}) if sco == "user-account" else {prop: value}
    canon = json.dumps(props, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    obj: dict[str, Any] = {
        "type": sco,
        "spec_version": "2.1",
        "id": f"{sco}--{uuid.uuid5(SCO_NAMESPACE, canon)}",
        **props,
    }
    if sco in _OCTI_TYPES:
        obj["extensions"] = {OCTI_SCO_EXTENSION: {"extension_type": "new-sco"}}
    return obj


def tlp_marking(tlp: str) -> dict[str, Any]:
    """The official TLP 2.0 marking-definition object."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKING_IDS[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": f"TLP:{tlp}",
        "extensions": {
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.lower()}
        },
    }


def distribution_marking(distribution: str, handling: Iterable[str] = ()) -> dict[str, Any]:
    """Tangkal's marking for a distribution level and its handling codes (same input, same id)."""
    codes = sorted(set(handling))
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": _id("marking-definition", distribution, *codes),
        "created": _EPOCH,
        "created_by_ref": TANGKAL_IDENTITY["id"],
        "name": "Tangkal distribution: " + "; ".join([distribution, *codes]),
        "extensions": {
            EXTENSION_ID: {
                "extension_type": "property-extension",
                "distribution": distribution,
                **({"handling": codes} if codes else {}),
            }
        },
    }


def identity(name: str, *, node: str, country: str | None = None) -> dict[str, Any]:
    """An organisation (or a node, when ``name == node``) as a STIX identity."""
    obj: dict[str, Any] = {
        "type": "identity",
        "spec_version": "2.1",
        "id": _id("identity", node, name),
        "created": _EPOCH,
        "modified": _EPOCH,
        "name": name,
        "identity_class": "organization",
    }
    if country:
        obj["description"] = f"Tangkal node organisation in {country}"
    return obj


def location(country: str) -> dict[str, Any]:
    """A country as a STIX location (same id on every node)."""
    return {
        "type": "location",
        "spec_version": "2.1",
        "id": _id("location", country),
        "created": _EPOCH,
        "modified": _EPOCH,
        "name": country,
        "country": country,
    }


def _markings(tlp: str, distribution: str, handling: Iterable[str]) -> list[str]:
    return [TLP_MARKING_IDS[tlp], distribution_marking(distribution, handling)["id"]]


def indicator_to_stix(
    ind: IndicatorLike,
    *,
    node_identity_id: str,
    node: str,
    distribution: str,
    tlp: str,
    handling: frozenset[str] = frozenset(),
    evidence: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The STIX indicator for one Tangkal indicator; revoked once it is delisted."""
    modified = ind.updated_at
    if ind.delisted_at is not None and ind.delisted_at > modified:
        modified = ind.delisted_at
    created = min(ind.first_seen or modified, modified)
    attrs = dict(ind.attributes or {})
    labels = [t for t in ind.typologies.split(",") if t]
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": indicator_id(ind.kind, ind.value, node),
        "created": timestamp(created),
        "modified": timestamp(modified),
        "created_by_ref": node_identity_id,
        "name": f"Scam {ind.kind.replace('_', ' ')}: {ind.value}"[:250],
        "description": "Reported to Tangkal as used in online scams.",
        "indicator_types": ["malicious-activity"],
        "pattern": pattern_for(ind.kind, ind.value, attrs),
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": timestamp(created),
        "object_marking_refs": _markings(tlp, distribution, handling),
        "extensions": {
            EXTENSION_ID: {
                "extension_type": "property-extension",
                "kind": ind.kind,
                "value": ind.value,
                **({"attributes": {k: str(v) for k, v in attrs.items()}} if attrs else {}),
                "distribution": distribution,
                "tlp": tlp,
                **({"handling": sorted(handling)} if handling else {}),
                **_plain(evidence or {}),
            }
        },
    }
    if labels:
        obj["labels"] = labels
    if ind.delisted_at is not None:
        obj["revoked"] = True
    return obj


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}


def sighting_to_stix(
    *,
    indicator: Mapping[str, Any],
    count: int,
    countries: Iterable[str],
    first_seen: dt.datetime | None,
    last_seen: dt.datetime | None,
    node_identity_id: str,
) -> dict[str, Any]:
    """How often and in which countries the indicator's value was reported."""
    obj: dict[str, Any] = {
        "type": "sighting",
        "spec_version": "2.1",
        "id": _id("sighting", indicator["id"]),
        "created": indicator["created"],
        "modified": indicator["modified"],
        "created_by_ref": node_identity_id,
        "sighting_of_ref": indicator["id"],
        "count": max(0, min(count, 999_999_999)),
        "object_marking_refs": indicator["object_marking_refs"],
    }
    refs = [location(c)["id"] for c in sorted(set(countries))]
    if refs:
        obj["where_sighted_refs"] = refs
    if first_seen and last_seen:
        obj["first_seen"] = timestamp(first_seen)
        obj["last_seen"] = timestamp(max(first_seen, last_seen))
    return obj


def report_to_stix(
    name: str,
    *,
    key: str,
    node: str,
    published: dt.datetime,
    object_refs: list[str],
    node_identity_id: str,
    description: str = "",
    marking_refs: list[str] | None = None,
) -> dict[str, Any]:
    """A STIX report grouping objects, e.g. a scam network or a case (``key`` makes the id)."""
    obj: dict[str, Any] = {
        "type": "report",
        "spec_version": "2.1",
        "id": _id("report", node, key),
        "created": timestamp(published),
        "modified": timestamp(published),
        "created_by_ref": node_identity_id,
        "name": name,
        "published": timestamp(published),
        "report_types": ["threat-report"],
        "object_refs": object_refs,
    }
    if description:
        obj["description"] = description
    if marking_refs:
        obj["object_marking_refs"] = marking_refs
    return obj


def static_objects(node: str, country: str) -> list[dict[str, Any]]:
    """Objects every export and collection carries: identities, markings, the extension."""
    from tangkal.share.policy import LEVELS, TLP  # the mapping stays importable alone

    objects = [TANGKAL_IDENTITY, EXTENSION_DEFINITION, identity(node, node=node, country=country)]
    objects += [tlp_marking(t) for t in TLP if t != "RED"]
    objects += [distribution_marking(level) for level in LEVELS[2:]]
    return objects


def bundle(objects: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A STIX 2.1 bundle; its id is random, as bundles are transport, not data."""
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


_REVERSE = {(sco, prop): kind for kind, (sco, prop) in _SCO.items() if sco != "user-account"}


def _from_pattern(pattern: str) -> tuple[str | None, str]:
    """Kind and value of a single-comparison pattern; anything richer is refused."""
    matches = list(_SIMPLE_PATTERN.finditer(pattern))
    if len(matches) == 1 and matches[0].span() == (0, len(pattern.strip())):
        sco, prop, raw = matches[0].groups()
        kind = _REVERSE.get((sco, prop))
        if kind is None:
            raise ValueError(f"pattern on {sco}:{prop} has no Tangkal indicator kind")
        return kind, _unquote(raw)
    raise ValueError("only patterns that compare one observable value are imported")


def stix_to_indicator(obj: Mapping[str, Any]) -> ParsedIndicator:
    """Read a STIX indicator (ours or a foreign one) back; ValueError names what is wrong."""
    if obj.get("type") != "indicator":
        raise ValueError(f"expected an indicator, got {obj.get('type')!r}")
    for name in ("id", "modified", "pattern"):
        if not isinstance(obj.get(name), str):
            raise ValueError(f"indicator without {name}")
    if obj.get("pattern_type", "stix") != "stix":
        raise ValueError(f"pattern_type {obj.get('pattern_type')!r} is not imported")
    ext = obj.get("extensions", {}).get(EXTENSION_ID)
    if isinstance(ext, dict) and isinstance(ext.get("value"), str):
        kind: str | None = str(ext["kind"])
        value = str(ext["value"])
        attributes = dict(ext.get("attributes") or {})
        # The pattern is what every other STIX reader acts on: an extension naming another
        # value would make this node store one thing while OpenCTI or MISP block another.
        if kind not in _SCO or obj["pattern"] != pattern_for(kind, value, attributes):
            raise ValueError("the pattern and the Tangkal extension name different values")
    else:
        kind, value = _from_pattern(str(obj["pattern"]))
        attributes = {}
        ext = {}
    tlp = next(
        (t for t, i in TLP_MARKING_IDS.items() if i in obj.get("object_marking_refs", ())), None
    )
    return ParsedIndicator(
        stix_id=str(obj["id"]),
        kind=kind,
        value=value,
        modified=str(obj["modified"]),
        revoked=bool(obj.get("revoked", False)),
        labels=tuple(str(x) for x in obj.get("labels", ())),
        tlp=tlp or (str(ext["tlp"]) if ext.get("tlp") else None),
        distribution=str(ext["distribution"]) if ext.get("distribution") else None,
        handling=frozenset(str(h) for h in ext.get("handling", ())),
        countries=tuple(str(c) for c in ext.get("countries", ())),
        attributes=attributes,
    )
