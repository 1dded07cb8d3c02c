"""Prediction without scikit-learn: a saved model's features and weights, applied directly.

Importing scikit-learn takes seconds, longer than classifying a report. ``LinearScorer``
reads the same arrays and vocabularies as the scikit-learn Pipeline that
``persistence.rebuild_pipeline`` makes, and computes the same numbers: TF-IDF of word and
character n-grams (sublinear tf, idf, l2 per block, as ``TfidfVectorizer``), the context
indicators (as ``DictVectorizer``), the linear margins and their Platt sigmoids (as
``model.CalibratedSVM``). The tests hold the two to the same probabilities (1e-9).

    >>> scorer = LinearScorer(arrays, state)                    # doctest: +SKIP
    >>> scorer.predict_proba([{"text": "下一步,将深化普法。"}])    # doctest: +SKIP
    array([[0.01, 0.02, 0.03, 0.9 , 0.02, 0.02]])
"""
from __future__ import annotations

from functools import cached_property
from itertools import repeat
from typing import Any, Sequence

import numpy as np

from ..persistence import FORMAT, stored_config
from ..records import Record
from .charindex import _WHITE_SPACES, CharIndex
from .columns import ContextColumns, Views, WordGrams, model_lexicon
from .keytable import counted, owners, run_starts


def word_ngrams(tokens: Sequence[str], low: int, high: int) -> list[str]:
    """Word n-grams as scikit-learn's word analyzer makes them (joined by a space)."""
    if high == 1:
        return list(tokens)
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        out += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return out


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams as scikit-learn's ``analyzer="char"`` makes them."""
    text = _WHITE_SPACES.sub(" ", text)
    out = list(text) if low == 1 else []
    for n in range(max(low, 2), min(high, len(text)) + 1):
        out += [text[i:i + n] for i in range(len(text) - n + 1)]
    return out


def _counted(found: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record, column, count) of each record's known columns (-1: unknown), counted."""
    sizes = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    cols = np.array([c for f in found for c in f], dtype=np.int64)
    rows = owners(sizes)
    return counted(rows[cols >= 0], cols[cols >= 0])


