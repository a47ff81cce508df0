"""The fixed evaluation split: near-duplicates grouped, then 20% of groups held out.

Assignment hashes a group's smallest key with a fixed salt, so it never depends on the
order of the files or on which sets are present, and a message added later cannot move
an old one across the split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from tangkal.detect.text import group_key, normalise

__all__ = [
    "HOLDOUT_PERCENT",
    "SALT",
    "group_ids",
    "held_out_groups",
    "held_out_hosts",
    "is_held_out",
    "is_validation",
]

SALT = "tangkal-detect-20261128"
HOLDOUT_PERCENT = 20


def is_held_out(key: str) -> bool:
    """Whether the group or host named ``key`` belongs to the held-out part."""
    digest = hashlib.blake2b(f"{SALT}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 100 < HOLDOUT_PERCENT


def is_validation(key: str) -> bool:
    """Whether ``key`` is in the validation part (20%, another salt) used to set thresholds.

    Thresholds are chosen on the validation part of whatever is being trained on, never on
    the held-out part: ``evaluate`` validates inside its training part, ``train`` inside all.
    """
    digest = hashlib.blake2b(f"{SALT}-validation:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 100 < HOLDOUT_PERCENT


def _find(parent: dict[str, str], item: str) -> str:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def held_out_groups(texts: Sequence[str]) -> list[bool]:
    """For each text, whether its near-duplicate group (:func:`group_ids`) is held out."""
    return [is_held_out(group) for group in group_ids(texts)]


def group_ids(texts: Sequence[str]) -> list[str]:
    """For each text, the id of its near-duplicate group (its smallest key).

    Two texts share a group when their normalised keys are equal or when they share the
    first or the last 40 normalised characters (campaign templates vary in the middle or
    the tail). Grouping runs over all sets at once, so a message copied from one set into
    another (Mishra-Soni copies UCI) stays on one side.
    """
    parent: dict[str, str] = {}
    links: list[list[str]] = []
    for text in texts:
        flat = normalise(text).replace(" ", "")
        keys = [f"k:{group_key(text)}"]
        if len(flat) >= 40:
            keys += [f"h:{flat[:40]}", f"t:{flat[-40:]}"]
        for key in keys:
            parent.setdefault(key, key)
        for key in keys[1:]:
            a, b = _find(parent, keys[0]), _find(parent, key)
            if a != b:
                parent[max(a, b)] = min(a, b)
        links.append(keys)
    return [_find(parent, keys[0]) for keys in links]


def held_out_hosts(hosts: Sequence[str]) -> list[bool]:
    """For each registrable domain, whether it is in the host-disjoint held-out part."""
    return [is_held_out(f"host:{host}") for host in hosts]
