"""Small-count suppression: no figure shared beyond the node shows fewer than N reports.

A count of 1–4 victims in one country, week and typology can point at a person, with
the loss next to it even more so. Outside the node (exports, CSV, the monthly brief, and
every API or dashboard view unless the node's own staff ask for exact numbers) such
counts read ``"<N"`` and the money that depends on them is blank. Zero stays zero: it
identifies nobody. N is ``TANGKAL_MEASURE_MIN_COUNT`` (default 5; 0 turns it off).

Totals are shown exactly when they reach N; a total minus the visible cells can narrow a
suppressed cell to a range, never to a value below N, which is the accepted trade-off
of primary suppression without complementary suppression (docs/measure.md).
"""

from __future__ import annotations

from dataclasses import replace
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
    return replace(
        figure,
        rows=[_row(r, figure, min_count) for r in figure.rows],
        totals=_row(figure.totals, figure, min_count),
        min_count=min_count,
    )
