"""A small region with known answers, filed through the library's own paths.

September 2026: one Indonesian victim of a job scam, no loss, an Indonesian phone.
October 2026: six Indonesian victims of an investment scam (USD 100 each, a Cambodian
phone) and two Malaysian victims of a romance scam (MYR 420 each, a Thai phone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tangkal.access.tokens import add_organisation, authenticate, create_token
from tangkal.act import cases, disputes, requests
from tangkal.act.clock import FixedClock
from tangkal.report.money import default_rates
from tangkal.store import Store
from tests.factories import file_report

KH_PHONE = "+855 12 345 678"
TH_PHONE = "+66 81 234 5678"
ID_PHONE = "+62 812 3456 7890"
MYR_LOSS = default_rates().to_usd(Decimal("420"), "MYR", dt.date(2026, 10, 10))
T0 = dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC)


def build(store: Store) -> list[int]:
    """File the nine reports; return the ids of the six Indonesian investment reports."""
    invest = []
    for i in range(6):
        filed = file_report(
            store,
            f"citizen:id{i}",
            victim_country="ID",
            received_at=f"2026-10-{i + 1:02d}T09:00:00Z",
            typology="investment",
            channel="whatsapp",
            payment_method="bank_transfer",
            loss_amount="100",
            loss_currency="USD",
            indicators=[{"value": KH_PHONE}],
        )
        invest.append(filed.report_id)
    for i in range(2):
        file_report(
            store,
            f"citizen:my{i}",
            victim_country="MY",
            received_at=f"2026-10-{10 + i}T09:00:00Z",
            typology="romance",
            channel="facebook",
            payment_method="ewallet",
            loss_amount="420",
            loss_currency="MYR",
            indicators=[{"value": TH_PHONE}],
        )
    file_report(
        store,
        "citizen:sep",
        victim_country="ID",
        received_at="2026-09-15T09:00:00Z",
        typology="job_task",
        channel="telegram",
        indicators=[{"value": ID_PHONE}],
    )
    return invest


@dataclass(frozen=True)
class Acted:
    police_token: str
    bank_token: str


def act(store: Store, report_ids: list[int]) -> Acted:
    """Indonesian police ask a Thai bank to freeze twice (USD, then a currency without a
    rate) and a Singapore platform to take down; one dispute is filed and upheld."""
    with store.begin() as s:
        police = add_organisation(s, "Polri", "ID", "police")
        bank = add_organisation(s, "Bank TH", "TH", "bank")
        platform = add_organisation(s, "Platform SG", "SG", "platform")
        p_token, b_token = create_token(s, police, "investigator"), create_token(s, bank, "analyst")
    with store.begin() as s:
        pw, bw = authenticate(s, p_token), authenticate(s, b_token)
        case = cases.open_case(s, pw, "Invest ring", report_ids=report_ids[:3])
        clock = FixedClock(T0)
        for currency, frozen, ack, execute in (("USD", "300", 2, 10), ("XAF", "5000", 4, 20)):
            req = requests.create_request(
                s,
                pw,
                case.id,
                "freeze",
                bank.id,
                currency=currency,
                amount_requested=frozen,
                clock=clock,
            )
            requests.transition(s, pw, req.id, "submit", clock=clock)
            requests.transition(s, bw, req.id, "acknowledge", clock=clock.advance(hours=ack))
            requests.transition(s, bw, req.id, "start", clock=clock)
            requests.transition(
                s, bw, req.id, "execute", amount_frozen=frozen, clock=clock.advance(hours=execute)
            )
            if currency == "USD":
                requests.record_return(s, bw, req.id, "100", clock=clock)
        take = requests.create_request(s, pw, case.id, "takedown", platform.id, clock=clock)
        requests.transition(s, pw, take.id, "submit", clock=clock)
        dispute = disputes.file_dispute(
            s,
            KH_PHONE,
            claimant_name="Owner",
            claimant_contact="owner@example.org",
            statement="This number is mine and I am no scammer.",
            country="KH",
            clock=clock,
        )
        disputes.resolve_dispute(s, bw, dispute.id, "uphold", "Reports stand.", clock=clock)
    return Acted(p_token, b_token)
