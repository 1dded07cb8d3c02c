"""The four parts the 2019 regulation asks of each annual report, found whatever the layout.

The regulation on rule-of-law government building asks each report for the year's
*measures* and results, the principal leaders' *duty* as first responsible person,
*shortcomings* and their causes, and next year's *plans*. A part is decided from the
report's headings and its labelled units by these rules:

1. **A heading names it.** A section heading whose words name the part (主要举措, 第一责任人,
   存在的问题, 下一步…) makes it present, wherever the heading sits (a merged 「存在的问题及下一步打算」
   names two parts; a duty sub-heading inside the measures names the duty). A numbered lead
   (一是…, 首先…) or a full clause (「（一）…，…。」) is an item of a section, not a section
   heading, so it names nothing.
2. **Or enough units carry it,** counted outside the opening (the title, addressee and
   preface above a report's first heading; a report without headings has no opening):
   measures 3, duty 2, shortcomings 2, plans 2. One stray sentence is not a part, with one
   exception: a sentence that reports the duty in the regulation's own words (第一责任人, 述法)
   is the duty part of a short report; one about the head studying law (书记带头学法) is not.
3. **Which units carry a part.** Sentences, and the items of a section written as numbered
   headings (a heading under another heading, which itself names no part, such as
   「（一）普法形式较为单一，针对性不强。」 under 「二、存在的问题」):

   - measures: a unit under a measures heading not labelled shortcoming or plan, or a
     topical unit (publicity, enforcement, business environment) under no named section;
   - duty: a unit under a heading that names the duty (at any level), or one with duty cue
     words (第一责任人, 主要负责人, 述法, 书记…带头 …);
   - shortcomings: a unit labelled shortcoming, or under a shortcomings heading and not a plan;
   - plans: a unit labelled plan, or under a plans heading and not a shortcoming.

    >>> from classifier.run.predict import Prediction as P
    >>> head = P("一、主要做法", 0, 6, 0, "", "other", .9, is_heading=True, role="measures")
    >>> body = [P(t, 0, 0, i, "一、主要做法", "publicity", .9, role="measures") for i, t in enumerate("甲乙", 1)]
    >>> required_parts([head, *body])["measures"]
    {'present': True, 'units': 2, 'heading': '一、主要做法'}
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from ..errors import UsageError
from ..read.normalize import normalize, split_like
from ..run.predict import Prediction
from ..units.segments import ROLE_PATTERNS, heading_style, section_role
from .remembered import of_last_report

PARTS = ("measures", "duty", "shortcomings", "plans")
TOPICAL = ("publicity", "enforcement", "business_environment")
MIN_UNITS = {"measures": 3, "duty": 2, "shortcomings": 2, "plans": 2}
STATES_DUTY = re.compile(r"第一责任人|述法")  # one such unit is the duty part
DUTY_CUES = re.compile(r"第一责任人|主要负责(?:人|同志)|党政主要负责|述法|一把手"
                       r"|(?:书记|局长|主任|县长|市长|区长|镇长|乡长|厅长)[^。;]{0,8}(?:亲自|带头|任组长)")
# Words that make a heading name a part. The duty's are narrower than the section role's, whose
# 履行…职责 also matches a measures heading such as 「严格履行行政执法职责」.
NAMES = {**dict(ROLE_PATTERNS), "duty": re.compile(r"第一责任人|主要负责(?:人|同志)|党政主要|主要领导|一把手|述法")}
_LEADS = ("shi",)
_PART_SET = frozenset(PARTS)
_FULL_CLAUSE = re.compile(r"[,;][^,;]*[。!?;]$")


def names(heading: str, part: str) -> bool:
    """Whether a heading's text names the part as a section: its words, and neither a numbered lead
    (一是…) nor a full clause (（一）…，…。).

    >>> [names(t, "shortcomings") for t in ("二、存在的不足。", "一是存在的问题较多。", "（一）存在的问题整改及时，成效明显。")]
    [True, False, False]
    """
    if part not in NAMES:
        raise _unknown(part)
    return part in named_parts(heading)


@lru_cache(maxsize=8192)  # headings repeat across a batch's reports
def named_parts(heading: str) -> frozenset[str]:
    """The parts (and section roles) a heading's text names; empty for a numbered lead or a full clause."""
    norm = normalize(heading).strip()
    if heading_style(norm) in _LEADS or _FULL_CLAUSE.search(norm):
        return frozenset()
    return frozenset(part for part, words in NAMES.items() if words.search(norm))


