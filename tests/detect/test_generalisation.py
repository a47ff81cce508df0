"""Hand-written messages in nine languages from no training set: the generalisation figures.

``fresh_nine.jsonl`` was written in session 6 before any change and never used to tune
anything (docs/detection.md, "Hand-written messages in nine languages"); ``dev_nine.jsonl``
was written after it, for tuning. The thresholds are the figures reached, so a change
that loses a caught scam or flags one more legitimate message fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tangkal.detect import score_messages
from tangkal.detect.cues import find_cues, prepare
from tangkal.detect.features import message_parts
from tangkal.detect.typology import typology_of

FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = {"id", "ms", "th", "vi", "tl", "km", "my", "lo", "en"}
# Reached with the models and cues of session 8 (docs/detection.md; session 6: 74, 73, 5
# and 31, 31, 1); notices flagged 0 since session 12 (1 with the session 11 models).
CAUGHT_FRESH, TYPED_FRESH, FLAGGED_FRESH = 75, 75, 0
CAUGHT_DEV, TYPED_DEV, FLAGGED_DEV = 31, 31, 0


def _cases(name: str) -> list[dict[str, str]]:
    lines = (FIXTURES / name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _figures(name: str) -> tuple[int, int, int, int, int]:
    """(scams, caught, caught with the expected typology, legitimate, legitimate flagged)."""
    cases = _cases(name)
    scores = score_messages([c["text"] for c in cases])
    scams = [(c, s) for c, s in zip(cases, scores, strict=True) if c["label"] == "scam"]
    legit = [s for c, s in zip(cases, scores, strict=True) if c["label"] == "legit"]
    caught = [(c, s) for c, s in scams if s.scam_probability >= 0.5]
    typed = [c for c, s in caught if s.typology == c["typology"]]
    flagged = [s for s in legit if s.scam_probability >= 0.5]
    return len(scams), len(caught), len(typed), len(legit), len(flagged)


def test_fresh_set_covers_nine_languages_and_the_typologies() -> None:
    cases = _cases("fresh_nine.jsonl")
    for language in LANGUAGES:
        mine = [c for c in cases if c["lang"] == language]
        assert sum(c["label"] == "scam" for c in mine) >= 8, language
        assert sum(c["label"] == "legit" for c in mine) >= 6, language
    typologies = {c["typology"] for c in cases if c["label"] == "scam"}
    assert {"investment", "job_task", "romance", "loan_app", "lottery_prize"} <= typologies
    assert {"sextortion", "account_takeover", "phishing_credentials"} <= typologies
    assert {"impersonation_official", "impersonation_business"} <= typologies


@pytest.mark.parametrize(
    ("name", "size", "least_caught", "least_typed", "most_flagged"),
    [
        # Before session 6: 49 of 84 caught, 34 typed right, 7 of 63 legitimate flagged.
        ("fresh_nine.jsonl", (84, 63), CAUGHT_FRESH, TYPED_FRESH, FLAGGED_FRESH),
        # The tuning set: 13 of 33 caught, 6 typed right, 4 of 29 flagged before session 6.
        ("dev_nine.jsonl", (33, 29), CAUGHT_DEV, TYPED_DEV, FLAGGED_DEV),
    ],
)
def test_nine_language_set_figures(
    name: str, size: tuple[int, int], least_caught: int, least_typed: int, most_flagged: int
) -> None:
    scams, caught, typed, legit, flagged = _figures(name)
    assert (scams, legit) == size
    assert caught >= least_caught, f"caught {caught} of {scams}"
    assert typed >= least_typed, f"typology right for {typed} of {scams}"
    assert flagged <= most_flagged, f"flagged {flagged} of {legit}"


def _codes(text: str) -> set[str]:
    return {hit.code for hit in find_cues(prepare(text))}


@pytest.mark.parametrize(
    "text",
    [
        "အမေ၊ ဒါ သားရဲ့ ဖုန်းနံပါတ်အသစ်ပါ။",  # Burmese possessive ရဲ့ ("son's"), not ရဲ (police)
        "Pre, tuloy ba tayo mamaya sa basketball? 6pm sa court ng barangay.",
        "Let's meet at the food court at 7",
    ],
)
def test_everyday_words_are_not_read_as_police(text: str) -> None:
    assert "official_threat" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    ["ရဲစခန်းမှ ဆက်သွယ်ခြင်းဖြစ်သည်။", "You will face a court case and arrest warrant"],
)
def test_police_and_court_are_still_read(text: str) -> None:
    assert "official_threat" in _codes(text)


def test_a_bill_in_filipino_does_not_ask_for_a_transfer() -> None:
    assert "asks_transfer_money" not in _codes("Magbayad sa Meralco app o sa payment center.")
    assert "asks_transfer_money" in _codes("Mag-bayad ng P35 redelivery fee para maipadala")


@pytest.mark.parametrize(
    ("cues", "typology"),
    [
        ({"loan_offer", "app_install", "urgency"}, "loan_app"),
        ({"app_install"}, "malware_apk"),
        ({"romance_lure", "official_threat", "asks_transfer_money"}, "romance"),
        ({"romance_lure", "account_threat", "asks_transfer_money"}, "romance"),
        ({"family_emergency", "asks_transfer_money", "official_threat"}, "other"),
        ({"official_threat", "asks_transfer_money"}, "impersonation_official"),
        ({"sextortion", "crypto_words"}, "sextortion"),
    ],
)
def test_typology_rules(cues: set[str], typology: str) -> None:
    assert typology_of(cues, set()) == typology


# Session 7 fresh sets (docs/detection.md, "Session 7, fresh sets"): 180 legitimate
# notices and 90 scams, 20 and 10 per language, written and committed before the shipped
# model scored them. Per language: (notices flagged at most, scams caught at least, scams
# with the written typology at least). Unseen, on main at f6081da: 20 flagged, 80 caught;
# after the session 7 cue fixes 18 and 80; session 8 (cues, official_link, Filipino
# offset, retrained, chosen on this set and the validation part) 9 and 88; session 9
# (synthetic notices in training, Filipino offsets removed; chosen on the validation part
# with this set scored by the validation-part models) 1 and 88. These are not unseen-set
# figures any more.
FRESH7 = {
    "id": (0, 10, 9),
    "ms": (0, 9, 9),
    "th": (0, 10, 9),
    "vi": (0, 9, 9),
    "tl": (1, 10, 10),
    "en": (0, 10, 10),
    "km": (0, 10, 9),
    "my": (0, 10, 10),
    "lo": (0, 10, 9),
}
# Session 8 fresh sets (notices_fresh2.jsonl, scams_fresh2.jsonl), written and committed
# before any session 8 change. Unseen (session 7 models): 19 of 180 notices flagged, 76 of
# 90 scams caught, 71 typed right. After the session 8 changes (not chosen on this set, but
# its errors were read once; docs/detection.md, "Session 8, messages"): 9, 82, 78. Session 9
# (synthetic notices; "Session 9, synthetic notices"): 2, 82, 78. Session 12 (story cues): Malay
# 10 caught and typed right (was 9).
FRESH2 = {
    "id": (0, 10, 9),
    "ms": (0, 10, 10),
    "th": (0, 8, 8),
    "vi": (0, 9, 9),
    "tl": (2, 10, 9),
    "en": (0, 9, 8),
    "km": (0, 7, 7),
    "my": (0, 10, 10),
    "lo": (0, 10, 9),
}


def _fresh7_figures(
    notices_file: str = "notices_fresh.jsonl", scams_file: str = "scams_fresh.jsonl"
) -> dict[str, tuple[int, int, int, int, int]]:
    """Per language: (notices, notices flagged, scams, scams caught, caught and typed right)."""
    notices = _cases(notices_file)
    scams = _cases(scams_file)
    figures = {language: [0, 0, 0, 0, 0] for language in LANGUAGES}
    for case, score in zip(notices, score_messages([c["text"] for c in notices]), strict=True):
        figures[case["lang"]][0] += 1
        figures[case["lang"]][1] += score.scam_probability >= 0.5
    for case, score in zip(scams, score_messages([c["text"] for c in scams]), strict=True):
        row = figures[case["lang"]]
        row[2] += 1
        if score.scam_probability >= 0.5:
            row[3] += 1
            row[4] += score.typology == case["typology"]
    return {language: (a, b, c, d, e) for language, (a, b, c, d, e) in figures.items()}


@pytest.mark.parametrize(
    ("notices_file", "scams_file"),
    [
        ("notices_fresh.jsonl", "scams_fresh.jsonl"),
        ("notices_fresh2.jsonl", "scams_fresh2.jsonl"),
    ],
)
def test_fresh_notice_and_scam_sets_cover_nine_languages(
    notices_file: str, scams_file: str
) -> None:
    notices = _cases(notices_file)
    scams = _cases(scams_file)
    assert {c["kind"] for c in notices} == {"notice"}
    for language in LANGUAGES:
        assert sum(c["lang"] == language for c in notices) == 20, language
        assert sum(c["lang"] == language for c in scams) == 10, language
    assert {c["typology"] for c in scams} == {
        "impersonation_business",
        "phishing_credentials",
        "job_task",
        "investment",
        "loan_app",
        "romance",
        "impersonation_official",
        "lottery_prize",
        "sextortion",
        "account_takeover",
    }


# Session 9 fresh sets (notices_fresh3.jsonl, scams_fresh3.jsonl; 30 notices and 15 scams
# per language), committed before any model scored them (docs/detection.md, "Session 9,
# third fresh set"). Unseen (session 8 models): 19 of 270 notices flagged, 89 of 135 scams
# caught, 62 typed right. The merged session 9 tree: 5, 109, 87. The synthetic notices, the
# link work and the lead's changes never saw the set; the scam-story cues were written from
# the list of its missed stories (not its texts), so its scam figures are not blind.
# Session 12 (English smishing): 119 -> 120 caught (the pin had stayed at 109).
FRESH3 = {
    "id": (2, 12, 10),
    "ms": (0, 9, 6),
    "th": (0, 13, 10),
    "vi": (0, 11, 10),
    "tl": (2, 15, 8),  # session 12: + the Taglish "wrong number" gold-trading opener
    "en": (1, 13, 10),
    "km": (0, 12, 11),
    "my": (0, 12, 11),
    "lo": (0, 13, 11),
}
# Session 10 fourth fresh set (notices_fresh4.jsonl, scams_fresh4.jsonl), committed before
# any model scored it. Unseen (session 9 models): 12 of 270 notices flagged, 102 of 135
# scams caught. Since then the session 10 lead's changes and the session 11 story cues and
# synthetic notices were tuned on it (docs/detection.md), so these pins guard, not measure.
# Session 12 (story cues): 4 and 123.
FRESH4 = {
    "id": (0, 14, 8),
    "ms": (0, 13, 13),
    "th": (0, 13, 12),
    "vi": (0, 15, 10),
    "tl": (2, 15, 11),
    "en": (1, 14, 11),
    "km": (0, 12, 12),
    "my": (0, 13, 12),
    "lo": (0, 14, 13),
}
# Session 11 fifth fresh set, committed before any model scored it. Unseen (session 10
# models): 14 of 270 notices flagged, 118 of 135 scams caught; after the (blind) session 11
# story cues 12 and 120; the lead's official domains and the synthetic everyday notices were
# tuned on it: 5 and 119. Session 12 (story cues written from the list of its missed kinds;
# not blind): 3 and 133.
FRESH5 = {
    "id": (1, 15, 11),
    "ms": (0, 15, 15),
    "th": (0, 15, 13),
    "vi": (0, 15, 12),
    "tl": (1, 14, 12),
    "en": (1, 15, 11),
    "km": (0, 15, 14),
    "my": (0, 15, 13),
    "lo": (0, 14, 13),
}
# Session 12 sixth fresh set, committed before any model scored it. Unseen (session 11
# models): 28 of 270 notices flagged, 75 of 135 scams caught; after the session 12 story cues
# (blind to it) 28 and 80. The session 12 genuine-family cues were then written with the
# set's flagged messages on screen (the lead's exception), so the pins, the merged tree's
# figures (7 and 81), are tuned, not blind (docs/detection.md, "Session 12, genuine
# look-alikes").
FRESH6 = {
    "id": (2, 12, 6),
    "ms": (0, 9, 6),
    "th": (0, 9, 5),
    "vi": (0, 10, 7),
    "tl": (2, 11, 8),
    "en": (2, 10, 6),
    "km": (1, 6, 6),
    "my": (0, 7, 7),
    "lo": (0, 7, 6),
}
# Per set: its files, notices and scams per language, the pins per language, and the
# totals (notices flagged at most, scams caught at least).
FRESH_SETS = {
    "session7": ("notices_fresh.jsonl", "scams_fresh.jsonl", 20, 10, FRESH7, 1, 88),
    "session8": ("notices_fresh2.jsonl", "scams_fresh2.jsonl", 20, 10, FRESH2, 2, 84),
    "session9": ("notices_fresh3.jsonl", "scams_fresh3.jsonl", 30, 15, FRESH3, 5, 109),
    "session10": ("notices_fresh4.jsonl", "scams_fresh4.jsonl", 30, 15, FRESH4, 3, 123),
    "session11": ("notices_fresh5.jsonl", "scams_fresh5.jsonl", 30, 15, FRESH5, 1, 133),
    "session12": ("notices_fresh6.jsonl", "scams_fresh6.jsonl", 30, 15, FRESH6, 7, 81),
}


@pytest.mark.parametrize("name", FRESH_SETS)
def test_fresh_set_figures_per_language(name: str) -> None:
    notices_file, scams_file, per_notices, per_scams, pins, most, least = FRESH_SETS[name]
    figures = _fresh7_figures(notices_file, scams_file)
    for language, (most_flagged, least_caught, least_typed) in pins.items():
        notices, flagged, scams, caught, typed = figures[language]
        assert (notices, scams) == (per_notices, per_scams), language
        assert flagged <= most_flagged, f"{language}: flagged {flagged} of {notices} notices"
        assert caught >= least_caught, f"{language}: caught {caught} of {scams} scams"
        assert typed >= least_typed, f"{language}: typology right for {typed} of {scams}"
    assert sum(f[1] for f in figures.values()) <= most
    assert sum(f[3] for f in figures.values()) >= least


@pytest.mark.parametrize(
    "text",
    [
        "ລະຫັດຂອງທ່ານແມ່ນ 1234. ຫ້າມບອກລະຫັດນີ້ໃຫ້ໃຜ.",  # Lao "forbidden to tell", as Thai ห้ามบอก
        "ລະຫັດຢືນຢັນ 1234, ຫ້າມເປີດເຜີຍ",
        "លេខកូដ 1234។ ហាមប្រាប់លេខកូដនេះដល់អ្នកដទៃ។",  # Khmer "forbidden to tell"
    ],
)
def test_forbidden_to_tell_is_read_as_never_share_advice(text: str) -> None:
    """Session 7: a Lao OTP notice worded "ຫ້າມບອກ" read only as a request for the code."""
    assert "safety_advice" in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "PHP 500.00 ang na-credit sa account mo noong Nov 2.",
        "PHP 1,000.00 ang na-debit sa iyong account para sa bills payment.",
        "Bagong balance: PHP 1,230.50",
    ],
)
def test_filipino_receipt_wording_is_read_as_a_receipt(text: str) -> None:
    assert "transaction_receipt" in _codes(text)


def test_a_credit_promised_for_a_fee_is_not_a_receipt() -> None:
    # "ma-credit" (will be credited) is the scam's promise, "na-credit" (was) the receipt.
    text = "Magbayad ng P500 para ma-credit sa account mo ang premyo"
    assert "transaction_receipt" not in _codes(text)


# Session 8 (docs/detection.md, "Session 8, messages"): cue wording of genuine notices and
# of scams that the fresh sets showed missing, read in general forms.
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Globe: Nakatanggap ka ng P100 load. Load balance: P112.50", "transaction_receipt"),
        ("PHP 2,500.00 ang na-debit mula sa savings account mo", "transaction_receipt"),
        ("Your account was debited SGD 20.00 for a bill payment.", "transaction_receipt"),
        ("Your parcel is out for delivery today.", "transaction_receipt"),
        ("Paket Anda sedang dalam pengiriman oleh kurir.", "transaction_receipt"),
        ("Gaji RM3,000.00 telah dikreditkan ke akaun anda.", "transaction_receipt"),
        ("Move your savings to a safe account for the investigation.", "personal_account"),
        ("Pindahkan wang anda ke akaun selamat untuk siasatan.", "personal_account"),
        ("chuyển toàn bộ tiền vào tài khoản tạm giữ của cơ quan điều tra", "personal_account"),
        ("chuyển toàn bộ tiền vào tài khoản tạm giữ của cơ quan điều tra", "asks_transfer_money"),
        ("Saya ada rakaman awak berbogel, bayar atau saya sebar.", "sextortion"),
        ("Please read me the 6-digit code we sent to your phone.", "asks_credentials"),
        ("กรุณาแจ้งรหัส 6 หลักที่ส่งไปทาง SMS", "asks_credentials"),
        ("ban vui long doc lai ma OTP 6 so vua gui", "asks_credentials"),
        ("Sila beri kod 6 digit yang dihantar kepada anda.", "asks_credentials"),
    ],
)
def test_session8_cue_wordings(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "don't give this code": not a request (a first draft of the pattern read it so)
        ("Kode masuk: 6620. Jangan kasih kode ini ke siapa pun.", "asks_credentials"),
        ("Ang parcel mo ay hindi ma-deliver dahil kulang ang address.", "transaction_receipt"),
        ("Your parcel could not be delivered, pay the fee.", "transaction_receipt"),
        ("Magbayad ng P500 para ma-credit sa account mo ang premyo", "transaction_receipt"),
    ],
)
def test_session8_wordings_not_read(text: str, code: str) -> None:
    assert code not in _codes(text)


def test_filipino_text_is_scored_by_the_model_without_an_offset() -> None:
    """Session 9: the joint model has Filipino negatives (generated notices), so the logit
    offsets that stood in for them (``FILIPINO_PRIOR``, ``FILIPINO_BARE``) are gone."""
    import tangkal.detect.message as message
    from tangkal.detect.shipped import message_models

    texts = [
        "Paalala po: walang pasok ang opisina ng barangay sa Lunes dahil sa pista.",
        "Nakauwi na po ako, salamat sa paghatid kanina ha",
    ]
    models = message_models()
    parts = message_parts(texts)
    assert not any(parts.cues)  # no cue: the probability is the model's alone
    logits = models.joint.logits(models.joint.hash(parts.model_texts), parts.extras, len(texts))
    z = np.maximum(logits, message.RULE_BIAS)  # no cue: the rule logit is its bias
    expected = [round(float(p), 4) for p in 1.0 / (1.0 + np.exp(-z))]
    assert message.scam_probabilities(texts) == expected
    assert max(expected) < 0.5
