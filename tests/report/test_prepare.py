"""Preparing reports: pure, so its results travel between processes unchanged."""

from __future__ import annotations

import datetime as dt
import pickle

from tangkal.report.demo import generate
from tangkal.report.prepare import Prepared, prepare, score
from tangkal.report.schema import parse_report

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _prepared(n: int) -> list[Prepared]:
    reports = [parse_report(d.report) for d in generate(n, seed=7, until=UNTIL)]
    return score([prepare(r, "import") for r in reports])


def test_prepared_reports_survive_pickling_as_they_were() -> None:
    """Import workers pickle their results for the writer (compact ``__reduce__``s)."""
    prepared = _prepared(60)
    prepared.append(prepare(parse_report({"victim_country": "ID", "narrative": ""}), "web"))
    back = pickle.loads(pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == prepared
    assert any(p.data.victim_contact for p in back) and any(p.data.indicators for p in back)
    for old, new in zip(prepared, back, strict=True):
        assert type(new.data) is type(old.data)
        assert new.data.model_fields_set == old.data.model_fields_set
        assert new.data.model_dump() == old.data.model_dump()
        assert new.data.model_dump(exclude_unset=True) == old.data.model_dump(exclude_unset=True)
        for a, b in zip(old.data.indicators, new.data.indicators, strict=True):
            assert b.model_fields_set == a.model_fields_set
        if old.data.victim_contact:
            assert new.data.victim_contact is not None
            assert (
                new.data.victim_contact.model_fields_set == old.data.victim_contact.model_fields_set
            )
        assert [(f.attributes, f.raw) for f in new.indicators] == [
            (f.attributes, f.raw) for f in old.indicators
        ]
        assert (new.dedup_key, new.loss_usd, new.scam_probability) == (
            old.dedup_key, old.loss_usd, old.scam_probability,
        )  # fmt: skip


def test_restored_reports_still_validate_and_copy() -> None:
    """A restored model is a whole pydantic model: it dumps, revalidates and copies."""
    original = _prepared(5)[0].data
    restored = pickle.loads(pickle.dumps(original))
    assert type(restored).model_validate(restored.model_dump()) == original
    assert restored.model_copy(update={"narrative": "x"}).narrative == "x"
    assert original.narrative == restored.narrative
