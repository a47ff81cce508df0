"""Filing prepared reports (``report.prepare``): store them, keep evidence current.

Works in batches so that one report from a web form and a million from an import take the
same path: one query per table per batch, not per row.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, case, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.report.extract import Found
from tangkal.report.models import Indicator, IndicatorReporter, Report, ReportIndicator
from tangkal.report.prepare import Prepared
from tangkal.store.base import as_utc, utcnow
from tangkal.store.bulk import by_kind, insert_many, runner, select_in, update_many

__all__ = [
    "Filed",
    "add_evidence",
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


def upsert_indicators(
    session: Session, found: Iterable[Found], *, distribution: str = "national"
) -> dict[tuple[str, str], int]:
    """Ids of the given (kind, value) pairs, inserting the missing ones."""
    wanted: dict[tuple[str, str], Found] = {}
    for f in found:
        wanted.setdefault((f.kind, f.value), f)
    run, mark = runner(session)
    ids = {key: row[1] for key, row in by_kind(run, mark, _INDICATOR_IDS, wanted).items()}
    missing = [k for k in wanted if k not in ids]
    if missing:
        now = utcnow()
        insert_many(
            session,
            Indicator,
            [
                {
                    "kind": k,
                    "value": v,
                    "attributes": dict(wanted[(k, v)].attributes) or None,
                    "distribution": distribution,
                    "updated_at": now,
                }
                for k, v in missing
            ],
        )
        new = by_kind(run, mark, _INDICATOR_IDS, missing)
        ids.update({key: row[1] for key, row in new.items()})
    return ids


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
    """Store prepared reports in the caller's transaction; duplicates are not stored twice."""
    if session.get_bind().dialect.name == "postgresql":
        # Filings take turns, as on SQLite: two at once would race on the same new
        # indicator or reporter row and one would fail on a unique key.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_INTAKE_LOCK})
    run, mark = runner(session)
    keys = [p.dedup_key for p in prepared]
    existing = {k: (id_, ref) for k, id_, ref in select_in(run, mark, _REPORT_IDS, keys)}
    fresh: list[Prepared] = []
    seen: set[str] = set()
    for p in prepared:
        if p.dedup_key not in existing and p.dedup_key not in seen:
            fresh.append(p)
            seen.add(p.dedup_key)

    indicator_ids = upsert_indicators(session, (f for p in fresh for f in p.indicators))
    now = utcnow()
    secrets_by_key: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for p in fresh:
        d = p.data
        secret = secrets.token_urlsafe(16)
        secrets_by_key[p.dedup_key] = secret
        rows.append(
            {
                "reference": _reference(),
                "status_secret_hash": hashlib.sha256(secret.encode()).hexdigest(),
                "dedup_key": p.dedup_key,
                "received_at": d.received_at or now,
                "source": d.source,
                "victim_country": d.victim_country,
                "language": d.language,
                "channel": d.channel,
                "typology": d.typology,
                "narrative": d.narrative,
                "loss_amount": d.loss_amount,
                "loss_currency": d.loss_currency,
                "loss_usd": p.loss_usd,
                "payment_method": d.payment_method,
                "org_id": principal.org_id if principal else None,
                "reporter_key": reporter_key,
                "reporter_trusted": trusted,
                "reliability": d.reliability,
                "credibility": d.credibility,
                "victim_contact": (
                    d.victim_contact.model_dump(exclude_none=True) if d.victim_contact else None
                ),
                "distribution": d.distribution,
                "tlp": d.tlp,
                "scam_probability": p.scam_probability,
            }
        )
    new_ids: dict[str, tuple[int, str]] = {}
    if rows:
        insert_many(session, Report, rows)
        fresh_keys = [r["dedup_key"] for r in rows]
        got = select_in(run, mark, _REPORT_IDS, fresh_keys)
        new_ids = {k: (id_, ref) for k, id_, ref in got}
        links: list[dict[str, Any]] = [
            {
                "report_id": new_ids[p.dedup_key][0],
                "indicator_id": indicator_ids[(f.kind, f.value)],
                "role": f.role,
            }
            for p in fresh
            for f in p.indicators
        ]
        if links:
            insert_many(session, ReportIndicator, links)
        by_id = {new_ids[r["dedup_key"]][0]: r for r in rows}
        add_evidence(session, by_id, links)
        actor = principal.actor if principal else "public"
        if audit_each:
            for rid, _ref in new_ids.values():
                record(session, actor, "report.create", "report", rid, remote=remote)
        else:
            record(
                session,
                actor,
                "report.import",
                "report",
                f"{min(i for i, _ in new_ids.values())}..{max(i for i, _ in new_ids.values())}",
                remote=remote,
                details={"count": len(new_ids)},
            )

    result = []
    for p in prepared:
        if p.dedup_key in new_ids and p.dedup_key in secrets_by_key:
            rid, ref = new_ids[p.dedup_key]
            result.append(Filed(rid, ref, secrets_by_key.pop(p.dedup_key), False, p.indicators))
        else:
            rid, ref = existing.get(p.dedup_key) or new_ids[p.dedup_key]
            result.append(Filed(rid, ref, None, True, p.indicators))
    return result


