"""Cases: opened by one agency, shared only with the agencies it invites.

A case nobody invited you to does not exist for you: every lookup answers ``NotFound``,
never ``PermissionDenied``, so its existence does not leak.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal, require
from tangkal.act.models import (
    Case,
    CaseEvidence,
    CaseMember,
    CaseNote,
    CaseReport,
    CaseTask,
    CrossBorderRequest,
)
from tangkal.audit.log import record
from tangkal.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from tangkal.report.models import Report, ReportIndicator
from tangkal.store.base import utcnow

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "add_evidence",
    "add_note",
    "add_task",
    "amounts",
    "case_indicator_ids",
    "complete_task",
    "get_case",
    "invite",
    "is_member",
    "list_cases",
    "network_amounts",
    "open_case",
    "read_evidence",
]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _text(value: object, field: str, limit: int, *, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise InvalidInput(
            f"must be a {'non-empty ' if required else ''}string of at most {limit} characters",
            field=field,
        )
    return value.strip()


def is_member(session: Session, case_id: int, org_id: int) -> bool:
    return session.get(CaseMember, {"case_id": case_id, "org_id": org_id}) is not None


def get_case(
    session: Session, who: Principal, case_id: int, *, audit: bool = True, remote: str | None = None
) -> Case:
    """The case if ``who``'s organisation was invited to it; NotFound otherwise."""
    require(who, "case:read")
    case = session.get(Case, case_id)
    if case is None or not is_member(session, case_id, who.org_id):
        raise NotFound(f"no case {case_id}", field="case_id")
    if audit:
        record(session, who.actor, "case.read", "case", case_id, remote=remote)
    return case


def open_case(
    session: Session,
    who: Principal,
    title: str,
    *,
    summary: str = "",
    network_id: str | None = None,
    report_ids: Sequence[int] = (),
    remote: str | None = None,
) -> Case:
    """Open a case for ``who``'s organisation, from a network and/or reports."""
    require(who, "case:open")
    title = _text(title, "title", 200)
    summary = _text(summary, "summary", 20_000, required=False)
    if network_id is not None:
        network_id = _text(network_id, "network_id", 64)
    ids = list(dict.fromkeys(report_ids))
    if ids:
        found = set(session.scalars(select(Report.id).where(Report.id.in_(ids))))
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"no report {missing[0]}", field="report_ids")
    case = Case(
        org_id=who.org_id,
        title=title,
        summary=summary,
        network_id=network_id,
        created_by=who.actor,
    )
    session.add(case)
    session.flush()
    session.add(CaseMember(case_id=case.id, org_id=who.org_id, role="owner", invited_by=who.actor))
    session.add_all(CaseReport(case_id=case.id, report_id=i) for i in ids)
    session.flush()
    record(
        session,
        who.actor,
        "case.open",
        "case",
        case.id,
        remote=remote,
        details={"title": title, "network_id": network_id, "reports": ids},
    )
    return case


def list_cases(session: Session, who: Principal) -> list[Case]:
    """The cases ``who``'s organisation is a member of, newest first."""
    require(who, "case:read")
    rows = session.scalars(
        select(Case)
        .join(CaseMember, CaseMember.case_id == Case.id)
        .where(CaseMember.org_id == who.org_id)
        .order_by(Case.id.desc())
    )
    cases = list(rows)
    record(session, who.actor, "case.list", "case", "*", details={"count": len(cases)})
    return cases


def invite(
    session: Session, who: Principal, case_id: int, org_id: int, *, remote: str | None = None
) -> CaseMember:
    """Invite another organisation; only a member may, and only once per organisation."""
    require(who, "case:write")
    get_case(session, who, case_id, audit=False)
    if session.get(Organisation, org_id) is None:
        raise NotFound(f"no organisation {org_id}", field="org_id")
    if is_member(session, case_id, org_id):
        raise Conflict(f"organisation {org_id} is already a member", field="org_id")
    member = CaseMember(case_id=case_id, org_id=org_id, invited_by=who.actor)
    session.add(member)
    session.flush()
    record(
        session,
        who.actor,
        "case.invite",
        "case",
        case_id,
        remote=remote,
        details={"org_id": org_id},
    )
    return member


def add_note(
    session: Session, who: Principal, case_id: int, body: str, *, remote: str | None = None
) -> CaseNote:
    require(who, "case:write")
    get_case(session, who, case_id, audit=False)
    note = CaseNote(
        case_id=case_id, org_id=who.org_id, author=who.actor, body=_text(body, "body", 20_000)
    )
    session.add(note)
    session.flush()
    record(
        session,
        who.actor,
        "case.note",
        "case",
        case_id,
        remote=remote,
        details={"note_id": note.id},
    )
    return note


