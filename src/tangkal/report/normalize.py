"""One canonical spelling per indicator, so two reports of the same scammer meet.

``normalize`` takes one value a person typed (a search box, a CSV column) and returns
its canonical ``Found``; ``tangkal.report.extract`` uses the same canonicalisers on
free text. Canonical forms:

- phone: E.164 (``+6281234567890``), only numbers ``phonenumbers`` calls valid;
- url: scheme added (``http://``) and refanged, host lower-case punycode, default port,
  fragment dropped, empty path as ``/``; domain: the registered domain from the bundled
  Public Suffix List (never fetched);
- email: lower-case; bank_account: digits; ewallet: E.164 or lower-case account id;
- crypto_wallet: see ``tangkal.report.crypto``; social_handle: ``platform:handle``.

>>> normalize("0812-3456-7890", country="ID").value
'+6281234567890'
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import phonenumbers
import tldextract

from tangkal.errors import InvalidInput
from tangkal.report.crypto import wallet_chain
from tangkal.report.lexicon import PLATFORMS_BY_HOST, institution_named, platform_named

__all__ = [
    "ASEAN",
    "KINDS",
    "NEIGHBOURS",
    "Found",
    "canonical",
    "canonical_email",
    "canonical_phone",
    "canonical_url",
    "link_indicators",
    "normalize",
    "region_order",
    "registered_domain",
]

KINDS = (
    "phone",
    "url",
    "domain",
    "email",
    "bank_account",
    "ewallet",
    "crypto_wallet",
    "social_handle",
)
ASEAN = ("ID", "MY", "SG", "TH", "VN", "PH", "KH", "MM", "LA", "BN")
# Where a national number that the hinted country's plan rejects most likely comes from:
# the countries across its land and sea borders, where people cross to work and scam
# compounds recruit, before the rest of ASEAN. Without it the fixed order above read every
# such number as Indonesian first, whose plan accepts the widest range of lengths.
NEIGHBOURS = {
    "ID": ("MY", "SG", "PH", "BN"),
    "MY": ("SG", "ID", "TH", "BN"),
    "SG": ("MY", "ID"),
    "TH": ("MM", "LA", "KH", "MY"),
    "VN": ("LA", "KH"),
    "PH": ("MY", "ID"),
    "KH": ("TH", "VN", "LA"),
    "MM": ("TH", "LA"),
    "LA": ("TH", "VN", "KH", "MM"),
    "BN": ("MY", "ID"),
}
# Without a trunk "0" a national number is just digits; only these two dial that way.
_NO_TRUNK = frozenset({"SG", "BN"})


@dataclass(slots=True)
class Found:
    """One indicator: its kind, canonical value, role in the scam and the text it came from.

    Treat it as read-only (``canonical`` hands out cached ones), but it is not ``frozen``: a
    frozen dataclass sets each field through ``object.__setattr__``, three times the cost of
    building it, and a bank's 10,000-value screen builds one per value (6% of the batch's
    instructions, callgrind).
    """

    kind: str
    value: str
    role: str
    raw: str
    attributes: dict[str, str] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as the constructor call: import workers send a few per report, and the
        # state dict that slotted dataclasses pickle by default costs twice as much.
        return (Found, (self.kind, self.value, self.role, self.raw, self.attributes))


# ---- phone -------------------------------------------------------------------------


_NON_DIGITS_RE = re.compile(r"[^0-9]+")  # 0-9 only: "٣" or "３" is no phone digit here
_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _national_shape(region: str) -> tuple[re.Pattern[str], str, str]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    desc = meta.general_desc if meta else None
    if meta is None or desc is None or desc.national_number_pattern is None:
        raise LookupError(f"phonenumbers has no metadata for {region}")
    return (
        re.compile(desc.national_number_pattern),
        meta.national_prefix or "",
        str(meta.country_code),
    )


# Each region's "any valid number" pattern, checked before the ~30 µs full parse: a
# number tried against ten countries usually fits the shape of one or two.
_SHAPES = {region: _national_shape(region) for region in ASEAN}


def _plausible(digits: str, region: str) -> bool:
    shape = _SHAPES.get(region)
    if shape is None:
        return True  # a region outside ASEAN: let phonenumbers decide
    pattern, trunk, code = shape
    if trunk and digits.startswith(trunk) and pattern.fullmatch(digits[len(trunk) :]):
        return True
    if pattern.fullmatch(digits):
        return True
    return digits.startswith(code) and pattern.fullmatch(digits[len(code) :]) is not None


_CALLING_CODES = {code: region for region, (_, _, code) in _SHAPES.items()}
_TYPE_DESCS = (
    "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
    "voip", "pager", "uan", "voicemail",
)  # fmt: skip


def _valid_pattern(region: str) -> re.Pattern[str]:
    """The union of a region's number-type patterns: what ``is_valid_number`` accepts."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert meta is not None
    parts = []
    for name in _TYPE_DESCS:
        desc = getattr(meta, name, None)
        if desc is not None and desc.national_number_pattern:
            parts.append(f"(?:{desc.national_number_pattern})")
    return re.compile("|".join(parts))


