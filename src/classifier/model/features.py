"""Features of a unit: its words, its characters, and where it sits in the report.

The model's input is a sequence of *records*: mappings with the unit's ``text`` and,
when known, its context (``path``, ``is_heading``, ``style``, ``role``, ``position``).
A bare sentence is a record with only ``text``.

    >>> records = [{"text": "下一步,将深化普法。", "path": ("四、明年工作打算",), "role": "plans"}]
    >>> sorted(ContextFeatures().fit(records).vocabulary_)  # doctest: +NORMALIZE_WHITESPACE
    ['cue=future', 'depth=1', 'end=。', 'head:工作', 'head:打算', 'head:明年', 'role=plans',
     'role=plans&cue=future', 'top:工作', 'top:打算', 'top:明年']
"""
from __future__ import annotations

from typing import Any, Sequence

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .records import (  # noqa: F401
    POSITION_BINS,
    Record,
    context_features,
    prepare_text,
    sentence_records,
    text_cues,
    text_of,
    unit_records,
)
from .tokens import tokenize


class TextField(BaseEstimator, TransformerMixin):
    """Selects the unit's text from records (stateless)."""

    def fit(self, records: Sequence[Record], y: Any = None) -> "TextField":
        return self

    def transform(self, records: Sequence[Record]) -> list[str]:
        return text_of(records)


class ContextFeatures(BaseEstimator, TransformerMixin):
    """Sparse indicator features of a unit's place in the report.

    The section role, heading style, whether the unit is a heading, a coarse position,
    and the words of the top-level heading and of the nearest heading, prefixed so they
    do not mix with the unit's own words. Records without context give an empty row.
    """

    def __init__(self, weight: float = 1.0, position_bins: int = POSITION_BINS, neighbours: float = 0.0,
                 cues: float = 1.0) -> None:
        self.weight = weight
        self.position_bins = position_bins
        self.neighbours = neighbours
        self.cues = cues

    def fit(self, records: Sequence[Record], y: Any = None) -> "ContextFeatures":
        self.vectorizer_ = DictVectorizer(dtype=float)
        self.vectorizer_.fit(self._dicts(records))
        self.vocabulary_ = self.vectorizer_.vocabulary_
        return self

    def transform(self, records: Sequence[Record]):
        return self.vectorizer_.transform(self._dicts(records)) * self.weight

    def get_feature_names_out(self, input_features: Any = None):
        return self.vectorizer_.get_feature_names_out()

    def _dicts(self, records: Sequence[Record]) -> list[dict[str, float]]:
        return [self._features(r) for r in records]

    def _features(self, record: Record) -> dict[str, float]:
        return context_features(record, self.position_bins, self.neighbours, self.cues)


class CompactTfidf(TfidfVectorizer):
    """TfidfVectorizer that forgets the terms it pruned (``stop_words_``) once fitted.

    The pruned terms are only kept for introspection and can be larger than the model
    itself; scikit-learn's documentation suggests dropping them before saving.
    """

    def fit_transform(self, raw_documents, y=None):
        X = super().fit_transform(raw_documents, y)
        if hasattr(self, "stop_words_"):
            del self.stop_words_
        return X

    def fit(self, raw_documents, y=None):
        self.fit_transform(raw_documents, y)
        return self


def build_features(config) -> FeatureUnion:
    """Word n-grams, character n-grams and context, side by side."""
    words = CompactTfidf(tokenizer=tokenize, token_pattern=None, lowercase=False,
                            ngram_range=tuple(config.word_ngrams), sublinear_tf=True,
                            min_df=config.min_df)
    chars = CompactTfidf(analyzer="char", preprocessor=prepare_text, lowercase=False,
                            ngram_range=tuple(config.char_ngrams), sublinear_tf=True,
                            min_df=config.min_df)
    return FeatureUnion([
        ("words", Pipeline([("text", TextField()), ("tfidf", words)])),
        ("chars", Pipeline([("text", TextField()), ("tfidf", chars)])),
        ("context", ContextFeatures(weight=config.context_weight, neighbours=config.neighbours, cues=config.cues)),
    ])