def naming_heading(predictions: Sequence[Prediction], part: str) -> str:
    """The first heading that names the part (preferring one whose main role it is), or ''."""
    found = [p.text for p in predictions if p.is_heading and names(p.text, part)]
    main = [h for h in found if section_role(h) == part]
    return (main or found or [""])[0]


def countable(predictions: Sequence[Prediction]) -> list[Prediction]:
    """The units that can carry a part: sentences outside the opening, and numbered items under a heading."""
    first = next((k for k, p in enumerate(predictions) if p.is_heading), 0)
    return [p for p in predictions[first:] if not p.is_heading or _is_item(p)]


def _is_item(p: Prediction) -> bool:
    """A heading under another heading, which itself names no part: an item of its section."""
    return bool(p.heading) and not named_parts(p.text) & _PART_SET


def carries(p: Prediction, part: str, normalized: str | None = None) -> bool:
    """Whether one unit carries the part, by its label, its section's role and (duty) its cue words
    (``normalized``: the unit's text normalised, when already known)."""
    if part == "measures":
        return ((p.role == "measures" and p.label not in ("shortcoming", "plan"))
                or (p.role in ("", "other") and p.label in TOPICAL))
    if part == "duty":
        under = p.path or ((p.heading,) if p.heading else ())
        return (p.role == "duty" or any("duty" in named_parts(h) for h in under)
                or bool(DUTY_CUES.search(normalize(p.text) if normalized is None else normalized)))
    if part == "shortcomings":
        return p.label == "shortcoming" or (p.role == "shortcomings" and p.label != "plan")
    if part == "plans":
        return p.label == "plan" or (p.role == "plans" and p.label != "shortcoming")
    raise _unknown(part)


def _unknown(part: str) -> UsageError:
    return UsageError("part", f"unknown part {part!r}; expected one of {', '.join(PARTS)}")


def part_units(predictions: Sequence[Prediction], part: str) -> list[Prediction]:
    """The units that make up a required part (sentences and numbered items, outside the opening)."""
    if part not in MIN_UNITS:
        raise _unknown(part)
    return list(part_map(predictions)[part])


@of_last_report  # a row asks for the shortcomings three times, and a batch again
def part_map(predictions: Sequence[Prediction]) -> dict[str, tuple[Prediction, ...]]:
    """Every required part's units, found with one pass over the countable units."""
    units = countable(predictions)
    texts = [p.text for p in units]
    normalized = split_like(normalize("".join(texts)), texts)  # one pass over the report, not one per unit
    return {part: tuple(p for p, norm in zip(units, normalized) if carries(p, part, norm)) for part in PARTS}


def required_parts(predictions: Sequence[Prediction]) -> dict[str, dict]:
    """For each required part: present?, its number of units, and the heading that names it.

    >>> from classifier.run.predict import Prediction as P
    >>> parts = required_parts([P("一、主要做法", 0, 6, 0, "", "other", .9, is_heading=True, role="measures"),
    ...                         P("开展普法。", 6, 11, 1, "一、主要做法", "publicity", .9, role="measures")])
    >>> parts["measures"], parts["shortcomings"]["present"]
    ({'present': True, 'units': 1, 'heading': '一、主要做法'}, False)
    """
    out, found = {}, part_map(predictions)
    for part in PARTS:
        units = found[part]
        heading = naming_heading(predictions, part)
        enough = len(units) >= MIN_UNITS[part] or (
            part == "duty" and any(STATES_DUTY.search(normalize(p.text)) for p in units))
        out[part] = {"present": bool(heading) or enough, "units": len(units), "heading": heading}
    return out