_VALID = {region: _valid_pattern(region) for region in ASEAN}


def _asean_e164(digits: str) -> tuple[str, str] | None:
    """An international ASEAN number checked against its region's valid-number pattern.

    The same test ``is_valid_number`` makes, without the ~50 µs general parse: batch
    screening of E.164 payees spends most of its time here.
    """
    for size in (2, 3):
        region = _CALLING_CODES.get(digits[:size])
        if region is not None:
            if _VALID[region].fullmatch(digits[size:]):
                return "+" + digits, region
            return None
    return None


# The number types ``is_valid_number`` tries after the general description, in its order.
_TYPES_TRIED = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail", "fixed_line",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _TrunkShape:
    """How ``phonenumbers`` reads and validates "0" + a national number in one region."""

    code: int
    general: re.Pattern[str]
    lengths: frozenset[int]
    local_only: frozenset[int]
    # (possible lengths, pattern) per type description; no lengths: the general ones hold.
    types: tuple[tuple[frozenset[int], re.Pattern[str]], ...]

    def valid(self, national: str) -> bool:
        """``is_valid_number`` for a national number that fits the general description."""
        size = len(national)
        return any(
            (not lengths or size in lengths) and pattern.fullmatch(national) is not None
            for lengths, pattern in self.types
        )


def _trunk_shape(region: str) -> _TrunkShape | None:
    """How ``phonenumbers.parse`` reads "0" + a national number in ``region``, if plainly.

    Plain where the trunk prefix is a bare "0" (no carrier codes, no rewriting rule) and
    every international prefix starts "00", so "0" then a non-zero digit can only be the
    trunk prefix before a national number; and where the calling code is this region's
    alone, so the number's region is this one.
    """
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    desc = meta.general_desc if meta else None
    if (
        meta is None
        or desc is None
        or not desc.national_number_pattern
        or meta.country_code is None
        or meta.national_prefix != "0"
        or meta.national_prefix_for_parsing != "0"
        or meta.national_prefix_transform_rule
        or not (meta.international_prefix or "").startswith("00")
        or str(meta.country_code).startswith("0")
        or phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(meta.country_code) != (region,)
    ):
        return None
    names = _TYPES_TRIED if meta.same_mobile_and_fixed_line_pattern else (*_TYPES_TRIED, "mobile")
    types = tuple(
        (frozenset(d.possible_length), re.compile(d.national_number_pattern))
        for d in (getattr(meta, name, None) for name in names)
        if d is not None and d.national_number_pattern  # no pattern: matches nothing
    )
    return _TrunkShape(
        meta.country_code,
        re.compile(desc.national_number_pattern),
        frozenset(desc.possible_length),
        frozenset(desc.possible_length_local_only or ()),
        types,
    )


_TRUNK_PARSE = {r: shape for r in ASEAN if (shape := _trunk_shape(r)) is not None}


