"""Signs of a thin report in its sentences: boilerplate, copied plans, shortcomings without detail.

Sentences are compared on their *comparable* text (:mod:`classifier.units.similarity`).

    >>> has_detail("执法力量不足。"), has_detail("执法中队仅有执法人员6名。")
    (False, True)
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from ..read.normalize import normalize
from ..units.similarity import _MARKER, _jaccard, bigrams, comparable, rarest_grams, sizes_allow

# Words that turn a shortcoming into a plan and back; removed before comparing the two.
_CUES = re.compile(r"下一步|下一年度?|明年|进一步|持续|继续|着力|切实|努力|不断|全面|深入|大力|"
                   r"有待(?:提高|加强|增强|完善|提升)|还?不够|不足|薄弱|欠缺|短板|仍然?(?:存在|有)|存在|还需|需要|"
                   r"加强|提高|提升|增强|完善|强化|推进|推动|将")
_FIGURE = re.compile(r"\d|[一二三四五六七八九十百千万两半]+\s*(?:个|件|起|次|名|人|项|家|户|宗|份|场|条|处|所|类|批|期|"
                     r"天|成|倍|万|千|百|余|多|分之)")
_NAMED = re.compile(r"《[^》]+》|案件|案例|案卷|个案|[^\W\d_]{1,8}(?:司法所|派出所|执法(?:大|中)队|中队|大队|法制机构|"
                    r"服务中心|管理局|人民政府|街道办事处|委员会|办公室|法院|检察院|医院|学校|公司|社区|村委会|[市县区镇乡]政府)"
                    r"|例如|比如|以[^,。]{1,20}为例")


def copied_pairs(plans: Sequence[str], shortcomings: Sequence[str], threshold: float = 0.8,
                 ) -> list[tuple[int, int, float]]:
    """``(plan index, shortcoming index, score)`` for plans that restate a shortcoming: the most similar
    shortcoming (the last of equals), when it is at least ``threshold`` similar.

    The cue words that turn one into the other (有待提高, 进一步, 加强 …) are dropped first. Only shortcomings
    that share a rare bigram with the plan are compared (prefix filtering, as in ``near_duplicate_pairs``), and
    equal texts once, so a long report costs time in proportion to its length.

    >>> copied_pairs(["三是进一步提高执法队伍的法律知识水平。"], ["三是执法队伍的法律知识水平有待提高。"])
    [(0, 0, 1.0)]
    """
    core_plans = [_CUES.sub("", comparable(t)) for t in plans]
    last: dict[str, int] = {}  # each distinct shortcoming, at its last place
    for j, text in enumerate(_CUES.sub("", comparable(t)) for t in shortcomings):
        if text:
            last[text] = j
    index = _PrefixIndex(list(last), threshold)
    best_of: dict[str, tuple[float, int] | None] = {}
    out = []
    for i, p in enumerate(core_plans):
        if p and p not in best_of:
            best_of[p] = max(((score, last[s]) for score, s in index.similar(p)), default=None)
        found = best_of.get(p)
        if found and found[0] >= threshold:
            out.append((i, found[1], round(found[0], 3)))
    return out


class _PrefixIndex:
    """Texts indexed by the rarest bigrams of each: two texts at least ``threshold`` similar share one of them.
    A few texts are not indexed: each is compared, which is quicker than finding the rarest bigrams."""

    FEW = 32

    def __init__(self, texts: list[str], threshold: float) -> None:
        self.texts, self.threshold = texts, threshold
        self.grams = [bigrams(t) for t in texts]
        self.index: dict[str, list[int]] = defaultdict(list)
        if len(texts) <= self.FEW:
            return
        self.frequency = Counter(g for gs in self.grams for g in gs)
        for k, gs in enumerate(self.grams):
            for g in rarest_grams(gs, self.frequency, threshold):
                self.index[g].append(k)

    def similar(self, text: str) -> list[tuple[float, str]]:
        """(similarity, text) of the indexed texts that may reach the threshold with ``text``: those that share
        a rare bigram with it and whose numbers of bigrams allow it (``sizes_allow``)."""
        grams = bigrams(text)
        if len(self.texts) <= self.FEW:
            found: Iterable[int] = range(len(self.texts))
        else:
            found = {k for g in rarest_grams(grams, self.frequency, self.threshold) for k in self.index.get(g, ())}
        return [(_jaccard(text, self.texts[k], grams, self.grams[k]), self.texts[k]) for k in found
                if sizes_allow(len(grams), len(self.grams[k]), self.threshold)]


def has_detail(text: str) -> bool:
    """True when a sentence gives a figure, a named body, a law or a case, not just a verdict."""
    body = _MARKER.sub("", normalize(text).strip(), count=1)
    return bool(_FIGURE.search(body) or _NAMED.search(body))
