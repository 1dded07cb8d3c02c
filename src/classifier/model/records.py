"""Records and the hand-made features of a unit, without scikit-learn.

A *record* is a mapping with a unit's ``text`` and, when known, its context (``path``,
``is_heading``, ``style``, ``role``, ``position``, ``previous``, ``next``). This module
holds what turns units into records and records into context features, so that
prediction (see ``scoring``) runs without importing scikit-learn; ``features`` wraps the
same functions in scikit-learn transformers for training.

    >>> sorted(context_features({"text": "下一步,将深化普法。", "path": ("四、明年工作打算",), "role": "plans"}))[:3]
    ['cue=future', 'depth=1', 'end=。']
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from ..read.normalize import normalize
from .tokens import _DIGITS, tokenize

Record = Mapping[str, Any]
POSITION_BINS = 5  # coarse positions in the report: fifths
_NUMBERING = re.compile(r"^\s*(?:第?[一二三四五六七八九十]+(?:部分|是)?[、.,]?|[(][一二三四五六七八九十\d]+[)]|\d+[、.]|[①-⑳])\s*")


def unit_records(units: Sequence[Any], start: int = 0, stop: int | None = None) -> list[dict[str, Any]]:
    """Records for the units of one report, in order (position runs from 0 to 1); with ``start`` and ``stop``,
    those of ``units[start:stop]`` only, each still in the context of the whole report."""
    n = max(len(units) - 1, 1)
    stop = len(units) if stop is None else min(stop, len(units))
    return [
        {"text": u.text, "path": u.path, "is_heading": u.is_heading, "style": u.style,
         "role": u.role or "none", "position": u.index / n,
         "previous": units[k - 1].text if k else "", "next": units[k + 1].text if k + 1 < len(units) else ""}
        for k, u in ((k, units[k]) for k in range(start, stop))
    ]


def report_phases(units: Sequence[Any]) -> list[str]:
    """Each unit's phase of the report: the role of the last heading that named a part of the report
    (measures, duty, shortcomings, plans), up to and including the unit (``none`` before the first).
    A section whose heading names none (a topic such as 「二、坚持依法行政……」, role ``other``) stays
    in the phase before it: in a report whose measures come under topic
    headings, every unit before the shortcomings is in phase ``none`` or ``measures``, never ``plans``.

    >>> from classifier.units.segments import segment
    >>> report_phases(segment("一、主要做法\\n开展普法。\\n二、坚持依法行政\\n规范执法。\\n三、下一步打算\\n深化普法。"))
    ['measures', 'measures', 'measures', 'measures', 'plans', 'plans']
    """
    phase, out = "none", []
    for u in units:
        if u.is_heading and u.role and u.role != "other":
            phase = u.role
        out.append(phase)
    return out


def sentence_records(texts: Iterable[str]) -> list[dict[str, Any]]:
    """Records for bare sentences, with no context."""
    return [{"text": t} for t in texts]


def prepare_text(text: str) -> str:
    """What the character n-grams see: normalised, digits as 0, no line breaks."""
    return _DIGITS.sub("0", normalize(text)).replace("\n", "")


def text_of(records: Iterable[Record]) -> list[str]:
    return [r["text"] for r in records]


def context_features(record: Record, position_bins: int = POSITION_BINS, neighbours: float = 0.0,
                     cues: float = 1.0) -> dict[str, float]:
    """Indicator features of a unit's place in the report (before ``ContextFeatures`` weighs them).

    The section role, heading style, whether the unit is a heading, a coarse position,
    and the words of the top-level heading and of the nearest heading, prefixed so they
    do not mix with the unit's own words. A record without context gives only its cues.
    """
    place = record_place(record, position_bins)
    feats = place_features(text_cues(record["text"]) if cues else (), place, cues)
    if place is None:
        return feats
    path = tuple(record.get("path") or ())
    if path:
        feats.update(dict.fromkeys(prefixed_words("top", path[0]), 1.0))
        feats.update(dict.fromkeys(prefixed_words("head", path[-1]), 1.0))
    if neighbours:
        for side in ("previous", "next"):
            feats.update(dict.fromkeys(prefixed_words(side, record.get(side) or ""), neighbours))
    return feats


Place = tuple[str, bool, str, int | None, int]  # role, is a heading, heading style, position bin, depth


def has_place(record: Record) -> bool:
    """Whether a record says where it sits in a report (a bare sentence does not)."""
    return "role" in record or "path" in record


def record_place(record: Record, position_bins: int = POSITION_BINS) -> Place | None:
    """What the context features need of where a record sits; None for a bare sentence (no role, no path).

    >>> record_place({"text": "", "path": ("一、主要做法",), "role": "measures", "position": 0.5})
    ('measures', False, 'plain', 2, 1)
    """
    if not has_place(record):
        return None
    position = min(int(record["position"] * position_bins), position_bins - 1) if "position" in record else None
    return (record.get("role") or "none", bool(record.get("is_heading")), record.get("style") or "plain",
            position, min(len(record.get("path") or ()), 4))


def place_features(own_cues: Sequence[str], place: Place | None, cues: float = 1.0) -> dict[str, float]:
    """The features of a text's cues and its place: every context feature but the heading and neighbour words."""
    feats = {name: cues for name in own_cues} if cues else {}
    if place is None:
        return feats
    role, is_heading, style, position, depth = place
    feats[f"role={role}"] = 1.0
    for cue in [c for c in feats if c.startswith("cue=")]:
        feats[f"role={role}&{cue}"] = cues  # a commitment inside a measures section
    if is_heading:
        feats["is_heading"] = 1.0
        feats[f"style={style}"] = 1.0
    if position is not None:
        feats[f"position={position}"] = 1.0
    feats[f"depth={depth}"] = 1.0
    return feats


