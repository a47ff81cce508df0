"""Free text in, indicators out: the phones, links, accounts and wallets a scam names.

Precision comes first: a number is a bank account only near a bank or account cue,
never when it reads as an OTP, an amount, a date or an order number; a phone must be
valid for ``phonenumbers``; a bare domain must end in a real public suffix. Work is
bounded: only the first ``MAX_CHARS`` characters are scanned, and each pass is one
precompiled regular expression that skips text without digits, dots or ``@``.

>>> [(f.kind, f.value) for f in extract("WA 0812-3456-7890", country="ID")]
[('phone', '+6281234567890')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from tangkal.report.crypto import WALLET_RE, wallet_chain
from tangkal.report.lexicon import (
    AMOUNT_AFTER_RE,
    AMOUNT_BEFORE_RE,
    HANDLE_RE,
    PLATFORM_NAME_RE,
    Cue,
    Institution,
    find_cues,
    platform_named,
)
from tangkal.report.normalize import (
    ASEAN,
    KINDS,
    NEIGHBOURS,
    Found,
    canonical_email,
    canonical_phone,
    canonical_url,
    link_indicators,
    region_order,
)
from tangkal.report.spelled import spelled_numbers

__all__ = ["KINDS", "MAX_CHARS", "Found", "extract"]

# A report narrative is a few hundred characters; anything past 100,000 is pasted noise
# and scanning it would let one upload stall a bulk import.
MAX_CHARS = 100_000
_CUE_BEFORE = 40  # a cue names the number it stands at most this far before
_CUE_AFTER = 14  # "1234567890 a.n. Budi", "1234567890 (BCA)"

_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
# Possessive: a label never gives characters back, so a plain word fails in one step.
_LABEL = r"[^\W_][\w\-]{0,62}+"
# Paths are ASCII (RFC 3986): Thai or Khmer glued to a link is the sentence, not the path.
_PATH = r"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*)?"
_URL_RE = re.compile(
    r"(?P<scheme>(?:h(?:tt|xx)ps?|ftp)(?::|\[:\])//[^\s/?#<>\"'`]+" + _PATH + ")"
    rf"|(?<![\w@.\-/\])}}])(?P<bare>(?:{_LABEL}{_DOT}){{1,12}}(?P<tld>[^\W\d_]{{2,63}}|xn--[a-z0-9\-]{{2,59}})"
    r"(?![\w\-@])(?::\d{1,5})?" + _PATH + ")",
    re.IGNORECASE,
)
# What a link needs at the least: a scheme's "//", or a label's last character, a dot and a
# top-level domain's first letter (``bare`` above). Written dot first, like ``_DOTTED_RE``,
# so ``re`` skips to the few slashes, dots and brackets. The link pattern runs only over the
# space-free runs holding one: four runs in five are words before a full stop, amounts and
# dates ("kembali.", "48.565.000", "05/12/2025."), and finding the runs themselves cost
# more than the rest (80k instructions per demo narrative, callgrind).
_LINK_SHAPE_RE = re.compile(
    r"//"
    r"|\.(?<=[\w\-]\.)[^\W\d_]"
    r"|\[(?<=[\w\-]\[)(?:\.\]|dot\])[^\W\d_]"
    r"|\((?<=[\w\-]\()(?:\.\)|dot\))[^\W\d_]"
    r"|\{(?<=[\w\-]\{)\.\}[^\W\d_]",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s")
_RUN_END_RE = re.compile(r"\S*")
# A dot between a letter or digit and a letter: without one there is no bare domain.
# Written as ``[^\W_]{_DOT}[^\W\d_]`` with each dot's first character leading, so ``re``
# skips to the few dots and brackets instead of trying the pattern at every letter.
_DOTTED_RE = re.compile(
    r"\.(?<=[^\W_]\.)[^\W\d_]"
    r"|\[(?<=[^\W_]\[)(?:\.\]|dot\])[^\W\d_]"
    r"|\((?<=[^\W_]\()(?:\.\)|dot\))[^\W\d_]"
    r"|\{(?<=[^\W_]\{)\.\}[^\W\d_]"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-/:])[\w.+\-]+@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,63}(?![\w\-])"
)
# Digits with single separators and letter-O zeros, starting on the first digit so
# ``re`` can skip ahead to digits; a "+", "(" or "(+" before it is added back after. A
# letter O standing alone is a word, not a zero: Filipino "GCash 09276611234 o ikakalat ko"
# ("or") read as +6292766112340 (session 11, blind extraction set B).
_NUMBER_RE = re.compile(
    r"(?:[0-9]|[oO](?=[0-9oO]))(?<![\w\-/#@,][0-9oO])(?<!\d\.[0-9oO])"
    r"(?:[0-9oO]|[ \t.\-\u00a0()]{1,3}(?=[0-9]|[oO][0-9oO])){5,}(?!\w)"
)
_SEPARATORS_RE = re.compile(r"[^0-9oO]")
_NON_DIGITS_RE = re.compile(r"[^0-9]+")
_PREFIX_RE = re.compile(r"(?<![\w\-/#@,])(?:\(\s?\+|\+|\()\s?\Z")
_ADD_RE = re.compile(r"(?<!\w)add\s+(?:me\s+)?(?:on\s+)?\Z", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_DATE_RE = re.compile(
    r"(?<!\d)(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2})(?!\d)"
)
_AMOUNT_SHAPE_RE = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")
_TRAILING = ".,;:!?'\")]}>*…"
# Bare names ending like a file ("setup.zip", "notes.md") are files, not sites.
_FILE_TLDS = frozenset({"zip", "mov", "md", "py", "sh", "apk", "exe", "pdf", "jpg", "png"})
# The first character of a script with one country settles where national numbers live.
_SCRIPT_RE = re.compile(r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FFơưăđƠƯĂĐ\u1EA0-\u1EF9]")


def _script_country(char: str) -> str:
    point = ord(char)
    if point < 0x0E80:
        return "TH"
    if point < 0x0F00:
        return "LA"
    if point < 0x10A0:
        return "MM"
    return "KH" if point < 0x1800 else "VN"


# Thai, Lao, Khmer and Burmese (and Shan) decimal digits, read as the ASCII ones: one code
# point each, so offsets in the folded text are offsets in the message. Burmese writers type
# the letter wa (ဝ) for the digit zero (၀), which it looks like: after a digit or before
# one it is one ("ဝ၉ ၇၈၁…", "၅ဝ,ဝဝဝ"); inside a word ("ဝယ်", to buy) it is not.
_NATIVE_DIGITS = {
    base + d: ord("0") + d for base in (0x0E50, 0x0ED0, 0x17E0, 0x1040, 0x1090) for d in range(10)
}
_FOLD = {**_NATIVE_DIGITS, 0x101D: ord("0")}
_NATIVE = "\u0e50-\u0e59\u0ed0-\u0ed9\u17e0-\u17e9\u1040-\u1049\u1090-\u1099"
_NATIVE_RUN_RE = re.compile(f"(?:[{_NATIVE}]|\u101d(?=[\u1040-\u1049]))[{_NATIVE}\u101d]*")
# Each script's digits, looked for one by one before anything is folded: ten ``in`` tests
# (a C loop each, ``memchr`` inside) cost a third of a regular-expression scan over a long
# narrative, and hardly any message holds such a digit. Vietnamese writes ASCII digits.
_SCRIPT_DIGITS = {
    script: "".join(chr(p) for p in _NATIVE_DIGITS if _script_country(chr(p)) == script)
    for script in ("TH", "LA", "KH", "MM")
}


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


def _fold_digits(text: str, script: str | None) -> str:
    """``text`` with native digits as ASCII ones, the same length; as it is unless its
    ``script`` (``_script_country``) has digits of its own.

    Only the digit runs are translated: ``str.translate`` over a whole message cost more
    than the rest of its scan (callgrind, ``bench_analyze``'s Khmer amounts).
    """
    digits = _SCRIPT_DIGITS.get(script or "")
    if digits is None or not any(digit in text for digit in digits):
        return text
    if sum(map(text.count, digits)) < 6:
        return text  # fewer than six native digits make no number ("១០០០ ដុល្លារ")
    return _NATIVE_RUN_RE.sub(_fold_run, text)


# Thai banks write their ten-digit accounts 3-1-5-1 ("123-4-56789-0"); no phone is written so.
_THAI_ACCOUNT_RE = re.compile(r"\d{3}-\d-\d{5}-\d")
# Words that place a message with no hint and no national script in the United Kingdom,
# whose national numbers other plans also accept: "0800 169 6031" is a valid Indonesian
# toll-free number and "09061 743 806" a Philippine mobile, but after "£" or "150p/msg"
# they are British. The check API's bare numbers have no text and keep the ASEAN reading.
# Run on lower-cased text, and only after one of ``_BRITISH_PARTS`` is found in it: ten
# substring tests cost a tenth of the pattern's scan (18 µs per 100-character message).
_BRITISH_RE = re.compile(
    r"£|(?<![\w.])(?:gbp|pounds?|uk|u\.k\.|united kingdom|britain|british|london|hmrc|royal mail)"
    r"(?![\w])|\d(?:p/(?:msg|min|txt)|ppm)(?!\w)"
)
_BRITISH_PARTS = (
    "£",
    "gbp",
    "pound",
    "uk",
    "u.k.",
    "kingdom",
    "brit",
    "london",
    "hmrc",
    "royal",
    "p/",
    "ppm",
)

# Typical account-number lengths; a number outside them is not called an account.
_ACCOUNT_LENGTH = {
    "ID": (10, 16),
    "MY": (10, 16),
    "SG": (9, 14),
    "TH": (10, 12),
    "VN": (8, 19),
    "PH": (10, 16),
    "KH": (8, 16),
    "MM": (8, 17),
    "LA": (8, 18),
    "BN": (8, 14),
}

_Hit = tuple[int, int, Found]  # (position, order within position, indicator)
_BY_PLACE = itemgetter(0, 1)  # never the Found: it has no order


def _trim(raw: str) -> str:
    """Drop sentence punctuation glued to a link, keeping a balanced closing paren."""
    while raw and raw[-1] in _TRAILING:
        if raw[-1] == ")" and raw.count("(") >= raw.count(")"):
            break
        raw = raw[:-1]
    return raw


def _balance(raw: str) -> str:
    """Keep "(02) 8123 4567" whole but drop a bracket the number does not close."""
    while raw[-1:] == "(" or (raw[-1:] == ")" and "(" not in raw):
        raw = raw[:-1].rstrip(" .-\t\u00a0")
    while raw[:1] == "(" and ")" not in raw:
        raw = raw[1:].lstrip(" .-\t\u00a0")
    return raw


def _cut_remark(raw: str) -> str:
    """Cut a number at a bracket opened after six digits: "0981314410 (0 đ/p)",
    "0632508849(1)" are a number and a remark. Area codes in brackets come before
    ("(02) 8123 4567", "+62 (0) 812…")."""
    at = raw.find("(", 1)
    while at != -1:
        if len(_SEPARATORS_RE.sub("", raw[:at])) >= 6:
            return raw[:at]
        at = raw.find("(", at + 1)
    return raw


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) meets one of the sorted, disjoint ``spans`` (links, emails)."""
    i = bisect.bisect_right(spans, (start, end))
    return (i > 0 and spans[i - 1][1] > start) or (i < len(spans) and spans[i][0] < end)


def _link_runs(text: str) -> Iterator[tuple[int, int]]:
    """Each space-free run of ``text`` that holds a link's shape (``_LINK_SHAPE_RE``).

    The runs ``\\S+`` gives, tested one by one (as the tests do), found from the shapes.
    """
    end = 0
    for shape in _LINK_SHAPE_RE.finditer(text):
        at = shape.start()
        if at < end:
            continue  # a second shape in the run just given
        start = text.rfind(" ", 0, at) + 1
        while (space := _SPACE_RE.search(text, start, at)) is not None:
            start = space.end()  # another white space after the last " " (rare)
        end = _RUN_END_RE.match(text, at).end()  # type: ignore[union-attr]  # \S* matches
        yield start, end


def _links(
    text: str, regions: tuple[str, ...], hits: list[_Hit], taken: list[tuple[int, int]]
) -> None:
    for start, end in _link_runs(text):
        _links_in(text, start, end, regions, hits, taken)


def _links_in(
    text: str,
    start: int,
    end: int,
    regions: tuple[str, ...],
    hits: list[_Hit],
    taken: list[tuple[int, int]],
) -> None:
    """The links in ``text[start:end]``, one run of non-space characters.

    The pattern still sees the characters before ``start`` (its look-behind) and reads
    the end of the run as the end of the text, which its look-ahead treats as a space.
    """
    for match in _URL_RE.finditer(text, start, end):
        raw = _trim(match.group())
        start = match.start()
        if _overlaps(taken, start, start + len(raw)):
            continue
        if match.group("bare"):
            tld = match.group("tld")
            bare_name = raw.count("/") == 0 and not raw.lower().startswith("www")
            if not (tld.islower() or tld.isupper()):
                continue  # "Hurry.Today": a missing space, not a site
            if bare_name and tld.lower() in _FILE_TLDS:
                continue
        url = canonical_url(raw)
        if url is None:
            continue
        bisect.insort(taken, (start, start + len(raw)))
        hits.append((start, 0, Found("url", url[0], "link", raw, {"registered_domain": url[2]})))
        hits.append((start, 1, Found("domain", url[2], "link", raw, {})))
        for extra in link_indicators(url[0], url[1], raw, regions):
            hits.append((start, 2, extra))


def _emails(text: str, hits: list[_Hit], taken: list[tuple[int, int]]) -> None:
    for match in _EMAIL_RE.finditer(text):
        email = canonical_email(match.group())
        if email:
            bisect.insort(taken, match.span())
            hits.append((match.start(), 0, Found("email", email, "contact", match.group(), {})))


def _wallets(text: str, hits: list[_Hit]) -> None:
    for match in WALLET_RE.finditer(text):
        found = wallet_chain(match.group())
        if found:
            chain, value = found
            hits.append(
                (
                    match.start(),
                    0,
                    Found("crypto_wallet", value, "wallet", match.group(), {"chain": chain}),
                )
            )


# An "@handle" standing alone (not in an e-mail, a path or after another handle).
# Written "@" first so ``re`` skips to the few "@"s (the look-behind then reads the one before).
_AT_HANDLE_RE = re.compile(r"@(?<![\w@.+\-/~]@)(?P<handle>[a-z0-9_][a-z0-9_.\-]{2,31})")
_PLATFORM_BEFORE = 32  # "Telegram admin: @x", "LINE ของแอดมิน @x"
# At most three words between the platform and the handle, then ":" or an opening bracket:
# no digit, no sentence end, no comma. Thai, Lao, Khmer and Burmese vowel signs are marks,
# not letters, for ``re``: their blocks count as letters, all but their digits.
_LETTER = (
    "(?:[^\\W\\d_]|[\u0e00-\u0e4f\u0e5a-\u0ecf\u0eda-\u0eff"
    "\u1000-\u103f\u104a-\u108f\u109a-\u109f\u1780-\u17df\u17ea-\u17ff])"
)
_GAP_RE = re.compile(rf"\s*(?:{_LETTER}+(?:\s+{_LETTER}+){{0,2}})?\s*[:：]?\s*[(\[（]?\s*")
# "@x (Telegram)", "@x on Telegram", "@x di Telegram", "@x sa Telegram", "@x trên Telegram".
_PLATFORM_AFTER_RE = re.compile(
    r"\s*[(\[（]\s*(?P<inside>" + PLATFORM_NAME_RE.pattern + r")\s*[)\]）]"
    r"|\s+(?:on|via|di|sa|trên|qua|ở)\s+(?P<after>" + PLATFORM_NAME_RE.pattern + ")"
)


def _handles(text: str, lowered: str, hits: list[_Hit], taken: list[tuple[int, int]]) -> None:
    named = _named_handles(text, lowered, hits, taken)
    if "@" in text:
        _at_handles(text, lowered, named, hits, taken)


def _at_handles(
    text: str, lowered: str, named: set[int], hits: list[_Hit], taken: list[tuple[int, int]]
) -> None:
    """An "@handle" whose platform stands a few words before it, or just after it.

    "Message our Telegram admin: @x", "blocked me on Telegram (@x)", "@x (Telegram)". A
    bare "@x" with no platform named is left alone: it could be anyone's, anywhere.
    """
    for match in _AT_HANDLE_RE.finditer(lowered):
        start, end = match.span("handle")
        handle = match.group("handle").rstrip(".-")
        if start in named or handle.isdigit() or _overlaps(taken, match.start(), end):
            continue
        code = None
        at = match.start()
        last = None  # the platform named last before the handle, if any
        for name in PLATFORM_NAME_RE.finditer(lowered, max(0, at - _PLATFORM_BEFORE), at):
            last = name
        if last is not None and _GAP_RE.fullmatch(lowered, last.end(), at):
            code = platform_named(last.group())
        if code is None:
            after = _PLATFORM_AFTER_RE.match(lowered, match.end())
            if after is not None:
                code = platform_named(after.group("inside") or after.group("after"))
        if code:
            found = Found("social_handle", f"{code}:{handle}", "contact", text[at:end], {})
            hits.append((at, 0, found))


def _named_handles(
    text: str, lowered: str, hits: list[_Hit], taken: list[tuple[int, int]]
) -> set[int]:
    """The handles right after a platform's name; returns where each handle starts."""
    named: set[int] = set()
    for match in HANDLE_RE.finditer(lowered):
        handle = match.group("handle").rstrip(".-")
        if handle.isdigit() or _overlaps(taken, match.start("handle"), match.end("handle")):
            continue  # "Zalo: 0912…" is a phone, and a URL already spoke for its path
        introduced = (
            match.group("at")
            or match.group("id")
            or _ADD_RE.search(text, max(0, match.start() - 12), match.start())
        )
        if not introduced and not (match.group("sep") and re.search(r"[\d_]", handle)):
            continue  # "line: hello" is prose; "line: hello_99" or "@hello" is an account
        code = platform_named(match.group("plat"))
        if code:
            named.add(match.start("handle"))
            hits.append(
                (
                    match.start(),
                    0,
                    Found(
                        "social_handle",
                        f"{code}:{handle}",
                        "contact",
                        text[slice(*match.span())],
                        {},
                    ),
                )
            )
    return named


@dataclass(frozen=True, slots=True)
class _Context:
    """What the words around one number say about it."""

    cue: Cue | None  # the nearest cue before it (or an account cue just after)
    institution: Institution | None  # the nearest bank or e-wallet named around it
    account_word: bool  # "rek", "akaun", "STK", "a.n." … stands near
    utility: bool  # an electricity or water company or bill stands before it, or just after


def _context(
    cues: list[tuple[int, int, Cue]], starts: list[int], start: int, end: int, floor: int
) -> _Context:
    """Read the cues within ``_CUE_BEFORE`` characters before and ``_CUE_AFTER`` after.

    A cue never reaches back past ``floor``, the end of the previous number: "akaun CIMB
    8001234567. Talian Maybank 1-300-88-6688" names one account, not two. A utility's
    name says whose account an account word means, not what the number is: it is never
    the nearest cue ("Hubungi TNB 1-300-88-5454" is a phone).
    """
    nearest: Cue | None = None
    institution: Institution | None = None
    account_word = False
    utility = False
    i = bisect.bisect_left(starts, start) - 1
    while i >= 0 and cues[i][1] >= max(start - _CUE_BEFORE, floor):
        cue = cues[i][2]
        if cue.category == "utility":
            utility = True
        elif cues[i][1] <= start:
            nearest = nearest or cue
            institution = institution or cue.institution
            account_word = account_word or cue.category == "account"
        i -= 1
    j = bisect.bisect_left(starts, end)
    while j < len(cues) and cues[j][0] <= end + _CUE_AFTER:
        after = cues[j][2]
        if after.category == "utility" and cues[j][0] <= end + 2:
            utility = True  # "220012345678 (akaun elektrik)"
        elif after.category in ("account", "bank"):
            nearest = nearest or after
            institution = institution or after.institution
            account_word = account_word or after.category == "account"
        j += 1
    return _Context(nearest, institution, account_word, utility)


@dataclass(frozen=True, slots=True)
class _Regions:
    """Where national numbers are read: the hint, then the script's country, then their
    neighbours, then the rest of ASEAN (``loose``, after a cue).

    ``strict`` (no cue) keeps the hinted country, the script's and their neighbours: a
    bare number no plan of theirs accepts is an ID card, an invoice or a reference more
    often than a phone from across ASEAN. Without a hint it is all of ASEAN. Either way it
    drops Singapore and Brunei unless named, because their national numbers have no trunk
    "0" and any 7-8 digit code would otherwise pass as a phone.
    """

    country: str
    strict: tuple[str, ...]
    loose: tuple[str, ...]
    hinted: bool  # the first region is known (a hint or the script), not a guess


def _script_of(text: str) -> str | None:
    """The country of the first national script in the first 2,000 characters, if any."""
    # Every character of ``_SCRIPT_RE`` lies outside ASCII, and ``str.isascii`` is O(1) in
    # CPython: an ASCII text (six demo narratives in ten) skips the character-by-character
    # scan (~13k instructions per narrative).
    script = None if text.isascii() else _SCRIPT_RE.search(text, 0, 2000)
    return _script_country(script.group()) if script else None


@lru_cache(maxsize=1024)
def _regions_for(country: str | None, script: str | None) -> _Regions:
    """Cached: a handful of (hint, script) pairs cover every report."""
    hint = (country or "").upper()
    first = [hint] if hint else []
    if script and script not in first:
        first.append(script)
    loose = region_order(tuple(first))
    near = {n for f in first for n in NEIGHBOURS.get(f, ())} if hint else set(ASEAN)
    strict = (*first, *(r for r in loose[len(first) :] if r in near and r not in ("SG", "BN")))
    return _Regions(hint, strict, loose, bool(first))


def _numbers(
    text: str,
    shown: str,
    lowered: str,
    regions: _Regions,
    hits: list[_Hit],
    taken: list[tuple[int, int]],
) -> None:
    """The phones and accounts in ``text``, the message with its digits folded to ASCII;
    each indicator's ``raw`` is what ``shown``, the message as written, holds there."""
    cues: list[tuple[int, int, Cue]] | None = None
    starts: list[int] = []
    floor = 0
    for match in _NUMBER_RE.finditer(text):
        start, end = match.span()
        prefix = _PREFIX_RE.search(text, max(0, start - 3), start)
        if prefix:
            start = prefix.start()
        segment = text[start:end]
        if "(" in segment:  # one number in a hundred: no call for the rest
            segment = _cut_remark(segment)
        segment = segment.rstrip(" .-\t\u00a0")
        raw = _balance(segment)
        start += segment.find(raw)
        end = start + len(raw)
        letters = raw.count("o") + raw.count("O")
        digits = len(raw) - letters - len(_SEPARATORS_RE.findall(raw))
        if digits < 6 or letters > 2 or ".." in raw or _overlaps(taken, start, end):
            continue  # "452404...6779": an ellipsis masks digits, as "****" does
        if _DATE_RE.search(raw) or _AMOUNT_SHAPE_RE.fullmatch(raw):
            continue
        if AMOUNT_BEFORE_RE.search(text, max(0, start - 8), start) or AMOUNT_AFTER_RE.match(
            text, end
        ):
            continue
        if cues is None:  # most texts never get here, so cues are read lazily
            cues = find_cues(shown, lowered)
            starts = [c[0] for c in cues]
        near = _context(cues, starts, start, end, floor)
        _classify(raw, shown[start:end], start, near, regions, hits)
        floor = end


def _classify(
    raw: str, shown: str, start: int, near: _Context, regions: _Regions, hits: list[_Hit]
) -> None:
    """Decide what one number is from its cues; append at most two indicators.

    ``raw`` is the number in ASCII digits, ``shown`` as the message writes it.
    """
    digits = _NON_DIGITS_RE.sub("", raw)
    plain = raw.replace("o", "").replace("O", "") == raw  # no letter-O obfuscation
    category = near.cue.category if near.cue else None
    if category == "noise":
        return
    if _THAI_ACCOUNT_RE.fullmatch(raw):  # "กสิกร 038-3-91234-7": never a phone
        if category in ("bank", "account") and not (near.utility and near.institution is None):
            _account(shown, start, digits, near.institution, regions.country, hits)
        return
    if category == "ewallet" and near.cue and near.cue.institution:
        provider = near.cue.institution
        phone = canonical_phone(raw, (provider.country, *regions.loose), loose=True)
        attrs = {"provider": provider.code}
        if phone:
            hits.append((start, 0, Found("ewallet", phone[0], "payee", shown, attrs)))
            hits.append((start, 1, Found("phone", phone[0], "payee", shown, {"country": phone[1]})))
        elif plain and 6 <= len(digits) <= 20:
            hits.append((start, 0, Found("ewallet", digits, "payee", shown, attrs)))
        return
    # "tf ke 0812-3456-7890" with no bank named: a mobile number in national form is where
    # the money goes (an e-wallet or a phone-linked account), so it is a phone, as payee.
    if category == "account" and near.institution is None and plain and digits[0] == "0":
        phone = canonical_phone(raw, regions.loose, loose=False, hinted=regions.hinted)
        if phone:
            hits.append((start, 0, Found("phone", phone[0], "payee", shown, {"country": phone[1]})))
            return
    if category in ("bank", "account") and plain and not raw.startswith(("+", "(+")):
        if near.utility and near.institution is None:
            return  # "Akaun TNB 220012345678", "Meralco account no. …": a customer account
        # A bank's name alone before a number dialable in the bank's country (read there
        # first) or the hinted one is a phone, the bank's hotline or a contact; read only
        # abroad ("BDO 0067 8901 2345" as +678, Vanuatu, after "00"; "กสิกร 038…" as a
        # Cambodian mobile in a Thai report), it is an account.
        home = near.institution.country if near.institution else None
        hotline = None
        if not near.account_word:
            where = tuple(dict.fromkeys((home, *regions.loose))) if home else regions.loose
            hotline = canonical_phone(raw, where, loose=True, hinted=regions.hinted or bool(home))
        if hotline is None or (home is not None and hotline[1] not in (home, regions.country)):
            _account(shown, start, digits, near.institution, regions.country, hits)
        else:
            attrs = {"country": hotline[1]}
            hits.append((start, 0, Found("phone", hotline[0], "contact", shown, attrs)))
        return
    phone = canonical_phone(
        raw,
        regions.strict if category is None else regions.loose,
        loose=category is not None,
        hinted=regions.hinted,
    )
    if phone:
        hits.append((start, 0, Found("phone", phone[0], "contact", shown, {"country": phone[1]})))


def _spelled(text: str, lowered: str, regions: _Regions, hits: list[_Hit]) -> None:
    """Phones spelled out in words ("nol delapan lima dua …"), read as a bare number is."""
    for start, shown, digits in spelled_numbers(text, lowered):
        phone = canonical_phone(digits, regions.strict, loose=False, hinted=regions.hinted)
        if phone:
            hits.append(
                (start, 0, Found("phone", phone[0], "contact", shown, {"country": phone[1]}))
            )


def _account(
    raw: str, start: int, digits: str, bank: Institution | None, country: str, hits: list[_Hit]
) -> None:
    where = bank.country if bank else country
    low, high = _ACCOUNT_LENGTH.get(where, (6, 20))
    if low <= len(digits) <= high:
        attrs = {"bank": bank.code, "country": bank.country} if bank else {}
        if not bank and where:
            attrs["country"] = where
        hits.append((start, 0, Found("bank_account", digits, "payee", raw, attrs)))


def _british(lowered: str) -> bool:
    """Whether a lower-cased text names the United Kingdom, its money or its call rates."""
    return any(part in lowered for part in _BRITISH_PARTS) and bool(_BRITISH_RE.search(lowered))


def extract(text: str, country: str | None = None) -> list[Found]:
    """Every indicator in ``text``, in order of first appearance, each (kind, value) once.

    ``country`` is the reporter's country: it decides how national phone numbers and
    account lengths are read. Only the first ``MAX_CHARS`` characters are scanned.

    >>> [f.value for f in extract("Rek BCA 1234567890 a.n. Budi, kode OTP 482913")]
    ['1234567890']
    """
    if not text:
        return []
    text = text[:MAX_CHARS]
    script = _script_of(text)
    folded = _fold_digits(text, script)
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    if "@" in text:
        _emails(text, hits, taken)
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" and a few others grow when lower-cased
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if not country and script is None and _british(lowered):
        script = "GB"  # read national numbers in the United Kingdom first
    regions = _regions_for(country, script)
    if "://" in text or _DOTTED_RE.search(text):
        _links(text, regions.loose, hits, taken)
    has_digit = _DIGIT_RE.search(folded) is not None
    if has_digit or "T" in text:
        _wallets(text, hits)
    _handles(text, lowered, hits, taken)
    if has_digit:
        _numbers(folded, text, lowered, regions, hits, taken)
    _spelled(text, lowered, regions, hits)
    hits.sort(key=_BY_PLACE)
    seen: set[tuple[str, str]] = set()
    found: list[Found] = []
    for _, _, item in hits:
        key = (item.kind, item.value)
        if key not in seen:
            seen.add(key)
            found.append(item)
    return found
