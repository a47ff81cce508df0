"""The single check, the batch screen and the library give the same answers on both stores."""

from __future__ import annotations

import datetime as dt

import pytest

from tangkal.check.allowlist import add
from tangkal.check.lookup import check_many, check_one
from tangkal.check.point import PointReader
from tangkal.errors import InvalidInput
from tangkal.link.batch import recompute
from tangkal.store import Store
from tests.factories import file_report

NOW = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
SHARED = "+62 812-5555-0101"
VALUES = [
    SHARED,  # two reporters, in a network
    "+6281255550101",  # the same number, already E.164
    "+60 12-345 6789",  # one report: suspicious, a network of its own? no: alone
    "https://www.bca.co.id/login",  # allowlisted through its domain
    "+62 812-9999-0000",  # nobody reported it
    "not a value at all",  # invalid: an error entry, not a failure
]


@pytest.fixture
def filled(store: Store) -> Store:
    for reporter, extra in [("citizen:1", "111122223333"), ("citizen:2", None)]:
        values = [SHARED] + ([extra] if extra else [])
        file_report(
            store, reporter, typology="investment",
            indicators=[{"value": v} for v in values],
        )  # fmt: skip
    file_report(store, "citizen:3", victim_country="MY", indicators=[{"value": "+60123456789"}])
    with store.begin() as session:
        add(session, "bca.co.id", kind="domain", label="Bank Central Asia", actor="test")
        recompute(session, degree_cap=100)
    return store


def test_batch_equals_single_checks_on_every_path(filled: Store) -> None:
    reader = PointReader(filled.engine)
    try:
        batch = [r.as_dict() for r in reader.check_many(VALUES, "ID", now=NOW)]
        with filled.read() as session:
            library = [r.as_dict() for r in check_many(session, VALUES, "ID", now=NOW)]
            singles = [check_one(session, v, "ID", now=NOW).as_dict() for v in VALUES[:-1]]
        points = [reader.check(v, "ID", now=NOW).as_dict() for v in VALUES[:-1]]
        with pytest.raises(InvalidInput):
            reader.check(VALUES[-1], "ID")
    finally:
        reader.close()

    assert batch == library
    assert batch[:-1] == singles == points
    verdicts = [r.get("verdict") for r in batch]
    assert verdicts == ["scam", "scam", "suspicious", "allowlisted", "no_reports", None]
    assert batch[0]["network"] == batch[1]["network"]
    assert batch[0]["network"]["reports"] == 2
    assert "network" not in batch[2] and "network" not in batch[4]
    assert batch[3]["allowlisted_as"] == "Bank Central Asia"
    assert batch[5]["error"]
    assert batch[0]["evidence"]["first_seen"].endswith("+00:00")
