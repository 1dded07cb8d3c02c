"""The feature columns of many records at once, as ``LinearScorer`` weighs them.

What ``records.context_features`` and scikit-learn's analyzers compute one record and one
string at a time, computed for a whole batch: the texts normalised in one pass, each text
cut into words once and each word looked up once (a unit's words also serve as its
neighbours' and, for a heading, its section's), word n-grams looked up as integer keys,
and context features looked up straight from the words instead of through ``prefix:word``
strings. The results are the same columns and counts (the tests hold the scorer to the
scikit-learn Pipeline).

    >>> grams = WordGrams.build({"普法": 0, "深化": 1, "深化 普法": 2}, 1, 2)
    >>> grams.count([["深化", "普法"]])  # (record, column, count)
    (array([0, 0, 0]), array([0, 1, 2]), array([1, 1, 1]))
"""
from __future__ import annotations

from itertools import chain, repeat
from typing import Iterable, Sequence

import numpy as np

from ...read.normalize import normalize, split_like
from ..records import (
    _NUMBERING,
    Record,
    has_place,
    normalized_cues,
    place_features,
    record_place,
)
from ..tokens import _DIGITS, words_of
from .keytable import KeyTable, counted, distinct, owners, run_starts, runs

_SIDES = ("top", "head", "previous", "next")
Parts = tuple[np.ndarray, np.ndarray, np.ndarray]  # (row, column, count or value) of the non-zero entries


Lexicon = dict[str, int]  # word → its number, from 0 up: every word that the word n-grams or the context look up


def lexicon(*words: Iterable[str]) -> Lexicon:
    """The words numbered in order, each once."""
    ordered = dict.fromkeys(chain(*words))
    return dict(zip(ordered, range(len(ordered))))


def model_lexicon(words: dict[str, int], context: dict[str, int]) -> Lexicon:
    """The words that a model's word n-grams (its unigrams) and context columns look up, numbered once."""
    return lexicon(_unigrams(words), chain.from_iterable(side_words(context).values()))


def _unigrams(vocabulary: dict[str, int]) -> dict[str, int]:
    return {term: col for term, col in vocabulary.items() if " " not in term}


def renumbering(lexicon: Lexicon, numbers: dict[str, int]) -> np.ndarray:
    """Each lexicon number → the word's number in ``numbers`` (-1 where absent); -1 for -1, a word not in the lexicon."""
    return np.fromiter(chain(map(numbers.get, lexicon, repeat(-1)), [-1]), np.int64, len(lexicon) + 1)


