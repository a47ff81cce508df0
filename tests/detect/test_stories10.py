"""Session 10: fourteen more scam stories in nine languages, and their genuine look-alikes.

The session 10 rows of ``dev_stories.jsonl`` were written before the session 10 cues (commit
d62f1d6, scored then with the session 9 models: 72 of 132 scams caught, 38 typed right, 13 of
126 look-alikes flagged). One scam and one look-alike per story and language (two scams for
rental deposits in English, Indonesian, Malay, Vietnamese and Burmese, and for identity
updates in Vietnamese).
"""

from __future__ import annotations

import pytest

from tangkal.detect import message, score_message
from tangkal.detect.message import CUE_PAIRS, LINK_PRETEXTS, PRETEXT_CUES
from tangkal.detect.typology import typology_of
from tests.detect.stories import (
    LANGUAGES,
    checked_cue_codes,
    cue_codes,
    story_cases,
    story_figures,
    story_rows,
)

# The cue each story is caught by.
STORY_CUE = {
    "rental_deposit": "marketplace_payment",
    "buyer_verify": "marketplace_payment",
    "new_number_money": "family_emergency",
    "loan_upfront_fee": "upfront_fee",
    "prize_fee": "upfront_fee",
    "sextortion_call": "sextortion",
    "page_appeal": "page_violation",
    "identity_update": "identity_update",
    "benefit_claim": "benefit_lure",
    "utility_cutoff": "service_cutoff",
    "code_pretext": "asks_credentials",
    "police_safe_account": "official_threat",
    "task_rebate": "prepaid_task",
    "investment_group": "investment_group",
}
# Scams caught by the character model, not by their story cue: a Taglish "nagpalit ako ng
# number" pattern made the model flag the genuine look-alike (0.52), so it was left out.
NO_STORY_CUE = {("new_number_money", "tl")}
# Stories whose genuine look-alikes show the story cue on purpose: a new number without a
# request for money, a biometric update in the bank's app (no link), a police notice, an OTP
# notice with "never share this code", a deposit paid at the signing. The weight of the cue
# alone, or the missing link, keeps them under the threshold (next tests).
CUE_IN_LOOK_ALIKES = {
    "new_number_money",
    "identity_update",
    "police_safe_account",
    "code_pretext",
    "rental_deposit",
}
# Look-alikes still flagged, by the character model alone (docs/detection.md, "Session 10,
# scam stories"): Taglish chat and notices, a voucher won in an app, a coffee-shop job, a
# bank's loan approval with its fee deducted (0.66; 0.91 before ``loan_paid_out``).
MODEL_FLAGGED = {
    ("rental_deposit", "tl"),
    ("page_appeal", "tl"),
    ("prize_fee", "tl"),
    ("prize_fee", "en"),
    ("task_rebate", "th"),
    ("loan_upfront_fee", "en"),
}
# Reached with the shipped models of session 10 (was 72, 38, 13 with those of session 9).
CAUGHT, TYPED, FLAGGED = 131, 131, 6


def test_every_story_has_a_scam_and_a_look_alike_in_every_language() -> None:
    rows = story_rows(STORY_CUE)
    for story in STORY_CUE:
        for language in LANGUAGES:
            mine = [r for r in rows if r["story"] == story and r["lang"] == language]
            assert any(r["label"] == 1 for r in mine), (story, language)
            assert any(r["label"] == 0 for r in mine), (story, language)
    assert all(r["typology"] for r in rows if r["label"] == 1)


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORY_CUE, 1))
def test_each_scam_shows_its_story_cue(story: str, language: str, text: str) -> None:
    if (story, language) in NO_STORY_CUE:
        assert STORY_CUE[story] not in cue_codes(text)
        return
    assert STORY_CUE[story] in checked_cue_codes(text)


@pytest.mark.parametrize(
    ("story", "language", "text"),
    [c for c in story_cases(STORY_CUE, 0) if c[0] not in CUE_IN_LOOK_ALIKES],
)
def test_genuine_look_alikes_do_not_show_the_story_cue(
    story: str, language: str, text: str
) -> None:
    assert STORY_CUE[story] not in cue_codes(text)


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORY_CUE, 0))
def test_genuine_look_alikes_are_not_flagged(story: str, language: str, text: str) -> None:
    if (story, language) in MODEL_FLAGGED:
        # Flagged by the character model; no session 10 story cue is behind it.
        assert not cue_codes(text) & {"upfront_fee", "page_violation", "prepaid_task"}
        return
    assert score_message(text).scam_probability < 0.5


def test_story_set_figures() -> None:
    figures = story_figures(STORY_CUE)
    assert (figures.scams, figures.legit) == (132, 126)
    assert figures.caught >= CAUGHT, f"caught {figures.caught} of {figures.scams}"
    assert figures.typed >= TYPED, f"typology right for {figures.typed} of {figures.scams}"
    assert figures.flagged <= FLAGGED, f"flagged {figures.flagged} of {figures.legit}"


