"""The data card's genre statistics: the measures of genre-stats.md on a corpus, beside the published figures."""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from classifier.corpus.corpus import LabelledUnit, Report
from classifier.corpus.datacard import (OPENING_CHARS, PUBLISHED, PUBLISHED_LABELS, genre_markdown,
                                        genre_stats)

ROOT = Path(__file__).resolve().parents[2]
# (text, label, is_heading) of a small report, in reading order
UNITS = [("白沙镇2022年法治政府建设情况报告", "other", False),
         ("一、主要举措", "other", True),
         ("一是坚持学法用法，开展普法宣传12场。", "publicity", False),
         ("进一步规范执法行为，全面推行执法公示。", "enforcement", False),
         ("深化放管服改革，企业开办 当日办结。", "business_environment", False),
         ("二、存在的不足", "shortcoming", True),
         ("部分干部学法不够深入。", "shortcoming", False),
         ("三、下一步计划", "plan", True),
         ("持续推进普法。", "plan", False)]


def report(units=UNITS, rid="r1") -> Report:
    text = "\n".join(t for t, _, _ in units) + "\n"
    out, pos = [], 0
    for t, label, is_heading in units:
        out.append(LabelledUnit(t, pos, pos + len(t), "", is_heading, label, rid))
        pos += len(t) + 1
    return Report(rid, text, tuple(out), {})


def test_genre_measures_of_a_small_report():
    g = genre_stats([report()])
    body = [t for t, _, h in UNITS if not h]
    lengths = [len(t.replace(" ", "")) for t in body]  # the space inside a unit is not a character
    assert g.units == 9 and g.heading_share == pytest.approx(3 / 9)
    assert (g.length_median, g.length_mean) == (statistics.median(lengths), pytest.approx(statistics.mean(lengths)))
    assert g.length_median < g.length_p90 <= max(lengths)
    assert g.digit_share == pytest.approx(2 / 6)  # the title's year and 12场; not 一 or 二
    assert g.adverb_share == pytest.approx(1 / 4)  # 进一步 among the title and three measures; 深入 is a shortcoming
    assert g.slogan_share == pytest.approx(3 / 6)  # 坚持 after 一是, 深化, 持续; not 进一步
    assert g.shi_share == pytest.approx(1 / 6)
    assert g.label_shares == pytest.approx({"other": 2 / 9, "publicity": 1 / 9, "enforcement": 1 / 9,
                                            "business_environment": 1 / 9, "shortcoming": 2 / 9, "plan": 2 / 9})


def test_the_opening_is_the_units_that_start_within_its_first_characters():
    r = report()
    cut = next(u.start for u in r.units if u.text == "二、存在的不足")
    opening = genre_stats([r], opening_chars=cut)
    assert opening.units == 5 and set(opening.label_shares) == {"other", "publicity", "enforcement",
                                                                "business_environment"}
    assert genre_stats([r], opening_chars=cut + 1).units == 6


def test_reports_pool_their_units():
    shorter = [(t, label, h) for t, label, h in UNITS if label != "plan"]
    pooled = genre_stats([report(), report(shorter, "r2")])
    assert pooled.units == 9 + 7 and pooled.label_shares["plan"] == pytest.approx(2 / 16)


def test_an_empty_corpus_gives_zeros_not_an_error():
    g = genre_stats([])
    assert (g.units, g.heading_share, g.digit_share, g.label_shares) == (0, 0.0, 0.0, {})


def test_the_markdown_puts_our_figures_beside_the_published_ones():
    text = genre_markdown([report()])
    assert text.startswith("1 reports: 9 units, 9 of them in the openings")
    row = next(line for line in text.splitlines() if line.startswith("| share of units that are headings"))
    assert row == f"| share of units that are headings | {PUBLISHED['headings']} | 33% | 33% |"
    plan = next(line for line in text.splitlines() if line.startswith("| plan |"))
    assert plan == "| plan | under 1% | 22% | 22% |"


def test_the_published_figures_are_those_of_the_projects_copy_of_genre_stats():
    source = (ROOT / "data" / "genre-stats.md").read_text(encoding="utf-8")
    rows = {key: next(line for line in source.splitlines() if line.startswith("|") and words in line)
            for key, words in (("headings", "share of units that are headings"), ("length", "body unit length"),
                               ("digit", "containing a digit"), ("adverb", "进一步, 持续, 深入 or 不断"),
                               ("slogan", "slogan verb"), ("shi", "一是/二是"))}
    for key, line in rows.items():
        assert line.split("|")[2].strip() == PUBLISHED[key], key
    mix = next(line for line in source.splitlines() if line.startswith("| label mix")).split("|")[2]
    for label, share in PUBLISHED_LABELS.items():
        assert re.search(rf"\b{label} {share}", mix), label
    assert f"first ~{OPENING_CHARS:,} characters" in source


def test_cli_prints_the_genre_section(run_cli, corpus_dir):
    code, out, _ = run_cli("data", "stats", str(corpus_dir), "--genre")
    assert code == 0 and out.startswith("8 reports: ")
    assert f"| share of units that are headings | {PUBLISHED['headings']} |" in out
    code, out, _ = run_cli("data", "stats", str(corpus_dir))
    assert code == 0 and "published" not in out and "| label | units | share |" in out
