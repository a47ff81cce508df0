"""Look values up in the store and turn what is known into verdicts, one or many at a time.

A bank screening 10,000 payees gets the same answers as 10,000 single checks, in a few
queries: values are normalised first, then fetched in chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tangkal.check.allowlist import candidates
from tangkal.check.models import AllowlistEntry
from tangkal.check.verdict import Evidence, decide
from tangkal.detect import score_links
from tangkal.errors import InvalidInput
from tangkal.report.extract import Found
from tangkal.report.models import Indicator
from tangkal.report.normalize import normalize
from tangkal.store.base import utcnow
from tangkal.store.keys import by_kind

__all__ = ["CheckResult", "check_many", "check_one", "link_risks"]

_CHUNK = 500
LinkScorer = Callable[[Sequence[str]], Sequence[float]]


def link_risks(values: Sequence[str]) -> list[float]:
    """The link model's risk for each URL or domain: the default ``LinkScorer``."""
    return [s.risk for s in score_links(values)]


@dataclass(frozen=True, slots=True)
class CheckResult:
    query: str
    kind: str | None
    value: str | None
    verdict: str
    score: int
    evidence: Evidence
    allowlisted_as: str | None = None
    model_risk: float | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape: never a reporter's or a victim's identity."""
        if self.error is not None:
            return {"query": self.query, "error": self.error}
        e = self.evidence
        out: dict[str, Any] = {
            "query": self.query,
            "kind": self.kind,
            "value": self.value,
            "verdict": self.verdict,
            "score": self.score,
            "evidence": {
                "reports": e.reports,
                "reporters": e.reporters,
                "trusted_reporters": e.trusted_reporters,
                "countries": list(e.countries),
                "typologies": list(e.typologies),
                "first_seen": e.first_seen.isoformat() if e.first_seen else None,
                "last_seen": e.last_seen.isoformat() if e.last_seen else None,
                "total_loss_usd": round(e.loss_usd, 2),
                "delisted": e.delisted,
            },
        }
        if self.allowlisted_as:
            out["allowlisted_as"] = self.allowlisted_as
        if self.model_risk is not None:
            out["model_risk"] = round(self.model_risk, 3)
        return out


_EVIDENCE_COLUMNS = (
    "report_count", "reporter_count", "trusted_reporter_count", "countries", "typologies",
    "first_seen", "last_seen", "loss_usd", "delisted_at",
)  # fmt: skip


def _evidence(row: Any) -> Evidence:
    if row is None:
        return Evidence()
    return Evidence(
        reports=row.report_count,
        reporters=row.reporter_count,
        trusted_reporters=row.trusted_reporter_count,
        countries=tuple(c for c in row.countries.split(",") if c),
        typologies=tuple(t for t in row.typologies.split(",") if t),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        loss_usd=float(row.loss_usd),
        delisted=row.delisted_at is not None,
    )


def check_one(
    session: Session,
    query: str,
    country: str | None = None,
    *,
    kind: str | None = None,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> CheckResult:
    """Check one value; raises InvalidInput (field ``q``) when it is no indicator at all."""
    found = normalize(query, kind, country)
    return _decide_all(session, [(query, found)], link_scorer, now)[0]


def check_many(
    session: Session,
    queries: Sequence[str],
    country: str | None = None,
    *,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> list[CheckResult]:
    """Check a batch; a value that is no indicator gets an ``error`` entry, not a failure."""
    parsed: list[tuple[str, Found | None]] = []
    errors: dict[int, str] = {}
    for i, q in enumerate(queries):
        try:
            parsed.append((q, normalize(q, None, country)))
        except InvalidInput as exc:
            parsed.append((q, None))
            errors[i] = exc.detail
    good = [(q, f) for q, f in parsed if f is not None]
    decided = iter(_decide_all(session, good, link_scorer, now))
    return [
        CheckResult(q, None, None, "invalid", 0, Evidence(), error=errors[i])
        if f is None
        else next(decided)
        for i, (q, f) in enumerate(parsed)
    ]


def _decide_all(
    session: Session,
    items: Sequence[tuple[str, Found]],
    link_scorer: LinkScorer | None,
    now: dt.datetime | None,
) -> list[CheckResult]:
    now = now or utcnow()
    rows = {
        (r.kind, r.value): r
        for r in by_kind(
            session, Indicator, [(f.kind, f.value) for _, f in items], _EVIDENCE_COLUMNS
        )
    }
    allow_keys = [(k, v) for _, f in items for k, v, _ in candidates(f.kind, f.value, f.attributes)]
    allowed = {
        (e.kind, e.value): e
        for e in by_kind(session, AllowlistEntry, allow_keys, ("label", "category"))
    }
    risks: dict[str, float] = {}
    if link_scorer is not None:
        links = sorted({f.value for _, f in items if f.kind in ("url", "domain")})
        if links:
            risks = dict(zip(links, link_scorer(links), strict=True))
    out = []
    for q, f in items:
        label = None
        for k, v, scoped in candidates(f.kind, f.value, f.attributes):
            entry = allowed.get((k, v))
            if entry is not None and (not scoped or entry.category == "official"):
                label = entry.label
                break
        evidence = _evidence(rows.get((f.kind, f.value)))
        risk = risks.get(f.value)
        verdict = decide(evidence, now, allowlisted=label is not None, model_risk=risk)
        out.append(
            CheckResult(q, f.kind, f.value, verdict.verdict, verdict.score, evidence, label, risk)
        )
    return out
