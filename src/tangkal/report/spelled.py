"""Phone numbers spelled out in words: "nol delapan lima dua …", "không chín bảy hai …".

Scammers write a number in words so that filters looking for digits miss it, and victims
copy such messages into their reports. Only runs of at least ``MIN_DIGITS`` digit words are
read: ordinary text never strings eight number words together, while "dua tiga" or "bay
hai" on their own are everyday words (Vietnamese "hai" is two, "ba" three or father, "năm"
five or year). A run may mix words and written digits ("0812 tiga empat …"), and English
and Malay/Indonesian "double"/"triple" repeat the next digit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

__all__ = ["MIN_DIGITS", "spelled_numbers"]

MIN_DIGITS = 8

# Digit words by language; one table, since a run is read whole and the words of the
# languages do not collide as digits (Indonesian and Tagalog "lima" are both five).
_WORDS: dict[str, str] = {}
for _digit, _names in enumerate(
    [
        # English, Indonesian/Malay, Tagalog, Vietnamese (with and without tones), Thai, Lao
        "zero oh nol kosong sero wala không khong ศูนย์ ສູນ",
        "one satu isa một mot หนึ่ง ໜຶ່ງ ຫນຶ່ງ",
        "two dua dalawa hai สอง ສອງ",
        "three tiga tatlo ba สาม ສາມ",
        "four empat apat bốn bon tư tu สี่ ສີ່",
        "five lima năm nam lăm lam ห้า ຫ້າ",
        "six enam anim sáu sau หก ຫົກ",
        "seven tujuh pito bảy bay bẩy เจ็ด ເຈັດ",
        "eight delapan lapan walo tám tam แปด ແປດ",
        "nine sembilan siyam chín chin เก้า ເກົ້າ",
    ]
):
    for _name in _names.split():
        _WORDS[_name] = str(_digit)
_REPEAT = {"double": 2, "triple": 3, "dobel": 2, "tripel": 3}


# One Aho-Corasick pass finds every digit word (a regex alternation of the 70 words tried at
# every position cost ~130 µs a demo narrative; the automaton a few). Latin and Vietnamese
# words must be whole words; Thai and Lao are written without spaces between words, so
# their digit words count where they stand.
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in [*_WORDS, *_REPEAT]:
        automaton.add_word(word, (len(word), word[0] < "\u0e00"))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _automaton()
# What may stand between two words of one run: a little punctuation, or written digits.
_GAP_RE = re.compile(r"[\s,.\-–/]{0,3}(?:\d+[\s,.\-–/]{0,3})*")
# Written digits just before or after a run of words belong to it ("0812 tiga empat …").
_BEFORE_RE = re.compile(r"(?:\d+[\s,.\-–/]{0,3})+$")
_AFTER_RE = re.compile(r"(?:[\s,.\-–/]{0,3}\d+)+")
_PART_RE = re.compile(r"\d+|[\u0e00-\u0eff]+|\w+")


def _words(lowered: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of each digit word, longest match first, no overlaps."""
    found: list[tuple[int, int, str]] = []
    for last, (size, latin) in _AUTOMATON.iter_long(lowered):
        start, end = last - size + 1, last + 1
        if latin and (
            (start > 0 and lowered[start - 1].isalnum())
            or (end < len(lowered) and lowered[end].isalnum())
        ):
            continue
        found.append((start, end, lowered[start:end]))
    return found


def spelled_numbers(text: str, lowered: str | None = None) -> Iterator[tuple[int, str, str]]:
    """``(start, as written, digits)`` of every run of at least ``MIN_DIGITS`` digits that
    spells at least four of them in words (a run of written digits alone is read by the
    ordinary number pass). ``lowered``: ``text`` lower-cased character by character, when
    the caller has it."""
    if lowered is None:
        lowered = text.lower()
        if len(lowered) != len(text):  # "İ" and a few others grow when lower-cased
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    words = _words(lowered)
    if len(words) < 4:
        return
    runs: list[list[tuple[int, int, str]]] = [[words[0]]]
    for word in words[1:]:
        previous_end = runs[-1][-1][1]
        if _GAP_RE.fullmatch(lowered, previous_end, word[0]):
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in runs:
        if len(run) < 4:
            continue
        start, end = run[0][0], run[-1][1]
        before = _BEFORE_RE.search(lowered, 0, start)
        if before is not None:
            start = before.start()
        after = _AFTER_RE.match(lowered, end)
        if after is not None:
            end = after.end()
        number = _digits(lowered[start:end])
        if len(number) >= MIN_DIGITS:
            yield start, text[start:end], number


def _digits(run: str) -> str:
    out: list[str] = []
    repeat = 1
    for part in _PART_RE.findall(run):
        if part in _REPEAT:
            repeat = _REPEAT[part]
            continue
        if part.isdigit():
            out.append(part * repeat if len(part) == 1 else part)
        elif part in _WORDS:
            out.append(_WORDS[part] * repeat)
        else:  # Thai or Lao words written together: read them word by word
            out.append("".join(_WORDS[w] * repeat for _, _, w in _words(part)))
        repeat = 1
    return "".join(out)
