"""Look values up in the store and turn what is known into verdicts, one or many at a time.

A bank screening 10,000 payees gets the same answers as 10,000 single checks, in a few
queries: values are normalised first, then fetched in chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

import orjson
from sqlalchemy.orm import Session

from tangkal.check.allowlist import candidates
from tangkal.check.verdict import Evidence, rule
from tangkal.detect import score_links
from tangkal.errors import InvalidInput
from tangkal.link.hubs import HubRules
from tangkal.link.profile import public_summary
from tangkal.report.extract import Found
from tangkal.report.normalize import canonical, canonical_url, normalize
from tangkal.store.base import as_utc, utcnow
from tangkal.store.bulk import CHUNK, Run, by_kind, runner, select_in

__all__ = [
    "CheckResult", "Gathered", "allowlist_label", "answer_one", "check_many",
    "check_one", "check_values", "decide_all", "gather", "link_risks", "parse_values",
    "scored_link",
]  # fmt: skip

LinkScorer = Callable[[Sequence[str]], Sequence[float]]
T = TypeVar("T")


def link_risks(values: Sequence[str]) -> list[float]:
    """The link model's risk for each URL or domain: the default ``LinkScorer``."""
    return [s.risk for s in score_links(values)]


def scored_link(f: Found) -> str:
    """What the link model scores for a URL or domain indicator: for a domain, the host typed.

    A domain's canonical value is its registered domain, which keeps one evidence row for
    ``login.bca.co.id.verify.top`` and ``verify.top``. Scoring that alone threw the
    look-alike away: ``thailandpost.co.th-tracking.info`` was checked as ``th-tracking.info``
    and came out *no reports* (risk 0.88), while the same host with a path was *suspicious*
    (0.99; session 12, sixth fresh set). (``www.`` and anything with a path is a URL.)
    """
    if f.kind != "domain":
        return f.value
    parsed = canonical_url(f.raw)  # cached: the domain's own normalisation just read it
    return parsed[1] if parsed is not None else f.value


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
    network: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape: never a reporter's or a victim's identity."""
        if self.error is not None:
            return {"query": self.query, "error": self.error}
        out: dict[str, Any] = {
            "query": self.query,
            "kind": self.kind,
            "value": self.value,
            "verdict": self.verdict,
            "score": self.score,
            "evidence": _evidence_dict(self.evidence),
        }
        if self.allowlisted_as:
            out["allowlisted_as"] = self.allowlisted_as
        if self.model_risk is not None:
            out["model_risk"] = round(self.model_risk, 3)
        if self.network is not None:
            out["network"] = self.network
        return out


@lru_cache(maxsize=65536)
def _iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _sqlite_text(raw: Any) -> bool:
    """Whether ``raw`` is SQLite's stored timestamp: naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    return type(raw) is str and len(raw) == 26 and raw[10] == " " and raw[19] == "."


def _stored_iso(raw: Any) -> str | None:
    """A stored timestamp as either driver returns it, as ISO 8601 in UTC.

    SQLite's text is rewritten the way ``datetime.isoformat`` would print it, without
    building a datetime: parsing, attaching the zone and printing cost a 10,000-value screen
    a sixth of its instructions on a store whose indicators were each seen at their own
    time. Any other shape, and PostgreSQL's datetimes, take the general way.
    """
    if type(raw) is str and len(raw) == 26 and raw[10] == " " and raw[19] == ".":  # _sqlite_text
        if raw.endswith(".000000"):  # isoformat leaves out zero microseconds
            return raw[:10] + "T" + raw[11:19] + "+00:00"
        return raw.replace(" ", "T") + "+00:00"
    value = as_utc(raw)
    return None if value is None else value.isoformat()


def _stored_utc(raw: Any) -> dt.datetime | None:
    """``as_utc`` parsing SQLite's text with its zone in one C call, bypassing the cache."""
    return dt.datetime.fromisoformat(raw + "+00:00") if _sqlite_text(raw) else as_utc(raw)


def _evidence_dict(e: Evidence) -> dict[str, Any]:
    return _evidence_json(
        e.reports, e.reporters, e.trusted_reporters, e.countries, e.typologies,
        _iso(e.first_seen), _iso(e.last_seen), e.loss_usd, e.delisted,
    )  # fmt: skip


