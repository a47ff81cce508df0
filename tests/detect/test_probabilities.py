"""The probability-only path (bulk import) gives exactly the probability of the full score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tangkal.detect import DetectInputError, scam_probabilities, score_messages
from tangkal.report.demo import generate

FIXTURES = Path(__file__).parent / "fixtures"


def _texts() -> list[str]:
    scams = (FIXTURES / "scams.jsonl").read_text("utf-8").splitlines()
    notices = (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines()
    odd = ["", "   ", "😀😀😀", "\x00\xff\ufffd garbage \x07", "x" * 50_000, "ក្រុមហ៊ុន 5 $"]
    demo = [item.report["narrative"] for item in generate(1_500, seed=7)]
    return [json.loads(line)["text"] for line in scams] + notices + odd + demo


def test_equals_score_messages() -> None:
    texts = _texts()
    expected = [score.scam_probability for score in score_messages(texts)]
    assert scam_probabilities(texts) == expected
    assert min(expected[:18]) > 0.0 and max(expected) <= 1.0  # not all the same value


def test_batch_boundaries_do_not_matter() -> None:
    texts = _texts()[:600]
    one_by_one = [scam_probabilities([text])[0] for text in texts]
    assert scam_probabilities(texts) == one_by_one


def test_empty_batch_and_empty_text() -> None:
    assert scam_probabilities([]) == []
    assert scam_probabilities(["", " \n "]) == [0.0, 0.0]


@pytest.mark.parametrize("bad", ["one string", ["ok", 3], [None]])
def test_bad_input_is_refused(bad: object) -> None:
    with pytest.raises(DetectInputError):
        scam_probabilities(bad)  # type: ignore[arg-type]  # the point of the test
