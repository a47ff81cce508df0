"""Filing reports: indicators found, evidence kept current, duplicates and bad input refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tangkal.errors import InvalidInput
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.report.prepare import Prepared, prepare
from tangkal.report.schema import parse_report
from tangkal.store import Store
from tests.factories import file_report


def _indicator(store: Store, kind: str, value: str) -> Indicator:
    with store.read() as s:
        return s.scalars(
            select(Indicator).where(Indicator.kind == kind, Indicator.value == value)
        ).one()


def test_indicators_from_text_and_fields_are_linked_with_roles(store: Store) -> None:
    filed = file_report(
        store,
        narrative="Transfer ke rekening BCA 1234567890 a.n. Budi, konfirmasi via WA 0812-3456-7890",
        indicators=[{"value": "https://bca-promo.top/claim", "role": "link"}],
    )
    assert filed.status_secret and not filed.duplicate
    with store.read() as s:
        links = s.execute(
            select(Indicator.kind, Indicator.value, ReportIndicator.role)
            .join(ReportIndicator, ReportIndicator.indicator_id == Indicator.id)
            .where(ReportIndicator.report_id == filed.report_id)
        ).all()
    got = {(k, v, r) for k, v, r in links}
    assert ("bank_account", "1234567890", "payee") in got
    assert ("phone", "+6281234567890", "contact") in got
    assert ("domain", "bca-promo.top", "link") in got


def test_evidence_counts_reporters_not_reports(store: Store) -> None:
    for _ in range(3):
        file_report(
            store, "citizen:same", narrative="wa 0812-3456-7890 " + "x" * _, victim_country="ID"
        )
    file_report(store, "org:7", trusted=True, narrative="nomor 081234567890", victim_country="MY")
    ind = _indicator(store, "phone", "+6281234567890")
    assert (ind.report_count, ind.reporter_count, ind.trusted_reporter_count) == (4, 2, 1)
    assert ind.countries == "ID,MY"


def test_losses_are_converted_to_usd_at_the_report_date(store: Store) -> None:
    file_report(
        store, narrative="hubungi 0812-3456-7890", loss_amount="1665000", loss_currency="IDR",
        received_at="2026-03-01T10:00:00+07:00",
    )  # fmt: skip
    with store.read() as s:
        r = s.scalars(select(Report)).one()
    assert r.loss_usd == Decimal("100.00")
    assert r.received_at == dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)
    assert _indicator(store, "phone", "+6281234567890").loss_usd == Decimal("100.00")


def test_same_report_twice_is_stored_once(store: Store) -> None:
    first = file_report(store, narrative="call 0812-3456-7890", external_id="hotline-77")
    second = file_report(store, narrative="call 0812-3456-7890", external_id="hotline-77")
    assert second.duplicate and second.report_id == first.report_id and second.status_secret is None
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 1
    assert _indicator(store, "phone", "+6281234567890").report_count == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"victim_country": "ID", "loss_amount": "10"}, "loss_currency"),
        ({"victim_country": "ID", "loss_amount": "-5", "loss_currency": "IDR"}, "loss_amount"),
        ({"victim_country": "ID", "channel": "pigeon"}, "channel"),
        ({"victim_country": "ID", "reliability": "Z"}, "reliability"),
        ({"victim_country": "ID", "narrative": "x" * 20_001}, "narrative"),
        ({"victim_country": "ID", "received_at": "yesterday"}, "received_at"),
        ({"victim_country": "ID", "indicators": [{"value": "x" * 10}] * 51}, "indicators"),
    ],
)
def test_schema_names_the_bad_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_report(data)
    assert field in [e["field"] for e in info.value.errors]


def test_unknown_currency_rate_is_a_clear_error() -> None:
    data = parse_report({"victim_country": "ID", "loss_amount": "5", "loss_currency": "XAU"})
    with pytest.raises(InvalidInput) as info:
        prepare(data, "citizen:1")
    assert info.value.field == "loss_currency"


def test_a_failed_batch_leaves_nothing(store: Store) -> None:
    from tangkal.report.intake import file_reports

    good = prepare(parse_report({"victim_country": "ID", "narrative": "wa 0812-3456-7890"}), "c:1")
    with pytest.raises(RuntimeError), store.begin() as s:
        file_reports(s, [good], reporter_key="c:1")
        raise RuntimeError("disk full")
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 0
        assert s.scalar(select(func.count()).select_from(Indicator)) == 0


def _evidence_rows(store: Store) -> list[tuple[object, ...]]:
    with store.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                select(
                    Indicator.kind, Indicator.value, Indicator.report_count,
                    Indicator.reporter_count, Indicator.trusted_reporter_count,
                    Indicator.countries, Indicator.typologies, Indicator.first_seen,
                    Indicator.last_seen, Indicator.loss_usd,
                ).order_by(Indicator.kind, Indicator.value)
            )
        ]  # fmt: skip


def test_incremental_evidence_equals_a_full_recount(store: Store) -> None:
    import random

    from tangkal.report.intake import refresh_evidence

    rng = random.Random(4)
    phones = [f"0812-3456-78{i:02d}" for i in range(6)]
    for n in range(40):
        picked = rng.sample(phones, rng.randint(1, 3))
        file_report(
            store, f"citizen:{rng.randint(1, 5)}", trusted=rng.random() < 0.2,
            victim_country=rng.choice(["ID", "MY", "TH"]),
            typology=rng.choice(["investment", "romance", "job_task"]),
            narrative=f"#{n} hubungi " + " atau ".join(picked) + " segera",
            loss_amount=str(rng.randint(1, 900)), loss_currency="USD",
            received_at=f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00+00:00",
        )  # fmt: skip
    incremental = _evidence_rows(store)
    with store.begin() as s:
        refresh_evidence(s, s.scalars(select(Indicator.id)).all())
    assert _evidence_rows(store) == incremental
    assert any(row[3] > 1 for row in incremental)


def _reporter_rows(store: Store) -> list[tuple[object, ...]]:
    from tangkal.report.models import IndicatorReporter

    with store.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                select(
                    IndicatorReporter.indicator_id, IndicatorReporter.reporter_key,
                    IndicatorReporter.trusted,
                ).order_by(IndicatorReporter.indicator_id, IndicatorReporter.reporter_key)
            )
        ]  # fmt: skip


def test_batches_fold_into_the_same_evidence_as_a_recount(store: Store) -> None:
    """Whole batches (an import's shape): values shared inside a batch and across batches,
    a report twice in one batch and again later, a reporter first untrusted then trusted."""
    import datetime as dt
    import hashlib

    from tangkal.report.demo import generate
    from tangkal.report.intake import file_reports, refresh_evidence

    until = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    reports = [
        prepare(parse_report(d.report), "import") for d in generate(240, seed=3, until=until)
    ]

    def again(p: Prepared, tag: str) -> Prepared:  # the same values in another report
        key = hashlib.sha256(f"{tag}:{p.dedup_key}".encode()).hexdigest()
        return Prepared(p.data, key, p.indicators, p.loss_usd, p.scam_probability)

    calls: list[tuple[list[Prepared], str, bool]] = [
        (reports[:100] + reports[40:50], "import", False),  # 10 twice in the batch
        (reports[90:160], "import", False),  # 10 stored already
        ([again(p, "a") for p in reports[:60]], "org:1", False),
        ([again(p, "b") for p in reports[30:90]], "org:1", True),  # 30 values now trusted
        ([again(p, "c") for p in reports[150:240]], "bank:2", True),
    ]
    filed_ids: dict[str, int] = {}
    duplicates = []
    for batch, reporter, trusted in calls:
        with store.begin() as s:
            filed = file_reports(s, batch, reporter_key=reporter, trusted=trusted, audit_each=False)
        for p, f in zip(batch, filed, strict=True):
            assert filed_ids.setdefault(p.dedup_key, f.report_id) == f.report_id
        duplicates.append(sum(f.duplicate for f in filed))
    assert duplicates == [10, 10, 0, 0, 0]
    with store.read() as s:
        stored = {k: i for k, i in s.execute(select(Report.dedup_key, Report.id))}
        assert stored == filed_ids  # ids handed back are the ids stored, each report once
        named = reports[:160] + reports[:60] + reports[30:90] + reports[150:240]
        assert s.scalar(select(func.count()).select_from(ReportIndicator)) == sum(
            len(p.indicators) for p in named
        )
    incremental, reporters = _evidence_rows(store), _reporter_rows(store)
    assert any(row[4] == 1 for row in incremental) and any(row[2] == 3 for row in incremental)
    with store.begin() as s:
        refresh_evidence(s, s.scalars(select(Indicator.id)).all())
    assert _evidence_rows(store) == incremental
    assert _reporter_rows(store) == reporters


def test_report_times_in_any_zone_are_stored_as_their_instant(store: Store) -> None:
    """The writer's time conversion (``store.bulk``) keeps the instant a report names."""
    given = {
        "2025-12-06T05:35:41.248251+07:00": "a",
        "2025-12-05T22:35:41.248251Z": "b",
        "2025-12-05T17:05:41.248251-05:30": "c",
    }
    ids = [file_report(store, narrative=n, received_at=t).report_id for t, n in given.items()]
    with store.read() as s:
        stored = s.scalars(select(Report.received_at).where(Report.id.in_(ids))).all()
    instant = dt.datetime(2025, 12, 5, 22, 35, 41, 248251, tzinfo=dt.UTC)
    assert stored == [instant] * 3


def test_two_victims_with_the_same_narrative_are_two_reports(store: Store) -> None:
    """A bank files its usual narrative for two victims: neither is dropped as a duplicate."""
    common = {"narrative": "Ditipu penjual online, transfer ke rek BCA 5550001111"}
    first = file_report(store, **common, loss_amount="100000", loss_currency="IDR",
                        victim_contact={"name": "A"})  # fmt: skip
    second = file_report(store, **common, loss_amount="2500000", loss_currency="IDR",
                         victim_contact={"name": "B"})  # fmt: skip
    again = file_report(store, **common, loss_amount="2500000", loss_currency="IDR",
                        victim_contact={"name": "B"})  # fmt: skip
    assert not first.duplicate and not second.duplicate and first.report_id != second.report_id
    assert again.duplicate and again.report_id == second.report_id
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 2
