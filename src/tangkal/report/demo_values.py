"""Indicator values for the demo data: unique by construction, written as people write them.

Uniqueness comes from counters taken through a seeded bijection (no set of seen values
to keep), so a million reports cost no memory for it; every phone number is valid for
``phonenumbers``, every wallet carries a correct checksum.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

import base58
import bech32
import phonenumbers
from Crypto.Hash import keccak

from tangkal.report.demo_data import COUNTRIES, DOMAIN_WORDS, RATE_2026, SCAM_TLDS

__all__ = [
    "Value",
    "ValueFactory",
    "account_text",
    "local_amount",
    "mobile_prefixes",
    "money",
    "phone_text",
]

_PERM = 2654435761  # odd and prime to 3 and 5: a bijection modulo 10**k and 36**k
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(slots=True)
class Value:
    kind: str
    data: tuple[str, ...]  # kind-specific parts; see _written / _structured
    role: str


class ValueFactory:
    """Draws indicator values that no other draw returns (counters through a bijection)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counters: dict[str, int] = {}
        self.offsets: dict[str, int] = {}

    def _next(self, space: str) -> int:
        n = self.counters.get(space, 0)
        self.counters[space] = n + 1
        return n

    def _perm(self, space: str, modulus: int) -> int:
        """The next member of the seeded permutation of ``range(modulus)`` for ``space``."""
        n = self._next(space)
        if n >= modulus:
            raise OverflowError(f"demo value space of {modulus} exhausted")
        offset = self.offsets.setdefault(space, self.rng.randrange(modulus))
        return (n * _PERM + offset) % modulus

    def token(self, space: str, width: int = 5) -> str:
        """A unique lower-case base-36 string for ``space`` (domains, handles, paths)."""
        k = self._perm(space, 36**width)
        return "".join(_B36[(k // 36**i) % 36] for i in range(width))

    def phone(self, country: str) -> Value:
        suffix, prefixes = COUNTRIES[country].suffix, mobile_prefixes(country)
        rest = self._perm("phone:" + country, 10**suffix)  # unique on its own
        prefix = prefixes[(rest * 7919 >> 3) % len(prefixes)]
        return Value("phone", (country, prefix + str(rest).zfill(suffix)), "contact")

    def account(self, country: str) -> Value:
        name, groups = self.rng.choice(COUNTRIES[country].banks)
        length = sum(groups)
        n = self._perm(f"account:{length}", 9 * 10 ** (length - 1))
        return Value("bank_account", (country, name, str(10 ** (length - 1) + n)), "payee")

    def ewallet(self, country: str) -> Value | None:
        wallets = COUNTRIES[country].wallets
        if not wallets:
            return None
        phone = self.phone(country)
        return Value("ewallet", (country, self.rng.choice(wallets), phone.data[1]), "payee")

    def crypto(self) -> Value:
        raw = self.rng.randbytes(20)
        roll = self.rng.random()
        if roll < 0.65:
            address = base58.b58encode_check(b"\x41" + raw).decode()
        elif roll < 0.85:
            address = _eip55(raw.hex())
        elif roll < 0.93:
            address = str(bech32.encode("bc", 0, list(raw)))  # None only for bad input
        else:
            address = base58.b58encode_check(b"\x00" + raw).decode()
        return Value("crypto_wallet", (address,), "wallet")

    def domain(self) -> Value:
        words = self.rng.sample(DOMAIN_WORDS, 2)
        tld = self.rng.choice(SCAM_TLDS)
        return Value("domain", (f"{words[0]}-{words[1]}{self.token('domain')}.{tld}",), "link")

    def handle(self, platform: str) -> Value:
        stem = self.rng.choice(("cs", "admin", "mentor", "agent", "vip", "hr", "support"))
        word = self.rng.choice(("invest", "profit", "kerja", "job", "trade", "help", "bonus"))
        return Value("social_handle", (platform, f"{stem}_{word}{self.token('handle')}"), "contact")

    def email(self) -> Value:
        host = self.rng.choice(("gmail.com", "outlook.com", "yahoo.com", "proton.me"))
        local = self.rng.choice(("cs.support", "verifikasi", "security.team", "noreply.bank"))
        return Value("email", (f"{local}.{self.token('email')}@{host}",), "sender")


@cache
def mobile_prefixes(country: str) -> tuple[str, ...]:
    """The listed prefixes ``phonenumbers`` accepts across their whole number block.

    Mobile ranges are defined by their leading digits, so three numbers stand for the
    block; the test suite validates every generated number in full.
    """
    c = COUNTRIES[country]
    samples = ("0" * c.suffix, "5" * c.suffix, "9" * c.suffix)
    return tuple(
        p
        for p in c.prefixes
        if all(phonenumbers.is_valid_number(phonenumbers.parse(f"+{c.cc}{p}{s}")) for s in samples)
    )


def _eip55(hexaddr: str) -> str:
    digest = keccak.new(digest_bits=256, data=hexaddr.encode("ascii")).hexdigest()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(d, 16) >= 8 else c
        for c, d in zip(hexaddr, digest, strict=False)
    )


def _group(digits: str, groups: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for g in groups:
        out.append(digits[i : i + g])
        i += g
    if i < len(digits):
        out[-1] += digits[i:]
    return sep.join(out)


def phone_text(country: str, nsn: str, victim: str, rng: random.Random) -> str:
    c = COUNTRIES[country]
    if country == victim and rng.random() < 0.8:
        return _group(c.trunk + nsn, c.national, rng.choice(("-", " ", "", " ", ".")))
    if rng.random() < 0.25:
        return f"+{c.cc}{nsn}"
    return f"+{c.cc} " + _group(nsn, c.intl, rng.choice((" ", "-", " ")))


def account_text(groups: tuple[int, ...], digits: str, rng: random.Random) -> str:
    if len(groups) == 1 or rng.random() < 0.3:
        return digits
    return _group(digits, groups, rng.choice(("-", " ", "-")))


def money(amount: int, currency: str, lang: str) -> str:
    """An amount as people write it, so the extractor's amount guards see real shapes."""
    n = f"{amount:,}"
    dotted = n.replace(",", ".")
    return {
        "IDR": f"Rp {dotted}",
        "VND": f"{dotted} đ" if lang == "vi" else f"VND {n}",
        "THB": f"{n} บาท" if lang == "th" else f"THB {n}",
        "MYR": f"RM {n}",
        "SGD": f"S${n}",
        "PHP": f"₱{n}" if lang == "tl" else f"PHP {n}",
        "USD": f"${n}",
        "KHR": f"{n} រៀល" if lang == "km" else f"KHR {n}",
        "MMK": f"{n} ကျပ်" if lang == "my" else f"MMK {n}",
        "LAK": f"{n} ກີບ" if lang == "lo" else f"LAK {n}",
        "BND": f"B${n}",
    }[currency]


def local_amount(usd: float, currency: str) -> int:
    local = usd * RATE_2026[currency]
    step = 1000 if RATE_2026[currency] > 1000 else 1
    return max(step, round(local / step) * step)
