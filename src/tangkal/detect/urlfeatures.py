"""Lexical features of a URL for the link model's tree stage.

The linear URL model reads n-grams: it knows *which* strings are phishy but not *how much*
of them there is, nor how the parts relate (a long path on a little-known host, a digit-
heavy host, a deep path on a country-code domain). These numbers give a small gradient-
boosted tree model (``trees.py``) that shape, next to the linear model's logit. Every
feature is computed from the parsed URL and the shipped lists alone, in plain Python
(a few microseconds per link), never from a network look-up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from tangkal.detect.domains import ParsedUrl, domain_list, on_list, popular_rank

__all__ = ["URL_FEATURE_NAMES", "url_feature_matrix", "url_features"]

URL_FEATURE_NAMES = (
    "url_length",
    "host_length",
    "path_length",
    "path_depth",
    "query_params",
    "host_dots",
    "host_hyphens",
    "host_digits",
    "subdomain_labels",
    "longest_host_label",
    "label_length",
    "url_digit_ratio",
    "path_upper_ratio",
    "host_entropy",
    "path_entropy",
    "is_ip",
    "has_port",
    "has_at",
    "non_ascii_host",
    "https",
    "www",
    "abused_tld",
    "tld_length",
    "suffix_labels",
    "popular_log_rank",
    "main_host",
    "hosting_platform",
    "shortener",
    "open_redirect",
    "login_words",
    "file_kind",
    "double_slash_in_path",
    "percent_escapes",
    "longest_path_token",
    "url_inside_path",
    "label_consonant_run",
    "label_vowel_ratio",
    "path_digits",
    "has_fragment",
    "host_tokens",
    "path_tokens",
)

# Not ranked in the shipped Tranco top 50k: one step beyond the last rank (log10 50000 = 4.7).
_UNRANKED = 5.0
_MAIN_HOSTS = frozenset(["", "www", "m"])
_PORT = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^/?#]*:(\d+)(?:[/?#]|$)")
_REDIRECT = re.compile(
    r"[?&;](?:url|q|to|u|redirect|redirect_uri|next|dest|continue|target)=(?:https?|www)", re.I
)
_LOGIN = re.compile(
    r"log-?in|signin|sign-in|verif|secure|account|update|confirm|banking|wallet|"
    r"otp|kyc|unlock|suspend|recover|validate|webscr|auth|password|reward|claim|bonus|refund"
)
_TOKEN = re.compile(r"[a-z0-9]+")
_SCRIPT_EXT = frozenset(["php", "asp", "aspx", "jsp", "cgi", "pl"])
_PAGE_EXT = frozenset(["html", "htm", "shtml"])
_FILE_EXT = frozenset(["exe", "apk", "zip", "rar", "pdf", "doc", "docx", "xls", "js", "scr"])
_EXT = re.compile(r"\.([a-z0-9]{1,5})$")
_CONSONANTS = re.compile(r"[bcdfghjklmnpqrstvwxz]+")
_VOWELS = frozenset("aeiou")


def _entropy(text: str) -> float:
    if not text:
        return 0.0
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in Counter(text).values())


def _file_kind(route: str) -> float:
    """0 no extension, 1 server script (.php …), 2 static page (.html …), 3 file, 4 other."""
    found = _EXT.search(route)
    if found is None:
        return 0.0
    ext = found.group(1)
    if ext in _SCRIPT_EXT:
        return 1.0
    if ext in _PAGE_EXT:
        return 2.0
    return 3.0 if ext in _FILE_EXT else 4.0


def url_features(url: ParsedUrl) -> list[float]:
    """The values of ``URL_FEATURE_NAMES`` for one parsed URL (floats, never NaN).

    >>> dict(zip(URL_FEATURE_NAMES, url_features(parse_url("http://1.2.3.4:8080/a/b.php"))))["has_port"]
    1.0
    """
    text, path = url.text, url.path
    route, _, query = path.partition("?")
    lowered = path.lower()
    path_words = _TOKEN.findall(lowered)
    h = _host_features(url.host, url.registrable, url.label, url.subdomain, url.suffix, url.is_ip)
    return [
        float(len(text)),
        h[0],
        float(len(path)),
        float(route.count("/")),
        float(query.count("&") + query.count(";") + 1) if query else 0.0,
        *h[1:7],
        sum(map(str.isdigit, text)) / len(text),
        sum(map(str.isupper, path)) / len(path) if path else 0.0,
        h[7],
        _entropy(lowered),
        h[8],
        float(_PORT.match(text) is not None),
        float("@" in text),
        h[9],
        float(text.startswith("https://")),
        *h[10:18],
        float(_REDIRECT.search(path) is not None),
        float(len(_LOGIN.findall(url.host + lowered))),  # a word may span host and path
        _file_kind(route.lower()),
        float(route.count("//")),
        float(path.count("%")),
        float(max(map(len, path_words), default=0)),
        float("http" in lowered or "www." in lowered),
        *h[18:20],
        float(sum(map(str.isdigit, path))),
        float("#" in text),
        h[20],
        float(len(path_words)),
    ]


@lru_cache(maxsize=16_384)
def _host_features(
    host: str, registrable: str, label: str, subdomain: str, suffix: str, is_ip: bool
) -> tuple[float, ...]:
    """The features of the host alone, in ``URL_FEATURE_NAMES`` order (21 of them).

    Cached per host: a URL and its bare domain share them, and hosts come back.
    """
    suffix_last = suffix.rsplit(".", 1)[-1]
    rank = None if is_ip else popular_rank(registrable)
    letters = sum(map(str.isalpha, label))
    runs = _CONSONANTS.findall(label)
    return (
        float(len(host)),  # 0 host_length
        float(host.count(".")),  # 1 host_dots
        float(host.count("-")),  # 2 host_hyphens
        float(sum(map(str.isdigit, host))),  # 3 host_digits
        float(len(subdomain.split("."))) if subdomain else 0.0,  # 4 subdomain_labels
        float(max(map(len, host.split(".")))),  # 5 longest_host_label
        float(len(label)),  # 6 label_length
        _entropy(host),  # 7 host_entropy
        float(is_ip),  # 8 is_ip
        float(not host.isascii() or "xn--" in host),  # 9 non_ascii_host
        float(host.startswith("www.")),  # 10 www
        float(bool(suffix_last) and suffix_last in domain_list("suspicious_tlds.txt")),  # 11
        float(len(suffix_last)),  # 12 tld_length
        float(suffix.count(".") + 1) if suffix else 0.0,  # 13 suffix_labels
        math.log10(rank) if rank is not None else _UNRANKED,  # 14 popular_log_rank
        float(subdomain in _MAIN_HOSTS),  # 15 main_host
        float(on_list(host, "free_hosts.txt")),  # 16 hosting_platform
        float(on_list(host, "shorteners.txt")),  # 17 shortener
        float(max(map(len, runs), default=0)),  # 18 label_consonant_run
        sum(map(_VOWELS.__contains__, label)) / letters if letters else 0.0,  # 19
        float(len(_TOKEN.findall(host))),  # 20 host_tokens
    )


def url_feature_matrix(
    urls: Sequence[ParsedUrl], logits: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]:
    """One row of :func:`url_features` per URL, plus the linear model's logit as last column."""
    rows = np.array([url_features(url) for url in urls], dtype=np.float64)
    rows = rows.reshape(len(urls), len(URL_FEATURE_NAMES))
    if logits is None:
        return rows
    return np.hstack([rows, np.asarray(logits, dtype=np.float64).reshape(-1, 1)])
