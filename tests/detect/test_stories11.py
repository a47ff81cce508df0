"""Session 11: the kinds of scam the fourth fresh set still missed, and genuine look-alikes.

The session 11 rows of ``dev_stories.jsonl`` were written before the session 11 cues (commit
52b8189, scored then with the session 10 models: 30 of 46 scams caught, 17 typed right, 8 of
52 look-alikes flagged); 19 more (d9cc8e4: phrasing variants, written after the fourth fresh
set's remaining misses had been seen, so not blind) before their cues (50 of 59, 47, 3 of 58
with the first round's cues). Stories in the languages the fourth fresh set missed them in, plus
English; kinds missed on the validation part (Vietnamese and Thai) in their own wording; and
genuine messages of the kinds still flagged (marketing, a bill split, a bill with its virtual
account, a loan instalment debited).
"""

from __future__ import annotations

import pytest

from tangkal.detect import message, score_message
from tangkal.detect.message import CANCELS, CUE_PAIRS, LINK_PRETEXTS, PRETEXT_CUES
from tangkal.detect.typology import typology_of
from tests.detect.stories import (
    checked_cue_codes,
    cue_codes,
    story_cases,
    story_figures,
    story_rows,
)

# The cue each story is caught by.
STORY_CUE = {
    "sextortion_police": "sextortion",
    "secure_balance": "secure_balance",
    "signal_group": "investment_group",
    "relative_new_phone": "family_emergency",
    "fund_recovery": "fund_recovery",
    "utility_officer": "service_cutoff",
    "safe_pay_link": "marketplace_payment",
    "debt_threat": "debt_shaming",
    "unpaid_order": "unpaid_order",
    "subsidy_link": "benefit_lure",
    "th_casino_credit": "gambling",
}
# Caught by the character model; no story cue was written for them.
MODEL_STORIES = {"payee_link", "th_crypto", "th_prize_data", "th_game_ban", "th_donation"}
# Genuine messages only: the kinds the fourth fresh set and the validation part still flagged.
LEGIT_ONLY = {"retail_marketing", "bill_split", "isp_bill", "loan_instalment"}
STORIES = set(STORY_CUE) | MODEL_STORIES | LEGIT_ONLY
# Look-alikes that show the story cue on purpose: a broken phone without a request for money,
# a police warning about fake recovery "lawyers".
CUE_IN_LOOK_ALIKES = {"relative_new_phone", "fund_recovery"}
# English retailers' and airlines' "SALE ... reply STOP": UCI's spam, the English positive
# class, reads the same; no cue is behind these flags (docs/detection.md, "Session 11").
MODEL_FLAGGED = {"retail_marketing"}
# Reached with the shipped models of session 11 (30, 17, 8 of the first 46 and 52 with those
# of session 10).
CAUGHT, TYPED, FLAGGED = 59, 59, 3


def test_the_story_set_is_whole() -> None:
    rows = story_rows(STORIES)
    assert {str(r["story"]) for r in rows} == STORIES
    for story in STORIES - LEGIT_ONLY:
        assert any(r["label"] == 1 for r in rows if r["story"] == story), story
        assert any(r["label"] == 0 for r in rows if r["story"] == story), story
    assert all(r["label"] == 0 for r in rows if r["story"] in LEGIT_ONLY)
    assert all(r["typology"] for r in rows if r["label"] == 1)
    # The fourth fresh set's missed kinds, in the languages it missed them in.
    languages = {(str(r["story"]), str(r["lang"])) for r in rows if r["label"] == 1}
    for story, wanted in {
        "sextortion_police": {"id", "ms", "km", "lo"},
        "signal_group": {"id", "ms", "en", "my"},
        "relative_new_phone": {"vi", "en"},
        "fund_recovery": {"vi", "km"},
        "utility_officer": {"km", "lo"},
        "safe_pay_link": {"my"},
    }.items():
        assert wanted <= {lang for s, lang in languages if s == story}, story


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORY_CUE, 1))
def test_each_scam_shows_its_story_cue(story: str, language: str, text: str) -> None:
    assert STORY_CUE[story] in checked_cue_codes(text)


@pytest.mark.parametrize(
    ("story", "language", "text"),
    [c for c in story_cases(STORY_CUE, 0) if c[0] not in CUE_IN_LOOK_ALIKES],
)
def test_genuine_look_alikes_do_not_show_the_story_cue(
    story: str, language: str, text: str
) -> None:
    assert STORY_CUE[story] not in cue_codes(text)


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORIES, 0))
def test_genuine_look_alikes_are_not_flagged(story: str, language: str, text: str) -> None:
    if story in MODEL_FLAGGED:
        assert not cue_codes(text) - {"mentions_money", "phone_number"}
        return
    assert score_message(text).scam_probability < 0.5


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORIES, 1))
def test_scams_are_flagged(story: str, language: str, text: str) -> None:
    assert score_message(text).scam_probability >= 0.5


def test_story_set_figures() -> None:
    figures = story_figures(STORIES)
    assert (figures.scams, figures.legit) == (59, 58)
    assert figures.caught >= CAUGHT, f"caught {figures.caught} of {figures.scams}"
    assert figures.typed >= TYPED, f"typology right for {figures.typed} of {figures.scams}"
    assert figures.flagged <= FLAGGED, f"flagged {figures.flagged} of {figures.legit}"


_OJK = (
    "OJK: rekening Anda dipakai transaksi ilegal. Untuk mengamankan saldo, pindahkan seluruh "
    "dana ke rekening 8890 1234 5678. Jangan beritahu siapa pun termasuk petugas bank."
)


