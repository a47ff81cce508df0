"""Text normalisation shared by training and scoring, so both see identical strings."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np

__all__ = [
    "MAX_CHARS",
    "MODEL_LANGUAGES",
    "SCRIPTS_WITHOUT_TRAINING_DATA",
    "bound",
    "dominant_script",
    "dominant_scripts",
    "find_urls",
    "fold",
    "group_key",
    "is_unreadable",
    "model_language",
    "normalise",
    "normalise_folded",
    "normalise_folded_slow",
]

# Messages are SMS/chat sized; a longer text is scored on its head and tail so the work per
# message stays bounded (a 1 MB paste costs the same as a 12 kB one).
MAX_CHARS = 12_000
_TAIL_CHARS = 2_000

# The top-level domain ends the host: "S2201.HN12.A3.88120" (a parcel code) holds no link
# ".hn", and "W.PL5SS" no ".pl" (session 10). At most 32 labels before the top-level domain: with ``+`` a word of thousands of one-letter
# labels ("a.a.a.…", which no top-level domain ends) was retried label by label from every
# start, quadratic work (a 12,000-character message: 3.6 s; now 0.05 s).
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,32}[a-z]{2,24}(?![a-z0-9-])(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# ``_CONTROL`` to a space and ASCII ``_DIGITS`` to 0, as one byte table over UTF-8: a byte
# below 0x80 in UTF-8 is always that ASCII character, so no other character is touched.
_ASCII_TABLE = bytes.maketrans(
    b"0123456789" + _ASCII_CONTROLS, b"0" * 10 + b" " * len(_ASCII_CONTROLS)
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_OTHER_DIGITS = re.compile(r"[^\D0]")  # a digit other than 0: left after the table, non-ASCII
# Every value ``find_urls`` keeps holds "://", "www." or a dot before a letter (the host
# form); with the same flag, ``[a-z]`` here matches what ``_URL``'s does.
_URL_HINT = re.compile(r"://|www\.|\.[a-z]", re.IGNORECASE)
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
    """:func:`normalise` of a text already passed through :func:`fold` (saves NFKC twice).

    The byte table does in one pass what ``_CONTROL`` and ``_DIGITS`` substitutions do (a
    fifth of the cost); only a text with characters outside ASCII can hold the rest (Thai
    or Khmer digits, U+FFFD). ``tests/detect/test_text.py`` compares the two on every kind
    of text.
    """
    # A lone surrogate (JSON lets one in) decodes to U+FFFD, then a space like U+FFFD.
    raw = text.encode("utf-8", "surrogatepass").translate(_ASCII_TABLE)
    text = raw.decode("utf-8", "replace")
    if not text.isascii():
        text = _OTHER_DIGITS.sub("0", text.replace("\ufffd", " "))
    return " ".join(text.split())  # whitespace runs to one space, ends stripped (as \s+)


def normalise_folded_slow(text: str) -> str:
    """Reference implementation of :func:`normalise_folded` with the two substitutions."""
    text = _SURROGATE.sub("\ufffd", text)
    text = _CONTROL.sub(" ", text)
    text = _DIGITS.sub("0", text)
    return " ".join(text.split())


@cache
def _top_level_domains() -> frozenset[str]:
    """Last labels of the ICANN public suffixes (tldextract's bundled snapshot, offline)."""
    from tangkal.detect.domains import public_suffixes

    return frozenset(suffix.rsplit(".", 1)[-1] for suffix in public_suffixes())


def _has_known_tld(value: str) -> bool:
    host = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit(".", 1)[-1].lower() in _top_level_domains()


# Characters no message a person writes is made of: C0 and C1 controls (tab and line breaks
# aside), the replacement character of a failed decode, private-use code points.
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_UNREADABLE_SHARE = 0.1


def is_unreadable(text: str) -> bool:
    """Whether a text is binary data read as text rather than a message (session 10).

    Random bytes read as Latin-1 or as UTF-8 with replacements are a quarter or more control
    and replacement characters, and the character model, which never saw such text, called
    them scams with 0.99; real messages hold none, or a few from a bad decode. A tenth of the
    (bounded) text decides.

    >>> is_unreadable(bytes(range(256)).decode("latin-1")), is_unreadable("Rp 50.000 \ufffd ok")
    (True, False)
    """
    text = bound(text)
    if _UNREADABLE.search(text) is None:
        return False
    return len(_UNREADABLE.findall(text)) >= _UNREADABLE_SHARE * len(text)


def find_urls(text: str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` URL-like substrings (with or without scheme).

    Without a scheme or ``www.``, the last label must be a real top-level domain: words
    joined by a missing space ("nhanh.Dang", "i.ll") or course codes ("AB123.X45.CDEF")
    are not links.

    >>> find_urls("Chi tiet tai.truy cap ngay vcb-login.top/xac-thuc, mon AB123.X45.CDEF")
    ['vcb-login.top/xac-thuc']
    >>> find_urls("Don hang S2201.HN12.A3.88120, ma No.PIN-25g47 tai shopee.co.id.")
    ['shopee.co.id']
    """
    found: list[str] = []
    # No match spans whitespace (``\s`` and ``str.split`` agree on it) and a kept value holds
    # a dot, so only dotted words are searched: the same matches, in the same order, without
    # trying every word of the text as a host name.
    for word in text.split():
        if "." not in word or _URL_HINT.search(word) is None:  # "done." is not searched
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


_SCRIPT_EDGES = np.array([0x0E00, 0x0E80, 0x0F00, 0x1000, 0x10A0, 0x1780, 0x1800], np.uint32)
_SCRIPT_BINS = {"thai": 1, "lao": 2, "myanmar": 4, "khmer": 6}  # bins of ``_SCRIPT_EDGES``
_SAMPLE = 2000
_FEW = 8


def dominant_scripts(texts: Sequence[str]) -> list[str]:
    """:func:`dominant_script` of every text, counted for the whole batch at once.

    Four ``findall`` passes per text cost more than the rest of a Thai text's language
    checks; one numpy pass over the code points of all samples does the counting instead.
    """
    rows = [row for row, text in enumerate(texts) if not text.isascii()]
    if len(rows) < _FEW:  # numpy's fixed cost per call is more than a few texts' regexes
        return [dominant_script(text) for text in texts]
    out = ["other"] * len(texts)
    rows = [row for row in rows if _ANY_SCRIPT.search(texts[row]) is not None]
    if not rows:
        return out
    samples = [texts[row][:_SAMPLE] for row in rows]
    raw = "".join(samples).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(raw, dtype=np.uint32)
    lengths = np.fromiter(map(len, samples), dtype=np.int64, count=len(samples))
    doc = np.repeat(np.arange(len(samples), dtype=np.int64), lengths)
    width = _SCRIPT_EDGES.size + 1
    bins = np.searchsorted(_SCRIPT_EDGES, codes, side="right")
    counts = np.bincount(doc * width + bins, minlength=len(samples) * width)
    counts = counts.reshape(len(samples), width)[:, list(_SCRIPT_BINS.values())]
    best = counts.argmax(axis=1)  # the first of equal counts, as ``max`` over the dict
    names = list(_SCRIPT_BINS)
    for position, row in enumerate(rows):
        if counts[position, best[position]] >= 3:
            out[row] = names[best[position]]
    return out


# Languages with a companion message model fitted on their own set (``train.py``).
MODEL_LANGUAGES = ("th", "vi")
# Three Thai letters: found by a search that stops at the third, not a list of all of them.
_THREE_THAI = re.compile(
    "[\u0e00-\u0e7f][^\u0e00-\u0e7f]*[\u0e00-\u0e7f][^\u0e00-\u0e7f]*[\u0e00-\u0e7f]"
)
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
_VOCABULARY_MIN_WORDS = 3  # distinct list words in the text
_VOCABULARY_SHARE = 0.15  # and this share of its words


def _reads_as(words: Sequence[str], vocabulary: frozenset[str]) -> bool:
    """Whether enough of a text's words, distinct and in all, are a language's common words."""
    if len(vocabulary.intersection(words)) < _VOCABULARY_MIN_WORDS:
        return False
    return sum(word in vocabulary for word in words) >= _VOCABULARY_SHARE * len(words)


def _unaccented_vietnamese(text: str) -> bool:
    return _reads_as(text[:2000].split(), _VIETNAMESE_WORDS)


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
    if _THREE_THAI.search(text, 0, _SAMPLE) is not None:  # as 3 of ``_THAI`` in text[:2000]
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
