"""Shipped message model: scams in nine languages score high, genuine notices low."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tangkal.detect import MessageScore, message, score_message, score_messages
from tangkal.detect.message import _model_flagged, phishing_links, scam_probabilities

FIXTURES = Path(__file__).parent / "fixtures"
SCAMS = [json.loads(line) for line in (FIXTURES / "scams.jsonl").read_text("utf-8").splitlines()]
NOTICES = (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines()


@pytest.mark.parametrize("case", SCAMS, ids=[f"{c['lang']}-{c['typology']}" for c in SCAMS])
def test_hand_written_scam_scores_high_with_reasons(case: dict[str, str]) -> None:
    score = score_message(case["text"], case["lang"])
    assert score.scam_probability >= 0.5
    assert score.typology == case["typology"]
    assert 1 <= len(score.reasons) <= 5
    assert all(r.code and r.text for r in score.reasons)


def test_languages_covered() -> None:
    assert {c["lang"] for c in SCAMS} == {"id", "ms", "th", "vi", "tl", "km", "my", "lo", "en"}


@pytest.mark.parametrize("text", NOTICES)
def test_legit_notice_scores_low(text: str) -> None:
    score = score_message(text)
    assert score.scam_probability < 0.5
    assert score.typology is None
    assert score.reasons


def test_transfer_to_personal_account_reason() -> None:
    text = "Segera transfer Rp 2 juta ke rekening BRI 0123456789 a.n. Sari, hadiah Anda hangus hari ini"
    codes = [r.code for r in score_message(text).reasons]
    assert "asks_transfer_money" in codes
    assert "personal_account" in codes


def test_batch_matches_single() -> None:
    texts = [c["text"] for c in SCAMS[:5]] + NOTICES[:5]
    batch = score_messages(texts)
    assert [round(s.scam_probability, 3) for s in batch] == [
        round(score_message(t).scam_probability, 3) for t in texts
    ]
    assert all(isinstance(s, MessageScore) for s in batch)


def test_fresh_scams_in_scripts_without_training_data_are_mostly_caught() -> None:
    """Khmer, Burmese and Lao scams written after their cues were, never used to tune them.

    14 of 18 were caught when the set was written (docs/detection.md); the four investment
    and loan pitches with a single strong cue are caught since session 6 (a pretext cue
    counts more where no model backs the rules). A change that loses any of them fails.
    """
    path = FIXTURES / "unseen_scripts_fresh.jsonl"
    cases = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert {c["lang"] for c in cases} == {"km", "my", "lo"}
    caught = [score_message(c["text"], c["lang"]).scam_probability >= 0.5 for c in cases]
    assert sum(caught) == 18, f"{sum(caught)} of {len(cases)}"


def test_a_link_the_url_model_flags_is_named_among_the_reasons() -> None:
    """Session 11: the message said "no common scam signs" while its link scored 0.99."""
    text = (
        "JPJ: Anda mempunyai saman tertunggak RM300. Bayar sebelum 2/12/2026 untuk diskaun "
        "50%. Bayar di: https://myjpj-saman.com.my-bayar.top"
    )
    score = score_message(text)
    codes = [reason.code for reason in score.reasons]
    assert "phishing_link" in codes
    assert "no_scam_signs" not in codes
    # A reason only: the probability is the one the import path stores.
    assert score.scam_probability == scam_probabilities([text])[0]


def test_an_official_link_is_not_named_as_phishing() -> None:
    score = score_message(
        "PLN: Tagihan listrik Nov Rp 412.870, jatuh tempo 20/12. Cek di pln.co.id"
    )
    assert "phishing_link" not in [reason.code for reason in score.reasons]


def test_a_link_the_parser_refuses_does_not_hide_the_others_in_its_batch() -> None:
    flagged = _model_flagged(["https://myjpj-saman.com.my-bayar.top/bayar", ""])
    assert flagged == [True, False]
    assert phishing_links([["", "https://myjpj-saman.com.my-bayar.top/bayar"], ["pln.co.id"]]) == [
        "https://myjpj-saman.com.my-bayar.top/bayar",
        None,
    ]


def test_links_beyond_one_scoring_call_are_scored_in_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(message, "MAX_LINKS", 2)
    urls = ["https://myjpj-saman.com.my-bayar.top/a", "", "pln.co.id", "bca.co.id", "x.y.top/b"]
    one_by_one = [message._model_flagged([url])[0] for url in urls]
    assert message._model_flagged(urls) == one_by_one
    assert one_by_one[:3] == [True, False, False]
