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
from functools import cache
from importlib import resources

from tangkal.detect.text import bound

__all__ = ["Cue", "CueHit", "cue_codes", "find_cues", "load_cues", "prepare"]


@dataclass(frozen=True, slots=True)
class Cue:
    """One rule: a stable code, an English sentence and one compiled alternation."""

    code: str
    text: str
    is_reason: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found in a text, with the words that triggered it."""

    code: str
    match: str


@cache
def load_cues() -> tuple[Cue, ...]:
    """Load and compile ``data/cues.json`` once per process."""
    raw = resources.files("tangkal.detect").joinpath("data/cues.json").read_text("utf-8")
    cues: list[Cue] = []
    for item in json.loads(raw)["cues"]:
        patterns = [p for group in item["patterns"].values() for p in group]
        alternation = "|".join(f"(?:{p})" for p in patterns)
        cues.append(
            Cue(item["code"], item["text"], bool(item["reason"]), re.compile(alternation, re.I))
        )
    return tuple(cues)


def cue_codes() -> list[str]:
    """Codes of all cues, in the fixed order used as model features."""
    return [cue.code for cue in load_cues()]


def prepare(text: str) -> str:
    """Bound, NFKC-normalise and casefold a text the way the cue patterns expect."""
    return unicodedata.normalize("NFKC", bound(text)).casefold()


def find_cues(text: str) -> list[CueHit]:
    """Return the cues found in ``text`` (already passed through :func:`prepare`).

    >>> [h.code for h in find_cues(prepare("URGENT: transfer the fee to account number 123"))]
    ['asks_transfer_money', 'personal_account', 'urgency']
    """
    hits: list[CueHit] = []
    for cue in load_cues():
        found = cue.pattern.search(text)
        if found is not None:
            hits.append(CueHit(cue.code, found.group(0).strip()[:60]))
    return hits
