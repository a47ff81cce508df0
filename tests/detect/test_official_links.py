"""Session 8: the ``official_link`` message feature and the brand list's new entries."""

from __future__ import annotations

import pytest

from tangkal.detect import score_link
from tangkal.detect.features import LINK_FLAGS, message_extra_names, message_parts, message_signals


def _flags(text: str) -> dict[str, bool]:
    names = message_extra_names()
    parts = message_parts([text])
    signals = message_signals([text])
    assert (parts.extras == signals.extras).all()  # both paths compute the same features
    row = parts.extras[0]
    return {name: bool(row[names.index(name)]) for name in LINK_FLAGS}


@pytest.mark.parametrize(
    "text",
    [
        "SingPost: Your item RA123456789SG will be delivered today. Track at singpost.com",
        "LTO: Mag-renew online sa portal.lto.gov.ph",
        "KBank: ตรวจสอบรายการที่ https://www.kasikornbank.com",
    ],
)
def test_links_only_to_official_domains_of_trusted_sectors(text: str) -> None:
    assert _flags(text) == {
        "has_link": True,
        "link_rule_strong": False,
        "link_rule_weak": False,
        "official_link": True,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Add me on LINE line.me/ti/p/abc123 for the job",  # a platform, not a sender
        "Shop here s.lazada.com.ph/s.abc for the promo",  # a marketplace
        "Track at singpost.com or pay at singpost-redelivery.info",  # one link is not official
        "Pay the fee at bca.co.id.verify-login.top",  # a look-alike
        "No link in this message at all",
    ],
)
def test_other_links_are_not_official(text: str) -> None:
    assert not _flags(text)["official_link"]


def test_tmb_banks_legacy_domain_is_its_own_not_an_imitation() -> None:
    reasons = [r.code for r in score_link("https://www.tmbbank.com/en").reasons]
    assert reasons[0] == "official_brand_domain", reasons
    assert "imitates_brand" not in reasons
    # Now a protected brand itself: other domains that wear its name are read as such.
    assert score_link("tmbbank-verify.net").reasons[0].code == "brand_in_domain"
    # Its own name under another ending wears that name (it was read as a look-alike of
    # ttbbank.com, one letter away, before exact names ranked first: session 10, brands).
    first = score_link("tmbbank.net").reasons[0]
    assert (first.code, first.params["brand"]) == ("brand_in_domain", "tmbbank.com")


def test_flash_express_philippines_is_not_read_as_a_look_alike() -> None:
    reasons = [r.code for r in score_link("flashexpress.ph").reasons]
    assert reasons[0] == "official_brand_domain", reasons
