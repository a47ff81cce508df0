"""The exported tree ensemble scores exactly as the scikit-learn model it was copied from."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from tangkal.detect.corpus import UrlExample
from tangkal.detect.domains import parse_url
from tangkal.detect.shipped import link_model
from tangkal.detect.trees import TreeEnsemble, export_trees, load_trees, save_trees
from tangkal.detect.urlfeatures import URL_FEATURE_NAMES, url_feature_matrix


def _fitted(seed: int) -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3000, 5))
    x[:, 2] = rng.integers(0, 4, size=3000)  # ties: test points fall exactly on thresholds
    y = (x[:, 0] + x[:, 1] * x[:, 2] + rng.normal(size=3000) > 0).astype(int)
    clf = HistGradientBoostingClassifier(
        max_iter=60, max_depth=5, early_stopping=False, random_state=seed
    )
    return clf.fit(x, y), x


@pytest.mark.parametrize("seed", [1, 2])
def test_export_equals_sklearn(seed: int) -> None:
    clf, x = _fitted(seed)
    trees = export_trees(clf, tuple("abcde"))
    probe = np.vstack([x[:500], np.random.default_rng(seed + 9).normal(size=(500, 5)) * 3])
    np.testing.assert_allclose(trees.raw(probe), clf._raw_predict(probe).ravel(), atol=1e-9)
    np.testing.assert_allclose(trees.probabilities(probe), clf.predict_proba(probe)[:, 1])


def test_save_load_round_trip_is_exact() -> None:
    clf, x = _fitted(3)
    trees = export_trees(clf, tuple("abcde"), {"kind": "test"})
    raw = save_trees(trees)
    again = load_trees(raw)
    assert save_trees(again) == raw
    assert again.meta == {"kind": "test"} and again.feature_names == tuple("abcde")
    np.testing.assert_array_equal(again.raw(x[:100]), trees.raw(x[:100]))


def test_wrong_width_is_refused() -> None:
    clf, x = _fitted(4)
    with pytest.raises(ValueError, match="5 feature columns"):
        export_trees(clf, tuple("abcde")).raw(x[:, :4])


def test_export_on_url_features() -> None:
    """The real feature matrix of URLs goes through the export unchanged."""
    examples = [
        UrlExample(f"http://secure-login{i}.top/verify/account.php?id={i}", 1, "t")
        for i in range(40)
    ] + [UrlExample(f"https://blog{i}.example.com/2020/post-{i}", 0, "t") for i in range(40)]
    parsed = [parse_url(e.url) for e in examples]
    x = url_feature_matrix(parsed, np.linspace(-3, 3, len(parsed)))
    y = np.array([e.label for e in examples])
    clf = HistGradientBoostingClassifier(max_iter=20, min_samples_leaf=5, early_stopping=False)
    clf.fit(x, y)
    trees = export_trees(clf, (*URL_FEATURE_NAMES, "linear_logit"))
    np.testing.assert_allclose(trees.raw(x), clf._raw_predict(x).ravel(), atol=1e-9)


def test_shipped_link_model_has_the_tree_stage() -> None:
    model = link_model()
    assert model.trees is not None
    assert model.trees.feature_names == (*URL_FEATURE_NAMES, "linear_logit")
    assert 0.5 <= model.threshold <= 0.95


def _reference_raw(trees: TreeEnsemble, x: np.ndarray) -> np.ndarray:
    """The plain level walk (session 4's scoring): every row visits every tree, in 2-D."""
    rows = np.arange(x.shape[0])[:, None]
    node = np.broadcast_to(trees.roots, (x.shape[0], trees.roots.size))
    for _ in range(trees.depth):
        goes_left = x[rows, trees.feature[node]] <= trees.threshold[node]
        node = np.where(goes_left, trees.left[node], trees.right[node])
    out: np.ndarray = trees.value[node].sum(axis=1) + trees.baseline
    return out


@pytest.mark.parametrize("seed", [5, 6])
def test_every_batch_size_lands_on_the_same_leaves_as_the_reference_walk(seed: int) -> None:
    """One row, a few rows and big batches agree bit for bit with the plain level walk."""
    clf, x = _fitted(seed)
    trees = export_trees(clf, tuple("abcde"))
    probe = np.vstack([x[:200], np.random.default_rng(seed).normal(size=(200, 5)) * 3])
    probe[::7, 1] = np.nan  # NaN goes right on both paths
    expected = _reference_raw(trees, probe)
    np.testing.assert_array_equal(trees.raw(probe), expected)
    one_by_one = np.concatenate([trees.raw(probe[i : i + 1]) for i in range(len(probe))])
    np.testing.assert_array_equal(one_by_one, expected)
    for size in (2, 3, 5, 8, 13):
        few = np.concatenate([trees.raw(probe[i : i + size]) for i in range(0, 400, size)])
        np.testing.assert_array_equal(few, expected)
    finite = ~np.isnan(probe).any(axis=1)
    np.testing.assert_allclose(
        one_by_one[finite], clf._raw_predict(probe[finite]).ravel(), atol=1e-9
    )


def test_shipped_trees_equal_the_reference_walk_on_real_urls() -> None:
    """The shipped tree stage, on URL features: batches of 1 to 6 and one of 5,000 rows."""
    model = link_model()
    assert model.trees is not None
    rng = np.random.default_rng(7)
    urls = [f"http://secure-login{i}.top/verify/account.php?id={i}" for i in range(20)] + [
        f"https://blog{i}.example.com/2020/post-{i}" for i in range(20)
    ]
    x = url_feature_matrix([parse_url(u) for u in urls], np.linspace(-4, 4, len(urls)))
    big = np.repeat(x, 125, axis=0) * rng.uniform(0.5, 1.5, size=(5000, x.shape[1]))
    expected = _reference_raw(model.trees, big)
    np.testing.assert_array_equal(model.trees.raw(big), expected)  # chunked walk
    for size in range(1, 7):
        part = big[: 60 * size]
        got = np.concatenate(
            [model.trees.raw(part[i : i + size]) for i in range(0, len(part), size)]
        )
        np.testing.assert_array_equal(got, expected[: 60 * size])


def test_no_rows_and_bad_node_ids() -> None:
    trees = _stump_and_lone_leaf()
    assert trees.raw(np.zeros((0, 1))).shape == (0,)
    with pytest.raises(ValueError, match="node id"):
        dataclasses.replace(trees, left=np.array([1, 1, 2, 9], dtype=np.int32))
    with pytest.raises(ValueError, match="feature id"):
        dataclasses.replace(trees, feature=np.array([1, 0, 0, 0], dtype=np.int32))


def _stump_and_lone_leaf() -> TreeEnsemble:
    """Two trees by hand: a split on feature 0 at 0.5, and a tree that is one leaf."""
    return TreeEnsemble(
        feature=np.array([0, 0, 0, 0], dtype=np.int32),
        threshold=np.array([0.5, np.inf, np.inf, np.inf]),
        left=np.array([1, 1, 2, 3], dtype=np.int32),
        right=np.array([2, 1, 2, 3], dtype=np.int32),
        value=np.array([0.0, -1.0, 2.0, 0.25]),
        roots=np.array([0, 3], dtype=np.int32),
        depth=1,
        baseline=0.5,
        feature_names=("a",),
        meta={},
    )


def test_a_tree_that_is_one_leaf() -> None:
    trees = _stump_and_lone_leaf()
    x = np.array([[0.0], [0.5], [0.6], [np.nan], [-np.inf], [np.inf]])
    expected = np.array([-0.25, -0.25, 2.75, 2.75, -0.25, 2.75])
    np.testing.assert_array_equal(np.concatenate([trees.raw(row[None]) for row in x]), expected)
    np.testing.assert_array_equal(trees.raw(np.vstack([x] * 2)), np.concatenate([expected] * 2))
