"""Language detection: one real-looking sentence per ASEAN language, and no-signal input."""

from __future__ import annotations

import pytest

from tangkal.report.language import LANGUAGES, detect_language

SENTENCES = [
    (
        "id",
        "Selamat! Anda mendapatkan hadiah uang tunai. Silakan transfer biaya ke rekening kami.",
    ),
    ("id", "Paket anda tertahan di gudang, mohon bayar bea cukai lewat link berikut"),
    ("ms", "Tahniah! Anda telah memenangi wang tunai RM5000. Sila hubungi kami untuk tuntutan."),
    ("ms", "Akaun bank anda telah dibekukan oleh pihak polis. Sila buat bayaran segera."),
    ("th", "ยินดีด้วย คุณได้รับรางวัลเงินสด กรุณาติดต่อเจ้าหน้าที่"),
    ("th", "Click https://bit.ly/abc ด่วน! บัญชีของคุณถูกระงับ โทร 0812345678"),
    ("vi", "Chúc mừng bạn đã trúng thưởng, vui lòng liên hệ để nhận quà"),
    ("vi", "Chuc mung ban da trung thuong, vui long lien he de nhan qua"),
    ("tl", "Congrats po! Nanalo ka ng premyo, i-send lang ang processing fee sa GCash namin"),
    ("tl", "Magandang araw! Ikaw ay napili para sa isang trabaho na may malaking sahod."),
    ("km", "សួស្តី អ្នកបានឈ្នះរង្វាន់ សូមទាក់ទងមកយើងខ្ញុំ"),
    ("my", "မင်္ဂလာပါ သင်ဆုကြေးငွေ ရရှိပါသည်"),
    ("lo", "ສະບາຍດີ ທ່ານໄດ້ຮັບລາງວັນ ກະລຸນາຕິດຕໍ່"),
    ("en", "Your parcel could not be delivered. Please update your address at the link below."),
    ("en", "Dear customer, your account has been suspended. Verify your identity now."),
]


@pytest.mark.parametrize(("language", "text"), SENTENCES)
def test_one_sentence_per_language(language: str, text: str) -> None:
    assert detect_language(text) == language


def test_every_language_is_covered() -> None:
    assert {language for language, _ in SENTENCES} == set(LANGUAGES)


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀😀", "12345 678", "https://bit.ly/x", "\x00\x01\xff", "+62 812"]
)
def test_nothing_to_go_on(text: str) -> None:
    assert detect_language(text) == "und"


def test_long_text_is_read_from_its_opening() -> None:
    text = "Sila hubungi kami segera, akaun anda telah dibekukan. " + "x" * 1_000_000
    assert detect_language(text) == "ms"
