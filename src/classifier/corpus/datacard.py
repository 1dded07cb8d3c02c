"""The data card's numbers: near-duplicate units across reports, counts of a corpus, and its
genre statistics beside those of published reports.

    >>> print(stats_markdown(corpus_stats([])).splitlines()[0])
    0 reports, 0 units (0 headings).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from ..errors import UsageError
from ..units.segments import heading_style
from ..units.similarity import near_duplicate_pairs
from .corpus import LabelledUnit, Report, load_corpus  # noqa: F401  (load_corpus: doctest examples)


def near_duplicates(reports: Iterable[Report], threshold: float = 0.9, min_chars: int = 15,
                    ) -> list[tuple[LabelledUnit, LabelledUnit, float]]:
    """Pairs of units from different reports whose character-bigram Jaccard similarity is
    at least ``threshold`` (units of ``min_chars`` or more, identical texts left to the check).

    >>> [(a.report, b.report, round(s, 2)) for a, b, s in near_duplicates(load_corpus("data"))]  # doctest: +SKIP
    [('2018-xilou-street', '2021-qiwu-township', 0.93)]
    """
    if not 0 < threshold <= 1:
        raise UsageError("threshold", f"must be in (0, 1], not {threshold}")
    units = [u for r in reports for u in r.units if len(u.text.strip()) >= min_chars]
    pairs = near_duplicate_pairs([u.text for u in units], [u.report for u in units], threshold)
    return [(units[i], units[j], score) for i, j, score in pairs
            if units[i].text.strip() != units[j].text.strip()]


_STAT_TABLES = (("labels", "label", "units"), ("levels", "level", "reports"), ("years", "year", "reports"),
                ("regions", "region", "reports"), ("heading_styles", "heading style", "headings"))


def corpus_stats(reports: Iterable[Report]) -> dict[str, Any]:
    """Counts for the data card: units per label and heading style, reports per level, year, region.

    >>> corpus_stats(load_corpus("data"))["labels"]  # doctest: +SKIP
    {'other': 412, 'publicity': 120, ...}
    """
    reports = list(reports)
    units = [u for r in reports for u in r.units]

    def per_report(key: str) -> dict[str, int]:
        return dict(Counter(r.meta.get(key) or "unknown" for r in reports).most_common())

    return {
        "reports": len(reports),
        "units": len(units),
        "headings": sum(u.is_heading for u in units),
        "labels": dict(Counter(u.label for u in units).most_common()),
        "levels": per_report("level"),
        "years": dict(sorted(per_report("year").items())),
        "regions": per_report("region"),
        "heading_styles": dict(Counter(heading_style(u.text) or "plain" for u in units if u.is_heading).most_common()),
    }


def stats_markdown(stats: Mapping[str, Any]) -> str:
    """The data card's tables, in Markdown, from :func:`corpus_stats`.

    >>> print(stats_markdown(corpus_stats([])).splitlines()[0])
    0 reports, 0 units (0 headings).
    """
    lines = [f"{stats['reports']} reports, {stats['units']} units ({stats['headings']} headings).", ""]
    for key, name, counted in _STAT_TABLES:
        counts = stats[key]
        total = sum(counts.values()) or 1
        lines += [f"| {name} | {counted} | share |", "|---|---:|---:|"]
        lines += [f"| {value} | {n} | {n / total:.0%} |" for value, n in counts.items()]
        lines.append("")
    return "\n".join(lines)


# What published reports look like, as measured on 1,207 units from the openings of 93 published
# reports (data/genre-stats.md, measured outside this project on texts it does not hold).
PUBLISHED_SOURCE = "1,207 units from the openings of 93 published reports (`genre-stats.md`)"
PUBLISHED = {"headings": "28%", "length": "52 / 62 / 125", "digit": "44%", "adverb": "20%", "slogan": "22%",
             "shi": "17%"}
PUBLISHED_LABELS = {"other": "65%", "publicity": "19%", "business_environment": "9%", "enforcement": "7%",
                    "shortcoming": "1%", "plan": "under 1%"}
OPENING_CHARS = 1500  # a report's opening: the units that start within its first 1,500 characters
ADVERBS = ("进一步", "持续", "深入", "不断")
SLOGAN_VERBS = ("坚持", "深化", "推进", "加强", "健全", "完善", "持续", "严格", "落实", "深入", "着力", "切实")  # genre-stats.md's
_CN = "一二三四五六七八九十"
_SHI = re.compile(rf"\s*[{_CN}]+是")
_NUMBERING = re.compile(rf"\s*(?:[{_CN}]+是|其[{_CN}]|[(（]\s*[\d{_CN}]+\s*[)）]|\d+\s*[.、．])[，,、:：\s]*")
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class GenreStats:
    """How a set of units reads, by the measures of ``genre-stats.md`` (shares are 0–1)."""

    units: int
    heading_share: float
    length_median: float
    length_mean: float
    length_p90: float
    digit_share: float
    adverb_share: float
    slogan_share: float
    shi_share: float
    label_shares: Mapping[str, float]


def genre_stats(reports: Iterable[Report], opening_chars: int | None = None) -> GenreStats:
    """The genre measures of a corpus, over whole reports or (``opening_chars``) their openings.

    Body units are units that are not headings; a unit's length is its non-space characters;
    measure units are body units labelled neither plan nor shortcoming; a slogan verb or
    一是/二是 opens a unit after any numbering (一是, （1）, 1.) for the slogan verb.

    >>> genre_stats(load_corpus("data"), OPENING_CHARS).heading_share  # doctest: +SKIP
    0.291
    """
    units = [u for r in reports for u in r.units if opening_chars is None or u.start < opening_chars]
    body = [u for u in units if not u.is_heading]
    lengths = np.array([len("".join(u.text.split())) for u in body] or [0])
    measures = [u for u in body if u.label not in ("plan", "shortcoming")]
    return GenreStats(
        units=len(units), heading_share=_share(units, lambda u: u.is_heading),
        length_median=float(np.median(lengths)), length_mean=float(lengths.mean()),
        length_p90=float(np.percentile(lengths, 90)),
        digit_share=_share(body, lambda u: bool(_DIGIT.search(u.text))),
        adverb_share=_share(measures, lambda u: any(a in u.text for a in ADVERBS)),
        slogan_share=_share(body, lambda u: _NUMBERING.sub("", u.text, count=1).lstrip().startswith(SLOGAN_VERBS)),
        shi_share=_share(body, lambda u: bool(_SHI.match(u.text))),
        label_shares={label: n / len(units) for label, n in Counter(u.label for u in units).most_common()})


def _share(units: Sequence[LabelledUnit], test) -> float:
    return sum(1 for u in units if test(u)) / len(units) if units else 0.0


_GENRE_ROWS = (  # (row name, key of PUBLISHED, our figure)
    ("share of units that are headings", "headings", lambda g: _pct(g.heading_share)),
    ("body unit length, characters: median / mean / 90th percentile", "length",
     lambda g: f"{g.length_median:.0f} / {g.length_mean:.0f} / {g.length_p90:.0f}"),
    ("body units containing a digit", "digit", lambda g: _pct(g.digit_share)),
    (f"measure units (labelled neither plan nor shortcoming) containing {', '.join(ADVERBS[:-1])} or {ADVERBS[-1]}",
     "adverb", lambda g: _pct(g.adverb_share)),
    (f"body units opening with a slogan verb ({', '.join(SLOGAN_VERBS)})", "slogan", lambda g: _pct(g.slogan_share)),
    ("body units opening with 一是/二是…", "shi", lambda g: _pct(g.shi_share)),
)
_COLUMNS = "published openings | our openings | our whole reports |"


def genre_markdown(reports: Iterable[Report]) -> str:
    """The data card's genre section: this corpus's openings and whole reports beside published openings.

    >>> print(genre_markdown([]).splitlines()[0])  # doctest: +ELLIPSIS
    0 reports: 0 units, 0 of them in the openings ...
    """
    reports = list(reports)
    opening, whole = genre_stats(reports, OPENING_CHARS), genre_stats(reports)
    lines = [f"{len(reports)} reports: {whole.units} units, {opening.units} of them in the openings (the units "
             f"that start within the first {OPENING_CHARS:,} characters of each report). Published figures: "
             f"{PUBLISHED_SOURCE}, which measures openings only.", "",
             f"| measure (body units = units that are not headings) | {_COLUMNS}", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {PUBLISHED[key]} | {show(opening)} | {show(whole)} |" for name, key, show in _GENRE_ROWS]
    lines += ["", f"| label | {_COLUMNS}", "|---|---:|---:|---:|"]
    labels = list(PUBLISHED_LABELS) + sorted(set(whole.label_shares) - set(PUBLISHED_LABELS))
    lines += [f"| {label} | {PUBLISHED_LABELS.get(label, '—')} | {_pct(opening.label_shares.get(label, 0))} "
              f"| {_pct(whole.label_shares.get(label, 0))} |" for label in labels]
    return "\n".join(lines)


def _pct(share: float) -> str:
    return f"{share:.0%}"
