"""Session 12: scam families the fifth fresh set still missed, newer ASEAN families, look-alikes.

The session 12 rows of ``dev_stories.jsonl`` (commit 88be385, 86 rows) were written by the
writer of the cues, after the list of kinds the fifth fresh set missed (not its texts) and
with the cue drafts at hand, before any of them was scored. With the session 11 models and
cues they scored 28 of 49 scams caught, 15 typed as written, 4 of 37 look-alikes flagged
(docs/detection.md, "Session 12, scam stories").
"""

from __future__ import annotations

import pytest

from tangkal.detect import score_message
from tangkal.detect.message import CUE_PAIRS, LINK_PRETEXTS, PRETEXT_CUES
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
    "police_video_call": "case_involvement",
    "traffic_fine_link": "traffic_fine",
    "soldier_romance": "soldier_romance",
    "overseas_job": "overseas_job",
    "wallet_connect": "wallet_connect",
    "qr_receive": "qr_receive",
    "code_request": "asks_credentials",
    "my_loan_fee": "upfront_fee",
    "my_fund_recovery": "fund_recovery",
    "km_sextortion": "sextortion",
    "th_meter_deposit": "benefit_lure",
}
# Genuine messages only: notices that say what they never ask or send.
LEGIT_ONLY = {"never_denial"}
STORIES = set(STORY_CUE) | LEGIT_ONLY
# Look-alikes that show the story cue on purpose: a police advisory that retells the scam, a
# genuine fine reminder on the official site, peacekeepers coming home, a job-scam warning,
# the genuine meter-deposit refund, a genuine OTP.
CUE_IN_LOOK_ALIKES = {
    "police_video_call",
    "traffic_fine_link",
    "soldier_romance",
    "overseas_job",
    "th_meter_deposit",
}
# Look-alikes the session 11 models already flagged, with no session 12 cue behind the flag
# (SPF's advisory retelling the scam: 0.94 before; a supermarket's cashier job: 0.64 before).
KNOWN_FLAGGED = {
    "SPF advisory: Scammers may claim",
    "Info loker: Indomaret",
}
CAUGHT, TYPED, FLAGGED = 49, 48, 2


def _known(text: str) -> bool:
    return any(text.startswith(prefix) for prefix in KNOWN_FLAGGED)


def test_the_story_set_is_whole() -> None:
    rows = story_rows(STORIES)
    assert {str(r["story"]) for r in rows} == STORIES
    for story in STORIES - LEGIT_ONLY:
        assert any(r["label"] == 1 for r in rows if r["story"] == story), story
        assert any(r["label"] == 0 for r in rows if r["story"] == story), story
    assert all(r["label"] == 0 for r in rows if r["story"] in LEGIT_ONLY)
    # The fifth fresh set's missed kinds, in the languages it missed them in.
    languages = {(str(r["story"]), str(r["lang"])) for r in rows if r["label"] == 1}
    for story, wanted in {
        "police_video_call": {"ms", "vi", "km", "lo"},
        "traffic_fine_link": {"ms"},
        "soldier_romance": {"en"},
        "overseas_job": {"km"},
        "code_request": {"tl", "my"},
        "my_loan_fee": {"my"},
        "my_fund_recovery": {"my"},
        "km_sextortion": {"km"},
        "th_meter_deposit": {"th"},
    }.items():
        assert wanted <= {lang for s, lang in languages if s == story}, story
    # The new families are written in several languages.
    for story in ("overseas_job", "wallet_connect", "qr_receive", "traffic_fine_link"):
        assert len({lang for s, lang in languages if s == story}) >= 5, story


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


@pytest.mark.parametrize(
    ("story", "language", "text"),
    [c for c in story_cases(STORIES, 0) if not _known(c[2])],
)
def test_genuine_look_alikes_are_not_flagged(story: str, language: str, text: str) -> None:
    assert score_message(text).scam_probability < 0.5


@pytest.mark.parametrize(("story", "language", "text"), story_cases(STORIES, 1))
def test_scams_are_flagged(story: str, language: str, text: str) -> None:
    assert score_message(text).scam_probability >= 0.5


def test_story_set_figures() -> None:
    figures = story_figures(STORIES)
    assert (figures.scams, figures.legit) == (49, 37)
    assert figures.caught >= CAUGHT, f"caught {figures.caught} of {figures.scams}"
    assert figures.typed >= TYPED, f"typology right for {figures.typed} of {figures.scams}"
    assert figures.flagged <= FLAGGED, f"flagged {figures.flagged} of {figures.legit}"


