"""The bulk writer's converters: same values as SQLAlchemy's, and no personal data kept."""

from __future__ import annotations

from sqlalchemy import create_engine

from tangkal.report.models import Indicator, Report
from tangkal.store.bulk import _row_processors


def test_only_opted_in_json_columns_are_remembered() -> None:
    dialect = create_engine("sqlite://").dialect
    (attributes,) = _row_processors(Indicator.__table__, ("attributes",), dialect)
    (contact,) = _row_processors(Report.__table__, ("victim_contact",), dialect)
    assert attributes is not None and contact is not None
    pairs = {"country": "VN"}
    assert attributes(dict(pairs)) is attributes(dict(pairs))  # served from the memo
    victim = {"phone": "+6281234567890", "name": "Siti"}
    first, second = contact(dict(victim)), contact(dict(victim))
    assert first == second == '{"phone": "+6281234567890", "name": "Siti"}'
    assert first is not second  # converted afresh: nothing remembered the victim's contact
