"""Hub values: platforms, shorteners, free hosting and mail, and the allowlist."""

from __future__ import annotations

import pytest

from tangkal.link.hubs import HubRules, shipped_hubs


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        ("domain", "bit.ly", "platform"),
        ("domain", "tinyurl.com", "shortener"),
        ("domain", "github.io", "free_hosting"),
        ("domain", "gmail.com", "free_mail"),
        ("url", "https://t.me/", "platform"),
        ("url", "http://www.docs.google.com/", "platform"),
        ("url", "https://bit.ly/3xYz", None),  # one short link is specific to its sender
        ("url", "https://scam-shop.github.io/", None),  # the scammer's own site
        ("email", "agent.rina@gmail.com", None),
        ("phone", "+6281234567890", None),
        ("domain", "scam-shop.xyz", None),
    ],
)
def test_shipped_rules(kind: str, value: str, reason: str | None) -> None:
    assert HubRules.shipped().reason(kind, value) == reason


def test_allowlisted_values_and_official_sites_never_link() -> None:
    rules = HubRules(
        shipped_hubs(), frozenset({("phone", "+62211500655")}), frozenset({"bca.co.id"})
    )
    assert rules.reason("phone", "+62211500655") == "allowlisted"
    assert rules.reason("domain", "bca.co.id") == "allowlisted"
    assert rules.reason("url", "https://www.bca.co.id/login") == "allowlisted"
    assert rules.reason("url", "https://bca.co.id.verify-id.xyz/login") is None


def test_the_shipped_list_names_its_sources() -> None:
    hubs = shipped_hubs()
    assert {"wa.me", "t.me", "line.me", "docs.google.com", "forms.gle", "linktr.ee", "s.id"} <= set(
        hubs
    )
    assert len(hubs) > 500


def test_every_shortener_the_link_model_knows_is_a_hub() -> None:
    """One list decides both: a value the link rules call a shortener never links reports."""
    from tangkal.detect.domains import domain_list

    hubs = shipped_hubs()
    assert {"j.mp", "gg.gg", "heylink.me", "linktr.ee"} <= hubs.keys()
    assert domain_list("shorteners.txt") <= hubs.keys()
