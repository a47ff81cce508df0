"""A gradient-boosted tree ensemble as plain numpy arrays: exported once, scored without sklearn.

scikit-learn's ``HistGradientBoostingClassifier`` fits the link model's tree stage at
training time; scoring must not import scikit-learn (1.8 s) nor unpickle anything, so
:func:`export_trees` copies its nodes into flat arrays and :meth:`TreeEnsemble.raw`
walks them for a whole batch at once: every row visits every tree, one level per step.
Leaves point at themselves with an infinite threshold, so a walk of ``depth`` steps ends
on each tree's leaf whatever the depth of the branch it took. The comparison is the one
scikit-learn makes (``x <= threshold`` goes left, in float64), so the raw scores equal
``clf._raw_predict`` up to summation order (``tests/detect/test_trees.py``).

That walk costs 4 numpy calls per level whatever the batch size, which is most of the
time for the one to five links of a message; :class:`ExitMasks` scores a few rows with a
fixed handful of calls instead (QuickScorer, Lucchese et al., SIGIR 2015) and lands on
the same leaves, so the sums are bit-identical.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from tangkal.detect.linear import npz_header

__all__ = ["ExitMasks", "TreeEnsemble", "export_trees", "load_trees", "save_trees"]

FORMAT_VERSION = 1
# Up to this many rows, exit masks cost fewer instructions than the level walk (callgrind,
# shipped trees: 1 row 0.31 M vs 0.67 M, 5 rows 1.63 M vs 1.87 M, 8 rows 2.61 M vs 2.80 M;
# about 0.3 M per row either way, but the walk's 24 numpy calls for depth 6 come on top).
SMALL_BATCH = 8


@dataclass(frozen=True, slots=True)
class ExitMasks:
    """Every split node of every tree, in tree order, with the leaves it rules out.

    Leaves of a tree are numbered left to right (at most 64). A node whose test fails
    (the row goes right) rules out the leaves of its left subtree; the row's leaf is then
    the leftmost leaf no failed node ruled out, whichever nodes are off its path. ``left_leaves``
    holds those leaves as bits; ORing them over the failed nodes of a tree and taking the
    lowest zero bit finds the leaf with one reduction for all trees.
    """

    feature: npt.NDArray[np.intp]
    threshold: npt.NDArray[np.float64]
    left_leaves: npt.NDArray[np.uint64]
    starts: npt.NDArray[np.intp]  # first split node of each tree
    leaf_value: npt.NDArray[np.float64]  # (tree, leaf number) flattened, 64 per tree
    offsets: npt.NDArray[np.intp]  # 64 * tree number

    def raw_row(self, row: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The leaf value of every tree for one row (in tree order)."""
        goes_left = row.take(self.feature) <= self.threshold
        # NaN goes right, as in the walk: only a true comparison leaves a node unfailed.
        ruled_out = np.bitwise_or.reduceat(
            np.where(goes_left, np.uint64(0), self.left_leaves), self.starts
        )
        lowest_free = ~ruled_out & (ruled_out + np.uint64(1))
        leaf = np.bitwise_count(lowest_free - np.uint64(1))
        out: npt.NDArray[np.float64] = self.leaf_value.take(self.offsets + leaf)
        return out


