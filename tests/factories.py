"""Test data built through the library's own paths (no hand-written rows)."""

from __future__ import annotations

from typing import Any

from tangkal.access.roles import Principal
from tangkal.access.tokens import add_organisation, create_token
from tangkal.report.intake import Filed, file_reports
from tangkal.report.prepare import prepare
from tangkal.report.schema import parse_report
from tangkal.store import Store


def org_with_token(
    store: Store, name: str, role: str, *, country: str = "ID", type: str = "police",
    trusted: bool | None = None,
) -> tuple[int, str]:  # fmt: skip
    with store.begin() as session:
        org = add_organisation(session, name, country, type, trusted=trusted)
        return org.id, create_token(session, org, role)


def file_report(
    store: Store, reporter_key: str = "citizen:1", *, trusted: bool = False,
    principal: Principal | None = None, **fields: Any,
) -> Filed:  # fmt: skip
    data = parse_report({"victim_country": "ID", **fields})
    with store.begin() as session:
        return file_reports(
            session, [prepare(data, reporter_key)], reporter_key=reporter_key,
            principal=principal, trusted=trusted,
        )[0]  # fmt: skip
