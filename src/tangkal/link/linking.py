"""The pure core of linking: connected components of the report–indicator graph, and ids.

No database here: arrays in, arrays out, so a million reports link in well under a
second and the rules can be tested without a store. ``batch`` reads the arrays from the
store and writes the answer back; ``incremental`` applies the same rules to one report.

>>> import numpy as np
>>> reports, labels = components(np.array([1, 2, 2, 3]), np.array([10, 10, 11, 12]), cap=100)
>>> reports.tolist(), labels.tolist()
([1, 2], [0, 0])
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["Assignment", "Event", "assign_ids", "components", "network_id_for"]

IntArray = npt.NDArray[np.int64]


def network_id_for(first_report_id: int, taken: Collection[str] = ()) -> str:
    """A new network's id: "N-" + 8 base32 characters derived from its first report.

    Derived rather than random, so the same store recomputed from scratch gives the same
    ids; ``taken`` ids (live or retired) are skipped by salting the hash.

    >>> network_id_for(1)
    'N-NODLE477'
    """
    salt = 0
    while True:
        basis = f"{first_report_id}" if salt == 0 else f"{first_report_id}/{salt}"
        digest = hashlib.sha256(basis.encode("ascii")).digest()
        # 8 base32 characters are the first 5 bytes: encode only those.
        candidate = "N-" + base64.b32encode(digest[:5]).decode("ascii")
        if candidate not in taken:
            return candidate
        salt += 1


def components(
    report_ids: npt.ArrayLike,
    indicator_ids: npt.ArrayLike,
    *,
    cap: int,
    hubs: npt.ArrayLike | None = None,
) -> tuple[IntArray, IntArray]:
    """Reports that share a linking indicator, and their component labels.

    Returns ``(reports, labels)``: reports sorted ascending, labels 0..k-1 numbered in
    the order of each component's first report. Reports that share nothing are left out
    (a network has two reports or more). Indicators in ``hubs`` and indicators shared by
    more than ``cap`` reports are dropped before linking; ``cap=0`` links nothing.
    """
    r = np.asarray(report_ids, dtype=np.int64)
    i = np.asarray(indicator_ids, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if cap <= 0 or r.size == 0:
        return empty, empty
    if hubs is not None:
        keep = ~np.isin(i, np.asarray(hubs, dtype=np.int64))
        r, i = r[keep], i[keep]
    # One edge per (report, indicator) — a value can appear under two roles — sorted by
    # indicator, so each indicator's reports form one run (ids fit in 31 bits each).
    keys = _distinct((i << 32) | r)
    i, r = keys >> 32, keys & 0xFFFFFFFF
    if keys.size == 0:
        return empty, empty
    starts = np.flatnonzero(np.diff(i, prepend=i[0] - 1))
    degree = np.diff(np.append(starts, keys.size))
    run = np.repeat(np.arange(starts.size), degree)
    keep = ((degree >= 2) & (degree <= cap))[run]
    r, run = r[keep], run[keep]
    if r.size == 0:
        return empty, empty
    # Report ids are graph nodes as they are; indicator runs follow them.
    n_r = int(r.max()) + 1
    n = n_r + starts.size
    graph = coo_matrix((np.ones(r.size, dtype=np.int8), (r, n_r + run)), shape=(n, n))
    _n, node_labels = connected_components(graph, directed=False)
    present = np.zeros(n_r, dtype=bool)
    present[r] = True
    reports = np.flatnonzero(present).astype(np.int64)
    raw = node_labels[reports]
    # Renumber in order of first appearance: reports are sorted, so label 0 holds the
    # smallest report id — stable whatever numbering scipy chose.
    first = first_index(raw, int(raw.max()) + 1)
    used = np.flatnonzero(first >= 0)
    rank = np.full(first.size, -1, dtype=np.int64)
    rank[used[np.argsort(first[used], kind="stable")]] = np.arange(used.size)
    return reports, rank[raw]


def first_index(labels: IntArray, n: int) -> IntArray:
    """Index of the first occurrence of each label 0..n-1 in ``labels`` (-1: absent).

    A stable sort instead of ``np.minimum.at``, which is slow on large arrays.
    """
    first = np.full(n, -1, dtype=np.int64)
    if labels.size:
        order = np.argsort(labels, kind="stable")
        ordered = labels[order]
        starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
        first[ordered[starts]] = order[starts]
    return first


def _distinct(a: IntArray) -> IntArray:
    """Sorted distinct values; ``np.unique`` is many times slower on int64 in numpy 2.4."""
    s = np.sort(a)
    return s[np.concatenate([[True], s[1:] != s[:-1]])] if s.size else s


def _counts(a: IntArray) -> tuple[IntArray, IntArray]:
    """Distinct values of ``a`` and how often each occurs."""
    s = np.sort(a)
    if not s.size:
        return s, s
    starts = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]]))
    return s[starts], np.diff(np.append(starts, s.size))


@dataclass(frozen=True, slots=True)
class Event:
    """A merge ("others" absorbed into network), split (network lost reports to "others")
    or dissolve (network no longer links two reports)."""

    kind: str
    network_id: str
    others: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    ids: list[str]  # network id of each label
    created: list[str]
    retired: list[str]  # old ids no longer in use (merged away or dissolved)
    events: list[Event] = field(default_factory=list)
    # For each old id (by code), the label that kept it, or -1.
    kept_by: list[int] = field(default_factory=list)


def assign_ids(
    reports: IntArray,
    labels: IntArray,
    old_reports: IntArray,
    old_codes: IntArray,
    old_ids: Sequence[str],
    *,
    taken: Collection[str] = (),
) -> Assignment:
    """Give each new component an id, keeping old ids where the reports stayed together.

    ``old_reports``/``old_codes`` is the previous membership (code = index into
    ``old_ids``, which must be ordered by precedence: larger, then older, first). Each old id
    goes to the component holding most of its reports; each component keeps the old id
    it overlaps most (ties: the old id of higher precedence). Components with no old id
    get a new one from their first report.
    """
    n_labels = int(labels.max()) + 1 if labels.size else 0
    n_old = len(old_ids)
    overlap_label = np.zeros(0, dtype=np.int64)
    overlap_code = np.zeros(0, dtype=np.int64)
    overlap_count = np.zeros(0, dtype=np.int64)
    if n_old and reports.size and old_reports.size:
        order = np.argsort(old_reports, kind="stable")
        sorted_old = old_reports[order]
        pos = np.clip(np.searchsorted(sorted_old, reports), 0, sorted_old.size - 1)
        hit = sorted_old[pos] == reports
        key = labels[hit] * n_old + old_codes[order][pos[hit]]
        uniq, counts = _counts(key)
        overlap_label, overlap_code, overlap_count = uniq // n_old, uniq % n_old, counts
    # Greedy by overlap, then precedence of the old id, then label order.
    greedy = np.lexsort((overlap_label, overlap_code, -overlap_count))
    ids: list[str | None] = [None] * n_labels
    owner: dict[int, int] = {}
    for k in greedy.tolist():
        lab, code = int(overlap_label[k]), int(overlap_code[k])
        if ids[lab] is None and code not in owner:
            ids[lab] = old_ids[code]
            owner[code] = lab
    used = set(taken) | set(old_ids)
    created: list[str] = []
    if n_labels:
        first_report = reports[first_index(labels, n_labels)]
        for lab in range(n_labels):
            if ids[lab] is None:
                new = network_id_for(int(first_report[lab]), used)
                used.add(new)
                ids[lab] = new
                created.append(new)
    final = [x for x in ids if x is not None]
    events: list[Event] = []
    labels_of: dict[int, list[int]] = {}
    shared: dict[tuple[int, int], int] = {}
    for lab, code, count in zip(
        overlap_label.tolist(), overlap_code.tolist(), overlap_count.tolist(), strict=True
    ):
        labels_of.setdefault(code, []).append(lab)
        shared[(lab, code)] = count
    absorbed: dict[int, list[str]] = {}
    for code in range(n_old):
        labs = labels_of.get(code, [])
        if not labs:
            events.append(Event("dissolve", old_ids[code]))
            continue
        if len(labs) > 1:
            keeper = owner.get(code)
            events.append(
                Event("split", old_ids[code], tuple(final[lab] for lab in labs if lab != keeper))
            )
        if code not in owner:
            # Its reports went elsewhere: the component holding most of them absorbed it.
            best = max(labs, key=lambda lab: (shared[(lab, code)], -lab))
            absorbed.setdefault(best, []).append(old_ids[code])
    for lab, gone in sorted(absorbed.items()):
        events.append(Event("merge", final[lab], tuple(gone)))
    retired = [old_ids[c] for c in range(n_old) if c not in owner]
    kept_by = [owner.get(code, -1) for code in range(n_old)]
    return Assignment(final, created, retired, events, kept_by)
