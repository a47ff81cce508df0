"""Link rules and model: imitations flagged with the right reason, popular domains low."""

from __future__ import annotations

import pytest

from tangkal.detect import score_link, score_links


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://bca.co.id.verify-login.top/secure", "brand_in_subdomain"),
        ("https://maybamk2u.com.my-login.xyz", "imitates_brand"),
        ("http://vietcombamk.com/xac-minh", "imitates_brand"),
        ("https://xn--pypal-4ve.com/signin", "idn_mixed_scripts"),
        ("http://192.168.10.5/klikbca/login", "raw_ip_host"),
        ("klikbca-update.com", "brand_in_domain"),
    ],
)
def test_brand_imitation_reason(url: str, code: str) -> None:
    score = score_link(url)
    assert score.risk >= 0.5
    assert code in [r.code for r in score.reasons]


@pytest.mark.parametrize(
    "domain", ["youtube.com", "https://www.wikipedia.org/wiki/ASEAN", "etherscan.io", "exness.com"]
)
def test_popular_domains_score_low(domain: str) -> None:
    score = score_link(domain)
    assert score.risk <= 0.1
    assert "popular_domain" in [r.code for r in score.reasons]


def test_official_brand_domain_is_safe() -> None:
    score = score_link("https://ib.bca.co.id/login")
    assert score.risk <= 0.05
    assert score.reasons[0].code == "official_brand_domain"


def test_hosting_platform_is_not_treated_as_popular() -> None:
    score = score_link("https://sites.google.com/view/bca-verify-account")
    assert "popular_domain" not in [r.code for r in score.reasons]
    assert "free_hosting" in [r.code for r in score.reasons]


def test_batch_matches_single() -> None:
    values = ["google.com", "bca.co.id.verify-login.top", "bit.ly/3abc"]
    assert [s.risk for s in score_links(values)] == [score_link(v).risk for v in values]
