"""What a figure is asked for: a date range, a country, a granularity — checked once.

Bad input becomes ``InvalidInput`` naming the field (a 422 on the web, exit 2 on the
CLI); an ``until`` in the future is not an error but is cut at today, with a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from tangkal.errors import InvalidInput
from tangkal.vocabulary import check_country

__all__ = ["GRANULARITIES", "MAX_BUCKETS", "Filters", "bucket", "parse_filters", "periods"]

GRANULARITIES = ("day", "week", "month")
# A chart of more buckets than this is unreadable and a CSV of them is a dump.
MAX_BUCKETS = 1000
DEFAULT_DAYS = 365


@dataclass(frozen=True)
class Filters:
    """Inclusive date range in UTC days, an optional country, and the bucket size."""

    since: dt.date
    until: dt.date
    country: str | None = None
    granularity: str = "month"
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, str | None]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "country": self.country,
            "granularity": self.granularity,
        }


def _date(raw: str | None, name: str) -> dt.date | None:
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    try:
        if len(text) == 7:  # a whole month, "2026-10"
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "a date looks like 2026-10-31 (or 2026-10 for a month)", field=name
        ) from None


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def parse_filters(params: Mapping[str, str | None], today: dt.date) -> Filters:
    """Check ``since``, ``until``, ``country`` and ``granularity``; fill in the defaults.

    >>> parse_filters({"since": "2026-10", "until": "2026-10"}, dt.date(2026, 11, 28)).until
    datetime.date(2026, 10, 31)
    """
    notes: list[str] = []
    granularity = (params.get("granularity") or "month").strip().lower()
    if granularity not in GRANULARITIES:
        raise InvalidInput(f"must be one of: {', '.join(GRANULARITIES)}", field="granularity")
    until = _date(params.get("until"), "until")
    if until is not None and len((params.get("until") or "").strip()) == 7:
        until = _month_end(until)
    until = until or today
    since = _date(params.get("since"), "since") or (until - dt.timedelta(days=DEFAULT_DAYS - 1))
    if since > today:
        raise InvalidInput(
            "the range starts in the future: nothing can have happened yet", field="since"
        )
    if since > until:
        raise InvalidInput("since is after until", field="since")
    if until > today:
        notes.append(f"until was in the future; figures stop today ({today.isoformat()})")
        until = today
    raw_country = (params.get("country") or "").strip()
    country = None if raw_country.upper() in ("", "ALL", "ASEAN") else check_country(raw_country)
    out = Filters(since, until, country, granularity, tuple(notes))
    # A month is the longest period: past this many days no granularity fits, and listing
    # the periods of a range from year 1 would take a second.
    if (until - since).days > 31 * MAX_BUCKETS or len(periods(out)) > MAX_BUCKETS:
        raise InvalidInput(
            f"more than {MAX_BUCKETS} {granularity}s: choose a coarser "
            "granularity or a shorter range",
            field="granularity",
        )
    return out


def bucket(day: dt.date, granularity: str) -> str:
    """The label of the period ``day`` falls in: the day, its ISO week's Monday, or its month."""
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    return day.strftime("%Y-%m")


def periods(filters: Filters) -> list[str]:
    """Every period label of the range, in order, so charts show empty periods as zero."""
    labels: list[str] = []
    day = filters.since
    while day <= filters.until:
        label = bucket(day, filters.granularity)
        if not labels or labels[-1] != label:
            labels.append(label)
        day += dt.timedelta(days=1)
    return labels