def _evidence_json(
    reports: int,
    reporters: int,
    trusted: int,
    countries: Sequence[str],
    typologies: Sequence[str],
    first_seen: str | None,
    last_seen: str | None,
    loss_usd: float,
    delisted: bool,
) -> dict[str, Any]:
    """The public evidence object: counts and dates (ISO 8601), never who reported."""
    return {
        "reports": reports,
        "reporters": reporters,
        "trusted_reporters": trusted,
        "countries": list(countries),
        "typologies": list(typologies),
        "first_seen": first_seen,
        "last_seen": last_seen,
        "total_loss_usd": round(loss_usd, 2) if loss_usd else 0.0,
        "delisted": delisted,
    }


# A reported value's own allowlist entry comes with its evidence row (a probe of the
# same key): the allowlist is asked separately only for unreported values and URLs'
# domains.
_EVIDENCE_SQL = (
    "SELECT i.value, i.id, i.report_count, i.reporter_count, i.trusted_reporter_count, "
    "i.countries, i.typologies, i.first_seen, i.last_seen, i.loss_usd, i.delisted_at, "
    "a.label FROM indicators i LEFT JOIN allowlist a ON a.kind = i.kind AND a.value = i.value "
    "WHERE i.kind = {p} AND i.value IN ({marks})"
)
# SQLite's form: the keys as one JSON array walked in order, each probing the index. Binding
# 500 parameters and building the ephemeral index of an ``IN`` list cost ~3,400
# instructions per value more (callgrind, session 8).
_EVIDENCE_JSON_SQL = (
    "SELECT i.value, i.id, i.report_count, i.reporter_count, i.trusted_reporter_count, "
    "i.countries, i.typologies, i.first_seen, i.last_seen, i.loss_usd, i.delisted_at, "
    "a.label FROM json_each(?) j CROSS JOIN indicators i ON i.kind = ? AND i.value = j.value "
    "LEFT JOIN allowlist a ON a.kind = i.kind AND a.value = i.value"
)
_ALLOW_SQL = "SELECT value, label, category FROM allowlist WHERE kind = {p} AND value IN ({marks})"
# Each value's networks with how many of its reports are in each (link.profile's rule:
# the network holding most of them, the newest id on a tie). One statement per 500 values
# beats a correlated subquery in the evidence statement: that one costs a temporary
# GROUP BY and ORDER BY per value (+8% instructions per batch, callgrind).
_NETWORK_SQL = (
    "SELECT ri.indicator_id, n.id, n.report_count, n.country_count, count(*) "
    "FROM report_indicators ri JOIN network_members m ON m.report_id = ri.report_id "
    "JOIN networks n ON n.id = m.network_id WHERE ri.indicator_id IN ({marks}) "
    "GROUP BY ri.indicator_id, n.id, n.report_count, n.country_count"
)


# The single check's statement: the evidence row, the value's own allowlist entry (whether
# or not it was reported) and whether any of its reports is in a network, for one key. One
# statement instead of three (evidence, allowlist, network) and the read transaction
# around them: ~38,000 of a single check's ~158,000 instructions in-process (callgrind,
# session 8); the network statement runs only for a value with a report in a network.
_ONE_SQL = {
    mark: (
        "SELECT i.value, i.id, i.report_count, i.reporter_count, i.trusted_reporter_count, "
        "i.countries, i.typologies, i.first_seen, i.last_seen, i.loss_usd, i.delisted_at, "
        "a.label, EXISTS (SELECT 1 FROM report_indicators ri JOIN network_members m "
        "ON m.report_id = ri.report_id WHERE ri.indicator_id = i.id) "
        f"FROM (SELECT {mark} AS kind, {mark} AS value) q "
        "LEFT JOIN indicators i ON i.kind = q.kind AND i.value = q.value "
        "LEFT JOIN allowlist a ON a.kind = q.kind AND a.value = q.value"
    )
    for mark in ("?", "%s")
}


@lru_cache(maxsize=4096)
def _codes(text: str) -> tuple[str, ...]:
    """``"ID,MY"`` → ``("ID", "MY")``; cached: few distinct lists recur across values."""
    return tuple(filter(None, text.split(",")))


