"""Filing prepared reports (``report.prepare``): store them, keep evidence current.

Works in batches so that one report from a web form and a million from an import take the
same path: one query per table per batch, not per row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, delete, func, insert, select, text
from sqlalchemy.orm import Session

from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.report.extract import Found
from tangkal.report.models import Indicator, IndicatorReporter, Report, ReportIndicator
from tangkal.report.prepare import REPORT_COLUMNS, Prepared
from tangkal.store.base import as_utc, utcnow
from tangkal.store.bulk import (
    Cursor,
    cursor,
    fetch_in,
    insert_rows,
    reserve_ids,
    update_many,
    update_rows,
)

__all__ = [
    "Filed",
    "add_evidence",
    "collector_paused",
    "file_reports",
    "refresh_evidence",
    "upsert_indicators",
]

# Unambiguous characters for reference codes a victim reads out on the phone.
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CHUNK = 500
_PG_INTAKE_LOCK = 0x696E_7461  # "inta"


@dataclass(frozen=True, slots=True)
class Filed:
    report_id: int
    reference: str
    # The victim's private status secret, in clear only here; None for duplicates.
    status_secret: str | None
    duplicate: bool
    indicators: tuple[Found, ...]


# 256 byte values onto 32 characters: each appears 8 times, so every character is as likely.
_REF_TABLE = bytes(ord(_REF_ALPHABET[b % 32]) for b in range(256))


def _reference() -> str:
    return secrets.token_bytes(10).translate(_REF_TABLE).decode("ascii")


_INDICATOR_IDS = "SELECT value, id FROM indicators WHERE kind = {p} AND value IN ({marks})"
_REPORT_IDS = "SELECT dedup_key, id, reference FROM reports WHERE dedup_key IN ({marks})"
# An indicator's id with its evidence as it stands, read once to fold a batch into it.
_INDICATOR_EVIDENCE = (
    "SELECT value, id, report_count, reporter_count, trusted_reporter_count, first_seen, "
    "last_seen, loss_usd, countries, typologies FROM indicators "
    "WHERE kind = {p} AND value IN ({marks})"
)
_KNOWN_REPORTERS = (
    "SELECT indicator_id, trusted FROM indicator_reporters "
    "WHERE reporter_key = {p} AND indicator_id IN ({marks})"
)
_NEW_INDICATOR = (
    "id", "kind", "value", "attributes", "distribution", "updated_at", "first_seen",
    "last_seen", "report_count", "reporter_count", "trusted_reporter_count", "countries",
    "typologies", "loss_usd",
)  # fmt: skip
_EVIDENCE = (
    "report_count", "reporter_count", "trusted_reporter_count", "first_seen", "last_seen",
    "loss_usd", "countries", "typologies", "updated_at",
)  # fmt: skip
# The writer's own columns, then the report's (``Prepared.report``).
_REPORT = (
    "id", "reference", "status_secret_hash", "dedup_key", "loss_usd", "org_id",
    "reporter_key", "reporter_trusted", "scam_probability", *REPORT_COLUMNS,
)  # fmt: skip
_COUNTRY = REPORT_COLUMNS.index("victim_country")
_TYPOLOGY = REPORT_COLUMNS.index("typology")


def upsert_indicators(
    session: Session, found: Iterable[Found], *, distribution: str = "national"
) -> dict[tuple[str, str], int]:
    """Ids of the given (kind, value) pairs, inserting the missing ones."""
    wanted: dict[tuple[str, str], Found] = {}
    for f in found:
        wanted.setdefault((f.kind, f.value), f)
    cur, mark = cursor(session)
    ids = {key: row[1] for key, row in _by_kind(cur, mark, _INDICATOR_IDS, wanted).items()}
    missing = [k for k in wanted if k not in ids]
    if missing:
        new_ids = reserve_ids(session, Indicator, len(missing))
        now = utcnow()
        insert_rows(
            session,
            Indicator,
            ("id", "kind", "value", "attributes", "distribution", "updated_at"),
            [
                (iid, k, v, dict(wanted[(k, v)].attributes) or None, distribution, now)
                for iid, (k, v) in zip(new_ids, missing, strict=True)
            ],
        )
        ids.update(zip(missing, new_ids, strict=True))
    return ids


def _by_kind(
    cur: Cursor, mark: str, sql: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[Any, ...]]:
    """``store.bulk.by_kind`` on a driver cursor: one ``kind = ? AND value IN (…)`` per kind."""
    grouped: dict[str, list[str]] = {}
    for kind, value in keys:
        grouped.setdefault(kind, []).append(value)
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for kind, values in grouped.items():
        for row in fetch_in(cur, mark, sql, values, before=(kind,)):
            out[(kind, row[0])] = row
    return out


class _Fold:
    """What one batch adds to one indicator's evidence (``add_evidence``)."""

    __slots__ = (
        "countries",
        "found",
        "hi",
        "last_report",
        "lo",
        "loss",
        "reports",
        "typologies",
    )

    def __init__(self, found: Found, report: int, when: dt.datetime, country: str,
                 typology: str, loss: Decimal | None) -> None:  # fmt: skip
        self.found = found  # the first naming, whose attributes a new indicator keeps
        self.reports = 1
        self.last_report = report
        self.lo = self.hi = when
        self.countries = {country}
        self.typologies = {typology}
        self.loss: Decimal | int = loss or 0

    def add(self, report: int, when: dt.datetime, country: str, typology: str,
            loss: Decimal | None) -> None:  # fmt: skip
        if report == self.last_report:  # a report counts once per indicator
            return
        self.last_report = report
        self.reports += 1
        if when < self.lo:
            self.lo = when
        elif when > self.hi:
            self.hi = when
        self.countries.add(country)
        self.typologies.add(typology)
        if loss:
            self.loss += loss


