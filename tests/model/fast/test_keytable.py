"""The numpy hash table finds exactly the keys put in it, with their values."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from classifier.model.fast.keytable import KeyTable, counted, distinct


def _expected(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> list[int]:
    first: dict[int, int] = {}
    for k, v in zip(keys.tolist(), values.tolist()):
        first.setdefault(k, v)
    return [first.get(q, -1) for q in queries.tolist()]


@pytest.mark.parametrize("n", [0, 1, 2, 17, 5000])
def test_every_key_is_found_and_no_other(n):
    rng = np.random.default_rng(n)
    keys = rng.integers(0, 2 ** 62, n)
    values = rng.permutation(n)
    queries = np.concatenate([keys, rng.integers(0, 2 ** 62, 3 * n + 5), np.array([0, 2 ** 63 - 1])])
    assert KeyTable(keys, values).get(queries).tolist() == _expected(keys, values, queries)


def test_keys_that_share_a_home_slot_are_found_along_their_probe_chain():
    rng = np.random.default_rng(1)
    bits = 12  # 1,000 keys: a table of 4,096 slots
    home = lambda k: ((k * 0x9E3779B97F4A7C15) % 2 ** 64) >> (64 - bits)  # noqa: E731
    candidates = [int(k) for k in rng.integers(0, 2 ** 62, 400_000)]
    crowded = [k for k in candidates if home(k) == 7][:40]
    keys = np.array(crowded + candidates[:960], dtype=np.int64)
    table = KeyTable(keys, np.arange(len(keys)))
    assert len(table.keys) == 2 ** bits and table.probes >= 40
    queries = np.concatenate([keys, np.array([k for k in candidates[-2000:] if home(k) in (7, 8)] + [0])])
    assert table.get(queries).tolist() == _expected(keys, np.arange(len(keys)), queries)


def test_a_repeated_key_keeps_its_first_value():
    table = KeyTable(np.array([5, 9, 5]), np.array([10, 20, 30]))
    assert table.get(np.array([5, 9])).tolist() == [10, 20]


def test_negative_keys_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        KeyTable(np.array([3, -1]), np.array([0, 1]))


def test_no_queries_give_an_empty_answer():
    assert KeyTable(np.array([1]), np.array([2])).get(np.zeros(0, np.int64)).tolist() == []


@pytest.mark.parametrize("n, high", [(0, 5), (1, 5), (2, 1), (1000, 50), (20000, 2 ** 62)])
def test_distinct_gives_the_sorted_distinct_values(n, high):
    keys = np.random.default_rng(n).integers(0, high, n)
    assert distinct(keys).tolist() == sorted(set(keys.tolist()))


@pytest.mark.parametrize("n, rows, cols", [(0, 1, 1), (1, 1, 1), (3000, 40, 50), (3000, 5000, 2 ** 20), (3000, 3, 2 ** 40)])
def test_counted_gives_each_distinct_pair_once_with_its_count(n, rows, cols):
    # the last two: keys past 2 ** 31, which are sorted as 64-bit integers
    rng = np.random.default_rng(n + rows)
    r, c = rng.integers(0, rows, n), rng.integers(0, cols, n)
    r, c = np.concatenate([r, r[: n // 2]]), np.concatenate([c, c[: n // 2]])  # repeats
    expected = Counter(zip(r.tolist(), c.tolist()))
    got_rows, got_cols, counts = counted(r, c)
    assert list(zip(got_rows.tolist(), got_cols.tolist())) == sorted(expected)
    assert counts.tolist() == [expected[pair] for pair in sorted(expected)]
