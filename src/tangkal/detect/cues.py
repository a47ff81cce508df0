"""Language-independent scam cues: hand-written keyword rules in nine languages.

The character model only knows the languages it was trained on; these cues ("asks you to
transfer money", "promises 30% a week") carry over to Khmer, Burmese, Lao, Malay and
Filipino, and they give every score its plain-language reasons. The rules live in
``data/cues.json`` so linguists can extend them without touching code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from tangkal.detect.text import bound

__all__ = ["Cue", "CueHit", "cue_codes", "find_cues", "find_cues_slow", "load_cues", "prepare"]


@dataclass(frozen=True, slots=True)
class Cue:
    """One rule: a stable code, an English sentence and one compiled alternation."""

    code: str
    text: str
    is_reason: bool
    weight: float
    source: str  # the whole alternation; compiled only by the reference implementation


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found in a text, with the words that triggered it."""

    code: str
    match: str


_ALPHA = re.compile(r"[^\W\d_]+")
_OPTIONAL_LETTER = re.compile(r"[^\W\d_]\?")
_ESCAPES = re.compile(r"\\[bBdDwWsS]|\\.")
_NON_LATIN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
# Optional filler words inside patterns ("send (me |us )?(your )?otp"): gating on them would
# run most patterns on every text. Every alternative keeps a content word to gate on.
_STOP_WORDS = frozenset(
    [
        "a",
        "i",
        "s",
        "h",
        "me",
        "us",
        "you",
        "your",
        "ur",
        "my",
        "the",
        "of",
        "to",
        "in",
        "on",
        "be",
        "has",
        "been",
        "will",
        "with",
        "per",
        "each",
        "every",
        "have",
        "ang",
        "mo",
        "ng",
        "sa",
        "na",
        "ay",
        "ka",
        "ke",
        "di",
        "no",
        "ini",
        "mga",
        "nyo",
        "ninyo",
        "ko",
        "so",
        "kan",
        "ku",
        "ening",
    ]
)
_SCRIPT_OF = {
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
    "lao": re.compile(r"[\u0e80-\u0eff]"),
    "myanmar": re.compile(r"[\u1000-\u109f]"),
    "khmer": re.compile(r"[\u1780-\u17ff]"),
}


@dataclass(frozen=True, slots=True)
class _Index:
    """Patterns indexed by the word prefixes (Latin) or the script (others) they need.

    Python's ``re`` tries every branch of an alternation at every position, so running all
    cue patterns over each text would cost about a millisecond. A pattern can only match
    where one of its literal words starts a word of the text (Latin scripts) or where its
    script occurs (Thai, Lao, Burmese, Khmer), so only those patterns run; a test checks
    on every training text that the gate never changes a result. Patterns are numbered in
    cue order, so sorting candidate numbers keeps the cues in their fixed order.
    """

    cues: tuple[Cue, ...]
    patterns: tuple[tuple[int, re.Pattern[str]], ...]  # (cue number, pattern)
    by_head: dict[str, tuple[tuple[str, tuple[int, ...]], ...]]
    by_script: dict[str, tuple[int, ...]]
    always: tuple[int, ...]


@cache
def load_cues() -> tuple[Cue, ...]:
    """Load and compile ``data/cues.json`` once per process."""
    return _index().cues


@cache
def _index() -> _Index:
    raw = resources.files("tangkal.detect").joinpath("data/cues.json").read_text("utf-8")
    cues: list[Cue] = []
    compiled: list[tuple[int, re.Pattern[str]]] = []
    by_prefix: dict[str, list[int]] = {}
    by_script: dict[str, list[int]] = {}
    always: list[int] = []
    for number, item in enumerate(json.loads(raw)["cues"]):
        patterns = [p for group in item["patterns"].values() for p in group]
        alternation = "|".join(f"(?:{p})" for p in patterns)
        cue = Cue(
            item["code"],
            item["text"],
            bool(item["reason"]),
            float(item["weight"]),
            alternation,
        )
        cues.append(cue)
        for source in patterns:
            entry = len(compiled)
            compiled.append((number, re.compile(source)))
            scripts = [name for name, rx in _SCRIPT_OF.items() if rx.search(source)]
            # "slots?" must gate on "slot": drop a letter made optional by "?".
            literal = _OPTIONAL_LETTER.sub("", _ESCAPES.sub(" ", source))
            words = set(_ALPHA.findall(_NON_LATIN.sub(" ", literal)))
            if scripts and not words:
                for name in scripts:
                    by_script.setdefault(name, []).append(entry)
                continue
            words -= _STOP_WORDS
            if not words:
                always.append(entry)  # word-free patterns ("$ ?\d") cannot be gated
                continue
            for name in scripts:  # mixed patterns ("(otp|รหัส)..."): either gate opens
                by_script.setdefault(name, []).append(entry)
            for word in words:
                by_prefix.setdefault(word, []).append(entry)
    # Fragments are looked up by their first one to three letters, then checked with
    # startswith: a handful of dict lookups per word instead of one per prefix.
    heads: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
    for fragment, entries in by_prefix.items():
        heads.setdefault(fragment[:3], []).append((fragment, tuple(entries)))
    return _Index(
        tuple(cues),
        tuple(compiled),
        {k: tuple(v) for k, v in heads.items()},
        {k: tuple(v) for k, v in by_script.items()},
        tuple(always),
    )


def cue_codes() -> list[str]:
    """Codes of all cues, in the fixed order used as model features."""
    return [cue.code for cue in load_cues()]


def prepare(text: str) -> str:
    """Bound, NFKC-normalise and casefold a text the way the cue patterns expect."""
    return unicodedata.normalize("NFKC", bound(text)).casefold()


@lru_cache(maxsize=200_000)
def _word_entries(word: str) -> frozenset[int]:
    """Patterns gated open by one word of a text (cached: words repeat across messages)."""
    found: set[int] = set()
    for size in (1, 2, 3):
        for fragment, entries in _index().by_head.get(word[:size], ()):
            if word.startswith(fragment):
                found.update(entries)
    return frozenset(found)


def _candidates(text: str, index: _Index) -> list[int]:
    found: set[int] = set(index.always)
    for word in set(_ALPHA.findall(text)):
        found |= _word_entries(word[:24])
    if _NON_LATIN.search(text):
        for name, rx in _SCRIPT_OF.items():
            if rx.search(text):
                found.update(index.by_script.get(name, ()))
    return sorted(found)


def find_cues(text: str) -> list[CueHit]:
    """Return the cues found in ``text`` (already passed through :func:`prepare`).

    >>> [h.code for h in find_cues(prepare("URGENT: transfer the fee to account number 123"))]
    ['asks_transfer_money', 'personal_account', 'urgency']
    """
    index = _index()
    patterns = index.patterns
    hits: list[CueHit] = []
    seen: set[int] = set()
    for entry in _candidates(text, index):
        number, pattern = patterns[entry]
        if number in seen:
            continue
        found = pattern.search(text)
        if found is not None:
            seen.add(number)
            hits.append(CueHit(index.cues[number].code, found.group(0).strip()[:60]))
    return hits


@cache
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


def find_cues_slow(text: str) -> list[CueHit]:
    """Reference implementation without the gate; tests compare it with :func:`find_cues`."""
    hits: list[CueHit] = []
    for cue in load_cues():
        found = _compiled(cue.source).search(text)
        if found is not None:
            hits.append(CueHit(cue.code, found.group(0).strip()[:60]))
    return hits
