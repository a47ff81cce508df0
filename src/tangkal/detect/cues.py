"""Language-independent scam cues: hand-written keyword rules in nine languages.

The character model only knows the languages it was trained on; these cues ("asks you to
transfer money", "promises 30% a week") carry over to Khmer, Burmese, Lao, Malay and
Filipino, and they give every score its plain-language reasons. The rules live in
``data/cues.json`` so linguists can extend them without touching code.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import hyperscan

from tangkal.detect.literals import Clauses, literal_gate, max_width, passes
from tangkal.detect.text import fold

__all__ = [
    "Cue",
    "CueHit",
    "cue_codes",
    "cue_numbers",
    "find_cues",
    "find_cues_slow",
    "load_cues",
    "prepare",
    "unaccented",
]


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


@dataclass(frozen=True, slots=True)
class _Index:
    """Patterns gated by the literal substrings they cannot match without.

    Python's ``re`` tries every branch of an alternation at every position, so running all
    541 cue patterns over each text would cost about a millisecond, and even a failing
    search of one pattern walks the whole text (~5 µs). Each pattern's required literals
    (``literals.py``: every match contains a string of every clause) decide instead: one
    Hyperscan pass over the text's UTF-8 finds which strings of the patterns' first (most
    selective) clauses occur in it, only those patterns are considered, their other clauses
    are tested with ``in``, and only then the pattern is searched. (pyahocorasick did the
    same pass at ~420 instructions per character, more than the searches it saved; Hyperscan's
    literal matcher takes a few per byte.) The literals are a necessary
    condition, so the gate never changes a result; a test checks that on every training
    text. Patterns are numbered in cue order, so sorting candidate numbers keeps the cues
    in their fixed order.
    """

    cues: tuple[Cue, ...]
    patterns: tuple[tuple[int, re.Pattern[str]], ...]  # (cue number, pattern)
    rest: tuple[Clauses, ...]  # per pattern: the clauses after the first (tested with ``in``)
    gate: hyperscan.Database  # the first-clause strings, as pure literals; id: ``opens`` index
    strings: tuple[str, ...]  # the first-clause strings, by gate id
    opens: tuple[tuple[int, ...], ...]  # per first-clause string: the patterns it opens
    always: frozenset[int]  # patterns without a required literal (never seen so far)
    reaches: tuple[int, ...]  # per pattern: how far into a match its first clause ends
    widths: tuple[int, ...]  # per pattern: longest match, ``sys.maxsize`` when unbounded


@cache
def load_cues() -> tuple[Cue, ...]:
    """Load and compile ``data/cues.json`` once per process."""
    return _index().cues


_MARKS = re.compile("[\u0300-\u036f]")


def unaccented(text: str) -> str:
    """Vietnamese text without diacritics ("tài khoản bị khóa" -> "tai khoan bi khoa").

    >>> unaccented("đã bị khóa")
    'da bi khoa'
    """
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d")


def _unaccented_twins(patterns: list[str]) -> list[str]:
    """Each Vietnamese pattern written without diacritics, as whole words, when it differs.

    Half the Vietnamese messages are typed without diacritics ("tai khoan cua quy khach da
    bi khoa"); a twin derived here keeps the two spellings of every cue in step. Unaccented
    syllables are short Latin words ("may man", "co don"), so the twin must start and end
    at word boundaries ("you may manage" is no prize).
    """
    twins: list[str] = []
    for pattern in patterns:
        twin = unaccented(pattern)
        if twin != pattern and twin not in patterns:
            twins.append(rf"\b(?:{twin})\b")
    return twins


@cache
def _index() -> _Index:
    raw = resources.files("tangkal.detect").joinpath("data/cues.json").read_text("utf-8")
    cues: list[Cue] = []
    compiled: list[tuple[int, re.Pattern[str]]] = []
    rest: list[Clauses] = []
    reaches: list[int] = []
    widths: list[int] = []
    opens: dict[str, list[int]] = {}
    always: set[int] = set()
    for number, item in enumerate(json.loads(raw)["cues"]):
        # Texts are read NFKC-normalised (``prepare``), so the patterns must be too: Thai and
        # Lao AM (ำ, ຳ) and Lao ໝ decompose under NFKC, and a pattern typed with them never
        # matched ("ตำรวจ", police; "ຄ່າທຳນຽມ", fee). NFKC only: casefolding would turn
        # ``\D`` into ``\d``.
        patterns = [
            unicodedata.normalize("NFKC", p) for group in item["patterns"].values() for p in group
        ]
        patterns += _unaccented_twins(item["patterns"].get("vi", []))
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
            pattern = re.compile(source)
            compiled.append((number, pattern))
            clauses, reach = literal_gate(pattern)
            reaches.append(reach)
            widths.append(max_width(pattern))
            rest.append(clauses[1:])
            if not clauses:
                always.add(entry)
            for string in clauses[0] if clauses else ():
                opens.setdefault(string, []).append(entry)
    strings = list(opens)
    gate = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    gate.compile(
        expressions=[string.encode("utf-8") for string in strings],
        ids=list(range(len(strings))),
        elements=len(strings),
        flags=0,  # exact bytes: texts are casefolded already, as the strings are
        literal=True,
    )
    return _Index(
        tuple(cues),
        tuple(compiled),
        tuple(rest),
        gate,
        tuple(strings),
        tuple(tuple(opens[string]) for string in strings),
        frozenset(always),
        tuple(reaches),
        tuple(widths),
    )


def cue_codes() -> list[str]:
    """Codes of all cues, in the fixed order used as model features."""
    return [cue.code for cue in load_cues()]


def prepare(text: str) -> str:
    """Bound, NFKC-normalise and casefold a text the way the cue patterns expect."""
    return fold(text)


_scratch = threading.local()  # Hyperscan scratch space is per thread (web workers score too)


def _gate_hits(text: str, index: _Index) -> dict[int, list[int]]:
    """First-clause string id -> [first end, last end] in ``text``: character offsets, inclusive.

    The gate reads UTF-8 bytes; a literal found there always starts and ends on character
    boundaries (UTF-8 is self-synchronising), so a byte offset converts to the number of
    characters before it. Lone surrogates pass through as their 3-byte forms.
    """
    data = text.encode("utf-8", "surrogatepass")
    ends: dict[int, list[int]] = {}

    def found(string: int, _start: int, end: int, _flags: int, _context: object) -> None:
        seen = ends.get(string)
        if seen is None:
            ends[string] = [end, end]
        elif end < seen[0]:
            seen[0] = end
        elif end > seen[1]:
            seen[1] = end

    scratch = getattr(_scratch, "space", None)
    if scratch is None or scratch.database is not index.gate:
        scratch = _scratch.space = hyperscan.Scratch(index.gate)
    index.gate.scan(data, match_event_handler=found, scratch=scratch)
    if len(data) == len(text):  # ASCII: bytes are characters
        for bounds in ends.values():
            bounds[0] -= 1
            bounds[1] -= 1
    else:
        for bounds in ends.values():
            bounds[0] = len(data[: bounds[0]].decode("utf-8", "surrogatepass")) - 1
            bounds[1] = len(data[: bounds[1]].decode("utf-8", "surrogatepass")) - 1
    return ends


def _candidates(text: str, index: _Index) -> list[tuple[int, int, int]]:
    """(pattern, start, end) for every pattern the gate opens, in order: where to search.

    A match contains a first-clause string ending at most ``reach`` characters after the
    match starts (``literals.literal_gate``), and no such string ends before the earliest
    one: no match starts before its end ``- reach + 1``. A match is at most ``width`` long
    and contains one of those strings, so it ends before the end of the last one
    ``+ width + 1``. ``re`` reads the text before ``pos`` for ``\\b`` and look-behinds, and
    no match can reach ``endpos``, where the text would look cut; so searching this window
    returns the same leftmost match as searching the whole text, without walking it.
    """
    reaches, widths, opens = index.reaches, index.widths, index.opens
    size = len(text)
    ends: dict[int, list[int]] = {}  # pattern -> [earliest, latest] end of a string opening it
    for string, (early, late) in _gate_hits(text, index).items():
        for entry in opens[string]:
            bounds = ends.get(entry)
            if bounds is None:
                ends[entry] = [early, late]
            else:
                bounds[0] = min(bounds[0], early)
                bounds[1] = max(bounds[1], late)
    windows = [(entry, 0, size) for entry in index.always]
    for entry, (early, late) in ends.items():
        stop = min(size, late + widths[entry] + 1) if widths[entry] < size else size
        windows.append((entry, max(0, early - reaches[entry] + 1), stop))
    windows.sort()
    return windows


def _scan(text: str) -> list[tuple[int, re.Match[str]]]:
    """(cue number, first match) of every cue found, in cue order."""
    index = _index()
    patterns, rest = index.patterns, index.rest
    found: list[tuple[int, re.Match[str]]] = []
    seen: set[int] = set()
    for entry, start, stop in _candidates(text, index):
        number, pattern = patterns[entry]
        if number in seen or (rest[entry] and not passes(rest[entry], text)):
            continue
        match = pattern.search(text, start, stop)
        if match is not None:
            seen.add(number)
            found.append((number, match))
    return found


def find_cues(text: str) -> list[CueHit]:
    """Return the cues found in ``text`` (already passed through :func:`prepare`).

    >>> [h.code for h in find_cues(prepare("URGENT: transfer the fee to account number 123"))]
    ['asks_transfer_money', 'personal_account', 'urgency']
    """
    cues = _index().cues
    return [CueHit(cues[number].code, match.group(0).strip()[:60]) for number, match in _scan(text)]


def cue_numbers(text: str) -> list[int]:
    """Positions in :func:`load_cues` of the cues :func:`find_cues` finds (no match texts).

    >>> [load_cues()[n].code for n in cue_numbers(prepare("URGENT: transfer the fee"))]
    ['asks_transfer_money', 'urgency']
    """
    return [number for number, _ in _scan(text)]


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
