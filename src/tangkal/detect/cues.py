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

import ahocorasick
import phonenumbers

from tangkal.data import allowlist
from tangkal.detect.literals import Clauses, literal_gate, max_width, passes
from tangkal.detect.text import fold

__all__ = [
    "Cue",
    "CueHit",
    "cue_codes",
    "cue_numbers",
    "find_cues",
    "find_cues_slow",
    "is_official_number",
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
    Aho–Corasick pass finds which strings of the patterns' first (most selective) clauses
    occur in a text, only those patterns are considered, their other clauses are tested
    with ``in``, and only then the pattern is searched. The literals are a necessary
    condition, so the gate never changes a result; a test checks that on every training
    text. Patterns are numbered in cue order, so sorting candidate numbers keeps the cues
    in their fixed order.
    """

    cues: tuple[Cue, ...]
    patterns: tuple[tuple[int, re.Pattern[str]], ...]  # (cue number, pattern)
    rest: tuple[Clauses, ...]  # per pattern: the clauses after the first (tested with ``in``)
    gate: ahocorasick.Automaton  # first-clause string -> patterns it opens
    always: frozenset[int]  # patterns without a required literal (never seen so far)
    reaches: tuple[int, ...]  # per pattern: how far into a match its first clause ends
    widths: tuple[int, ...]  # per pattern: longest match, ``sys.maxsize`` when unbounded


# Cues that name a phone number to call, and whether they fire when that number is an
# official one (``is_official_number``): "not you? call 0917 552 3810" is a scam's call-back
# (``card_charge_callback``), "not you? call 1-300-88-6688" the bank's (``official_callback``,
# a genuine-notice sign). Their patterns are the same; the number decides which fires.
NUMBER_CHECKED = {"card_charge_callback": False, "official_callback": True}
_PHONE = re.compile(r"\+?\d[\d .()-]{7,}\d")
# Where a number written without its country code may be from: the ASEAN states.
_REGIONS = ("ID", "MY", "TH", "VN", "PH", "SG", "KH", "MM", "LA", "BN")
# Number types a bank's or an agency's call centre has; mobiles, VoIP and premium-rate
# lines are what scam call-back numbers are.
_OFFICIAL_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
)


# A message's money says where it is from: "RM1,099" is Malaysian, "ကျပ် 145,000" Burmese.
# Matched on the folded text; a currency sign or code next to digits, or a currency word.
_CURRENCY_REGIONS = tuple(
    (region, re.compile(pattern))
    for region, pattern in (
        ("MY", r"\brm ?\d|\bmyr\b|ringgit"),
        ("ID", r"\brp\.? ?\d|\bidr\b|rupiah"),
        ("TH", r"฿|บาท|\bthb\b"),
        ("VN", r"₫|\bvn[dđ]\b|\d ?đ\b|đồng|\d ?(?:triệu|nghìn)"),
        ("PH", r"₱|\bphp ?\d|\bphp\b|piso|pesos?\b"),
        ("SG", r"\bs\$|\bsgd\b"),
        ("KH", r"៛|រៀល|\bkhr\b"),
        ("MM", r"ကျပ်|\bmmk\b|\d ?ks\b|\bkyats?\b"),
        ("LA", r"ກີບ|\blak\b|\bkip\b"),
        ("BN", r"\bb\$|\bbnd\b"),
    )
)


def money_region(text: str) -> str | None:
    """The one ASEAN state whose currency a (folded) message names, if exactly one.

    >>> money_region("a transaction of rm1,099.00 at ikea"), money_region("rp 50.000 or s$ 5")
    ('MY', None)
    """
    found = [region for region, pattern in _CURRENCY_REGIONS if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def _numbers(number: str, regions: tuple[str, ...] = _REGIONS) -> list[phonenumbers.PhoneNumber]:
    """Every valid reading of a number as written: its own country's, or each ASEAN state's."""
    found = []
    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed) and parsed not in found:
            found.append(parsed)
    return found


@cache
def _official_numbers() -> frozenset[str]:
    """E.164 forms of the official hotlines of the shipped allowlist (``tangkal/data``)."""
    return frozenset(e["value"] for e in allowlist()["entries"] if e["kind"] == "phone")


@lru_cache(maxsize=4096)
def is_official_number(number: str, region: str | None = None) -> bool:
    """Whether a phone number as written may be a bank's hotline rather than a person's phone.

    On the shipped allowlist; or a service or toll-free number written starting with 1
    (1500888, 1-300-88-6688, 1800 ..., 1900 ...), while personal numbers start with 0 or a
    country code; or a number that ``phonenumbers`` reads as a landline, toll-free or
    shared-cost number in every ASEAN state where it is valid (a call centre), never as a
    mobile (scam call-back numbers are mobiles). "03-2345 6789" is a Kuala Lumpur landline
    but also a Vietnamese mobile, so it does not count unless the
    message says where it is from: ``region`` (its currency: ``money_region``) reads a
    national number there only.

    >>> is_official_number("02-888-8888"), is_official_number("1-300-88-6688")
    (True, True)
    >>> is_official_number("011-2384 9921"), is_official_number("020 5544 3321")
    (False, False)
    >>> is_official_number("03-2383 0000"), is_official_number("03-2383 0000", "MY")
    (False, True)
    """
    number = number.strip()
    if number[:1] == "1":
        return True
    readings = _numbers(number, (region,) if region else _REGIONS)
    official = _official_numbers()
    e164 = phonenumbers.PhoneNumberFormat.E164
    if any(phonenumbers.format_number(n, e164) in official for n in readings):
        return True
    types = {phonenumbers.number_type(n) for n in readings}
    return bool(types) and types <= _OFFICIAL_TYPES


def _number_fits(match: re.Match[str], official: bool) -> bool:
    """Whether the last phone number of a number-checked cue's match is (not) official."""
    numbers = _PHONE.findall(match.group(0))
    if not numbers:
        return False
    return is_official_number(numbers[-1], money_region(match.string)) == official


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
    gate = ahocorasick.Automaton()
    for string, entries in opens.items():
        gate.add_word(string, tuple(entries))
    gate.make_automaton()
    return _Index(
        tuple(cues),
        tuple(compiled),
        tuple(rest),
        gate,
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
    reaches, widths = index.reaches, index.widths
    size = len(text)
    window = {entry: [0, size] for entry in index.always}
    for end, entries in index.gate.iter(text):  # in order of end position
        for entry in entries:
            bounds = window.get(entry)
            if bounds is None:
                window[entry] = bounds = [max(0, end - reaches[entry] + 1), size]
            if widths[entry] < size:
                bounds[1] = min(size, end + widths[entry] + 1)
    return sorted((entry, start, stop) for entry, (start, stop) in window.items())


def _scan(text: str) -> list[tuple[int, re.Match[str]]]:
    """(cue number, first match) of every cue found, in cue order."""
    index = _index()
    patterns, rest = index.patterns, index.rest
    found: list[tuple[int, re.Match[str]]] = []
    seen: set[int] = set()
    checked = _checked()
    for entry, start, stop in _candidates(text, index):
        number, pattern = patterns[entry]
        if number in seen or (rest[entry] and not passes(rest[entry], text)):
            continue
        if number in checked:
            official = checked[number]
            matches = pattern.finditer(text, start, stop)
            match = next((m for m in matches if _number_fits(m, official)), None)
        else:
            match = pattern.search(text, start, stop)
        if match is not None:
            seen.add(number)
            found.append((number, match))
    return found


@cache
def _checked() -> dict[int, bool]:
    """``NUMBER_CHECKED`` by cue number."""
    return {
        n: NUMBER_CHECKED[c.code] for n, c in enumerate(load_cues()) if c.code in NUMBER_CHECKED
    }


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
        if cue.code in NUMBER_CHECKED:
            matches = _compiled(cue.source).finditer(text)
            found = next((m for m in matches if _number_fits(m, NUMBER_CHECKED[cue.code])), None)
        else:
            found = _compiled(cue.source).search(text)
        if found is not None:
            hits.append(CueHit(cue.code, found.group(0).strip()[:60]))
    return hits
