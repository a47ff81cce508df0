"""The audit chain detects any edit or deletion, on both stores."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from tangkal.audit.log import record, verify
from tangkal.audit.models import AuditEvent
from tangkal.errors import IntegrityFailure
from tangkal.store import Store


def _three(store: Store) -> list[int]:
    with store.begin() as s:
        return [record(s, "tester", f"act{i}", "thing", i).id for i in range(3)]


def test_intact_chain_verifies(store: Store) -> None:
    _three(store)
    with store.read() as s:
        assert verify(s) == 3


def test_edit_is_detected(store: Store) -> None:
    ids = _three(store)
    with store.begin() as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == ids[1]).values(actor="someone else"))
    with store.read() as s, pytest.raises(IntegrityFailure, match=f"event {ids[1]}"):
        verify(s)


def test_deletion_is_detected(store: Store) -> None:
    ids = _three(store)
    with store.begin() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.id == ids[1]))
    with store.read() as s, pytest.raises(IntegrityFailure, match=f"event {ids[2]}"):
        verify(s)


def test_rolled_back_change_leaves_no_event(store: Store) -> None:
    with pytest.raises(RuntimeError), store.begin() as s:
        record(s, "tester", "doomed", "thing", 1)
        raise RuntimeError("boom")
    with store.read() as s:
        assert verify(s) == 0
