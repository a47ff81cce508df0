"""The "Report a scam" form: CSRF tokens, and typed fields turned into one ``ReportIn``.

The form takes the same validation path as the API (``parse_report``); this module only
translates between what a person types on a phone and the API's fields, and maps each
error back to the box it belongs next to.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal

from tangkal.config import Settings
from tangkal.errors import InvalidInput
from tangkal.report.normalize import canonical_email, normalize
from tangkal.report.schema import MAX_NARRATIVE, ReportIn, parse_report
from tangkal.vocabulary import ASEAN, CHANNELS, TYPOLOGIES
from tangkal.web.i18n import N_

__all__ = [
    "CHANNEL_LABELS",
    "COUNTRY_CURRENCY",
    "CURRENCIES",
    "FIELDS",
    "TYPOLOGY_LABELS",
    "CsrfSigner",
    "FormError",
    "field_errors",
    "node_secret",
    "parse_report_form",
    "reporter_key",
]

COUNTRY_CURRENCY = {
    "BN": "BND", "KH": "KHR", "ID": "IDR", "LA": "LAK", "MY": "MYR",
    "MM": "MMK", "PH": "PHP", "SG": "SGD", "TH": "THB", "VN": "VND",
}  # fmt: skip
# The locale whose digit grouping people of each country type ("1.500.000" in Indonesia).
_COUNTRY_NUMBER_LOCALE = {
    "BN": "ms_BN", "KH": "km_KH", "ID": "id_ID", "LA": "lo_LA", "MY": "ms_MY",
    "MM": "en", "PH": "en_PH", "SG": "en_SG", "TH": "th_TH", "VN": "vi_VN",
}  # fmt: skip
CURRENCIES = (*sorted(set(COUNTRY_CURRENCY.values())), "USD")

# The scammer's details: form field -> (indicator kind, role in the scam).
INDICATOR_FIELDS: dict[str, tuple[str | None, str]] = {
    "phone": ("phone", "contact"),
    "account": (None, "payee"),
    "link": (None, "link"),
    "wallet": ("crypto_wallet", "wallet"),
    "social": (None, "contact"),
}
FIELDS = (
    "country", "typology", "channel", *INDICATOR_FIELDS, "story", "amount", "currency",
    "contact_name", "contact_phone", "contact_email", "consent",
)  # fmt: skip
_SOCIAL_PLATFORMS = {"telegram", "line", "facebook", "instagram", "tiktok", "zalo", "whatsapp"}

# What a victim reads in the lists: plain words, not the stored codes.
TYPOLOGY_LABELS = {
    "investment": N_("Investment or trading that promised big profits"),
    "job_task": N_("Online job or 'tasks' where I had to pay first"),
    "romance": N_("Online love or friendship that asked for money"),
    "impersonation_official": N_("Someone pretending to be police, a court, tax or government"),
    "impersonation_business": N_("Someone pretending to be a bank, courier or company"),
    "phishing_credentials": N_("A message or site that asked for my password, PIN or OTP"),
    "ecommerce": N_("Online shopping: I paid but got nothing"),
    "loan_app": N_("A loan app or online loan"),
    "lottery_prize": N_("A prize, lottery or gift I had to pay to receive"),
    "sextortion": N_("Threats to share my private photos or videos"),
    "malware_apk": N_("I was asked to install an app or open a file"),
    "account_takeover": N_("Someone took over my account (WhatsApp, bank, social media)"),
    "other": N_("Something else, or I am not sure"),
}
CHANNEL_LABELS = {
    "sms": N_("Text message (SMS)"), "call": N_("Phone call"), "whatsapp": "WhatsApp",
    "telegram": "Telegram", "line": "LINE", "zalo": "Zalo", "facebook": "Facebook / Messenger",
    "instagram": "Instagram", "tiktok": "TikTok", "website": N_("A website"),
    "email": N_("E-mail"), "app": N_("An app"), "other": N_("Other"),
}  # fmt: skip

# Plain-language error for each box; the detail the API would give is too technical.
_MESSAGES = {
    "country": N_("Choose the country where this happened."),
    "typology": N_("Choose what happened from the list."),
    "channel": N_("Choose how the scammer contacted you."),
    "phone": N_("This does not look like a phone number. Check the digits and the country."),
    "account": N_("Write the account number with its bank or e-wallet, like: BCA 1234567890."),
    "link": N_("This does not look like a web address. Copy it exactly, like: example.com/login."),
    "wallet": N_("This is not a valid crypto wallet address. Copy it exactly."),
    "social": N_("Write the account as a link, or as @name if you chose the app above."),
    "story": N_("Please keep the story under 20,000 characters."),
    "amount": N_("Write the amount with digits only, like: 1500000."),
    "currency": N_("Choose the currency of the money you lost."),
    "contact_name": N_("Please shorten your name."),
    "contact_phone": N_("This does not look like a phone number."),
    "contact_email": N_("This does not look like an e-mail address."),
    "consent": N_("Tick this box so that we may keep your report."),
}
_NOTHING_TOLD = N_("Tell us what happened, or give at least one detail of the scammer.")


@dataclass(frozen=True, slots=True)
class FormError(Exception):
    """Errors keyed by form field; messages are msgids, translated when the form is shown."""

    errors: dict[str, str]


def _message(field: str) -> str:
    return _MESSAGES.get(field, N_("Please check this answer."))


# What may stand before or after an amount's digits: a currency's code, name or sign. Any
# other word is refused, above all those that multiply the number: "5 juta" (million),
# "50 ribu", "10k", "2 triệu", "5 ล้าน" were read as 5, 50, 10, 2 and 5.
_CURRENCY_WORDS = frozenset({
    "rp", "rupiah", "idr", "rm", "ringgit", "myr", "s$", "sgd", "b$", "bnd", "$", "us$", "usd",
    "usdt", "dollar", "dollars", "p", "₱", "php", "peso", "pesos", "฿", "บาท", "baht", "thb",
    "₫", "đ", "d", "vnd", "vnđ", "dong", "đồng", "₭", "kip", "ກີບ", "lak", "៛", "riel", "រៀល",
    "khr", "ks", "kyat", "kyats", "ကျပ်", "mmk",
})  # fmt: skip


def _currency_only(edge: str, punctuation: str) -> bool:
    word = unicodedata.normalize("NFC", re.sub(f"[{punctuation}]", "", edge)).casefold()
    return (
        not word
        or word in _CURRENCY_WORDS
        or all(unicodedata.category(c) == "Sc" for c in word)  # €, £, ¥…
    )


def _amount(raw: str, lang: str, country: str | None) -> Decimal | None:
    text = re.sub(r"[\s\u00a0\u202f]", "", raw).strip()
    if not raw.strip():
        return None
    lead = re.match(r"[^\d]*", text)
    tail = re.search(r"[^\d]*$", text)
    assert lead is not None and tail is not None
    # "Rp 1.500.000,-", "RM50", "₱ 200", "500.000đ", "300 บาท"; not "5 juta" nor "-5".
    if not (_currency_only(lead.group(), ".:") and _currency_only(tail.group(), ".,\\-/=")):
        raise InvalidInput("not an amount", field="amount")
    text = text[lead.end() : tail.start()]
    if not text:
        raise InvalidInput("no digits", field="amount")
    # The country's grouping first: an Indonesian on the English page who types "75.000"
    # means seventy-five thousand rupiah (it was read as 75 in English).
    tried = [_COUNTRY_NUMBER_LOCALE.get(country or "", "en"), lang, "en"]
    for locale in tried:
        try:
            value = parse_decimal(text, locale=locale, strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            continue
        if value < 0 or value > Decimal("1e13"):
            break
        return value.quantize(Decimal("0.01"))
    if text.isdigit():
        return Decimal(text)
    raise InvalidInput("not an amount", field="amount")


def _indicator(field: str, value: str, channel: str) -> dict[str, Any]:
    kind, role = INDICATOR_FIELDS[field]
    if field == "account" and re.fullmatch(r"[\d\s.\-]+", value):
        kind = "bank_account"  # bare digits here are an account, never a phone number
    if field == "social" and value.startswith("@") and channel in _SOCIAL_PLATFORMS:
        value = f"{channel}:{value}"
    out: dict[str, Any] = {"value": value, "role": role}
    if kind:
        out["kind"] = kind
    return out


def parse_report_form(
    form: Mapping[str, str], *, lang: str, default_country: str
) -> tuple[ReportIn, list[str]]:
    """The report a form describes, and the form field of each of its indicators.

    Raises FormError naming every box that is wrong, so all can be fixed at once.
    """
    errors: dict[str, str] = {}
    country = form.get("country", "").strip().upper() or default_country
    if country not in ASEAN:
        errors["country"] = _message("country")
    typology = form.get("typology", "") or "other"
    if typology not in TYPOLOGIES:
        errors["typology"] = _message("typology")
    channel = form.get("channel", "") or "other"
    if channel not in CHANNELS:
        errors["channel"] = _message("channel")
    story = form.get("story", "").strip()
    if len(story) > MAX_NARRATIVE:
        errors["story"] = _message("story")
    amount = None
    try:
        amount = _amount(form.get("amount", ""), lang, country)
    except InvalidInput:
        errors["amount"] = _message("amount")
    currency = form.get("currency", "").strip().upper() or COUNTRY_CURRENCY.get(country, "USD")
    if currency not in CURRENCIES:
        errors["currency"] = _message("currency")
    contact: dict[str, str] = {}
    for field, limit in (("contact_name", 200), ("contact_phone", 40), ("contact_email", 200)):
        value = form.get(field, "").strip()
        if len(value) > limit:
            errors[field] = _message(field)
        elif value:
            contact[field.removeprefix("contact_")] = value
    if contact.get("email") and canonical_email(contact["email"]) is None:
        errors["contact_email"] = _message("contact_email")
    if contact.get("phone") and not re.fullmatch(r"[+(]?[\d\s().\-]{6,}", contact["phone"]):
        errors["contact_phone"] = _message("contact_phone")
    indicators, fields = [], []
    for field in INDICATOR_FIELDS:
        value = form.get(field, "").strip()
        if len(value) > 512:
            errors[field] = _message(field)
        elif value:
            given = _indicator(field, value, channel)
            try:
                # Checked here too, so that every wrong box is named in one round.
                normalize(given["value"], given.get("kind"), country if country in ASEAN else None)
            except InvalidInput:
                errors[field] = _message(field)
                continue
            indicators.append(given)
            fields.append(field)
    if not story and not indicators:
        errors["story"] = _NOTHING_TOLD
    if form.get("consent") != "yes":
        errors["consent"] = _message("consent")
    if errors:
        raise FormError(errors)
    data: dict[str, Any] = {
        "victim_country": country,
        "narrative": story,
        "source": "web_form",
        "language": lang,
        "channel": channel,
        "typology": typology,
        "indicators": indicators,
    }
    if amount is not None:
        data["loss_amount"] = str(amount)
        data["loss_currency"] = currency
    if contact:
        data["victim_contact"] = contact
    try:
        return parse_report(data), fields
    except InvalidInput as exc:
        raise FormError(field_errors(exc, fields)) from None


def field_errors(exc: InvalidInput, fields: list[str]) -> dict[str, str]:
    """Map the API's field names (``indicators.2.value``) back to the form's boxes."""
    api_to_form = {
        "victim_country": "country", "narrative": "story", "loss_amount": "amount",
        "loss_currency": "currency", "victim_contact.name": "contact_name",
        "victim_contact.phone": "contact_phone", "victim_contact.email": "contact_email",
    }  # fmt: skip
    out: dict[str, str] = {}
    for err in exc.errors or [{"field": exc.field or "story", "detail": exc.detail}]:
        name = err.get("field") or "story"
        match = re.fullmatch(r"indicators\.(\d+)(\..*)?", name)
        if match and int(match.group(1)) < len(fields):
            form_field = fields[int(match.group(1))]
        else:
            form_field = api_to_form.get(name, "story")
        out.setdefault(form_field, _message(form_field))
    return out


def reporter_key(client: str, form: Mapping[str, str]) -> str:
    """One key per person: ten reports from one phone count as one reporter, not ten.

    The key is a hash, so the reporter cannot be recovered from the evidence counters.
    """
    contact = "|".join(
        re.sub(r"\s+", "", form.get(f, "")).lower() for f in ("contact_phone", "contact_email")
    )
    basis = f"{client}|{contact}" if contact.strip("|") else client
    return "web:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def node_secret(settings: Settings) -> bytes:
    """The node's signing key: the setting, else a key file kept in ``data_dir``.

    A file (not a per-process key) so that every worker of one node accepts the forms the
    others served; a per-process key is the last resort when ``data_dir`` is read-only.
    """
    if settings.secret_key:
        return hashlib.sha256(str(settings.secret_key).encode("utf-8")).digest()
    path = Path(settings.data_dir) / "secret.key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="ascii") as fh:
                path.chmod(0o600)
                fh.write(secrets.token_hex(32))
        except FileExistsError:
            pass
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return bytes.fromhex(key) if re.fullmatch(r"[0-9a-f]+", key) else key.encode()
    except OSError:
        pass
    return secrets.token_bytes(32)


class CsrfSigner:
    """Form tokens bound to a per-browser cookie and signed with the node key.

    A token copied from another browser does not match that browser's cookie, so a page
    elsewhere cannot make a visitor's browser post the form.
    """

    def __init__(self, key: bytes, max_age: int = 4 * 3600) -> None:
        self._key = hashlib.sha256(b"tangkal-csrf|" + key).digest()
        self.max_age = max_age

    def _mac(self, cookie: str, issued: str) -> str:
        msg = f"{cookie}|{issued}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def issue(self, cookie: str, now: float | None = None) -> str:
        issued = str(int(now if now is not None else time.time()))
        return f"{issued}.{self._mac(cookie, issued)}"

    def valid(self, token: str, cookie: str, now: float | None = None) -> bool:
        issued, _, mac = token.partition(".")
        if not cookie or not issued.isdigit() or not mac:
            return False
        age = (now if now is not None else time.time()) - int(issued)
        return 0 <= age <= self.max_age and hmac.compare_digest(mac, self._mac(cookie, issued))
