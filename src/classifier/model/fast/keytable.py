"""A hash table of integer keys in numpy arrays: many keys looked up in a few array operations.

``np.searchsorted`` over a large sorted vocabulary costs a cache miss per halving step for
each key; open addressing finds nearly every key in its first slot. Used for the n-gram
vocabularies of ``charindex`` and ``columns``, which also share the array helpers ``distinct``,
``counted``, ``owners`` and ``runs`` defined here.

    >>> table = KeyTable(np.array([7, 42, 2 ** 40]), np.array([0, 1, 2]))
    >>> table.get(np.array([42, 5, 2 ** 40]))
    array([ 1, -1,  2])
"""
from __future__ import annotations

import numpy as np

_EMPTY = -1  # keys are non-negative
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: multiply, keep the top bits


def distinct(keys: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a non-negative integer array: ``np.unique(keys)`` by sorting.

    numpy 2.3+ finds plain ``np.unique`` of integers with a hash set, ten times slower here
    than sorting."""
    keys = _sorted(keys)
    return keys[_firsts(keys)].astype(np.int64)


def counted(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, count) of the distinct (row, column) pairs given, in order.

    >>> [a.tolist() for a in counted(np.array([1, 0, 1]), np.array([5, 2, 5]))]
    [[0, 1], [2, 5], [1, 2]]
    """
    width = int(cols.max(initial=0)) + 1
    keys = _sorted(rows * width + cols)
    starts = np.flatnonzero(_firsts(keys))
    unique = keys[starts].astype(np.int64)
    return unique // width, unique % width, np.diff(starts, append=len(keys))


def _sorted(keys: np.ndarray) -> np.ndarray:
    """Non-negative integers sorted, as 32-bit integers where they fit: those sort in half the time."""
    if len(keys) and int(keys.max()) < 2 ** 31:
        return np.sort(keys.astype(np.int32))
    return np.sort(keys)


def _firsts(keys: np.ndarray) -> np.ndarray:
    """Where each value of a sorted array first appears."""
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return first


def owners(sizes: np.ndarray) -> np.ndarray:
    """For items laid end to end in runs of ``sizes``: each item's run.

    >>> owners(np.array([2, 0, 3])).tolist()
    [0, 0, 2, 2, 2]
    """
    return np.repeat(np.arange(len(sizes)), sizes)


def run_starts(sizes: np.ndarray) -> np.ndarray:
    """Where each run of ``sizes`` starts, for items laid end to end in such runs.

    >>> run_starts(np.array([2, 0, 3])).tolist()
    [0, 2, 2]
    """
    return np.cumsum(sizes) - sizes


def runs(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items laid end to end in runs of ``sizes``: each item's run, and the items left in its run
    from it on (itself included), which says which n-grams starting there stay within the run.

    >>> [a.tolist() for a in runs(np.array([2, 0, 3]))]
    [[0, 0, 2, 2, 2], [2, 1, 3, 2, 1]]
    """
    owner = owners(sizes)
    return owner, np.repeat(np.cumsum(sizes), sizes) - np.arange(len(owner))


class KeyTable:
    """Non-negative int64 keys → int64 values; ``get`` gives -1 for a key that is not there."""

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        keys, values = np.asarray(keys, dtype=np.int64), np.asarray(values, dtype=np.int64)
        if len(keys) and keys.min() < 0:
            raise ValueError("KeyTable keys must be non-negative")
        bits = max(4, int(np.ceil(np.log2(max(len(keys), 1) * 4))))  # at most a quarter of the slots taken
        self._shift, self._mask = np.uint64(64 - bits), (1 << bits) - 1
        self.keys = np.full(1 << bits, _EMPTY, dtype=np.int64)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        self.probes = self._insert(keys, values)

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        # the keys are non-negative, so their bits read as unsigned are the same numbers
        return ((keys.view(np.uint64) * _GOLDEN) >> self._shift).view(np.int64)

    def _insert(self, keys: np.ndarray, values: np.ndarray) -> int:
        """Place every key (linear probing, a round of numpy operations per step); the longest probe."""
        keys, first = np.unique(keys, return_index=True)  # a repeated key keeps its first value
        values = values[first]
        home, pending, probe = self._slots(keys), np.arange(len(keys)), 0
        while len(pending):
            slots = (home[pending] + probe) & self._mask
            free = self.keys[slots] == _EMPTY
            taken, winner = np.unique(slots[free], return_index=True)
            placed = pending[free][winner]
            self.keys[taken], self.values[taken] = keys[placed], values[placed]
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            probe += 1
        return probe

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 where the key is not in the table."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        slots = self._slots(keys)
        found = self.keys.take(slots)
        hit = found == keys
        out = np.where(hit, self.values.take(slots), -1)  # nearly every key settles in its home slot
        pending = np.flatnonzero(~hit & (found != _EMPTY))
        slots = slots[pending]
        for _ in range(1, self.probes):
            if not len(pending):
                break
            slots = (slots + 1) & self._mask
            found = self.keys.take(slots)
            hit = found == keys[pending]
            out[pending[hit]] = self.values.take(slots[hit])
            keep = ~hit & (found != _EMPTY)
            pending, slots = pending[keep], slots[keep]
        return out