def _exit_masks(
    left: npt.NDArray[np.int32],
    right: npt.NDArray[np.int32],
    feature: npt.NDArray[np.int32],
    threshold: npt.NDArray[np.float64],
    value: npt.NDArray[np.float64],
    roots: npt.NDArray[np.int32],
) -> ExitMasks | None:
    """Exit masks of an ensemble, or None when a tree has more than 64 leaves."""
    lefts, rights = left.tolist(), right.tolist()
    nodes: list[int] = []
    masks: list[int] = []
    starts: list[int] = []
    leaf_value = np.zeros((roots.size, 64), dtype=np.float64)
    for tree, root in enumerate(roots.tolist()):
        starts.append(len(nodes))
        leaves = 0
        stack: list[tuple[int, int]] = [(root, -1)]  # (node, index in nodes) pairs
        while stack:  # depth-first, left subtree first: leaves come out left to right
            node, slot = stack.pop()
            if slot >= 0:  # coming back from the left subtree of nodes[slot]
                masks[slot] = ((1 << leaves) - 1) ^ masks[slot]
                stack.append((rights[node], -1))
            elif lefts[node] == node:  # a leaf points at itself
                if leaves == 64:
                    return None
                leaf_value[tree, leaves] = value[node]
                leaves += 1
            else:
                nodes.append(node)
                masks.append((1 << leaves) - 1)  # leaves before the left subtree
                stack.append((node, len(nodes) - 1))
                stack.append((lefts[node], -1))
        if len(nodes) == starts[-1]:  # a lone leaf: a split node that never fails
            nodes.append(root)
            masks.append(0)
    index = np.array(nodes, dtype=np.intp)
    return ExitMasks(
        feature[index].astype(np.intp),
        threshold[index],
        np.array(masks, dtype=np.uint64),
        np.array(starts, dtype=np.intp),
        leaf_value.ravel(),
        np.arange(roots.size, dtype=np.intp) * 64,
    )


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Binary-classification trees in flat arrays (node ``i`` of all trees at index ``i``)."""

    feature: npt.NDArray[np.int32]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    value: npt.NDArray[np.float64]
    roots: npt.NDArray[np.int32]
    depth: int
    baseline: float
    feature_names: tuple[str, ...]
    meta: dict[str, Any]
    exits: ExitMasks | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exits = _exit_masks(
            self.left, self.right, self.feature, self.threshold, self.value, self.roots
        )
        object.__setattr__(self, "exits", exits)

    def raw(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Sum of the trees' leaf values plus the baseline: the ensemble's logit per row."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.feature_names):
            raise ValueError(f"expected {len(self.feature_names)} feature columns")
        n = x.shape[0]
        if self.exits is not None and 0 < n <= SMALL_BATCH:
            leaves = np.stack([self.exits.raw_row(row) for row in x])
            small: npt.NDArray[np.float64] = leaves.sum(axis=1) + self.baseline
            return small
        rows = np.arange(n)[:, None]
        node = np.broadcast_to(self.roots, (n, self.roots.size))
        for _ in range(self.depth):
            goes_left = x[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(goes_left, self.left[node], self.right[node])
        out: npt.NDArray[np.float64] = self.value[node].sum(axis=1) + self.baseline
        return out

    def probabilities(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Sigmoid of :meth:`raw`."""
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-self.raw(x)))
        return out


def export_trees(
    clf: Any, feature_names: tuple[str, ...], meta: dict[str, Any] | None = None
) -> TreeEnsemble:
    """Copy a fitted binary ``HistGradientBoostingClassifier`` into a :class:`TreeEnsemble`.

    Only numerical splits are supported (no categorical features), and the model must have
    been fitted without missing values: a NaN at scoring time would go right.
    """
    if clf.n_trees_per_iteration_ != 1:
        raise ValueError("only binary classification is supported")
    features: list[npt.NDArray[np.int32]] = []
    thresholds: list[npt.NDArray[np.float64]] = []
    lefts: list[npt.NDArray[np.int32]] = []
    rights: list[npt.NDArray[np.int32]] = []
    values: list[npt.NDArray[np.float64]] = []
    roots: list[int] = []
    depth = 0
    offset = 0
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        leaf = nodes["is_leaf"].astype(bool)
        own = np.arange(len(nodes), dtype=np.int32) + offset
        features.append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32))
        thresholds.append(np.where(leaf, np.inf, nodes["num_threshold"]).astype(np.float64))
        lefts.append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset).astype(np.int32))
        rights.append(
            np.where(leaf, own, nodes["right"].astype(np.int64) + offset).astype(np.int32)
        )
        values.append(np.where(leaf, nodes["value"], 0.0).astype(np.float64))
        roots.append(offset)
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    return TreeEnsemble(
        np.concatenate(features),
        np.concatenate(thresholds),
        np.concatenate(lefts),
        np.concatenate(rights),
        np.concatenate(values),
        np.array(roots, dtype=np.int32),
        depth,
        float(np.ravel(clf._baseline_prediction)[0]),
        tuple(feature_names),
        dict(meta or {}),
    )


def save_trees(trees: TreeEnsemble) -> bytes:
    """The ensemble as compressed ``.npz`` bytes (byte-identical for identical trees)."""
    header = {
        "format": FORMAT_VERSION,
        "depth": trees.depth,
        "baseline": trees.baseline,
        "feature_names": list(trees.feature_names),
        "meta": trees.meta,
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        header=np.array(json.dumps(header, sort_keys=True)),
        feature=trees.feature,
        threshold=trees.threshold,
        left=trees.left,
        right=trees.right,
        value=trees.value,
        roots=trees.roots,
    )
    return buffer.getvalue()


def load_trees(raw: bytes) -> TreeEnsemble:
    """Read bytes written by :func:`save_trees` (no pickle)."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        header = npz_header(data, FORMAT_VERSION, "tree")
        return TreeEnsemble(
            data["feature"].astype(np.int32),
            data["threshold"].astype(np.float64),
            data["left"].astype(np.int32),
            data["right"].astype(np.int32),
            data["value"].astype(np.float64),
            data["roots"].astype(np.int32),
            int(header["depth"]),
            float(header["baseline"]),
            tuple(header["feature_names"]),
            dict(header["meta"]),
        )
