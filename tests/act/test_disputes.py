"""Due process: disputes filed publicly, resolved with a reason, felt by the check verdict."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tangkal.act import cases, disputes, requests
from tangkal.audit.models import AuditEvent
from tangkal.check.lookup import check_one
from tangkal.errors import IllegalTransition, InvalidInput, PermissionDenied
from tangkal.report.models import Indicator
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report

URL = "https://cheap-iphone-deals.example.com/checkout"


def flag(store: Store, times: int = 3) -> None:
    for i in range(times):
        file_report(
            store, f"org:{i}", trusted=True, narrative=f"Scam shop {URL} took my money #{i}"
        )


def dispute(store: Store, **kw: object) -> int:
    with store.begin() as s:
        return disputes.file_dispute(
            s, URL, claimant_name="Shop owner", claimant_contact="+62 811 0000 0000",
            statement="We are a registered shop.", **kw,  # type: ignore[arg-type]
        ).id  # fmt: skip


def verdict(store: Store) -> str:
    with store.read() as s:
        return check_one(s, URL).verdict


@pytest.mark.parametrize(("outcome", "status", "after"), [
    ("uphold", "upheld", "scam"), ("delist", "delisted", None), ("allowlist", "allowlisted", None),
])  # fmt: skip
def test_each_outcome(
    store: Store, cast: dict[str, Actor], outcome: str, status: str, after: str | None
) -> None:
    flag(store)
    before = verdict(store)
    assert before == "scam"
    dispute_id = dispute(store)
    with store.begin() as s:
        with pytest.raises(InvalidInput) as err:
            disputes.resolve_dispute(s, cast["bank_id"].who, dispute_id, outcome, "  ")
        assert err.value.field == "reason"
    with store.begin() as s:
        d = disputes.resolve_dispute(s, cast["bank_id"].who, dispute_id, outcome, "Checked.")
        assert (d.status, d.resolution_reason) == (status, "Checked.")
    now = verdict(store)
    if after is not None:
        assert now == after
    else:
        assert now != "scam"
    with store.read() as s:
        delisted = s.scalar(select(Indicator.delisted_at).where(Indicator.value == URL))
        assert (delisted is None) == (outcome == "uphold")
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == f"dispute.{outcome}"))
        assert event is not None and event.details is not None
        # A delisting is re-published for the peers; upholding changes nothing to share.
        assert event.details["propagated"] is (outcome != "uphold")
    with store.begin() as s, pytest.raises(IllegalTransition):
        disputes.resolve_dispute(s, cast["bank_id"].who, dispute_id, "uphold", "again")


def test_upheld_share(store: Store, cast: dict[str, Actor]) -> None:
    flag(store)
    with store.read() as s:
        assert disputes.upheld_share(s) is None
    first, second = dispute(store), dispute(store)
    with store.begin() as s:
        disputes.resolve_dispute(s, cast["bank_id"].who, first, "uphold", "Confirmed.")
        assert disputes.upheld_share(s) == 1.0
        disputes.resolve_dispute(s, cast["bank_id"].who, second, "delist", "Owner proved it.")
        assert disputes.upheld_share(s) == 0.5


def test_bad_disputes_are_refused(store: Store, cast: dict[str, Actor]) -> None:
    flag(store)
    with store.begin() as s:
        for value, field in (("https://never-reported.example.org", "value"), ("", "value")):
            with pytest.raises(InvalidInput) as err:
                disputes.file_dispute(s, value, claimant_name="a", claimant_contact="b",
                                      statement="c")  # fmt: skip
            assert err.value.field == field
    with pytest.raises(InvalidInput) as err:
        dispute(store, type="unfreeze")  # an unfreeze names the freeze request
    assert err.value.field == "request_id"
    with store.begin() as s, pytest.raises(PermissionDenied):
        disputes.list_disputes(s, cast["police_id"].who)


def test_unfreeze_goes_through_the_same_path(store: Store, cast: dict[str, Actor]) -> None:
    flag(store)
    police, bank = cast["police_id"], cast["bank_th"]
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Shop")
        req = requests.create_request(s, police.who, case.id, "freeze", bank.org_id,
                                      subjects=[URL], currency="THB")  # fmt: skip
    dispute_id = dispute(store, type="unfreeze", request_id=req.id)
    with store.begin() as s:
        d = disputes.resolve_dispute(s, cast["bank_id"].who, dispute_id, "delist", "Released.")
        assert (d.type, d.request_id, d.status) == ("unfreeze", req.id, "delisted")
