"""The synthetic notice generator (``notices.py``) and its use in training."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from tangkal.detect.corpus import MessageExample, read_lines
from tangkal.detect.features import LINK_FLAGS, message_extra_names, message_parts
from tangkal.detect.notices import CATEGORIES, LANGUAGES, generate, notice_data
from tangkal.detect.train import (
    SEED,
    SYNTHETIC_FEW,
    SYNTHETIC_LANGUAGE_WEIGHTS,
    SYNTHETIC_LANGUAGES,
    SYNTHETIC_PER_LANGUAGE,
    SYNTHETIC_SCAMS_PER_LANGUAGE,
    SYNTHETIC_WEIGHT,
    example_weights,
    synthetic_examples,
)

FIXTURES = Path(__file__).parent / "fixtures"
BRANDS = Path(__file__).parents[2] / "src" / "tangkal" / "detect" / "data" / "brands.json"


@pytest.fixture(scope="module")
def sample() -> list[tuple[str, str, str, int]]:
    """A larger draw than training uses, over all nine languages."""
    return [(n.text, n.language, n.category, n.label) for n in generate(600, SEED, 60)]


def test_the_generator_is_deterministic_for_a_seed() -> None:
    first, again = generate(40, 7, 8), generate(40, 7, 8)
    assert first == again
    assert [n.text for n in generate(40, 8, 8)] != [n.text for n in first]
    # A language's texts do not depend on which other languages are asked for.
    alone = [n for n in generate(40, 7, 8, ("tl",))]
    assert alone == [n for n in first if n.language == "tl"]


def test_every_language_and_category_is_produced(sample: list[tuple[str, str, str, int]]) -> None:
    pairs = {(language, category) for _, language, category, label in sample if label == 0}
    assert pairs == {(language, category) for language in LANGUAGES for category in CATEGORIES}
    # Notice-shaped scams exist for the six languages with a trained model.
    assert {language for _, language, _, label in sample if label == 1} == {
        "id", "ms", "th", "vi", "tl", "en"
    }  # fmt: skip


def test_texts_are_varied(sample: list[tuple[str, str, str, int]]) -> None:
    texts = [text for text, *_ in sample]
    assert len(set(texts)) == len(texts)
    # Slot filling, not a handful of strings: shapes with digits masked repeat little.
    shapes = {re.sub(r"\d", "0", text) for text in texts}
    assert len(shapes) > 0.8 * len(texts)


def test_notices_carry_no_victim_data(sample: list[tuple[str, str, str, int]]) -> None:
    data = notice_data()
    for language in data["languages"].values():
        groups = [*language["templates"].values(), *language.get("everyday", {}).values()]
        for templates in groups:
            for template in templates:
                # no person's name, no personal phone number in a genuine notice
                assert "{mobile}" not in template and "{name}" not in template, template
    for mask in data["shared"]["masks"]:
        assert 0 < mask.count("#") <= 4  # an account shows 4 digits at most
    for text, _, _, label in sample:
        if label == 0:
            assert "@" not in text, text  # no e-mail address
            assert not re.search(r"\d{13,}", text), text  # no card or full account number


def test_notice_links_are_the_senders_official_domains(
    sample: list[tuple[str, str, str, int]],
) -> None:
    brands = {b["domain"] for b in json.loads(BRANDS.read_text("utf-8"))["brands"]}
    for country in notice_data()["senders"].values():
        for entries in country.values():
            for entry in entries:
                assert entry.get("domain", "example.invalid") in brands | {"example.invalid"}
    notices = [text for text, *_, label in sample if label == 0]
    parts = message_parts(notices)
    names = message_extra_names()
    has_link = parts.extras[:, names.index("has_link")] == 1
    official = parts.extras[:, names.index(LINK_FLAGS[-1])] == 1
    assert has_link.sum() > 100
    for row in np.flatnonzero(has_link & ~official):
        # not a bank, courier, telco, utility or government domain: a brand named by its
        # own domain ("tiket.com"), still one of brands.json
        assert set(parts.urls[row]) <= brands, notices[row]
    assert (has_link & ~official).sum() < 0.01 * has_link.sum()
    assert not parts.extras[:, names.index("link_rule_strong")].any()


def _fixture_texts() -> list[str]:
    texts = list(read_lines(FIXTURES / "legit_notices.txt"))
    for path in sorted(FIXTURES.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        texts += [row["text"] for row in rows if "text" in row]  # links_*.jsonl hold URLs
    return texts


def test_no_evaluation_text_appears_in_the_generated_texts(
    sample: list[tuple[str, str, str, int]],
) -> None:
    generated = {text for text, *_ in sample} | {e.text for e in synthetic_examples()}
    fixtures = _fixture_texts()
    assert len(fixtures) > 500
    assert not generated & set(fixtures)
    joined = "\n".join(generated).casefold()
    long_lines = [t.casefold() for t in fixtures if len(t) >= 30]
    assert not [t for t in long_lines if t in joined]


def test_training_examples_are_the_chosen_languages() -> None:
    examples = synthetic_examples()
    expected = len(SYNTHETIC_LANGUAGES) * SYNTHETIC_PER_LANGUAGE + sum(SYNTHETIC_FEW.values())
    assert sum(e.label == 0 for e in examples) == expected
    assert {e.dataset for e in examples} == {"synthetic_notices", "synthetic_notice_scams"}
    assert {e.kind.split(":")[0] for e in examples} == set(SYNTHETIC_LANGUAGES) | set(SYNTHETIC_FEW)
    scams = [e for e in examples if e.label == 1]
    assert 0 < len(scams) <= len(SYNTHETIC_LANGUAGES) * SYNTHETIC_SCAMS_PER_LANGUAGE


def test_generated_examples_weigh_their_languages_weight() -> None:
    examples = synthetic_examples()[:: len(SYNTHETIC_LANGUAGES)]
    real = MessageExample("Your parcel is out for delivery today.", 0, "en_uci", "ham")
    weights = example_weights([real, *examples])
    assert weights[0] == 1.0
    for example, weight in zip(examples, weights[1:], strict=True):
        language = example.kind.split(":")[0]
        assert weight == SYNTHETIC_LANGUAGE_WEIGHTS.get(language, SYNTHETIC_WEIGHT) < 1.0
    assert {e.kind.split(":")[0] for e in examples} >= set(SYNTHETIC_LANGUAGE_WEIGHTS)


def test_a_few_languages_get_only_their_everyday_notices() -> None:
    data = notice_data()["languages"]
    assert set(SYNTHETIC_FEW).isdisjoint(SYNTHETIC_LANGUAGES)
    few = [e for e in synthetic_examples() if e.kind.split(":")[0] in SYNTHETIC_FEW]
    assert len(few) == sum(SYNTHETIC_FEW.values())
    assert all(e.label == 0 for e in few)  # no scams for them
    for language in SYNTHETIC_FEW:
        everyday = data[language]["everyday"]
        allowed = {f"{language}:{category}" for category in everyday}
        assert {e.kind for e in few if e.kind.startswith(f"{language}:")} == allowed
    # the default group never draws from "everyday", so the full languages are unchanged
    drawn = generate(30, SEED, 0, ("id",), group="everyday")
    assert {n.category for n in drawn} <= set(data["id"]["everyday"])
    assert not {n.text for n in drawn} & {n.text for n in generate(30, SEED, 0, ("id",))}
