"""The development stories (``fixtures/dev_stories.jsonl``) as the story tests read them.

Each session's story test module names its stories and their cues; reading the file, the
cue codes of a text and the set's figures are one piece, shared here.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from tangkal.detect import score_messages
from tangkal.detect.cues import find_cues, find_cues_slow, prepare

FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = ("en", "id", "ms", "tl", "th", "vi", "km", "my", "lo")


def story_rows(stories: Collection[str]) -> list[dict[str, object]]:
    lines = (FIXTURES / "dev_stories.jsonl").read_text("utf-8").splitlines()
    return [row for row in map(json.loads, lines) if row["story"] in stories]


def cue_codes(text: str) -> set[str]:
    return {hit.code for hit in find_cues(prepare(text))}


def checked_cue_codes(text: str) -> set[str]:
    """The cues of ``text``, found alike by the gated scan and the plain one (the gate is a
    shortcut and must never change what is found)."""
    found = cue_codes(text)
    assert found == {hit.code for hit in find_cues_slow(prepare(text))}
    return found


def story_cases(stories: Collection[str], label: int) -> list[tuple[str, str, str]]:
    """(story, language, text) of the scams (label 1) or genuine look-alikes (0)."""
    rows = story_rows(stories)
    return [(str(r["story"]), str(r["lang"]), str(r["text"])) for r in rows if r["label"] == label]


@dataclass(frozen=True)
class StoryFigures:
    scams: int
    legit: int
    caught: int  # scams scored at or above 0.5
    typed: int  # caught with the typology the story was written as
    flagged: int  # look-alikes scored at or above 0.5


def story_figures(stories: Collection[str]) -> StoryFigures:
    rows = story_rows(stories)
    scores = score_messages([str(r["text"]) for r in rows])
    scams = [(r, s) for r, s in zip(rows, scores, strict=True) if r["label"] == 1]
    caught = [(r, s) for r, s in scams if s.scam_probability >= 0.5]
    legit = [s for r, s in zip(rows, scores, strict=True) if r["label"] == 0]
    return StoryFigures(
        scams=len(scams),
        legit=len(legit),
        caught=len(caught),
        typed=sum(s.typology == r["typology"] for r, s in caught),
        flagged=sum(s.scam_probability >= 0.5 for s in legit),
    )
