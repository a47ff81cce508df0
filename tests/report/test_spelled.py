"""Phone numbers spelled out in words are read; everyday number words are not."""

from __future__ import annotations

import pytest

from tangkal.report.extract import extract
from tangkal.report.spelled import spelled_numbers


@pytest.mark.parametrize(
    ("text", "country", "phone"),
    [
        (
            "Hub. ibu Ratih di WA nol delapan lima dua - satu satu empat tujuh - tiga nol dua sembilan",
            "ID",
            "+6285211473029",
        ),
        (
            "Mesej saya kosong satu dua, tiga empat lima, enam tujuh lapan sembilan",
            "MY",
            "+60123456789",
        ),
        (
            "text mo ako sa zero nine one seven, double six two, four four one two",
            "PH",
            "+639176624412",
        ),
        (
            "Tawagan mo ako: sero siyam isa pito anim anim dalawa apat apat isa dalawa",
            "PH",
            "+639176624412",
        ),
        ("gọi em số không chín bảy hai, năm một tám, bốn bốn ba nha", "VN", "+84972518443"),
        ("goi em so khong chin bay hai nam mot tam bon bon ba", "VN", "+84972518443"),
        ("KHÔNG CHÍN BẢY HAI NĂM MỘT TÁM BỐN BỐN BA", "VN", "+84972518443"),
        ("โทรหาเราที่ ศูนย์แปดหนึ่ง สองสามสี่ ห้าหกเจ็ดแปด ได้เลย", "TH", "+66812345678"),
        ("ໂທ ສູນສອງສູນ ຫ້າຫ້າຫ້າສີ່ ສາມເຈັດແປດເກົ້າ", "LA", "+8562055543789"),
        ("WA 0812 tiga empat lima enam tujuh delapan sembilan", "ID", "+628123456789"),
    ],
)
def test_spelled_phone_is_read(text: str, country: str, phone: str) -> None:
    (found,) = [f for f in extract(text, country) if f.kind == "phone"]
    assert found.value == phone
    assert found.raw in text and found.raw == found.raw.strip()


def test_a_spelled_run_that_is_no_valid_number_gives_no_phone() -> None:
    text = "ໂທ ສູນສອງສູນ ຫ້າຫ້າ ສີ່ສາມ ເຈັດແປດເກົ້າ"  # 020 55 43 789: a digit short for Laos
    assert [digits for _, _, digits in spelled_numbers(text)] == ["0205543789"]
    assert [f for f in extract(text, "LA") if f.kind == "phone"] == []


@pytest.mark.parametrize(
    "text",
    [
        "I have one or two questions about the three options, five minutes max",
        "Hai ba năm nay tôi ở Hà Nội, một hai ba bốn",  # everyday Vietnamese: years, counting
        "Harga dua ratus lima puluh ribu, diskon tiga puluh persen, cuma satu hari",
        "Ada lima orang, dua anak, tiga dewasa, satu bayi",
        "Mga anim na tao, dalawa bata, tatlo matanda, isa sanggol",
        "oh no, one two three go! four five six seven eight nine ten",  # counting, then not a number
        "Tujuh belas Agustus tahun empat lima",
        "nine-to-five job, seven days, one month",
    ],
)
def test_everyday_number_words_are_not_phones(text: str) -> None:
    assert [f for f in extract(text, "ID") if f.kind == "phone"] == []


def test_written_digits_alone_are_left_to_the_number_pass() -> None:
    assert list(spelled_numbers("call 0812 3456 7890 or 0813 1111 2222")) == []


def test_a_run_needs_four_words_and_eight_digits() -> None:
    assert list(spelled_numbers("one two three 45678")) == []  # three words
    assert list(spelled_numbers("one two three four five six seven")) == []  # seven digits
    ((start, shown, digits),) = spelled_numbers("x one two three four five six seven eight y")
    assert (start, shown, digits) == (2, "one two three four five six seven eight", "12345678")
