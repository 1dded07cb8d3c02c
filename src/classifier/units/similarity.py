"""Near-duplicate units: texts compared on their comparable form, by character-bigram Jaccard similarity.

A unit's *comparable* text is normalised, without its item marker (一是, (二), 3.) and
without punctuation or spaces. Two units are near-duplicates when their comparable texts
are equal or their bigram similarity reaches a threshold.

    >>> comparable("二是，深入开展“民法典”宣传。")
    '深入开展民法典宣传'
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Mapping, Sequence

from ..read.normalize import normalize

_MARKER = re.compile(r"^\s*(?:第[一二三四五六七八九十]+(?:部分|章)?[、.,:]?|[一二三四五六七八九十]+(?:是|、|[.,])"
                     r"|[(][一二三四五六七八九十\d]+[)]|\d{1,2}[、.](?!\d)|[①-⑳]|其[一二三四五六七八九十]+是?|首先|其次|再次|最后)")
_NON_WORD = re.compile(r"[\W_]+")

def comparable(text: str) -> str:
    """The text two sentences are compared on: normalised, no item marker, no punctuation."""
    return comparable_of_normalized(normalize(text).strip())


def comparable_of_normalized(norm: str) -> str:
    """``comparable`` of a text already normalised and stripped (so that it is not normalised twice).

    >>> comparable_of_normalized("二是,深入开展宣传。")
    '深入开展宣传'
    """
    return _NON_WORD.sub("", _MARKER.sub("", norm, count=1))


def bigrams(text: str) -> frozenset[str]:
    """The set of character bigrams of ``text`` (a single character is its own gram)."""
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset([text])


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity of two comparable texts (1.0 when equal).

    >>> similarity("加强执法队伍建设", "加强执法队伍建设工作") > 0.7
    True
    """
    return _jaccard(a, b, bigrams(a), bigrams(b))


def _jaccard(a: str, b: str, ga: frozenset[str], gb: frozenset[str]) -> float:
    """``similarity`` of ``a`` and ``b`` given their bigrams."""
    if a == b:
        return 1.0
    return len(ga & gb) / len(ga | gb)


def rarest_grams(grams: frozenset[str], frequency: Mapping[str, int], threshold: float) -> list[str]:
    """The rarest of a text's bigrams (by ``frequency``, then the gram), as many as make sure that two texts at
    least ``threshold`` similar share one of them (prefix filtering).

    >>> rarest_grams(bigrams("开展普法"), {"开展": 9, "展普": 1, "普法": 3}, 0.8)
    ['展普', '普法']
    """
    keep = len(grams) - math.floor(threshold * len(grams)) + 1
    return sorted(grams, key=lambda g: (frequency.get(g, 0), g))[:keep]


def sizes_allow(n: int, m: int, threshold: float) -> bool:
    """Whether texts of ``n`` and ``m`` bigrams can be ``threshold`` similar: their similarity is at most
    the smaller number over the larger.

    >>> sizes_allow(4, 5, 0.8), sizes_allow(3, 5, 0.8)
    (True, False)
    """
    return min(n, m) / max(n, m) >= threshold


def near_duplicate_pairs(texts: Sequence[str], groups: Sequence[str], threshold: float = 0.8,
                         ) -> list[tuple[int, int, float]]:
    """Index pairs ``(i, j, score)``, ``i < j``, of comparable texts from different groups that
    are equal or at least ``threshold`` similar (prefix filtering on rare bigrams, and the bound the numbers of
    bigrams set, keep it fast).

    >>> near_duplicate_pairs(["深入开展民法典宣传活动", "深入开展民法典宣传活动", "优化营商环境"], ["a", "b", "b"])
    [(0, 1, 1.0)]
    """
    grams = [bigrams(t) for t in texts]
    frequency = Counter(g for gs in grams for g in gs)
    index: dict[str, dict[str, list[int]]] = defaultdict(dict)  # by gram, then by group: a text's own group
    found = []                                                  # is never walked (a long report stays linear)
    for i, gs in enumerate(grams):
        prefix = rarest_grams(gs, frequency, threshold)
        near = {j for g in prefix for group, js in index[g].items() if group != groups[i] for j in js}
        for j in sorted(near):
            if not sizes_allow(len(grams[j]), len(gs), threshold):
                continue
            score = _jaccard(texts[j], texts[i], grams[j], grams[i])
            if score >= threshold:
                found.append((j, i, round(score, 3)))
        for g in prefix:
            index[g].setdefault(groups[i], []).append(i)
    return sorted(found)
