"""Signs of a thin report in its sentences: boilerplate, copied plans, shortcomings without detail.

Sentences are compared on their *comparable* text (:mod:`classifier.units.similarity`).

    >>> has_detail("执法力量不足。"), has_detail("执法中队仅有执法人员6名。")
    (False, True)
"""
from __future__ import annotations

import re
from typing import Sequence

from ..read.normalize import normalize
from ..units.similarity import _MARKER, _jaccard, bigrams, comparable

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
    """``(plan index, shortcoming index, score)`` for plans that restate a shortcoming.

    The cue words that turn one into the other (有待提高, 进一步, 加强 …) are dropped first.

    >>> copied_pairs(["三是进一步提高执法队伍的法律知识水平。"], ["三是执法队伍的法律知识水平有待提高。"])
    [(0, 0, 1.0)]
    """
    core_plans = [_CUES.sub("", comparable(t)) for t in plans]
    core_short = [_CUES.sub("", comparable(t)) for t in shortcomings]
    grams = [bigrams(s) for s in core_short]
    out = []
    for i, p in enumerate(core_plans):
        gp = bigrams(p)
        scored = [(_jaccard(p, s, gp, gs), j) for j, (s, gs) in enumerate(zip(core_short, grams)) if p and s]
        if scored:
            score, j = max(scored)
            if score >= threshold:
                out.append((i, j, round(score, 3)))
    return out


def has_detail(text: str) -> bool:
    """True when a sentence gives a figure, a named body, a law or a case, not just a verdict."""
    body = _MARKER.sub("", normalize(text).strip(), count=1)
    return bool(_FIGURE.search(body) or _NAMED.search(body))
