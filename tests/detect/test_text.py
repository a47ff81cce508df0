"""The fast text helpers give exactly what their plain versions give, on every kind of text.

Scoring speed comes from byte tables, batch counting in numpy and skipped searches; each is
compared here with the straightforward code it replaced, so a difference shows up as a
failing test rather than as a changed probability.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tangkal.detect.cues import prepare
from tangkal.detect.text import (
    _URL,
    _VIETNAMESE,
    _has_known_tld,
    _unaccented_vietnamese,
    dominant_script,
    dominant_scripts,
    find_urls,
    model_language,
    normalise_folded,
    normalise_folded_slow,
)
from tangkal.report.demo import generate

FIXTURES = Path(__file__).parent / "fixtures"
_SCRIPT_SAMPLES = {
    "th": "โอนเงินด่วน ๑๒๓",
    "lo": "ສະບາຍດີ ໂອນເງິນ ໜ້າ ໍ",
    "my": "မင်္ဂလာပါ ငွေလွှဲ ၁၂",
    "km": "ជម្រាបសួរ ផ្ទេរប្រាក់ ១២",
    "vi": "chuyển tiền ngay, tài khoản bị khóa",
}


def _texts() -> list[str]:
    scams = [
        json.loads(line)["text"]
        for line in (FIXTURES / "scams.jsonl").read_text("utf-8").splitlines()
    ]
    notices = (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines()
    demo = [item.report["narrative"] for item in generate(600, seed=3)]
    rnd = random.Random(5)
    mixed = []
    for _ in range(300):  # scripts, digits, controls and links side by side
        parts = rnd.choices([*_SCRIPT_SAMPLES.values(), *scams, "x\x07\ufffd٣ ①", "a.B"], k=3)
        mixed.append(" ".join(parts))
    odd = ["", " ", "\x00\x1c\x1f\x85\u2028 ", "😀" * 5, "١٢٣ ٤٥٦ ๑๒๓ ０１", "\ud800 \udfff 12"]
    return scams + notices + demo + mixed + odd + list(_SCRIPT_SAMPLES.values())


def test_normalise_folded_equals_the_two_substitutions() -> None:
    texts = _texts() + [prepare(text) for text in _texts() if "\ud800" not in text]
    assert [normalise_folded(t) for t in texts] == [normalise_folded_slow(t) for t in texts]


@pytest.mark.parametrize("start", range(0, 0x110000, 0x10000))
def test_normalise_folded_equals_the_substitutions_for_every_code_point(start: int) -> None:
    text = "".join(f"a{chr(code)}9 " for code in range(start, start + 0x10000))
    assert normalise_folded(text) == normalise_folded_slow(text)


def test_dominant_scripts_counts_as_dominant_script() -> None:
    texts = _texts()
    thai, lao = "\u0e01", "\u0e81"
    texts += [
        thai * 3 + lao * 3,  # a tie goes to the first script, as ``max`` over the dict
        lao * 3 + thai * 2,
        thai * 2,
        "x" * 1999 + thai * 3,  # only the first 2,000 characters are counted
        "x" * 1997 + thai * 3,
        "\ud800" + thai * 3,
    ]
    expected = [dominant_script(text) for text in texts]
    assert dominant_scripts(texts) == expected
    assert dominant_scripts(texts[-3:]) == expected[-3:]  # the few-texts path
    assert {"thai", "lao", "myanmar", "khmer", "other"} <= set(expected)


def _model_language_before(text: str) -> str | None:
    """``model_language`` as it was, counting every Thai letter of the head."""
    if text.isascii():
        return "vi" if _unaccented_vietnamese(text) else None
    if len(re.findall("[\u0e00-\u0e7f]", text[:2000])) >= 3:
        return "th"
    if _VIETNAMESE.search(text) or _unaccented_vietnamese(text):
        return "vi"
    return None


def test_model_language_thai_rule_is_three_thai_letters_in_the_head() -> None:
    thai = "\u0e01"
    texts = [*_texts(), thai * 3, thai * 2, "x" * 1998 + thai * 3, f"{thai} x {thai} y {thai}"]
    texts += ["x" * 1997 + thai * 3]
    assert [model_language(t) for t in texts] == [_model_language_before(t) for t in texts]
    assert model_language("x" * 1997 + thai * 3) == "th"
    assert model_language("x" * 1998 + thai * 3) is None


def _find_urls_before(text: str, limit: int) -> list[str]:
    """``find_urls`` without the hint test that skips most dotted words."""
    found: list[str] = []
    for word in text.split():
        if "." not in word:
            continue
        for match in _URL.finditer(word):
            value = match.group(0).rstrip(".,;:!?)]}'\"")
            if "://" not in value and value[:4].lower() != "www." and not _has_known_tld(value):
                continue
            if "." in value and value not in found:
                found.append(value)
                if len(found) >= limit:
                    return found
    return found


def test_find_urls_hint_skips_no_link() -> None:
    words = [
        "done.",
        "a.B",
        "x.\u0130t",
        "x.\u017fite",
        "x.\u212aom",
        "www.1",
        "WWW.2",
        "http://1.2",
    ]
    words += ["ftp://x", "e.g.", "3.5", "bca.co.id.verify-login.top/x", "i.ll", "a..com", ".com"]
    texts = [*_texts(), " ".join(words), *words]
    texts += [prepare(text) for text in texts if "\ud800" not in text]
    for limit in (1, 3, 5):
        assert [find_urls(t, limit) for t in texts] == [_find_urls_before(t, limit) for t in texts]
