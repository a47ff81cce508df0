"""The words that give a number its meaning: banks, e-wallets, cue phrases and platforms.

A ten-digit number is a bank account after "rek BCA", a phone after "WA", and nothing
after "kode OTP". The lists live in ``tangkal/data/{banks,cues,platforms}.json`` so a
country can add its banks without touching code; this module compiles them once, at
import, into the few regular expressions the extractor runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "AMOUNT_AFTER_RE",
    "AMOUNT_BEFORE_RE",
    "HANDLE_RE",
    "INSTITUTIONS",
    "PLATFORMS_BY_HOST",
    "PLATFORM_NAME_RE",
    "Cue",
    "Institution",
    "Platform",
    "find_cues",
    "institution_named",
    "platform_named",
]


@dataclass(frozen=True, slots=True)
class Institution:
    """A bank or e-wallet: ``code`` is the short name stored in indicator attributes."""

    code: str
    name: str
    country: str
    type: str  # "bank" | "ewallet"


@dataclass(frozen=True, slots=True)
class Cue:
    """What a matched phrase says about the number after it."""

    category: str  # "bank" | "ewallet" | "account" | "phone" | "noise" | "utility"
    institution: Institution | None = None


@dataclass(frozen=True, slots=True)
class Platform:
    """A messaging or social platform whose links and cue phrases name an account."""

    code: str
    reserved: frozenset[str]


def _load(name: str) -> Any:
    """Parse one shipped JSON file; the package data travels inside the wheel."""
    with resources.files("tangkal.data").joinpath(name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _is_latin(phrase: str) -> bool:
    """Latin phrases need word boundaries; Thai, Khmer, Burmese and Lao have no spaces."""
    return all(ord(c) < 0x0E00 or 0x1E00 <= ord(c) <= 0x1EFF for c in phrase)


def _trie(phrases: list[str], after_first: str = "") -> str:
    """A prefix-tree regex: ``re`` tries alternatives one by one, a tree fails on one char.

    Four hundred flat alternatives cost ~0.8 µs per scanned character, the tree a tenth of
    that. Starting with plain characters (``after_first`` holds any assertion) lets ``re``
    skip straight to positions holding a possible first letter.
    """
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: dict[str, Any], extra: str) -> str:
        branches = [
            re.escape(c) + extra + walk(child, "") for c, child in sorted(node.items()) if c
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return walk(tree, after_first)


def _bounded(phrases: list[str]) -> str:
    """Latin phrases must stand alone: "rek" in "rekam" is not a cue."""
    return _trie(phrases, after_first=r"(?<![\w.].)") + r"(?!\w)"


def _after_separator(phrases: list[str]) -> str:
    """``_bounded`` read from the character before the phrase, captured as group 1.

    The same phrases match, for text that starts with a space (``find_cues`` adds one): a
    phrase starts a word exactly when the character before it is no letter, digit, "_" or
    ".". Opening with that character lets ``re`` skip to the spaces and punctuation, one
    position in five, instead of starting a match at every letter: the cue words begin with
    nearly every letter (102k -> 40k instructions per demo narrative, callgrind). Every
    phrase starts with a letter or digit, so a phrase never starts where the previous one
    ended and finding the character before it takes nothing from the previous match.
    """
    assert all(p[:1].isalnum() for p in phrases), "a cue phrase starts with a letter or digit"
    return r"[^\w.](" + _trie(phrases) + r")(?!\w)"


_BANKS = _load("banks.json")["institutions"]
_CUES = _load("cues.json")
_PLATFORMS = _load("platforms.json")["platforms"]

INSTITUTIONS: tuple[Institution, ...] = tuple(
    Institution(b["code"], b["name"], b["country"], b["type"]) for b in _BANKS
)

_CUE_BY_PHRASE: dict[str, Cue] = {}
for _category in ("noise", "phone", "account", "utility"):
    for _phrase in _CUES[_category]:
        _CUE_BY_PHRASE[_phrase.lower()] = Cue(_category)
_EXACT: list[str] = []
for _raw, _inst in zip(_BANKS, INSTITUTIONS, strict=True):
    # An institution's own name outranks a generic cue word spelled the same ("Wing").
    for _phrase in [*_raw["aliases"], *_raw.get("exact", [])]:
        _CUE_BY_PHRASE[_phrase.lower()] = Cue(_inst.type, _inst)
    _EXACT.extend(_raw.get("exact", []))
_INSENSITIVE = [p for p in _CUE_BY_PHRASE if p not in {e.lower() for e in _EXACT}]

_LATIN = [p for p in _INSENSITIVE if _is_latin(p)]
# Matching lower-cased text without IGNORECASE is about twice as fast in ``re``.
_CUE_LOWER_RE = re.compile(_after_separator(_LATIN))
_CUE_ANYCASE_RE = re.compile(_after_separator(_LATIN), re.IGNORECASE)
_CUE_EXACT_RE = re.compile(_bounded(_EXACT))
_CUE_OTHER_RE = re.compile(_trie([p for p in _INSENSITIVE if not _is_latin(p)]))
_NON_LATIN_RE = re.compile(r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF]")


def find_cues(text: str, lowered: str | None = None) -> list[tuple[int, int, Cue]]:
    """Every cue phrase in ``text`` as ``(start, end, cue)``, ordered by start.

    ``lowered`` is ``text.lower()`` when the caller has it already.

    >>> [(s, c.category) for s, _, c in find_cues("rek BCA")]
    [(0, 'account'), (4, 'bank')]
    """
    lowered = text.lower() if lowered is None else lowered
    cue = _CUE_BY_PHRASE
    # Matched after a space added in front (see ``_after_separator``): a match from the
    # separator at i holds the phrase at i in the text.
    if len(lowered) == len(text):
        found = [
            (m.start(), m.end() - 1, cue[m.group(1)]) for m in _CUE_LOWER_RE.finditer(" " + lowered)
        ]
    else:  # a few characters ("İ") grow when lower-cased and would shift every offset
        found = [
            (m.start(), m.end() - 1, cue[m.group(1).lower()])
            for m in _CUE_ANYCASE_RE.finditer(" " + text)
        ]
    # One regex's matches come in order; merging is needed only when another one adds some.
    # Two matches on one span are the same phrase in another case, so the same cue.
    merge = False
    for m in _CUE_EXACT_RE.finditer(text):
        found.append((m.start(), m.end(), cue[m.group().lower()]))
        merge = True
    # ``_NON_LATIN_RE`` holds no ASCII character: an ASCII text skips its scan (O(1) test).
    if not text.isascii() and _NON_LATIN_RE.search(text):
        for m in _CUE_OTHER_RE.finditer(text):
            found.append((m.start(), m.end(), cue[m.group().lower()]))
            merge = True
    if merge:
        found.sort(key=_span)
    return found


def _span(hit: tuple[int, int, Cue]) -> tuple[int, int]:
    return hit[0], hit[1]


_INSTITUTION_BY_NAME: dict[str, Institution] = {}
for _raw, _inst in zip(_BANKS, INSTITUTIONS, strict=True):
    for _phrase in [_inst.code, _inst.name, *_raw["aliases"], *_raw.get("exact", [])]:
        _INSTITUTION_BY_NAME.setdefault(re.sub(r"[\s\-']+", "", _phrase.lower()), _inst)


def institution_named(name: str) -> Institution | None:
    """Look up a bank or e-wallet by code, name or alias, ignoring case and spacing."""
    return _INSTITUTION_BY_NAME.get(re.sub(r"[\s\-']+", "", name.lower()))


def _amount_alts(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# A currency just before a number, or a unit just after it, makes the number an amount.
AMOUNT_BEFORE_RE = re.compile(
    r"(?<![^\W\d_])(?:" + _amount_alts(_CUES["amount_prefix"]) + r")\s{0,2}[:.]?\s{0,2}\Z",
    re.IGNORECASE,
)
_SUFFIX_LATIN = [w for w in _CUES["amount_suffix"] if _is_latin(w) and w.isalpha()]
_SUFFIX_OTHER = [w for w in _CUES["amount_suffix"] if w not in _SUFFIX_LATIN]
AMOUNT_AFTER_RE = re.compile(
    r"\s{0,2}(?:(?:" + _amount_alts(_SUFFIX_LATIN) + r")(?![^\W\d_])"
    r"|(?:" + _amount_alts(_SUFFIX_OTHER) + "))",
    re.IGNORECASE,
)

PLATFORMS_BY_HOST: dict[str, Platform] = {}
_PLATFORM_BY_NAME: dict[str, str] = {}
for _p in _PLATFORMS:
    _platform = Platform(_p["code"], frozenset(_p["reserved"]))
    for _host in _p["hosts"]:
        PLATFORMS_BY_HOST[_host] = _platform
    _PLATFORM_BY_NAME[_p["code"]] = _p["code"]
    for _name in _p["names"]:
        _PLATFORM_BY_NAME[_name.lower()] = _p["code"]


def platform_named(name: str) -> str | None:
    """The platform code for a name people write ("TG", "ID LINE", "ig")."""
    return _PLATFORM_BY_NAME.get(" ".join(name.lower().split()))


def _by_first_letter(names: list[str]) -> str:
    """One alternative per first letter, Latin names bounded: ``re`` sees every start.

    Written as a Latin tree or-ed with a Thai one, the group hid its first letters from
    ``re``, which then tried the pattern at every position (5.6 -> 2.8 µs per demo
    narrative; the same matches, as the letters that open the two sets differ).
    """
    branches = []
    for first, other in sorted({(n[0], not _is_latin(n)) for n in names}):
        group = [n for n in names if n[0] == first and (not _is_latin(n)) == other]
        branches.append(_trie(group) if other else _bounded(group))
    return "(?:" + "|".join(branches) + ")"


_NAMES = _by_first_letter(list(_PLATFORM_BY_NAME))
# A platform's name alone (lower-cased text): what an "@handle" a few words on belongs to.
PLATFORM_NAME_RE = re.compile(_NAMES)
# "Telegram @x", "TG: @x", "ID LINE: x", "line id x", "ไลน์ @x", "ไอดีไลน์คือ x" (LINE ID
# is x); the extractor checks for a preceding "add (me on)". Starting with the names' tree
# keeps the scan cheap, and it runs on lower-cased text: ``re`` is three times faster
# without IGNORECASE. Thai, Lao and Khmer write "is" glued to the words around it.
HANDLE_RE = re.compile(
    r"(?P<plat>" + _NAMES + r")(?P<id>\s*(?:id|ไอดี))?\s*"
    r"(?P<sep>[:：=]|\s-|(?:คือ|ແມ່ນ|គឺ)|(?<=\s)(?:is|ialah|adalah|là)(?=\s))?\s*(?P<at>[@~])?"
    r"(?P<handle>[a-z0-9_][a-z0-9_.\-]{2,31})"
)
