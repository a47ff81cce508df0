"""What an analyst needs to know about one network, and what a public check may say of it.

>>> # network_profile(session, "N-NODLE477")["victims"] -> {"ID": 3, "MY": 1}

Which network a checked value belongs to is looked up with its evidence, in
``check.lookup.decide_all``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput, NotFound
from tangkal.link.hubs import HubRules
from tangkal.link.models import Network, NetworkEvent, NetworkMember
from tangkal.link.summary import INFRA_KINDS, network_as_dict
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.report.money import RateTable, default_rates

__all__ = [
    "get_network",
    "key_indicators",
    "network_profile",
    "public_summary",
]

KEY_KINDS = {
    "bank_account": "account",
    "ewallet": "account",
    "crypto_wallet": "wallet",
    "phone": "number",
}


def get_network(session: Session, network_id: str) -> Network:
    """The network, or NotFound naming the id (with where it went, if it was merged)."""
    if not isinstance(network_id, str) or not network_id.startswith("N-") or len(network_id) > 12:
        raise InvalidInput("a network id looks like N-ABCD2345", field="id")
    net = session.get(Network, network_id)
    if net is not None:
        return net
    gone = session.scalars(
        select(NetworkEvent)
        .where(NetworkEvent.kind == "merge")
        .order_by(NetworkEvent.id.desc())
        .limit(200)
    ).all()
    for ev in gone:
        if network_id in ev.others:
            raise NotFound(f"network {network_id} was merged into {ev.network_id}", field="id")
    raise NotFound(f"no network {network_id}", field="id")


def key_indicators(
    session: Session, network_id: str, *, rules: HubRules | None = None, limit: int = 15
) -> list[dict[str, Any]]:
    """The values that hold the network together, most shared first (hubs left out)."""
    rules = rules or HubRules.load(session)
    m, ri, i = NetworkMember, ReportIndicator, Indicator
    shared = func.count(func.distinct(m.report_id))
    rows = session.execute(
        select(i.id, i.kind, i.value, i.attributes, shared)
        .join(ri, ri.indicator_id == i.id)
        .join(m, m.report_id == ri.report_id)
        .where(m.network_id == network_id, i.delisted_at.is_(None))
        .group_by(i.id)  # PostgreSQL: the other columns depend on the key
        .having(shared >= 2)
        .order_by(shared.desc(), i.id)
        .limit(limit * 4)
    )
    out = []
    for _iid, kind, value, attrs, n in rows:
        if rules.reason(kind, value) is not None:
            continue
        out.append(
            {
                "kind": kind,
                "value": value,
                "reports": n,
                "role": KEY_KINDS.get(kind, "other"),
                "country": _infra_country(kind, value, attrs or {}),
            }
        )
    return out[:limit]


def _infra_country(kind: str, value: str, attrs: dict[str, Any]) -> str | None:
    country = attrs.get("country")
    if isinstance(country, str) and len(country) == 2:
        return country
    if kind == "phone" or (kind == "ewallet" and value.startswith("+")):
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(value))
        except phonenumbers.NumberParseException:
            return None
        return region if region and region != "ZZ" else None
    return None


def _weekly(dates: Iterable[dt.datetime]) -> list[dict[str, Any]]:
    weeks = Counter(f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in dates)
    total = 0
    out = []
    for week in sorted(weeks):
        total += weeks[week]
        out.append({"week": week, "reports": weeks[week], "cumulative": total})
    return out


def network_profile(
    session: Session, network_id: str, *, rates: RateTable | None = None
) -> dict[str, Any]:
    """Reports, victims, losses (per currency and USD), typologies, growth, key values."""
    net = get_network(session, network_id)
    rates = rates or default_rates()
    rows = session.execute(
        select(
            Report.received_at,
            Report.victim_country,
            Report.typology,
            Report.loss_amount,
            Report.loss_currency,
            Report.loss_usd,
        )
        .join(NetworkMember, NetworkMember.report_id == Report.id)
        .where(NetworkMember.network_id == network_id)
    ).all()
    victims: Counter[str] = Counter()
    typologies: Counter[str] = Counter()
    per_currency: dict[str, Decimal] = {}
    usd = Decimal(0)
    for received, country, typology, amount, currency, loss_usd in rows:
        victims[country] += 1
        typologies[typology] += 1
        if amount is not None and currency:
            per_currency[currency] = per_currency.get(currency, Decimal(0)) + amount
            if loss_usd is None and rates.has(currency):
                loss_usd = rates.to_usd(amount, currency, received.date())
        usd += loss_usd or 0
    rules = HubRules.load(session)
    keys = key_indicators(session, network_id, rules=rules)
    infra = _infrastructure(session, network_id)
    victim_set = set(victims)
    reasons = []
    if len(victim_set) >= 2:
        reasons.append(f"victims in {len(victim_set)} countries")
    foreign = sorted(set(infra) - victim_set)
    if foreign:
        reasons.append(f"infrastructure in {', '.join(foreign)}")
    events = session.scalars(
        select(NetworkEvent)
        .where(NetworkEvent.network_id == network_id)
        .order_by(NetworkEvent.id.desc())
        .limit(50)
    ).all()
    return {
        **network_as_dict(net),
        "victims": dict(victims.most_common()),
        "typologies": dict(typologies.most_common()),
        "loss": {
            "usd_total": float(usd.quantize(Decimal("0.01"))),
            "by_currency": {c: float(v) for c, v in sorted(per_currency.items())},
        },
        "weekly": _weekly(r[0] for r in rows),
        "key_indicators": keys,
        "infrastructure": infra,
        "cross_border": bool(reasons),
        "cross_border_reasons": reasons,
        "history": [
            {"at": e.at.isoformat(), "kind": e.kind, "others": e.others, "details": e.details}
            for e in events
        ],
    }


def _infrastructure(session: Session, network_id: str) -> dict[str, dict[str, int]]:
    """Country -> {kind: distinct values} for phones, bank accounts and e-wallets."""
    # No DISTINCT: PostgreSQL cannot compare json values; duplicates are dropped by id.
    rows = session.execute(
        select(Indicator.id, Indicator.kind, Indicator.value, Indicator.attributes)
        .join(ReportIndicator, ReportIndicator.indicator_id == Indicator.id)
        .join(NetworkMember, NetworkMember.report_id == ReportIndicator.report_id)
        .where(NetworkMember.network_id == network_id, Indicator.kind.in_(INFRA_KINDS))
    )
    out: dict[str, dict[str, int]] = {}
    seen: set[int] = set()
    for iid, kind, value, attrs in rows:
        if iid in seen:
            continue
        seen.add(iid)
        country = _infra_country(kind, value, attrs or {})
        if country:
            by_kind = out.setdefault(country, {})
            by_kind[kind] = by_kind.get(kind, 0) + 1
    return dict(sorted(out.items()))


def public_summary(network_id: str, reports: int, countries: int) -> dict[str, Any]:
    """What a public check may say of a network: its id and two counts."""
    return {
        "id": network_id,
        "reports": reports,
        "countries": countries,
        "text": f"part of network {network_id}: {reports} reports "
        f"in {countries} {'country' if countries == 1 else 'countries'}",
    }
