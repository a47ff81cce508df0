"""Bad input: bounded work or a DetectInputError (a ValueError), never a crash or a hang."""

from __future__ import annotations

import random
import time

import pytest

from tangkal.detect import (
    DetectInputError,
    scam_probabilities,
    score_link,
    score_links,
    score_message,
    score_messages,
)


def test_empty_message_scores_zero() -> None:
    score = score_message("   ")
    assert score.scam_probability == 0.0
    assert score.reasons[0].code == "empty_message"


@pytest.mark.parametrize(
    "text",
    [
        "😀😂🎉" * 50,
        "\x00\x01\xff\ufffd garbage \x7f" * 100,
        bytes(range(256)).decode("latin-1"),
        "mixed ไทย ខ្មែរ မြန်မာ ລາວ Tiếng Việt",
        "lone surrogates \ud800 \udfff from a JSON body: transfer the fee now",  # json.loads allows
    ],
)
def test_odd_text_scores(text: str) -> None:
    score = score_message(text)
    assert 0.0 <= score.scam_probability <= 1.0
    assert score.reasons


@pytest.mark.parametrize("decode", ["latin-1", "utf-8"])
def test_random_bytes_are_not_called_a_scam(decode: str) -> None:
    """200 kB of random bytes read as text scored 0.9986 'investment' (QA, session 10)."""
    data = random.Random(7).randbytes(200_000).decode(decode, errors="replace")
    score = score_message(data)
    assert score.scam_probability < 0.5 and score.typology is None
    assert scam_probabilities([data]) == [score.scam_probability]


def test_a_few_replacement_characters_leave_a_message_scored() -> None:
    text = (
        "Selamat! Anda menang hadiah Rp 50 juta, transfer biaya admin ke rekening BRI \ufffd\ufffd"
    )
    assert score_message(text).scam_probability >= 0.5


def test_lone_surrogates_score_alike_on_every_path() -> None:
    texts = ["\ud83d alone, transfer the fee to account number 123", "โอนเงิน \udc00 ด่วน"]
    expected = [score.scam_probability for score in score_messages(texts)]
    assert scam_probabilities(texts) == expected
    assert [score_message(text).scam_probability for text in texts] == expected


def test_one_megabyte_text_is_bounded() -> None:
    text = "transfer ke rekening sekarang " * 35_000
    started = time.perf_counter()
    score = score_message(text)
    assert time.perf_counter() - started < 2.0
    assert 0.0 <= score.scam_probability <= 1.0


@pytest.mark.parametrize("text", ["a." * 6_000, "see " + "x1." * 4_000 + " now"])
def test_a_word_of_thousands_of_dots_is_bounded(text: str) -> None:
    """QA session 10: the URL pattern backtracked quadratically here (3.6 s per message)."""
    started = time.perf_counter()
    score = score_message(text)
    assert time.perf_counter() - started < 1.0
    assert 0.0 <= score.scam_probability <= 1.0


def test_non_string_message_is_refused() -> None:
    with pytest.raises(DetectInputError):
        score_messages([b"bytes are not text"])  # type: ignore[list-item]  # deliberate misuse
    with pytest.raises(ValueError):
        score_messages("one string, not a list")


@pytest.mark.parametrize("value", ["", "   ", "http://", "not a domain at all"])
def test_bad_link_raises_value_error(value: str) -> None:
    with pytest.raises(DetectInputError):
        score_link(value)


def test_long_link_is_bounded() -> None:
    score = score_link("http://example-login.top/" + "a" * 1_000_000)
    assert 0.0 <= score.risk <= 1.0
    assert score_links([]) == []
