"""Extraction from real-looking scam messages: exact indicators, and none from the traps."""

from __future__ import annotations

import time

import pytest

from tangkal.report.extract import KINDS, MAX_CHARS, Found, extract

Expected = list[tuple[str, str, dict[str, str]]]

# (language, country, message, [(kind, value, attributes subset)] in order of appearance)
MESSAGES: list[tuple[str, str | None, str, Expected]] = [
    (
        "id",
        "ID",
        "Selamat! Anda menang hadiah Rp 5.000.000 dari BCA. Transfer biaya admin Rp.500.000 "
        "ke rek BCA 1234567890 a.n. Budi Santoso paling lambat 12/05/2024 jam 14:30. Info WA "
        "0812-3456-7890 atau klik bca-verify.top/klaim. Kode OTP 482913 jangan diberikan. "
        "Halo BCA 1500888.",
        [
            ("bank_account", "1234567890", {"bank": "BCA", "country": "ID"}),
            ("phone", "+6281234567890", {"country": "ID"}),
            ("url", "http://bca-verify.top/klaim", {"registered_domain": "bca-verify.top"}),
            ("domain", "bca-verify.top", {}),
            # Halo BCA is a real service number and phonenumbers calls it valid: kept,
            # as a phone (a bank's name alone does not make a number an account).
            ("phone", "+621500888", {"country": "ID"}),
        ],
    ),
    (
        "id",
        "ID",
        "Kak, pinjaman cair! Kirim biaya ke DANA 0813-1234-5678 atau OVO 0857 1234 5678. "
        "Cek izin di https://www.ojk.go.id/ (resmi). No pesanan 0812345678901 sudah dikirim.",
        [
            ("ewallet", "+6281312345678", {"provider": "DANA"}),
            ("phone", "+6281312345678", {"country": "ID"}),
            ("ewallet", "+6285712345678", {"provider": "OVO"}),
            ("phone", "+6285712345678", {"country": "ID"}),
            ("url", "https://www.ojk.go.id/", {"registered_domain": "ojk.go.id"}),
            ("domain", "ojk.go.id", {}),
        ],
    ),
    (
        "ms",
        "MY",
        "Tahniah! Akaun Maybank anda dibekukan. Sila log masuk di "
        "hxxps://maybank2u-secure[.]com/login dalam 24 jam atau hubungi 012-345 6789. Bayar "
        "RM500 dan RM 1,200.00 ke akaun CIMB 8001234567. Talian rasmi Maybank 1-300-88-6688.",
        [
            ("url", "https://maybank2u-secure.com/login", {}),
            ("domain", "maybank2u-secure.com", {}),
            ("phone", "+60123456789", {"country": "MY"}),
            ("bank_account", "8001234567", {"bank": "CIMB", "country": "MY"}),
            ("phone", "+601300886688", {"country": "MY"}),
        ],
    ),
    (
        "th",
        "TH",
        "ยินดีด้วย คุณได้รับเงินคืน 50,000 บาท กรุณาโอนค่าธรรมเนียม 1,500 บาท "
        "เข้าบัญชีกสิกร 123-4-56789-0 ติดต่อไลน์ @thaiwin88 โทร 081 234 5678 "
        "รหัส OTP 123456 ห้ามบอกใคร สอบถามศูนย์ 1441 วันที่ 15/06/2024",
        [
            ("bank_account", "1234567890", {"bank": "KBANK", "country": "TH"}),
            ("social_handle", "line:thaiwin88", {}),
            ("phone", "+66812345678", {"country": "TH"}),
        ],
    ),
    (
        "vi",
        "VN",
        "Chúc mừng bạn đã trúng thưởng 5tr! Vui lòng chuyển khoản phí 500k vào STK "
        "0123456789012 Vietcombank, liên hệ Zalo 0912 345 678 hoặc zalo.me/0987654321, "
        "truy cập https://vietcombank-uu-dai.vip. Mã OTP: 654321. Phí 200.000đ.",
        [
            ("bank_account", "0123456789012", {"bank": "VCB", "country": "VN"}),
            ("phone", "+84912345678", {"country": "VN"}),
            ("url", "http://zalo.me/0987654321", {}),
            ("domain", "zalo.me", {}),
            ("phone", "+84987654321", {"country": "VN"}),
            ("url", "https://vietcombank-uu-dai.vip/", {}),
            ("domain", "vietcombank-uu-dai.vip", {}),
        ],
    ),
    (
        "tl",
        "PH",
        "Hi po! Congrats nanalo ka ng ₱50,000. Send lang po ng processing fee na P500 sa GCash "
        "0917 123 4567 or BDO acct 001234567890. Visit www.gcash-promo.online, follow "
        "fb.com/gcash.promo.ph. Wag ibigay ang OTP 778899.",
        [
            ("ewallet", "+639171234567", {"provider": "GCASH"}),
            ("phone", "+639171234567", {"country": "PH"}),
            ("bank_account", "001234567890", {"bank": "BDO", "country": "PH"}),
            ("url", "http://www.gcash-promo.online/", {}),
            ("domain", "gcash-promo.online", {}),
            ("url", "http://fb.com/gcash.promo.ph", {}),
            ("domain", "fb.com", {}),
            ("social_handle", "facebook:gcash.promo.ph", {}),
        ],
    ),
    (
        "km",
        "KH",
        "សួស្តី! អ្នកឈ្នះរង្វាន់ ១០០០ ដុល្លារ។ សូមផ្ញើប្រាក់ទៅ គណនី ABA 000 123 456 "
        "ឬទូរស័ព្ទ 012 345 678 Telegram @kh_lucky_win",
        [
            ("bank_account", "000123456", {"bank": "ABA", "country": "KH"}),
            ("phone", "+85512345678", {"country": "KH"}),
            ("social_handle", "telegram:kh_lucky_win", {}),
        ],
    ),
    (
        "my",
        "MM",
        "မင်္ဂလာပါ ဆုကြေးငွေ ရယူရန် KBZPay 09 212 3456 သို့ ငွေလွှဲပါ။",
        [
            ("ewallet", "+9592123456", {"provider": "KBZPAY"}),
            ("phone", "+9592123456", {"country": "MM"}),
        ],
    ),
    (
        "lo",
        "LA",
        "ສະບາຍດີ ທ່ານໄດ້ຮັບລາງວັນ ໂອນເງິນເຂົ້າບັນຊີ BCEL 0101 2000 3456 7890 ໂທ 020 23 123 456",
        [
            ("bank_account", "0101200034567890", {"bank": "BCEL", "country": "LA"}),
            ("phone", "+8562023123456", {"country": "LA"}),
        ],
    ),
    (
        "en",
        None,
        "Invest now and double your money! Send USDT (TRC20) to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t "
        "or BTC to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa. Questions: Telegram @cryptoking88, "
        "t.me/cryptoking88 or support@Crypto-Win.io. Not this one: "
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb. Order #12345678 on 2024-05-12 14:30. "
        "e.g. setup.apk, invoice.zip, v1.2.3",
        [
            ("crypto_wallet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", {"chain": "tron"}),
            ("crypto_wallet", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", {"chain": "bitcoin"}),
            ("social_handle", "telegram:cryptoking88", {}),
            ("url", "http://t.me/cryptoking88", {"registered_domain": "t.me"}),
            ("domain", "t.me", {}),
            ("email", "support@crypto-win.io", {}),
        ],
    ),
    (
        "en",
        "SG",
        "DBS: Your OTP is 123456. Never share it. If you did not request this, call "
        "1800 111 1111 or visit https://www.dbs.com.sg/personal/default.page. Ref 20240512. "
        "Scam? Call the ScamShield helpline 1799.",
        [
            ("phone", "+6518001111111", {"country": "SG"}),
            ("url", "https://www.dbs.com.sg/personal/default.page", {}),
            ("domain", "dbs.com.sg", {}),
        ],
    ),
    (
        "en",
        "MY",
        "Your parcel is held. Pay the fee at https://poslaju-my.help/track?id=88 or send "
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed. ID LINE: abc123, add line hello99, "
        "tiktok.com/@promo.queen and instagram.com/p/xyz (a post, not an account).",
        [
            ("url", "https://poslaju-my.help/track?id=88", {}),
            ("domain", "poslaju-my.help", {}),
            ("crypto_wallet", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", {"chain": "evm"}),
            ("social_handle", "line:abc123", {}),
            ("social_handle", "line:hello99", {}),
            ("url", "http://tiktok.com/@promo.queen", {}),
            ("domain", "tiktok.com", {}),
            ("social_handle", "tiktok:promo.queen", {}),
            ("url", "http://instagram.com/p/xyz", {}),
            ("domain", "instagram.com", {}),
        ],
    ),
]


def _shape(found: list[Found]) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in found]


@pytest.mark.parametrize(
    ("language", "country", "text", "expected"), MESSAGES, ids=[m[0] for m in MESSAGES]
)
def test_scam_messages(language: str, country: str | None, text: str, expected: Expected) -> None:
    found = extract(text, country)
    assert _shape(found) == [(kind, value) for kind, value, _ in expected]
    for item, (_, _, attributes) in zip(found, expected, strict=True):
        assert attributes.items() <= item.attributes.items()
        assert item.kind in KINDS
        assert item.raw in text


def test_roles() -> None:
    found = extract(MESSAGES[5][2], "PH") + extract(MESSAGES[9][2])
    roles = {(f.kind, f.role) for f in found}
    assert roles == {
        ("ewallet", "payee"),
        ("phone", "payee"),  # the GCash number is where money goes
        ("bank_account", "payee"),
        ("url", "link"),
        ("domain", "link"),
        ("social_handle", "contact"),
        ("crypto_wallet", "wallet"),
        ("email", "contact"),
    }


TRAPS = [
    "kode OTP 482913",
    "รหัส OTP 123456",
    "Mã OTP của bạn là 246810",
    "Rp 5.000.000",
    "Rp5.000.000 sudah masuk",
    "RM500 dan RM 1500000",
    "50,000 บาท",
    "ได้รับเงิน 1500000 บาท",
    "5tr và 500k",
    "Tarikh 12/05/2024, masa 14:30",
    "on 2024-05-12 14:30 and 12.05.2024",
    "Order no 1234567890 shipped",
    "No resi 0123456789012",
    "a.n. Budi Santoso",
    "e.g. setup.apk or notes.md or invoice.zip",
    "version 1.2.3 and pi 3.14159",
    "NIK 3201234567890001",
    "Hurry.Today only!",
    "Halo BCA 14017, Thai 1441, Singapore 1799",
    "Balance 1234567890 as of today",
    "rek 12345",
    "ID LINE: hello",
    "",
    "😀😀😀🔥",
    "\x00\x01\x02\xff\ufffd binary \udc80 junk",
    "مرحبا 你好 Привет ສະບາຍດີ",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_yield_nothing(text: str) -> None:
    assert extract(text, "ID") == []
    assert extract(text) == []


PHONE_FORMS = [
    ("ID", "0812-3456-7890", "+6281234567890"),
    ("ID", "+62 812-3456-7890", "+6281234567890"),
    ("ID", "(+62) 812 3456 7890", "+6281234567890"),
    ("ID", "0062 812 3456 7890", "+6281234567890"),
    ("ID", "0812.3456.7890", "+6281234567890"),
    ("ID", "0 8 1 2 3 4 5 6 7 8 9 0", "+6281234567890"),
    ("ID", "o812-3456-7890", "+6281234567890"),
    ("ID", "O812 3456 789O", "+6281234567890"),
    ("ID", "081234567890", "+6281234567890"),
    ("ID", "wa.me/6281234567890", "+6281234567890"),
    ("ID", "https://api.whatsapp.com/send?phone=6281234567890&text=halo", "+6281234567890"),
    ("ID", "tel:+6281234567890", "+6281234567890"),
    ("ID", "(021) 8350123", "+62218350123"),
    ("MY", "012-345 6789", "+60123456789"),
    ("MY", "03-2385 6789", "+60323856789"),
    ("SG", "8123 4567", "+6581234567"),
    ("SG", "6123 4567", "+6561234567"),
    ("TH", "081 234 5678", "+66812345678"),
    ("TH", "02 123 4567", "+6621234567"),
    ("VN", "0912 345 678", "+84912345678"),
    ("VN", "0912.345.678", "+84912345678"),
    ("PH", "0917 123 4567", "+639171234567"),
    ("PH", "(02) 8123 4567", "+63281234567"),
    ("KH", "012 345 678", "+85512345678"),
    ("MM", "09 212 3456", "+9592123456"),
    ("LA", "020 23 123 456", "+8562023123456"),
    ("BN", "712 3456", "+6737123456"),
]


@pytest.mark.parametrize(("country", "written", "e164"), PHONE_FORMS)
def test_phone_forms(country: str, written: str, e164: str) -> None:
    phones = [f for f in extract(f"Call me: {written} today", country) if f.kind == "phone"]
    assert [f.value for f in phones] == [e164]
    assert phones[0].attributes == {"country": country}


def test_national_number_without_trunk_needs_a_hint() -> None:
    # Singapore dials without a trunk 0: without a hint, 8 digits are not taken as a phone.
    assert extract("Her number 81234567, ok") == []
    assert [f.value for f in extract("Her number 81234567, ok", "SG")] == ["+6581234567"]


URL_FORMS = [
    ("hxxp://evil[.]com/a", "http://evil.com/a", "evil.com"),
    ("hxxps://evil(.)net/b#frag", "https://evil.net/b", "evil.net"),
    ("evil[dot]org", "http://evil.org/", "evil.org"),
    (
        "www.Example-Bank.co.id/login?x=1",
        "http://www.example-bank.co.id/login?x=1",
        "example-bank.co.id",
    ),
    ("https://bücher.de:443/a?b=1#f", "https://xn--bcher-kva.de/a?b=1", "xn--bcher-kva.de"),
    ("HTTP://WWW.EXAMPLE.COM:80", "http://www.example.com/", "example.com"),
    ("http://shop.example.com:8080/x", "http://shop.example.com:8080/x", "example.com"),
    (
        "login.maybank2u.com.my.secure-id.xyz",
        "http://login.maybank2u.com.my.secure-id.xyz/",
        "secure-id.xyz",
    ),
    ("https://www.bca.co.id@evil.top/login", "https://www.bca.co.id@evil.top/login", "evil.top"),
    ("(see bit.ly/3abcDEF)", "http://bit.ly/3abcDEF", "bit.ly"),
    ("http://203.0.113.7/login", "http://203.0.113.7/login", "203.0.113.7"),
]


@pytest.mark.parametrize(("written", "url", "domain"), URL_FORMS)
def test_url_forms(written: str, url: str, domain: str) -> None:
    found = extract(f"Klik {written}. Terima kasih")
    assert _shape(found)[:2] == [("url", url), ("domain", domain)]
    assert found[0].attributes == {"registered_domain": domain}


def test_no_duplicates_and_first_appearance_order() -> None:
    text = "WA 081234567890, lagi WA +62 812 3456 7890, rek BCA 1234567890 / BCA 1234567890"
    found = extract(text, "ID")
    assert _shape(found) == [("phone", "+6281234567890"), ("bank_account", "1234567890")]
    assert found[0].raw == "081234567890"


def test_text_is_capped_and_huge_input_is_bounded() -> None:
    filler = "lorem ipsum dolor sit amet " * (MAX_CHARS // 27 + 1)
    assert extract(filler + " WA 081234567890", "ID") == []
    huge = ("transfer 0812 " + "9" * 50 + " bit[.]ly/x ") * 80_000  # about 5 MB
    started = time.perf_counter()
    extract(huge, "ID")
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize("unit", ["[.]a", "a.", "aa.bb ", "0 ", "1-", "a@", "t.me/x ", "o0"])
def test_hostile_repetition_stays_linear(unit: str) -> None:
    # "[.]a" repeated once made the bare-domain pattern backtrack for over a minute.
    text = unit * (1_000_000 // len(unit))
    started = time.process_time()
    extract(text, "ID")
    assert time.process_time() - started < 3.0


def test_transfer_to_a_mobile_number_without_a_bank_is_a_payee_phone() -> None:
    found = extract("Sudah tf ke 0812-3456-7890 tapi barang tidak dikirim", "ID")
    assert [(f.kind, f.value, f.role) for f in found] == [("phone", "+6281234567890", "payee")]
    named = extract("tf ke rek BRI 0812-3456-7890-12", "ID")
    assert [f.kind for f in named] == ["bank_account"]


# Session 11: the hinted country first, then its script, then its neighbours' number plans.
# (language, country, message, [(kind, value, attributes subset)])
HINT_FIRST: list[tuple[str, str | None, str, Expected]] = [
    # An account after a Philippine bank's name, in a Philippine report, is no Jakarta
    # landline read without its trunk "0" (old: +622147058316).
    (
        "tl",
        "PH",
        "Padala po kayo sa Metrobank 2147 0583 16 ni Jose, tapos text nyo ako 0918 555 0142",
        [
            ("bank_account", "2147058316", {"bank": "MBTC", "country": "PH"}),
            ("phone", "+639185550142", {"country": "PH"}),
        ],
    ),
    (
        "vi",
        "VN",
        "Ủng hộ qua số 7720 4815 55 tại Vietinbank, cảm ơn",
        [("bank_account", "7720481555", {"bank": "CTG", "country": "VN"})],
    ),
    # A Thai mobile after a phone word in Lao and Burmese reports: Thailand borders both
    # (old: read as Indonesian, the first country of the fixed list).
    (
        "lo",
        "LA",
        "ໂທຫາເບີໄທ 081 234 5670 ຫຼື WhatsApp",
        [("phone", "+66812345670", {"country": "TH"})],
    ),
    ("my", "MM", "ထိုင်းဖုန်း 089 123 4567 ကို ဆက်ပါ", [("phone", "+66891234567", {"country": "TH"})]),
    # A remark in brackets after the number is not more of it.
    (
        "th",
        "TH",
        "0891234567(2) โทรหาคุณเมื่อ 01/02/25",
        [("phone", "+66891234567", {"country": "TH"})],
    ),
    ("en", "PH", "Call 0917 555 0199 (24/7)", [("phone", "+639175550199", {"country": "PH"})]),
    (
        "en",
        "PH",
        "hotline +63 (2) 8888 1234 and (02) 8123 4567 (local 5)",
        [("phone", "+63288881234", {}), ("phone", "+63281234567", {})],
    ),
    # Proxy payments to a mobile number: PayNow (Singapore), DuitNow (Malaysia).
    (
        "en",
        "SG",
        "Transfer via PayNow to 8765 4321 and send screenshot",
        [
            ("ewallet", "+6587654321", {"provider": "PAYNOW"}),
            ("phone", "+6587654321", {"country": "SG"}),
        ],
    ),
    (
        "ms",
        "MY",
        "bayar guna DuitNow 012-765 4321 ya",
        [
            ("ewallet", "+60127654321", {"provider": "DUITNOW"}),
            ("phone", "+60127654321", {"country": "MY"}),
        ],
    ),
]


@pytest.mark.parametrize(("language", "country", "text", "expected"), HINT_FIRST)
def test_national_numbers_follow_the_hint_then_the_neighbours(
    language: str, country: str | None, text: str, expected: Expected
) -> None:
    found = extract(text, country)
    assert _shape(found) == [(kind, value) for kind, value, _ in expected]
    for item, (_, _, attributes) in zip(found, expected, strict=True):
        assert attributes.items() <= item.attributes.items()


# Thai, Lao, Burmese and Khmer digits, and the Burmese letter wa typed for zero.
NATIVE_DIGITS = [
    ("TH", "โทร ๐๘๑-๒๓๔-๕๖๗๘ ด่วน", "+66812345678", "๐๘๑-๒๓๔-๕๖๗๘"),
    ("LA", "ໂທ ໐໒໐ ໕໕໕໑ ໒໓໔໕", "+8562055512345", "໐໒໐ ໕໕໕໑ ໒໓໔໕"),
    ("MM", "ဖုန်း ဝ၉ ၄၅၁ ၂၃၄ ၅၆၇", "+959451234567", "ဝ၉ ၄၅၁ ၂၃၄ ၅၆၇"),
    ("KH", "ទូរស័ព្ទ ០១២ ៩៨៧ ៦៥៤", "+85512987654", "០១២ ៩៨៧ ៦៥៤"),
]


@pytest.mark.parametrize(("country", "text", "e164", "raw"), NATIVE_DIGITS)
def test_native_digits_are_read_and_shown_as_written(
    country: str, text: str, e164: str, raw: str
) -> None:
    found = extract(text, country)
    assert [(f.kind, f.value, f.raw) for f in found] == [("phone", e164, raw)]


HANDLES = [
    ("MY", "Boleh DM saya kat Telegram (@kedai_murah22) atau WhatsApp", ["telegram:kedai_murah22"]),
    ("ID", "Hubungi admin Telegram resmi kami: @cs_bantuan_id", ["telegram:cs_bantuan_id"]),
    (
        None,
        "Join now: @win_big_2026 (Telegram) or find me @crypto.lady on Instagram",
        ["telegram:win_big_2026", "instagram:crypto.lady"],
    ),
    ("VN", "nhắn @hotro_vn trên Telegram nhé", ["telegram:hotro_vn"]),
    (
        "TH",
        "ติดต่อแอดมินทางเทเลแกรม @thai_support1 หรือเพิ่มเพื่อนไลน์ไอดี: shop_nong22",
        ["telegram:thai_support1", "line:shop_nong22"],
    ),
    ("TH", "ไอดีไลน์คือ nong_shop7 ค่ะ", ["line:nong_shop7"]),
    ("TH", "เฟซบุ๊ก: fb_shop_99", ["facebook:fb_shop_99"]),
    ("KH", "តេឡេក្រាម @kh_invest_vip", ["telegram:kh_invest_vip"]),
    ("LA", "ເທເລແກຣມ @lao_vip_9", ["telegram:lao_vip_9"]),
    ("MM", "တယ်လီဂရမ် @mm_shop_22", ["telegram:mm_shop_22"]),
    # The nearest platform before the handle names it, not the first one in the sentence.
    (None, "Telegram or Instagram: @glow_shop", ["instagram:glow_shop"]),
]


@pytest.mark.parametrize(("country", "text", "handles"), HANDLES)
def test_handles_with_their_platform_before_or_after(
    country: str | None, text: str, handles: list[str]
) -> None:
    found = [f for f in extract(text, country) if f.kind == "social_handle"]
    assert [f.value for f in found] == handles
    assert all(f.raw in text for f in found)


def test_messenger_links_name_the_facebook_account() -> None:
    found = extract("Mesej m.me/kedai.online.my sekarang", "MY")
    assert _shape(found) == [
        ("url", "http://m.me/kedai.online.my"),
        ("domain", "m.me"),
        ("social_handle", "facebook:kedai.online.my"),
    ]


# Precision traps for the rules above, each with its country.
HINTED_TRAPS = [
    # Identity cards, in the scripts that had no cue for them.
    ("KH", "លេខអត្តសញ្ញាណប័ណ្ណ 012345678 ភូមិ 5"),
    ("LA", "ບັດປະຈຳຕົວ 02055512345"),
    ("MM", "မှတ်ပုံတင် 0912345678"),
    ("TH", "เลขบัตรประชาชน 0812345678"),
    # No phone word, a number Laos rejects and several neighbours accept: nothing says
    # which (old: +62812345670).
    ("LA", "ໃບບິນເລກ 0812345670 ຊຳລະແລ້ວ"),
    # No phone word and no trunk "0": never a foreign landline.
    ("PH", "Reference 3119207745 po"),
    # Native digits bring no new codes, amounts or dates.
    ("TH", "โอน ๑,๕๐๐ บาท วันที่ ๑๕/๐๖/๒๕๖๗ รหัส OTP ๔๘๒๙๑๓"),
    ("MM", "ဝယ်ယူရန် ၅ဝ,ဝဝဝ ကျပ်"),
    ("KH", "លេខកូដ OTP ៤៨២៩១៣"),
    # Masked card numbers.
    ("VN", "The Visa 4524...6779 vua thanh toan"),
    ("ID", "Kartu 5210...8841 terdebit Rp 50.000"),
    ("VN", "TK ViettelPay 9704...1278 GD +10.000 VND"),
    # An "@" with no platform near it, or one a sentence, a number or a comma away.
    (None, "Follow us @brandname for deals"),
    (None, "Telegram group closed. Contact @someone_1 instead"),
    (None, "Telegram 24/7 support @help_desk"),
    (None, "Facebook, Twitter, email @news_desk"),
    (None, "We met @cafe_latte on Sunday"),
    (None, "the line is busy, try later"),
    ("SG", "Pay now! Offer ends 12/12/2026"),
]


@pytest.mark.parametrize(("country", "text"), HINTED_TRAPS)
def test_hinted_traps_yield_nothing(country: str | None, text: str) -> None:
    assert extract(text, country) == []


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # Filipino and Spanish "o" (or) after a number is a word, not a trailing zero.
        ("Magbayad ka sa GCash 09276611234 o ikakalat ko ang video", "PH", "+639276611234"),
        ("Tawagan mo ako sa 0917 123 4567 o kaya mag-text ka", "PH", "+639171234567"),
        ("o 0812 3456 7890 itu nomornya", "ID", "+6281234567890"),
        # A letter O inside the digits is still a zero.
        ("hubungi 0812 345 67o0 sekarang", "ID", "+628123456700"),
    ],
)
def test_a_standalone_letter_o_is_not_a_zero(text: str, country: str, expected: str) -> None:
    phones = [i.value for i in extract(text, country) if i.kind == "phone"]
    assert phones == [expected]


# Session 12: utility customer, meter and contract numbers are not bank accounts; a bill
# scam that names a bank still gives its account.
# (country, message, [(kind, value)])
UTILITY: list[tuple[str | None, str, list[tuple[str, str]]]] = [
    ("MY", "Bil TNB anda: RM 187.45. No. Akaun 220012345678 (akaun elektrik).", []),
    ("MY", "Akaun TNB anda 220098765432 mempunyai tunggakan RM 310.55.", []),
    ("MY", "Bil air anda RM 32.10, no. akaun 3001234567 (akaun air).", []),
    ("MY", "No. Akaun Kontrak 210123456789", []),
    ("PH", "Meralco bill P2,845.50. Customer account no. 1234 5678 90. Thank you!", []),
    ("PH", "Meralco account no. 3456 7890 12 is scheduled for disconnection.", []),
    ("SG", "Your utilities bill is $142.30. Account no. 8912345678.", []),
    ("ID", "Tagihan listrik PLN Rp 312.450, ID pelanggan 532100123456.", []),
    ("ID", "Token PLN berhasil. No meter 08123456789", []),
    ("ID", "nomor pelanggan PDAM 0812345678 tagihan air", []),
    ("VN", "Điện lực thông báo: tài khoản khách hàng 1100123456 quá hạn.", []),
    ("VN", "Mã khách hàng: 0400012345678 - Hóa đơn nước tháng 11", []),
    ("TH", "หมายเลขผู้ใช้ไฟฟ้า 021234567 ชำระภายใน 25/12", []),
    ("KH", "វិក្កយបត្រអគ្គិសនី លេខអតិថិជន 0123456789", []),
    ("LA", "ໃບແຈ້ງໜີ້ ເລກລູກຄ້າ 02055512345", []),
    ("MM", "လျှပ်စစ်မီတာနံပါတ် 0912345678", []),
    # Look-alikes: a bank named near the number, or a phone after the utility's name.
    (
        "MY",
        "Bil TNB tertunggak! Bayar ke akaun Maybank 514012345678 a/n Ahmad",
        [("bank_account", "514012345678")],
    ),
    (
        "PH",
        "si Meralco daw, magbayad sa BPI account 1234 5678 90 ni R. Santos",
        [("bank_account", "1234567890")],
    ),
    (
        "VN",
        "Giả danh điện lực, chuyển vào STK 1903 5678 9012 34 Techcombank",
        [("bank_account", "19035678901234")],
    ),
    ("MY", "Hubungi TNB Careline 1-300-88-5454", [("phone", "+601300885454")]),
    # A bill's cost ("water and electricity") is no utility account: a donation scam.
    ("TH", "รวมทำบุญค่าน้ำค่าไฟให้ทางวัด ที่บัญชี 111-1111-1111", [("bank_account", "11111111111")]),
]


@pytest.mark.parametrize(("country", "text", "expected"), UTILITY)
def test_utility_customer_numbers_are_not_bank_accounts(
    country: str | None, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _shape(extract(text, country)) == expected


# Transfer references in Lao, Khmer, Burmese, Thai and Vietnamese are codes, as "ref" is.
REFERENCES = [
    ("LA", "BCEL One: ທ່ານໄດ້ຮັບເງິນ 250,000 LAK ເລກອ້າງອີງ 2611291234567"),
    ("KH", "អ្នកបានទទួល 120.00 USD លេខយោង 012345678"),
    ("MM", "ရည်ညွှန်းနံပါတ် 09451234567"),
    ("TH", "เลขที่อ้างอิง 0812345678"),
    ("VN", "số tham chiếu 0912345678"),
]


@pytest.mark.parametrize(("country", "text"), REFERENCES)
def test_references_yield_nothing(country: str, text: str) -> None:
    assert extract(text, country) == []


# A Thai account written 3-1-5-1 is an account wherever it stands, never a phone; after a
# bank's name, a number read as a phone only abroad is an account, not the bank's hotline.
# (country, message, [(kind, value, attributes subset)])
ACCOUNT_SHAPES: list[tuple[str | None, str, Expected]] = [
    (
        "TH",
        "เข้าบัญชี กรุงศรี 771-1-23456-0 และ กสิกร 038-3-91234-7",
        [
            ("bank_account", "7711234560", {"bank": "BAY"}),
            # old: +855383912347, a Cambodian mobile
            ("bank_account", "0383912347", {"bank": "KBANK"}),
        ],
    ),
    # An account word and no bank: old, a Thai mobile as payee (+66648771234).
    ("TH", "โอนเข้าบัญชี 064-8-77123-4 แล้ว", [("bank_account", "0648771234", {"country": "TH"})]),
    ("LA", "ໂອນເງິນເຂົ້າ KBank 038-3-91234-7", [("bank_account", "0383912347", {"bank": "KBANK"})]),
    # No cue at all: not a phone.
    ("TH", "ยอด 038-3-91234-7", []),
    # Old: +678 9012345 (Vanuatu, after "00") and +65 8123 4567 (Singapore).
    ("PH", "Payment via BDO 0067 8901 2345", [("bank_account", "006789012345", {"bank": "BDO"})]),
    (
        "PH",
        "Padala sa UnionBank 0065 8123 4567 ni Joy",
        [("bank_account", "006581234567", {"bank": "UNIONBANK"})],
    ),
    ("PH", "BDO 0012 3456 7890", [("bank_account", "001234567890", {"bank": "BDO"})]),
    # Look-alikes: phones written with dashes, a bank's own hotline, a number with "+".
    (
        "TH",
        "โทร 064-877-1234 หรือ 02-123-4567",
        [("phone", "+66648771234", {}), ("phone", "+6621234567", {})],
    ),
    ("PH", "call BDO hotline (02) 8631-8000", [("phone", "+63286318000", {"country": "PH"})]),
    ("PH", "Our BDO agent: +65 8123 4567", [("phone", "+6581234567", {"country": "SG"})]),
    ("ID", "Halo BCA 1500888", [("phone", "+621500888", {"country": "ID"})]),
    ("LA", "KBank 081 234 5678", [("phone", "+66812345678", {"country": "TH"})]),
    # A number the hinted country reads as a phone stays one after a foreign bank's name.
    ("ID", "Hubungi CIMB 0812-3456-7890", [("phone", "+6281234567890", {"country": "ID"})]),
    ("LA", "KBank 020 5555 1234", [("phone", "+8562055551234", {"country": "LA"})]),
    # Without a hint, a bank's hotline is read in the bank's country first (old: +60).
    (None, "LH Techcombank: 1800588822", [("phone", "+841800588822", {"country": "VN"})]),
]


@pytest.mark.parametrize(("country", "text", "expected"), ACCOUNT_SHAPES)
def test_accounts_by_shape_and_by_the_banks_country(
    country: str | None, text: str, expected: Expected
) -> None:
    found = extract(text, country)
    assert _shape(found) == [(kind, value) for kind, value, _ in expected]
    for item, (_, _, attributes) in zip(found, expected, strict=True):
        assert attributes.items() <= item.attributes.items()


# No hint and no national script: "£", "GBP", "UK", "150p/msg" place national numbers in
# the United Kingdom first (old: Indonesian, Philippine or Lao readings).
BRITISH: list[tuple[str, list[str]]] = [
    ("You have won £1000. Call free on 0800 169 6031 to claim", ["+448001696031"]),
    ("Awarded a £2,000 prize. Call 09061 743 806 from a landline", ["+449061743806"]),
    ("Call our London office 020 7946 0321", ["+442079460321"]),
    ("You've won a Nokia! Call 08000930705 now, only 150p/min", ["+448000930705"]),
    ("card used for 1267.00 GBP, call 0330 380 0231", ["+443303800231"]),
    # Look-alikes: no British word; a number with its international prefix.
    ("Hiring po, text 0906 123 4567 for details", ["+639061234567"]),
    ("Call free on 0800 169 6031", ["+628001696031"]),
    ("UK desk: dial 0044 7911 123456", ["+447911123456"]),
    ("Contact our agent in Dubai +971 50 123 4567", ["+971501234567"]),
    # The United Kingdom first, not only: a number its plan rejects is read in ASEAN.
    ("Prize £500! WhatsApp 0812 3456 7890", ["+6281234567890"]),
]


@pytest.mark.parametrize(("text", "phones"), BRITISH)
def test_british_words_place_national_numbers_without_a_hint(text: str, phones: list[str]) -> None:
    assert [f.value for f in extract(text) if f.kind == "phone"] == phones


def test_british_words_do_not_override_a_hint_or_a_script() -> None:
    assert _shape(extract("Call 0800 169 6031 to claim £1000", "ID")) == [
        ("phone", "+628001696031")
    ]
    assert _shape(extract("โทร 081 234 5678 จ่าย £100")) == [("phone", "+66812345678")]


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # "tổng đài" / "đường dây nóng": the switchboard and hotline words name an 8-digit
        # 1900 number, which a bare number pass does not take without a word before it
        ("Vietjet Air chỉ hỗ trợ qua tổng đài 1900 1886.", "VN", [("phone", "+8419001886")]),
        ("Đường dây nóng 1900 1886", "VN", [("phone", "+8419001886")]),
        ("Mã đặt chỗ 1900 1886", "VN", []),
        # A Burmese meter or bill number is no phone
        ("YESB မီတာအမှတ် 0144-778-201 ဘေလ်အမှတ် 2611-009312", "MM", []),
    ],
)
def test_hotline_and_meter_words(text: str, country: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.value) for f in extract(text, country)] == expected
