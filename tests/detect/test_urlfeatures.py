"""Lexical URL features: each named value measures what its name says."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tangkal.detect.domains import parse_url
from tangkal.detect.urlfeatures import (
    URL_FEATURE_NAMES,
    _host_features,
    url_feature_matrix,
    url_features,
)


def _features(url: str) -> dict[str, float]:
    return dict(zip(URL_FEATURE_NAMES, url_features(parse_url(url)), strict=True))


def test_path_and_query_shape() -> None:
    f = _features("https://shop.example.co.uk/a/b/c.php?x=1&y=2;z=3#top")
    assert f["path_depth"] == 3
    assert f["query_params"] == 3
    assert f["file_kind"] == 1  # server script
    assert f["https"] == 1 and f["has_fragment"] == 1
    assert f["suffix_labels"] == 2 and f["tld_length"] == 2
    assert f["subdomain_labels"] == 1 and f["host_dots"] == 3


def test_host_tricks() -> None:
    f = _features("http://user@10.0.0.1:8080/login/verify")
    assert f["is_ip"] == 1 and f["has_port"] == 1 and f["has_at"] == 1
    assert f["login_words"] == 2
    assert f["popular_log_rank"] == 5.0  # an IP has no rank
    g = _features("xn--pypal-4ve.com")
    assert g["non_ascii_host"] == 1 and g["path_length"] == 0 and g["query_params"] == 0
    assert _features("http://example.com:80x/")["has_port"] == 0  # not a port number


def test_lists_and_ranks() -> None:
    main = _features("https://www.wikipedia.org/wiki/ASEAN")
    assert main["main_host"] == 1 and main["www"] == 1
    assert main["popular_log_rank"] < math.log10(50_000)
    assert _features("https://a.b.wikipedia.org/")["main_host"] == 0
    assert _features("https://sites.google.com/view/x")["hosting_platform"] == 1
    assert _features("bit.ly/3abc")["shortener"] == 1
    assert _features("https://vk.com/away.php?to=http://x.top")["open_redirect"] == 1
    assert _features("https://vk.com/away.php?to=http://x.top")["url_inside_path"] == 1
    assert _features("http://pay-verify.top")["abused_tld"] == 1


def test_character_statistics() -> None:
    f = _features("http://a1b2.com/ABcd")
    assert f["url_digit_ratio"] == pytest.approx(2 / len("http://a1b2.com/abcd"))
    assert f["path_upper_ratio"] == pytest.approx(2 / 5)
    assert f["host_digits"] == 2
    assert f["host_entropy"] == pytest.approx(-sum(
        n / 8 * math.log2(n / 8) for n in (1, 1, 1, 1, 1, 1, 1, 1)
    ))  # fmt: skip
    assert _features("http://xkcdqwrt.com")["label_consonant_run"] == 8
    assert _features("http://aeiou.com")["label_vowel_ratio"] == 1.0


@pytest.mark.parametrize(
    "url", ["a.b", "http://1.2.3.4", "https://例え.jp/パス?q=1", "x.com/" + "a" * 3000]
)
def test_matrix_is_finite_and_carries_the_logit(url: str) -> None:
    parsed = [parse_url(url), parse_url("example.com")]
    matrix = url_feature_matrix(parsed, np.array([1.5, -2.0]))
    assert matrix.shape == (2, len(URL_FEATURE_NAMES) + 1)
    assert np.isfinite(matrix).all()
    assert matrix[:, -1].tolist() == [1.5, -2.0]
    assert url_feature_matrix(parsed).shape == (2, len(URL_FEATURE_NAMES))


# url_features of these URLs before the host part was cached (session 5's code), pinned:
# the cached host features must put every value back in its column.
_PINNED = {
    "http://1.2.3.4:8080/a/b.php": [
        27.0,
        7.0,
        8.0,
        2.0,
        0.0,
        3.0,
        0.0,
        4.0,
        0.0,
        1.0,
        7.0,
        0.2962962962962963,
        0.0,
        2.1280852788913944,
        2.5,
        1.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        5.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        3.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        4.0,
        3.0,
    ],
    "https://Login-BCA.co.id.verify-akun.top/Secure//x.html?a=1&b=%20#f": [
        66.0,
        31.0,
        25.0,
        3.0,
        2.0,
        4.0,
        2.0,
        0.0,
        3.0,
        11.0,
        11.0,
        0.045454545454545456,
        0.04,
        4.1313003425053605,
        4.293660689688184,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        1.0,
        3.0,
        1.0,
        5.0,
        0.0,
        0.0,
        0.0,
        0.0,
        3.0,
        2.0,
        1.0,
        1.0,
        6.0,
        0.0,
        1.0,
        0.4,
        3.0,
        1.0,
        7.0,
        7.0,
    ],
    "wa.me": [
        5.0,
        5.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        2.0,
        2.0,
        0.0,
        0.0,
        2.321928094887362,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
        2.0,
        1.0,
        1.8129133566428555,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.5,
        0.0,
        0.0,
        2.0,
        0.0,
    ],
    "https://www.google.com/url?q=https://evil.top": [
        45.0,
        14.0,
        23.0,
        1.0,
        1.0,
        2.0,
        0.0,
        0.0,
        1.0,
        6.0,
        6.0,
        0.0,
        0.0,
        2.8423709931771093,
        3.9361804341297555,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
        1.0,
        0.0,
        3.0,
        1.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        5.0,
        1.0,
        2.0,
        0.5,
        0.0,
        0.0,
        3.0,
        5.0,
    ],
    "http://xn--80ak6aa92e.com/login": [
        31.0,
        9.0,
        6.0,
        1.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        5.0,
        5.0,
        0.16129032258064516,
        0.0,
        2.94770277922009,
        2.584962500721156,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        3.0,
        1.0,
        5.0,
        1.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        5.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
        1.0,
    ],
}


@pytest.mark.parametrize("url", list(_PINNED))
def test_features_equal_the_uncached_version(url: str) -> None:
    _host_features.cache_clear()
    cold = url_features(parse_url(url))
    warm = url_features(parse_url(url))  # host part from the cache
    assert cold == warm == _PINNED[url]
    assert len(cold) == len(URL_FEATURE_NAMES)
