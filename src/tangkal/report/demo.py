"""Synthetic scam reports that read like real ones, with planted networks to find.

``generate(n, seed)`` yields ``DemoReport(report, network, reporter)`` lazily:

- ``report`` is a JSON-ready dict in ``ReportIn`` shape with an ``external_id``, so loading
  the same stream twice adds nothing;
- ``network`` is the id of the planted syndicate the report belongs to (``"N0001"``…) or
  None for a background report;
- ``reporter`` says who files it: a citizen (``key``) or an organisation (``org``).

The stream is deterministic for ``(n, seed, until)``. What it promises the domains that
test against it (linking must recover the networks with an adjusted Rand index ≥ 0.99):

- each network's reports form one connected component through shared indicators (every
  report after a network's first reuses at least one value an earlier one used);
- different networks and background reports never share an indicator, except hubs:
  ``is_hub(kind, value)`` is true for platform and shortener domains (wa.me, t.me,
  bit.ly, facebook.com, google.com…), allowlisted official domains and their URLs, and
  allowlisted hotlines. Hubs are put into many reports on purpose.

Realism: ten ASEAN states weighted by reporting volume; valid mobile numbers written the
way people write them; each country's banks, e-wallets, currency and languages;
typologies in plausible proportions; log-normal losses in local currency; narratives in
the victim's language with the indicators inside the text and given as ``indicators``.

>>> item = next(generate(1, seed=7))
>>> item.report["victim_country"] in ASEAN and item.report["external_id"]
'demo:7:0'
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.access.tokens import add_organisation
from tangkal.data import allowlist
from tangkal.report.demo_data import (
    CHANNEL_NAMES,
    CHANNELS,
    COUNTRIES,
    CRYPTO_RATE,
    LINK_RATE,
    MEDIAN_USD,
    NAMES,
    NETWORK_TYPOLOGY,
    ORG_GRADE,
    ORG_SOURCE,
    ORGS,
    PAGE_URL,
    PATHS,
    SCAM_BASES,
    SHOPS,
    TEXT,
    TYPOLOGY_WEIGHTS,
)
from tangkal.report.demo_values import (
    Value,
    ValueFactory,
    account_text,
    local_amount,
    money,
    phone_text,
)
from tangkal.report.intake import Filed, file_reports, refresh_evidence
from tangkal.report.models import Report, ReportIndicator
from tangkal.report.normalize import canonical_url
from tangkal.report.prepare import prepare, score
from tangkal.report.schema import parse_report

__all__ = [
    "ASEAN",
    "HUB_DOMAINS",
    "DemoReport",
    "Reporter",
    "file_demo",
    "generate",
    "is_hub",
]

ASEAN = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN")
# Platforms and shorteners: one value in thousands of unrelated reports.
HUB_DOMAINS = frozenset(
    {"wa.me", "t.me", "bit.ly", "s.id", "tinyurl.com", "facebook.com", "google.com",
     "line.me", "zalo.me", "instagram.com", "tiktok.com"}
)  # fmt: skip
_DAYS = 540  # about eighteen months of history


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who files a report: a citizen (``key``) or an organisation named ``org``."""

    key: str | None
    org: str | None = None
    org_type: str | None = None
    country: str = "ID"
    trusted: bool = False


@dataclass(frozen=True, slots=True)
class DemoReport:
    """One generated report: its ``ReportIn`` dict, planted network and reporter."""

    report: dict[str, Any]
    network: str | None
    reporter: Reporter


@cache
def _allowlist() -> tuple[frozenset[str], frozenset[str]]:
    """(official domains, allowlisted phones) from the shipped allowlist file."""
    entries = allowlist()["entries"]
    domains = {e["value"] for e in entries if e["kind"] == "domain"}
    phones = {e["value"] for e in entries if e["kind"] == "phone"}
    return frozenset(domains), frozenset(phones)


def is_hub(kind: str, value: str) -> bool:
    """True for values that many unrelated reports share on purpose (see module doc).

    >>> is_hub("domain", "bit.ly"), is_hub("phone", "+6281234567890")
    (True, False)
    """
    domains, phones = _allowlist()
    if kind == "domain":
        return value in HUB_DOMAINS or value in domains
    if kind == "phone":
        return value in phones
    if kind == "url":
        found = canonical_url(value)
        return found is not None and found[2] in domains and found[2] not in HUB_DOMAINS
    return False


# ---- values: unique by construction, written the way people write them -------------