def _evidence(row: Sequence[Any] | None) -> Evidence:
    if row is None:
        return _NO_EVIDENCE
    return Evidence(
        row[2], row[3], row[4], _codes(row[5]), _codes(row[6]), as_utc(row[7]), as_utc(row[8]),
        float(row[9] or 0), row[10] is not None,
    )  # fmt: skip


_NO_EVIDENCE = Evidence()


def _networks(run: Run, mark: str, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    best: dict[int, tuple[int, str, int, int]] = {}
    for ind, nid, reports, countries, count in select_in(run, mark, _NETWORK_SQL, ids):
        if ind not in best or (count, nid) > best[ind][:2]:
            best[ind] = (count, nid, reports, countries)
    return {ind: public_summary(nid, r, c) for ind, (_n, nid, r, c) in best.items()}


# One value's verdict before it takes a shape: query, found, its evidence row (or None),
# allowlist label, link-model risk, network summary, verdict, score.
Decided = tuple[
    str, Found, Sequence[Any] | None, str | None, float | None, dict[str, Any] | None, str, int
]


class Gathered(NamedTuple):
    """What a batch's statements fetched, keyed for the values' verdicts."""

    rows: dict[str, dict[str, Sequence[Any]]]  # kind -> value -> evidence row (every kind asked)
    allowed: dict[tuple[str, str], Sequence[Any]]  # (kind, value) -> allowlist entry
    networks: dict[int, dict[str, Any]]  # indicator id -> public network summary
    risks: dict[str, float]  # ``scored_link`` of a URL or domain -> link-model risk


def gather(
    run: Run, mark: str, items: Sequence[tuple[str, Found]], link_scorer: LinkScorer | None
) -> Gathered:
    """Everything a batch's verdicts need, in a few indexed queries per 500 values.

    Evidence rows (counters kept current at intake), allowlist entries, and the network of
    each reported value that is no hub; the link model's risk of each URL and domain. Rows
    are keyed by kind, then value: a (kind, value) tuple per value, built and hashed for
    every lookup, cost a screen ~2% of its instructions.
    """
    grouped: dict[str, dict[str, None]] = {}
    for _, f in items:
        values = grouped.get(f.kind)
        if values is None:
            values = grouped[f.kind] = {}
        values[f.value] = None
    rows: dict[str, dict[str, Sequence[Any]]] = {}
    for kind, values in grouped.items():
        found = rows[kind] = {}
        for row in _evidence_rows(run, mark, kind, list(values)):
            found[row[0]] = row
    probes = [
        (k, v)
        for _, f in items
        if f.kind == "url" or f.value not in rows[f.kind]
        for k, v, scoped in candidates(f.kind, f.value, f.attributes)
        if scoped or v not in rows.get(k, ())
    ]
    allowed = by_kind(run, mark, _ALLOW_SQL, probes) if probes else {}
    reason = HubRules.shipped().reason
    linked = sorted(
        {
            row[1]
            for kind, found in rows.items()
            for value, row in found.items()
            if row[2] and row[10] is None and reason(kind, value) is None  # _may_link
        }
    )
    networks = _networks(run, mark, linked) if linked else {}
    risks: dict[str, float] = {}
    if link_scorer is not None:
        links = sorted({scored_link(f) for _, f in items if f.kind in ("url", "domain")})
        if links:
            risks = dict(zip(links, link_scorer(links), strict=True))
    return Gathered(rows, allowed, networks, risks)


def _evidence_rows(run: Run, mark: str, kind: str, values: list[str]) -> list[Sequence[Any]]:
    """The evidence rows of ``values`` of one kind (``_EVIDENCE_SQL``), as SQLite reads them
    fastest: a JSON array of keys when it needs no escape (SQLite's JSON would read some
    escapes differently from the driver's parameters, ``\\u0000`` for one)."""
    if mark != "?":
        return select_in(run, mark, _EVIDENCE_SQL, values, before=(kind,))
    out: list[Sequence[Any]] = []
    for i in range(0, len(values), CHUNK):
        chunk = values[i : i + CHUNK]
        try:
            keys = orjson.dumps(chunk).decode()
        except TypeError:  # a lone surrogate: the parameters carry it as the driver does
            keys = "\\"
        if "\\" in keys:
            out += select_in(run, mark, _EVIDENCE_SQL, chunk, before=(kind,))
        else:
            out += run(_EVIDENCE_JSON_SQL, (keys, kind))
    return out


def _decide(
    run: Run,
    mark: str,
    items: Sequence[tuple[str, Found]],
    link_scorer: LinkScorer | None,
    now: dt.datetime | None,
) -> list[Decided]:
    """Verdicts for normalised values in a few indexed queries per 500 values.

    The one implementation behind the single check, the batch screen, the pages and the
    CLI, whichever connection they hold (``check.encode`` writes the API's JSON from the same
    ``gather``, ``allowlist_label`` and ``rule``). It stops short of objects so that a
    10,000-value screen can go from rows to its answers directly.
    """
    now = now or utcnow()
    if len(items) == 1:
        return [_decide_one(run, mark, *items[0], link_scorer, now)]
    rows, allowed, networks, risks = gather(run, mark, items, link_scorer)
    out: list[Decided] = []
    append = out.append
    for q, f in items:
        row = rows[f.kind].get(f.value)
        risk = risks.get(scored_link(f)) if risks else None
        network = networks.get(row[1]) if row is not None and networks else None
        append(_settle(q, f, row, allowed, risk, network, now))
    return out


def _may_link(hubs: HubRules, kind: str, value: str, row: Sequence[Any]) -> bool:
    """Whether a stored value can be in a network: reported, not delisted, and no hub."""
    return bool(row[2]) and row[10] is None and hubs.reason(kind, value) is None


def _decide_one(
    run: Run, mark: str, query: str, f: Found, link_scorer: LinkScorer | None, now: dt.datetime
) -> Decided:
    """``_decide`` for one value: one statement (``_ONE_SQL``) in the usual case.

    The public single check is the busiest request a node serves; grouping, chunking and
    keying one value cost it a third of its Python instructions (callgrind). A second
    statement runs only for a URL without its own allowlist entry (its domain's entry) and
    for a value with a report in a network (which network).
    """
    row: Sequence[Any] | None
    (row,) = run(_ONE_SQL[mark], (f.kind, f.value))
    label = row[11]
    linked = row[12]
    if row[1] is None:
        row = None
    if label is None and f.kind == "url":
        probes = [(k, v) for k, v, scoped in candidates(f.kind, f.value, f.attributes) if scoped]
        if probes:
            label = allowlist_label(f, by_kind(run, mark, _ALLOW_SQL, probes))
    network = None
    if linked and row is not None and _may_link(HubRules.shipped(), f.kind, f.value, row):
        network = _networks(run, mark, (row[1],)).get(row[1])
    risk = None
    if link_scorer is not None and f.kind in ("url", "domain"):
        risk = link_scorer([scored_link(f)])[0]
    return _labelled(query, f, row, label, risk, network, now)


def _settle(
    q: str,
    f: Found,
    row: Sequence[Any] | None,
    allowed: dict[tuple[str, str], Sequence[Any]],
    risk: float | None,
    network: dict[str, Any] | None,
    now: dt.datetime,
) -> Decided:
    """One value's verdict from what was fetched for it: its row, allowlist entries, risk."""
    label = row[11] if row is not None else None
    if label is None and allowed:
        label = allowlist_label(f, allowed)
    return _labelled(q, f, row, label, risk, network, now)


def _labelled(
    q: str,
    f: Found,
    row: Sequence[Any] | None,
    label: str | None,
    risk: float | None,
    network: dict[str, Any] | None,
    now: dt.datetime,
) -> Decided:
    """``_settle`` once the allowlist label (or None) is known."""
    if row is None:
        verdict, score = rule(0, 0, None, False, now, label is not None, risk)
        return (q, f, None, label, risk, None, verdict, score)
    verdict, score = rule(
        row[3], row[4], _stored_utc(row[8]), row[10] is not None, now, label is not None, risk
    )
    return (q, f, row, label, risk, network, verdict, score)


def allowlist_label(f: Found, allowed: dict[tuple[str, str], Sequence[Any]]) -> str | None:
    """The label of the entry that vouches for ``f`` among the fetched ones, if any.

    A platform's entry vouches for its bare domain only, never for a URL on it.
    """
    for k, v, scoped in candidates(f.kind, f.value, f.attributes):
        entry = allowed.get((k, v))
        if entry is not None and (not scoped or entry[2] == "official"):
            label: str = entry[1]
            return label
    return None


def decide_all(
    run: Run,
    mark: str,
    items: Sequence[tuple[str, Found]],
    *,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> list[CheckResult]:
    """``CheckResult``s for normalised values (see ``_decide``)."""
    return [_result(d) for d in _decide(run, mark, items, link_scorer, now)]


def _result(d: Decided) -> CheckResult:
    q, f, row, label, risk, network, verdict, score = d
    return CheckResult(
        q, f.kind, f.value, verdict, score, _evidence(row), label, risk, network=network
    )


def _cents(loss: Any) -> float:
    """A stored loss as the evidence's float: whole amounts (SQLite returns ints) skip
    ``round(x, 2)``, which costs ~0.45 µs through its decimal conversion."""
    if type(loss) is int:
        return float(loss)
    value = float(loss or 0)
    return round(value, 2) if value else 0.0


def _answer(d: Decided) -> dict[str, Any]:
    """``CheckResult.as_dict`` of one decided value, built from its row."""
    q, f, row, label, risk, network, verdict, score = d
    out: dict[str, Any] = {
        "query": q,
        "kind": f.kind,
        "value": f.value,
        "verdict": verdict,
        "score": score,
        "evidence": _evidence_json(0, 0, 0, (), (), None, None, 0.0, False)
        if row is None
        else {
            # _evidence_json's object, written out: a screen builds 10,000 of them.
            "reports": row[2],
            "reporters": row[3],
            "trusted_reporters": row[4],
            "countries": list(_codes(row[5])),
            "typologies": list(_codes(row[6])),
            "first_seen": _stored_iso(row[7]),
            "last_seen": _stored_iso(row[8]),
            "total_loss_usd": _cents(row[9]),
            "delisted": row[10] is not None,
        },
    }
    if label:
        out["allowlisted_as"] = label
    if risk is not None:
        out["model_risk"] = round(risk, 3)
    if network is not None:
        out["network"] = network
    return out


def answer_one(
    run: Run,
    mark: str,
    query: str,
    found: Found,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """``decide_all(…)[0].as_dict()`` for one normalised value, without the objects."""
    return _answer(_decide(run, mark, [(query, found)], link_scorer, now)[0])


def check_values(
    run: Run,
    mark: str,
    queries: Sequence[str],
    country: str | None = None,
    *,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> list[CheckResult]:
    """A batch; a value that is no indicator gets an ``error`` entry, not a failure."""
    return _screen(run, mark, queries, country, link_scorer, now, _result, _invalid_result)


def _invalid_result(query: str, error: str) -> CheckResult:
    return CheckResult(query, None, None, "invalid", 0, Evidence(), error=error)


def parse_values(queries: Sequence[str], country: str | None) -> list[tuple[str, Found] | str]:
    """Each query with its normalised value, or the reason it is no indicator."""
    parsed: list[tuple[str, Found] | str] = []
    for q in queries:
        try:
            parsed.append((q, canonical(q, None, country)))
        except InvalidInput as exc:
            parsed.append(exc.detail)
    return parsed


def _screen(
    run: Run,
    mark: str,
    queries: Sequence[str],
    country: str | None,
    link_scorer: LinkScorer | None,
    now: dt.datetime | None,
    shape: Callable[[Decided], T],
    invalid: Callable[[str, str], T],
) -> list[T]:
    """Normalise a batch, decide the values that are indicators, shape every answer."""
    parsed = parse_values(queries, country)
    good = [p for p in parsed if not isinstance(p, str)]
    decided = iter(_decide(run, mark, good, link_scorer, now))
    return [
        invalid(q, p) if isinstance(p, str) else shape(next(decided))
        for q, p in zip(queries, parsed, strict=True)
    ]


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
    run, mark = runner(session)
    return decide_all(run, mark, [(query, found)], link_scorer=link_scorer, now=now)[0]


def check_many(
    session: Session,
    queries: Sequence[str],
    country: str | None = None,
    *,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> list[CheckResult]:
    """Check a batch; a value that is no indicator gets an ``error`` entry, not a failure."""
    run, mark = runner(session)
    return check_values(run, mark, queries, country, link_scorer=link_scorer, now=now)
