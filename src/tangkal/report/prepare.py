"""Preparing reports: validate, extract and normalise indicators, score the narrative.

Pure — no store — so it runs in import worker processes as well as in the filing request;
``intake`` writes what comes out of here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tangkal.detect import scam_probabilities
from tangkal.errors import InvalidInput
from tangkal.report.extract import Found, extract
from tangkal.report.money import RateTable, default_rates
from tangkal.report.normalize import normalize
from tangkal.report.schema import ReportIn
from tangkal.store.base import utcnow

__all__ = ["Prepared", "prepare", "score"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A validated report with its indicators found, ready to be written."""

    data: ReportIn
    dedup_key: str
    indicators: tuple[Found, ...]
    loss_usd: Decimal | None
    scam_probability: float | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructor call, cheaper than a slotted dataclass's state (see ``Found``).
        fields = (self.data, self.dedup_key, self.indicators, self.loss_usd)
        return (Prepared, (*fields, self.scam_probability))


def _dedup_key(data: ReportIn, reporter_key: str, found: Sequence[Found]) -> str:
    if data.external_id:
        basis = f"ext|{reporter_key}|{data.external_id}"
    else:
        values = ",".join(sorted(f"{f.kind}:{f.value}" for f in found))
        when = data.received_at.isoformat() if data.received_at else ""
        basis = f"txt|{reporter_key}|{data.victim_country}|{when}|{data.narrative}|{values}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def prepare(
    data: ReportIn, reporter_key: str, *, rates: RateTable | None = None, index: int | None = None
) -> Prepared:
    """Extract and normalise; pure, so it can run in worker processes during an import."""
    found: dict[tuple[str, str], Found] = {}
    for i, given in enumerate(data.indicators):
        try:
            f = normalize(given.value, given.kind, data.victim_country, role=given.role)
        except InvalidInput as exc:
            field = f"indicators.{i}.value" if index is None else f"{index}.indicators.{i}.value"
            raise InvalidInput(exc.detail, field=field) from None
        found.setdefault((f.kind, f.value), f)
        domain = f.attributes.get("registered_domain") if f.kind == "url" else None
        if domain:
            # A URL also names its registered domain, exactly as extraction from text does.
            found.setdefault(("domain", domain), Found("domain", domain, "link", f.raw, {}))
    if data.narrative:
        for f in extract(data.narrative, data.victim_country):
            found.setdefault((f.kind, f.value), f)
    loss_usd = None
    if data.loss_amount is not None and data.loss_currency:
        on = (data.received_at or utcnow()).date()
        loss_usd = (rates or default_rates()).to_usd(data.loss_amount, data.loss_currency, on)
    items = tuple(found.values())
    return Prepared(data, _dedup_key(data, reporter_key, items), items, loss_usd)


def score(prepared: Sequence[Prepared]) -> list[Prepared]:
    """Score the narratives of a batch with the message model in one vectorised call.

    Run where ``prepare`` runs (import workers, the filing request), so a report is stored
    with its scam probability and nothing scores reports one by one afterwards.
    """
    texts = [p.data.narrative for p in prepared]
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if not idx:
        return list(prepared)
    # The probability alone: reasons and typology are what ``score_messages`` spends most on.
    scores = scam_probabilities([texts[i] for i in idx])
    out = list(prepared)
    for i, probability in zip(idx, scores, strict=True):
        p = out[i]
        out[i] = Prepared(p.data, p.dedup_key, p.indicators, p.loss_usd, round(probability, 4))
    return out
