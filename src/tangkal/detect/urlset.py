"""Assembling the URL training set: scam lists against legitimate URLs and domains.

A popular domain listed by a scam feed (etherscan.io in GASO, exness.com in ChốngLừaĐảo)
is dropped from the positives when the entry is a bare domain: the feed objects to the
service, not to phishing on that domain. Entries with a path on a popular host
(sites.google.com/...) stay, because the path is the scam.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from tangkal.detect.corpus import UrlExample, read_lines, read_popular_domains, read_urls
from tangkal.detect.domains import parse_url
from tangkal.detect.errors import DetectInputError
from tangkal.detect.split import is_held_out

__all__ = ["registrable_of", "split_flags", "url_examples", "url_key"]

# Share (percent) kept of the two big feeds, so 55k crypto domains do not dominate.
_FEED_SHARE = {"polkadot": 22, "chongluadao": 35}


def _bucket(key: str) -> int:
    return int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) % 100


def url_key(url: str) -> str:
    """The Hannousse split key: lower case, no scheme, no ``www.``, no trailing slash."""
    key = url.strip().casefold()
    for prefix in ("https://", "http://"):
        key = key.removeprefix(prefix)
    return key.removeprefix("www.").rstrip("/")


def registrable_of(url: str) -> str:
    """Registrable domain of a URL, or the raw text when it cannot be parsed."""
    try:
        return parse_url(url).registrable
    except DetectInputError:
        return url


def url_examples(root: Path) -> list[UrlExample]:
    """Every usable labelled URL under ``root`` (deduplicated by key)."""
    popular = set(read_popular_domains(root))
    out: list[UrlExample] = []
    seen: set[str] = set()

    def add(example: UrlExample) -> None:
        key = url_key(example.url)
        if not key or key in seen:
            return
        seen.add(key)
        out.append(example)

    for example in read_urls(root):
        bare = "/" not in url_key(example.url)
        if example.label == 1 and bare and registrable_of(example.url) in popular:
            continue
        share = _FEED_SHARE.get(example.dataset)
        if share is not None and _bucket(url_key(example.url)) >= share:
            continue  # deterministic subsample by hash of the key, not by file order
        add(example)
    for domain in sorted(popular):
        add(UrlExample(domain, 0, "tranco"))
    for host in read_lines(root / "benign_sites_govsg/allowlist.txt"):
        add(UrlExample(host, 0, "govsg"))
    return out


def split_flags(examples: Sequence[UrlExample]) -> tuple[list[bool], list[bool]]:
    """Held-out flags: by URL key (random split) and by registrable domain (host-disjoint)."""
    by_key = [is_held_out(f"url:{url_key(e.url)}") for e in examples]
    by_host = [is_held_out(f"host:{registrable_of(e.url)}") for e in examples]
    return by_key, by_host
