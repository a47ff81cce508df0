"""The facts and words of the demo data: countries, banks, phone plans, sentences, names.

Kept apart from ``tangkal.report.demo`` so the generator's logic stays short. Each
sentence that carries an indicator puts the cue a real victim would write right before
it ("rek BCA", "SĐT", "เบอร์", "ဖုန်း"), which is what the extractor reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from tangkal.vocabulary import SOURCE_OF_ORG_TYPE

__all__ = [
    "CHANNELS",
    "CHANNEL_NAMES",
    "COUNTRIES",
    "CRYPTO_RATE",
    "DOMAIN_WORDS",
    "LINK_RATE",
    "MEDIAN_USD",
    "NAMES",
    "NETWORK_TYPOLOGY",
    "ORGS",
    "ORG_GRADE",
    "ORG_SOURCE",
    "PAGE_URL",
    "PATHS",
    "RATE_2026",
    "SCAM_BASES",
    "SCAM_TLDS",
    "SHOPS",
    "TEXT",
    "TYPOLOGY_WEIGHTS",
    "Country",
]

TYPOLOGY_WEIGHTS = {
    "investment": 24, "job_task": 20, "phishing_credentials": 11, "ecommerce": 10,
    "impersonation_official": 8, "impersonation_business": 7, "romance": 6, "loan_app": 5,
    "lottery_prize": 3, "sextortion": 2, "malware_apk": 2, "account_takeover": 1, "other": 1,
}  # fmt: skip
MEDIAN_USD = {
    "investment": 2500, "job_task": 700, "romance": 3000, "impersonation_official": 2200,
    "impersonation_business": 900, "phishing_credentials": 600, "ecommerce": 70,
    "loan_app": 150, "lottery_prize": 300, "sextortion": 400, "malware_apk": 1500,
    "account_takeover": 800, "other": 200,
}  # fmt: skip
CHANNELS = {
    "investment": ("telegram", "whatsapp", "facebook", "instagram"),
    "job_task": ("whatsapp", "telegram", "sms", "tiktok"),
    "phishing_credentials": ("sms", "email", "website"),
    "ecommerce": ("facebook", "instagram", "tiktok", "website"),
    "impersonation_official": ("call", "whatsapp"),
    "impersonation_business": ("call", "sms", "whatsapp"),
    "romance": ("facebook", "instagram", "app"),
    "loan_app": ("app", "sms"),
    "lottery_prize": ("sms", "whatsapp"),
    "sextortion": ("facebook", "instagram"),
    "malware_apk": ("whatsapp", "sms"),
    "account_takeover": ("sms", "call"),
    "other": ("call", "sms"),
}
# A link is part of most investment, job, phishing, shop and malware scams.
LINK_RATE = {
    "investment": 0.6, "job_task": 0.4, "phishing_credentials": 0.95, "ecommerce": 0.4,
    "malware_apk": 0.85, "loan_app": 0.5, "lottery_prize": 0.3,
}  # fmt: skip
CRYPTO_RATE = {"investment": 0.45, "job_task": 0.15, "romance": 0.2, "sextortion": 0.3}
SCAM_TLDS = ("top", "xyz", "vip", "cc", "shop", "online", "site", "icu", "live", "com", "net")
DOMAIN_WORDS = (
    "secure", "verify", "promo", "invest", "profit", "trade", "global", "asia", "bonus",
    "rewards", "support", "login", "kerja", "cuan", "lucky", "shop", "official", "update",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Country:
    cc: str  # calling code
    trunk: str  # "0", or "" where national numbers have none
    prefixes: tuple[str, ...]  # mobile prefixes after the trunk
    suffix: int  # digits after the prefix
    national: tuple[int, ...]  # digit groups of the national form, trunk included
    intl: tuple[int, ...]  # digit groups of the national significant number
    currency: str
    languages: tuple[tuple[str, int], ...]
    banks: tuple[tuple[str, tuple[int, ...]], ...]  # (name as written, account groups)
    wallets: tuple[str, ...]  # e-wallets paid by phone number
    messenger: str  # the everyday chat app
    weight: int  # share of reports
    hotlines: tuple[str, ...] = ()  # allowlisted official numbers, as written
    official: tuple[str, ...] = ()  # allowlisted official domains


COUNTRIES: dict[str, Country] = {
    "ID": Country(
        "62", "0", ("811", "812", "813", "821", "822", "852", "853", "815", "816", "856",
                    "857", "817", "818", "819", "859", "877", "878", "896", "897", "881"),
        8, (4, 4, 4), (3, 4, 4), "IDR", (("id", 95), ("en", 5)),
        (("BCA", (10,)), ("BRI", (4, 2, 6, 2, 1)), ("Mandiri", (3, 2, 7, 1)), ("BNI", (10,)),
         ("SeaBank", (12,)), ("Bank Jago", (12,))),
        ("DANA", "OVO", "GoPay", "ShopeePay"), "whatsapp", 25,
        ("(021) 500888",), ("bca.co.id", "ojk.go.id"),
    ),
    "MY": Country(
        "60", "0", ("12", "13", "14", "16", "17", "19"), 7, (3, 3, 4), (2, 3, 4), "MYR",
        (("ms", 60), ("en", 40)),
        (("Maybank", (4, 4, 4)), ("CIMB", (10,)), ("Public Bank", (10,)), ("RHB", (14,)),
         ("Hong Leong", (11,))),
        ("TNG eWallet", "Boost", "GrabPay"), "whatsapp", 12,
        ("03-2178 8080",), ("maybank2u.com.my", "rmp.gov.my"),
    ),
    "SG": Country(
        "65", "", ("81", "82", "83", "84", "85", "86", "87", "88", "90", "91", "92", "93",
                   "94", "96", "97", "98"),
        6, (4, 4), (4, 4), "SGD", (("en", 100),),
        (("DBS", (3, 6, 1)), ("OCBC", (12,)), ("UOB", (3, 3, 3, 1))), (),
        "whatsapp", 8, ("6327 2265", "6333 3333"), ("police.gov.sg", "scamshield.gov.sg"),
    ),
    "TH": Country(
        "66", "0", ("61", "62", "63", "64", "65", "80", "81", "82", "83", "84", "85", "86",
                    "87", "88", "89", "90", "91", "92", "93", "94", "95", "96", "97", "98"),
        7, (3, 3, 4), (2, 3, 4), "THB", (("th", 95), ("en", 5)),
        (("กสิกรไทย", (3, 1, 5, 1)), ("SCB", (3, 6, 1)), ("กรุงเทพ", (3, 1, 5, 1)),
         ("Krungthai", (10,)), ("กรุงศรี", (3, 1, 5, 1))),
        ("TrueMoney", "พร้อมเพย์"), "line", 14, ("02-888-8888", "02-777-7777"),
        ("kasikornbank.com", "scb.co.th"),
    ),
    "VN": Country(
        "84", "0", ("32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78",
                    "79", "81", "82", "83", "84", "85", "86", "88", "89", "90", "91", "93",
                    "94", "96", "97", "98"),
        7, (4, 3, 3), (3, 3, 3), "VND", (("vi", 97), ("en", 3)),
        (("Vietcombank", (13,)), ("Techcombank", (14,)), ("BIDV", (14,)), ("MB Bank", (13,)),
         ("ACB", (9,)), ("VPBank", (9,))),
        ("MoMo", "ZaloPay"), "zalo", 13, (), ("vietcombank.com.vn", "momo.vn"),
    ),
    "PH": Country(
        "63", "0", ("905", "906", "915", "916", "917", "926", "927", "935", "936", "945",
                    "955", "956", "965", "966", "975", "977", "995", "997", "908", "909",
                    "910", "912", "918", "919", "920", "921", "928", "929", "939", "947",
                    "949", "951", "961", "998", "999"),
        7, (4, 3, 4), (3, 3, 4), "PHP", (("tl", 55), ("en", 45)),
        (("BDO", (4, 4, 4)), ("BPI", (10,)), ("Metrobank", (3, 3, 5, 2)), ("UnionBank", (12,)),
         ("Landbank", (10,))),
        ("GCash", "Maya"), "facebook", 14, (), ("bdo.com.ph", "gcash.com"),
    ),
    "KH": Country(
        "855", "0", ("12", "17", "77", "78", "89", "92", "95", "99", "11", "61", "76",
                     "85", "15", "16", "69", "70", "81", "86", "87", "98", "10", "93"),
        6, (3, 3, 3), (2, 3, 3), "USD", (("km", 85), ("en", 15)),
        (("ABA Bank", (3, 3, 3)), ("ACLEDA", (4, 2, 6, 2)), ("Canadia Bank", (13,))),
        ("Wing Money", "Pi Pay"), "telegram", 4, (), ("ababank.com", "acledabank.com.kh"),
    ),
    "MM": Country(
        "95", "0", ("975", "976", "977", "978", "979", "996", "997", "965", "966", "967",
                    "968", "969", "425", "426", "428"),
        7, (2, 3, 3, 3), (1, 3, 3, 3), "MMK", (("my", 90), ("en", 10)),
        (("KBZ Bank", (17,)), ("AYA Bank", (16,)), ("CB Bank", (16,)), ("Yoma Bank", (15,))),
        ("KBZPay", "WavePay"), "telegram", 4, (), ("kbzbank.com",),
    ),
    "LA": Country(
        "856", "0", ("202", "205", "207", "209"), 7, (3, 4, 4), (2, 4, 4), "LAK",
        (("lo", 90), ("en", 10)),
        (("BCEL", (3, 2, 2, 8)), ("LDB", (16,))), ("M-Money",), "whatsapp", 2, (),
        ("bcel.com.la",),
    ),
    "BN": Country(
        "673", "", ("71", "72", "73", "81", "82", "83", "87", "88", "89"), 5, (3, 4), (3, 4),
        "BND", (("ms", 60), ("en", 40)),
        (("BIBD", (2, 2, 6, 2)), ("Baiduri", (2, 2, 2, 6))), (), "whatsapp", 1, (),
        ("bibd.com.bn",),
    ),
}  # fmt: skip
# Where the phones and mule accounts of cross-border syndicates tend to come from.
SCAM_BASES = ("KH", "MM", "LA", "PH", "TH", "VN", "MY", "ID")
RATE_2026 = {
    "IDR": 16650, "MYR": 4.20, "SGD": 1.30, "THB": 32.5, "VND": 26200, "PHP": 58.5,
    "USD": 1, "KHR": 4010, "MMK": 2100, "LAK": 21600, "BND": 1.30,
}  # fmt: skip

NETWORK_TYPOLOGY = {
    "investment": 45, "job_task": 35, "romance": 5, "impersonation_official": 5,
    "phishing_credentials": 5, "loan_app": 5,
}  # fmt: skip

CHANNEL_NAMES = {
    "whatsapp": "WhatsApp", "telegram": "Telegram", "line": "LINE", "zalo": "Zalo",
    "sms": "SMS", "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok",
    "website": "website", "email": "email", "app": "app", "other": "SMS",
}  # fmt: skip
PAGE_URL = {
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}/",
    "tiktok": "https://www.tiktok.com/@{}",
}
SHOPS = ("promo", "shop", "official", "store", "deals", "hiring", "invest", "grup")
PATHS = ("login", "daftar", "register", "app", "download/app.apk", "promo", "member/signup")
ORG_SOURCE = SOURCE_OF_ORG_TYPE
ORG_GRADE = {"police": ("A", 2), "bank": ("B", 2), "ewallet": ("B", 2), "telco": ("B", 3)}

_I = "intro"
TEXT: dict[str, dict[str, object]] = {
    "id": {
        _I: {
            "investment": "Saya ditawari investasi trading kripto dengan keuntungan 20% per minggu.",
            "job_task": "Saya dapat pesan tawaran kerja paruh waktu, cuma like dan follow akun lalu dapat komisi.",
            "romance": "Saya kenal seseorang lewat aplikasi kencan, setelah dekat dia minta dikirimi uang.",
            "impersonation_official": "Ada yang menelepon mengaku dari kepolisian dan bilang nama saya terlibat kasus pencucian uang.",
            "impersonation_business": "Ada yang mengaku petugas bank dan bilang akun saya akan diblokir.",
            "phishing_credentials": "Saya menerima pesan berisi link untuk verifikasi data nasabah.",
            "ecommerce": "Saya beli barang di toko online, sudah bayar tapi barang tidak pernah dikirim.",
            "loan_app": "Saya pinjam uang lewat aplikasi pinjol, lalu diteror dan diancam data saya disebar.",
            "lottery_prize": "Saya dikabari menang undian berhadiah tapi harus bayar pajak dulu.",
            "sextortion": "Saya diancam video pribadi saya akan disebar kalau tidak bayar.",
            "malware_apk": "Saya disuruh instal aplikasi undangan pernikahan (APK), lalu saldo saya terkuras.",
            "account_takeover": "Akun WhatsApp saya diambil alih dan pelaku meminjam uang ke teman-teman saya.",
            "other": "Saya tertipu oleh orang yang tidak saya kenal.",
        },
        "date": "Kejadian tanggal {date}.",
        "contact": "Pelaku menghubungi lewat {channel} dengan nomor HP {phone}.",
        "handle": "Admin-nya pakai {handle}.",
        "page": "Saya lihat iklannya di {url}.",
        "link": "Saya diminta daftar di {url}.",
        "bank": "Saya transfer {amount} ke rek {bank} {account} a.n. {holder}.",
        "ewallet": "Saya kirim {amount} ke {wallet} {number}.",
        "crypto": "Saya diminta deposit USDT {amount} ke alamat {wallet}.",
        "email": "Emailnya dari {email}.",
        "otp": "Dia minta kode OTP {otp} yang masuk ke HP saya.",
        "site": "Saya sudah cek ke {site}, ternyata bukan dari mereka.",
        "hotline": "Saya konfirmasi ke call center resmi {hotline} dan mereka bilang itu penipuan.",
        "end": (
            "Sekarang nomornya tidak aktif lagi.",
            "Mohon ditindaklanjuti.",
            "Uang saya belum kembali.",
        ),
        "call": "telepon",
    },
    "ms": {
        _I: {
            "investment": "Saya ditawarkan pelaburan kripto dengan pulangan 30% sebulan.",
            "job_task": "Saya terima mesej tawaran kerja sambilan, perlu buat tugasan like dan review untuk dapat komisen.",
            "romance": "Saya berkenalan dengan seorang lelaki di Facebook, kemudian dia minta wang.",
            "impersonation_official": "Ada pemanggil mengaku pegawai polis dan kata nama saya terlibat dengan pengubahan wang haram.",
            "impersonation_business": "Ada orang menyamar sebagai pegawai bank dan kata akaun saya akan dibekukan.",
            "phishing_credentials": "Saya terima mesej dengan pautan untuk kemas kini maklumat bank.",
            "ecommerce": "Saya beli barang secara online, sudah bayar tetapi barang tidak sampai.",
            "loan_app": "Saya pinjam wang melalui aplikasi, kemudian diugut dan dikenakan faedah tinggi.",
            "lottery_prize": "Saya dimaklumkan menang cabutan bertuah tetapi perlu bayar cukai dahulu.",
            "sextortion": "Saya diugut video peribadi saya akan disebarkan jika tidak bayar.",
            "malware_apk": "Saya diminta pasang aplikasi APK, selepas itu duit saya hilang.",
            "account_takeover": "Akaun WhatsApp saya digodam dan dia pinjam duit daripada kawan-kawan saya.",
            "other": "Saya ditipu oleh orang yang tidak dikenali.",
        },
        "date": "Kejadian pada {date}.",
        "contact": "Suspek hubungi saya melalui {channel}, nombor telefon {phone}.",
        "handle": "Dia guna {handle}.",
        "page": "Saya nampak iklan di {url}.",
        "link": "Saya diminta daftar di laman {url}.",
        "bank": "Saya pindahkan {amount} ke akaun {bank} {account} atas nama {holder}.",
        "ewallet": "Saya hantar {amount} melalui {wallet} {number}.",
        "crypto": "Saya diminta deposit USDT {amount} ke alamat {wallet}.",
        "email": "E-mel datang dari {email}.",
        "otp": "Dia minta kod TAC {otp}.",
        "site": "Saya semak di {site} dan pihak bank sahkan ia penipuan.",
        "hotline": "Saya hubungi talian rasmi {hotline} untuk pengesahan.",
        "end": (
            "Sekarang dia tidak dapat dihubungi.",
            "Mohon bantuan pihak polis.",
            "Wang saya belum dipulangkan.",
        ),
        "call": "panggilan telefon",
    },
    "en": {
        _I: {
            "investment": "I was invited to a crypto trading group promising 20% returns a week.",
            "job_task": "Someone messaged me about a part-time job rating products for commission.",
            "romance": "I met a man on a dating app; after a few weeks he asked me for money for an emergency.",
            "impersonation_official": "A caller claimed to be from the police and said my identity was used in a money laundering case.",
            "impersonation_business": "Someone pretending to be from my bank said my card would be suspended.",
            "phishing_credentials": "I received a message with a link asking me to update my banking details.",
            "ecommerce": "I bought an item from an online seller, paid, and never received it.",
            "loan_app": "I borrowed from a loan app and they harassed me and my contacts for much more.",
            "lottery_prize": "They told me I had won a lucky draw but had to pay a processing fee first.",
            "sextortion": "They threatened to share private videos unless I paid.",
            "malware_apk": "They asked me to install an app (APK) and then money disappeared from my savings.",
            "account_takeover": "My WhatsApp was taken over and they asked my friends for money.",
            "other": "I was cheated by someone I did not know.",
        },
        "date": "This happened on {date}.",
        "contact": "They contacted me on {channel}, phone {phone}.",
        "handle": "Their agent uses {handle}.",
        "page": "I found them at {url}.",
        "link": "They asked me to register at {url}.",
        "bank": "I transferred {amount} to {bank} account number {account} in the name of {holder}.",
        "ewallet": "I sent {amount} via {wallet} {number}.",
        "crypto": "They asked me to deposit USDT {amount} to the wallet {wallet}.",
        "email": "The email came from {email}.",
        "otp": "They asked for the OTP {otp} sent to my phone.",
        "site": "I checked {site} and they confirmed it was not them.",
        "hotline": "I called the official hotline {hotline} and they confirmed it was a scam.",
        "end": (
            "Now they cannot be reached.",
            "Please help me get my money back.",
            "I reported it to my bank too.",
        ),
        "call": "a phone call",
    },
    "tl": {
        _I: {
            "investment": "Inalok ako ng investment sa crypto na may tubong 20% kada linggo.",
            "job_task": "May nag-message sa akin na may part-time job daw, mag-like lang ng mga video at may komisyon.",
            "romance": "May nakilala akong lalaki sa Facebook, tapos nanghingi siya ng pera.",
            "impersonation_official": "May tumawag na nagpakilalang pulis at sinabing sangkot daw ako sa kaso.",
            "impersonation_business": "May nagpanggap na taga-bangko at sinabing ma-lo-lock daw ang card ko.",
            "phishing_credentials": "Nakatanggap ako ng mensahe na may link para i-verify daw ang detalye ko.",
            "ecommerce": "Bumili ako online, nagbayad na ako pero hindi dumating ang item.",
            "loan_app": "Nangutang ako sa isang lending app, tapos hinaras nila ako at mga kakilala ko.",
            "lottery_prize": "Sinabi nilang nanalo ako sa raffle pero kailangan ko munang magbayad ng fee.",
            "sextortion": "Tinakot nila ako na ikakalat ang pribadong video ko kung hindi ako magbabayad.",
            "malware_apk": "Pinag-install nila ako ng app, tapos nawala ang ipon ko.",
            "account_takeover": "Na-hack ang Facebook ko at nangutang sila sa mga kaibigan ko.",
            "other": "Naloko ako ng taong hindi ko kilala.",
        },
        "date": "Nangyari ito noong {date}.",
        "contact": "Kinontak nila ako sa {channel}, numero {phone}.",
        "handle": "Ang contact nila ay {handle}.",
        "page": "Nakita ko sila sa {url}.",
        "link": "Pinag-register nila ako sa {url}.",
        "bank": "Nagpadala ako ng {amount} sa {bank} account no. {account} sa pangalan ni {holder}.",
        "ewallet": "Nag-send ako ng {amount} sa {wallet} {number}.",
        "crypto": "Pinadeposito nila ako ng USDT {amount} sa wallet address na {wallet}.",
        "email": "Galing ang email sa {email}.",
        "otp": "Hiningi rin nila ang OTP {otp} ko.",
        "site": "Nag-check ako sa {site} at hindi raw sa kanila galing.",
        "hotline": "Tumawag ako sa hotline {hotline} at sinabing scam ito.",
        "end": (
            "Hindi na sila ma-contact ngayon.",
            "Sana po matulungan ninyo ako.",
            "Wala pa pong naibabalik na pera.",
        ),
        "call": "tawag",
    },
    "th": {
        _I: {
            "investment": "มีคนชวนลงทุนเทรดคริปโต อ้างว่าได้ผลตอบแทนสูงมาก",
            "job_task": "ได้รับข้อความชวนทำงานออนไลน์ กดไลก์สินค้าแล้วได้ค่าคอมมิชชั่น",
            "romance": "รู้จักผู้ชายคนหนึ่งทางเฟซบุ๊ก คุยกันจนสนิทแล้วเขาขอยืมเงิน",
            "impersonation_official": "มีคนโทรมาอ้างว่าเป็นเจ้าหน้าที่ตำรวจ บอกว่าฉันพัวพันกับการฟอกเงิน",
            "impersonation_business": "มีคนแอบอ้างเป็นพนักงานบริษัทขนส่ง แจ้งว่าพัสดุมีปัญหา",
            "phishing_credentials": "ได้รับข้อความให้กดลิงก์เพื่อยืนยันตัวตนกับธนาคาร",
            "ecommerce": "สั่งซื้อสินค้าจากเพจออนไลน์ โอนเงินแล้วแต่ไม่ได้รับของ",
            "loan_app": "กู้เงินผ่านแอปแล้วถูกข่มขู่ให้จ่ายดอกเบี้ยสูงมาก",
            "lottery_prize": "มีคนแจ้งว่าฉันถูกรางวัล แต่ต้องจ่ายค่าธรรมเนียมก่อน",
            "sextortion": "มีคนข่มขู่ว่าจะปล่อยคลิปส่วนตัวถ้าไม่โอนเงิน",
            "malware_apk": "เขาให้ติดตั้งแอปในมือถือ แล้วเงินเก็บของฉันหายไป",
            "account_takeover": "ไลน์ของฉันถูกแฮก แล้วมีคนยืมเงินเพื่อนของฉัน",
            "other": "ฉันถูกคนที่ไม่รู้จักหลอกลวง",
        },
        "date": "เกิดเหตุวันที่ {date}",
        "contact": "ติดต่อมาทาง {channel} เบอร์ {phone}",
        "handle": "ให้แอดไปที่ {handle}",
        "page": "เห็นโฆษณาที่ {url}",
        "link": "ส่งลิงก์ {url} ให้สมัครสมาชิก",
        "bank": "ฉันโอนเงิน {amount} เข้าบัญชี {bank} {account} ชื่อ {holder}",
        "ewallet": "โอนผ่าน {wallet} {number} จำนวน {amount}",
        "crypto": "ให้โอน USDT {amount} ไปที่กระเป๋า {wallet}",
        "email": "อีเมลมาจาก {email}",
        "otp": "เขาขอรหัส OTP {otp} จากฉัน",
        "site": "ฉันเช็กที่ {site} แล้ว ไม่ใช่ของจริง",
        "hotline": "ฉันโทรไปที่คอลเซ็นเตอร์ {hotline} เขาบอกว่าเป็นมิจฉาชีพ",
        "end": ("ตอนนี้ติดต่อไม่ได้แล้ว", "ขอให้ช่วยติดตามเงินคืนด้วย", "ตอนนี้เขาบล็อกฉันไปแล้ว"),
        "call": "โทรศัพท์",
    },
    "vi": {
        _I: {
            "investment": "Tôi được mời đầu tư tiền ảo, hứa hẹn lợi nhuận 30% mỗi tháng.",
            "job_task": "Có người nhắn tin mời làm cộng tác viên online, làm nhiệm vụ để nhận hoa hồng.",
            "romance": "Tôi quen một người đàn ông qua Facebook, sau đó anh ta hỏi vay tiền.",
            "impersonation_official": "Có người gọi điện tự xưng là công an, nói tôi liên quan đến đường dây rửa tiền.",
            "impersonation_business": "Có người giả danh nhân viên ngân hàng, nói thẻ của tôi bị khóa.",
            "phishing_credentials": "Tôi nhận được tin nhắn yêu cầu bấm vào đường link để xác thực thông tin.",
            "ecommerce": "Tôi đặt mua hàng trên mạng, đã thanh toán nhưng không nhận được hàng.",
            "loan_app": "Tôi vay tiền qua ứng dụng rồi bị đe dọa, đòi trả lãi rất cao.",
            "lottery_prize": "Họ báo tôi trúng thưởng nhưng phải đóng phí trước.",
            "sextortion": "Họ đe dọa tung video riêng tư nếu tôi không chuyển tiền.",
            "malware_apk": "Họ bảo tôi cài ứng dụng vào điện thoại, sau đó tiền tiết kiệm bị mất.",
            "account_takeover": "Zalo của tôi bị chiếm, kẻ gian nhắn tin vay tiền bạn bè.",
            "other": "Tôi bị một người lạ lừa đảo.",
        },
        "date": "Sự việc xảy ra ngày {date}.",
        "contact": "Họ liên hệ qua {channel}, SĐT {phone}.",
        "handle": "Họ dùng {handle}.",
        "page": "Tôi thấy quảng cáo ở {url}.",
        "link": "Họ gửi đường link {url} để đăng ký.",
        "bank": "Tôi đã chuyển {amount} vào tài khoản {bank} {account} chủ tài khoản {holder}.",
        "ewallet": "Tôi chuyển {amount} qua {wallet} {number}.",
        "crypto": "Họ yêu cầu nạp USDT {amount} vào ví {wallet}.",
        "email": "Email gửi từ {email}.",
        "otp": "Họ hỏi mã OTP {otp}.",
        "site": "Tôi đã kiểm tra trên {site}, không phải của họ.",
        "hotline": "Tôi gọi tổng đài chính thức {hotline} và được xác nhận là lừa đảo.",
        "end": (
            "Bây giờ không liên lạc được nữa.",
            "Mong cơ quan chức năng giúp đỡ.",
            "Tôi chưa lấy lại được tiền.",
        ),
        "call": "điện thoại",
    },
    "km": {
        _I: {
            "investment": "ខ្ញុំត្រូវបានគេបញ្ឆោតឱ្យវិនិយោគលើគ្រីបតូ ដោយសន្យាថានឹងទទួលបានប្រាក់ចំណេញខ្ពស់ ។",
            "job_task": "មានគេផ្ញើសារមកផ្តល់ការងារធ្វើពីផ្ទះ ដើម្បីរកលុយ ។",
            "romance": "ខ្ញុំស្គាល់បុរសម្នាក់តាមហ្វេសប៊ុក គាត់និយាយថាស្រលាញ់ខ្ញុំ ហើយសុំលុយ ។",
            "impersonation_official": "មានគេតេមកអះអាងថាជាប៉ូលីស ហើយថាខ្ញុំពាក់ព័ន្ធនឹងការលាងលុយ ។",
            "phishing_credentials": "ខ្ញុំទទួលបានសារឱ្យចុចតំណដើម្បីផ្ទៀងផ្ទាត់ព័ត៌មាន ។",
            "ecommerce": "ខ្ញុំបានទិញទំនិញតាមអនឡាញ បង់លុយហើយ តែមិនទទួលបានទំនិញទេ ។",
            "loan_app": "ខ្ញុំខ្ចីលុយតាមកម្មវិធី ហើយពួកគេគំរាមខ្ញុំ ។",
            "lottery_prize": "គេប្រាប់ថាខ្ញុំឈ្នះរង្វាន់ ប៉ុន្តែត្រូវបង់ថ្លៃសេវាមុន ។",
            "other": "ខ្ញុំត្រូវបានគេបោកប្រាស់ ។",
        },
        "date": "ហេតុការណ៍កើតឡើងថ្ងៃទី {date} ។",
        "contact": "ពួកគេទាក់ទងខ្ញុំតាម {channel} លេខទូរស័ព្ទ {phone} ។",
        "handle": "ពួកគេប្រើ {handle} ។",
        "page": "ខ្ញុំឃើញការផ្សាយនៅ {url} ។",
        "link": "គេផ្ញើតំណ {url} ឱ្យខ្ញុំចុះឈ្មោះ ។",
        "bank": "ខ្ញុំបានផ្ទេរប្រាក់ {amount} ទៅគណនី {bank} {account} ឈ្មោះ {holder} ។",
        "ewallet": "ខ្ញុំបានផ្ញើ {amount} តាម {wallet} {number} ។",
        "crypto": "គេឱ្យខ្ញុំផ្ញើ USDT {amount} ទៅអាសយដ្ឋាន {wallet} ។",
        "email": "អ៊ីមែលមកពី {email} ។",
        "otp": "គេសុំលេខកូដ OTP {otp} ពីខ្ញុំ ។",
        "site": "ខ្ញុំបានពិនិត្យ {site} ហើយវាមិនមែនជារបស់ពួកគេទេ ។",
        "hotline": "ខ្ញុំបានទូរស័ព្ទទៅលេខផ្លូវការ {hotline} ។",
        "end": ("ឥឡូវនេះខ្ញុំមិនអាចទាក់ទងពួកគេបានទេ ។", "សូមជួយខ្ញុំផង ។"),
        "call": "ទូរស័ព្ទ",
    },
    "my": {
        _I: {
            "investment": "ငွေများများရမယ်ဆိုပြီး crypto ရင်းနှီးမြှုပ်နှံဖို့ လိမ်လည်ခံရပါတယ်။",
            "job_task": "အိမ်ကနေအလုပ်လုပ်ပြီး ပိုက်ဆံရမယ်ဆိုတဲ့ အလုပ်ကမ်းလှမ်းချက် ရခဲ့ပါတယ်။",
            "romance": "Facebook ကနေ သိတဲ့လူတစ်ယောက်က ချစ်တယ်ပြောပြီး ပိုက်ဆံတောင်းပါတယ်။",
            "impersonation_official": "ရဲအရာရှိလို့ ပြောပြီး ဆက်သွယ်လာပါတယ်။",
            "phishing_credentials": "အချက်အလက် အတည်ပြုဖို့ လင့်ခ်ကို နှိပ်ခိုင်းတဲ့ စာ ရခဲ့ပါတယ်။",
            "ecommerce": "အွန်လိုင်းမှာ ပစ္စည်းဝယ်ပြီး ငွေလွှဲပေမယ့် ပစ္စည်းမရပါဘူး။",
            "loan_app": "App ကနေ ချေးငွေယူပြီး ခြိမ်းခြောက်ခံရပါတယ်။",
            "lottery_prize": "ဆုကြီးပေါက်တယ်ဆိုပြီး အခကြေးငွေ အရင်ပေးခိုင်းပါတယ်။",
            "other": "မသိတဲ့လူတစ်ယောက်က လိမ်လည်ခဲ့ပါတယ်။",
        },
        "date": "{date} နေ့က ဖြစ်ခဲ့ပါတယ်။",
        "contact": "သူတို့က {channel} ဖုန်း {phone} နဲ့ ဆက်သွယ်ပါတယ်။",
        "handle": "သူတို့ {handle} ကို သုံးပါတယ်။",
        "page": "{url} မှာ ကြော်ငြာ တွေ့ခဲ့ပါတယ်။",
        "link": "{url} လင့်ခ်မှာ စာရင်းသွင်းခိုင်းပါတယ်။",
        "bank": "{bank} ဘဏ်စာရင်း {account} ( {holder} ) ကို {amount} လွှဲခဲ့ပါတယ်။",
        "ewallet": "{wallet} {number} ကို {amount} ပို့ခဲ့ပါတယ်။",
        "crypto": "USDT {amount} ကို {wallet} လိပ်စာသို့ ပို့ခဲ့ပါတယ်။",
        "email": "{email} က အီးမေးလ် ပို့ပါတယ်။",
        "otp": "OTP ကုဒ် {otp} ကို တောင်းပါတယ်။",
        "site": "{site} မှာ စစ်ကြည့်တော့ သူတို့ မဟုတ်ပါဘူး။",
        "hotline": "တရားဝင် ဖုန်း {hotline} ကို ဆက်ပြီး မေးခဲ့ပါတယ်။",
        "end": ("အခု သူတို့ကို ဆက်သွယ်လို့ မရတော့ပါဘူး။", "ကူညီပေးပါ။"),
        "call": "ဖုန်း",
    },
    "lo": {
        _I: {
            "investment": "ຂ້ອຍຖືກຫຼອກໃຫ້ລົງທຶນໃນຄຣິບໂຕ ໂດຍສັນຍາວ່າຈະໄດ້ກຳໄລສູງ.",
            "job_task": "ມີຄົນສົ່ງຂໍ້ຄວາມມາສະເໜີວຽກເຮັດຢູ່ເຮືອນ ໃຫ້ກົດໄລຄ໌ແລ້ວໄດ້ເງິນ.",
            "romance": "ຂ້ອຍຮູ້ຈັກຜູ້ຊາຍຄົນໜຶ່ງທາງເຟສບຸກ ລາວບອກວ່າຮັກຂ້ອຍແລ້ວຂໍເງິນ.",
            "impersonation_official": "ມີຄົນຕິດຕໍ່ມາອ້າງວ່າເປັນຕຳຫຼວດ.",
            "phishing_credentials": "ຂ້ອຍໄດ້ຮັບຂໍ້ຄວາມໃຫ້ກົດລິ້ງເພື່ອຢືນຢັນຂໍ້ມູນ.",
            "ecommerce": "ຂ້ອຍຊື້ເຄື່ອງທາງອອນລາຍ ໂອນເງິນແລ້ວແຕ່ບໍ່ໄດ້ຮັບເຄື່ອງ.",
            "loan_app": "ຂ້ອຍກູ້ເງິນຜ່ານແອັບ ແລ້ວຖືກຂົ່ມຂູ່.",
            "lottery_prize": "ເຂົາບອກວ່າຂ້ອຍຖືກລາງວັນ ແຕ່ຕ້ອງຈ່າຍຄ່າທຳນຽມກ່ອນ.",
            "other": "ຂ້ອຍຖືກຄົນທີ່ບໍ່ຮູ້ຈັກຫຼອກລວງ.",
        },
        "date": "ເຫດການເກີດຂຶ້ນວັນທີ {date}.",
        "contact": "ເຂົາຕິດຕໍ່ຂ້ອຍທາງ {channel} ເບີໂທ {phone}.",
        "handle": "ເຂົາໃຊ້ {handle}.",
        "page": "ຂ້ອຍເຫັນໂຄສະນາຢູ່ {url}.",
        "link": "ເຂົາສົ່ງລິ້ງ {url} ໃຫ້ລົງທະບຽນ.",
        "bank": "ຂ້ອຍໂອນເງິນ {amount} ເຂົ້າບັນຊີ {bank} {account} ຊື່ {holder}.",
        "ewallet": "ຂ້ອຍສົ່ງ {amount} ຜ່ານ {wallet} {number}.",
        "crypto": "ເຂົາໃຫ້ສົ່ງ USDT {amount} ໄປທີ່ {wallet}.",
        "email": "ອີເມວມາຈາກ {email}.",
        "otp": "ເຂົາຂໍລະຫັດ OTP {otp}.",
        "site": "ຂ້ອຍກວດເບິ່ງ {site} ແລ້ວ ບໍ່ແມ່ນຂອງແທ້.",
        "hotline": "ຂ້ອຍໂທຫາເບີທາງການ {hotline}.",
        "end": ("ດຽວນີ້ຕິດຕໍ່ເຂົາບໍ່ໄດ້ແລ້ວ.", "ກະລຸນາຊ່ວຍຂ້ອຍແດ່."),
        "call": "ໂທລະສັບ",
    },
}

# Account holders and victims, by country (Latin script except where banks print local).
NAMES: dict[str, tuple[str, ...]] = {
    "ID": ("Budi Santoso", "Siti Rahmawati", "Agus Saputra", "Dewi Lestari", "Rina Wijaya",
           "Andi Pratama", "Joko Susilo", "Putri Hidayat", "Wahyu Nugroho", "Fitri Kurniawati"),
    "MY": ("Ahmad Faizal bin Ismail", "Nurul Aina binti Hassan", "Tan Wei Ming", "Lim Mei Ling",
           "Muhammad Hafiz", "Siti Aisyah", "Wong Kah Seng", "Raj Kumar a/l Subramaniam"),
    "SG": ("Tan Jun Wei", "Lim Hui Min", "Muhammad Irfan", "Priya Nair", "Ong Kai Xiang",
           "Chua Li Ting"),
    "TH": ("สมชาย ใจดี", "สุดารัตน์ แก้วมณี", "Somchai Jaidee", "Nattapong Srisuk",
           "Kanokwan Boonmee", "อนุชา ทองดี"),
    "VN": ("Nguyễn Văn An", "Trần Thị Mai", "Lê Hoàng Nam", "Phạm Thu Hà", "Võ Minh Tuấn",
           "Đặng Thị Lan"),
    "PH": ("Juan Dela Cruz", "Maria Santos", "Jose Reyes", "Ana Garcia", "Mark Villanueva",
           "Kristine Bautista"),
    "KH": ("Sok Dara", "Chan Sophea", "Kim Rithy", "Heng Sreymom", "Vann Sokha"),
    "MM": ("Aung Ko Ko", "Thiri Htun", "Zaw Min Oo", "Nilar Win", "Kyaw Zin Thant"),
    "LA": ("Somphone Vongsa", "Keo Phommachan", "Bounmy Sisavath", "Noy Inthavong"),
    "BN": ("Hj Ahmad bin Hj Osman", "Nur Aqilah binti Rahman", "Lim Kok Leong", "Siti Hajar"),
}  # fmt: skip

# Reporting organisations of the demo: (name, type), by country; "" is region-wide.
ORGS: dict[str, tuple[tuple[str, str], ...]] = {
    "ID": (("Bareskrim Polri Siber (demo)", "police"), ("BCA Fraud Desk (demo)", "bank"),
           ("Telkomsel Fraud (demo)", "telco")),
    "MY": (("PDRM CCID (demo)", "police"), ("Maybank Fraud Operations (demo)", "bank")),
    "SG": (("SPF Anti-Scam Command (demo)", "police"), ("DBS Fraud Ops (demo)", "bank")),
    "TH": (("Royal Thai Police CCIB (demo)", "police"), ("Kasikornbank Fraud (demo)", "bank")),
    "VN": (("Bộ Công an A05 (demo)", "police"), ("Vietcombank Fraud (demo)", "bank")),
    "PH": (("PNP Anti-Cybercrime Group (demo)", "police"), ("GCash Fraud Team (demo)", "ewallet")),
    "KH": (("Cambodian Police Cybercrime (demo)", "police"), ("ABA Bank Fraud Desk (demo)", "bank")),
    "MM": (("Myanmar Police Cybercrime (demo)", "police"),),
    "LA": (("Lao Police Cybercrime (demo)", "police"),),
    "BN": (("RBPF Commercial Crime (demo)", "police"),),
    "": (("ScamWatch ASEAN volunteers (demo)", "partner"),),
}  # fmt: skip
