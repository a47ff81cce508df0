"""Losses in many currencies, converted to USD from a dated rate table.

The table is a seam: the shipped file is the default, a node loads its central bank's
rates instead. Conversion uses the newest rate dated on or before the loss.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from tangkal.errors import InvalidInput
from tangkal.once import once

__all__ = ["RateTable", "default_rates"]


@dataclass(frozen=True)
class RateTable:
    """Units of each currency per USD, by the date from which the row applies."""

    dates: tuple[dt.date, ...]
    rows: tuple[dict[str, Decimal], ...]

    @classmethod
    def from_mapping(cls, rates: dict[str, dict[str, float | int | str]]) -> RateTable:
        items = sorted((dt.date.fromisoformat(d), row) for d, row in rates.items())
        return cls(
            dates=tuple(d for d, _ in items),
            rows=tuple({k: Decimal(str(v)) for k, v in row.items()} for _, row in items),
        )

    def has(self, currency: str) -> bool:
        return any(currency in row for row in self.rows)

    def to_usd(self, amount: Decimal, currency: str, on: dt.date) -> Decimal:
        """Convert; raises InvalidInput when no rate for ``currency`` exists."""
        i = bisect.bisect_right(self.dates, on) - 1
        # Before the first dated row, the earliest row is the best we have.
        for row in (*self.rows[max(i, 0) :: -1], *self.rows[max(i, 0) + 1 :]):
            rate = row.get(currency)
            if rate:
                return (amount / rate).quantize(Decimal("0.01"))
        raise InvalidInput(f"no USD rate for currency {currency}", field="loss_currency")


@once
def default_rates() -> RateTable:
    text = resources.files("tangkal.data").joinpath("usd_rates.json").read_text("utf-8")
    return RateTable.from_mapping(json.loads(text)["rates"])
