"""normalize(): one typed value to its canonical indicator, or InvalidInput on field "q"."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from tangkal.errors import InvalidInput
from tangkal.report import normalize as normalize_module
from tangkal.report.normalize import ASEAN, KINDS, _parse_phone, normalize

CASES = [
    # (value, kind given, country, expected kind, expected value, attributes subset)
    ("0812-3456-7890", None, "ID", "phone", "+6281234567890", {"country": "ID"}),
    ("+62 812 3456 7890", "phone", None, "phone", "+6281234567890", {"country": "ID"}),
    ("o812.3456.7890", "phone", "ID", "phone", "+6281234567890", {}),
    ("8123 4567", "phone", "SG", "phone", "+6581234567", {"country": "SG"}),
    ("09171234567", None, None, "phone", "+639171234567", {"country": "PH"}),
    (
        "hxxps://BCA-Verify[.]top:443/login#x",
        None,
        None,
        "url",
        "https://bca-verify.top/login",
        {"registered_domain": "bca-verify.top"},
    ),
    ("www.example.co.id/a?b=1", None, None, "url", "http://www.example.co.id/a?b=1", {}),
    ("bca-verify[.]top", None, None, "domain", "bca-verify.top", {}),
    ("login.maybank2u.com.my.secure-id.xyz", "domain", None, "domain", "secure-id.xyz", {}),
    ("https://login.example.com/x", "domain", None, "domain", "example.com", {}),
    ("Support@Crypto-Win.IO", None, None, "email", "support@crypto-win.io", {}),
    ("1234-5678-90", "bank_account", "ID", "bank_account", "1234567890", {"country": "ID"}),
    ("BCA 1234567890", None, None, "bank_account", "1234567890", {"bank": "BCA", "country": "ID"}),
    ("vietcombank: 0123456789012", None, None, "bank_account", "0123456789012", {"bank": "VCB"}),
    ("GCash 0917 123 4567", None, None, "ewallet", "+639171234567", {"provider": "GCASH"}),
    ("dana:081312345678", None, None, "ewallet", "+6281312345678", {"provider": "DANA"}),
    ("0917 123 4567", "ewallet", "PH", "ewallet", "+639171234567", {}),
    (
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        None,
        None,
        "crypto_wallet",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        {"chain": "bitcoin"},
    ),
    (
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        None,
        None,
        "crypto_wallet",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        {"chain": "evm"},
    ),
    (
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        "crypto_wallet",
        None,
        "crypto_wallet",
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        {"chain": "tron"},
    ),
    (
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        None,
        None,
        "crypto_wallet",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        {},
    ),
    ("telegram:@CryptoKing88", None, None, "social_handle", "telegram:cryptoking88", {}),
    ("TG: boss_1", None, None, "social_handle", "telegram:boss_1", {}),
    (
        "https://t.me/CryptoKing88",
        "social_handle",
        None,
        "social_handle",
        "telegram:cryptoking88",
        {},
    ),
    ("line.me/ti/p/~abc123", "social_handle", None, "social_handle", "line:abc123", {}),
    (
        "https://t.me/CryptoKing88",
        None,
        None,
        "url",
        "https://t.me/CryptoKing88",
        {"registered_domain": "t.me"},
    ),
]


@pytest.mark.parametrize(("value", "kind", "country", "want_kind", "want", "attrs"), CASES)
def test_normalize(
    value: str,
    kind: str | None,
    country: str | None,
    want_kind: str,
    want: str,
    attrs: dict[str, str],
) -> None:
    found = normalize(value, kind, country)
    assert (found.kind, found.value) == (want_kind, want)
    assert attrs.items() <= found.attributes.items()
    assert found.raw == value.strip()


ROLES = {
    "phone": "contact",
    "url": "link",
    "domain": "link",
    "email": "contact",
    "bank_account": "payee",
    "ewallet": "payee",
    "crypto_wallet": "wallet",
    "social_handle": "contact",
}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_roles_follow_the_kind(
    case: tuple[str, str | None, str | None, str, str, dict[str, str]],
) -> None:
    found = normalize(case[0], case[1], case[2])
    assert found.role == ROLES[found.kind]
    assert set(ROLES) == set(KINDS)


RUBBISH = [
    (None, ""),
    (None, "   "),
    (None, "hello world"),
    (None, "😀"),
    (None, "@cryptoking88"),  # which platform?
    (None, "x" * 3000),
    (None, "\x00\xff"),
    ("phone", "12345"),
    ("phone", "not a number"),
    ("phone", "+99 123 456"),
    ("url", "http://localhost/admin"),
    ("url", "javascript:alert(1)"),
    ("domain", "setup.apk"),
    ("email", "someone@localhost"),
    ("email", "no-at-sign.com"),
    ("bank_account", "12345"),
    ("bank_account", "abc123456789"),
    ("bank_account", "NoSuchBank 1234567890"),
    ("crypto_wallet", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),
    ("crypto_wallet", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
    ("crypto_wallet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"),
    ("social_handle", "myspace:someone"),
    ("social_handle", "https://instagram.com/p/xyz"),
    ("ewallet", "GCash !!!"),
]


@pytest.mark.parametrize(("kind", "value"), RUBBISH)
def test_rubbish_raises_invalid_input_on_q(kind: str | None, value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize(value, kind)
    assert caught.value.field == "q"


def test_unknown_kind_names_the_kind_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize("0812-3456-7890", "fax")
    assert caught.value.field == "kind"


def test_a_hinted_number_is_read_in_the_hinted_country_then_its_neighbours() -> None:
    # A Thai mobile checked with a Lao hint: Thailand's plan before Indonesia's.
    assert normalize("081 234 5670", "phone", "LA").value == "+66812345670"
    # Without its trunk "0", a number is national only to the hinted country (or written
    # with the other country's calling code): no Surabaya landline for a Philippine hint.
    with pytest.raises(InvalidInput):
        normalize("3119 2077 45", "phone", "PH")
    assert normalize("62 812 3456 7890", "phone", "PH").value == "+6281234567890"
    assert normalize("3119 2077 45", "phone", "ID").value == "+623119207745"


def _phonenumbers_says(number: str, region: str) -> tuple[str, str] | None:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.region_code_for_number(parsed) or region


def test_national_numbers_are_validated_exactly_as_phonenumbers_does() -> None:
    """The trunk-"0" shortcut answers as parse + is_valid_number + format_number would,
    on each type's example number and near misses (a digit changed, added or dropped)."""
    rng = random.Random(2)
    checked = valid = 0
    for region in ASEAN:
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            nsn = phonenumbers.national_significant_number(example)
            for _ in range(60):
                digits = list(nsn)
                for _ in range(rng.randrange(3)):
                    digits[rng.randrange(len(digits))] = rng.choice("0123456789")
                if rng.random() < 0.3:
                    digits.insert(rng.randrange(len(digits)), rng.choice("0123456789"))
                number = "0" + "".join(digits)
                got = _parse_phone.__wrapped__(number, region)
                assert got == _phonenumbers_says(number, region), (number, region)
                checked += 1
                valid += got is not None
    assert checked > 3000 and valid > 500


