"""The literal gate of the cue patterns never changes a search's result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tangkal.detect.cues import _candidates, _index, prepare
from tangkal.detect.literals import literal_gate, passes, required_literals
from tangkal.report.demo import generate

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("source", "clauses"),
    [
        (r"\bwe will never ask\b", (("we will never ask",),)),
        (r"\b(a/c|acc) (no|name)\b", (("a/c name", "a/c no", "acc name", "acc no"),)),
        (r"\b(send|give)\b.{0,30}\b(money|fee)", (("give", "send"), ("fee", "money"))),
        (r"slots?", (("slot",),)),
        (r"(?i)bank", ()),  # case-insensitive: no literal is required as written
        (r"\d+ ?%", (("%",),)),
        (r"(ab|\w+)c", (("c",),)),  # one alternative needs no literal: only "c" is required
        (r"(?=x)y", (("y",),)),
    ],
)
def test_required_literals(source: str, clauses: tuple[tuple[str, ...], ...]) -> None:
    assert required_literals(re.compile(source)) == clauses


def test_reach_bounds_where_a_match_can_start() -> None:
    assert literal_gate(re.compile(r"\b(wa|line)\b.{0,6}\d+"))[1] == 4
    assert literal_gate(re.compile(r"\d+ (rp|usd)"))[1] > 10**9  # unbounded prefix


def _texts() -> list[str]:
    scams = (FIXTURES / "scams.jsonl").read_text("utf-8").splitlines()
    notices = (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines()
    demo = [item.report["narrative"] for item in generate(300, seed=3)]
    return [prepare(t) for t in [json.loads(line)["text"] for line in scams] + notices + demo]


def test_gate_gives_every_pattern_the_same_first_match() -> None:
    """Every pattern matching a text is a candidate, passes its clauses, and is found in
    the gate's window (start, end) at the same span as by a search of the whole text."""
    index = _index()
    checked = 0
    for text in _texts():
        candidates = {entry: (start, stop) for entry, start, stop in _candidates(text, index)}
        for entry, (_, pattern) in enumerate(index.patterns):
            match = pattern.search(text)
            if match is None:
                continue
            checked += 1
            assert entry in candidates, (pattern.pattern, text)
            assert passes(index.rest[entry], text), (pattern.pattern, text)
            gated = pattern.search(text, *candidates[entry])
            assert gated is not None and gated.span() == match.span(), (pattern.pattern, text)
    assert checked > 1_000