def _joined(values: set[str], stored: str, limit: int) -> str:
    """A stored comma list with a batch's values merged in: sorted, distinct, cut to fit."""
    if stored:
        values = values.union(stored.split(","))
        values.discard("")
    return ",".join(sorted(values))[:limit]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is filed (or a whole import runs).

    A batch of 2,000 allocates some 100,000 containers (rows, keys, folds) that live until
    it is written: a collection starts every 700 allocations, and as they survive, full
    collections walk every object of the process again and again: 56 of 177 µs per report
    at 100,000 reports stored (``benchmarks/bench_intake.py``). Filing makes no reference
    cycles of its own; reference counting frees as usual meanwhile, and the collector
    resumes afterwards. Left alone when it is already off (another thread filing).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def file_reports(
    session: Session,
    prepared: Sequence[Prepared],
    *,
    reporter_key: str,
    principal: Principal | None = None,
    trusted: bool = False,
    remote: str | None = None,
    audit_each: bool = True,
) -> list[Filed]:
    """Store prepared reports in the caller's transaction; duplicates are not stored twice.

    Rows go to the driver as tuples, with ids reserved up front (``reserve_ids``: the
    transaction holds the write lock) instead of read back; indicators new to the store
    are inserted with their evidence already folded in, the others updated once each.
    """
    with collector_paused():
        return _file(session, prepared, reporter_key, principal, trusted, remote, audit_each)