def _weighted_sums(weights: np.ndarray, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Each weight row's sum of ``weights[:, col] * value`` over the entries of each of ``n`` rows: (weight row, row).

    The entries are put in row order (a stable sort, which merges the few sorted runs of the
    context block), and then each row's products are summed in one pass: faster than a
    ``np.bincount`` per weight row."""
    if len(rows) > 1 and (rows[1:] < rows[:-1]).any():
        order = np.argsort(rows, kind="stable")
        rows, cols, values = rows[order], cols[order], values[order]
    products = weights.take(cols, axis=1)
    products *= values
    sums = np.zeros((len(weights), n))
    counts = np.bincount(rows, minlength=n)
    filled = counts > 0
    if filled.any():
        sums[:, filled] = np.add.reduceat(products, run_starts(counts)[filled], axis=1)
    return sums


def _index(terms: Sequence[Any], start: int) -> dict[str, int]:
    """Term → column, the columns of this block starting at ``start``."""
    return dict(zip(map(str, terms), range(start, start + len(terms))))


class LinearScorer:
    """The fitted model as plain arrays: ``predict_proba(records)`` like the Pipeline's."""

    def __init__(self, arrays: dict[str, np.ndarray], state: dict) -> None:
        if state.get("format") != FORMAT:
            raise ValueError(f"format {state.get('format')!r}")
        config = stored_config(state)
        vocab = state["vocabularies"]
        self.arrays, self.state = arrays, state
        self.classes_ = np.asarray(state["classes"], dtype=object)
        self.words = _index(vocab["words"], 0)
        self.char_index = CharIndex.from_terms([str(t) for t in vocab["chars"]], len(self.words), *tuple(config.char_ngrams))
        offset = len(self.words) + len(vocab["chars"])
        self.context = _index(vocab["context"], offset)
        self.lexicon = model_lexicon(self.words, self.context)  # a batch's words are looked up in it once
        self.word_grams = WordGrams.build(self.words, *tuple(config.word_ngrams), self.lexicon)
        self.context_columns = ContextColumns(self.context, config.neighbours, config.cues, self.lexicon)
        self.idf = np.concatenate([np.asarray(arrays["words_idf"], dtype=float),
                                   np.asarray(arrays["chars_idf"], dtype=float), np.ones(len(self.context))])
        coef = np.asarray(arrays["coef"], dtype=float)
        self.weights = np.ascontiguousarray(coef)  # a contiguous row of weights per label
        self.intercept = np.asarray(arrays["intercept"], dtype=float)
        self.calibration = np.asarray(arrays["calibration"], dtype=float)
        self.word_range, self.char_range = tuple(config.word_ngrams), tuple(config.char_ngrams)
        self.context_weight, self.neighbours, self.cues = config.context_weight, config.neighbours, config.cues
        self._check(coef, offset + len(self.context))

    def _check(self, coef: np.ndarray, n_features: int) -> None:
        if len(self.idf) != n_features:
            raise ValueError(f"{len(self.idf) - len(self.context)} idf weights for {n_features - len(self.context)} terms")
        if coef.ndim != 2 or coef.shape[1] != n_features:
            raise ValueError(f"{coef.shape[-1]} weights for {n_features} features")
        if coef.shape[0] != len(self.intercept) or self.calibration.shape != (coef.shape[0], 2):
            raise ValueError(f"{coef.shape[0]} weight rows, {len(self.intercept)} intercepts, "
                             f"calibration of shape {self.calibration.shape}")
        if coef.shape[0] != (1 if len(self.classes_) == 2 else len(self.classes_)):
            raise ValueError(f"{coef.shape[0]} weight rows for {len(self.classes_)} labels")

    @cached_property
    def chars(self) -> dict[str, int]:
        """Character n-gram → column: the slow path's look-up, built on first use (the CharIndex holds the same)."""
        return _index(self.state["vocabularies"]["chars"], len(self.words))

    def parts(self, records: Sequence[Record]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The feature rows of ``records`` as (row, column, value) arrays of the non-zero entries, per block
        (words, characters, context); each block's columns are its own, and no two blocks share one."""
        views = Views([r["text"] for r in records], self.lexicon)
        words = self._tfidf(*self._words(views))
        chars = self._tfidf(*self._chars([d.replace("\n", "") for d in views.digits]))
        rows, cols, values = self.context_columns.of(records, views)
        return [words, chars, (rows, cols, values * self.context_weight)]

    def _words(self, views: Views) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(record, column, count) of the word n-grams of each record."""
        if self.word_grams is not None:
            return self.word_grams.count_numbered(views.numbers, views.sizes)
        return _counted([list(map(self.words.get, word_ngrams(w, *self.word_range), repeat(-1))) for w in views.words])

    def _chars(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(record, column, count) of the character n-grams of each text."""
        if self.char_index is not None:
            return self.char_index.count(texts)
        return _counted([list(map(self.chars.get, char_ngrams(text, *self.char_range), repeat(-1))) for text in texts])

    def _tfidf(self, rows: np.ndarray, cols: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sublinear tf times idf, each record's row scaled to unit length (as ``TfidfVectorizer``)."""
        values = (np.log(counts) + 1.0) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=values ** 2))
        return rows, cols, values / norms[rows]  # every value is positive, so is the norm of each row

    def decision_function(self, records: Sequence[Record]) -> np.ndarray:
        """The linear margins, one column per weight row."""
        margins = sum(_weighted_sums(self.weights, *part, len(records)) for part in self.parts(records))
        return np.asarray(margins).T + self.intercept

    def predict_proba(self, records: Sequence[Record]) -> np.ndarray:
        """Each label's probability (Platt-scaled margins, normalised to sum to 1)."""
        margins = self.decision_function(records)
        p = 1.0 / (1.0 + np.exp(-(margins * self.calibration[:, 0] + self.calibration[:, 1])))
        if len(self.classes_) == 2:
            return np.hstack([1 - p, p])
        return p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)

    def predict(self, records: Sequence[Record]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(records), axis=1)]

    def pipeline(self) -> Any:
        """The same model as a scikit-learn Pipeline (imports scikit-learn), e.g. for ``explain``."""
        from ..persistence import rebuild_pipeline

        return rebuild_pipeline(self.arrays, self.state)
