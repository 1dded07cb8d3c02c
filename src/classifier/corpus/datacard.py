"""The data card's numbers: near-duplicate units across reports, and counts of a corpus.

    >>> print(stats_markdown(corpus_stats([])).splitlines()[0])
    0 reports, 0 units (0 headings).
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

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
