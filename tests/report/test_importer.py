"""Bulk import on both stores: idempotent, line-numbered rejections, whole batches only."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import io
import weakref
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.report import importer
from tangkal.report.demo import generate
from tangkal.report.importer import MAX_LINE_BYTES, Rejected, detect_format, import_file
from tangkal.report.intake import Filed, file_reports
from tangkal.report.models import Indicator, Report
from tangkal.report.prepare import Prepared
from tangkal.store import Store

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def demo_rows(n: int, seed: int = 1) -> list[dict[str, Any]]:
    return [d.report for d in generate(n, seed=seed, until=UNTIL)]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def count(store: Store, model: Any = Report) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("workers", [0, 1])
def test_jsonl_import_is_idempotent(store: Store, tmp_path: Path, workers: int) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", demo_rows(45))
    first = import_file(store, path, batch=10, workers=workers)
    assert (first.rows, first.stored, first.duplicates, first.batches) == (45, 45, 0, 5)
    assert first.rejected == []
    second = import_file(store, path, batch=10, workers=workers)
    assert (second.stored, second.duplicates) == (0, 45)
    assert count(store) == 45


def test_rows_without_external_id_dedup_on_content(store: Store, tmp_path: Path) -> None:
    rows = demo_rows(12)
    for row in rows:
        del row["external_id"]
    path = write_jsonl(tmp_path / "plain.jsonl", rows + rows[:3])
    first = import_file(store, path, workers=0)
    assert (first.stored, first.duplicates) == (12, 3)
    assert import_file(store, path, workers=0).stored == 0


CSV_HEADER = [
    "external_id", "victim_country", "received_at", "channel", "typology", "narrative",
    "loss_amount", "loss_currency", "phone", "bank_account", "url", "crypto_wallet",
    "victim_contact_name", "victim_contact_phone",
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], header: list[str] = CSV_HEADER) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_csv_import_with_indicator_columns(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bank.csv",
        [
            ["c-1", "ID", "2026-10-01T08:00:00+07:00", "whatsapp", "investment",
             "Tawaran investasi,\nditransfer lewat BCA", "5000000", "IDR",
             "0812-3456-7890; +62 813 1111 2222", "BCA 1234567890", "https://cuan-max.top/daftar",
             "TNKuXXrDYXx59Fy1ecwniPjefDUMA8vDRz", "Budi", "0811 2222 3333"],
            ["c-2", "MY", "", "call", "impersonation_official", "Panggilan palsu", "", "",
             "012-345 6789", "", "", "", "", ""],
        ],
    )  # fmt: skip
    result = import_file(store, path, workers=0)
    assert (result.stored, result.rejected) == (2, [])
    with store.read() as session:
        values = set(session.scalars(select(Indicator.value)))
        contact = session.scalar(select(Report.victim_contact).where(Report.victim_country == "ID"))
    assert {
        "+6281234567890",
        "+6281311112222",
        "1234567890",
        "cuan-max.top",
        "+60123456789",
    } <= values
    assert "TNKuXXrDYXx59Fy1ecwniPjefDUMA8vDRz" in values
    assert contact == {"name": "Budi", "phone": "0811 2222 3333"}
    assert import_file(store, path, workers=1).duplicates == 2


def test_a_row_that_names_no_source_is_filed_as_an_import(store: Store, tmp_path: Path) -> None:
    """QA session 10: such rows were stored as ``web_form`` (the API's default)."""
    rows = [
        {"external_id": "s-1", "victim_country": "ID", "narrative": "rek BCA 1234567890"},
        {"external_id": "s-2", "victim_country": "ID", "source": "bank"},
    ]
    jsonl = write_jsonl(tmp_path / "sources.jsonl", rows)
    csv_path = tmp_path / "sources.csv"
    csv_path.write_text("external_id,victim_country,source\ns-3,TH,\ns-4,TH,hotline\n")
    for path in (jsonl, csv_path):
        assert import_file(store, path, workers=0).rejected == []
    with store.read() as session:
        sources = list(session.scalars(select(Report.source).order_by(Report.id)))
    assert sources == ["import", "bank", "import", "hotline"]


def test_rejected_rows_are_listed_with_line_and_field(store: Store, tmp_path: Path) -> None:
    good = demo_rows(3)
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        orjson.dumps(good[0]) + b"\n"
        + b'{"victim_country": "ID", "narrative": \n'  # 2: broken JSON
        + b"\n"  # 3: blank, skipped
        + orjson.dumps({"victim_country": "ID", "loss_amount": "5", "loss_currency": "XYZ"}) + b"\n"
        + orjson.dumps({"victim_country": "ID", "colour": "red"}) + b"\n"
        + orjson.dumps(good[1]) + b"\n"
        + orjson.dumps({"victim_country": "ID", "indicators": [{"value": "12", "kind": "phone"}]})
        + b"\n" + orjson.dumps(good[2]) + b"\n"
    )  # fmt: skip
    result = import_file(store, path, batch=2, workers=1)
    assert [(r.line, r.field) for r in result.rejected] == [
        (2, "line"), (4, "loss_currency"), (5, "colour"), (7, "indicators.0.value"),
    ]  # fmt: skip
    assert result.stored == 3 and count(store) == 3


