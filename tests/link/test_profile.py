"""A network's profile, its STIX export and the network of a value."""

from __future__ import annotations

import datetime as dt

from stix2validator import ValidationOptions, validate_instance

from tangkal.check.lookup import check_one
from tangkal.link.profile import network_profile
from tangkal.link.stix import network_to_stix
from tangkal.link.summary import list_networks
from tangkal.store import Store
from tests.link.build import account, file, phone, value

WEEK1 = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
WEEK2 = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def _network(store: Store) -> str:
    with store.begin() as session:
        file(
            session,
            [phone(1), value("url", "https://t.me/")],
            country="ID",
            typology="investment",
            loss_amount="1000000",
            loss_currency="IDR",
            received_at=WEEK1.isoformat(),
        )
        file(
            session,
            [phone(1), account(4, "KH")],
            country="MY",
            typology="investment",
            loss_amount="50.00",
            loss_currency="USD",
            received_at=WEEK1.isoformat(),
        )
        file(
            session,
            [account(4, "KH")],
            country="MY",
            typology="job_task",
            received_at=WEEK2.isoformat(),
        )
        (net,) = list_networks(session)
        return net.id  # fmt: skip


def test_profile_names_victims_losses_growth_and_infrastructure(store: Store) -> None:
    nid = _network(store)
    with store.read() as session:
        p = network_profile(session, nid)
    assert p["reports"] == 3 and p["victims"] == {"MY": 2, "ID": 1}
    assert p["typologies"] == {"investment": 2, "job_task": 1}
    assert p["loss"]["by_currency"] == {"IDR": 1000000.0, "USD": 50.0}
    assert 50 < p["loss"]["usd_total"] < 200  # 50 USD plus about 60 USD of rupiah
    assert [(w["week"], w["reports"], w["cumulative"]) for w in p["weekly"]] == [
        ("2026-W45", 2, 2), ("2026-W46", 1, 3),
    ]  # fmt: skip
    assert p["first_seen"].startswith("2026-11-02") and p["last_seen"].startswith("2026-11-10")
    assert p["infrastructure"] == {"ID": {"phone": 1}, "KH": {"bank_account": 1}}
    assert p["cross_border"] and "infrastructure in KH" in p["cross_border_reasons"]
    keys = [(k["kind"], k["reports"]) for k in p["key_indicators"]]
    assert keys == [("phone", 2), ("bank_account", 2)]  # the hub t.me is not key


def test_network_of_a_value_is_public_counts_only(store: Store) -> None:
    nid = _network(store)
    with store.read() as session:
        assert check_one(session, account(4).value, kind="bank_account").network == {
            "id": nid, "reports": 3, "countries": 2,
            "text": f"part of network {nid}: 3 reports in 2 countries",
        }  # fmt: skip
        assert check_one(session, "https://t.me/", kind="url").network is None  # a hub
        assert check_one(session, "+6281299999999", kind="phone").network is None


def test_stix_export_is_valid_and_deterministic(store: Store) -> None:
    nid = _network(store)
    with store.read() as session:
        first = network_to_stix(session, nid)
        second = network_to_stix(session, nid)
    result = validate_instance(first, ValidationOptions(strict=False))
    assert result.is_valid, [str(e) for e in result.errors]
    objects = {o["id"]: o for o in first["objects"]}
    (grouping,) = [o for o in objects.values() if o["type"] == "grouping"]
    assert grouping["context"] == "suspicious-activity" and "cross-border" in grouping["labels"]
    refs = set(grouping["object_refs"])
    assert refs <= set(objects)
    kinds = sorted(objects[r]["type"] for r in refs)
    assert kinds == ["indicator", "indicator", "relationship"]
    assert [o["id"] for o in first["objects"]] == [o["id"] for o in second["objects"]]
