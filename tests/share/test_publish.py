"""Writing object versions to the TAXII collections: idempotent, newest version the latest."""

from __future__ import annotations

from sqlalchemy import select

from tangkal.share.models import StixObject
from tangkal.share.publish import Row, write_rows
from tangkal.store import Store

ID = "indicator--6f3a1c6e-7a1b-4d2e-9c53-2f1d2b3a4c5d"
OTHER = "indicator--0b7e8f9a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"


def _row(sid: str, modified: str) -> Row:
    obj = {"type": "indicator", "id": sid, "spec_version": "2.1", "modified": modified}
    return Row("asean", obj, "asean", "GREEN")


def _versions(store: Store) -> list[tuple[str, str, bool]]:
    with store.read() as s:
        q = select(StixObject.stix_id, StixObject.version, StixObject.latest).order_by(
            StixObject.seq
        )
        return [(a, b, bool(c)) for a, b, c in s.execute(q)]


def test_versions_in_one_write_and_across_writes_keep_one_latest(store: Store) -> None:
    v1, v2, v3 = "2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z", "2026-11-03T00:00:00.000Z"
    with store.begin() as s:
        written = write_rows(s, [_row(OTHER, v1), _row(ID, v1), _row(ID, v2), _row(ID, v1)])
    assert len(written) == 3  # the replayed v1 is not stored twice
    assert _versions(store) == [(OTHER, v1, True), (ID, v1, False), (ID, v2, True)]

    with store.begin() as s:
        assert len(write_rows(s, [_row(ID, v2), _row(ID, v3)])) == 1
    assert _versions(store) == [
        (OTHER, v1, True), (ID, v1, False), (ID, v2, False), (ID, v3, True),
    ]  # fmt: skip
    with store.read() as s:
        dates = list(s.scalars(select(StixObject.date_added).order_by(StixObject.seq)))
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
