"""Small report sets for the link tests, filed through the real intake path."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.link.incremental import link_reports
from tangkal.link.models import Network
from tangkal.link.summary import members_of
from tangkal.report.extract import Found
from tangkal.report.intake import file_reports
from tangkal.report.prepare import Prepared
from tangkal.report.schema import parse_report
from tangkal.store import Store


def phone(n: int) -> Found:
    """A distinct, valid Indonesian mobile number per ``n``."""
    return Found("phone", f"+62812{n:08d}", "contact", f"0812{n:08d}", {"country": "ID"})


def account(n: int, country: str = "KH") -> Found:
    return Found("bank_account", f"{n:012d}", "payee", f"{n:012d}", {"country": country})


def value(kind: str, text: str, **attributes: str) -> Found:
    return Found(kind, text, "link", text, dict(attributes))


def prepared(found: Sequence[Found], *, country: str = "ID", **fields: Any) -> Prepared:
    data = parse_report({"victim_country": country, "external_id": uuid.uuid4().hex, **fields})
    loss = (
        Decimal(fields["loss_amount"])
        if "loss_currency" in fields and fields["loss_currency"] == "USD"
        else None
    )
    return Prepared(data, uuid.uuid4().hex + uuid.uuid4().hex, tuple(found), loss)


def file(session: Session, found: Sequence[Found], *, link: bool = True, cap: int = 1000,
         **fields: Any) -> int:  # fmt: skip
    """File one report with exactly these indicators; link it unless told not to."""
    rid = file_reports(session, [prepared(found, **fields)], reporter_key="test")[0].report_id
    if link:
        link_reports(session, [rid], degree_cap=cap)
    return rid


def partition(store: Store) -> set[frozenset[int]]:
    """The stored networks as sets of report ids."""
    with store.read() as session:
        ids = list(session.scalars(select(Network.id)))
        return {frozenset(m) for m in members_of(session, ids).values()}


def network_of(store: Store, report_id: int) -> str | None:
    with store.read() as session:
        for nid, members in members_of(session, list(session.scalars(select(Network.id)))).items():
            if report_id in members:
                return nid
    return None
