"""The victim's status: their own milestones, in their language, behind their secret."""

from __future__ import annotations

import pytest

from tangkal.act import cases, requests, victim_status
from tangkal.errors import NotFound
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report


def done(store: Store, reference: str, secret: str, lang: str | None = None) -> dict[str, str]:
    with store.begin() as s:
        _, steps = victim_status.victim_status(s, reference, secret, lang)
    return {st.step: st.text for st in steps if st.done}


def test_milestones_follow_the_case(store: Store, cast: dict[str, Actor]) -> None:
    mine = file_report(
        store, "citizen:1", narrative="Sent money to https://fake-invest.example.net"
    )
    other = file_report(
        store, "citizen:2", narrative="Lost money at https://other-scam.example.org"
    )
    assert mine.status_secret and other.status_secret
    assert list(done(store, mine.reference, mine.status_secret)) == ["received"]
    police, bank = cast["police_id"], cast["bank_th"]
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Invest", report_ids=[mine.report_id])
        req = requests.create_request(s, police.who, case.id, "freeze", bank.org_id,
                                      currency="THB")  # fmt: skip
    assert list(done(store, mine.reference, mine.status_secret)) == ["received", "linked"]
    with store.begin() as s:
        requests.transition(s, police.who, req.id, "submit")
    assert "freeze_requested" in done(store, mine.reference, mine.status_secret)
    with store.begin() as s:
        for action in ("acknowledge", "start"):
            requests.transition(s, bank.who, req.id, action)
        requests.transition(s, bank.who, req.id, "execute", amount_frozen="100")
        requests.record_return(s, bank.who, req.id, "40")
    assert list(done(store, mine.reference, mine.status_secret)) == list(victim_status.STEPS)
    # Nothing about anyone else: the other victim's report is untouched by this case.
    assert list(done(store, other.reference, other.status_secret)) == ["received"]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Your report was received."), ("id", "Laporan Anda telah diterima."),
    ("th", "ได้รับรายงานของคุณแล้ว"), ("vi", "Báo cáo của bạn đã được tiếp nhận."),
    ("km", "បានទទួលរបាយការណ៍របស់អ្នកហើយ។"), ("my", "သင့်တိုင်ကြားချက်ကို လက်ခံရရှိပြီးပါပြီ။"),
    ("lo", "ໄດ້ຮັບລາຍງານຂອງທ່ານແລ້ວ."),
])  # fmt: skip
def test_in_the_victims_language(store: Store, lang: str, text: str) -> None:
    filed = file_report(store, narrative="Scam at https://fake-invest.example.net")
    assert filed.status_secret
    assert done(store, filed.reference, filed.status_secret, lang)["received"] == text


def test_a_wrong_secret_or_reference_tells_nothing(store: Store) -> None:
    filed = file_report(store, narrative="Scam at https://fake-invest.example.net")
    for reference, secret in (
        (filed.reference, "guess"),
        ("NOSUCHREF1", filed.status_secret or ""),
    ):
        with store.begin() as s, pytest.raises(NotFound) as err:
            victim_status.victim_status(s, reference, secret)
        assert str(err.value) == "reference: no report with this reference and key"
