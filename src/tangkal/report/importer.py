"""Bulk import of reports from CSV or JSON Lines, idempotent and batch-transactional.

Each row is one ``ReportIn``: a JSON object per line, or a CSV row with the same scalar
columns plus one column per indicator kind (values separated by ``;``) and the
``victim_contact_*`` columns (docs/import.md). Rows go through the normal intake, so
importing a file twice adds nothing (``external_id`` or the content dedup key).

The work is a pipeline: the main process reads rows and writes batches, worker
processes validate, extract and normalise the next batches meanwhile. Batches come back
in file order through a bounded window, so memory stays flat on a file of any size.
Every batch commits whole or not at all; with ``strict`` the whole file is one
transaction that is rolled back when any row is rejected.

>>> detect_format(Path("reports.csv"))
'csv'
"""

from __future__ import annotations

import codecs
import csv
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from sqlalchemy.orm import Session

from tangkal.access.roles import Principal
from tangkal.errors import InvalidInput, Rejected
from tangkal.report.intake import Filed, collector_paused, file_reports
from tangkal.report.prepare import Prepared, prepare, score
from tangkal.report.schema import ReportIn, parse_report
from tangkal.store import Store

__all__ = [
    "CONTACT_COLUMNS",
    "FORMATS",
    "INDICATOR_COLUMNS",
    "MAX_LINE_BYTES",
    "ImportResult",
    "Rejected",
    "detect_format",
    "import_file",
    "read_rows",
]

FORMATS = ("csv", "jsonl")
INDICATOR_COLUMNS = (
    "phone", "bank_account", "ewallet", "url", "domain", "email", "crypto_wallet",
    "social_handle",
)  # fmt: skip
CONTACT_COLUMNS = {
    "victim_contact_name": "name",
    "victim_contact_phone": "phone",
    "victim_contact_email": "email",
}
SCALAR_COLUMNS = tuple(
    f for f in ReportIn.model_fields if f not in ("indicators", "victim_contact")
)
# A report is at most 20,000 characters of narrative and 50 indicators; a longer line is
# a broken file (a missing newline), not a report.
MAX_LINE_BYTES = 1_000_000
_BOMS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
         codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}  # fmt: skip

Writer = Callable[[Session, list[Prepared]], list[Filed]]
Progress = Callable[[int, int], None]  # (rows done, bytes read)


@dataclass(slots=True)
class ImportResult:
    rows: int = 0
    stored: int = 0
    duplicates: int = 0
    batches: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "batches": self.batches,
            "rejected": [r.as_dict() for r in self.rejected],
        }  # fmt: skip


def detect_format(path: Path, given: str | None = None) -> str:
    """``given``, else the extension, else a peek: a JSON object opens JSON Lines."""
    if given:
        if given not in FORMATS:
            raise InvalidInput(f"must be one of: {', '.join(FORMATS)}", field="format")
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    with path.open("rb") as fh:
        head = fh.read(4096).removeprefix(codecs.BOM_UTF8).lstrip()
    return "jsonl" if head.startswith(b"{") else "csv"


# ---- reading: raw rows with their line numbers ---------------------------------------


