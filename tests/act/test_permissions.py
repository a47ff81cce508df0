"""The whole permission matrix: who sees and who moves each case and request.

One scenario: POLRI (police_id) opens a case and invites the Indonesian prosecutor and
the Thai police; it sends a request of every type. The tables below say, for every
organisation of the cast, what it must see; they are written out, not computed.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tangkal.access.roles import Principal
from tangkal.act import cases, requests
from tangkal.errors import NotFound, PermissionDenied
from tangkal.store import Store
from tests.act.conftest import CAST, Actor

MEMBERS = ("police_id", "prosecutor_id", "police_th")
LEGAL_BASIS = "ASEAN Treaty on Mutual Legal Assistance in Criminal Matters (2004)"
# type → (requesting, requested)
SENT = {
    "freeze": ("police_id", "bank_th"),
    "takedown": ("police_id", "platform_sg"),
    "block_number": ("police_id", "telco_th"),
    "information": ("police_id", "police_my"),
    "mla": ("prosecutor_id", "prosecutor_th"),
    "extradition": ("prosecutor_id", "prosecutor_th"),
}
# organisation → the request types it sees
SEES: dict[str, set[str]] = {
    "police_id": {"freeze", "takedown", "block_number", "information"},
    "prosecutor_id": set(SENT),
    "police_th": {"freeze", "takedown", "block_number", "information"},
    "police_my": {"information"},
    "bank_th": {"freeze"},
    "bank_id": set(),
    "telco_th": {"block_number"},
    "platform_sg": {"takedown"},
    "prosecutor_th": {"mla", "extradition"},
    "reporter_id": set(),
}


def scenario(store: Store, cast: dict[str, Actor]) -> tuple[int, dict[str, int]]:
    with store.begin() as s:
        case = cases.open_case(s, cast["police_id"].who, "Cross-border syndicate")
        for name in MEMBERS[1:]:
            cases.invite(s, cast["police_id"].who, case.id, cast[name].org_id)
        ids = {}
        for type, (by, to) in SENT.items():
            req = requests.create_request(s, cast[by].who, case.id, type, cast[to].org_id,
                                          legal_basis=LEGAL_BASIS)  # fmt: skip
            requests.transition(s, cast[by].who, req.id, "submit")
            ids[type] = req.id
    return case.id, ids


def test_the_tables_cover_the_whole_cast() -> None:
    assert set(SEES) == set(CAST)


def assert_hidden(s: Session, who: Principal, case_id: int) -> None:
    """Reading or writing a case one was not invited to finds nothing."""
    with pytest.raises((NotFound, PermissionDenied)) as err:
        cases.get_case(s, who, case_id)
    # Never "forbidden" for a staff role: that would say the case exists.
    assert isinstance(err.value, NotFound) or not who.can("case:read")
    for write in (
        lambda: cases.add_note(s, who, case_id, "hello"),
        lambda: cases.invite(s, who, case_id, who.org_id),
        lambda: cases.add_task(s, who, case_id, "look"),
    ):
        with pytest.raises((NotFound, PermissionDenied)):
            write()


@pytest.mark.parametrize("name", sorted(CAST))
def test_who_sees_the_case_and_which_requests(
    store: Store, cast: dict[str, Actor], name: str
) -> None:
    case_id, ids = scenario(store, cast)
    who = cast[name].who
    with store.begin() as s:
        listed = [c.id for c in cases.list_cases(s, who)] if who.can("case:read") else []
        if name in MEMBERS:
            assert cases.get_case(s, who, case_id).id == case_id
            assert listed == [case_id]
        else:
            assert listed == []
            assert_hidden(s, who, case_id)
    with store.begin() as s:
        for type, req_id in ids.items():
            if type in SEES[name]:
                assert requests.get_request(s, who, req_id).type == type
            else:
                with pytest.raises(NotFound):
                    requests.get_request(s, who, req_id)
        if who.can("request:read"):
            boxes = {r.type for r in requests.list_requests(s, who, "all")}
            parties = {t for t, (by, to) in SENT.items() if name in (by, to)}
            assert boxes == parties & SEES[name]


@pytest.mark.parametrize("name", sorted(CAST))
def test_only_the_requested_acknowledges_and_only_the_requester_withdraws(
    store: Store, cast: dict[str, Actor], name: str
) -> None:
    _, ids = scenario(store, cast)
    who = cast[name].who
    for type, req_id in ids.items():
        for action, side in (("acknowledge", 1), ("withdraw", 0)):
            with store.begin() as s:
                if name == SENT[type][side]:
                    assert (
                        requests.transition(s, who, req_id, action).status
                        == (requests.ACTIONS[action])
                    )
                elif type in SEES[name]:
                    with pytest.raises(PermissionDenied):
                        requests.transition(s, who, req_id, action)
                else:
                    with pytest.raises(NotFound):
                        requests.transition(s, who, req_id, action)


@pytest.mark.parametrize(("role", "allowed"), [
    ("reporter", False), ("analyst", True), ("investigator", True), ("prosecutor", True),
    ("admin", True), ("peer", False),
])  # fmt: skip
def test_which_roles_open_cases(store: Store, role: str, allowed: bool) -> None:
    from tests.act.conftest import make_actor

    actor = make_actor(store, f"org-{role}", "ID", "police", role)
    with store.begin() as s:
        if allowed:
            assert cases.open_case(s, actor.who, "A case").org_id == actor.org_id
        else:
            with pytest.raises(PermissionDenied):
                cases.open_case(s, actor.who, "A case")
