"""The shipped model's link scores are kept per link, and a kept score is the scored one."""

from __future__ import annotations

import pytest

from tangkal.detect import link
from tangkal.detect.errors import DetectInputError
from tangkal.detect.shipped import link_model

LINKS = [
    "http://bca.co.id.verify-login.top/secure",
    "https://www.wikipedia.org/wiki/ASEAN",
    "klikbca-update.com",
    "https://shopee.co.id/cart",
    "bit.ly/3xYz9",
]


@pytest.fixture(autouse=True)
def empty_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link, "_KEPT", {})


def test_kept_scores_equal_fresh_ones_in_order_with_repeats() -> None:
    asked = [*LINKS, LINKS[2], LINKS[0]]
    first = link.score_links(asked)
    again = link.score_links(list(reversed(asked)))
    fresh = link.score_links_with(link_model(), asked)
    assert first == fresh
    assert again == list(reversed(fresh))


def test_a_link_is_scored_once() -> None:
    first = link.score_links(LINKS)
    again = link.score_links(LINKS[::2])
    assert all(a is b for a, b in zip(again, first[::2], strict=True))
    assert link.score_link(LINKS[1]) is first[1]


def test_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link, "_KEPT_MAX", 3)
    link.score_links(LINKS[:2])
    scores = link.score_links(LINKS[2:])  # 2 + 3 over the bound: cleared, then these three
    assert set(link._KEPT) == set(LINKS[2:])
    assert scores == link.score_links_with(link_model(), LINKS[2:])
    link.score_links([f"example{i}.com" for i in range(4)])  # more than the bound: not kept
    assert link._KEPT == {}


def test_a_refused_batch_keeps_nothing() -> None:
    with pytest.raises(DetectInputError):
        link.score_links([LINKS[0], ""])
    assert link._KEPT == {}
    with pytest.raises(DetectInputError, match="sequence"):
        link.score_links(LINKS[0])