def add_task(
    session: Session,
    who: Principal,
    case_id: int,
    title: str,
    *,
    assignee_org_id: int | None = None,
    due_at: dt.datetime | None = None,
    remote: str | None = None,
) -> CaseTask:
    require(who, "case:write")
    get_case(session, who, case_id, audit=False)
    if assignee_org_id is not None and not is_member(session, case_id, assignee_org_id):
        raise InvalidInput("must be a member organisation of the case", field="assignee_org_id")
    task = CaseTask(
        case_id=case_id,
        title=_text(title, "title", 200),
        assignee_org_id=assignee_org_id,
        due_at=due_at,
        created_by=who.actor,
    )
    session.add(task)
    session.flush()
    record(
        session,
        who.actor,
        "case.task",
        "case",
        case_id,
        remote=remote,
        details={"task_id": task.id},
    )
    return task


def complete_task(
    session: Session, who: Principal, case_id: int, task_id: int, *, remote: str | None = None
) -> CaseTask:
    require(who, "case:write")
    get_case(session, who, case_id, audit=False)
    task = session.get(CaseTask, task_id)
    if task is None or task.case_id != case_id:
        raise NotFound(f"no task {task_id} in case {case_id}", field="task_id")
    if task.status == "done":
        raise Conflict("the task is already done", field="task_id")
    task.status, task.done_at = "done", utcnow()
    record(
        session,
        who.actor,
        "case.task_done",
        "case",
        case_id,
        remote=remote,
        details={"task_id": task_id},
    )
    return task


def add_evidence(
    session: Session,
    who: Principal,
    case_id: int,
    filename: str,
    content: bytes,
    *,
    data_dir: str | Path,
    content_type: str = "application/octet-stream",
    max_bytes: int = MAX_ATTACHMENT_BYTES,
    remote: str | None = None,
) -> CaseEvidence:
    """Store an attachment content-addressed under ``data_dir/evidence``.

    The file is named by its SHA-256, so a rolled-back transaction leaves at most an
    unreferenced copy, never a row pointing at missing or different bytes.
    """
    require(who, "case:write")
    get_case(session, who, case_id, audit=False)
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"attachment over the {max_bytes}-byte limit", field="file")
    if not content:
        raise InvalidInput("the attachment is empty", field="file")
    name = _SAFE_NAME.sub("_", Path(_text(filename, "filename", 255)).name).strip("._") or "file"
    digest = hashlib.sha256(content).hexdigest()
    rel = Path("evidence") / digest[:2] / digest
    target = Path(data_dir) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        tmp = target.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(target)
    row = CaseEvidence(
        case_id=case_id,
        org_id=who.org_id,
        filename=name,
        content_type=content_type[:100],
        size=len(content),
        sha256=digest,
        path=rel.as_posix(),
        uploaded_by=who.actor,
    )
    session.add(row)
    session.flush()
    record(
        session,
        who.actor,
        "case.evidence_add",
        "case",
        case_id,
        remote=remote,
        details={"evidence_id": row.id, "sha256": digest, "size": len(content)},
    )
    return row


def read_evidence(
    session: Session, who: Principal, case_id: int, evidence_id: int, *,
    data_dir: str | Path, remote: str | None = None,
) -> tuple[CaseEvidence, bytes]:  # fmt: skip
    """An attachment and its bytes, for members only; the read is audited."""
    get_case(session, who, case_id, audit=False)
    row = session.get(CaseEvidence, evidence_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no evidence {evidence_id} in case {case_id}", field="evidence_id")
    record(session, who.actor, "case.evidence_read", "case", case_id, remote=remote,
           details={"evidence_id": evidence_id})  # fmt: skip
    return row, (Path(data_dir) / row.path).read_bytes()


def case_indicator_ids(session: Session, case_id: int) -> list[int]:
    """Indicators of the case's reports and of its requests' subjects, sorted."""
    ids = set(
        session.scalars(
            select(ReportIndicator.indicator_id)
            .join(CaseReport, CaseReport.report_id == ReportIndicator.report_id)
            .where(CaseReport.case_id == case_id)
        )
    )
    for subject in session.scalars(
        select(CrossBorderRequest.indicator_ids).where(CrossBorderRequest.case_id == case_id)
    ):
        ids.update(subject or [])
    return sorted(ids)


def _sum_amounts(session: Session, where: Any) -> dict[str, dict[str, Decimal]]:
    rows = session.execute(
        select(
            CrossBorderRequest.currency,
            func.sum(CrossBorderRequest.amount_frozen),
            func.sum(CrossBorderRequest.amount_returned),
        )
        .join(Case, Case.id == CrossBorderRequest.case_id)
        .where(where, CrossBorderRequest.currency.is_not(None))
        .group_by(CrossBorderRequest.currency)
        .order_by(CrossBorderRequest.currency)
    )
    return {
        str(cur): {"frozen": Decimal(frozen or 0), "returned": Decimal(returned or 0)}
        for cur, frozen, returned in rows
    }


def amounts(session: Session, case_id: int) -> dict[str, dict[str, Decimal]]:
    """Frozen and returned amounts of a case's requests, per currency."""
    return _sum_amounts(session, Case.id == case_id)


def network_amounts(session: Session, network_id: str) -> dict[str, dict[str, Decimal]]:
    """The same roll-up over every case opened on one network."""
    return _sum_amounts(session, Case.network_id == network_id)
