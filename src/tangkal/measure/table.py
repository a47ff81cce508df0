"""A figure as one flat table with totals and notes: the same shape feeds JSON, CSV,
the dashboard's charts and the monthly brief."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from tangkal.measure.filters import Filters

__all__ = ["Figure", "as_csv"]


@dataclass(frozen=True)
class Figure:
    """Rows of one figure. ``counts`` name the columns that count reports (victims), and
    ``amounts`` map a money column to the count column whose suppression hides it."""

    name: str
    title: str
    filters: Filters
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    amounts: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # 0: exact numbers (the node's own staff); N: counts below N were suppressed.
    min_count: int = 0

    def with_notes(self, *notes: str) -> Figure:
        return replace(self, notes=(*self.notes, *notes))

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.name,
            "title": self.title,
            "filters": self.filters.as_dict(),
            "columns": list(self.columns),
            "rows": self.rows,
            "totals": self.totals,
            "notes": list(self.notes),
            "suppressed_below": self.min_count or None,
            **self.extra,
        }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return value


def as_csv(figure: Figure) -> str:
    """The rows as CSV (a header row first); notes are not data, so they are left out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(figure.columns)
    for row in figure.rows:
        writer.writerow([_cell(row.get(c)) for c in figure.columns])
    return out.getvalue()
