"""The pure linking core: components, the degree cap, hubs, and ids that survive."""

from __future__ import annotations

import numpy as np

from tangkal.link.linking import assign_ids, components, network_id_for

NONE = np.zeros(0, dtype=np.int64)


def _groups(reports: np.ndarray, labels: np.ndarray) -> set[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for r, lab in zip(reports.tolist(), labels.tolist(), strict=True):
        out.setdefault(lab, set()).add(r)
    return {frozenset(g) for g in out.values()}


def test_reports_sharing_a_value_are_one_component_through_chains() -> None:
    # 1-2 share 10, 2-3 share 11, 4-5 share 12, 6 shares nothing.
    r = [1, 2, 2, 3, 4, 5, 6]
    i = [10, 10, 11, 11, 12, 12, 13]
    reports, labels = components(r, i, cap=100)
    assert _groups(reports, labels) == {frozenset({1, 2, 3}), frozenset({4, 5})}
    assert labels.tolist() == [0, 0, 0, 1, 1]  # numbered by first report


def test_degree_cap_drops_values_shared_by_more_reports() -> None:
    r = [1, 2, 3, 4, 1, 2]
    i = [10, 10, 10, 10, 11, 11]
    assert _groups(*components(r, i, cap=3)) == {frozenset({1, 2})}
    assert _groups(*components(r, i, cap=4)) == {frozenset({1, 2, 3, 4})}


def test_cap_zero_links_nothing_and_empty_input_is_empty() -> None:
    reports, labels = components([1, 2], [10, 10], cap=0)
    assert reports.size == 0 and labels.size == 0
    reports, labels = components([], [], cap=10)
    assert reports.size == 0 and labels.size == 0


def test_hub_values_never_link() -> None:
    r = [1, 2, 3, 4]
    i = [99, 99, 99, 99]
    assert components(r, i, cap=100, hubs=[99])[0].size == 0


def test_same_value_under_two_roles_counts_once_for_the_cap() -> None:
    r = [1, 1, 2]
    i = [10, 10, 10]
    assert _groups(*components(r, i, cap=2)) == {frozenset({1, 2})}


def test_a_growing_network_keeps_its_id() -> None:
    old = assign_ids(np.array([1, 2]), np.array([0, 0]), NONE, NONE, [])
    grown = assign_ids(np.array([1, 2, 3]), np.array([0, 0, 0]), np.array([1, 2]),
                       np.array([0, 0]), old.ids)  # fmt: skip
    assert grown.ids == old.ids and not grown.created and not grown.events


def test_merge_keeps_the_id_of_the_larger_network_and_records_it() -> None:
    # Old: A = {1, 2, 3}, B = {4, 5}; new: one component.
    plan = assign_ids(np.array([1, 2, 3, 4, 5, 6]), np.zeros(6, dtype=np.int64),
                      np.array([1, 2, 3, 4, 5]), np.array([0, 0, 0, 1, 1]), ["N-A", "N-B"])  # fmt: skip
    assert plan.ids == ["N-A"]
    assert plan.retired == ["N-B"]
    assert [(e.kind, e.network_id, e.others) for e in plan.events] == [("merge", "N-A", ("N-B",))]


def test_merge_of_equal_networks_keeps_the_one_of_higher_precedence() -> None:
    # old_ids are ordered by precedence (larger, then older): N-OLD first.
    plan = assign_ids(np.array([1, 2, 3, 4]), np.zeros(4, dtype=np.int64),
                      np.array([1, 2, 3, 4]), np.array([1, 1, 0, 0]), ["N-OLD", "N-NEW"])  # fmt: skip
    assert plan.ids == ["N-OLD"]


def test_split_keeps_the_id_on_the_larger_part_and_records_it() -> None:
    plan = assign_ids(np.array([1, 2, 3, 4, 5]), np.array([0, 0, 0, 1, 1]),
                      np.array([1, 2, 3, 4, 5]), np.zeros(5, dtype=np.int64), ["N-A"])  # fmt: skip
    assert plan.ids[0] == "N-A" and plan.ids[1] != "N-A"
    assert [(e.kind, e.network_id, e.others) for e in plan.events] == [
        ("split", "N-A", (plan.ids[1],))
    ]


def test_dissolved_network_is_recorded() -> None:
    plan = assign_ids(NONE, NONE, np.array([1, 2]), np.array([0, 0]), ["N-A"])
    assert plan.ids == [] and plan.retired == ["N-A"]
    assert [(e.kind, e.network_id) for e in plan.events] == [("dissolve", "N-A")]


def test_new_ids_are_derived_stable_and_avoid_taken_ones() -> None:
    first = network_id_for(42)
    assert first == network_id_for(42)
    assert len(first) == 10 and first.startswith("N-") and first[2:].isupper()
    assert network_id_for(42, taken={first}) != first
