"""Features of a unit: its words, its characters, and where it sits in the report.

The model's input is a sequence of *records*: mappings with the unit's ``text`` and,
when known, its context (``path``, ``is_heading``, ``style``, ``role``, ``position``).
A bare sentence is a record with only ``text``.

    >>> records = [{"text": "下一步,将深化普法。", "path": ("四、明年工作打算",), "role": "plans"}]
    >>> sorted(ContextFeatures().fit(records).vocabulary_)[:3]
    ['head:工作', 'head:打算', 'head:明年']
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .normalize import normalize
from .segments import Unit
from .tokens import tokenize

Record = Mapping[str, Any]
_DIGITS = re.compile(r"\d")
_NUMBERING = re.compile(r"^\s*(?:第?[一二三四五六七八九十]+(?:部分|是)?[、.,]?|[(][一二三四五六七八九十\d]+[)]|\d+[、.]|[①-⑳])\s*")


def unit_records(units: Sequence[Unit]) -> list[dict[str, Any]]:
    """Records for the units of one report, in order (position runs from 0 to 1)."""
    n = max(len(units) - 1, 1)
    return [
        {"text": u.text, "path": u.path, "is_heading": u.is_heading, "style": u.style,
         "role": u.role or "none", "position": u.index / n,
         "previous": units[k - 1].text if k else "", "next": units[k + 1].text if k + 1 < len(units) else ""}
        for k, u in enumerate(units)
    ]


def sentence_records(texts: Iterable[str]) -> list[dict[str, Any]]:
    """Records for bare sentences, with no context."""
    return [{"text": t} for t in texts]


def prepare_text(text: str) -> str:
    """What the character n-grams see: normalised, digits as 0, no line breaks."""
    return _DIGITS.sub("0", normalize(text)).replace("\n", "")


def text_of(records: Iterable[Record]) -> list[str]:
    return [r["text"] for r in records]


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

    def __init__(self, weight: float = 1.0, position_bins: int = 5, neighbours: float = 0.0,
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
        feats = {name: self.cues for name in text_cues(record["text"])} if self.cues else {}
        if "role" not in record and "path" not in record:
            return feats
        role = record.get("role") or "none"
        feats[f"role={role}"] = 1.0
        for cue in [c for c in feats if c.startswith("cue=")]:
            feats[f"role={role}&{cue}"] = self.cues  # a commitment inside a measures section
        if record.get("is_heading"):
            feats["is_heading"] = 1.0
            feats[f"style={record.get('style') or 'plain'}"] = 1.0
        if "position" in record:
            feats[f"position={min(int(record['position'] * self.position_bins), self.position_bins - 1)}"] = 1.0
        path = tuple(record.get("path") or ())
        feats[f"depth={min(len(path), 4)}"] = 1.0
        if path:
            for word in _heading_words(path[0]):
                feats[f"top:{word}"] = 1.0
            for word in _heading_words(path[-1]):
                feats[f"head:{word}"] = 1.0
        if self.neighbours:
            for side in ("previous", "next"):
                for word in _heading_words(record.get(side) or ""):
                    feats[f"{side}:{word}"] = self.neighbours
        return feats


_FUTURE = re.compile(r"下一步|下步|今后|明年|来年|接下来|下一年|20\d\d年(?:度)?[,]?(?:我们|我局|我镇|我区|我县|我市|本局)?(?:将|要)"
                     r"|(?:^|[,;])(?:我们|我局|我镇|我区|我县|我市|我省|本局|街道|镇政府|县政府|市政府|省政府)?(?:还)?将(?!其|之|军)")
_DEFICIT = re.compile(r"不足|有待|不够|不强|不高|不到位|薄弱|短板|欠缺|差距|滞后|不平衡|不充分|仍然存在|仍存在|尚未|原因")
_DATE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*$")


def text_cues(text: str) -> list[str]:
    """Shape and wording cues of a unit's own text: future commitment, deficiency, a bare line, a date.

    >>> text_cues("下一步，将深化普法。"), text_cues("2023年1月10日")
    (['cue=future', 'end=。'], ['cue=date', 'end=none'])
    """
    norm = normalize(text).strip()
    cues = []
    if _FUTURE.search(norm):
        cues.append("cue=future")
    if _DEFICIT.search(norm):
        cues.append("cue=deficit")
    if _DATE.match(norm):
        cues.append("cue=date")
    last = norm[-1:] if norm else ""
    cues.append(f"end={last if last in '。;:!?,' else 'none'}")
    return cues


def _heading_words(heading: str) -> set[str]:
    body = _NUMBERING.sub("", normalize(heading))
    return {w for w in tokenize(body) if len(w) > 1 or w.isalnum()}


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
