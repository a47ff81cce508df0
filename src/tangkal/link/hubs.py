"""Hub values: shared by unrelated reports, so they never join two reports into one network.

A value is a hub when it is a shared platform or shortener (``t.me``, ``bit.ly``), a free
hosting or free mail apex, allowlisted, delisted after a dispute, or reported by more
reports than the degree cap. Without these rules one ``docs.google.com`` would fold every
phishing form on the node into a single "network" — the failure that makes correlation
engines explode. A URL on a hub host still links when it has a path or query: one short
link or one form is specific to its sender; only the bare host (``https://t.me/``) is not.

>>> HubRules.shipped().reason("domain", "tinyurl.com")
'shortener'
>>> HubRules.shipped().reason("url", "https://bit.ly/3xYz") is None
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.check.models import AllowlistEntry

__all__ = ["LINK_KINDS", "HubRules", "shipped_hubs"]

LINK_KINDS = frozenset(
    {
        "phone",
        "bank_account",
        "ewallet",
        "crypto_wallet",
        "url",
        "domain",
        "social_handle",
        "email",
    }
)
_LISTS = ("platforms", "shorteners", "free_hosting", "free_mail")
# Singular reasons, as shown to analysts ("why did these two reports not link?").
_REASON = {
    "platforms": "platform",
    "shorteners": "shortener",
    "free_hosting": "free_hosting",
    "free_mail": "free_mail",
}


@cache
def shipped_hubs() -> dict[str, str]:
    """Hub host -> reason, from the shipped ``link/data/hubs.json`` (see hubs-NOTICE.txt)."""
    text = resources.files("tangkal.link").joinpath("data/hubs.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    hubs: dict[str, str] = {}
    for name in _LISTS:
        for host in data[name]:
            hubs.setdefault(host, _REASON[name])
    return hubs


def _host_and_rest(url: str) -> tuple[str, str]:
    # Canonical URLs are "scheme://host[:port]/path[?query]" (report.normalize).
    _scheme, _, rest = url.partition("://")
    host, slash, tail = rest.partition("/")
    host = host.rpartition("@")[2].split(":")[0]
    return host.removeprefix("www."), tail if slash else ""


@dataclass(frozen=True)
class HubRules:
    """The hub test for one linking run: shipped lists plus this node's allowlist."""

    hosts: dict[str, str]
    # (kind, value) of every allowlist entry; official domains also cover their URLs.
    allowlisted: frozenset[tuple[str, str]]
    official_domains: frozenset[str]

    @classmethod
    def shipped(cls) -> HubRules:
        """The shipped lists alone; one shared object (every check asks for it)."""
        return _shipped_rules()

    @classmethod
    def load(cls, session: Session) -> HubRules:
        """Shipped lists plus the allowlist as stored now (platform and official entries)."""
        rows = session.execute(
            select(AllowlistEntry.kind, AllowlistEntry.value, AllowlistEntry.category)
        ).all()
        return cls(
            shipped_hubs(),
            frozenset((k, v) for k, v, _c in rows),
            frozenset(v for k, v, c in rows if k == "domain" and c == "official"),
        )

    def reason(self, kind: str, value: str) -> str | None:
        """Why ``value`` never links, or None when it may link."""
        if kind not in LINK_KINDS:
            return "kind"
        if (kind, value) in self.allowlisted:
            return "allowlisted"
        if kind == "domain":
            return self.hosts.get(value) or (
                "allowlisted" if value in self.official_domains else None
            )
        if kind == "url":
            host, tail = _host_and_rest(value)
            if self._official(host):
                return "allowlisted"
            if not tail and host in self.hosts:
                return self.hosts[host]
        return None

    def _official(self, host: str) -> bool:
        if not self.official_domains:
            return False
        parts = host.split(".")
        return any(".".join(parts[i:]) in self.official_domains for i in range(len(parts) - 1))


@cache
def _shipped_rules() -> HubRules:
    return HubRules(shipped_hubs(), frozenset(), frozenset())
