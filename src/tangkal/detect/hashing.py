"""Character n-gram hashing in numpy: the same features for training and scoring.

scikit-learn's HashingVectorizer costs ~1.8 s to import and runs a Python loop per
n-gram; this version hashes a whole batch at once with uint64 arithmetic, so the runtime
needs numpy only and a batch of thousands of messages is hashed in a few milliseconds.

Each text is padded with a space on both sides, every n-gram of ``n_min..n_max`` code
points inside one text is hashed (FNV-style multiply-add, then a murmur finaliser) into
``2**bits`` buckets, and every occurrence weighs ``1/sqrt(number of n-grams in its text)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = ["Hashed", "hash_ngrams", "hash_words", "join_hashed"]

_MULT = np.uint64(0x100000001B3)
_SEED = np.uint64(0xCBF29CE484222325)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_INV_MULT = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # n-gram length salt: n * golden ratio (mod 2**64)
_WORD_SALT = 0x5BD1E995


@dataclass(frozen=True, slots=True)
class Hashed:
    """Sparse features in coordinate form: row ``rows[k]`` has ``values[k]`` at ``cols[k]``."""

    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]
    n_rows: int


def _finalise(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    # uint64 array arithmetic wraps modulo 2**64 and, unlike numpy scalars', never warns:
    # no np.errstate needed (entering one costs as much as two array operations here).
    h = h ^ (h >> _S33)
    h *= _MIX1
    h ^= h >> _S33
    h *= _MIX2
    h ^= h >> _S33
    return h


@lru_cache(maxsize=64)
def _salts(n_min: int, top: int) -> npt.NDArray[np.uint64]:
    """``n * golden ratio`` for n = n_min..top, as a column: the n-gram length salt."""
    return (np.arange(n_min, top + 1, dtype=np.uint64) * _GOLDEN)[:, None]


@lru_cache(maxsize=4096)
def _weight(count: int) -> np.float32:
    """``1/sqrt(count)`` in float32, as the batch path computes it for a row of ``count``."""
    weight: np.float32 = np.float32(1.0) / np.sqrt(np.float32(max(count, 1)))
    return weight


def hash_ngrams(texts: Sequence[str], n_min: int, n_max: int, bits: int) -> Hashed:
    """Hash the character n-grams of every text.

    The hashes of all n-grams starting at each position grow one code point per row of
    one ``(n_max, positions)`` array, and the n-grams that stay inside their text are
    picked and finalised in one step: a fixed handful of numpy calls, which is most of
    the cost for the one URL or message of a single check. Rows and columns come out
    ordered by n, then position (as training has always seen them).

    >>> h = hash_ngrams(["ab"], 1, 2, 10)
    >>> int(h.rows.size)  # " ", "a", "b", " " and " a", "ab", "b "
    7
    """
    padded = [f" {t} " for t in texts]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    size = codes.size
    top = min(n_max, size)
    if n_min > top:
        return _collect(np.zeros(0, np.int64), np.zeros(0, np.uint64), bits, len(padded))
    grams = np.empty((top, size), dtype=np.uint64)  # grams[n - 1, i]: n code points from i
    spread = np.zeros(size + top - 1, dtype=np.uint64)
    spread[:size] = codes
    np.multiply(spread[:size] ^ _SEED, _MULT, out=grams[0])
    for n in range(2, top + 1):
        np.bitwise_xor(grams[n - 2], spread[n - 1 : n - 1 + size], out=grams[n - 1])
        np.multiply(grams[n - 1], _MULT, out=grams[n - 1])
    wanted = grams[n_min - 1 :]
    wanted ^= _salts(n_min, top)
    if len(padded) == 1:
        # One text (a single check): its n-grams of length n start at 0 .. size - n.
        kept = [wanted[k, : size - n + 1] for k, n in enumerate(range(n_min, top + 1))]
        return _collect_one(np.concatenate(kept), bits)
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    doc = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)
    # An n-gram from position i stays inside its text when i + n <= the text's end.
    room = np.cumsum(lengths)[doc] - np.arange(size)
    inside = room >= np.arange(n_min, top + 1, dtype=np.int64)[:, None]
    return _collect(np.broadcast_to(doc, inside.shape)[inside], wanted[inside], bits, len(padded))


def _collect(
    row: npt.NDArray[np.int64], h: npt.NDArray[np.uint64], bits: int, n_rows: int
) -> Hashed:
    """Buckets of the salted hashes, each weighing 1/sqrt(n-grams in its row)."""
    col = (_finalise(h) & np.uint64((1 << bits) - 1)).astype(np.int64)
    per_doc = np.bincount(row, minlength=n_rows).astype(np.float32)
    scale = 1.0 / np.sqrt(np.maximum(per_doc, 1.0))
    return Hashed(row, col, scale[row].astype(np.float32), n_rows)


def _collect_one(h: npt.NDArray[np.uint64], bits: int) -> Hashed:
    """:func:`_collect` for a single row: the same buckets and float32 weights."""
    col = (_finalise(h) & np.uint64((1 << bits) - 1)).astype(np.int64)
    size = col.size
    return Hashed(np.zeros(size, np.int64), col, np.full(size, _weight(size), dtype=np.float32), 1)


def hash_words(texts: Sequence[str], n_max: int, bits: int) -> Hashed:
    """Hash the space-separated word 1..``n_max``-grams of every text (position-free).

    A word n-gram's hash is a polynomial hash of its code points, computed for all of them
    at once from prefix sums (``P**-1`` exists modulo 2**64 because ``P`` is odd). Each
    occurrence weighs ``1/sqrt(number of word n-grams in its text)``.

    >>> h = hash_words(["ab cd ab"], 2, 10)
    >>> int(h.rows.size), int(h.cols[0]) == int(h.cols[2])  # ab, cd, ab, "ab cd", "cd ab"
    (5, True)
    """
    padded = [f" {t} " for t in texts]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    one = len(padded) == 1
    if not one:
        lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
        doc = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)
    rows: list[npt.NDArray[np.int64]] = []
    hashes: list[npt.NDArray[np.uint64]] = []
    powers, inverse = _powers(codes.size)
    prefix = np.cumsum(codes * inverse, dtype=np.uint64)
    spaces = np.flatnonzero(codes == 32)
    for n in range(1, n_max + 1):
        if spaces.size <= n:
            break
        start, end = spaces[:-n], spaces[n:]
        # A word n-gram lies between two spaces n apart, in one text, with a letter inside.
        keep = end - start > 1 if one else (doc[start] == doc[end]) & (end - start > 1)
        start, end = start[keep], end[keep]
        # sum of codes[j] * P**(end-1-j) for start < j < end
        h = (prefix[end - 1] - prefix[start]) * powers[end - 1]
        hashes.append(h ^ np.uint64(_WORD_SALT * (n + 7)))
        if not one:
            rows.append(doc[start])
    if not hashes:
        return _collect(np.zeros(0, np.int64), np.zeros(0, np.uint64), bits, len(padded))
    if one:
        return _collect_one(hashes[0] if len(hashes) == 1 else np.concatenate(hashes), bits)
    return _collect(np.concatenate(rows), np.concatenate(hashes), bits, len(padded))


_POWERS_CACHED = 1 << 16  # code points: 1 MB of tables, covers any single check
_powers_table: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]] = []


def _powers(size: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """``P**(i+1)`` and ``P**-(i+1)`` for i < size, from a table made once per process."""
    if size > _POWERS_CACHED:
        return _power_series(size)
    if not _powers_table:
        _powers_table.append(_power_series(_POWERS_CACHED))
    powers, inverse = _powers_table[0]
    return powers[:size], inverse[:size]


def _power_series(size: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    powers = np.cumprod(np.full(size, _MULT, dtype=np.uint64), dtype=np.uint64)
    inverse = np.cumprod(np.full(size, _INV_MULT, dtype=np.uint64), dtype=np.uint64)
    return powers, inverse


def join_hashed(first: Hashed, second: Hashed) -> Hashed:
    """Both feature sets of the same rows in one (summed where buckets collide)."""
    return Hashed(
        np.concatenate([first.rows, second.rows]),
        np.concatenate([first.cols, second.cols]),
        np.concatenate([first.values, second.values]),
        first.n_rows,
    )
