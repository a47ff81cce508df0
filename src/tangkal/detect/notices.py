"""Synthetic legitimate notices (and notice-shaped scams) for training the message model.

The labelled sets in ``../shared/data`` hold almost no legitimate notices of banks,
couriers, utilities and government bodies in Filipino, Malay or the English of Singapore,
the Philippines and Malaysia: every Filipino text is a scam report, and the English bank-
like texts are mostly smishing. So the character model learnt "Tagalog" and "bank notice in
English" as scam evidence. This module writes such notices from hand-written templates
(``data/notices.json``: templates per language and category, senders per country with
their official domains from ``data/brands.json``) by filling their slots at random with a
fixed seed: sender, amount in the local currency format, masked account, date, time,
reference, code, courier link, closing phrase. Notice shapes with a personal number to
call, a request for the code or a fee to pay make a smaller set of notice-shaped scams
(label 1), so the model learns the difference rather than "notice-shaped means safe".
(Scams with a look-alike link were tried and dropped: they taught the model that a notice
with any non-official link is a scam, and real Thai couriers send their own short links.)

Training time only (``tangkal detect train`` / ``evaluate``); scoring never imports it.
Nothing here is a victim's data: accounts and cards are masked, no person is named (a
courier rider goes by a common first name only), and links and numbers to call are the
institutions' own (scams: made-up mobile numbers). Since session 11 the templates also
cover everyday messages (service interruptions, cash-on-delivery riders, school and
community notices, promotions, family errands and bill splits); a language may instead get
only a few of its ``everyday`` templates (``generate(..., group="everyday")``).
"""

from __future__ import annotations

import json
import random
import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "SyntheticNotice",
    "generate",
    "notice_data",
]

LANGUAGES = ("id", "ms", "th", "vi", "tl", "en", "km", "my", "lo")
CATEGORIES = (
    "bank_alert",
    "card",
    "otp",
    "security",
    "courier",
    "bill",
    "topup",
    "ewallet",
    "instalment",
    "government",
    "appointment",
    "receipt",
)
_SLOT = re.compile(r"\{(\w+)\}")
# Sender kinds of ``notices.json`` (``senders``: country -> sector -> name, domain, hotline).
SECTORS = frozenset(
    {"bank", "wallet", "courier", "telco", "utility", "tax", "civil", "social", "health",
     "service", "insurer", "clinic", "merchant"}
)  # fmt: skip
_NEEDS = {"link": "domain", "domain": "domain", "hotline": "hotline"}


@dataclass(frozen=True, slots=True)
class SyntheticNotice:
    """One generated text: ``label`` 0 for a notice, 1 for a notice-shaped scam."""

    text: str
    language: str
    category: str
    label: int


