"""Preparing reports: validate, extract and normalise indicators, score the narrative.

Pure — no store — so it runs in import worker processes as well as in the filing request;
``intake`` writes what comes out of here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from tangkal.detect import scam_probabilities
from tangkal.errors import InvalidInput
from tangkal.report.extract import Found, extract
from tangkal.report.money import RateTable, default_rates
from tangkal.report.normalize import normalize
from tangkal.report.schema import ReportIn
from tangkal.store.base import utcnow

__all__ = ["REPORT_COLUMNS", "Prepared", "prepare", "report_columns", "score"]


# The columns of a report row that come from the report itself, in this order:
# ``Prepared.report``. The writer adds its own (ids, reference, reporter, probability).
REPORT_COLUMNS = (
    "received_at", "source", "victim_country", "language", "channel", "typology",
    "narrative", "loss_amount", "loss_currency", "payment_method", "reliability",
    "credibility", "victim_contact", "distribution", "tlp",
)  # fmt: skip


def report_columns(data: ReportIn) -> tuple[Any, ...]:
    """The stored values of ``REPORT_COLUMNS``: plain values, nothing pydantic."""
    contact = data.victim_contact.model_dump(exclude_none=True) if data.victim_contact else None
    return (
        data.received_at, data.source, data.victim_country, data.language, data.channel,
        data.typology, data.narrative, data.loss_amount, data.loss_currency,
        data.payment_method, data.reliability, data.credibility, contact, data.distribution,
        data.tlp,
    )  # fmt: skip


class Prepared:
    """A validated report with its indicators found, ready to be written; read-only.

    The writer reads ``report`` (plain column values), never the pydantic model: an import
    worker sends back ``report`` and the indicators alone (``Prepared.sent``), and the main
    process validates the row again only if a caller asks for ``data``. Sending the model
    cost ~40 µs per report of pickling on both sides, a tenth of the pipeline's CPU.
    """

    __slots__ = ("_data", "_reload", "dedup_key", "indicators", "loss_usd", "report",
                 "scam_probability")  # fmt: skip

    dedup_key: str
    indicators: tuple[Found, ...]
    loss_usd: Decimal | None
    report: tuple[Any, ...]
    scam_probability: float | None

    def __init__(
        self,
        data: ReportIn,
        dedup_key: str,
        indicators: tuple[Found, ...],
        loss_usd: Decimal | None,
        scam_probability: float | None = None,
    ) -> None:
        self._data: ReportIn | None = data
        self._reload: Callable[[], ReportIn] | None = None
        self.report = report_columns(data)
        self.dedup_key = dedup_key
        self.indicators = indicators
        self.loss_usd = loss_usd
        self.scam_probability = scam_probability

    @classmethod
    def sent(cls, fields: tuple[Any, ...], reload: Callable[[], ReportIn]) -> Prepared:
        """Rebuilt from ``send()``'s fields; ``reload`` validates the row again for ``data``."""
        p = cls.__new__(cls)
        p.report, p.dedup_key, p.indicators, p.loss_usd, p.scam_probability = fields
        p._data = None
        p._reload = reload
        return p

    def send(self) -> tuple[Any, ...]:
        """What an import worker sends back: plain values, cheap to pickle (see ``sent``)."""
        return (self.report, self.dedup_key, self.indicators, self.loss_usd,
                self.scam_probability)  # fmt: skip

    @property
    def data(self) -> ReportIn:
        """The validated report; in a process that was sent the report, validated again."""
        if self._data is None:
            self._data = (self._reload or _unset)()
        return self._data

    def scored(self, probability: float) -> Prepared:
        """A copy with the message model's scam probability."""
        p = Prepared.sent((*self.send()[:4], probability), self._reload or _unset)
        p._data = self._data
        return p

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Prepared):
            return NotImplemented
        return self.send() == other.send() and self.data == other.data

    __hash__ = None  # type: ignore[assignment]  # mutable slots, compared by value

    def __repr__(self) -> str:
        return f"Prepared(dedup_key={self.dedup_key!r}, indicators={self.indicators!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Whole, model included: a pickled Prepared is one; the import sends ``send()``.
        fields = (self.data, self.dedup_key, self.indicators, self.loss_usd)
        return (Prepared, (*fields, self.scam_probability))


def _unset() -> ReportIn:
    raise AssertionError("a Prepared holds its report or a way to reload it")


_KEYED_APART = {"indicators", "external_id"}  # keyed by canonical value, or alone


def _dedup_key(data: ReportIn, reporter_key: str, found: Sequence[Found]) -> str:
    """What makes a resubmission the same report, so importing or posting it again adds nothing.

    With an ``external_id`` the reporter's own reference decides. Without one, every field the
    reporter sent counts (amount, currency, channel, typology, the victim's contact…), with
    the indicators by canonical value: a bank filing two victims with its usual narrative
    files two reports, while the same row sent twice is one. (Until session 10 only the
    country, time, narrative and indicators counted, and the second victim was dropped as a
    duplicate.)
    """
    if data.external_id:
        basis = f"ext|{reporter_key}|{data.external_id}"
    else:
        values = ",".join(sorted(f"{f.kind}:{f.value}" for f in found))
        fields = data.model_dump_json(exclude=_KEYED_APART)
        basis = f"txt2|{reporter_key}|{fields}|{values}"
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
        out[i] = p.scored(round(probability, 4))
    return out
