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
from functools import cache
from typing import Any

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("id", "ms", "th", "vi", "tl", "km", "my", "lo", "en")
_SCAN = 2000  # the opening of a message says its language; a 1 MB paste adds nothing

_SCRIPT_RE = re.compile(
    r"(?P<th>[\u0E00-\u0E7F]+)|(?P<lo>[\u0E80-\u0EFF]+)|(?P<km>[\u1780-\u17FF\u19E0-\u19FF]+)"
    r"|(?P<my>[\u1000-\u109F\uA9E0-\uA9FF\uAA60-\uAA7F]+)"
    r"|(?P<vi>[ơưăđƠƯĂĐ\u1EA0-\u1EF9])"
    r"|(?P<latin>[A-Za-z\u00C0-\u024F]+)"
)
# Tokens that carry no language: links, addresses, numbers, handles.
_NOISE_RE = re.compile(r"\S*[./@:\d]\S*")
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
_VIETNAMESE_PLAIN = _words("cua khong duoc nhan khoan chuc mung thuong vui lien chuyen tien ngan")


@cache
def _identifier() -> Any:
    """py3langid restricted to the Latin-script candidates; loaded once, on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["id", "ms", "tl", "en"])
    return identifier


def _by_script(text: str) -> tuple[str | None, int]:
    """The dominant non-Latin script's language (or None) and the count of Latin letters."""
    counts = {"th": 0, "lo": 0, "km": 0, "my": 0, "vi": 0, "latin": 0}
    for match in _SCRIPT_RE.finditer(text):
        group = match.lastgroup or "latin"
        counts[group] += match.end() - match.start()
    latin = counts.pop("latin")
    vi = counts.pop("vi")
    best = max(counts, key=lambda k: counts[k])
    if counts[best] and counts[best] * 4 >= latin:
        return best, latin
    if vi >= 2 and vi * 40 >= latin:
        return "vi", latin
    return None, latin


def detect_language(text: str) -> str:
    """One of ``LANGUAGES``, or ``"und"`` when there is nothing to go on.

    >>> detect_language("โปรดโอนเงินเข้าบัญชีนี้ภายในวันนี้")
    'th'
    """
    head = text[:_SCAN]
    script, latin = _by_script(head)
    if script:
        return script
    if latin < 3:
        return "und"
    prose = _NOISE_RE.sub(" ", head).lower()
    words = _WORD_RE.findall(prose)
    if len(words) == 0:
        return "und"
    indonesian = sum(w in _INDONESIAN for w in words)
    malay = sum(w in _MALAY for w in words)
    tagalog = sum(w in _TAGALOG_STRONG for w in words)
    if sum(w in _VIETNAMESE_PLAIN for w in words) >= 3:
        return "vi"  # Vietnamese typed without its tone marks
    guess = str(_identifier().classify(prose)[0])
    if guess in ("id", "ms") or indonesian + malay >= 2:
        if indonesian != malay:
            return "id" if indonesian > malay else "ms"
        return guess if guess in ("id", "ms") else "id"
    if tagalog >= 2 or (tagalog and guess == "tl"):
        return "tl"
    if guess == "tl" and sum(w in _TAGALOG for w in words) == 0:
        return "en"
    return guess