def _lines(fh: BinaryIO) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, bytes without the line end, offset after it)``; None: too long."""
    first = fh.read(4)
    for bom, name in _BOMS.items():
        if first.startswith(bom):
            raise InvalidInput(f"the file is {name}; save it as UTF-8", field="file")
    fh.seek(len(codecs.BOM_UTF8) if first.startswith(codecs.BOM_UTF8) else 0)
    number = 0
    offset = fh.tell()
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        offset += len(line)
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the giant line
                line = fh.readline(1 << 20)
                offset += len(line)
            yield number, None, offset
            continue
        yield number, line.rstrip(b"\r\n"), offset


_TOO_LONG = f"line longer than {MAX_LINE_BYTES:,} bytes (a missing line break?)"


def _bad_encoding(exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8"


def read_rows(path: Path, fmt: str) -> Iterator[tuple[int, Any, int]]:
    """``(line, payload, offset)`` per row: JSON bytes, a CSV field list, or Rejected.

    The CSV header comes first as ``(1, ["col", …], offset)``; its columns are checked
    here, so a wrong header fails the whole file before anything is stored.
    """
    with path.open("rb") as fh:
        if fmt == "jsonl":
            for number, line, offset in _lines(fh):
                if line is None:
                    yield number, Rejected(number, "line", _TOO_LONG), offset
                elif line.strip():
                    yield number, line, offset
            return
        yield from _csv_rows(_lines(fh))


def _csv_rows(lines: Iterator[tuple[int, bytes | None, int]]) -> Iterator[tuple[int, Any, int]]:
    state = {"number": 0, "offset": 0}
    bad: dict[int, Rejected] = {}

    def text() -> Iterator[str]:
        for number, line, offset in lines:
            state["number"], state["offset"] = number, offset
            if line is None:
                bad[number] = Rejected(number, "line", _TOO_LONG)
                yield "\n"
                continue
            try:
                yield line.decode("utf-8") + "\n"
            except UnicodeDecodeError as exc:
                bad[number] = Rejected(number, "encoding", _bad_encoding(exc))
                yield line.decode("utf-8", "replace") + "\n"

    csv.field_size_limit(MAX_LINE_BYTES)
    reader = csv.reader(text())
    header: list[str] | None = None
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, Rejected(start, "row", f"unreadable CSV: {exc}"), state["offset"]
            start = state["number"] + 1
            continue
        end = state["number"]
        problem = next((bad.pop(n) for n in range(start, end + 1) if n in bad), None)
        line, start = start, end + 1
        if header is None:
            if problem:
                raise InvalidInput(f"line 1: {problem.detail}", field="file")
            if not fields:
                continue
            header = [h.strip().lstrip("\ufeff") for h in fields]
            _check_header(header)
            yield line, header, state["offset"]
        elif problem:
            yield line, Rejected(line, problem.field, problem.detail), state["offset"]
        elif any(f.strip() for f in fields):
            yield line, fields, state["offset"]


def _check_header(header: list[str]) -> None:
    known = {*SCALAR_COLUMNS, *INDICATOR_COLUMNS, *CONTACT_COLUMNS}
    for name in header:
        if name not in known:
            raise InvalidInput(f"line 1: unknown column {name!r} (see docs/import.md)",
                               field=name or "header")  # fmt: skip
    if "victim_country" not in header:
        raise InvalidInput("line 1: the victim_country column is required", field="header")
    if len(set(header)) != len(header):
        raise InvalidInput("line 1: a column appears twice", field="header")


# ---- preparing: pure, runs in worker processes ----------------------------------------


def _csv_report(header: list[str], fields: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The ReportIn dict of one CSV row, and the column each indicator came from."""
    if len(fields) != len(header):
        raise InvalidInput(f"has {len(fields)} fields, the header has {len(header)}",
                           field="row")  # fmt: skip
    data: dict[str, Any] = {}
    indicators: list[dict[str, str]] = []
    origins: list[str] = []
    contact: dict[str, str] = {}
    for name, raw in zip(header, fields, strict=True):
        value = raw.strip()
        if not value:
            continue
        if name in CONTACT_COLUMNS:
            contact[CONTACT_COLUMNS[name]] = value
        elif name in INDICATOR_COLUMNS:
            for part in value.split(";"):
                if part.strip():
                    indicators.append({"value": part.strip(), "kind": name})
                    origins.append(name)
        else:
            data[name] = value
    if indicators:
        data["indicators"] = indicators
    if contact:
        data["victim_contact"] = contact
    return data, origins


def _field(exc: InvalidInput, origins: list[str]) -> str:
    """Name the CSV column rather than ``indicators.3.value`` where we can."""
    name = exc.field or "row"
    parts = name.split(".")
    if origins and parts[0] == "indicators" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(origins):
            return origins[index]
    return name


