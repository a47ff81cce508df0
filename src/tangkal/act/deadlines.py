"""Deadlines per request type, and the overdue flags computed from them against a clock.

Defaults follow the issue (a freeze acknowledged within 1 hour, executed within 24); a node
overrides them with ``<data_dir>/act-deadlines.json``: ``{"freeze": [0.5, 12], …}`` (hours).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from tangkal.act.clock import Clock, SystemClock
from tangkal.act.models import CrossBorderRequest
from tangkal.errors import InvalidInput

__all__ = ["DEFAULT_DEADLINES", "OPEN", "Deadline", "flags", "load_deadlines"]

TYPES = ("freeze", "takedown", "block_number", "information", "mla", "extradition")
OPEN = ("submitted", "acknowledged", "in_progress")


@dataclass(frozen=True, slots=True)
class Deadline:
    """How long the requested authority has to acknowledge, then to execute."""

    acknowledge: dt.timedelta
    execute: dt.timedelta


def _h(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


DEFAULT_DEADLINES: dict[str, Deadline] = {
    "freeze": Deadline(_h(1), _h(24)),
    "takedown": Deadline(_h(24), _h(72)),
    "block_number": Deadline(_h(4), _h(24)),
    "information": Deadline(_h(72), _h(240)),
    "mla": Deadline(_h(7 * 24), _h(60 * 24)),
    "extradition": Deadline(_h(14 * 24), _h(180 * 24)),
}


def load_deadlines(data_dir: str | Path) -> dict[str, Deadline]:
    """Defaults, overridden by ``data_dir/act-deadlines.json`` ({"freeze": [1, 24], …} hours)."""
    path = Path(data_dir) / "act-deadlines.json"
    deadlines = dict(DEFAULT_DEADLINES)
    if path.is_file():
        for kind, (ack, execute) in json.loads(path.read_text("utf-8")).items():
            if kind not in TYPES:
                raise InvalidInput(f"unknown request type {kind!r} in {path}", field="deadlines")
            deadlines[kind] = Deadline(_h(float(ack)), _h(float(execute)))
    return deadlines


def flags(req: CrossBorderRequest, clock: Clock | None = None) -> dict[str, bool]:
    """Overdue flags: a step not taken by its deadline (or taken after it)."""
    now = (clock or SystemClock()).now()

    def late(done: dt.datetime | None, due: dt.datetime | None, pending: bool) -> bool:
        if due is None:
            return False
        return done > due if done is not None else pending and now > due

    return {
        "acknowledge_overdue": late(
            req.acknowledged_at, req.acknowledge_due_at, req.status == "submitted"
        ),
        "execute_overdue": late(req.executed_at, req.execute_due_at, req.status in OPEN),
    }