@pytest.mark.parametrize(
    ("text", "code", "present"),
    [
        # Genuine notices that say what they never do.
        ("กรมสรรพากรไม่มีนโยบายส่งลิงก์ให้กรอกข้อมูลทาง SMS", "safety_advice", True),
        ("Hindi kami humihingi ng bayad o OTP para sa premyo.", "safety_advice", True),
        ("Huwag i-send ang code na ito kahit kanino.", "safety_advice", True),
        ("Jangan klik link dari nomor tak dikenal.", "safety_advice", True),
        ("Don't click links from unknown senders.", "safety_advice", True),
        # A fake police call: the ID in a case, the video call.
        ("Nama anda disenaraikan dalam kes pengubahan wang haram", "case_involvement", True),
        ("CCCD của anh/chị liên quan đến đường dây rửa tiền", "case_involvement", True),
        ("ເລກບັດປະຈຳຕົວຂອງທ່ານພົວພັນກັບຄະດີຟອກເງິນ", "case_involvement", True),
        ("Your name was mentioned in the newsletter.", "case_involvement", False),
        ("Sila hubungi Inspektor Razak melalui panggilan video", "video_call_officer", True),
        ("Video call with grandma at 8 tonight!", "video_call_officer", False),
        # A traffic fine; a purchase order is no fine.
        ("JPJ: saman tertunggak RM300, bayar di https://x.top", "traffic_fine", True),
        ("Xe của bạn bị phạt nguội 4.500.000đ", "traffic_fine", True),
        ("ใบสั่งซื้อเลขที่ 118 อนุมัติแล้ว", "traffic_fine", False),
        # A soldier abroad; a job abroad; a wallet; a QR code to receive.
        (
            "I'm finally approved for leave from the UN mission in Yemen, I must pay",
            "soldier_romance",
            True,
        ),
        ("ត្រូវការបុគ្គលិក ធ្វើការនៅប្រទេសថៃ (ព្រំដែនមីយ៉ាវ៉ាឌី)", "overseas_job", True),
        ("Việc nhẹ lương cao, bao vé máy bay", "overseas_job", True),
        ("Connect your wallet to claim the airdrop", "wallet_connect", True),
        ("Never share your seed phrase with anyone.", "wallet_connect", False),
        ("Scan the QR code to receive your payment", "qr_receive", True),
        ("Scan the QR code to pay at the counter", "qr_receive", False),
        # Phrasing the fifth fresh set's misses named: a code request in Taglish and
        # Burmese, a Burmese fee paid first, recovery, safe account; a Khmer spelling.
        ("i-send mo sa amin ang 6-digit authentication code", "asks_credentials", True),
        ("ကုဒ် ၆ လုံးကို မှားပြီး ပို့မိသွားလို့ ပြန်ပို့ပေးပါ", "asks_credentials", True),
        ("ဖိုင်ကြေး ၅၀,၀၀၀ ကျပ် ကြိုပေးရပါမည်", "upfront_fee", True),
        ("လိမ်လည်ခံရသူများ! ဆုံးရှုံးငွေများကို ပြန်လည်ရယူပေးမည်", "fund_recovery", True),
        ("ဘဏ်၏ ယာယီလုံခြုံရေးအကောင့်သို့ လွှဲပါ", "secure_balance", True),
        ("ខ្ញុំមានវីដេអូពេលអ្នកដោះសំលៀកបំពាក់", "sextortion", True),
        ("รับเงินคืนค่าประกันการใช้ไฟฟ้า", "benefit_lure", True),
        ("ติดต่อเจ้าหน้าที่ทางไลน์", "chat_app_redirect", True),
    ],
)
def test_session_12_phrasing(text: str, code: str, present: bool) -> None:
    assert (code in checked_cue_codes(text)) is present


@pytest.mark.parametrize(
    ("cues", "typology"),
    [
        ({"case_involvement", "official_threat", "video_call_officer"}, "impersonation_official"),
        ({"traffic_fine", "mentions_money"}, "impersonation_official"),
        ({"soldier_romance", "crypto_words", "asks_transfer_money"}, "romance"),
        ({"overseas_job", "chat_app_redirect"}, "job_task"),
        ({"wallet_connect", "crypto_words", "prize_claim"}, "phishing_credentials"),
        ({"qr_receive", "asks_credentials"}, "ecommerce"),
        ({"qr_receive"}, "ecommerce"),
    ],
)
def test_session_12_typologies(cues: set[str], typology: str) -> None:
    assert typology_of(cues, set()) == typology


def test_new_pretexts_openers_and_pairs() -> None:
    assert {
        "case_involvement",
        "soldier_romance",
        "overseas_job",
        "wallet_connect",
        "qr_receive",
    } <= PRETEXT_CUES
    assert "traffic_fine" in LINK_PRETEXTS
    assert "traffic_fine" not in PRETEXT_CUES
    assert "video_call_officer" not in PRETEXT_CUES
    assert CUE_PAIRS[("soldier_romance", "romance_lure")] == 1.0


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # A traffic fine alone is no scam; with a link off the official domain it is.
        ("JPJ: Anda ada saman tertunggak RM300.", False),
        ("JPJ: Anda ada saman tertunggak RM300. Bayar di https://jpj-saman.my-bayar.top", True),
    ],
)
def test_a_traffic_fine_needs_its_link(text: str, flagged: bool) -> None:
    assert (score_message(text).scam_probability >= 0.5) is flagged
