"""The allowlist in bulk: all or nothing, idempotent, audited, and never vouching for a shared host."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tangkal.audit.models import AuditEvent
from tangkal.check.allowlist import add, add_many, read_entries
from tangkal.check.lookup import check_one
from tangkal.check.models import AllowlistEntry
from tangkal.errors import InvalidInput
from tangkal.store import Store

TRUSTED = """# Singapore Government trusted sites (excerpt)
ipi-singapore.org
aseanip.org   # ASEAN IP portal

https://www.synapxe.sg/about
rpace.floralms.com
"""


def _count(store: Store, model: type) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_published_list_is_loaded_once_and_each_entry_audited(store: Store) -> None:
    before, audited = _count(store, AllowlistEntry), _count(store, AuditEvent)
    with store.begin() as session:
        first = add_many(session, read_entries(TRUSTED, "txt"), label="SG trusted", country="SG",
                         actor="cli")  # fmt: skip
    assert (first.read, first.added, first.already, first.rejected) == (4, 4, 0, [])
    # The URL and the sub-host are stored as the domain the entity owns, and said so.
    assert first.widened == [
        ("https://www.synapxe.sg/about", "synapxe.sg"), ("rpace.floralms.com", "floralms.com"),
    ]  # fmt: skip
    assert _count(store, AllowlistEntry) == before + 4
    assert _count(store, AuditEvent) == audited + 4
    with store.begin() as session:
        again = add_many(session, read_entries(TRUSTED, "txt"), label="SG trusted", actor="cli")
    assert (again.added, again.already) == (0, 4)
    assert _count(store, AllowlistEntry) == before + 4
    with store.read() as session:
        result = check_one(session, "https://ipi-singapore.org/events", "SG")
    assert result.verdict == "allowlisted"


def test_one_bad_line_stores_nothing_and_names_every_bad_line(store: Store) -> None:
    text = "ipi-singapore.org\n0812\nbit.ly\nlinktr.ee/pdrm_official\naseanip.org\n"
    before, audited = _count(store, AllowlistEntry), _count(store, AuditEvent)
    with store.begin() as session:
        summary = add_many(session, read_entries(text, "txt"), label="x", actor="cli")
    assert [(r.line, r.value) for r in summary.rejected] == [
        (2, "0812"), (3, "bit.ly"), (4, "linktr.ee/pdrm_official"),
    ]  # fmt: skip
    assert summary.rejected[0].field == "value"
    assert "shortener or shared hosting" in summary.rejected[1].detail
    assert summary.added == 0
    assert (_count(store, AllowlistEntry), _count(store, AuditEvent)) == (before, audited)


def test_a_shared_host_may_be_a_platform_entry_never_an_official_one(store: Store) -> None:
    with store.begin() as session, pytest.raises(InvalidInput) as caught:
        add(session, "https://sites.google.com/view/bank-bca", label="x", actor="t")
    assert caught.value.field == "value"
    with store.begin() as session:
        entry = add(session, "linktr.ee", label="Linktree", category="platform", actor="t")
    assert (entry.kind, entry.value, entry.category) == ("domain", "linktr.ee", "platform")


def test_csv_and_json_lines_name_their_own_fields(store: Store) -> None:
    csv_text = "value,label,country\nipi-singapore.org,IPI Singapore,SG\n+65 6222 0000,Hotline,SG\n"
    with store.begin() as session:
        summary = add_many(session, read_entries(csv_text, "csv"), actor="cli")
    assert (summary.added, summary.rejected) == (2, [])
    with store.read() as session:
        hotline = session.scalar(select(AllowlistEntry).where(AllowlistEntry.label == "Hotline"))
    assert hotline is not None and (hotline.kind, hotline.value) == ("phone", "+6562220000")
    jsonl = '{"value": "aseanip.org", "label": "ASEAN IP"}\n[1, 2]\n{"value": "x.sg", "colour": "red"}\n{"value": 5, "label": "n"}\n'
    with store.begin() as session:
        summary = add_many(session, read_entries(jsonl, "jsonl"), country="XX", actor="cli")
    assert [(r.line, r.field) for r in summary.rejected] == [
        (1, "country"), (2, "line"), (3, "colour"), (4, "value"),
    ]  # fmt: skip


def test_a_csv_without_a_value_column_is_refused_before_anything_is_read() -> None:
    with pytest.raises(InvalidInput) as caught:
        list(read_entries("domain,label\nx.sg,y\n", "csv"))
    assert caught.value.field == "value"
    with pytest.raises(InvalidInput) as caught:
        list(read_entries("value,label,owner\nx.sg,y,z\n", "csv"))
    assert caught.value.field == "owner"


def test_an_unknown_country_is_refused_by_the_single_add_too(store: Store) -> None:
    with store.begin() as session, pytest.raises(InvalidInput) as caught:
        add(session, "ipi-singapore.org", label="x", country="Singapore", actor="t")
    assert caught.value.field == "country"
