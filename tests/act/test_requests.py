"""The request state machine, deadlines and amounts, on both stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tangkal.act import cases, requests
from tangkal.act.clock import FixedClock
from tangkal.act.models import CrossBorderRequest, RequestEvent
from tangkal.audit.log import verify
from tangkal.audit.models import AuditEvent
from tangkal.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tangkal.store import Store
from tests.act.conftest import Actor, make_actor
from tests.factories import file_report

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
STATES = ("draft", "submitted", "acknowledged", "in_progress", "executed",
          "partially_executed", "refused", "withdrawn", "closed")  # fmt: skip
# The shortest path of actions from draft to each state.
PATH = {
    "draft": [],
    "submitted": ["submit"],
    "acknowledged": ["submit", "acknowledge"],
    "in_progress": ["submit", "acknowledge", "start"],
    "executed": ["submit", "acknowledge", "start", "execute"],
    "partially_executed": ["submit", "acknowledge", "start", "partially_execute"],
    "refused": ["submit", "refuse"],
    "withdrawn": ["withdraw"],
    "closed": ["withdraw", "close"],
}
LEGAL = {(a, b) for a, targets in requests.TRANSITIONS.items() for b in targets}


def open_case(store: Store, actor: Actor, **kw: object) -> int:
    with store.begin() as s:
        return cases.open_case(s, actor.who, "Syndicate", **kw).id  # type: ignore[arg-type]


def draft(store: Store, cast: dict[str, Actor], type: str = "freeze", to: str = "bank_th",
          clock: FixedClock | None = None, by: str = "police_id", **kw: object) -> int:  # fmt: skip
    case_id = open_case(store, cast[by])
    with store.begin() as s:
        kw.setdefault("currency", "THB")
        return requests.create_request(
            s, cast[by].who, case_id, type, cast[to].org_id,
            subjects=["https://scam-shop.example.com/pay"], clock=clock, **kw,  # type: ignore[arg-type]
        ).id  # fmt: skip


def step(store: Store, cast: dict[str, Actor], req_id: int, action: str,
         clock: FixedClock | None = None, **kw: object) -> CrossBorderRequest:  # fmt: skip
    side = "police_id" if action in ("submit", "withdraw", "close") else "bank_th"
    if action in ("refuse",):
        kw.setdefault("reason", "no account held by that holder")
    with store.begin() as s:
        return requests.transition(s, cast[side].who, req_id, action, clock=clock, **kw)  # type: ignore[arg-type]


def to_state(store: Store, cast: dict[str, Actor], state: str) -> int:
    req_id = draft(store, cast)
    for action in PATH[state]:
        step(store, cast, req_id, action)
    return req_id


@pytest.mark.parametrize("state", STATES)
def test_every_transition_is_allowed_or_refused(
    store: Store, cast: dict[str, Actor], state: str
) -> None:
    """From each state, every action: legal ones move, illegal ones record nothing."""
    for action, target in requests.ACTIONS.items():
        req_id = to_state(store, cast, state)
        with store.read() as s:
            events_before = s.scalar(select(func.count()).select_from(RequestEvent))
        if (state, target) in LEGAL:
            assert step(store, cast, req_id, action).status == target
            continue
        # A draft is hidden from the requested organisation: its steps find nothing.
        hidden = state == "draft" and action not in ("submit", "withdraw", "close")
        with pytest.raises(NotFound if hidden else IllegalTransition) as err:
            step(store, cast, req_id, action)
        assert err.value.field == ("request_id" if hidden else "action")
        with store.read() as s:  # nothing recorded half
            assert s.get(CrossBorderRequest, req_id).status == state  # type: ignore[union-attr]
            assert s.scalar(select(func.count()).select_from(RequestEvent)) == events_before


def test_withdraw_is_allowed_from_every_open_state(store: Store, cast: dict[str, Actor]) -> None:
    for state in ("draft", "submitted", "acknowledged", "in_progress"):
        assert step(store, cast, to_state(store, cast, state), "withdraw").status == "withdrawn"


def test_refusing_needs_a_reason_and_records_nothing_without(
    store: Store, cast: dict[str, Actor]
) -> None:
    req_id = to_state(store, cast, "acknowledged")
    for reason in (None, "  "):
        with pytest.raises(InvalidInput) as err:
            step(store, cast, req_id, "refuse", reason=reason)
        assert err.value.field == "reason"
    refused = step(store, cast, req_id, "refuse", reason="account closed in 2024")
    assert refused.status == "refused" and refused.reason == "account closed in 2024"


def test_only_the_right_side_moves_a_request(store: Store, cast: dict[str, Actor]) -> None:
    req_id = draft(store, cast)
    with store.begin() as s, pytest.raises(NotFound):  # a draft is not shown to the bank yet
        requests.transition(s, cast["bank_th"].who, req_id, "submit")
    step(store, cast, req_id, "submit")
    with store.begin() as s, pytest.raises(PermissionDenied):
        requests.transition(s, cast["bank_th"].who, req_id, "withdraw")
    with store.begin() as s, pytest.raises(PermissionDenied):
        requests.transition(s, cast["police_id"].who, req_id, "acknowledge")
    with store.begin() as s, pytest.raises(NotFound):  # not a party, not a case member
        requests.transition(s, cast["police_my"].who, req_id, "acknowledge")


def test_history_and_timestamps_are_recorded(store: Store, cast: dict[str, Actor]) -> None:
    clock = FixedClock(T0)
    req_id = draft(store, cast, clock=clock)
    for action, hours in (("submit", 0), ("acknowledge", 0.5), ("start", 1), ("execute", 20)):
        clock.at = T0 + dt.timedelta(hours=hours)
        step(store, cast, req_id, action, clock=clock)
    with store.read() as s:
        req = s.get(CrossBorderRequest, req_id)
        assert req is not None
        assert (req.submitted_at, req.acknowledged_at, req.executed_at) == (
            T0,
            T0 + dt.timedelta(minutes=30),
            T0 + dt.timedelta(hours=20),
        )
        history = [
            e.to_status
            for e in s.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == req_id)
                .order_by(RequestEvent.id)
            )
        ]
        assert history == ["draft", "submitted", "acknowledged", "in_progress", "executed"]
        assert verify(s) > 0
        actions = set(s.scalars(select(AuditEvent.action)))
        assert {"request.create", "request.submit", "request.execute"} <= actions  # fmt: skip


@pytest.mark.parametrize(("type", "to", "ack_h", "exec_h"), [
    ("freeze", "bank_th", 1, 24), ("takedown", "platform_sg", 24, 72),
    ("block_number", "telco_th", 4, 24), ("information", "police_th", 72, 240),
    ("mla", "prosecutor_th", 7 * 24, 60 * 24), ("extradition", "prosecutor_th", 14 * 24, 180 * 24),
])  # fmt: skip
def test_deadlines_per_type_and_overdue_flags(
    store: Store, cast: dict[str, Actor], type: str, to: str, ack_h: int, exec_h: int
) -> None:
    clock = FixedClock(T0)
    by = "prosecutor_id" if type in requests.LEGAL_TYPES else "police_id"
    req_id = draft(
        store,
        cast,
        type=type,
        to=to,
        by=by,
        clock=clock,
        legal_basis="ASEAN Treaty on Mutual Legal Assistance in Criminal Matters (2004)",
    )
    with store.begin() as s:
        req = requests.transition(s, cast[by].who, req_id, "submit", clock=clock)
        assert req.acknowledge_due_at == T0 + dt.timedelta(hours=ack_h)
        assert req.execute_due_at == T0 + dt.timedelta(hours=exec_h)
        assert requests.flags(req, clock) == {
            "acknowledge_overdue": False,
            "execute_overdue": False,
        }
        late = FixedClock(T0 + dt.timedelta(hours=ack_h, seconds=1))
        assert requests.flags(req, late)["acknowledge_overdue"] is True
        assert requests.flags(req, late.advance(hours=exec_h))["execute_overdue"] is True


def test_an_expired_deadline_is_flagged_not_refused(store: Store, cast: dict[str, Actor]) -> None:
    clock = FixedClock(T0)
    req_id = draft(store, cast, clock=clock)
    step(store, cast, req_id, "submit", clock=clock)
    clock.advance(hours=3)  # acknowledged two hours late: still accepted, and flagged
    req = step(store, cast, req_id, "acknowledge", clock=clock)
    assert requests.flags(req, clock)["acknowledge_overdue"] is True
    assert requests.flags(req, clock)["execute_overdue"] is False


def test_deadlines_are_configurable(store: Store, cast: dict[str, Actor], tmp_path: object) -> None:
    import json
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "act-deadlines.json").write_text(json.dumps({"freeze": [0.25, 6]}))
    deadlines = requests.load_deadlines(folder)
    assert deadlines["freeze"].acknowledge == dt.timedelta(minutes=15)
    assert deadlines["takedown"] == requests.DEFAULT_DEADLINES["takedown"]
    clock = FixedClock(T0)
    req = step(store, cast, draft(store, cast), "submit", clock=clock, deadlines=deadlines)
    assert req.execute_due_at == T0 + dt.timedelta(hours=6)


def test_requests_to_unknown_or_unfit_organisations_are_refused(
    store: Store, cast: dict[str, Actor]
) -> None:
    case_id = open_case(store, cast["police_id"])
    police = cast["police_id"].who
    cases_ = [(999_999, "freeze", NotFound), (cast["telco_th"].org_id, "freeze", InvalidInput),
              (cast["police_id"].org_id, "information", InvalidInput)]  # fmt: skip
    for org_id, type, error in cases_:
        with store.begin() as s, pytest.raises(error) as err:
            requests.create_request(s, police, case_id, type, org_id)
        assert err.value.field == "requested_org_id"
    with store.begin() as s, pytest.raises(InvalidInput) as err:
        requests.create_request(s, police, case_id, "seize", cast["bank_th"].org_id)
    assert err.value.field == "type"
    with store.begin() as s, pytest.raises(InvalidInput) as err:
        requests.create_request(s, police, case_id, "freeze", cast["bank_th"].org_id,
                                subjects=["not an indicator at all"])  # fmt: skip
    assert err.value.field == "subjects.0"
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(CrossBorderRequest)) == 0


def test_legal_requests_need_a_prosecutor_and_a_legal_basis(
    store: Store, cast: dict[str, Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        draft(store, cast, type="mla", to="prosecutor_th", by="police_id")
    with pytest.raises(InvalidInput) as err:
        draft(store, cast, type="mla", to="prosecutor_th", by="prosecutor_id")
    assert err.value.field == "legal_basis"


def test_a_request_to_another_node_is_not_submitted_half(store: Store) -> None:
    police = make_actor(store, "police_id", "ID", "police", "investigator")
    with store.begin() as s:
        from tangkal.access.tokens import add_organisation

        remote = add_organisation(s, "Bank VN", "VN", "bank", node="tangkal-vn")
    case_id = open_case(store, police)
    with store.begin() as s:
        req_id = requests.create_request(s, police.who, case_id, "freeze", remote.id).id
    with store.begin() as s, pytest.raises(Conflict) as err:
        requests.transition(s, police.who, req_id, "submit")
    assert err.value.field == "requested_org_id"
    with store.read() as s:
        assert s.get(CrossBorderRequest, req_id).status == "draft"  # type: ignore[union-attr]


def test_amounts_roll_up_to_case_and_network(store: Store, cast: dict[str, Actor]) -> None:
    police, bank = cast["police_id"], cast["bank_th"]
    case_ids = [open_case(store, police, network_id="N-1") for _ in range(2)]
    for case_id, frozen in zip(case_ids, ("800.50", "200"), strict=True):
        with store.begin() as s:
            req = requests.create_request(s, police.who, case_id, "freeze", bank.org_id,
                                          currency="THB", amount_requested="1000")  # fmt: skip
        for action in ("submit", "acknowledge", "start"):
            step(store, cast, req.id, action)
        step(store, cast, req.id, "execute", amount_frozen=frozen)
        with store.begin() as s:
            requests.record_return(s, bank.who, req.id, "100")
            with pytest.raises(InvalidInput):
                requests.record_return(s, bank.who, req.id, "100000")
    with store.read() as s:
        assert cases.amounts(s, case_ids[0]) == {
            "THB": {"frozen": Decimal("800.50"), "returned": Decimal("100.00")}
        }
        assert cases.network_amounts(s, "N-1") == {
            "THB": {"frozen": Decimal("1000.50"), "returned": Decimal("200.00")}
        }


def test_first_report_time_is_kept_for_time_to_act(store: Store, cast: dict[str, Actor]) -> None:
    filed = file_report(store, narrative="Paid to https://scam-shop.example.com/pay",
                        received_at="2026-02-27T10:00:00+00:00")  # fmt: skip
    case_id = open_case(store, cast["police_id"], report_ids=[filed.report_id])
    with store.begin() as s:
        req = requests.create_request(s, cast["police_id"].who, case_id, "freeze",
                                      cast["bank_th"].org_id)  # fmt: skip
        assert req.first_report_at == dt.datetime(2026, 2, 27, 10, tzinfo=dt.UTC)