def _file(
    session: Session,
    prepared: Sequence[Prepared],
    reporter_key: str,
    principal: Principal | None,
    trusted: bool,
    remote: str | None,
    audit_each: bool,
) -> list[Filed]:
    if session.get_bind().dialect.name == "postgresql":
        # Filings take turns, as on SQLite: two at once would race on the same new
        # indicator or reporter row and one would fail on a unique key.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_INTAKE_LOCK})
    cur, mark = cursor(session)
    keys = [p.dedup_key for p in prepared]
    existing = {k: (id_, ref) for k, id_, ref in fetch_in(cur, mark, _REPORT_IDS, keys)}
    fresh: list[Prepared] = []
    seen: set[str] = set()
    for p in prepared:
        if p.dedup_key not in existing and p.dedup_key not in seen:
            fresh.append(p)
            seen.add(p.dedup_key)

    now = utcnow()
    report_ids = reserve_ids(session, Report, len(fresh))
    secrets_by_key: dict[str, str] = {}
    new_ids: dict[str, tuple[int, str]] = {}
    rows: list[tuple[Any, ...]] = []
    folds: dict[tuple[str, str], _Fold] = {}
    named: list[tuple[int, tuple[str, str], str]] = []  # (report, indicator key, role)
    org_id = principal.org_id if principal else None
    for rid, p in zip(report_ids, fresh, strict=True):
        report = p.report
        secret = secrets.token_urlsafe(16)
        secrets_by_key[p.dedup_key] = secret
        reference = _reference()
        new_ids[p.dedup_key] = (rid, reference)
        when = report[0]  # received_at opens REPORT_COLUMNS
        if when is None:
            when = now
            report = (now, *report[1:])
        rows.append(
            (
                rid, reference, hashlib.sha256(secret.encode()).hexdigest(), p.dedup_key,
                p.loss_usd, org_id, reporter_key, trusted, p.scam_probability, *report,
            )
        )  # fmt: skip
        country, typology = report[_COUNTRY], report[_TYPOLOGY]
        for f in p.indicators:
            key = (f.kind, f.value)
            fold = folds.get(key)
            if fold is None:
                folds[key] = _Fold(f, rid, when, country, typology, p.loss_usd)
            else:
                fold.add(rid, when, country, typology, p.loss_usd)
            named.append((rid, key, f.role))

    if rows:
        insert_rows(session, Report, _REPORT, rows)
        ids = add_evidence(session, folds, reporter_key=reporter_key, trusted=trusted, now=now)
        insert_rows(
            session,
            ReportIndicator,
            ("report_id", "indicator_id", "role"),
            [(rid, ids[key], role) for rid, key, role in named],
        )
        actor = principal.actor if principal else "public"
        if audit_each:
            for rid in report_ids:
                record(session, actor, "report.create", "report", rid, remote=remote)
        else:
            record(
                session,
                actor,
                "report.import",
                "report",
                f"{report_ids[0]}..{report_ids[-1]}",
                remote=remote,
                details={"count": len(rows)},
            )

    result = []
    for p in prepared:
        if p.dedup_key in secrets_by_key:
            rid, ref = new_ids[p.dedup_key]
            result.append(Filed(rid, ref, secrets_by_key.pop(p.dedup_key), False, p.indicators))
        else:
            rid, ref = existing.get(p.dedup_key) or new_ids[p.dedup_key]
            result.append(Filed(rid, ref, None, True, p.indicators))
    return result