def _trunk_national(digits: str, region: str) -> str | None:
    """The national number when ``phonenumbers.parse(digits, region)`` plainly strips a
    trunk "0" and keeps the rest whole: a possible length matching the general pattern."""
    shape = _TRUNK_PARSE.get(region)
    if shape is not None and digits[:1] == "0" and digits[1:2] not in ("", "0"):
        national = digits[1:]
        size = len(national)
        fits = size in shape.lengths and size not in shape.local_only
        if fits and shape.general.fullmatch(national):
            return national
    return None


@lru_cache(maxsize=65536)
def _parse_phone(number: str, region: str) -> tuple[str, str] | None:
    """``(e164, region)`` for a valid number; cached: scams reuse numbers."""
    if number.isdigit() and number.isascii():
        national = _trunk_national(number, region)
        if national is not None:
            # What parse, is_valid_number and format_number answer, without their ~6 µs:
            # the type patterns in is_valid_number's order, then "+" code national.
            shape = _TRUNK_PARSE[region]
            return (f"+{shape.code}{national}", region) if shape.valid(national) else None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.region_code_for_number(parsed) or region


@lru_cache(maxsize=65536)
def _is_mobile(e164: str) -> bool:
    return phonenumbers.number_type(phonenumbers.parse(e164)) in _MOBILE


def canonical_phone(
    raw: str, regions: Iterable[str], *, loose: bool = False, hinted: bool = True
) -> tuple[str, str] | None:
    """``(e164, region)`` for a phone number written in any common or obfuscated way.

    National numbers are tried in each of ``regions`` in turn: the first region wins
    when ``hinted`` (the caller knows the country), otherwise the first region where the
    number is a mobile, as scammers' numbers mostly are. Unless ``loose`` (a phone cue
    stands before the number), a national number must start with the trunk "0" in the
    countries that have one, so order numbers do not pass as phones.

    When ``hinted``, a number without its trunk "0" is read only in the first region, or
    where it starts with the region's calling code: people drop the "0" of their own
    country's numbers, while a foreign number is written with its "0" or its code, so
    "3119 2077 45" after "BPI" in a Philippine report is no Surabaya landline. And when
    ``hinted`` but not ``loose`` (no phone word before it), a number the first region
    rejects is read elsewhere only as a mobile, and only when a single country's plan
    accepts it: a bare 9-10 digit number that Cambodia, Myanmar and Malaysia all accept
    is an ID card or a reference as often as a phone.

    >>> canonical_phone("o812.3456.7890", ["ID"])
    ('+6281234567890', 'ID')
    """
    return _canonical_phone(raw, tuple(regions), loose, hinted)


@lru_cache(maxsize=65536)
def _canonical_phone(
    raw: str, regions: tuple[str, ...], loose: bool, hinted: bool
) -> tuple[str, str] | None:
    """``canonical_phone`` on hashable arguments; cached: a scam's number recurs as written."""
    text = raw.strip().replace("o", "0").replace("O", "0")
    digits = _NON_DIGITS_RE.sub("", text)
    if not 7 <= len(digits) <= 15:
        return None
    found = None
    if text.startswith("+"):
        found = _asean_e164(digits) or _parse_phone("+" + digits, "ZZ")
    elif digits.startswith("00"):
        found = _parse_phone("+" + digits[2:], "ZZ")
    if found or text.startswith("+"):
        return found
    first = None
    foreign = None  # without a cue: the one mobile reading outside the hinted country
    for index, region in enumerate(regions):
        if digits[0] != "0" and region not in _NO_TRUNK:
            if not loose:
                continue
            code = _SHAPES[region][2] if region in _SHAPES else ""
            if hinted and index and not digits.startswith(code):
                continue
        if not _plausible(digits, region):
            continue
        found = _parse_phone(digits, region)
        if found is None:
            continue
        if hinted and index == 0:
            return found  # the hinted country
        if hinted and not loose:
            if not _is_mobile(found[0]):
                continue
            if foreign is not None and foreign[0] != found[0]:
                return None  # two countries' plans accept it: nothing says which
            foreign = foreign or found
        elif _is_mobile(found[0]):
            return found  # the first where it is a mobile
        else:
            first = first or found
    return foreign if hinted and not loose else first


