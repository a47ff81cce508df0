"""Text normalisation shared by training and scoring, so both see identical strings."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

__all__ = [
    "MAX_CHARS",
    "MODEL_LANGUAGES",
    "SCRIPTS_WITHOUT_TRAINING_DATA",
    "bound",
    "dominant_script",
    "find_urls",
    "fold",
    "group_key",
    "model_language",
    "normalise",
    "normalise_folded",
]

# Messages are SMS/chat sized; a longer text is scored on its head and tail so the work per
# message stays bounded (a 1 MB paste costs the same as a 12 kB one).
MAX_CHARS = 12_000
_TAIL_CHARS = 2_000

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_KEY_DROP = re.compile(r"[\W_]+")
_URL_FOR_KEY = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

_SCRIPT_RANGES = {
    "thai": (0x0E00, 0x0E7F),
    "lao": (0x0E80, 0x0EFF),
    "myanmar": (0x1000, 0x109F),
    "khmer": (0x1780, 0x17FF),
}
_SCRIPT_PATTERNS = {
    name: re.compile(f"[{chr(low)}-{chr(high)}]") for name, (low, high) in _SCRIPT_RANGES.items()
}
_ANY_SCRIPT = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
# Scripts of target languages with no labelled messages: the character model knows nothing
# about them, so their scores come from the language-independent cue model only.
SCRIPTS_WITHOUT_TRAINING_DATA = frozenset({"lao", "myanmar", "khmer"})


def bound(text: str) -> str:
    """Return the text cut to head + tail when longer than ``MAX_CHARS``."""
    if len(text) <= MAX_CHARS:
        return text
    return text[: MAX_CHARS - _TAIL_CHARS] + " " + text[-_TAIL_CHARS:]


def fold(text: str) -> str:
    """Bound, NFKC-normalise and casefold: the text the cue patterns and URL finder read."""
    return unicodedata.normalize("NFKC", bound(text)).casefold()


def normalise(text: str) -> str:
    """Casefold, NFKC, digits to 0, controls dropped, whitespace collapsed.

    Digits carry amounts and phone numbers whose exact values never repeat; mapping them to
    ``0`` keeps their shape ("0000-000-0000") and lets the model generalise.

    >>> normalise("Transfer  Rp 500.000 ke\\n0812")
    'transfer rp 000.000 ke 0000'
    """
    return normalise_folded(fold(text))


def normalise_folded(text: str) -> str:
    """:func:`normalise` of a text already passed through :func:`fold` (saves NFKC twice)."""
    text = _CONTROL.sub(" ", text)
    text = _DIGITS.sub("0", text)
    return " ".join(text.split())  # whitespace runs to one space, ends stripped (as \s+)


@cache
def _top_level_domains() -> frozenset[str]:
    """Last labels of the ICANN public suffixes (tldextract's bundled snapshot, offline)."""
    from tangkal.detect.domains import public_suffixes

    return frozenset(suffix.rsplit(".", 1)[-1] for suffix in public_suffixes())


def _has_known_tld(value: str) -> bool:
    host = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit(".", 1)[-1].lower() in _top_level_domains()


def find_urls(text: str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` URL-like substrings (with or without scheme).

    Without a scheme or ``www.``, the last label must be a real top-level domain: words
    joined by a missing space ("nhanh.Dang", "i.ll") or course codes ("AB123.X45.CDEF")
    are not links.

    >>> find_urls("Chi tiet tai.truy cap ngay vcb-login.top/xac-thuc, mon AB123.X45.CDEF")
    ['vcb-login.top/xac-thuc']
    """
    found: list[str] = []
    # No match spans whitespace (``\s`` and ``str.split`` agree on it) and a kept value holds
    # a dot, so only dotted words are searched: the same matches, in the same order, without
    # trying every word of the text as a host name.
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


def dominant_script(text: str) -> str:
    """Name the most frequent of Thai/Lao/Myanmar/Khmer scripts, else ``"other"``."""
    if _ANY_SCRIPT.search(text) is None:
        return "other"
    sample = text[:2000]
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPT_PATTERNS.items()}
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count >= 3 else "other"


# Languages with a companion message model fitted on their own set (``train.py``).
MODEL_LANGUAGES = ("th", "vi")
_THAI = re.compile("[\u0e00-\u0e7f]")
# Letters only Vietnamese uses among the nine languages (lower case: texts are folded).
_VIETNAMESE = re.compile("[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


# Frequent words of the Vietnamese set's texts written without diacritics that are not
# words of English, Indonesian, Malay or Filipino: none occurs as a word in the 14,648
# messages of the other training sets.
_VIETNAMESE_WORDS = frozenset(
    {
        "quy",
        "khach",
        "trong",
        "ngay",
        "cua",
        "duoc",
        "nhan",
        "khong",
        "khoan",
        "thanh",
        "tien",
        "het",
        "tren",
        "gui",
        "toan",
        "soan",
        "hieu",
        "lien",
        "giao",
        "mien",
        "khac",
        "cskh",
        "xac",
        "thuc",
        "voi",
        "cac",
        "khi",
        "vnd",
        "thoai",
        "hoac",
        "phut",
        "cuoc",
        "thong",
        "truy",
        "tiet",
        "goi",
        "vui",
        "chuc",
        "mung",
        "nguoi",
        "nhung",
        "theo",
        "truong",
        "moi",
        "vien",
        "luong",
        "choi",
        "nhap",
        "trinh",
        "thoi",
        "neu",
        "dich",
        "nay",
        "cung",
        "doi",
        "dung",
    }
)
_VIETNAMESE_MIN_WORDS = 3  # distinct list words in the text
_VIETNAMESE_SHARE = 0.15  # and this share of its words


def _unaccented_vietnamese(text: str) -> bool:
    words = text[:2000].split()
    if len(_VIETNAMESE_WORDS.intersection(words)) < _VIETNAMESE_MIN_WORDS:
        return False
    return sum(word in _VIETNAMESE_WORDS for word in words) >= _VIETNAMESE_SHARE * len(words)


def model_language(text: str) -> str | None:
    """``"th"`` or ``"vi"`` when a folded text is Thai or Vietnamese, else ``None``.

    Three Thai letters in the first 2,000 characters make a text Thai; one letter found only
    in Vietnamese makes it Vietnamese, and so do three distinct common Vietnamese syllables
    written without diacritics ("quy khach", "tai khoan", "duoc") making up 15% of its words:
    half the Vietnamese set is written without diacritics.

    >>> model_language("โอนเงินด่วน"), model_language("chuyển tiền ngay"), model_language("hi")
    ('th', 'vi', None)
    >>> model_language("quy khach vui long xac nhan tai khoan")
    'vi'
    """
    if text.isascii():  # O(1) in CPython: most texts need no character scan
        return "vi" if _unaccented_vietnamese(text) else None
    if len(_THAI.findall(text[:2000])) >= 3:
        return "th"
    if _VIETNAMESE.search(text) or _unaccented_vietnamese(text):
        return "vi"
    return None


def group_key(text: str) -> str:
    """Near-duplicate key: URLs, digits, punctuation and spacing removed, then hashed.

    Scam campaigns resend one template with new links, amounts and numbers; all of them
    must fall on the same side of an evaluation split.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _URL_FOR_KEY.sub(" ", text)
    text = _DIGITS.sub("", text)
    text = _KEY_DROP.sub("", text)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
