"""Which texts reach the Thai/Vietnamese companion models, and cues without diacritics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tangkal.detect.cues import find_cues, prepare, unaccented
from tangkal.detect.text import fold, model_language

FIXTURES = Path(__file__).parent / "fixtures"
SCAMS = [json.loads(line) for line in (FIXTURES / "scams.jsonl").read_text("utf-8").splitlines()]
NOTICES = (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines()


def _codes(text: str) -> set[str]:
    return {hit.code for hit in find_cues(prepare(text))}


@pytest.mark.parametrize("case", SCAMS, ids=[f"{c['lang']}-{c['typology']}" for c in SCAMS])
def test_hand_written_scams_are_routed_by_their_language(case: dict[str, str]) -> None:
    expected = case["lang"] if case["lang"] in {"th", "vi"} else None
    assert model_language(fold(case["text"])) == expected
    if expected == "vi":  # the same scam typed without diacritics reaches the same model
        assert model_language(unaccented(fold(case["text"]))) == "vi"


def test_unaccented_vietnamese_notice_is_routed_other_notices_are_not() -> None:
    routed = [text[:11] for text in NOTICES if model_language(fold(text)) == "vi"]
    # "TK 0123xxx789 +2,000,000VND luc 10:15 ..." has too few words to tell: joint model only
    assert routed == ["Ma xac thuc"]


@pytest.mark.parametrize(
    "text",
    [
        "Please call me when you can, the bank is closed today",
        "Selamat pagi, tagihan kartu kredit Anda sudah bisa dibayar di aplikasi",
        "Salamat po sa inyong order, darating ito bukas ng umaga",
        "Dang it, I lost my phone in Hanoi, call Anh at the hotel",
    ],
)
def test_other_latin_languages_are_not_taken_for_vietnamese(text: str) -> None:
    assert model_language(fold(text)) is None


def test_vietnamese_cues_match_with_and_without_diacritics() -> None:
    accented = "Tài khoản của quý khách đã bị khóa, vui lòng cung cấp mã OTP"
    plain = unaccented(fold(accented))
    assert plain == "tai khoan cua quy khach da bi khoa, vui long cung cap ma otp"
    assert {"account_threat", "asks_credentials"} <= _codes(accented)
    assert _codes(plain) == _codes(accented)


def test_unaccented_twins_need_whole_words() -> None:
    # "may mắn" (lucky) without diacritics is "may man": not inside English "may manage"
    assert "prize_claim" in _codes("chuc ban may man")
    assert "prize_claim" not in _codes("you may manage the account yourself")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Your parcel is ready. Confirm your shipping details here: abc.top/x", "parcel_problem"),
        ("Borrow funds to meet your needs. Text YES", "loan_offer"),
        ("You have received PHP500,000 from a foundation. To claim text your name", "prize_claim"),
        ("Your account was hacked, verify now", "account_threat"),
        ("Data anda telah bocor, segera hubungi kami", "account_threat"),
        ("ข้อมูลของคุณใน steam โดนเปิดเผย ตรวจสอบสถานะ", "account_threat"),
        ("Dang nhap www.vcb-xacthuc.top de xac thuc ngay hom nay", "account_threat"),
        ("Co hanh vi loi dung tin nhiem, chung toi se khoi kien", "official_threat"),
        ("Telegram code: 88702 You can also tap on this link to log in", "otp_notice"),
    ],
)
def test_cues_added_from_validation_errors(text: str, code: str) -> None:
    assert code in _codes(text)