def clear_caches() -> None:
    """Forget the words of every text seen so far (the benchmark's 'no report seen twice')."""
    from . import tokens

    tokens._cut.cache_clear()
    heading_words.cache_clear()
    prefixed_words.cache_clear()


@lru_cache(maxsize=65536)
def prefixed_words(prefix: str, text: str) -> tuple[str, ...]:
    """``prefix:word`` for each of ``heading_words(text)`` (cached: neighbours and headings recur)."""
    return tuple(f"{prefix}:{word}" for word in heading_words(text))


# A commitment: words that point ahead, or a clause that opens with 将 ("will"). Two patterns, as the
# second has no first character to skip ahead to; it is only tried on text that has a 将.
_FUTURE = re.compile(r"下一步|下步|今后|明年|来年|接下来|下一年|20\d\d年(?:度)?[,]?(?:我们|我局|我镇|我区|我县|我市|本局)?(?:将|要)")
_WILL = re.compile(r"(?:^|[,;])(?:我们|我局|我镇|我区|我县|我市|我省|本局|街道|镇政府|县政府|市政府|省政府)?(?:还)?将(?!其|之|军)")
_DEFICIT = re.compile(r"不足|有待|不够|不强|不高|不到位|薄弱|短板|欠缺|差距|滞后|不平衡|不充分|仍然存在|仍存在|尚未|原因")
_DATE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*$")


def text_cues(text: str) -> list[str]:
    """Shape and wording cues of a unit's own text: future commitment, deficiency, a bare line, a date.

    >>> text_cues("下一步，将深化普法。"), text_cues("2023年1月10日")
    (['cue=future', 'end=。'], ['cue=date', 'end=none'])
    """
    return normalized_cues(normalize(text))


_END_CUES = {c: f"end={c}" for c in ("。", ";", ":", "!", "?", ",", "")}  # the last character's cue ("end=" for no text)


def normalized_cues(norm: str) -> list[str]:
    """``text_cues`` of text that is already normalised."""
    norm = norm.strip()
    cues = []
    if _FUTURE.search(norm) or ("将" in norm and _WILL.search(norm)):
        cues.append("cue=future")
    if _DEFICIT.search(norm):
        cues.append("cue=deficit")
    if "月" in norm and _DATE.match(norm):  # a date names its month
        cues.append("cue=date")
    cues.append(_END_CUES.get(norm[-1:], "end=none"))
    return cues


@lru_cache(maxsize=65536)
def heading_words(heading: str) -> frozenset[str]:
    """The words of a heading (or neighbouring unit) without its numbering, for context features.

    Cached: every unit under a heading asks for the same heading's words."""
    body = _NUMBERING.sub("", normalize(heading))
    return frozenset(w for w in tokenize(body) if len(w) > 1 or w.isalnum())
