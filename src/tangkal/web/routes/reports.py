"""Reports API: filing (reporting organisations) and reading (analysts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.audit.log import record
from tangkal.chain import file_and_propagate
from tangkal.check.analyze import found_as_dict
from tangkal.errors import InvalidInput, NotFound
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.report.prepare import prepare, score
from tangkal.report.schema import ReportIn, parse_report
from tangkal.vocabulary import SOURCE_OF_ORG_TYPE, TYPOLOGIES, check_country
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.body import json_body
from tangkal.web.openapi import Operation
from tangkal.web.query import refuse_unknown_params
from tangkal.web.responses import json

__all__ = ["operations", "report_as_dict", "routes"]

MAX_LIMIT = 500


def report_as_dict(r: Report, *, with_contact: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.id,
        "reference": r.reference,
        "received_at": r.received_at.isoformat(),
        "source": r.source,
        "victim_country": r.victim_country,
        "language": r.language,
        "channel": r.channel,
        "typology": r.typology,
        "narrative": r.narrative,
        "loss_amount": str(r.loss_amount) if r.loss_amount is not None else None,
        "loss_currency": r.loss_currency,
        "loss_usd": str(r.loss_usd) if r.loss_usd is not None else None,
        "payment_method": r.payment_method,
        "reliability": r.reliability,
        "credibility": r.credibility,
        "distribution": r.distribution,
        "tlp": r.tlp,
    }
    if with_contact:
        out["victim_contact"] = r.victim_contact
    return out


async def create(request: Request) -> Response:
    who = require_permission(request, "report:create")
    data: ReportIn = parse_report(await json_body(request))
    if "source" not in data.model_fields_set and who.org_type in SOURCE_OF_ORG_TYPE:
        # A bank's fraud desk posting a report is the bank, not the public web form.
        data = data.model_copy(update={"source": SOURCE_OF_ORG_TYPE[who.org_type]})
    store = request.app.state.store
    reporter_key = f"org:{who.org_id}"

    def run() -> dict[str, Any]:
        with store.begin() as session:
            from tangkal.access.models import Organisation

            trusted = bool(
                session.scalar(select(Organisation.trusted).where(Organisation.id == who.org_id))
            )
            prepared = score([prepare(data, reporter_key)])[0]
            filed = file_and_propagate(
                session, [prepared], request.app.state.settings, reporter_key=reporter_key,
                principal=who, trusted=trusted, remote=client_ip(request),
            )[0]  # fmt: skip
        return {
            "id": filed.report_id,
            "reference": filed.reference,
            "duplicate": filed.duplicate,
            "status_secret": filed.status_secret,
            "indicators": [found_as_dict(f) for f in filed.indicators],
        }

    result = await run_in_threadpool(run)
    return json(result, status=200 if result["duplicate"] else 201)


def _int_param(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("must be an integer", field=name) from None
    if not lo <= value <= hi:
        raise InvalidInput(f"must be between {lo} and {hi}", field=name)
    return value


def _date_param(request: Request, name: str) -> dt.datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("must be an ISO 8601 date or datetime", field=name) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


_LIST_PARAMS = ("country", "typology", "since", "until", "indicator", "limit", "after")


async def list_reports(request: Request) -> Response:
    who = require_permission(request, "report:read")
    refuse_unknown_params(request, _LIST_PARAMS)
    limit = _int_param(request, "limit", 50, 1, MAX_LIMIT)
    after_id = _int_param(request, "after", 0, 0, 2**62)
    stmt = select(Report).where(Report.id > after_id).order_by(Report.id).limit(limit)
    qp = request.query_params
    if qp.get("country"):
        stmt = stmt.where(Report.victim_country == check_country(qp["country"]))
    if qp.get("typology"):
        if qp["typology"] not in TYPOLOGIES:
            raise InvalidInput("unknown typology", field="typology")
        stmt = stmt.where(Report.typology == qp["typology"])
    since, until = _date_param(request, "since"), _date_param(request, "until")
    if since and until and since > until:
        raise InvalidInput("since is after until", field="since")
    if since:
        stmt = stmt.where(Report.received_at >= since)
    if until:
        stmt = stmt.where(Report.received_at < until)
    if qp.get("indicator"):
        stmt = stmt.where(
            Report.id.in_(
                select(ReportIndicator.report_id)
                .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
                .where(Indicator.value == qp["indicator"])
            )
        )
    store = request.app.state.store

    def run() -> dict[str, Any]:
        with store.read() as session:
            rows = session.scalars(stmt).all()
            total = None
            if after_id == 0:
                total = session.scalar(
                    select(func.count()).select_from(stmt.order_by(None).limit(None).subquery())
                )
        items = [report_as_dict(r) for r in rows]
        nxt = items[-1]["id"] if len(items) == limit else None
        return {"items": items, "next_after": nxt, "total": total, "viewer": who.org_name}

    return json(await run_in_threadpool(run))


async def get_report(request: Request) -> Response:
    who = require_permission(request, "report:read")
    try:
        report_id = int(request.path_params["id"])
    except ValueError:
        raise InvalidInput("must be an integer", field="id") from None
    store = request.app.state.store
    with_contact = who.can("report:read_contact") and request.query_params.get("contact") == "1"

    def run() -> dict[str, Any]:
        with store.begin() as session:
            r = session.get(Report, report_id)
            if r is None:
                raise NotFound(f"no report {report_id}", field="id")
            out = report_as_dict(r, with_contact=with_contact)
            out["indicators"] = [
                {"kind": i.kind, "value": i.value, "role": link.role}
                for link, i in session.execute(
                    select(ReportIndicator, Indicator)
                    .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
                    .where(ReportIndicator.report_id == report_id)
                )
            ]
            # Reading a report (a victim's narrative) is a sensitive read: it is audited.
            record(
                session, who.actor, "report.read_contact" if with_contact else "report.read",
                "report", report_id, remote=client_ip(request),
            )  # fmt: skip
        return out

    return json(await run_in_threadpool(run))


routes = [
    Route("/api/v1/reports", create, methods=["POST"]),
    Route("/api/v1/reports", list_reports, methods=["GET"]),
    Route("/api/v1/reports/{id}", get_report, methods=["GET"]),
]

operations = [
    Operation(
        "POST", "/api/v1/reports", "File a scam report", "reports", permission="report:create",
        body=ReportIn.model_json_schema(), responses={"201": "Created", "200": "Duplicate"},
    ),
    Operation(
        "GET", "/api/v1/reports", "List reports", "reports", permission="report:read",
        params=(
            ("country", "query", False, "Victim country"), ("typology", "query", False, ""),
            ("since", "query", False, "ISO date"), ("until", "query", False, "ISO date"),
            ("indicator", "query", False, "Canonical indicator value"),
            ("limit", "query", False, "1–500"), ("after", "query", False, "Paging cursor"),
        ),
    ),
    Operation(
        "GET", "/api/v1/reports/{id}", "One report with its indicators (audited)", "reports",
        permission="report:read", params=(("id", "path", True, "Report id"),),
    ),
]  # fmt: skip
