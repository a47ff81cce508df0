"""Which ASEAN language a report is written in, cheaply enough for every message.

Thai, Lao, Khmer and Burmese each have a script of their own and Vietnamese has its
tone marks, so those are settled by counting characters. Latin-script text goes to
py3langid restricted to Indonesian, Malay, Filipino and English, and then a few
stop-words settle what a character model blurs: Indonesian against Malay ("tidak" or
"tak", "uang" or "wang") and Taglish against English ("po", "mga", "lang").

>>> detect_language("Sila hubungi kami segera, akaun anda telah dibekukan")
'ms'
"""

from __future__ import annotations

import re
from typing import Any

from tangkal.once import once

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("id", "ms", "th", "vi", "tl", "km", "my", "lo", "en")
_SCAN = 2000  # the opening of a message says its language; a 1 MB paste adds nothing
_MODEL_WORDS = 60  # the character model's cost grows with length, its accuracy does not

_SCRIPTS = {
    "th": re.compile(r"[\u0E00-\u0E7F]"),
    "lo": re.compile(r"[\u0E80-\u0EFF]"),
    "km": re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]"),
    "my": re.compile(r"[\u1000-\u109F\uA9E0-\uA9FF\uAA60-\uAA7F]"),
}
_ANY_SCRIPT_RE = re.compile(r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u19E0-\u19FF\uA9E0-\uAA7F]")
_VIETNAMESE_RE = re.compile(r"[ơưăđƠƯĂĐ\u1EA0-\u1EF9]")
_LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Tokens that carry no language: links, addresses, numbers, handles.
_NOISE_RE = re.compile(r"(?<!\S)\S*[./@:\d]\S*")  # from token starts only: linear
_WORD_RE = re.compile(r"[a-z]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_INDONESIAN = _words(
    "tidak uang bisa kamu silakan rekening nomor polisi pajak gratis pemerintah tautan "
    "saldo karena pengadilan kantor bapak nggak gak aja dong kok kalian pulsa paket "
    "pembayaran mohon belum lewat dikirim sekali"
)
_MALAY = _words(
    "tak wang boleh awak sila akaun nombor polis percuma kerajaan pautan baki kerana "
    "mahkamah pejabat tuan puan encik pihak tuntutan ringgit bayaran dibekukan pakej "
    "tarikh memenangi"
)
# Words both languages use (anda, segera, hubungi) are left out: only contrasts decide.
_TAGALOG = _words(
    "po ang ng mga lang naman kayo ninyo niyo nyo yung kung ako ikaw sa ka mo na pa ba "
    "salamat opo hindi wala may para nanalo padala ito iyong natin namin"
)
_TAGALOG_STRONG = _words("po ng mga lang naman kayo ninyo niyo nyo yung opo hindi")
_ENGLISH = _words(
    "the your you to and is of for please now account click this with are have will our "
    "been has be not on in at from or we it verify update"
)
_VIETNAMESE_PLAIN = _words("cua khong duoc nhan khoan chuc mung thuong vui lien chuyen tien ngan")


@once
def _identifier() -> Any:
    """py3langid restricted to the Latin-script candidates; loaded once, on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["id", "ms", "tl", "en"])
    return identifier


def _by_script(text: str) -> str | None:
    """The language a script settles: the dominant one of the four, or Vietnamese marks.

    Latin text (most reports) costs two scans that find nothing; counting happens only
    when another script is present, and a Thai message quoting an English URL is Thai.
    """
    if _ANY_SCRIPT_RE.search(text):
        counts = {name: len(regex.findall(text)) for name, regex in _SCRIPTS.items()}
        best = max(counts, key=lambda k: counts[k])
        if counts[best] * 4 >= len(_LATIN_RE.findall(text)):
            return best
    vietnamese = len(_VIETNAMESE_RE.findall(text))
    if vietnamese >= 2 and vietnamese * 40 >= len(_LATIN_RE.findall(text)):
        return "vi"
    return None


def detect_language(text: str) -> str:
    """One of ``LANGUAGES``, or ``"und"`` when there is nothing to go on.

    >>> detect_language("โปรดโอนเงินเข้าบัญชีนี้ภายในวันนี้")
    'th'
    """
    head = text[:_SCAN]
    script = _by_script(head)
    if script:
        return script
    words = _WORD_RE.findall(_NOISE_RE.sub(" ", head).lower())
    if sum(map(len, words)) < 3:
        return "und"
    indonesian = sum(w in _INDONESIAN for w in words)
    malay = sum(w in _MALAY for w in words)
    tagalog = sum(w in _TAGALOG_STRONG for w in words)
    english = sum(w in _ENGLISH for w in words)
    if sum(w in _VIETNAMESE_PLAIN for w in words) >= 3:
        return "vi"  # Vietnamese typed without its tone marks
    # Clear stop-word evidence settles it without the character model (~50 µs saved).
    if indonesian + malay >= 2 and abs(indonesian - malay) >= 2 and not tagalog:
        return "id" if indonesian > malay else "ms"
    if tagalog >= 2:
        return "tl"
    if english >= 3 and not (indonesian or malay or tagalog):
        return "en"
    guess = str(_identifier().classify(" ".join(words[:_MODEL_WORDS]))[0])
    if guess in ("id", "ms") or indonesian + malay >= 2:
        if indonesian != malay:
            return "id" if indonesian > malay else "ms"
        return guess if guess in ("id", "ms") else "id"
    if tagalog or (guess == "tl" and not any(w in _TAGALOG for w in words)):
        return "tl" if tagalog else "en"
    return guess
