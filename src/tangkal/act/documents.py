"""Each request as a formal document: HTML from a Jinja2 template per type and language, and PDF.

The PDF is drawn by fpdf2 (pure Python, no system libraries) from the same HTML, with its
creation date pinned to the request's, so a document renders to the same bytes twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from fpdf import FPDF
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.act.models import Case, CrossBorderRequest
from tangkal.act.requests import DEFAULT_DEADLINES
from tangkal.report.models import Indicator

__all__ = ["LANGUAGES", "Document", "context", "render", "render_html", "render_pdf"]

LANGUAGES = ("en", "id")


@dataclass(frozen=True, slots=True)
class Document:
    name: str  # file stem, e.g. "request-12-freeze-en"
    html: str
    pdf: bytes


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("tangkal.act", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _org(org: Organisation) -> dict[str, str]:
    return {"name": org.name, "country": org.country, "type": org.type}


def context(session: Session, req: CrossBorderRequest) -> dict[str, Any]:
    """Everything a template may show: facts, indicators, amounts, basis, authorities."""
    requesting = session.get(Organisation, req.requesting_org_id)
    requested = session.get(Organisation, req.requested_org_id)
    case = session.get(Case, req.case_id)
    assert requesting is not None and requested is not None and case is not None
    by_id = {
        i.id: i
        for i in session.scalars(select(Indicator).where(Indicator.id.in_(req.indicator_ids or [])))
    }
    deadline = DEFAULT_DEADLINES[req.type]

    def when(value: Any) -> str | None:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else None

    return {
        "ref": f"TGK-REQ-{req.id:06d}",
        "type": req.type,
        "status": req.status,
        "date": (req.submitted_at or req.created_at).strftime("%Y-%m-%d"),
        "requesting": _org(requesting),
        "requested": _org(requested),
        "case": {"id": case.id, "title": case.title, "summary": case.summary},
        "legal_basis": req.legal_basis,
        "facts": req.facts,
        "indicators": [
            {"kind": by_id[i].kind, "value": by_id[i].value}
            for i in req.indicator_ids or []
            if i in by_id
        ],
        "currency": req.currency,
        "amount_requested": req.amount_requested,
        "amount_frozen": req.amount_frozen,
        "amount_returned": req.amount_returned,
        "acknowledge_due_at": when(req.acknowledge_due_at),
        "execute_due_at": when(req.execute_due_at),
        "ack_hours": int(deadline.acknowledge.total_seconds() // 3600),
        "exec_hours": int(deadline.execute.total_seconds() // 3600),
        "created_by": req.created_by,
    }


def render_html(ctx: dict[str, Any], language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"no templates for language {language!r}")
    return _env().get_template(f"{ctx['type']}.{language}.html").render(**ctx)


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1 only; anything else becomes "?" rather than failing.
    return text.replace("—", "-").replace("’", "'").encode("latin-1", "replace").decode("latin-1")


def render_pdf(html: str, ctx: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_created(ctx))
    pdf.set_title(_latin1(ctx["ref"]))
    pdf.set_author("Tangkal")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    body = html.split("<body>", 1)[-1].split("</body>", 1)[0]
    pdf.write_html(_latin1(body))
    return bytes(pdf.output())


def _created(ctx: dict[str, Any]) -> dt.datetime:
    return dt.datetime.strptime(ctx["date"], "%Y-%m-%d").replace(tzinfo=dt.UTC)


def render(session: Session, req: CrossBorderRequest, language: str | None = None) -> Document:
    """The request's document in ``language`` (default: the request's own)."""
    lang = language or req.language
    ctx = context(session, req)
    html = render_html(ctx, lang)
    return Document(f"request-{req.id}-{req.type}-{lang}", html, render_pdf(html, ctx))
