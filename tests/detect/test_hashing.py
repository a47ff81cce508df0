"""N-gram hashing: fixed bucket numbers (the shipped models depend on them), batch-free."""

from __future__ import annotations

import numpy as np
import pytest

from tangkal.detect.hashing import Hashed, hash_ngrams, hash_words


def test_bucket_numbers_are_pinned() -> None:
    """A change here silently detaches every shipped model from its weights."""
    grams = hash_ngrams(["bca.co.id"], 2, 6, 20)
    assert grams.cols[:6].tolist() == [647481, 939190, 354536, 763639, 916255, 522408]
    assert int(grams.cols.sum()) == 25580343 and grams.rows.size == 40
    np.testing.assert_allclose(grams.values, 1 / np.sqrt(40), rtol=1e-7)
    words = hash_words(["h:bca h:co p:login"], 2, 20)
    assert words.cols.tolist() == [422690, 634858, 434684, 549710, 848335]


def _alone(texts: list[str], hashed: Hashed) -> list[tuple[list[int], list[float]]]:
    """Per text, its buckets and weights in the order they come out."""
    return [
        (hashed.cols[hashed.rows == i].tolist(), hashed.values[hashed.rows == i].tolist())
        for i in range(len(texts))
    ]


@pytest.mark.parametrize(("n_min", "n_max"), [(1, 1), (2, 6), (1, 5), (4, 9)])
def test_a_batch_hashes_each_text_as_alone(n_min: int, n_max: int) -> None:
    texts = ["", "a", "ab", "bca.co.id.verify-login.top", "ทดสอบ 🙂 xin chào", "x" * 40]
    batch = _alone(texts, hash_ngrams(texts, n_min, n_max, 20))
    for text, got in zip(texts, batch, strict=True):
        alone = hash_ngrams([text], n_min, n_max, 20)
        assert got == (alone.cols.tolist(), alone.values.tolist())
        padded = len(text) + 2
        assert len(got[0]) == sum(max(padded - n + 1, 0) for n in range(n_min, n_max + 1))


def test_no_texts_no_features() -> None:
    for hashed in (hash_ngrams([], 2, 6, 20), hash_words([], 1, 20)):
        assert hashed.n_rows == 0 and hashed.rows.size == hashed.cols.size == 0


@pytest.mark.parametrize("n_max", [1, 2, 3])
def test_one_text_hashes_words_as_a_batch_does(n_max: int) -> None:
    """A single text takes the one-text path; it must give the batch's buckets and weights."""
    texts = ["", "a", "h:bca h:co h:id p:login", "ทดสอบ 🙂 xin chào", " ".join(["w"] * 40)]
    batch = _alone(texts, hash_words(texts, n_max, 20))
    for text, got in zip(texts, batch, strict=True):
        alone = hash_words([text], n_max, 20)
        assert alone.values.dtype == np.float32
        assert got == (alone.cols.tolist(), alone.values.tolist())
