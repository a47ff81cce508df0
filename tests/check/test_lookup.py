"""The single check, the batch screen and the library give the same answers on both stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import orjson
import pytest
from sqlalchemy import text

from tangkal.check.allowlist import add
from tangkal.check.lookup import (
    _EVIDENCE_SQL,
    _cents,
    _evidence_rows,
    _stored_iso,
    _stored_utc,
    check_many,
    check_one,
    link_risks,
)  # fmt: skip
from tangkal.check.point import PointReader
from tangkal.errors import InvalidInput
from tangkal.link.batch import recompute
from tangkal.store import Store
from tangkal.store.base import as_utc
from tangkal.store.bulk import runner, select_in
from tests.factories import file_report

NOW = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
SHARED = "+62 812-5555-0101"
VALUES = [
    SHARED,  # two reporters, in a network
    "+6281255550101",  # the same number, already E.164
    "+60 12-345 6789",  # one report: suspicious, a network of its own? no: alone
    "https://www.bca.co.id/login",  # allowlisted through its domain
    "+62 812-9999-0000",  # nobody reported it
    "+62 21 500 888",  # nobody reported it, allowlisted itself (a bank's hotline)
    "+60 12-777 8888",  # reported, then allowlisted: allowlisted wins
    "https://m.facebook.com/some.page",  # a platform's domain vouches for no page on it
    "not a value at all",  # invalid: an error entry, not a failure
]


@pytest.fixture
def filled(store: Store) -> Store:
    for reporter, extra in [("citizen:1", "111122223333"), ("citizen:2", None)]:
        values = [SHARED] + ([extra] if extra else [])
        file_report(
            store, reporter, typology="investment",
            indicators=[{"value": v} for v in values],
        )  # fmt: skip
    file_report(store, "citizen:3", victim_country="MY", indicators=[{"value": "+60123456789"}])
    file_report(store, "citizen:4", victim_country="MY", indicators=[{"value": "+60127778888"}])
    file_report(store, "citizen:5", indicators=[{"value": "https://m.facebook.com/some.page"}])
    with store.begin() as session:
        add(session, "bca.co.id", kind="domain", label="Bank Central Asia", actor="test")
        add(session, "+6221500888", label="Halo BCA", actor="test")
        add(session, "+60127778888", label="A bank's hotline", actor="test")
        add(session, "facebook.com", kind="domain", label="Facebook", category="platform",
            actor="test")  # fmt: skip
        recompute(session, degree_cap=100)
    return store


def test_batch_equals_single_checks_on_every_path(filled: Store) -> None:
    reader = PointReader(filled.engine)
    try:
        batch = [r.as_dict() for r in reader.check_many(VALUES, "ID", now=NOW)]
        chunks = list(reader.answer_texts(VALUES, "ID", now=NOW, size=4))
        # A year on, evidence has decayed: the chunks must judge at the time they are given.
        later = NOW + dt.timedelta(days=365)
        aged = orjson.loads(
            "[" + ",".join(reader.answer_texts(VALUES, "ID", now=later, size=4)) + "]"
        )
        assert aged == [r.as_dict() for r in reader.check_many(VALUES, "ID", now=later)] != batch
        answered = [reader.answer(v, "ID", now=NOW) for v in VALUES[:-1]]
        with filled.read() as session:
            library = [r.as_dict() for r in check_many(session, VALUES, "ID", now=NOW)]
            singles = [check_one(session, v, "ID", now=NOW).as_dict() for v in VALUES[:-1]]
        points = [reader.check(v, "ID", now=NOW).as_dict() for v in VALUES[:-1]]
        with pytest.raises(InvalidInput):
            reader.check(VALUES[-1], "ID")
    finally:
        reader.close()

    assert batch == library == orjson.loads("[" + ",".join(chunks) + "]")
    assert [len(orjson.loads(f"[{chunk}]")) for chunk in chunks] == [4, 4, 1]
    assert batch[:-1] == singles == points == answered
    verdicts = [r.get("verdict") for r in batch]
    assert verdicts == [
        "scam", "scam", "suspicious", "allowlisted", "no_reports", "allowlisted", "allowlisted",
        "suspicious", None,
    ]  # fmt: skip
    assert batch[5]["allowlisted_as"] == "Halo BCA"
    assert batch[6]["allowlisted_as"] == "A bank's hotline"
    assert batch[6]["evidence"]["reports"] == 1
    assert "allowlisted_as" not in batch[7]
    assert batch[0]["network"] == batch[1]["network"]
    assert batch[0]["network"]["reports"] == 2
    assert "network" not in batch[2] and "network" not in batch[4]
    assert batch[3]["allowlisted_as"] == "Bank Central Asia"
    assert batch[-1]["error"]
    assert batch[0]["evidence"]["first_seen"].endswith("+00:00")


def test_the_batch_apis_json_text_is_what_orjson_writes_for_its_answers(filled: Store) -> None:
    """``answer_texts`` (the API's path) against ``orjson.dumps`` of ``CheckResult.as_dict``.

    On top of the filled store: a loss with cents (a ``Decimal`` on PostgreSQL), a delisted
    value, links the model scores, and queries whose JSON needs escaping.
    """
    file_report(
        filled, "citizen:6", loss_amount="1234.56", loss_currency="USD",
        indicators=[{"value": "+62 812-4444-0001"}, {"value": "https://bca-verify.top/login"}],
    )  # fmt: skip
    file_report(filled, "citizen:7", indicators=[{"value": "+62 812-4444-0002"}])
    with filled.begin() as session:
        session.execute(
            text("UPDATE indicators SET delisted_at = :at WHERE value = :value"),
            {"at": NOW - dt.timedelta(days=3), "value": "+6281244440002"},
        )
    values = [
        *VALUES, "+62 812-4444-0001", "+6281244440001", "+62 812-4444-0002",
        "hxxps://bca-verify[.]top/login", "BCA-VERIFY.top", 'say "hi" \\ ', "tab\there",
        "ünïcödé", "+6281244440001",
    ]  # fmt: skip
    reader = PointReader(filled.engine)
    try:
        results = reader.check_many(values, "ID", link_scorer=link_risks, now=NOW)
        expected = orjson.dumps([r.as_dict() for r in results]).decode()
        for size in (1, 4, 500):  # one value per chunk takes the single check's way in _decide
            texts = reader.answer_texts(values, "ID", link_scorer=link_risks, now=NOW, size=size)
            assert "[" + ",".join(texts) + "]" == expected
        # The single check's text (GET /api/v1/check) is what orjson writes for its dict.
        singles = [v for v, r in zip(values, results, strict=True) if r.error is None]
        for value in singles:
            answer = reader.answer(value, "ID", link_scorer=link_risks, now=NOW)
            written = reader.answer_text(value, "ID", link_scorer=link_risks, now=NOW)
            assert written == orjson.dumps(answer).decode()
    finally:
        reader.close()
    answers = orjson.loads(expected)
    assert answers[10]["evidence"]["total_loss_usd"] == 1234.56
    assert answers[11]["evidence"]["delisted"] is True
    assert answers[12]["model_risk"] > 0
    assert answers[14]["query"] == 'say "hi" \\ '


def test_evidence_rows_by_json_keys_are_the_rows_by_parameters(filled: Store) -> None:
    """SQLite's batch reads its keys from one JSON array; a chunk whose JSON needs an escape
    (a quote, a backslash) goes by parameters. Either way, the rows of ``IN (…)``."""
    urls = [
        'https://bca-verify.top/a"b', "https://bca-verify.top/a\\b", "https://bca-verify.top/ünï",
    ]  # fmt: skip
    file_report(filled, "citizen:8", indicators=[{"value": u} for u in urls])
    phones = ["+6281255550101", "+60123456789", "+6281299990000"]  # the last: never reported
    with filled.read() as session:
        run, mark = runner(session)
        for kind, values in [("phone", phones), ("url", urls), ("url", urls[2:])]:
            rows = sorted(tuple(r) for r in _evidence_rows(run, mark, kind, values))
            expected = sorted(
                tuple(r) for r in select_in(run, mark, _EVIDENCE_SQL, values, before=(kind,))
            )  # fmt: skip
            assert rows == expected
            assert [r[0] for r in rows] == sorted(v for v in values if v != phones[2])


def test_a_failed_check_leaves_the_reader_reading_fresh_data(filled: Store) -> None:
    """The reader's statements share one read transaction; a failure must still end it."""

    def broken_scorer(values: object) -> list[float]:
        raise RuntimeError("model unavailable")

    reader = PointReader(filled.engine)
    try:
        with pytest.raises(RuntimeError):
            list(
                reader.answer_texts(
                    ["https://bca-verify.top/login"], "ID", link_scorer=broken_scorer
                )
            )
        assert reader.answer("+62 812-9999-0000", "ID")["verdict"] == "no_reports"
        file_report(filled, "citizen:9", indicators=[{"value": "+62 812-9999-0000"}])
        assert reader.answer("+62 812-9999-0000", "ID")["verdict"] == "suspicious"
    finally:
        reader.close()


@pytest.mark.parametrize(
    "raw",
    ["2026-11-01 00:00:00.000000", "2026-10-31 23:57:56.543211", "2026-11-01 00:00:00.000001",
     "2026-11-01 00:00:00", "2026-11-01T07:00:00+07:00", "2026-11-01 00:00:00.5",
     dt.datetime(2026, 11, 1, 7, tzinfo=dt.timezone(dt.timedelta(hours=7))),
     dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 1, 0, 0, 0, 10), None],
)  # fmt: skip
def test_stored_timestamps_read_as_iso_utc_like_datetime_prints_them(raw: object) -> None:
    parsed = as_utc(raw)
    assert _stored_iso(raw) == (None if parsed is None else parsed.isoformat())
    assert _stored_utc(raw) == parsed
    assert parsed is None or _stored_utc(raw).utcoffset() == dt.timedelta(0)  # type: ignore[union-attr]


