"""Character n-grams counted with numpy: the vocabulary as integer keys in a hash table, looked up all at once.

An n-gram of up to three characters is one 63-bit integer: each character's code point plus
one in 21 bits (zero marks "no character"), so two n-grams have the same key exactly when
they are the same string. Counting a batch of texts is then a few array operations instead
of a dictionary look-up per n-gram in Python, and gives what scikit-learn's
``analyzer="char"`` counts (white space runs folded to one space first, as it does).

    >>> index = CharIndex.from_terms(["法", "法治", "治"], offset=10)
    >>> index.count(["法治法"])  # (text, column, count)
    (array([0, 0, 0]), array([10, 11, 12]), array([2, 1, 1]))
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

import numpy as np

from ...read.normalize import code_points
from .keytable import KeyTable, counted, distinct, owners, run_starts, runs

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's char analyzer folds runs of white space
_LAST_SPACE = 0x3000  # the ideographic space: no character above it is white space
_BITS = 21
MAX_N = 3


def _code_points(text: str) -> np.ndarray:
    """Each character's code point plus one (zero marks "no character")."""
    return code_points(text).astype(np.int64) + 1


def _grams(points: np.ndarray, high: int) -> list[np.ndarray]:
    """The key of the n-gram that starts at each place, for n = 1 … ``high`` (the n-th array is n − 1 shorter)."""
    grams = [points]
    for n in range(2, high + 1):  # the (n-1)-gram at each place and the character after it
        grams.append(grams[-1][:-1] | (points[n - 1:] << (_BITS * (n - 1))))
    return grams


def _folded(points: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each run of white space within a text as one space, as ``_WHITE_SPACES.sub(" ", text)`` has it:
    the code points of the texts laid end to end, and the texts' lengths after."""
    space = _space_table()[np.minimum(points, _LAST_SPACE + 2)]
    pairs = space[1:] & space[:-1]
    if not pairs.any():  # the usual case: no two white spaces in a row, nothing to fold
        return points, sizes
    owner = owners(sizes)
    follows = np.zeros(len(points), dtype=bool)  # white space right after white space of the same text
    follows[1:] = pairs & (owner[1:] == owner[:-1])
    points = points.copy()
    points[np.flatnonzero(follows) - 1] = ord(" ") + 1  # a run's first character becomes the space
    keep = ~follows
    return points[keep], np.bincount(owner[keep], minlength=len(sizes))


@lru_cache(maxsize=1)
def _space_table() -> np.ndarray:
    """Code point + 1 → whether ``\\s`` matches it (what ``str.isspace`` says), up to the last white space."""
    table = np.zeros(_LAST_SPACE + 3, dtype=bool)
    table[[c + 1 for c in range(_LAST_SPACE + 1) if chr(c).isspace()]] = True
    return table


class CharIndex:
    """The character n-grams of a vocabulary (each of one to three characters) and their columns."""

    def __init__(self, keys: np.ndarray, columns: np.ndarray, low: int, high: int) -> None:
        self.table, self.low, self.high = KeyTable(keys, columns), low, high

    @classmethod
    def from_terms(cls, terms: Sequence[str], offset: int, low: int = 1, high: int = MAX_N) -> "CharIndex | None":
        """The index of ``terms`` (column ``offset + i`` for the i-th), or None if a term is not 1–3 characters."""
        lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        if not 1 <= low <= high <= MAX_N or (len(terms) and (lengths.min() < 1 or lengths.max() > MAX_N)):
            return None
        begins = run_starts(lengths)
        grams = _grams(_code_points("".join(terms)), MAX_N)
        keys = np.zeros(len(terms), np.int64)
        for n in range(1, MAX_N + 1):
            of_n = lengths == n
            keys[of_n] = grams[n - 1][begins[of_n]]
        if len(distinct(keys)) != len(keys):
            return None
        return cls(keys, np.arange(offset, offset + len(terms)), low, high)

    def count(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(text number, column, count) of every n-gram of ``texts`` that is in the vocabulary."""
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        points, sizes = _folded(_code_points("".join(texts)), sizes)
        owner, room = runs(sizes)  # each character's text, and the characters left in it
        keys, owners = [], []
        for n, grams in enumerate(_grams(points, self.high)[self.low - 1:], start=self.low):
            starts = np.flatnonzero(room[:len(grams)] >= n)  # the n-grams that stay within their text
            keys.append(grams[starts])
            owners.append(owner[starts])
        return self._found(np.concatenate(keys), np.concatenate(owners))

    def _found(self, keys: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        columns = self.table.get(keys)
        hit = columns >= 0
        return counted(owners[hit], columns[hit])

