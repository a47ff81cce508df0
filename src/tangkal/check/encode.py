"""The batch check's JSON, written straight from the stored rows.

``POST /api/v1/check`` answers up to 10,000 values. A dict and an evidence dict per value,
handed to ``orjson``, were about a quarter of a screen's instructions; one f-string per
answer over its evidence row costs three quarters of that (6.5% fewer per value over HTTP,
callgrind, session 7). The text is byte for byte what ``orjson.dumps`` writes for the
``CheckResult.as_dict`` of ``lookup.check_values`` (``tests/check/test_lookup.py`` holds the
two together on both stores, ``tests/check/test_encode.py`` the helpers): strings that might need escaping, floats
outside plain notation and network summaries still go through ``orjson``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import orjson

from tangkal.check.lookup import (
    LinkScorer,
    _cents,
    _codes,
    _decide,
    _stored_iso,
    _stored_utc,
    allowlist_label,
    gather,
    parse_values,
    scored_link,
)  # fmt: skip
from tangkal.check.verdict import rule, rule_seen
from tangkal.report.extract import Found
from tangkal.store.base import utcnow
from tangkal.store.bulk import Run

__all__ = ["answer_text", "answers_text", "json_float", "json_string"]

_NO_EVIDENCE = (
    '{"reports":0,"reporters":0,"trusted_reporters":0,"countries":[],"typologies":[],'
    '"first_seen":null,"last_seen":null,"total_loss_usd":0.0,"delisted":false}'
)


def json_string(text: str) -> str:
    """``text`` as a JSON string, as ``orjson`` writes it.

    ``orjson`` escapes only ``"``, ``\\`` and control characters, and writes everything else
    as it is (UTF-8): a printable string without either of the two is written in quotes.
    """
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return orjson.dumps(text).decode()


def json_float(value: float) -> str:
    """``value`` as ``orjson`` writes it: ``repr`` agrees in plain notation (1e-4 to 1e15)."""
    if value == 0.0 or 1e-4 <= abs(value) < 1e15:
        return repr(value)
    return orjson.dumps(value).decode()


@lru_cache(maxsize=4096)
def _codes_json(text: str) -> str:
    """``"ID,MY"`` → ``'["ID","MY"]'``; cached: few distinct lists recur across values."""
    return orjson.dumps(list(_codes(text))).decode()


def _date_json(raw: Any) -> str:
    """A stored timestamp as the JSON of ``lookup._stored_iso`` (SQLite's text inline)."""
    if type(raw) is str and len(raw) == 26 and raw[10] == " " and raw[19] == ".":
        if raw.endswith(".000000"):  # isoformat leaves out zero microseconds
            return f'"{raw[:10]}T{raw[11:19]}+00:00"'
        return f'"{raw.replace(" ", "T")}+00:00"'
    iso = _stored_iso(raw)
    return "null" if iso is None else f'"{iso}"'


def _plain_text(raw: Any) -> bool:
    """SQLite's stored text with microseconds (not ``.000000``), which reads as is."""
    return (
        type(raw) is str
        and len(raw) == 26
        and raw[10] == " "
        and raw[19] == "."
        and not raw.endswith(".000000")  # isoformat leaves out zero microseconds
    )


_BIG = 10**15  # whole losses below it print as ``repr(float(loss))`` does
fromisoformat = dt.datetime.fromisoformat


def _loss_json(loss: Any) -> str:
    """A stored loss as the JSON of ``lookup._cents``: whole amounts without a float."""
    if type(loss) is int and -_BIG < loss < _BIG:
        return f"{loss}.0"
    return json_float(_cents(loss))


def answers_text(
    run: Run,
    mark: str,
    queries: Sequence[str],
    country: str | None = None,
    *,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> str:
    """``check_values``' answers (``CheckResult.as_dict``) as JSON, comma-joined, no brackets.

    A screen answers in chunks; the caller joins the chunks' texts with commas inside
    ``[`` … ``]``. The usual answer (a reported value, SQLite's stored text, no allowlist
    entry, no model risk, not delisted) is written inline, its verdict by ``verdict.rule_seen``;
    every other takes ``verdict.rule`` and the general helpers.
    """
    now = now or utcnow()
    # ``rule`` subtracts aware datetimes; the same difference of naive UTC ones is cheaper.
    naive_now = now.astimezone(dt.UTC).replace(tzinfo=None) if now.tzinfo is not None else None
    parsed = parse_values(queries, country)
    good = [p for p in parsed if not isinstance(p, str)]
    rows, allowed, networks, risks = gather(run, mark, good, link_scorer) if good else ({}, {}, {}, {})  # fmt: skip
    out: list[str] = []
    append = out.append
    for q, p in zip(queries, parsed, strict=True):
        if isinstance(p, str):
            append(f'{{"query":{json_string(q)},"error":{json_string(p)}}}')
            continue
        f = p[1]
        kind, value = f.kind, f.value
        row = rows[kind].get(value)
        # A phone's canonical value is "+" and ASCII digits: nothing to escape.
        value_json = f'"{value}"' if kind == "phone" else json_string(value)
        query_json = value_json if q == value else json_string(q)  # payee lists: often equal
        risk = risks.get(scored_link(f)) if risks else None
        label = row[11] if row is not None else None
        if label is None and allowed:
            label = allowlist_label(f, allowed)
        if row is None:
            tail = ""
            if label:
                tail = f',"allowlisted_as":{json_string(label)}'
            if risk is not None:
                tail += f',"model_risk":{json_float(round(risk, 3))}'
            verdict, score = rule(0, 0, None, False, now, label is not None, risk)
            append(
                f'{{"query":{query_json},"kind":"{kind}","value":{value_json},'
                f'"verdict":"{verdict}","score":{score},"evidence":{_NO_EVIDENCE}{tail}}}'
            )
            continue
        first, last, delisted = row[7], row[8], row[10]
        if (
            type(first) is str  # SQLite's stored text with microseconds (``_plain_text``)
            and type(last) is str
            and len(first) == 26 == len(last)
            and first[10] == " " == last[10]
            and first[19] == "." == last[19]
            and not first.endswith(".000000")  # isoformat leaves out zero microseconds
            and not last.endswith(".000000")
        ):
            dates = (
                f'"first_seen":"{first.replace(" ", "T")}+00:00",'
                f'"last_seen":"{last.replace(" ", "T")}+00:00"'
            )
            if label is None and risk is None and delisted is None and naive_now is not None:
                verdict, score = rule_seen(row[3], row[4], naive_now - fromisoformat(last))
            else:
                verdict, score = rule(
                    row[3], row[4], fromisoformat(last + "+00:00"), delisted is not None, now,
                    label is not None, risk,
                )  # fmt: skip
        else:
            dates = f'"first_seen":{_date_json(first)},"last_seen":{_date_json(last)}'
            verdict, score = rule(
                row[3], row[4], _stored_utc(last), delisted is not None, now, label is not None,
                risk,
            )  # fmt: skip
        tail = ""
        if label:
            tail = f',"allowlisted_as":{json_string(label)}'
        if risk is not None:
            tail += f',"model_risk":{json_float(round(risk, 3))}'
        if networks:
            network = networks.get(row[1])
            if network is not None:
                tail += f',"network":{orjson.dumps(network).decode()}'
        loss = row[9]  # SQLite's whole amounts inline, the rest through _loss_json
        loss_json = f"{loss}.0" if type(loss) is int and -_BIG < loss < _BIG else _loss_json(loss)
        append(
            f'{{"query":{query_json},"kind":"{kind}","value":{value_json},'
            f'"verdict":"{verdict}","score":{score},"evidence":{{"reports":{row[2]},'
            f'"reporters":{row[3]},"trusted_reporters":{row[4]},'
            f'"countries":{_codes_json(row[5])},"typologies":{_codes_json(row[6])},{dates},'
            f'"total_loss_usd":{loss_json},'
            f'"delisted":{"false" if delisted is None else "true"}}}{tail}}}'
        )
    return ",".join(out)


def answer_text(
    run: Run,
    mark: str,
    query: str,
    found: Found,
    link_scorer: LinkScorer | None = None,
    now: dt.datetime | None = None,
) -> str:
    """``lookup.answer_one`` as the JSON text ``orjson.dumps`` writes for it.

    The single check's answer written as the batch writes its own (``answers_text``), with the
    general helpers: a dict and an evidence dict handed to ``orjson`` cost the check more.
    """
    q, f, row, label, risk, network, verdict, score = _decide(
        run, mark, [(query, found)], link_scorer, now
    )[0]
    value_json = json_string(f.value)
    query_json = value_json if q == f.value else json_string(q)
    if row is None:
        evidence = _NO_EVIDENCE
    else:
        evidence = (
            f'{{"reports":{row[2]},"reporters":{row[3]},"trusted_reporters":{row[4]},'
            f'"countries":{_codes_json(row[5])},"typologies":{_codes_json(row[6])},'
            f'"first_seen":{_date_json(row[7])},"last_seen":{_date_json(row[8])},'
            f'"total_loss_usd":{_loss_json(row[9])},'
            f'"delisted":{"false" if row[10] is None else "true"}}}'
        )
    tail = ""
    if label:
        tail = f',"allowlisted_as":{json_string(label)}'
    if risk is not None:
        tail += f',"model_risk":{json_float(round(risk, 3))}'
    if network is not None:
        tail += f',"network":{orjson.dumps(network).decode()}'
    return (
        f'{{"query":{query_json},"kind":"{f.kind}","value":{value_json},'
        f'"verdict":"{verdict}","score":{score},"evidence":{evidence}{tail}}}'
    )