def _stored_money(value: Any) -> Decimal:
    """An amount as the driver returns it (SQLite: a float) as the cents it stands for."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(f"{value:.2f}")


def add_evidence(
    session: Session,
    folds: dict[tuple[str, str], _Fold],
    *,
    reporter_key: str,
    trusted: bool,
    now: dt.datetime,
) -> dict[tuple[str, str], int]:
    """Fold one reporter's batch into its indicators' evidence, in O(batch); their ids.

    Counters are added to, not recounted: a hub value named by a million reports costs the
    same as any other. Values new to the store are inserted with their evidence; the
    others are read once and updated once. ``indicator_reporters`` says whether the
    reporter is new to a value. ``refresh_evidence`` recounts from scratch where reports
    are changed or removed.
    """
    cur, mark = cursor(session)
    stored = _by_kind(cur, mark, _INDICATOR_EVIDENCE, folds)
    ids: dict[tuple[str, str], int] = {key: row[1] for key, row in stored.items()}
    known = {
        iid: bool(t)
        for iid, t in fetch_in(
            cur, mark, _KNOWN_REPORTERS, list(ids.values()), before=(reporter_key,)
        )
    }
    missing = [key for key in folds if key not in stored]
    new_ids = reserve_ids(session, Indicator, len(missing))
    ids.update(zip(missing, new_ids, strict=True))
    trusted_n = 1 if trusted else 0
    new_rows = []
    for iid, key in zip(new_ids, missing, strict=True):
        fold = folds[key]
        new_rows.append(
            (
                iid, key[0], key[1], dict(fold.found.attributes) or None, "national", now,
                fold.lo, fold.hi, fold.reports, 1, trusted_n,
                ",".join(sorted(fold.countries))[:200], ",".join(sorted(fold.typologies))[:400],
                Decimal(0) + fold.loss,
            )
        )  # fmt: skip
    insert_rows(session, Indicator, _NEW_INDICATOR, new_rows)
    fresh_pairs = [(iid, reporter_key, trusted) for iid in new_ids]
    promoted = []
    updates = []
    for key, row in stored.items():
        _v, iid, reports_n, reporters_n, trusted_count, first, last, loss_usd, cs, ts = row
        fold = folds[key]
        was = known.get(iid)
        if was is None:
            fresh_pairs.append((iid, reporter_key, trusted))
            reporters_n += 1
            trusted_count += trusted_n
        elif trusted and not was:
            # A reporter seen before, now through a trusted report, counts as trusted.
            promoted.append((True, iid, reporter_key))
            trusted_count += 1
        # None keeps the stored time (``unless_none``): most batches move neither end.
        first, last = as_utc(first), as_utc(last)
        lo = None if first is not None and first <= fold.lo else fold.lo
        hi = None if last is not None and last >= fold.hi else fold.hi
        updates.append(
            (
                reports_n + fold.reports, reporters_n, trusted_count, lo, hi,
                _stored_money(loss_usd) + fold.loss, _joined(fold.countries, cs, 200),
                _joined(fold.typologies, ts, 400), now, iid,
            )
        )  # fmt: skip
    insert_rows(
        session, IndicatorReporter, ("indicator_id", "reporter_key", "trusted"), fresh_pairs
    )
    if promoted:
        cur.executemany(
            f"UPDATE indicator_reporters SET trusted = {mark} "
            f"WHERE indicator_id = {mark} AND reporter_key = {mark}",
            promoted,
        )
    update_rows(
        session, Indicator, _EVIDENCE, "id", updates, unless_none=("first_seen", "last_seen")
    )
    return ids


def _aggregate_query(ids: list[int]) -> Select[Any]:  # one row of counts per indicator
    r, ri = Report, ReportIndicator
    stmt = (
        select(
            ri.indicator_id,
            func.count(func.distinct(r.id)),
            func.count(func.distinct(r.reporter_key)),
            func.min(r.received_at),
            func.max(r.received_at),
            func.coalesce(func.sum(r.loss_usd), 0),
        )
        .join(r, r.id == ri.report_id)
        .where(ri.indicator_id.in_(ids))
        .group_by(ri.indicator_id)
    )
    return stmt  # type: ignore[return-value]  # a typed Select narrows to Select[Any]


def refresh_evidence(session: Session, indicator_ids: Iterable[int]) -> None:
    """Recompute the evidence columns of these indicators from their reports.

    Recomputing (rather than incrementing) keeps the counters right after deletions,
    delistings and replays; the batch shape keeps it cheap.
    """
    ids = sorted(set(indicator_ids))
    r, ri = Report, ReportIndicator
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        # Who reported each value is rebuilt too, so later batches can add to it again.
        session.execute(delete(IndicatorReporter).where(IndicatorReporter.indicator_id.in_(chunk)))
        session.execute(
            insert(IndicatorReporter).from_select(
                ["indicator_id", "reporter_key", "trusted"],
                select(
                    ri.indicator_id,
                    r.reporter_key,
                    func.max(case((r.reporter_trusted, 1), else_=0)) == 1,
                )
                .join(r, r.id == ri.report_id)
                .where(ri.indicator_id.in_(chunk))
                .group_by(ri.indicator_id, r.reporter_key),
            )
        )
        stats = {row[0]: row for row in session.execute(_aggregate_query(chunk))}
        trusted = dict(
            session.execute(
                select(ri.indicator_id, func.count(func.distinct(r.reporter_key)))
                .join(r, r.id == ri.report_id)
                .where(ri.indicator_id.in_(chunk), r.reporter_trusted.is_(True))
                .group_by(ri.indicator_id)
            ).all()
        )
        countries: dict[int, set[str]] = {}
        for iid, c in session.execute(
            select(ri.indicator_id, r.victim_country)
            .join(r, r.id == ri.report_id)
            .where(ri.indicator_id.in_(chunk))
            .distinct()
        ):
            countries.setdefault(iid, set()).add(c)
        typologies: dict[int, set[str]] = {}
        for iid, t in session.execute(
            select(ri.indicator_id, r.typology)
            .join(r, r.id == ri.report_id)
            .where(ri.indicator_id.in_(chunk))
            .distinct()
        ):
            typologies.setdefault(iid, set()).add(t)
        now = utcnow()
        updates = []
        for iid in chunk:
            row = stats.get(iid)
            updates.append(
                {
                    "report_count": row[1] if row else 0,
                    "reporter_count": row[2] if row else 0,
                    "trusted_reporter_count": trusted.get(iid, 0),
                    "first_seen": row[3] if row else None,
                    "last_seen": row[4] if row else None,
                    "loss_usd": Decimal(row[5]) if row else Decimal(0),
                    "countries": ",".join(sorted(countries.get(iid, ())))[:200],
                    "typologies": ",".join(sorted(typologies.get(iid, ())))[:400],
                    "updated_at": now,
                    "id": iid,
                }
            )
        update_many(session, Indicator, "id", updates)
