"""The pure STIX mapping: valid for stix2-validator, deterministic, reversible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
import stix2
from stix2patterns.validator import validate as validate_pattern
from stix2validator import ValidationOptions, validate_parsed_json

from tangkal.share import stix

NOW = dt.datetime(2026, 11, 28, 7, 0, 0, 123456, tzinfo=dt.UTC)
NODE = "my-node"
NODE_ID = stix.identity(NODE, node=NODE, country="MY")["id"]


@dataclass
class Ind:
    kind: str
    value: str
    attributes: dict[str, Any] | None = field(default_factory=dict)
    first_seen: dt.datetime | None = NOW - dt.timedelta(days=3)
    updated_at: dt.datetime = NOW
    delisted_at: dt.datetime | None = None
    typologies: str = "investment,job_task"


SAMPLES = [
    Ind("phone", "+60123456789"),
    Ind("url", "https://bit.ly/x'y\\z"),
    Ind("domain", "maybank2u-login.com"),
    Ind("email", "cs@hadiah-shopee.id"),
    Ind("bank_account", "1234567890", {"bank": "MBB", "country": "MY"}),
    Ind("crypto_wallet", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", {"chain": "tron"}),
    Ind("social_handle", "telegram:cuan_cepat"),
    Ind("ewallet", "+60123456789", {"provider": "tng"}),
]


def _map(ind: Ind, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"distribution": "asean", "tlp": "GREEN"} | kw
    return stix.indicator_to_stix(ind, node_identity_id=NODE_ID, node=NODE, **args)


def _valid(objects: list[dict[str, Any]]) -> None:
    report = validate_parsed_json(stix.bundle(objects), ValidationOptions(version="2.1"))
    assert report.is_valid, [str(e) for e in report.errors]


@pytest.mark.parametrize("ind", SAMPLES, ids=lambda i: i.kind)
def test_every_kind_maps_to_valid_stix_and_back(ind: Ind) -> None:
    obj = _map(ind, handling=frozenset({"no-court-use"}), evidence={"countries": ["MY", "ID"]})
    assert validate_pattern(obj["pattern"], stix_version="2.1") is True
    sco = stix.observable(ind.kind, ind.value, ind.attributes)
    sighting = stix.sighting_to_stix(
        indicator=obj, count=4, countries=["MY", "ID"], first_seen=ind.first_seen,
        last_seen=NOW, node_identity_id=NODE_ID,
    )  # fmt: skip
    _valid([
        *stix.static_objects(NODE, "MY"), obj, sco, sighting, stix.location("MY"),
        stix.location("ID"), stix.distribution_marking("asean", ["no-court-use"]),
    ])  # fmt: skip
    back = stix.stix_to_indicator(obj)
    assert (back.kind, back.value, back.tlp, back.distribution) == (
        ind.kind,
        ind.value,
        "GREEN",
        "asean",
    )
    assert back.handling == {"no-court-use"} and back.countries == ("MY", "ID")
    assert back.labels == ("investment", "job_task")
    # The stix2 library (as OpenCTI and MISP tooling use it) reads every object too.
    stix2.parse(obj, allow_custom=True)
    stix2.parse(sighting, allow_custom=True)


def test_phone_bank_and_wallet_use_the_opencti_custom_observables() -> None:
    types = {i.kind: stix.observable(i.kind, i.value, i.attributes) for i in SAMPLES}
    assert types["phone"]["type"] == "phone-number"
    assert types["bank_account"]["type"] == "bank-account"
    assert types["bank_account"]["account_number"] == "1234567890"
    assert types["crypto_wallet"]["type"] == "cryptocurrency-wallet"
    for kind in ("phone", "bank_account", "crypto_wallet"):
        ext = types[kind]["extensions"][stix.OCTI_SCO_EXTENSION]
        assert ext == {"extension_type": "new-sco"}
    assert types["social_handle"]["account_type"] == "telegram"


def test_ids_are_deterministic_per_node_and_value() -> None:
    a, b = _map(SAMPLES[0]), _map(SAMPLES[0])
    assert a["id"] == b["id"] == stix.indicator_id("phone", "+60123456789", NODE)
    other = stix.indicator_to_stix(
        SAMPLES[0], node_identity_id=NODE_ID, node="id-node", distribution="asean", tlp="GREEN"
    )
    assert other["id"] != a["id"]
    assert stix.observable("phone", "+60123456789") == stix.observable("phone", "+60123456789")
    assert stix.location("MY")["id"] == stix.location("MY")["id"]


def test_tlp_markings_are_the_official_tlp2_objects() -> None:
    assert stix.TLP_MARKING_IDS["AMBER+STRICT"] == (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
    )
    for tlp, mid in stix.TLP_MARKING_IDS.items():
        m = stix.tlp_marking(tlp)
        assert m["id"] == mid and m["name"] == f"TLP:{tlp}"
        assert m["created"] == "2022-10-01T00:00:00.000Z"
    assert _map(SAMPLES[0], tlp="AMBER")["object_marking_refs"][0] == stix.TLP_MARKING_IDS["AMBER"]


def test_delisting_revokes_with_a_newer_modified() -> None:
    later = NOW + dt.timedelta(hours=1)
    obj = _map(Ind("phone", "+60123456789", delisted_at=later))
    assert obj["revoked"] is True
    assert obj["modified"] == stix.timestamp(later) > _map(SAMPLES[0])["modified"]
    assert stix.stix_to_indicator(obj).revoked is True


def test_report_objects_group_a_network() -> None:
    members = [_map(i) for i in SAMPLES[:3]]
    report = stix.report_to_stix(
        "Network 12", key="network:12", node=NODE, published=NOW,
        object_refs=[m["id"] for m in members], node_identity_id=NODE_ID,
        description="Three values reported together",
    )  # fmt: skip
    _valid([*stix.static_objects(NODE, "MY"), *members, report])


def test_foreign_indicators_are_read_from_their_pattern() -> None:
    foreign = {
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--2f5b8c8e-0a0c-4d8b-9d1e-8f6c5a4b3a21",
        "created": "2026-01-01T00:00:00Z", "modified": "2026-01-02T00:00:00Z",
        "pattern": "[domain-name:value = 'evil\\'s.example']", "pattern_type": "stix",
        "valid_from": "2026-01-01T00:00:00Z",
        "object_marking_refs": [stix.TLP_MARKING_IDS["CLEAR"]],
    }  # fmt: skip
    got = stix.stix_to_indicator(foreign)
    assert (got.kind, got.value, got.tlp) == ("domain", "evil's.example", "CLEAR")
    for bad in (
        "[domain-name:value = 'a.com' OR domain-name:value = 'b.com']",
        "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
        "[domain-name:value = ",
    ):
        with pytest.raises(ValueError):
            stix.stix_to_indicator({**foreign, "pattern": bad})
    with pytest.raises(ValueError, match="pattern_type"):
        stix.stix_to_indicator({**foreign, "pattern_type": "sigma"})
    with pytest.raises(ValueError, match="expected an indicator"):
        stix.stix_to_indicator({"type": "malware"})


def test_an_extension_that_disagrees_with_its_pattern_is_refused() -> None:
    """Other STIX readers act on the pattern: both must name the same value."""
    ours = _map(SAMPLES[0])
    assert stix.stix_to_indicator(ours).value == SAMPLES[0].value
    ext = ours["extensions"][stix.EXTENSION_ID]
    for changed in (
        {**ours, "pattern": "[phone-number:value = '+60199999999']"},
        {**ours, "extensions": {stix.EXTENSION_ID: {**ext, "value": "+60199999999"}}},
        {**ours, "extensions": {stix.EXTENSION_ID: {**ext, "kind": "no_such_kind"}}},
    ):
        with pytest.raises(ValueError, match="pattern and the Tangkal extension"):
            stix.stix_to_indicator(changed)