def _row_data(fmt: str, header: list[str] | None, payload: Any) -> tuple[Any, list[str]]:
    """One row as a report body to validate, and the CSV column each indicator came from."""
    origins: list[str] = []
    if fmt != "jsonl":
        assert header is not None
        data, origins = _csv_report(header, payload)
    else:
        try:
            data = orjson.loads(payload.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InvalidInput(_bad_encoding(exc), field="encoding") from None
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"invalid JSON: {exc}", field="line") from None
    if isinstance(data, dict) and "source" not in data:
        data["source"] = "import"  # not the API's default, "web_form": it came from a file
    return data, origins


def _validated(fmt: str, header: list[str] | None, payload: Any) -> ReportIn:
    """A prepared row's report validated again: ``Prepared.data`` after a worker sent it."""
    return parse_report(_row_data(fmt, header, payload)[0])


def prepare_rows(
    fmt: str, header: list[str] | None, rows: list[tuple[int, Any]], reporter_key: str
) -> tuple[list[Prepared], list[Rejected]]:
    """Validate, extract and normalise a chunk of rows; bad rows become ``Rejected``."""
    good: list[Prepared] = []
    bad: list[Rejected] = []
    for line, payload in rows:
        origins: list[str] = []
        try:
            data, origins = _row_data(fmt, header, payload)
            good.append(prepare(parse_report(data), reporter_key))
        except InvalidInput as exc:
            bad.append(Rejected(line, _field(exc, origins), exc.detail))
    return score(good), bad


# ---- the pipeline ----------------------------------------------------------------------


