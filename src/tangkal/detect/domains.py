"""Parsing URLs into hosts and registrable domains, and the shipped domain lists.

The lists in ``data/`` are reference data, not secrets: protected brands (hand-written),
and lists rebuilt by ``tangkal detect train`` from ``../shared/data``: popular domains
(Tranco top 50k), shorteners, free-hosting platforms and abused TLDs (Sublime Security,
MIT).
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

import tldextract

from tangkal.detect.errors import DetectInputError

__all__ = [
    "MAX_URL_CHARS",
    "Brand",
    "ParsedUrl",
    "brands",
    "data_path",
    "domain_list",
    "home_page_form",
    "on_list",
    "parse_url",
    "popular_rank",
    "public_suffixes",
]

MAX_URL_CHARS = 2_048  # longer values are cut: browsers and SMS never carry more
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_MAYBE_IP = re.compile(r"[\d.]+|.*:.*", re.S)
# A home page as people write it: an optional http(s) scheme, the host (no user, no port),
# an optional trailing slash, nothing else.
_HOME_PAGE = re.compile(r"(?:https?://)?([^/?#@:\\\s]+)/?")


@dataclass(frozen=True, slots=True)
class Brand:
    """A protected brand: its official domain, the label before the suffix, and sector."""

    domain: str
    label: str
    country: str
    sector: str


@dataclass(frozen=True, slots=True)
class ParsedUrl:
    """The parts of a URL the link rules look at (all lower case, IDNA decoded)."""

    text: str
    host: str
    registrable: str
    label: str
    subdomain: str
    suffix: str
    path: str
    is_ip: bool


def data_path(name: str) -> str:
    """Filesystem-independent handle text of a shipped data file (for error messages)."""
    return f"tangkal/detect/data/{name}"


@cache
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() keeps tldextract on its bundled snapshot: no network, ever.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def public_suffixes() -> list[str]:
    """The ICANN public suffixes of tldextract's bundled snapshot (no network)."""
    return list(_extractor().tlds)


def _read(name: str) -> bytes:
    return resources.files("tangkal.detect").joinpath(f"data/{name}").read_bytes()


@cache
def domain_list(name: str) -> frozenset[str]:
    """A shipped one-per-line list (``.txt`` or ``.txt.gz``) as a set."""
    raw = _read(name)
    text = gzip.decompress(raw).decode() if name.endswith(".gz") else raw.decode()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def on_list(host: str, name: str) -> bool:
    """Whether ``host`` or any domain it sits under is on the shipped list ``name``."""
    names = domain_list(name)
    probe = host
    while probe:
        if probe in names:
            return True
        probe = probe.partition(".")[2]
    return False


@cache
def _popular() -> dict[str, int]:
    text = gzip.decompress(_read("popular_domains.txt.gz")).decode()
    return {line: rank for rank, line in enumerate(text.split(), start=1)}


def popular_rank(registrable: str) -> int | None:
    """Rank of a registrable domain in the shipped popular list (1 = most popular)."""
    return _popular().get(registrable)


@cache
def brands() -> tuple[Brand, ...]:
    """The protected brands from ``data/brands.json``."""
    items = json.loads(_read("brands.json"))["brands"]
    out = []
    for item in items:
        parts = _extractor()(item["domain"])
        out.append(Brand(item["domain"], parts.domain, item["country"], item["sector"]))
    return tuple(out)


def _decode_idna(host: str) -> str:
    if "xn--" not in host:
        return host
    labels = []
    for label in host.split("."):
        try:
            labels.append(
                label.encode("ascii").decode("idna") if label.startswith("xn--") else label
            )
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


def parse_url(value: str) -> ParsedUrl:
    """Split a URL or bare domain into the parts the rules use.

    >>> parse_url("https://bca.co.id.verify-login.top/x").registrable
    'verify-login.top'
    """
    if not isinstance(value, str):
        raise DetectInputError("a link must be a string", field="url")
    text = value.strip()[:MAX_URL_CHARS]
    if not text:
        raise DetectInputError("a link must not be empty", field="url")
    with_scheme = text if _SCHEME.match(text) else f"http://{text}"
    try:
        parts = urlsplit(with_scheme)
        host = (parts.hostname or "").rstrip(".")
    except ValueError as error:
        raise DetectInputError(f"not a URL or domain: {error}", field="url") from error
    if not host or any(char.isspace() for char in host):
        raise DetectInputError("no host name in link", field="url")
    host = _decode_idna(host.lower())
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return ParsedUrl(text.lower(), host, *_host_parts(host), path=path, is_ip=_is_ip(host))


@lru_cache(maxsize=16_384)
def _is_ip(host: str) -> bool:
    # Only digits and dots (IPv4) or a colon (IPv6) can be an address: asking ipaddress
    # about every host name costs ~25 µs in the exception it raises.
    if not _MAYBE_IP.fullmatch(host):
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=16_384)
def _host_parts(host: str) -> tuple[str, str, str, str]:
    """Registrable domain, its label, the subdomain and the public suffix of a host.

    Cached per host: a URL and its bare domain, and hosts that come back (wa.me, bit.ly),
    are split by tldextract once.
    """
    if _is_ip(host):
        return host, host, "", ""
    ext = _extractor()(host)
    registrable = f"{ext.domain}.{ext.suffix}" if ext.suffix else ext.domain
    return registrable, ext.domain, ext.subdomain, ext.suffix


def home_page_form(url: ParsedUrl) -> ParsedUrl:
    """The one form in which the URL model reads a home page: the bare host.

    ``hotelsantika.com``, ``www.hotelsantika.com``, ``https://www.hotelsantika.com/`` and
    ``HTTP://HotelSantika.com`` are one page; the scam feeds write their domains bare and
    the legitimate lists mostly do not, so without this the model learnt "written bare"
    as a sign of a scam (docs/detection.md, session 10). Only a host with an optional
    ``http(s)://``, ``www.`` and trailing slash is rewritten; a path, query, fragment, port,
    user part or raw IP leaves the URL as it is (the same object). The link rules still read
    the URL as written.

    >>> home_page_form(parse_url("https://www.HotelSantika.com/")).text
    'hotelsantika.com'
    >>> home_page_form(parse_url("www.hotelsantika.com/kamar")).text
    'www.hotelsantika.com/kamar'
    """
    if url.is_ip or url.path not in ("", "/"):
        return url
    found = _HOME_PAGE.fullmatch(url.text)
    if found is None:
        return url
    host = found.group(1).rstrip(".")
    if url.subdomain == "www" or url.subdomain.startswith("www."):
        host = host.removeprefix("www.")
    return url if host == url.text else parse_url(host)