# Khmer has no character model: the rules alone decide, so these show the rule mechanics.
_KM_NEW_NUMBER = "ម៉ាក់ កូនប្តូរលេខហើយ។"
_KM_IDENTITY = "សូមធ្វើបច្ចុប្បន្នភាពអត្តសញ្ញាណប័ណ្ណរបស់អ្នក"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (_KM_IDENTITY, False),  # in the bank's app or at a branch: no link
        (_KM_IDENTITY + " នៅ https://camdigikey-update.com", True),
        (_KM_IDENTITY + " នៅ https://www.ababank.com/", False),  # an official link
    ],
)
def test_an_identity_update_needs_a_link_that_is_not_official(text: str, flagged: bool) -> None:
    assert {"identity_update", "page_violation", "benefit_lure"} <= LINK_PRETEXTS
    assert (score_message(text).scam_probability >= 0.5) is flagged


@pytest.mark.parametrize(
    ("link", "flagged"),
    [
        ("https://km.vtmoney.vn/sinhtrachoc", False),  # Viettel Money's own sending domain
        ("https://vtmoney-sinhtrachoc.com/capnhat", True),
    ],
)
def test_a_biometric_reminder_is_judged_by_its_link(link: str, flagged: bool) -> None:
    text = f"Quy khach vui long cap nhat sinh trac hoc truoc 01/01 tai {link} de giao dich."
    assert "identity_update" in cue_codes(text)
    assert (score_message(text).scam_probability >= 0.5) is flagged


def test_a_new_number_with_a_request_for_money_is_the_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pair bonus is what lifts "new number + transfer" over the threshold in English."""
    text = "Hi Dad, it's me, changed my number. Can you transfer $300 for the rent today?"
    assert {"family_emergency", "asks_transfer_money"} <= cue_codes(text)
    assert ("family_emergency", "asks_transfer_money") in CUE_PAIRS
    assert score_message(text).scam_probability >= 0.5
    assert score_message("Hi Dad, it's me, changed my number.").scam_probability < 0.5
    monkeypatch.setattr(message, "CUE_PAIRS", {})
    message._rule_tables.cache_clear()
    try:
        assert score_message(text).scam_probability < 0.5
    finally:
        monkeypatch.undo()
        message._rule_tables.cache_clear()
    assert score_message(text).scam_probability >= 0.5


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("To hold it for you I need a $500 deposit first, PayNow to 9124 5567", "personal_account"),
        ("Viewing slot on Saturday", None),  # a viewing slot is not gambling
        ("Free 100 bonus, slots and casino", "gambling"),
        ("Your loan has been disbursed; the fee was deducted from the loan.", "loan_paid_out"),
        ("ເງິນຄືນພາສີຂອງທ່ານໄດ້ໂອນເຂົ້າບັນຊີແລ້ວ", "transaction_receipt"),
        ("KPay 09 123 456 789 ကို အရင်လွှဲပေးပါ", "personal_account"),
        ("Ang iyong 6 digit code ay darating, paki-send dito", "asks_credentials"),
    ],
)
def test_phrasing_added_to_existing_cues(text: str, code: str | None) -> None:
    codes = cue_codes(text)
    if code is None:
        assert "gambling" not in codes
    else:
        assert code in codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Khmer "not you" is often written with the copula ជា ("is"): "if it is not you".
        (
            "ABA: កាតរបស់អ្នកត្រូវបានកាត់ 300 USD។ បើមិនមែនជាអ្នកទេ សូមទូរស័ព្ទ 012 887 654",
            "card_charge_callback",
        ),
        (
            "ABA: កាតរបស់អ្នកត្រូវបានកាត់ 300 USD។ បើមិនមែនជាអ្នកទេ សូមទូរស័ព្ទ 023 225 333",
            "official_callback",
        ),
    ],
)
def test_khmer_call_back_with_the_copula(text: str, code: str) -> None:
    codes = checked_cue_codes(text)
    assert code in codes
    assert ({"card_charge_callback", "official_callback"} - {code}).isdisjoint(codes)


@pytest.mark.parametrize(
    ("cues", "typology"),
    [
        ({"upfront_fee", "loan_offer", "prize_claim"}, "loan_app"),  # "Tahniah! ... pinjaman"
        ({"upfront_fee", "prize_claim", "official_threat"}, "lottery_prize"),  # a "tax" fee
        ({"upfront_fee", "asks_transfer_money"}, "loan_app"),
        ({"service_cutoff", "personal_account"}, "impersonation_business"),
        ({"prepaid_task", "urgency"}, "job_task"),
        ({"investment_group", "chat_app_redirect"}, "investment"),
        ({"page_violation", "urgency"}, "phishing_credentials"),
        ({"identity_update", "account_threat"}, "phishing_credentials"),
        ({"benefit_lure", "refund_or_order", "prize_claim"}, "impersonation_official"),
    ],
)
def test_session_10_typologies(cues: set[str], typology: str) -> None:
    assert typology_of(cues, set()) == typology


def test_new_pretexts_are_pretexts_and_openers_are_not() -> None:
    assert {"upfront_fee", "service_cutoff", "prepaid_task", "investment_group"} <= PRETEXT_CUES
    assert not {"page_violation", "identity_update", "benefit_lure"} & PRETEXT_CUES
