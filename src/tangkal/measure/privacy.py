"""Small-count suppression: no figure shared beyond the node shows fewer than N reports.

A count of 1–4 victims in one country, week and typology can point at a person, with
the loss next to it even more so. Outside the node (exports, CSV, the monthly brief, and
every API or dashboard view unless the node's own staff ask for exact numbers) such
counts read ``"<N"`` and the money that depends on them is blank. Zero stays zero: it
identifies nobody. N is ``TANGKAL_MEASURE_MIN_COUNT`` (default 5; 0 turns it off).

When a cell was suppressed, the totals would give it away (total minus the visible
cells), so they are rounded: counts to a multiple of N, money to USD 1,000, and a note
says so. Differencing across two figures (by country and by total) is not prevented:
that residual risk is written down in docs/measure.md.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tangkal.measure.table import Figure

__all__ = ["hidden", "suppress"]


def hidden(value: Any, min_count: int) -> bool:
    """Is ``value`` a count that must not be shown?"""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < min_count


def _row(row: dict[str, Any], figure: Figure, min_count: int) -> dict[str, Any]:
    out = dict(row)
    for column in figure.counts:
        if hidden(row.get(column), min_count):
            out[column] = f"<{min_count}"
    for column, count in figure.amounts.items():
        if column in out and hidden(row.get(count), min_count):
            out[column] = None
    return out


def suppress(figure: Figure, min_count: int) -> Figure:
    """The figure as it may leave the node: counts below ``min_count`` read ``"<N"``.

    >>> from tangkal.measure.filters import Filters
    >>> import datetime as dt
    >>> f = Figure("x", "x", Filters(dt.date(2026, 1, 1), dt.date(2026, 1, 2)), ("n",),
    ...            [{"n": 3}, {"n": 0}, {"n": 9}], counts=("n",))
    >>> [r["n"] for r in suppress(f, 5).rows]
    ['<5', 0, 9]
    """
    if min_count <= 1:
        return replace(figure, min_count=0)
    rows = [_row(r, figure, min_count) for r in figure.rows]
    totals = _row(figure.totals, figure, min_count)
    notes = figure.notes
    if any(r != o for r, o in zip(rows, figure.rows, strict=True)):
        totals = _rounded(totals, figure, min_count)
        notes = (
            *notes,
            f"some counts were below {min_count}: they read <{min_count}, and "
            f"totals are rounded (counts to {min_count}, money to USD 1,000)",
        )
    return replace(figure, rows=rows, totals=totals, notes=notes, min_count=min_count)


def _rounded(totals: dict[str, Any], figure: Figure, base: int) -> dict[str, Any]:
    out = dict(totals)
    for column in figure.counts:
        value = out.get(column)
        if isinstance(value, int) and not isinstance(value, bool):
            out[column] = base * round(value / base)
    for column in figure.amounts:
        value = out.get(column)
        if isinstance(value, Decimal):
            out[column] = (value / 1000).quantize(Decimal(1), ROUND_HALF_UP) * 1000
    return out
