"""Shipped message model: scams in nine languages score high, genuine notices low."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tangkal.detect import MessageScore, score_message, score_messages

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