def test_a_safe_account_cancels_the_never_share_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake officer's "tell no one" is the scam's own words, not a genuine notice's."""
    assert {"secure_balance", "safety_advice"} <= cue_codes(_OJK)
    assert {"safety_advice", "transaction_receipt"} <= CANCELS["secure_balance"]
    assert score_message(_OJK, "id").scam_probability >= 0.5
    monkeypatch.setattr(message, "CANCELS", {})
    message._rule_tables.cache_clear()
    try:
        assert score_message(_OJK, "id").scam_probability < 0.5
    finally:
        monkeypatch.undo()
        message._rule_tables.cache_clear()
    # The genuine OTP keeps its advice, and so its low score.
    otp = "BCA: Kode OTP Anda 482913. Jangan beritahu siapa pun termasuk petugas BCA."
    assert "secure_balance" not in cue_codes(otp)
    assert score_message(otp).scam_probability < 0.5


# Khmer and Lao have no character model: these show the rule mechanics.
_KM_CUT = "EDC៖ ភ្លើងនឹងត្រូវផ្តាច់នៅយប់នេះ។"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (_KM_CUT, False),  # a cut-off alone
        (_KM_CUT + " ទាក់ទងមន្ត្រីតាម Telegram 097 555 1234", True),
        (_KM_CUT + " ព័ត៌មាន៖ 023 723 871", False),  # a hotline, not a chat app
    ],
)
def test_a_cut_off_tonight_with_an_officer_on_a_chat_app(text: str, flagged: bool) -> None:
    assert ("service_cutoff", "chat_app_redirect") in CUE_PAIRS
    assert (score_message(text).scam_probability >= 0.5) is flagged


@pytest.mark.parametrize(
    ("text", "code", "present"),
    [
        ("The police never ask for payment by phone or chat.", "safety_advice", True),
        ("OJK tidak pernah meminta masyarakat memindahkan dana.", "safety_advice", True),
        ("ຕຳຫຼວດບໍ່ເຄີຍຂໍໃຫ້ໂອນເງິນທາງໂທລະສັບ.", "safety_advice", True),
        ("Guys, 2,450 total, tig-490 tayo. GCash ko 0917 123 4567", "bill_split", True),
        ("ប្រាក់បង់រំលស់កម្ចី ត្រូវបានកាត់ពីគណនីរបស់អ្នក", "transaction_receipt", True),
        (
            "Your parcel is held: unpaid shipping fee $1.99. Pay now at x.info",
            "unpaid_order",
            False,
        ),
        ("Did you forget to pay for this order? Pay now: https://x.shop", "unpaid_order", True),
        ("Ban co quen thanh toan cho don hang nay khong?", "unpaid_order", True),
        ("KHOAN VAY QUA HAN, CHUNG TOI SE DEN NHA VA CO QUAN BAN", "debt_shaming", True),
        ("Khoan vay HD 12345 den han thanh toan 2.150.000d ngay 05/12.", "debt_shaming", False),
        ("เครดิตฟรี 100 ไม่ต้องฝาก", "gambling", True),
        ("รับเครดิตเงินคืน 10% เมื่อใช้จ่ายครบ", "gambling", False),
        ("Free gold signals daily, XAUUSD", "investment_group", True),
        ("Gold price alert: XAU/SGD is now 3,512.40", "investment_group", False),
        # Second round: a minor named by age, a hacked camera, shorter Khmer and Lao forms.
        (
            "You chatted with my 15-year-old daughter. Pay $500 or I call the police.",
            "sextortion",
            True,
        ),
        ("We hacked your webcam and have the recording. Send 200 USDT.", "sextortion", True),
        ("Your phone camera was used by the app Zoom at 10:02.", "sextortion", False),
        ("អាចជួយយកលុយដែលអ្នកត្រូវគេបោកវិញបាន", "fund_recovery", True),
        ("Dana Anda harus diamankan sementara ke rekening pengamanan", "secure_balance", True),
        ("Belajar trading emas bareng mentor kami", "investment_group", True),
        ("ဆရာ ပို့ပေးတဲ့ ရွှေ signal အတိုင်း trade လုပ်ပါ", "investment_group", True),
        ("Could you help me pay my rent of $900 today?", "asks_transfer_money", True),
        # Third round, written from three validation-part scams (so tuned there).
        ("Ban da du dieu kien nhan tro cap, dang ky tai link", "benefit_lure", True),
        ("New payee added. If this was not you, please verify at x.com", "account_threat", True),
        ("Qua han, chung toi se ban giao ho so den trung tam quan ly no", "debt_shaming", True),
    ],
)
def test_session_11_phrasing(text: str, code: str, present: bool) -> None:
    assert (code in checked_cue_codes(text)) is present


@pytest.mark.parametrize(
    ("cues", "typology"),
    [
        ({"sextortion", "official_threat", "personal_account"}, "sextortion"),
        ({"secure_balance", "asks_transfer_money", "personal_account"}, "impersonation_official"),
        ({"fund_recovery", "chat_app_redirect", "asks_transfer_money"}, "other"),
        ({"debt_shaming", "urgency", "personal_account"}, "loan_app"),
        ({"unpaid_order"}, "ecommerce"),
        ({"marketplace_payment", "asks_credentials"}, "ecommerce"),
        ({"investment_group", "job_task_offer", "chat_app_redirect"}, "investment"),
        ({"asks_credentials", "urgency"}, "account_takeover"),  # unchanged
    ],
)
def test_session_11_typologies(cues: set[str], typology: str) -> None:
    assert typology_of(cues, set()) == typology


def test_new_pretexts_and_openers() -> None:
    assert {"secure_balance", "fund_recovery", "debt_shaming"} <= PRETEXT_CUES
    assert "unpaid_order" in LINK_PRETEXTS
    assert "unpaid_order" not in PRETEXT_CUES