def test_stored_text_timestamps_of_every_shape_read_as_iso_utc() -> None:
    """The text shortcut against the general way, over a spread of stored timestamps."""
    start = dt.datetime(2020, 1, 1)
    for i in range(5_000):
        when = start + dt.timedelta(seconds=i * 7_919, microseconds=(i * 104_729) % 1_000_000)
        if i % 10 == 0:
            when = when.replace(microsecond=0)
        raw = when.isoformat(" ", "microseconds")
        assert _stored_iso(raw) == when.replace(tzinfo=dt.UTC).isoformat()
        assert _stored_utc(raw) == when.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "stored",
    [0, 0.0, Decimal("0"), 300, 2**53 + 1, 123.45, 0.125, 2.675, 1e-9, 99999999.995,
     Decimal("123.45"), Decimal("10.005"), "12.5", None],
)  # fmt: skip
def test_stored_losses_read_as_the_general_rounding_gives_them(stored: object) -> None:
    """The whole-amount shortcut against ``round(float(x), 2)``, the evidence's rule."""
    value = float(stored or 0)  # type: ignore[arg-type]
    expected = round(value, 2) if value else 0.0
    assert _cents(stored) == expected
    assert type(_cents(stored)) is float


def test_a_bare_host_is_scored_as_typed_and_its_evidence_kept_by_registered_domain(
    filled: Store,
) -> None:
    """``thailandpost.co.th-tracking.info`` is checked as the domain ``th-tracking.info``
    (one evidence row for every host under it), but the link model reads the host typed:
    scored as its registered domain alone it lost the brand in it (session 12)."""
    lookalike, plain = "thailandpost.co.th-tracking.info", "th-tracking.info"
    host_risk, domain_risk = link_risks([lookalike, plain])
    assert host_risk >= 0.9 > domain_risk  # the case: the host's risk is the one that counts
    file_report(filled, "citizen:9", indicators=[{"value": plain}])
    values = [lookalike, plain, f"Login.{plain}", "WWW.BCA.CO.ID", "hxxps://x[.]top"]
    reader = PointReader(filled.engine)
    try:
        batch = [r.as_dict() for r in reader.check_many(values, "TH", link_scorer=link_risks)]
        texts = orjson.loads("[" + ",".join(reader.answer_texts(values, "TH", link_scorer=link_risks)) + "]")  # fmt: skip
        single = reader.answer(lookalike, "TH", link_scorer=link_risks)
    finally:
        reader.close()
    assert [a["value"] for a in batch[:3]] == [plain] * 3
    expected = [host_risk, domain_risk, *link_risks([f"login.{plain}"])]
    assert [a["model_risk"] for a in batch[:3]] == [round(r, 3) for r in expected]
    assert [a["evidence"]["reports"] for a in batch[:3]] == [1, 1, 1]
    assert batch[0]["verdict"] == single["verdict"] == "suspicious"
    assert single["model_risk"] == round(host_risk, 3)
    assert batch[3]["verdict"] == "allowlisted"
    assert texts == batch
