"""Verdict rules, as documented in docs/verdicts.md (pure: no store)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tangkal.check.verdict import Evidence, decide, rule, rule_seen

NOW = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
RECENT = NOW - dt.timedelta(days=3)


def ev(reporters: int = 0, trusted: int = 0, **kw: object) -> Evidence:
    return Evidence(
        reports=max(reporters, 1) if reporters or trusted else 0,
        reporters=reporters,
        trusted_reporters=trusted,
        last_seen=kw.pop("last_seen", RECENT),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_nothing_known_is_no_reports() -> None:
    assert decide(Evidence(), NOW).verdict == "no_reports"


def test_one_untrusted_report_never_makes_scam() -> None:
    v = decide(ev(reporters=1), NOW)
    assert v.verdict == "suspicious"


def test_one_reporter_filing_many_reports_is_still_one_reporter() -> None:
    v = decide(Evidence(reports=50, reporters=1, last_seen=RECENT), NOW)
    assert v.verdict == "suspicious"


def test_two_independent_reporters_make_scam() -> None:
    assert decide(ev(reporters=2), NOW).verdict == "scam"


def test_one_trusted_organisation_makes_scam() -> None:
    assert decide(ev(reporters=1, trusted=1), NOW).verdict == "scam"


def test_allowlist_beats_any_evidence() -> None:
    v = decide(ev(reporters=40, trusted=5), NOW, allowlisted=True)
    assert (v.verdict, v.score) == ("allowlisted", 0)


def test_evidence_decays_with_age() -> None:
    fresh = decide(ev(reporters=3), NOW).score
    old = decide(ev(reporters=3, last_seen=NOW - dt.timedelta(days=3 * 365)), NOW)
    assert old.score < fresh / 2
    assert old.verdict == "suspicious"


def test_model_alone_never_makes_scam() -> None:
    v = decide(Evidence(), NOW, model_risk=1.0)
    assert v.verdict == "suspicious"
    assert decide(Evidence(), NOW, model_risk=0.1).verdict == "no_reports"


def test_delisted_value_is_no_longer_evidence() -> None:
    v = decide(ev(reporters=5, delisted=True), NOW)
    assert v.verdict == "no_reports"


@pytest.mark.parametrize("reporters", range(0, 12))
def test_score_grows_with_corroboration(reporters: int) -> None:
    assert (
        decide(ev(reporters=reporters), NOW).score <= decide(ev(reporters=reporters + 1), NOW).score
    )


def test_rule_seen_answers_as_rule_for_a_value_neither_delisted_nor_allowlisted() -> None:
    """The batch screen's table-driven ``rule_seen`` against ``rule``, score for score.

    Weights from 0 to past the table (64), ages to the microsecond from a day in the future
    to ten years, and every score from 0 to 100 on the way (scores near a rounding edge
    included: 200,000 random ages).
    """
    rng = random.Random(8)
    day = 86_400 * 1_000_000
    seen = set()
    for _ in range(200_000):
        reporters = rng.choice((0, 1, 2, 3, rng.randrange(100)))
        trusted = rng.choice((0, 0, 1, rng.randrange(40)))
        last = NOW - dt.timedelta(microseconds=rng.randrange(-day, 3650 * day))
        expected = rule(reporters, trusted, last, False, NOW, False, None)
        assert rule_seen(reporters, trusted, NOW - last) == expected
        seen.add(expected)
    assert {score for _, score in seen} == set(range(0, 101))
    assert {verdict for verdict, _ in seen} == {"scam", "suspicious", "no_reports"}


def test_a_link_risk_counts_from_the_link_threshold_up() -> None:
    from tangkal.check.verdict import MODEL_FLOOR

    # Below the link model's own threshold the model says "not phishing" (session 10).
    below = decide(Evidence(), NOW, model_risk=MODEL_FLOOR - 0.0001)
    assert (below.verdict, below.score) == ("no_reports", 0)
    at = decide(Evidence(), NOW, model_risk=MODEL_FLOOR)
    assert (at.verdict, at.score) == ("suspicious", round(MODEL_FLOOR * 45))
    # Reports decide as before whatever a low link risk says.
    assert decide(ev(reporters=1), NOW, model_risk=0.5) == decide(ev(reporters=1), NOW)


def test_the_floor_is_the_shipped_link_threshold_and_below_every_rule() -> None:
    from tangkal.check.verdict import MODEL_FLOOR
    from tangkal.detect import score_links
    from tangkal.detect.shipped import link_model

    assert link_model().threshold == MODEL_FLOOR
    # A link rule with a strength (brand imitation, brand in subdomain or domain, mixed
    # scripts, raw IP) still makes a value suspicious on its own.
    ruled = [
        "bca.co.id.verify-login.top",
        "klikbca-update.com",
        "http://203.0.113.9/x",
        "paypa1.com",
    ]
    assert all(s.risk >= MODEL_FLOOR for s in score_links(ruled))
