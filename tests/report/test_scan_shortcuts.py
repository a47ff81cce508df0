"""The extractor's scanning shortcuts find exactly what the plain patterns find."""

from __future__ import annotations

import random
import re

import pytest

from tangkal.report import lexicon
from tangkal.report.demo import generate
from tangkal.report.extract import _LINK_SHAPE_RE, _link_runs

TRICKY = [
    "",
    "bca-verify.top",
    " kembali. 48.565.000 05/12/2025. (BCA) [x]",
    "klik\tbca[.]top/x\u00a0atau\u3000wa(dot)me/62812 lalu{.}com",
    "hxxps://a[:]//b go-.com _.top a-.id x.1y A.B",
    "rek.bca no.rek 123 a.n. Budi, account #bca account # 12 xrek .rek rek",
    "İstanbul rek BCA 1234567890 REK. bca",
    "Rek BCA 1234567890, Mandiri 123, DANA 0812, line: abc_1, โอนเข้าบัญชี กสิกร 123",
    "//x",
    "a//",
    "\n\n.x.y\r\nz.co\x1c.id\x85a.b",
]


def _texts() -> list[str]:
    rng = random.Random(3)
    demo = [item.report["narrative"] for item in generate(1_500, seed=5)]
    pieces = [w for t in TRICKY for w in re.split(r"(\s)", t)]
    mixed = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(2_000)]
    return TRICKY + demo + mixed


TEXTS = _texts()


def test_link_runs_are_the_space_free_runs_with_a_link_shape() -> None:
    """Runs found from the shapes (``_link_runs``) against every ``\\S+`` run tested."""
    for text in TEXTS:
        plain = [
            run.span()
            for run in re.finditer(r"\S+", text)
            if _LINK_SHAPE_RE.search(text, run.start(), run.end())
        ]
        assert list(_link_runs(text)) == plain, text


def test_link_shape_is_what_the_link_pattern_needs() -> None:
    """A run without a shape never holds a link: the skipped runs lose nothing."""
    from tangkal.report.extract import _URL_RE

    for text in TEXTS:
        for run in re.finditer(r"\S+", text):
            if not _LINK_SHAPE_RE.search(text, run.start(), run.end()):
                assert _URL_RE.search(text, run.start(), run.end()) is None, run.group()


@pytest.mark.parametrize("anycase", [False, True])
def test_cues_match_the_plain_word_bounded_pattern(anycase: bool) -> None:
    """``find_cues`` (read from the separator) against the phrases bounded the plain way."""
    flags = re.IGNORECASE if anycase else 0
    plain = re.compile(r"(?<![\w.])" + lexicon._trie(lexicon._LATIN) + r"(?!\w)", flags)
    for text in TEXTS:
        subject = text if anycase else text.lower()
        expected = [(m.start(), m.end(), m.group().lower()) for m in plain.finditer(subject)]
        pattern = lexicon._CUE_ANYCASE_RE if anycase else lexicon._CUE_LOWER_RE
        found = [
            (m.start(), m.end() - 1, m.group(1).lower()) for m in pattern.finditer(" " + subject)
        ]
        assert found == expected, text


def test_script_scans_skipped_for_ascii_texts_match_nothing_ascii() -> None:
    """An ASCII text skips the script and non-Latin scans (``str.isascii``): neither
    pattern may match any ASCII character, or the shortcut would lose a match."""
    from tangkal.report.extract import _SCRIPT_RE

    ascii_text = "".join(map(chr, range(128)))
    assert _SCRIPT_RE.search(ascii_text) is None
    assert lexicon._NON_LATIN_RE.search(ascii_text) is None


def test_regions_and_cues_match_the_unshortcut_scans() -> None:
    """``_script_of`` and ``find_cues`` against the scans run on every text."""
    from tangkal.report.extract import _SCRIPT_RE, _script_country, _script_of

    for text in TEXTS:
        script = _SCRIPT_RE.search(text, 0, 2000)
        assert _script_of(text) == (_script_country(script.group()) if script else None), text
        other = (
            [(m.start(), m.end(), m.group().lower()) for m in lexicon._CUE_OTHER_RE.finditer(text)]
            if lexicon._NON_LATIN_RE.search(text)
            else []
        )
        found = [(s, e) for s, e, _ in lexicon.find_cues(text)]
        assert all((s, e) in found for s, e, _ in other), text


def test_native_digit_shortcut_folds_every_native_digit() -> None:
    """``_fold_digits`` skips texts whose script has no digits of its own, and texts with
    fewer than six: every digit it folds belongs to a script it does not skip, and becomes
    its own decimal value."""
    import unicodedata

    from tangkal.report.extract import _NATIVE_DIGITS, _fold_digits, _script_country

    for point, ascii_digit in _NATIVE_DIGITS.items():
        digit = chr(point)
        assert unicodedata.decimal(digit) == ascii_digit - ord("0")
        text = f"no. {digit}{digit} {digit}{digit}{digit} {digit}"
        assert _fold_digits(text, _script_country(digit)) == text.replace(digit, chr(ascii_digit))
        assert _fold_digits(text[:8], _script_country(digit)) == text[:8]  # three digits