def test_csv_rejections_name_the_column(store: Store, tmp_path: Path) -> None:
    blank = [""] * (len(CSV_HEADER) - 2)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["ok-1", "TH", *blank],
            ["bad-phone", "TH", "", "", "", "", "", "", "12", "", "", "", "", ""],
            ["short-row", "TH"],
            ["bad-country", "XX", *blank],
        ],
    )
    result = import_file(store, path, workers=0)
    assert [(r.line, r.field) for r in result.rejected] == [
        (3, "phone"), (4, "row"), (5, "victim_country"),
    ]  # fmt: skip
    assert result.stored == 1


def test_csv_header_must_be_known(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [["ID", "x"]], header=["victim_country", "shoe_size"])
    with pytest.raises(InvalidInput) as err:
        import_file(store, path, workers=0)
    assert err.value.field == "shoe_size" and count(store) == 0


def test_strict_stores_nothing_when_a_row_is_bad(store: Store, tmp_path: Path) -> None:
    rows: list[Any] = demo_rows(30)
    rows.insert(25, {"victim_country": "Atlantis"})
    path = write_jsonl(tmp_path / "strict.jsonl", rows)
    result = import_file(store, path, batch=5, workers=1, strict=True)
    assert result.rejected == [Rejected(26, "victim_country", result.rejected[0].detail)]
    assert (result.stored, count(store), count(store, Indicator)) == (0, 0, 0)
    clean = write_jsonl(tmp_path / "clean.jsonl", rows[:25])
    assert import_file(store, clean, batch=5, workers=0, strict=True).stored == 25


def test_a_failed_batch_leaves_nothing_half_written(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "fail.jsonl", demo_rows(30))
    calls = 0

    def flaky(session: Session, prepared: list[Prepared]) -> list[Filed]:
        nonlocal calls
        calls += 1
        filed = file_reports(session, prepared, reporter_key="import", audit_each=False)
        if calls == 2:  # after the rows, links and evidence of batch 2 are written
            raise RuntimeError("disk full")
        return filed

    with pytest.raises(RuntimeError) as err:
        import_file(store, path, batch=10, workers=1, write=flaky)
    assert "lines 11–20 were not stored" in " ".join(err.value.__notes__)
    assert count(store) == 10
    with store.read() as session:
        orphans = session.scalar(
            select(func.count()).select_from(Indicator).where(Indicator.report_count == 0)
        )
    assert orphans == 0
    resumed = import_file(store, path, batch=10, workers=0)
    assert (resumed.stored, resumed.duplicates, count(store)) == (20, 10, 30)


