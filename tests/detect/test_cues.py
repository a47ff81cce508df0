"""The cue gate (run only patterns whose words occur) never changes which cues fire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tangkal.detect.corpus import read_messages
from tangkal.detect.cues import _gate_hits, _index, find_cues, find_cues_slow, prepare

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _codes(text: str, slow: bool) -> list[str]:
    prepared = prepare(text)
    return [hit.code for hit in (find_cues_slow if slow else find_cues)(prepared)]


def _fixture_texts() -> list[str]:
    scams = (FIXTURES / "scams.jsonl").read_text("utf-8").splitlines()
    notices = (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines()
    data = [e.text for e in read_messages(FIXTURES / "data")]
    return [json.loads(line)["text"] for line in scams] + notices + data


def test_gate_matches_reference_on_fixtures() -> None:
    for text in _fixture_texts():
        assert _codes(text, slow=False) == _codes(text, slow=True), text


@pytest.mark.skipif(not SHARED.is_dir(), reason="optional extra: ../shared/data not present")
def test_gate_matches_reference_on_shared_data() -> None:
    """Optional extra check over every training message when ../shared/data exists."""
    for example in read_messages(SHARED):
        assert _codes(example.text, False) == _codes(example.text, True), example.text[:80]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ตำรวจแจ้งว่าบัญชีของคุณเกี่ยวข้องกับคดี", "official_threat"),  # Thai AM
        ("รับประกันกำไรสูงทุกวัน", "promises_high_returns"),
        ("ກະລຸນາໂອນຄ່າທຳນຽມ 500,000 ກີບ", "asks_transfer_money"),  # Lao AM
        ("ນີ້ແມ່ນເບີໃໝ່ຂອງແມ່", "family_emergency"),  # Lao HO-MO ligature
    ],
)
def test_patterns_typed_with_characters_nfkc_decomposes_still_match(text: str, code: str) -> None:
    """Texts are read NFKC-normalised; a pattern typed with ำ / ຳ / ໝ must match them."""
    assert code in _codes(text, slow=False)
    assert code in _codes(text, slow=True)


def _plain_ends(text: str, strings: list[str]) -> dict[int, list[int]]:
    """First and last end (inclusive, in characters) of each string, by ``str.find``."""
    ends: dict[int, list[int]] = {}
    for number, string in enumerate(strings):
        at = text.find(string)
        while at >= 0:
            end = at + len(string) - 1
            ends.setdefault(number, [end, end])[1] = end
            at = text.find(string, at + 1)
    return ends


def test_gate_finds_each_string_where_a_plain_search_does() -> None:
    """Hyperscan reads UTF-8 bytes; its byte offsets must become the same character offsets."""
    index = _index()
    strings = list(index.strings)
    texts = [prepare(text) for text in _fixture_texts()]
    texts += ["ตำรวจ ตำรวจ 🙂 transfer\ud800 transfer", "", "ạ" * 40 + " rekening"]
    for text in texts:
        assert _gate_hits(text, index) == _plain_ends(text, strings), text