PLAIN_URLS = [
    "http://bca-verify.top/login",
    "https://A.COM./x?#",
    "http://a.com?x=1",
    "http://a.com#frag?q=1",
    "http://a.com/x?a=1#b?c",
    "http://a.com/x?",
    "ftp://a.b.co.uk//x//y?q=#z",
    "HTTP://Shop_1.Example.com/%7Euser/(x)[y]{z}\\w@v",
    "http://a..com/",
    "http://-.com/",
    "http://a.com:80/x",
    "http://a.com:/x",
    "http://user:pw@a.com/x",
    "http://[::1]/x",
    "http://a.com/ x",
    "http://a.com/\tx",
    "http://bücher.de/x",
    "http://a.com/ü",
    "mailto://a.com/x",
    "1ab://a.com/x",
    "http://" + "a" * 64 + ".com/",
    "http://a.com" + "/x" * 500,
]


@pytest.mark.parametrize("text", PLAIN_URLS)
def test_plain_split_agrees_with_urlsplit(text: str) -> None:
    """The plain-link shortcut reads a URL exactly as ``urlsplit`` does, or leaves it."""
    plain = normalize_module._split_plain(text)
    if plain is not None:
        general = normalize_module._split(text)
        assert general is not None
        assert (general[0].lower(), *general[1:]) == plain


def test_plain_split_agrees_on_random_links() -> None:
    """Random printable-ASCII links: whenever the shortcut answers, urlsplit agrees."""
    rng = random.Random(5)
    alphabet = "aZ09-._/?#:@[]%~!$&'()*+,;=\\ \t\"<>^`{|}" + "é"
    answered = 0
    for _ in range(20_000):
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20)))
        host = rng.choice(["", "a.com", "B-x.co.id", "a_b.top.", "a..b"])
        text = rng.choice(["http://", "HTTPS://", "ftp://", "hxxp://", "x://"]) + host + tail
        plain = normalize_module._split_plain(text)
        if plain is not None:
            answered += 1
            general = normalize_module._split(text)
            assert general is not None
            assert (general[0].lower(), *general[1:]) == plain, text
    assert answered > 1_000


def test_plain_e164_matches_the_region_pattern_test_it_replaces() -> None:
    """``_plain_e164`` (one regular expression) against ``_asean_e164`` (a pattern per
    region), and ``canonical`` of such values against ``normalize``: every ASEAN calling
    code, valid and invalid national numbers of every length, non-ASCII digits."""
    rng = random.Random(5)
    codes = [*normalize_module._CALLING_CODES, "1", "44", "86", "67", "85", "9"]
    texts = ["+", "+6", "+62", "+٦٢٨١٢٣٤٥٦٧٨٩", "+62８12345678", "+62 812345678"]
    for _ in range(60_000):
        code = rng.choice(codes)
        texts.append("+" + code + "".join(rng.choices("0123456789", k=rng.randrange(4, 14))))
    for region in ASEAN:  # valid numbers of every type the region has
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                texts.append(
                    phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
                )
    found = 0
    for text in texts:
        digits = text[1:]
        old = None
        if 7 <= len(digits) <= 15 and digits.isdigit() and text.isascii():
            old = normalize_module._asean_e164(digits)
        new = normalize_module._plain_e164(text)
        assert (new.value, new.attributes["country"]) == old if new else old is None, text
        if new is not None:
            found += 1
            assert new == normalize(text) == normalize_module.canonical(text)
    assert found > 2_000  # about one in twenty-five random numbers is valid