def numbered(lexicon: Lexicon, words: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Every word of every text as its number in ``lexicon`` (-1: not in it), one flat array; each text's count."""
    sizes = np.fromiter(map(len, words), np.int64, len(words))
    return np.fromiter(map(lexicon.get, chain.from_iterable(words), repeat(-1)), np.int64, int(sizes.sum())), sizes


def side_words(vocabulary: dict[str, int]) -> dict[str, dict[str, int]]:
    """The context vocabulary's heading and neighbour words (``top:word`` …): side → word → column."""
    sides: dict[str, dict[str, int]] = {side: {} for side in _SIDES}
    for name, col in vocabulary.items():
        side, _, word = name.partition(":")
        if word and side in sides:
            sides[side][word] = col
    return sides


def spans(begins: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions ``begins[k] … begins[k] + sizes[k] - 1`` of every k, in order, one flat array."""
    return np.repeat(begins - run_starts(sizes), sizes) + np.arange(int(sizes.sum()))


class WordGrams:
    """Word n-grams (up to three words) as integer keys: each word's number in base ``len(words)``."""

    def __init__(self, vocabulary: dict[str, int], low: int, high: int, lexicon: Lexicon | None = None) -> None:
        unigrams = _unigrams(vocabulary)
        self.ids = dict(zip(unigrams, range(len(unigrams))))
        self.lexicon = self.ids if lexicon is None else lexicon
        self.from_lexicon = renumbering(self.lexicon, self.ids)
        self.unigram_columns = np.fromiter(unigrams.values(), np.int64, len(unigrams))
        self.low, self.high, self.base = low, high, len(unigrams) + 1
        self.tables: dict[int, KeyTable] = {}
        grams: dict[int, list[tuple[int, int]]] = {}
        for term, col in vocabulary.items():
            parts = term.split(" ")
            if len(parts) > 1:
                key = self._key([self.ids.get(p, -1) for p in parts])
                grams.setdefault(len(parts), []).append((key, col))
        for n, pairs in grams.items():
            keys, cols = np.array(pairs, dtype=np.int64).reshape(-1, 2).T
            self.tables[n] = KeyTable(keys, cols)

    def _key(self, ids: list[int]) -> int:
        key = 0
        for i in ids:
            if i < 0:
                raise ValueError("an n-gram of the vocabulary has a word that is not in it")
            key = key * self.base + i
        return key

    @classmethod
    def build(cls, vocabulary: dict[str, int], low: int, high: int, lexicon: Lexicon | None = None) -> "WordGrams | None":
        """The n-gram index, or None where it cannot hold the vocabulary (the caller then joins strings)."""
        if low != 1 or high > 3 or (len(vocabulary) + 1) ** high >= 2 ** 62:
            return None
        try:
            return cls(vocabulary, low, high, lexicon)
        except ValueError:
            return None

    def count(self, words: Sequence[Sequence[str]]) -> Parts:
        """(record, column, count) of every word n-gram of each record's words that is in the vocabulary."""
        return self.count_numbered(*numbered(self.lexicon, words))

    def count_numbered(self, numbers: np.ndarray, sizes: np.ndarray) -> Parts:
        """``count`` of words given as their numbers in the lexicon (-1: not in it), ``sizes[k]`` of them for record k."""
        ids = self.from_lexicon[numbers]
        owner, room = runs(sizes)  # each word's record, and the words left in it
        known = ids >= 0
        rows, cols = [owner[known]], [self.unigram_columns[ids[known]]]
        keys, whole = ids.copy(), known.copy()
        for n in range(2, self.high + 1):
            keys, whole = keys[:-1] * self.base + ids[n - 1:], whole[:-1] & known[n - 1:]
            if n in self.tables:
                starts = np.flatnonzero(whole & (room[:len(keys)] >= n))
                found = self.tables[n].get(keys[starts])
                rows.append(owner[starts[found >= 0]])
                cols.append(found[found >= 0])
        return counted(np.concatenate(rows), np.concatenate(cols))


class Views:
    """A batch's texts normalised, with digits as 0, and cut into words; and the words of any text's body.

    Given a lexicon, each word is also looked up in it once for the batch (``numbers``), for the
    word n-grams and, where a heading or neighbour is a text of the batch, for the context."""

    def __init__(self, texts: Sequence[str], lexicon: Lexicon | None = None) -> None:
        norms = normalize("".join(texts))  # normalising keeps lengths, so each text's piece is where it was
        self.norms, self.digits = split_like(norms, texts), split_like(_DIGITS.sub("0", norms), texts)
        self.words = [words_of(d) for d in self.digits]
        self._known = {t: k for k, t in enumerate(texts)}
        self.lexicon = lexicon
        if lexicon is not None:
            self.numbers, self.sizes = numbered(lexicon, self.words)
            self.starts = run_starts(self.sizes)

    def body_numbers(self, texts: Sequence[str], lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
        """``body_words`` of each of ``texts`` as numbers in ``lexicon`` (-1: not in it), flat; each word's text."""
        shared = lexicon is self.lexicon
        where, batch, others = [], [], []  # a text of the batch without numbering is looked up already
        for j, text in enumerate(texts):
            k = self._known.get(text)
            if shared and k is not None and not _NUMBERING.match(self.norms[k]):
                where.append(j)
                batch.append(k)
            else:
                others.append(j)
        numbers, sizes = numbered(lexicon, [self.body_words(texts[j]) for j in others])
        owners = np.repeat(np.array(others, dtype=np.int64), sizes)
        if batch:
            sizes = self.sizes[batch]
            numbers = np.concatenate([self.numbers[spans(self.starts[batch], sizes)], numbers])
            owners = np.concatenate([np.repeat(np.array(where, dtype=np.int64), sizes), owners])
        return numbers, owners

    def body_words(self, text: str) -> tuple[str, ...]:
        """The words of ``text`` without its numbering: what ``records.heading_words`` keeps some of."""
        k = self._known.get(text)
        norm = self.norms[k] if k is not None else normalize(text)
        body = _NUMBERING.sub("", norm)
        return self.words[k] if k is not None and body == norm else words_of(_DIGITS.sub("0", body))


class ContextColumns:
    """``records.context_features`` straight to the columns of the model's context vocabulary.

    The features a record shares with many others (cues, role, style, position, depth) are
    looked up once per combination; the words of its headings and neighbours are gathered
    with array operations from each text's words, found once per batch."""

    def __init__(self, vocabulary: dict[str, int], neighbours: float, cues: float, lexicon: Lexicon | None = None) -> None:
        self.vocabulary, self.neighbours, self.cues = vocabulary, neighbours, cues
        sides = side_words(vocabulary)
        words = sorted(set().union(*sides.values()))
        self.word_ids = dict(zip(words, range(len(words))))
        self.lexicon = self.word_ids if lexicon is None else lexicon
        self.from_lexicon = renumbering(self.lexicon, self.word_ids)
        self.sides = {side: np.array([found.get(w, -1) for w in words], dtype=np.int64) for side, found in sides.items()}
        self._fixed: dict[tuple, tuple[list[int], list[float]]] = {}

    def of(self, records: Sequence[Record], views: Views) -> Parts:
        """(record, column, value) of every context feature of ``records`` that the vocabulary knows."""
        fixed = [self._fixed_columns(r, norm) for r, norm in zip(records, views.norms)]
        sizes = np.fromiter(map(len, (c for c, _ in fixed)), np.int64, len(fixed))
        parts = [(owners(sizes),
                  np.fromiter(chain.from_iterable(c for c, _ in fixed), np.int64, int(sizes.sum())),
                  np.fromiter(chain.from_iterable(v for _, v in fixed), float, int(sizes.sum())))]
        placed = [k for k, r in enumerate(records) if has_place(r)]
        paths = [(k, p) for k in placed if (p := records[k].get("path"))]
        sides = {"top": ([k for k, _ in paths], [p[0] for _, p in paths]),
                 "head": ([k for k, _ in paths], [p[-1] for _, p in paths])}
        if self.neighbours:
            for side in ("previous", "next"):
                sides[side] = (placed, [records[k].get(side) or "" for k in placed])
        numbers = lexicon(*(texts for _, texts in sides.values()))  # each distinct text once, in order
        wids, starts, lengths = self._words_of(list(numbers), views)
        for side, (where, texts) in sides.items():
            value = 1.0 if side in ("top", "head") else self.neighbours
            tids = np.fromiter(map(numbers.__getitem__, texts), np.int64, len(texts))
            parts.append(self._gather(side, np.array(where, dtype=np.int64), tids, wids, starts, lengths, value))
        return tuple(np.concatenate(p) for p in zip(*parts))  # type: ignore[return-value]

    def _fixed_columns(self, record: Record, norm: str) -> tuple[list[int], list[float]]:
        key = (tuple(normalized_cues(norm)) if self.cues else (), record_place(record))
        found = self._fixed.get(key)
        if found is None:
            known = [(self.vocabulary[name], value) for name, value in place_features(*key, self.cues).items()
                     if name in self.vocabulary]
            found = self._fixed[key] = ([c for c, _ in known], [v for _, v in known])
        return found

    def _words_of(self, texts: list[str], views: Views) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The heading words of each text as word numbers (each once), one flat array; each text's start and length.

        Only words that ``heading_words`` keeps are in the vocabulary, so looking a word up filters it."""
        numbers, owner = views.body_numbers(texts, self.lexicon)
        wids = self.from_lexicon[numbers]
        width = len(self.word_ids) + 1
        pairs = distinct(owner[wids >= 0] * width + wids[wids >= 0])
        lengths = np.bincount(pairs // width, minlength=len(texts))
        return pairs % width, run_starts(lengths), lengths

    def _gather(self, side: str, where: np.ndarray, tids: np.ndarray, wids: np.ndarray, starts: np.ndarray,
                lengths: np.ndarray, value: float) -> Parts:
        """(record, column, value) of the words of the texts ``tids`` on one side of the records ``where``."""
        counts = lengths[tids]
        rows = np.repeat(where, counts)
        cols = self.sides[side][wids[spans(starts[tids], counts)]]
        known = cols >= 0
        return rows[known], cols[known], np.full(int(known.sum()), value)