@dataclass(slots=True)
class _Chunk:
    rows: list[tuple[int, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    offset: int = 0


# Rows a worker prepares per task. A write batch is several of these: a batch of 10,000 costs
# the writer ~20% less CPU per report than one of 2,000 (fewer commits, each dirtying the
# random-key index pages once for more rows), while small tasks keep both workers busy
# (``_ahead`` says how many are in flight).
PREPARE_CHUNK = 2000


def _chunk_size(batch: int) -> int:
    """Rows per worker task: ``batch`` in equal parts of at most ``PREPARE_CHUNK``."""
    parts = -(-batch // PREPARE_CHUNK)
    return -(-batch // parts)


def _chunks(rows: Iterable[tuple[int, Any, int]], batch: int) -> Iterator[_Chunk]:
    """Worker tasks of at most ``_chunk_size(batch)`` rows that never straddle two write
    batches: every ``batch`` rows the current task ends, so a batch holds exactly ``batch``
    rows (the last one fewer) whatever the task size."""
    size = _chunk_size(batch)
    chunk = _Chunk()
    done = 0  # rows of the current write batch in the tasks already sent
    for line, payload, offset in rows:
        if isinstance(payload, Rejected):
            chunk.rejected.append(payload)
        else:
            chunk.rows.append((line, payload))
        chunk.offset = offset
        if len(chunk.rows) >= size or done + len(chunk.rows) >= batch:
            done = (done + len(chunk.rows)) % batch
            yield chunk
            chunk = _Chunk()
    if chunk.rows or chunk.rejected:
        yield chunk


def default_workers() -> int:
    """One worker per core: preparing a report (validation, extraction, scoring) still costs
    more than writing it (~290 against ~160 µs of CPU), so the writer shares a core with
    them: 3,681-3,890 against 3,016-3,169 reports/s with one worker on 2 cores (30,000 demo
    reports, load ~3; docs/benchmarks.md)."""
    return max(1, os.cpu_count() or 2)


def _start_worker() -> None:
    """Pool initializer: the collector runs between batches (``_prepare_batch``), never
    inside one.

    A report allocates a few hundred objects and the normalisation caches keep ~65,000
    entries each, so the default collector ran every ~2 reports and a full pass walked a
    heap of half a million objects: a third of a worker's CPU (demo reports, 2,000 a
    batch). The modules, tables and patterns imported so far are never garbage: frozen,
    they are never walked again.
    """
    gc.disable()
    gc.freeze()


def _prepare_batch(
    fmt: str, header: list[str] | None, rows: list[tuple[int, Any]], reporter_key: str
) -> tuple[list[tuple[Any, ...]], list[Rejected]]:
    """``prepare_rows`` in a worker, after collecting what the previous batch left.

    The previous batch's results are sent and freed by now: what young objects remain are
    new cache entries (kept, then frozen out of later passes) and the rare reference cycle
    (a rejected row's exception), which this young-generation pass frees.
    """
    gc.collect(0)
    gc.freeze()
    prepared, rejected = prepare_rows(fmt, header, rows, reporter_key)
    return [p.send() for p in prepared], rejected


def _received(
    fmt: str, header: list[str] | None, chunk: _Chunk, sent: list[tuple[Any, ...]],
    rejected: list[Rejected],
) -> list[Prepared]:  # fmt: skip
    """The prepared rows of a chunk from what its worker sent (``_prepare_batch``).

    The good rows are the chunk's rows less the rejected ones, in order; each can validate
    its row again if a writer asks for ``Prepared.data``.
    """
    bad = {r.line for r in rejected}
    payloads = [payload for line, payload in chunk.rows if line not in bad]
    return [
        Prepared.sent(fields, partial(_validated, fmt, header, payload))
        for fields, payload in zip(sent, payloads, strict=True)
    ]


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers fork from a clean process that has already imported the
    # extractor, so they start fast and inherit no threads, locks or connections.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tangkal.report.importer"])
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_start_worker)


# Rows of look-ahead at most, beyond two tasks per worker: what is in flight stays some tens
# of MB however large the write batches (up to 100,000 rows) are made.
AHEAD_ROWS = 20_000


def _ahead(batch: int, workers: int) -> int:
    """Worker tasks kept in flight: a whole write batch's (at most ``AHEAD_ROWS``), plus two
    per worker.

    While the main process writes a batch it submits nothing, so the tasks already in flight
    are all the workers have to do meanwhile. With two per worker (8,000 rows for 2 workers)
    they ran dry before a write of 10,000 rows ended, and idled; with the next batch's tasks
    and two more per worker queued, they prepare the next batch during the write.
    """
    size = _chunk_size(batch)
    return min(-(-batch // size), max(1, AHEAD_ROWS // size)) + 2 * workers


def _prepared_chunks(
    chunks: Iterator[_Chunk], fmt: str, header: list[str] | None, key: str, workers: int,
    ahead: int,
) -> Iterator[tuple[_Chunk, list[Prepared], list[Rejected]]]:  # fmt: skip
    """Chunks with their prepared rows, in file order; at most ``ahead`` tasks in flight."""
    if workers <= 0:
        for chunk in chunks:
            yield chunk, *prepare_rows(fmt, header, chunk.rows, key)
        return
    with _pool(workers) as pool:
        window: deque[tuple[_Chunk, Future[tuple[list[tuple[Any, ...]], list[Rejected]]]]]
        window = deque()
        try:
            for chunk in chunks:
                window.append((chunk, pool.submit(_prepare_batch, fmt, header, chunk.rows, key)))
                if len(window) >= ahead:
                    done, future = window.popleft()
                    sent, rejected = future.result()
                    yield done, _received(fmt, header, done, sent, rejected), rejected
            while window:
                done, future = window.popleft()
                sent, rejected = future.result()
                yield done, _received(fmt, header, done, sent, rejected), rejected
        finally:
            # A failed write (or a reader that stops early) drops the tasks not yet started,
            # so leaving the pool waits for the running ones only, not a whole batch more.
            for _, future in window:
                future.cancel()


def _batches(
    prepared: Iterator[tuple[_Chunk, list[Prepared], list[Rejected]]], batch: int
) -> Iterator[tuple[list[_Chunk], list[Prepared], list[Rejected]]]:
    """Consecutive prepared chunks joined into write batches of ``batch`` rows (the last
    one shorter); rows a reader or worker rejected travel with their batch."""
    chunks: list[_Chunk] = []
    good: list[Prepared] = []
    bad: list[Rejected] = []
    rows = 0
    for chunk, ok, rejected in prepared:
        chunks.append(chunk)
        good.extend(ok)
        bad.extend(chunk.rejected)
        bad.extend(rejected)
        rows += len(chunk.rows)
        if rows >= batch:
            yield chunks, good, bad
            chunks, good, bad, rows = [], [], [], 0
    if chunks:
        yield chunks, good, bad


class _Rollback(Exception):
    """Raised inside a strict import's transaction to undo it."""


def import_file(
    store: Store,
    path: Path,
    *,
    fmt: str | None = None,
    batch: int = 10_000,
    workers: int | None = None,
    strict: bool = False,
    reporter_key: str = "import",
    principal: Principal | None = None,
    trusted: bool = False,
    progress: Progress | None = None,
    write: Writer | None = None,
) -> ImportResult:
    """Import ``path``; rejected rows are listed in the result, never half-stored.

    ``workers=0`` prepares in this process. ``write`` is the seam that stores one batch
    in the given session (default: ``file_reports`` with one audit event per batch).
    """
    if not 1 <= batch <= 100_000:
        raise InvalidInput("must be between 1 and 100000", field="batch")
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file")
    fmt = detect_format(path, fmt)
    workers = default_workers() if workers is None else workers

    def default_write(session: Session, prepared: list[Prepared]) -> list[Filed]:
        return file_reports(session, prepared, reporter_key=reporter_key, principal=principal,
                            trusted=trusted, audit_each=False)  # fmt: skip

    writer = write or default_write
    result = ImportResult()
    rows = read_rows(path, fmt)
    header: list[str] | None = None
    if fmt == "csv":
        first = next(rows, None)
        if first is None:
            return result
        header = first[1]
    chunks = _prepared_chunks(
        _chunks(rows, batch), fmt, header, reporter_key, workers, _ahead(batch, workers)
    )
    pipeline = _batches(chunks, batch)

    collect = gc.isenabled()

    def run(session: Session | None) -> None:
        for parts, prepared, rejected in pipeline:
            if collect:
                gc.collect(1)  # what the batches before this one left (see import_file)
            result.rows += sum(len(c.rows) + len(c.rejected) for c in parts)
            result.rejected.extend(rejected)
            if prepared and not (strict and result.rejected):
                result.batches += 1
                try:
                    if session is not None:
                        filed = writer(session, prepared)
                    else:
                        with store.begin() as own:
                            filed = writer(own, prepared)
                except Exception as exc:
                    lines = [row[0] for c in parts for row in c.rows]
                    first, last = lines[0], lines[-1]
                    exc.add_note(
                        f"lines {first}–{last} were not stored; nothing was (--strict)"
                        if strict
                        else f"lines {first}–{last} were not stored; earlier lines were. "
                        "Importing the file again resumes."
                    )
                    raise
                dup = sum(f.duplicate for f in filed)
                result.duplicates += dup
                result.stored += len(filed) - dup
            if progress:
                progress(result.rows, parts[-1].offset)

    # The collector off for the whole import; ``run`` collects the young generations once
    # per batch instead. The rows read, the tasks sent and the results received are some ten
    # objects per report, mostly alive until their batch is written: the default collector
    # ran every 700 allocations and walked them again and again, 35 of the 55 µs of CPU per
    # report the main process spent around the writer (20,000 demo reports, 2 workers).
    # What cycles a batch leaves (a session, a rejected row's exception) go at the next batch.
    with collector_paused():
        if not strict:
            run(None)
        else:
            try:
                with store.begin() as session:
                    run(session)
                    if result.rejected:
                        raise _Rollback
            except _Rollback:
                result.stored = result.duplicates = result.batches = 0
    result.rejected.sort(key=lambda r: r.line)
    return result