@lru_cache(maxsize=256)
def _regions(country: str | None) -> tuple[str, ...]:
    """The hinted country first, then its neighbours, then the rest of ASEAN; cached: a
    handful of hints cover every report, and each phone or e-wallet value asks."""
    hint = (country or "").upper()
    return region_order((hint,)) if hint else ASEAN


def region_order(first: tuple[str, ...]) -> tuple[str, ...]:
    """``first``, then the ``NEIGHBOURS`` of each, then the rest of ASEAN, each once.

    >>> region_order(("LA",))[:3]
    ('LA', 'TH', 'VN')
    """
    near = (n for f in first for n in NEIGHBOURS.get(f, ()))
    return tuple(dict.fromkeys((*first, *near, *ASEAN)))


# ---- url and domain ----------------------------------------------------------------

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_REFANG_RE = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[:\]|\[://\]|^hxxp", re.I)
_REFANG = {"[:]": ":", "[://]": "://", "hxxp": "http"}
_DEFAULT_PORT = {"http": 80, "https": 443, "ftp": 21}


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str | None:
    """The registrable domain of an ASCII host by the bundled PSL; an IP stands for itself.

    >>> registered_domain("login.maybank2u.com.my.secure-id.xyz")
    'secure-id.xyz'
    """
    bare = host.strip("[]")
    # Only digits and dots (IPv4) or two colons (IPv6) can parse as an address; trying
    # every host name costs two exceptions, more than the suffix lookup itself.
    if ":" in bare or not bare.strip("0123456789."):
        try:
            return str(ipaddress.ip_address(bare))
        except ValueError:
            pass
    return _EXTRACT(host).top_domain_under_public_suffix or None


def refang(text: str) -> str:
    """Undo the defanging analysts apply: ``hxxp``, ``[.]``, ``(.)``, ``[dot]``, ``[:]``."""
    return _REFANG_RE.sub(lambda m: _REFANG.get(m.group().lower(), "."), text)


# A plain link: scheme, a host of letters, digits, "-", "_" and dots, then path, query and
# fragment in printable ASCII, no port, no user, no brackets. For these, what ``urlsplit``
# and ``urlunsplit`` do (split at the first "/", "?" or "#", fragment first, then query) is
# this one match: ~12 µs less per first-seen link, and links are most of an extraction's
# first-seen values. Anything else takes the general path (``_split``).
_PLAIN_URL_RE = re.compile(
    r"([A-Za-z][A-Za-z0-9+\-.]*)://([A-Za-z0-9\-._]+)"
    r"(/[\x21\x22\x24-\x3e\x40-\x7e]*)?(?:\?([\x21\x22\x24-\x7e]*))?(?:#[\x21-\x7e]*)?"
)


def _split(text: str) -> tuple[str, str, str, str, str, int | None] | None:
    """``(scheme, host, userinfo, path, query, port)`` as ``urlsplit`` reads ``text``."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    userinfo = parts.netloc.rpartition("@")[0]
    return parts.scheme, parts.hostname or "", userinfo, parts.path, parts.query, port


def _split_plain(text: str) -> tuple[str, str, str, str, str, int | None] | None:
    """``_split`` for a plain link (``_PLAIN_URL_RE``), None for any other text."""
    plain = _PLAIN_URL_RE.fullmatch(text)
    if plain is None:
        return None
    scheme, host, path, query = plain.groups()
    return scheme.lower(), host.lower(), "", path or "", query or "", None


@lru_cache(maxsize=65536)
def canonical_url(raw: str) -> tuple[str, str, str] | None:
    """``(url, host, registered_domain)``, or None when the host has no public suffix.

    >>> canonical_url("hxxps://BCA-Verify[.]top:443/login#x")[0]
    'https://bca-verify.top/login'
    """
    text = refang(raw.strip())
    if "://" not in text[:10]:
        text = "http://" + text
    split = _split_plain(text) or _split(text)
    if split is None:
        return None
    scheme, hostname, userinfo, path, query, port = split
    try:
        ascii_host = hostname.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return None
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORT or not ascii_host:
        return None
    domain = registered_domain(ascii_host)
    if domain is None:
        return None
    netloc = ascii_host if ":" not in ascii_host else f"[{ascii_host}]"
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    if port is not None and port != _DEFAULT_PORT[scheme]:
        netloc = f"{netloc}:{port}"
    # What ``urlunsplit`` writes for a netloc, a path starting "/" and no fragment.
    url = f"{scheme}://{netloc}{path or '/'}"
    return (f"{url}?{query}" if query else url), ascii_host, domain


def link_indicators(url: str, host: str, raw: str, regions: Iterable[str]) -> list[Found]:
    """What a link itself names: a WhatsApp or Zalo phone, a Telegram or LINE account."""
    return [
        Found(kind, value, "contact", raw, dict(attrs))
        for kind, value, attrs in _link_named(url, host, tuple(regions))
    ]


@lru_cache(maxsize=65536)
def _link_named(
    url: str, host: str, regions: tuple[str, ...]
) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """``(kind, value, attributes)`` a link names; cached: scam links recur, and this
    splits and parses each one again (a fresh ``Found`` per call keeps ``raw`` exact)."""
    return tuple(
        (f.kind, f.value, tuple(f.attributes.items()))
        for f in _link_indicators(url, host, "", regions)
    )


_PHONE_HOSTS = ("wa.me", "api.whatsapp.com", "whatsapp.com", "zalo.me")


def _link_indicators(url: str, host: str, raw: str, regions: Iterable[str]) -> list[Found]:
    bare = host.removeprefix("www.")
    if bare not in _PHONE_HOSTS and bare not in PLATFORMS_BY_HOST:
        # "m.facebook.com", "web.whatsapp.com"; but "m.me" is a host of its own (Messenger).
        bare = bare.removeprefix("m.").removeprefix("web.")
        if bare not in _PHONE_HOSTS and bare not in PLATFORMS_BY_HOST:
            return []  # most links: no need to split the URL again
    split = _split_plain(url) or _split(url)  # a canonical URL: mostly plain
    if split is None:
        return []
    path, query = split[3], split[4]
    segments = [s for s in path.split("/") if s]
    if bare in _PHONE_HOSTS:
        number = segments[0] if bare in ("wa.me", "zalo.me") and segments else ""
        number = number or parse_qs(query).get("phone", [""])[0]
        digits = "".join(c for c in number if c.isdigit())
        if not digits:
            return []
        phone = canonical_phone(digits if digits[0] == "0" else "+" + digits, regions)
        if phone is None:
            return []
        return [Found("phone", phone[0], "contact", raw, {"country": phone[1]})]
    platform = PLATFORMS_BY_HOST.get(bare)
    if platform is None or not segments:
        return []
    first = segments[0]
    if platform.code == "line":  # line.me/ti/p/~handle
        first = segments[-1] if len(segments) >= 3 and segments[:2] == ["ti", "p"] else ""
    elif platform.code == "tiktok":
        first = first if first.startswith("@") else ""
    elif platform.code == "facebook" and first == "profile.php":
        first = parse_qs(query).get("id", [""])[0]
    handle = first.lstrip("@~").lower()
    if not handle or first.lower() in platform.reserved or not _HANDLE_RE.fullmatch(handle):
        return []
    return [Found("social_handle", f"{platform.code}:{handle}", "contact", raw, {})]


# ---- email, handle -----------------------------------------------------------------

_EMAIL_RE = re.compile(r"[\w.+\-]+@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,63}")
_HANDLE_RE = re.compile(r"[a-z0-9_][a-z0-9_.\-]{1,63}")


def canonical_email(raw: str) -> str | None:
    """Lower-case address whose domain ends in a public suffix, else None."""
    text = raw.strip().lower()
    if not _EMAIL_RE.fullmatch(text):
        return None
    try:
        host = text.rpartition("@")[2].encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return text if registered_domain(host) else None


# ---- normalize ---------------------------------------------------------------------

_ROLE = {
    "phone": "contact",
    "url": "link",
    "domain": "link",
    "email": "contact",
    "bank_account": "payee",
    "ewallet": "payee",
    "crypto_wallet": "wallet",
    "social_handle": "contact",
}
_PREFIX_RE = re.compile(r"\s*([^:\s]+(?:\s+[^:\s\d]+)?)\s*[:\s]\s*(\S.*)")


def _invalid(kind: str | None, value: str) -> InvalidInput:
    what = f"a valid {kind.replace('_', ' ')}" if kind else "a recognisable indicator"
    return InvalidInput(f"{value[:80]!r} is not {what}", field="q")


def _phone(value: str, country: str | None) -> Found | None:
    found = canonical_phone(value, _regions(country), loose=True, hinted=bool(country))
    return Found("phone", found[0], "contact", value, {"country": found[1]}) if found else None


def _url(value: str) -> Found | None:
    found = canonical_url(value)
    if found is None:
        return None
    return Found("url", found[0], "link", value, {"registered_domain": found[2]})


def _domain(value: str) -> Found | None:
    found = canonical_url(value)
    return Found("domain", found[2], "link", value, {}) if found else None


def _account(value: str, country: str | None) -> Found | None:
    bank = None
    match = _PREFIX_RE.fullmatch(value)
    if match and not match.group(1).isdigit():
        bank = institution_named(match.group(1))
        if bank is None:
            return None
        value = match.group(2)
    if re.fullmatch(r"[\d\s.\-]+", value) is None:
        return None
    digits = re.sub(r"\D", "", value)
    if not 6 <= len(digits) <= 20:
        return None
    attrs = {"bank": bank.code, "country": bank.country} if bank else {}
    if not bank and country:
        attrs["country"] = country.upper()
    return Found("bank_account", digits, "payee", value, attrs)


def _ewallet(value: str, country: str | None) -> Found | None:
    provider = None
    match = _PREFIX_RE.fullmatch(value)
    if match:
        provider = institution_named(match.group(1))
        if provider is not None:
            value = match.group(2)
    region = provider.country if provider else country
    phone = canonical_phone(value, _regions(region), loose=True, hinted=bool(region))
    ident = phone[0] if phone else value.strip().lower()
    if not phone and not _HANDLE_RE.fullmatch(ident):
        return None
    attrs = {"provider": provider.code} if provider else {}
    return Found("ewallet", ident, "payee", value, attrs)


def _handle(value: str) -> Found | None:
    text = value.strip()
    if "/" in text:
        url = canonical_url(text)
        if url is None:
            return None
        found = link_indicators(url[0], url[1], text, ASEAN)
        return found[0] if found and found[0].kind == "social_handle" else None
    platform, _, handle = text.partition(":")
    code = platform_named(platform)
    handle = handle.strip().lstrip("@~").lower()
    if code is None or not _HANDLE_RE.fullmatch(handle):
        return None
    return Found("social_handle", f"{code}:{handle}", "contact", value, {})


def _crypto(value: str) -> Found | None:
    found = wallet_chain(value.strip())
    return Found("crypto_wallet", found[1], "wallet", value, {"chain": found[0]}) if found else None


def _email(value: str) -> Found | None:
    email = canonical_email(value)
    return Found("email", email, "contact", value, {}) if email else None


def _one(value: str, kind: str, country: str | None) -> Found | None:
    if kind == "phone":
        return _phone(value, country)
    if kind == "url":
        return _url(value)
    if kind == "domain":
        return _domain(value)
    if kind == "email":
        return _email(value)
    if kind == "bank_account":
        return _account(value, country)
    if kind == "ewallet":
        return _ewallet(value, country)
    if kind == "crypto_wallet":
        return _crypto(value)
    return _handle(value)


def _guess(value: str) -> tuple[str, ...]:
    """Kinds to try, most specific first, when the caller did not say."""
    if ":" in value and "/" not in value and platform_named(value.partition(":")[0]):
        return ("social_handle",)
    if "@" in value and not value.startswith("@") and " " not in value:
        return ("email",)
    prefix = _PREFIX_RE.fullmatch(value)
    named = institution_named(prefix.group(1)) if prefix else None
    if named is not None:
        return ("ewallet",) if named.type == "ewallet" else ("bank_account",)
    if re.fullmatch(r"[+(]?[\d\s().\-]+", value):
        return ("phone", "bank_account")
    if "/" in value or value.lower().startswith(("www.", "hxxp")):
        return ("url",)
    return ("crypto_wallet", "domain")


def normalize(
    value: str, kind: str | None = None, country: str | None = None, *, role: str | None = None
) -> Found:
    """The canonical ``Found`` for one typed value; raises ``InvalidInput(field="q")``.

    ``role`` replaces the kind's usual role (a report names a phone as the payee).

    >>> normalize("bca-verify[.]top").value
    'bca-verify.top'
    """
    found = _normalize(value, kind, country)
    # A fresh Found with its own attributes: the cached one is shared between callers.
    return Found(found.kind, found.value, role or found.role, found.raw, dict(found.attributes))


def canonical(value: str, kind: str | None = None, country: str | None = None) -> Found:
    """``normalize`` without the copy, for callers that only read the result.

    The ``Found`` is the cached one, shared with every caller of the same value: never change
    its attributes. A bank's 10,000-value screen spent 7% of its instructions on the copy.
    A value already in E.164 skips the cache: banks' payee lists are, their numbers rarely
    repeat within a cache's reach, and a miss cost more than the check it saves.
    """
    if value[:1] == "+" and kind in (None, "phone"):
        found = _plain_e164(value)
        if found is not None:
            return found
    return _normalize(value, kind, country)


def _plain_e164(text: str) -> Found | None:
    """The ``Found`` of an ASEAN number written in E.164 as it is, the first test of
    ``_normalize`` (``text`` starts with "+"): what ``_asean_e164`` answers, in one match."""
    if 8 <= len(text) <= 16 and text.isascii():
        match = _ASEAN_E164_RE.fullmatch(text)
        if match is not None:
            region: str = match.lastgroup  # type: ignore[assignment]  # the branch matched
            return Found("phone", text, "contact", text, {"country": region})
    return None


# "+", a calling code and the national number its region's valid-number pattern accepts, one
# named branch per region (``_asean_e164`` in one regular expression: the codes are
# prefix-free, so at most one branch can match, and the patterns are all digits).
_ASEAN_E164_RE = re.compile(
    r"\+(?:"
    + "|".join(
        f"(?P<{region}>{code}(?:{_VALID[region].pattern}))"
        for code, region in _CALLING_CODES.items()
    )
    + ")"
)


@lru_cache(maxsize=65536)
def _normalize(value: str, kind: str | None, country: str | None) -> Found:
    """``normalize`` cached: an import names the same scam phones and links again and again."""
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"unknown indicator kind {kind!r}", field="kind")
    text = value.strip()
    if not text or len(text) > 2048:
        raise _invalid(kind, value)
    if kind in (None, "phone") and text[0] == "+":
        # Already E.164, as banks' payee lists are: the region's valid-number pattern
        # decides without the general guessing (a quarter of the cost per value).
        found = _plain_e164(text)
        if found is not None:
            return found
    for candidate in (kind,) if kind else _guess(text):
        found = _one(text, candidate, country)
        if found is not None:
            return Found(found.kind, found.value, _ROLE[found.kind], text, found.attributes)
    raise _invalid(kind, value)
