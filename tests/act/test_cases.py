"""Cases: opening, working papers, attachments and the audit trail of every read and change."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tangkal.act import cases
from tangkal.act.models import CaseEvidence, CaseReport
from tangkal.audit.log import verify
from tangkal.audit.models import AuditEvent
from tangkal.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from tangkal.report.models import ReportIndicator
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report


def actions(store: Store) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_open_from_reports_and_a_network(store: Store, cast: dict[str, Actor]) -> None:
    a = file_report(store, narrative="Paid https://fake-invest.example.net")
    b = file_report(store, "citizen:2", narrative="Paid https://fake-invest.example.net too")
    with store.begin() as s:
        case = cases.open_case(s, cast["police_id"].who, "  Invest ring ", network_id="N-3",
                               report_ids=[a.report_id, b.report_id, a.report_id])  # fmt: skip
        assert (case.title, case.network_id) == ("Invest ring", "N-3")
        assert s.scalar(select(func.count()).select_from(CaseReport)) == 2
        expected = set(s.scalars(select(ReportIndicator.indicator_id)))
        assert expected and cases.case_indicator_ids(s, case.id) == sorted(expected)
    with store.begin() as s:
        for kwargs, field in (({"title": ""}, "title"), ({"title": "x" * 201}, "title")):
            with pytest.raises(InvalidInput) as err:
                cases.open_case(s, cast["police_id"].who, **kwargs)  # type: ignore[arg-type]
            assert err.value.field == field
        with pytest.raises(NotFound) as nf:
            cases.open_case(s, cast["police_id"].who, "t", report_ids=[424242])
        assert nf.value.field == "report_ids"


def test_members_work_on_the_case_and_everything_is_audited(
    store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    police, thai = cast["police_id"], cast["police_th"]
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Romance ring")
        cases.invite(s, police.who, case.id, thai.org_id)
        with pytest.raises(Conflict):
            cases.invite(s, police.who, case.id, thai.org_id)
    with store.begin() as s:
        cases.add_note(s, thai.who, case.id, "Two mule accounts at a Thai bank.")
        task = cases.add_task(s, thai.who, case.id, "Ask the bank", assignee_org_id=thai.org_id)
        cases.complete_task(s, police.who, case.id, task.id)
        with pytest.raises(InvalidInput):
            cases.add_task(s, thai.who, case.id, "x", assignee_org_id=cast["bank_th"].org_id)
        cases.get_case(s, thai.who, case.id)
    assert actions(store)[-6:] == [
        "case.open", "case.invite", "case.note", "case.task", "case.task_done", "case.read",
    ]  # fmt: skip
    with store.read() as s:
        assert verify(s) == len(actions(store))


def test_attachments_are_size_limited_and_hashed(
    store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    police = cast["police_id"]
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Evidence")
    with store.begin() as s, pytest.raises(PayloadTooLarge) as err:
        cases.add_evidence(s, police.who, case.id, "big.bin", b"x" * 11, data_dir=tmp_path,
                           max_bytes=10)  # fmt: skip
    assert err.value.field == "file"
    with store.begin() as s:
        row = cases.add_evidence(s, police.who, case.id, "../../etc/passwd", b"chat log",
                                 data_dir=tmp_path)  # fmt: skip
        assert row.filename == "passwd" and row.sha256 == hashlib.sha256(b"chat log").hexdigest()
        assert (tmp_path / row.path).read_bytes() == b"chat log"
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvidence)) == 1
