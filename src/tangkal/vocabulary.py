"""The closed lists a report is described with, and the checks that keep them closed.

Country and currency codes come from Babel's CLDR data, so ISO 3166-1 and ISO 4217 are
not copied by hand.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.numbers import list_currencies

from tangkal.errors import InvalidInput

__all__ = [
    "ASEAN",
    "CHANNELS",
    "ORG_TYPES",
    "PAYMENT_METHODS",
    "RELIABILITY",
    "ROLES",
    "SOURCES",
    "SOURCE_OF_ORG_TYPE",
    "TYPOLOGIES",
    "check_choice",
    "check_country",
    "check_currency",
]

ASEAN = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN")
SOURCES = ("web_form", "hotline", "bank", "telco", "import", "partner_node")
# The source of a report an organisation files without naming one: a bank's or a wallet's
# fraud desk, a telco, a police hotline. Other organisations keep the default (web_form).
SOURCE_OF_ORG_TYPE = {"bank": "bank", "ewallet": "bank", "telco": "telco", "police": "hotline"}
CHANNELS = (
    "sms", "call", "whatsapp", "telegram", "line", "zalo", "facebook", "instagram",
    "tiktok", "website", "email", "app", "other",
)  # fmt: skip
TYPOLOGIES = (
    "investment", "job_task", "romance", "impersonation_official", "impersonation_business",
    "phishing_credentials", "ecommerce", "loan_app", "lottery_prize", "sextortion",
    "malware_apk", "account_takeover", "other",
)  # fmt: skip
PAYMENT_METHODS = (
    "bank_transfer", "ewallet", "crypto", "card", "cash", "gift_card", "remittance", "other",
)  # fmt: skip
ORG_TYPES = (
    "police", "cert", "regulator", "bank", "ewallet", "telco", "platform", "prosecutor",
    "ministry", "partner",
)  # fmt: skip
# Roles a token can carry; "peer" is a partner node pulling over TAXII.
ROLES = ("reporter", "analyst", "investigator", "prosecutor", "admin", "peer")
# Admiralty scale: source reliability A (reliable) … F (cannot be judged).
RELIABILITY = ("A", "B", "C", "D", "E", "F")
LINK_ROLES = ("contact", "payee", "link", "wallet", "sender")


@cache
def _countries() -> frozenset[str]:
    # CLDR also names groupings and private-use codes (EU, EZ, UN, QO, XA, ZZ…): not countries.
    codes = [c for c in Locale("en").territories if isinstance(c, str)]
    return frozenset(
        code
        for code in codes
        if len(code) == 2
        and code.isalpha()
        and code not in {"EU", "EZ", "UN", "ZZ"}
        and code[0] not in "QX"
    )


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def check_country(code: str, field: str = "country") -> str:
    """Upper-case ISO 3166-1 alpha-2 code, or InvalidInput naming ``field``."""
    value = code.strip().upper() if isinstance(code, str) else ""
    if value not in _countries():
        raise InvalidInput(f"unknown ISO 3166-1 country code {code!r}", field=field)
    return value


def check_currency(code: str, field: str = "loss_currency") -> str:
    value = code.strip().upper() if isinstance(code, str) else ""
    if value not in _currencies():
        raise InvalidInput(f"unknown ISO 4217 currency code {code!r}", field=field)
    return value


def check_choice(value: str, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise InvalidInput(f"must be one of: {', '.join(choices)}", field=field)
    return value