@lru_cache(maxsize=1)
def notice_data() -> dict[str, Any]:
    """The templates and senders of ``data/notices.json``."""
    raw = resources.files("tangkal.detect").joinpath("data/notices.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _group(number: int, sep: str) -> str:
    return f"{number:,}".replace(",", sep)


def _money(rng: random.Random, spec: dict[str, Any]) -> str:
    """An amount in one of the language's currency formats (``notices.json`` ``money``)."""
    low, high = spec["range"]
    # Log-uniform: small and large amounts alike, rounded as real ones are.
    value = 10 ** rng.uniform(low, high)
    step = spec.get("step", 1)
    whole = max(step, int(value) // step * step)
    cents = rng.choice(["00", "00", _digits(rng, 2)]) if spec.get("cents", True) else "00"
    pattern = rng.choice(spec["formats"])
    return str(pattern).format(
        dot=_group(whole, "."), comma=_group(whole, ","), plain=str(whole), space=_group(whole, " "),
        c=cents,
    )  # fmt: skip


def _mask(rng: random.Random, styles: list[str]) -> str:
    return rng.choice(styles).replace("#", "{}").format(*_digits(rng, 4))


def _strip_marks(text: str) -> str:
    """Vietnamese typed without diacritics, as half the Vietnamese SMS are."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


class _Filler:
    """Fills one template's slots for one text (one country, one sender per sector)."""

    def __init__(self, rng: random.Random, language: str, scam: bool) -> None:
        data = notice_data()
        self.rng = rng
        self.lang = data["languages"][language]
        self.shared = data["shared"]
        self.country = rng.choice(self.lang["countries"])
        self.senders: dict[str, list[dict[str, str]]] = data["senders"][self.country]
        self.money: dict[str, Any] = data["money"][self.country]
        self.scam = scam
        self.values: dict[str, str] = {}
        self.chosen: dict[str, dict[str, str]] = {}

    def can_fill(self, template: str) -> bool:
        """Whether this country has a sender for every sender slot of ``template``."""
        for slot in _SLOT.findall(template):
            sector, _, field = slot.rpartition("_")
            if slot in SECTORS:
                sector, field = slot, "name"
            if sector not in SECTORS:
                continue
            need = _NEEDS.get(field)
            entries = self.senders.get(sector, [])
            if not any(need is None or e.get(need) for e in entries):
                return False
        return True

    def _sender(self, sector: str, need: str | None) -> dict[str, str]:
        if sector not in self.chosen or (need and not self.chosen[sector].get(need)):
            entries = [e for e in self.senders[sector] if need is None or e.get(need)]
            self.chosen[sector] = self.rng.choice(entries)
        return self.chosen[sector]

    def value(self, slot: str) -> str:
        if slot in self.values:
            return self.values[slot]
        value = self._compute(slot)
        self.values[slot] = value
        return value

    def _compute(self, slot: str) -> str:
        rng, lang = self.rng, self.lang
        if slot in self.senders:
            return self._sender(slot, None)["name"]
        sector, _, field = slot.rpartition("_")
        if sector in self.senders:
            if field == "name":
                return self._sender(sector, None)["name"]
            if field == "hotline":
                return self._sender(sector, "hotline")["hotline"]
            domain = self._sender(sector, "domain")["domain"]
            if field == "domain":
                return domain
            if field == "link":
                return str(rng.choice(self.shared["link_forms"])).format(domain=domain)
        money = self.money
        if slot in {"amount", "amount2", "balance", "fee"}:
            spec = dict(money)
            if slot == "fee":
                spec["range"] = money.get("fee_range", money["range"])
            return _money(rng, spec)
        if slot == "acct":
            return _mask(rng, self.shared["masks"])
        if slot == "card":
            return _digits(rng, 4)
        if slot == "otp":
            return _digits(rng, rng.choice([6, 6, 6, 4, 8]))
        if slot == "refcode":
            return "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
        if slot == "ref":
            return str(rng.choice(self.shared["refs"])).format(
                d6=_digits(rng, 6), d8=_digits(rng, 8), d10=_digits(rng, 10), d12=_digits(rng, 12),
                A="".join(rng.choice(string.ascii_uppercase) for _ in range(2)),
            )  # fmt: skip
        if slot == "tracking":
            prefix = "".join(rng.choice(string.ascii_uppercase) for _ in range(2))
            return prefix + _digits(rng, rng.choice([9, 10, 12]))
        if slot == "date":
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            pattern = rng.choice(lang["dates"])
            return str(pattern).format(
                d=day, dd=f"{day:02d}", mm=f"{month:02d}", mon=lang["months"][month - 1],
                yy=rng.choice([25, 26]), yyyy=rng.choice([2025, 2026]),
                be=rng.choice([68, 69]), beyyyy=rng.choice([2568, 2569]),
            )  # fmt: skip
        if slot == "time":
            hour, minute = rng.randint(0, 23), rng.randint(0, 59)
            return str(rng.choice(self.shared["times"])).format(
                h=hour, hh=f"{hour:02d}", mi=f"{minute:02d}", ss=f"{rng.randint(0, 59):02d}",
                h12=hour % 12 or 12, ap="AM" if hour < 12 else "PM",
            )  # fmt: skip
        if slot == "minutes":
            return str(rng.choice([2, 3, 5, 5, 10, 15, 30]))
        if slot == "days":
            return str(rng.choice([1, 2, 3, 5, 7, 14, 30]))
        if slot == "gb":
            return str(rng.choice([1, 2, 3, 5, 8, 10, 15, 20, 30, 50]))
        if slot == "mobile":  # a personal number (scams only)
            return str(rng.choice(money["mobiles"])).format(
                d7=_digits(rng, 7), d8=_digits(rng, 8), d9=_digits(rng, 9)
            )
        if slot == "rail":
            return str(rng.choice(money["rails"]))
        if slot == "year":
            return str(rng.choice([2024, 2025, 2026]))
        if slot == "token":  # a prepaid electricity token: five groups of four digits
            return "-".join(_digits(rng, 4) for _ in range(5))
        if slot == "month":
            return str(rng.choice(lang["months"]))
        if slot in lang["phrases"]:
            return str(rng.choice(lang["phrases"][slot]))
        if slot in self.shared["phrases"]:
            return str(rng.choice(self.shared["phrases"][slot]))
        raise KeyError(f"unknown slot {{{slot}}} in a {self.country} template")

    def fill(self, template: str) -> str:
        # Phrases may hold slots of their own ("call {bank_hotline}"): fill twice.
        text = _SLOT.sub(lambda m: self.value(m.group(1)), template)
        return _SLOT.sub(lambda m: self.value(m.group(1)), text)


def _one(
    rng: random.Random, language: str, scam: bool, group: str = "templates"
) -> SyntheticNotice:
    lang = notice_data()["languages"][language]
    bank = lang["scams"] if scam else lang[group]
    categories = sorted(bank)
    while True:
        filler = _Filler(rng, language, scam)
        category = rng.choice(categories)
        template = rng.choice(bank[category])
        if not filler.can_fill(template):
            continue
        text = " ".join(filler.fill(template).split())
        if language == "vi" and rng.random() < 0.4:
            text = _strip_marks(text)
        return SyntheticNotice(text, language, category, int(scam))


def generate(
    per_language: int,
    seed: int,
    scams_per_language: int = 0,
    languages: Sequence[str] = LANGUAGES,
    group: str = "templates",
) -> list[SyntheticNotice]:
    """``per_language`` notices (and ``scams_per_language`` notice-shaped scams) per language.

    Deterministic for a seed: each language and kind has its own ``random.Random`` seeded by
    a string, which does not depend on ``PYTHONHASHSEED`` nor on the other languages asked
    for. Exact repeats are dropped (a few hundred attempts at most per text asked).
    """
    out: list[SyntheticNotice] = []
    seen: set[str] = set()
    for language in languages:
        for scam, count in ((False, per_language), (True, scams_per_language)):
            if scam and not notice_data()["languages"][language].get("scams"):
                continue
            salt = "" if group == "templates" else f":{group}"
            rng = random.Random(f"tangkal-notices:{seed}:{language}:{int(scam)}{salt}")
            made = attempts = 0
            while made < count and attempts < count * 5:
                attempts += 1
                notice = _one(rng, language, scam, group)
                if notice.text in seen:
                    continue
                seen.add(notice.text)
                out.append(notice)
                made += 1
    return out