@dataclass(slots=True)
class _Network:
    id: str
    countries: tuple[str, ...]  # where its victims live
    bases: tuple[str, ...]  # where its phones come from
    typology: str
    start: int  # days before ``until`` it began
    span: int  # days it stayed active
    size: int
    pools: dict[str, list[Value]] = field(default_factory=dict)
    used: list[Value] = field(default_factory=list)
    used_ids: set[int] = field(default_factory=set)


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _plan_networks(n: int, rng: random.Random) -> list[int]:
    """Sizes of the planted networks: about 30% of reports, a few large, many small."""
    sizes: list[int] = []
    left = round(n * 0.3)
    cap = max(3, min(600, n // 15))
    while left >= 3:
        size = min(cap, max(3, int(rng.lognormvariate(math.log(10), 0.9))))
        size = left if left - size < 3 else size
        sizes.append(size)
        left -= size
    return sizes


def _new_network(index: int, size: int, rng: random.Random) -> _Network:
    weights = [COUNTRIES[c].weight for c in ASEAN]
    home = rng.choices(ASEAN, weights=weights)[0]
    others = [c for c in ASEAN if c != home]
    spread = rng.choice((1, 2, 2, 3, 4)) if size >= 6 else rng.choice((1, 2))
    countries = (home, *rng.sample(others, spread - 1))
    bases = tuple(rng.sample(SCAM_BASES, 2))
    span = rng.randint(30, 300)
    return _Network(
        f"N{index + 1:04d}", countries, bases, _weighted(rng, NETWORK_TYPOLOGY),
        rng.randint(span, _DAYS), span, size,
    )  # fmt: skip


class _Builder:
    """Turns a (network or background) slot plan into one report dict."""

    def __init__(self, seed: int, until: dt.datetime, rng: random.Random) -> None:
        self.seed = seed
        self.until = until
        self.rng = rng
        self.values = ValueFactory(rng)
        self.citizens: list[str] = []

    # -- who, what, how ------------------------------------------------------------

    def reporter(self, country: str) -> Reporter:
        rng, roll = self.rng, self.rng.random()
        if roll < 0.7:
            if self.citizens and rng.random() < 0.05:  # a victim filing a second report
                return Reporter(rng.choice(self.citizens), country=country)
            key = f"citizen:{rng.getrandbits(64):016x}"
            self.citizens = [*self.citizens[-49:], key]
            return Reporter(key, country=country)
        if roll < 0.95:
            name, kind = rng.choice(ORGS[country])
            return Reporter(None, name, kind, country, trusted=True)
        name, kind = ORGS[""][0]
        return Reporter(None, name, kind, "SG", trusted=False)  # a regional volunteer group

    def plan(self, typology: str, country: str) -> tuple[str, list[str], str | None]:
        """(channel, slots, payment method) for one report."""
        rng, c = self.rng, COUNTRIES[country]
        channel = rng.choice(CHANNELS[typology])
        if channel == "whatsapp" and rng.random() < 0.5:
            channel = c.messenger
        slots: list[str] = []
        if channel in ("telegram", "line"):
            slots.append(channel if rng.random() < 0.7 else "phone")
            if rng.random() < 0.3:
                slots.append("phone")
        elif channel in PAGE_URL:
            slots.append(channel)
            if rng.random() < 0.4:
                slots.append("phone")
        elif channel == "email":
            slots.append("email")
        elif channel not in ("website", "app") or rng.random() < 0.3:
            slots.append("phone")
        payment: str | None = None
        if rng.random() > 0.12 or typology not in ("phishing_credentials", "lottery_prize"):
            if rng.random() < CRYPTO_RATE.get(typology, 0.03):
                payment, payee = "crypto", ["crypto"]
            elif c.wallets and rng.random() < 0.3:
                payment, payee = "ewallet", ["ewallet"]
            else:
                payment, payee = "bank_transfer", ["account"]
                if typology in ("investment", "job_task") and rng.random() < 0.3:
                    payee.append("account")  # mule chains: a second account later
            slots.extend(payee)
        if rng.random() < LINK_RATE.get(typology, 0.05):
            slots.append("domain")
        if typology == "phishing_credentials" and "email" not in slots and rng.random() < 0.2:
            slots.append("email")
        return channel, slots, payment

    def draw(self, slot: str, country: str, net: _Network | None) -> Value | None:
        """A fresh value for a background report; a pooled one inside a network."""
        if net is None:
            return self.fresh(slot, country, None)
        pool = net.pools.setdefault(slot, [])
        if not pool or (len(pool) < 1 + net.size // 6 and self.rng.random() < 0.35):
            home = self.rng.choice(net.countries)
            value = self.fresh(slot, home, net)
            if value is None:
                return None
            pool.append(value)
        return self.rng.choice(pool)

    def fresh(self, slot: str, country: str, net: _Network | None) -> Value | None:
        v, rng = self.values, self.rng
        if slot == "phone":
            bases = net.bases if net else SCAM_BASES
            return v.phone(country if rng.random() < 0.7 else rng.choice(bases))
        if slot == "account":
            return v.account(country)
        if slot == "ewallet":
            return v.ewallet(country) or v.account(country)
        if slot == "crypto":
            return v.crypto()
        if slot == "domain":
            return v.domain()
        if slot == "email":
            return v.email()
        if slot in ("telegram", "line"):
            return v.handle(slot)
        return Value("social_handle", (slot, f"{rng.choice(SHOPS)}_{v.token('page')}"), "contact")

    # -- one report ----------------------------------------------------------------

    def report(self, index: int, net: _Network | None) -> DemoReport:
        rng = self.rng
        if net is not None:
            country = net.countries[0] if rng.random() < 0.5 else rng.choice(net.countries)
            typology = net.typology if rng.random() < 0.85 else _weighted(rng, TYPOLOGY_WEIGHTS)
            days = net.start - rng.random() * net.span
        else:
            country = rng.choices(ASEAN, weights=[COUNTRIES[c].weight for c in ASEAN])[0]
            typology = _weighted(rng, TYPOLOGY_WEIGHTS)
            days = _DAYS * rng.random() ** 1.5  # more reports recently
        c = COUNTRIES[country]
        lang = _weighted(rng, dict(c.languages))
        channel, slots, payment = self.plan(typology, country)
        values: list[Value] = []
        for slot in slots:
            value = self.draw(slot, country, net)
            if value is not None and all(value is not w for w in values):
                values.append(value)
        if net is not None:
            self._connect(net, values, country)
        payees = [v for v in values if v.role == "payee" or v.kind == "crypto_wallet"]
        if payees and payment is None:
            payment = {"bank_account": "bank_transfer", "ewallet": "ewallet"}.get(
                payees[0].kind, "crypto"
            )
        loss_usd = rng.lognormvariate(math.log(MEDIAN_USD[typology]), 1.1) if payment else None
        currency = "KHR" if country == "KH" and rng.random() < 0.3 else c.currency
        received = self.until - dt.timedelta(days=days, seconds=rng.randint(0, 86_399))
        text = TEXT[lang]
        parts: list[str] = []
        if rng.random() < 0.3:
            parts.append(str(text["date"]).format(date=received.strftime("%d/%m/%Y")))
        intros: dict[str, str] = text["intro"]  # type: ignore[assignment]
        parts.append(intros.get(typology) or intros["other"])
        structured: list[dict[str, str]] = []
        share = 1.0
        for value in values:
            part = 0.6 if len(payees) > 1 and value is payees[0] else share
            amount = local_amount((loss_usd or 50) * part, currency)
            if value in payees and len(payees) > 1 and value is payees[0]:
                share = 0.4
            parts.append(
                self._sentence(value, text, country, lang, channel, amount, currency,
                               (loss_usd or 50) * part, structured)
            )  # fmt: skip
        parts.extend(self._extras(typology, text, country))
        parts.append(rng.choice(text["end"]))  # type: ignore[arg-type]
        reporter = self.reporter(country)
        report: dict[str, Any] = {
            "external_id": f"demo:{self.seed}:{index}",
            "victim_country": country,
            "received_at": received.isoformat(),
            "source": ORG_SOURCE.get(reporter.org_type or "", "import")
            if reporter.org
            else ("web_form" if rng.random() < 0.85 else "hotline"),
            "language": lang,
            "channel": channel,
            "typology": typology,
            "narrative": " ".join(parts),
            "payment_method": payment,
            "indicators": structured,
            "distribution": "asean" if rng.random() < 0.4 else "national",
            "tlp": "GREEN" if rng.random() < 0.3 else "AMBER",
        }
        grade = ORG_GRADE.get(reporter.org_type or "", ("C", 3) if reporter.org else None)
        report["reliability"], report["credibility"] = grade or ("F", rng.randint(3, 6))
        if loss_usd is not None:
            report["loss_amount"] = str(local_amount(loss_usd, currency))
            report["loss_currency"] = currency
        if reporter.org is None or rng.random() < 0.5:
            report["victim_contact"] = self._victim(country)
        return DemoReport(report, net.id if net else None, reporter)

    def _connect(self, net: _Network, values: list[Value], country: str) -> None:
        """Tie the report to its network: reuse a value an earlier report already used."""
        if net.used and not any(id(v) in net.used_ids for v in values):
            values.append(self.rng.choice(net.used))
        if not values:
            first = self.draw("phone", country, net)
            assert first is not None  # phones never run out for a country
            values.append(first)
        for v in values:
            if id(v) not in net.used_ids:
                net.used_ids.add(id(v))
                net.used.append(v)

    def _sentence(
        self, v: Value, text: dict[str, object], victim: str, lang: str, channel: str,
        amount: int, currency: str, usd: float, out: list[dict[str, str]],
    ) -> str:  # fmt: skip
        rng = self.rng

        def say(key: str, **kw: str) -> str:
            return str(text[key]).format(**kw)

        if v.kind == "phone":
            country, nsn = v.data
            cc = COUNTRIES[country].cc
            name = CHANNEL_NAMES.get(channel, "WhatsApp")
            if channel not in ("whatsapp", "telegram", "line", "zalo", "sms", "call"):
                name = "WhatsApp"
            elif channel == "call":
                name = str(text["call"])
            shown = phone_text(country, nsn, victim, rng)
            out.append({"kind": "phone", "value": shown, "role": "contact"})
            if name == "WhatsApp" and rng.random() < 0.3:
                shown = f"https://wa.me/{cc}{nsn}"  # a hub link that names the number
            return say("contact", channel=name, phone=shown)
        if v.kind == "social_handle":
            platform, handle = v.data
            out.append({"kind": "social_handle", "value": f"{platform}:{handle}"})
            if platform in PAGE_URL:
                return say("page", url=PAGE_URL[platform].format(handle))
            hub = rng.random() < 0.3
            if platform == "telegram":
                shown = f"https://t.me/{handle}" if hub else f"Telegram @{handle}"
            else:
                shown = f"https://line.me/ti/p/~{handle}" if hub else f"LINE ID: {handle}"
            return say("handle", handle=shown)
        if v.kind == "email":
            out.append({"kind": "email", "value": v.data[0], "role": "sender"})
            return say("email", email=v.data[0])
        if v.kind == "crypto_wallet":
            out.append({"kind": "crypto_wallet", "value": v.data[0], "role": "wallet"})
            return say("crypto", amount=f"{max(1, int(usd)):,}", wallet=v.data[0])
        paid = money(amount, currency, lang)
        if v.kind == "bank_account":
            country, bank, digits = v.data
            groups = dict(COUNTRIES[country].banks)[bank]
            shown = account_text(groups, digits, rng)
            holder = NAMES[country][int(digits) % len(NAMES[country])]
            out.append({"kind": "bank_account", "value": f"{bank} {shown}", "role": "payee"})
            return say("bank", amount=paid, bank=bank, account=shown, holder=holder)
        if v.kind == "ewallet":
            country, wallet, nsn = v.data
            shown = phone_text(country, nsn, victim, rng)
            out.append({"kind": "ewallet", "value": f"{wallet} {shown}", "role": "payee"})
            return say("ewallet", amount=paid, wallet=wallet, number=shown)
        domain = v.data[0]
        url = f"https://{domain}/{rng.choice(PATHS)}"
        out.append({"kind": "url", "value": url, "role": "link"})
        out.append({"kind": "domain", "value": domain, "role": "link"})
        if rng.random() < 0.25:  # the victim saw only a short link; the analyst resolved it
            url = (
                f"https://{'s.id' if victim == 'ID' else 'bit.ly'}/{self.values.token('short', 6)}"
            )
        return say("link", url=url)

    def _extras(self, typology: str, text: dict[str, object], country: str) -> list[str]:
        """Hub links, official contacts and OTP codes: shared text that must link nothing."""
        rng, c, out = self.rng, COUNTRIES[country], []
        if typology == "job_task" and rng.random() < 0.15:
            form = (
                f"https://docs.google.com/forms/d/e/1FAIpQL{self.values.token('form', 8)}/viewform"
            )
            out.append(str(text["link"]).format(url=form))
        if typology.startswith(("impersonation", "phishing")) and rng.random() < 0.35:
            if c.hotlines and rng.random() < 0.5:
                out.append(str(text["hotline"]).format(hotline=rng.choice(c.hotlines)))
            elif c.official:
                out.append(str(text["site"]).format(site=rng.choice(c.official)))
        otp_prone = ("phishing_credentials", "account_takeover", "impersonation_business")
        if typology in otp_prone and rng.random() < 0.3:
            out.append(str(text["otp"]).format(otp=f"{rng.randint(0, 999_999):06d}"))
        return out

    def _victim(self, country: str) -> dict[str, str]:
        name = self.rng.choice(NAMES[country])
        phone = self.values.phone(country)
        contact = {"name": name, "phone": phone_text(country, phone.data[1], country, self.rng)}
        if self.rng.random() < 0.3:
            contact["email"] = f"victim.{self.values.token('victim', 6)}@gmail.com"
        return contact


def generate(n: int, seed: int = 0, *, until: dt.datetime | None = None) -> Iterator[DemoReport]:
    """Yield ``n`` demo reports, deterministic for ``(n, seed, until)``.

    ``until`` (default: today, midnight UTC) is the newest possible ``received_at``.

    >>> len(list(generate(20, seed=1)))
    20
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    if until is None:
        until = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    sizes = _plan_networks(n, rng)
    networks = [_new_network(i, size, rng) for i, size in enumerate(sizes)]
    labels = [i for i, size in enumerate(sizes) for _ in range(size)]
    labels.extend([-1] * (n - len(labels)))
    rng.shuffle(labels)
    builder = _Builder(seed, until, rng)
    for index, label in enumerate(labels):
        yield builder.report(index, networks[label] if label >= 0 else None)


def _principals(session: Session, items: Sequence[DemoReport]) -> dict[str, Principal]:
    """The demo organisations named in ``items``, registered on first use."""
    wanted = {i.reporter.org: i.reporter for i in items if i.reporter.org}
    rows = session.scalars(select(Organisation).where(Organisation.name.in_(wanted)))
    orgs = {o.name: o for o in rows}
    for name in sorted(set(wanted) - set(orgs)):
        r = wanted[name]
        assert r.org_type is not None
        orgs[name] = add_organisation(
            session, name, r.country, r.org_type, trusted=r.trusted, actor="demo"
        )
    return {
        name: Principal(o.id, o.name, o.country, o.type, "reporter") for name, o in orgs.items()
    }


def file_demo(session: Session, items: Sequence[DemoReport]) -> list[Filed]:
    """File generated reports in the caller's transaction; results in input order.

    Reports go through the normal intake (``prepare`` and ``file_reports``), one call per
    organisation and one for all citizens of the batch.
    """
    principals = _principals(session, items)
    groups: dict[str, list[int]] = {}
    keys: list[str] = []
    for index, item in enumerate(items):
        r = item.reporter
        keys.append(f"org:{principals[r.org].org_id}" if r.org else str(r.key))
        groups.setdefault(r.org or "", []).append(index)
    out: list[Filed | None] = [None] * len(items)
    for org, members in groups.items():
        prepared = score([prepare(parse_report(items[i].report), keys[i]) for i in members])
        filed = file_reports(
            session, prepared, reporter_key=keys[members[0]], trusted=bool(org),
            principal=principals[org] if org else None, audit_each=False,
        )  # fmt: skip
        if not org:
            _citizen_keys(session, [(f, keys[i]) for i, f in zip(members, filed, strict=True)])
        for i, f in zip(members, filed, strict=True):
            out[i] = f
    return [f for f in out if f is not None]


def _citizen_keys(session: Session, filed: list[tuple[Filed, str]]) -> None:
    """Give each new citizen report its own reporter key, and recount the evidence.

    ``file_reports`` stores one reporter key per call; a call per citizen would cost a
    round of queries per report, so the batch is filed once and the keys set after.
    """
    fresh = [{"id": f.report_id, "reporter_key": key} for f, key in filed if not f.duplicate]
    if not fresh:
        return
    session.execute(update(Report), fresh)
    ids = [row["id"] for row in fresh]
    touched: set[int] = set()
    for i in range(0, len(ids), 500):
        touched.update(
            session.scalars(
                select(ReportIndicator.indicator_id).where(
                    ReportIndicator.report_id.in_(ids[i : i + 500])
                )
            )
        )
    refresh_evidence(session, touched)