_KNOWN_REPORTERS = (
    "SELECT indicator_id, reporter_key, trusted FROM indicator_reporters "
    "WHERE reporter_key = {p} AND indicator_id IN ({marks})"
)
_EVIDENCE_NOW = (
    "SELECT id, report_count, reporter_count, trusted_reporter_count, first_seen, last_seen, "
    "loss_usd, countries, typologies FROM indicators WHERE id IN ({marks})"
)


def _stored_money(value: Any) -> Decimal:
    """An amount as the driver returns it (SQLite: a float) as the cents it stands for."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(f"{value:.2f}")


def add_evidence(
    session: Session, reports: dict[int, dict[str, Any]], links: Sequence[dict[str, Any]]
) -> None:
    """Fold newly filed reports into their indicators' evidence, in O(batch).

    Counters are added to, not recounted: a hub value named by a million reports costs the
    same as any other. ``indicator_reporters`` says whether a reporter is new to a value.
    ``refresh_evidence`` recounts from scratch where reports are changed or removed.
    """
    per_indicator: dict[int, set[int]] = {}
    for link in links:
        per_indicator.setdefault(int(link["indicator_id"]), set()).add(int(link["report_id"]))
    pairs: dict[tuple[int, str], bool] = {}
    for iid, rids in per_indicator.items():
        for rid in rids:
            pair = (iid, str(reports[rid]["reporter_key"]))
            pairs[pair] = pairs.get(pair, False) or bool(reports[rid]["reporter_trusted"])
    by_reporter: dict[str, list[int]] = {}
    for iid, reporter in pairs:
        by_reporter.setdefault(reporter, []).append(iid)
    run, mark = runner(session)
    known: dict[tuple[int, str], bool] = {}
    for reporter, iids in by_reporter.items():
        for iid, key, trusted in select_in(run, mark, _KNOWN_REPORTERS, iids, before=(reporter,)):
            known[(iid, key)] = bool(trusted)
    # indicator -> [new reporters, newly trusted reporters]
    new_reporters: dict[int, list[int]] = {i: [0, 0] for i in per_indicator}
    fresh_pairs: list[dict[str, Any]] = []
    promoted: list[dict[str, Any]] = []
    for (iid, reporter), trusted in pairs.items():
        if (iid, reporter) not in known:
            fresh_pairs.append({"indicator_id": iid, "reporter_key": reporter, "trusted": trusted})
            new_reporters[iid][0] += 1
            new_reporters[iid][1] += trusted
        elif trusted and not known[(iid, reporter)]:
            # A reporter seen before, now through a trusted report, counts as trusted.
            promoted.append({"b_iid": iid, "b_key": reporter})
            new_reporters[iid][1] += 1
    insert_many(session, IndicatorReporter, fresh_pairs)
    if promoted:
        session.connection().execute(
            update(IndicatorReporter)
            .where(
                IndicatorReporter.indicator_id == bindparam("b_iid"),
                IndicatorReporter.reporter_key == bindparam("b_key"),
            )
            .values(trusted=True),
            promoted,
        )
    now = utcnow()
    updates = []
    for row in select_in(run, mark, _EVIDENCE_NOW, sorted(per_indicator)):
        iid, reports_n, reporters_n, trusted_n, first, last, loss_usd, countries, typologies = row
        batch = [reports[rid] for rid in per_indicator[iid]]
        seen = [r["received_at"] for r in batch]
        lo, hi = min(seen), max(seen)
        first, last = as_utc(first), as_utc(last)
        if first is not None and first < lo:
            lo = first
        if last is not None and last > hi:
            hi = last
        added = new_reporters[iid]
        all_countries = {r["victim_country"] for r in batch}
        all_countries.update(filter(None, countries.split(",")))
        all_typologies = {r["typology"] for r in batch}
        all_typologies.update(filter(None, typologies.split(",")))
        loss = sum(r["loss_usd"] for r in batch if r["loss_usd"])
        updates.append(
            {
                "report_count": reports_n + len(batch),
                "reporter_count": reporters_n + added[0],
                "trusted_reporter_count": trusted_n + added[1],
                "first_seen": lo,
                "last_seen": hi,
                "loss_usd": _stored_money(loss_usd) + loss,
                "countries": ",".join(sorted(all_countries))[:200],
                "typologies": ",".join(sorted(all_typologies))[:400],
                "updated_at": now,
                "id": iid,
            }
        )
    update_many(session, Indicator, "id", updates)


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
