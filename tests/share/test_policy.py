"""The distribution policy as a full matrix: every level × marking × recipient kind."""

from __future__ import annotations

import itertools

import pytest

from tangkal.share.policy import (
    LEVELS,
    TLP,
    Recipient,
    audience_recipient,
    may_share,
    recipient_for,
)

HOME = "ID"
RECIPIENTS = {
    "same_node": Recipient("ID", "Bareskrim", None, "same_node"),
    "asean_member": Recipient("MY", "PDRM", "my-node", "asean_member"),
    "dialogue_partner": Recipient("JP", "NPA Japan", "jp-node", "dialogue_partner"),
    "international": Recipient("FR", "INTERPOL", "ipsg", "international"),
}

# The documented matrix (docs/federation.md), written out rather than recomputed:
# which recipient kinds may receive each level, for CLEAR, GREEN and AMBER.
OPEN_MATRIX = {
    "organisation": set(),
    "national": {"same_node"},
    "asean": {"same_node", "asean_member"},
    "partners": {"same_node", "asean_member", "dialogue_partner", "international"},
    "public": {"same_node", "asean_member", "dialogue_partner", "international"},
}


def expected(level: str, tlp: str, kind: str) -> bool:
    if tlp in ("RED", "AMBER+STRICT"):  # AMBER+STRICT needs a named addressee (below)
        return False
    return kind in OPEN_MATRIX[level]


@pytest.mark.parametrize(("level", "tlp", "kind"), list(itertools.product(LEVELS, TLP, RECIPIENTS)))
def test_matrix(level: str, tlp: str, kind: str) -> None:
    got = may_share(level, tlp, frozenset(), RECIPIENTS[kind], home_country=HOME)
    assert got is expected(level, tlp, kind)


@pytest.mark.parametrize(("level", "kind"), list(itertools.product(LEVELS, RECIPIENTS)))
def test_amber_strict_reaches_only_the_named_organisation(level: str, kind: str) -> None:
    r = RECIPIENTS[kind]
    named = frozenset({f"to:{r.org_name}"})
    other = frozenset({"to:Someone Else"})
    assert may_share(level, "AMBER+STRICT", named, r, home_country=HOME) is (
        kind in OPEN_MATRIX[level]
    )
    assert may_share(level, "AMBER+STRICT", other, r, home_country=HOME) is False
    # An addressee restricts every marking, not only AMBER+STRICT.
    assert may_share(level, "GREEN", other, r, home_country=HOME) is False


@pytest.mark.parametrize("level", LEVELS)
def test_red_never_leaves_even_when_addressed(level: str) -> None:
    for r in RECIPIENTS.values():
        handling = frozenset({f"to:{r.org_name}"})
        assert may_share(level, "RED", handling, r, home_country=HOME) is False


def test_handling_codes_travel_but_do_not_widen() -> None:
    r = RECIPIENTS["asean_member"]
    for code in ("no-court-use", "no-onward-sharing"):
        assert may_share("asean", "GREEN", frozenset({code}), r, home_country=HOME)
        assert not may_share("national", "GREEN", frozenset({code}), r, home_country=HOME)


def test_unknown_values_fail_closed() -> None:
    r = RECIPIENTS["asean_member"]
    assert not may_share("everyone", "CLEAR", frozenset(), r, home_country=HOME)
    assert not may_share("public", "WHITE", frozenset(), r, home_country=HOME)


def test_a_recipient_claiming_a_kind_it_is_not_gets_only_public_clear() -> None:
    fake_member = Recipient("US", "Spoof", "x", "asean_member")
    fake_partner = Recipient("XK", "Spoof", "x", "dialogue_partner")
    fake_body = Recipient("FR", "Not Interpol", "x", "international")
    fake_local = Recipient("MY", "Spoof", None, "same_node")
    for r in (fake_member, fake_partner, fake_body, fake_local):
        assert not may_share("asean", "GREEN", frozenset(), r, home_country=HOME)
        assert not may_share("partners", "GREEN", frozenset(), r, home_country=HOME)
        assert not may_share("public", "GREEN", frozenset(), r, home_country=HOME)
        assert may_share("public", "CLEAR", frozenset(), r, home_country=HOME)


def test_recipient_for_classifies_organisations() -> None:
    assert recipient_for("PDRM", "MY", node="my", home_country="ID").kind == "asean_member"
    assert recipient_for("NPA", "JP", node="jp", home_country="ID").kind == "dialogue_partner"
    assert recipient_for("INTERPOL", "FR", node="i", home_country="ID").kind == "international"
    assert recipient_for("Polri", "ID", node=None, home_country="ID").kind == "same_node"
    # Another node in our own country is still another node: national data stays here.
    other = recipient_for("Bank", "ID", node="id-2", home_country="ID")
    assert not may_share("national", "GREEN", frozenset(), other, home_country="ID")


def test_audiences_nest() -> None:
    for level, tlp in itertools.product(LEVELS, TLP):
        pub = may_share(level, tlp, frozenset(), audience_recipient("public"), home_country=HOME)
        par = may_share(level, tlp, frozenset(), audience_recipient("partners"), home_country=HOME)
        asean = may_share(level, tlp, frozenset(), audience_recipient("asean"), home_country=HOME)
        assert (not pub or par) and (not par or asean)
    assert may_share(
        "public", "CLEAR", frozenset(), audience_recipient("public"), home_country=HOME
    )
    assert not may_share(
        "public", "GREEN", frozenset(), audience_recipient("public"), home_country=HOME
    )