@pytest.mark.parametrize("workers", [0, 1])
def test_a_batch_is_several_worker_tasks_written_as_one(
    store: Store, tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers prepare at most PREPARE_CHUNK rows a task; each write still holds ``batch`` rows,
    and a rejected row is listed with the batch it was read in."""
    monkeypatch.setattr(importer, "PREPARE_CHUNK", 4)  # read in the main process only
    rows: list[Any] = demo_rows(44)
    rows.insert(12, {"victim_country": "XX"})  # line 13, in the second batch
    path = write_jsonl(tmp_path / "tasks.jsonl", rows)
    written: list[list[str | None]] = []

    def write(session: Session, prepared: list[Prepared]) -> list[Filed]:
        written.append([p.data.external_id for p in prepared])
        return file_reports(session, prepared, reporter_key="import", audit_each=False)

    result = import_file(store, path, batch=10, workers=workers, write=write)
    assert [len(w) for w in written] == [10, 9, 10, 10, 5]
    assert [r.line for r in result.rejected] == [13]
    ids = [r["external_id"] for r in rows if "external_id" in r]
    assert [i for w in written for i in w] == ids  # file order, each row once
    assert (result.rows, result.stored, result.batches, count(store)) == (45, 44, 5, 44)


def test_worker_tasks_split_a_batch_evenly() -> None:
    assert importer._chunk_size(1) == 1
    assert importer._chunk_size(2000) == 2000
    assert importer._chunk_size(2001) == 1001
    assert importer._chunk_size(10_000) == 2000
    assert importer._chunk_size(25_000) == 1924


@pytest.mark.parametrize("workers", [1, 2, 4])
@pytest.mark.parametrize("batch", [1, 700, 2000, 2001, 10_000, 25_000, 100_000])
def test_the_next_batch_is_in_flight_while_one_is_written(batch: int, workers: int) -> None:
    # When the last task of a batch comes back, the tasks still in flight hold the whole
    # next batch (up to AHEAD_ROWS) and two more per worker: the workers prepare while the
    # batch is written, and what is in flight stays bounded.
    size = importer._chunk_size(batch)
    tasks_per_batch = -(-batch // size)
    ahead = importer._ahead(batch, workers) - 2 * workers
    assert ahead == tasks_per_batch or ahead * size >= importer.AHEAD_ROWS - size
    assert ahead * size <= max(importer.AHEAD_ROWS, size)
    assert importer._ahead(10_000, 2) == 9
    assert importer._ahead(100_000, 2) == 14


def test_bom_crlf_and_an_empty_file(store: Store, tmp_path: Path) -> None:
    rows = demo_rows(4)
    path = tmp_path / "windows.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b"".join(orjson.dumps(r) + b"\r\n" for r in rows))
    assert import_file(store, path, workers=0).stored == 4
    csv_path = tmp_path / "windows.csv"
    csv_path.write_bytes(
        codecs.BOM_UTF8 + b"victim_country,narrative\r\nSG,call from 9123 4567\r\n"
    )
    assert import_file(store, csv_path, workers=0).stored == 1
    for name in ("empty.jsonl", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        assert import_file(store, tmp_path / name, workers=0).rows == 0


def test_bad_encoding_and_huge_lines_are_rejected_by_line(store: Store, tmp_path: Path) -> None:
    rows = demo_rows(3)
    latin = orjson.dumps({"victim_country": "ID", "narrative": "x"}).replace(b"x", b"caf\xe9")
    huge = orjson.dumps({"victim_country": "ID", "narrative": "a" * (MAX_LINE_BYTES + 10)})
    path = tmp_path / "messy.jsonl"
    path.write_bytes(b"\n".join([orjson.dumps(rows[0]), latin, huge, orjson.dumps(rows[1])]))
    result = import_file(store, path, workers=1)
    assert [(r.line, r.field) for r in result.rejected] == [(2, "encoding"), (3, "line")]
    assert "UTF-8" in result.rejected[0].detail and result.stored == 2
    csv_path = tmp_path / "latin.csv"
    csv_path.write_bytes(b"victim_country,narrative\nID,ok\nID,caf\xe9\nTH,fine\n")
    result = import_file(store, csv_path, workers=0)
    assert [(r.line, r.field) for r in result.rejected] == [(3, "encoding")]


def test_utf16_files_and_bad_options_fail_clearly(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("victim_country\nID\n".encode("utf-16"))
    with pytest.raises(InvalidInput, match="UTF-16"):
        import_file(store, path, workers=0)
    with pytest.raises(InvalidInput) as err:
        import_file(store, tmp_path / "missing.jsonl")
    assert err.value.field == "file"
    with pytest.raises(InvalidInput) as err:
        import_file(store, path, batch=0)
    assert err.value.field == "batch"


def test_format_detection(tmp_path: Path) -> None:
    sniff = tmp_path / "export.txt"
    sniff.write_bytes(codecs.BOM_UTF8 + b'  {"victim_country": "ID"}\n')
    assert detect_format(sniff) == "jsonl"
    sniff.write_bytes(b"victim_country\nID\n")
    assert detect_format(sniff) == "csv"
    assert detect_format(tmp_path / "a.ndjson") == "jsonl"
    with pytest.raises(InvalidInput):
        detect_format(sniff, "xml")


def test_workers_collect_garbage_between_batches_not_during_them() -> None:
    """A worker runs with the collector off; each batch first frees what the last one left."""

    class Node:
        other: object = None

    enabled = gc.isenabled()
    try:
        importer._start_worker()
        assert not gc.isenabled()
        node = Node()
        node.other = node  # a reference cycle: only the collector frees it
        alive = weakref.ref(node)
        del node
        assert alive() is not None
        prepared, rejected = importer._prepare_batch(
            "jsonl", None, [(1, orjson.dumps(demo_rows(1)[0]))], "import"
        )
        assert alive() is None
        assert len(prepared) == 1 and rejected == []
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_what_a_worker_sends_back_is_the_report_it_prepared(fmt: str) -> None:
    """Workers send plain values, not models; the writer gets the same prepared reports,
    and a rejected row in the task does not shift the others."""
    rows: list[Any] = demo_rows(30)
    rows.insert(7, {"victim_country": "XX"})
    if fmt == "jsonl":
        header = None
        payloads: list[Any] = [orjson.dumps(r) for r in rows]
    else:
        header = ["external_id", "victim_country", "narrative", "received_at", "phone", "url"]
        payloads = [
            [r.get("external_id", ""), r["victim_country"], r.get("narrative", ""),
             r.get("received_at", ""), "0812-3456-7890;+63 917 123 4567", "bca-verify[.]top"]
            for r in rows
        ]  # fmt: skip
    task = list(enumerate(payloads, start=2))
    here, rejected_here = importer.prepare_rows(fmt, header, task, "import")
    sent, rejected = importer._prepare_batch(fmt, header, task, "import")
    gc.unfreeze()
    back = importer._received(fmt, header, importer._Chunk(rows=task), sent, rejected)
    assert rejected == rejected_here and [r.line for r in rejected] == [9]
    assert len(back) == len(here) == 30
    for new, old in zip(back, here, strict=True):
        assert (new.report, new.dedup_key, new.indicators) == (old.report, old.dedup_key,
                                                               old.indicators)  # fmt: skip
        assert (new.loss_usd, new.scam_probability) == (old.loss_usd, old.scam_probability)
        assert new.data == old.data  # validated again, only when asked for
    assert back == here


def test_the_collector_is_off_during_an_import_and_back_on_after(
    store: Store, tmp_path: Path
) -> None:
    """The main process pauses the cyclic collector for the import (once per batch it
    collects), and an import that fails still turns it back on."""
    path = write_jsonl(tmp_path / "gc.jsonl", demo_rows(12))
    seen: list[bool] = []

    def write(session: Session, prepared: list[Prepared]) -> list[Filed]:
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise RuntimeError("disk full")
        return file_reports(session, prepared, reporter_key="import", audit_each=False)

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        import_file(store, path, batch=5, workers=0, write=write)
    assert seen == [False, False] and gc.isenabled()
