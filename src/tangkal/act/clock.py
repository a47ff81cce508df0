"""The clock seam: deadlines and overdue flags read the time through it, never directly.

Tests pass a ``FixedClock`` and move it forward; production uses ``SystemClock``.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from tangkal.store.base import utcnow

__all__ = ["Clock", "FixedClock", "SystemClock"]


class Clock(Protocol):
    """Anything that can tell the current UTC time."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time, UTC-aware."""

    def now(self) -> dt.datetime:
        return utcnow()


class FixedClock:
    """A clock that only moves when told to.

    >>> c = FixedClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    >>> c.advance(hours=2).now().hour
    2
    """

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a UTC-aware datetime")
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> FixedClock:
        self.at = self.at + dt.timedelta(**delta)
        return self
