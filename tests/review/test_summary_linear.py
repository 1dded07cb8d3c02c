"""Summaries in time proportional to a report's length: the fast comparisons give what comparing every pair
gives, and a batch that keeps only each report's row and candidate sentences gives the rows it gave before."""
from __future__ import annotations

import random

from classifier.review.boilerplate import _CUES, copied_pairs
from classifier.review.summary import analyse_report, report_row
from classifier.review.summary_batch import _boilerplate, _digest, analyse_batch
from classifier.units.similarity import _jaccard, bigrams, comparable, near_duplicate_pairs


def _every_pair(plans, shortcomings, threshold):
    """``copied_pairs`` by its definition: each plan against every shortcoming."""
    cores = [_CUES.sub("", comparable(t)) for t in shortcomings]
    out = []
    for i, plan in enumerate(plans):
        p = _CUES.sub("", comparable(plan))
        scored = [(_jaccard(p, s, bigrams(p), bigrams(s)), j) for j, s in enumerate(cores) if p and s]
        if scored and max(scored)[0] >= threshold:
            score, j = max(scored)
            out.append((i, j, round(score, 3)))
    return out


def _sentences(rng: random.Random, n: int) -> list[str]:
    words = ["执法", "普法", "队伍", "能力", "有待提高", "进一步", "加强", "制度", "建设", "基层", "水平", "宣传"]
    return ["".join(rng.choice(words) for _ in range(rng.randint(2, 6))) + "。" for _ in range(n)]


def test_copied_pairs_finds_what_comparing_every_pair_finds():
    rng = random.Random(0)
    for threshold in (0.8, 0.5, 0.3):
        plans, shortcomings = _sentences(rng, 120), _sentences(rng, 90) + ["", "。"]
        assert copied_pairs(plans, shortcomings, threshold) == _every_pair(plans, shortcomings, threshold)


def test_near_duplicates_within_one_group_are_not_pairs():
    assert near_duplicate_pairs(["深入开展民法典宣传活动"] * 3, ["a", "a", "b"]) == [(0, 2, 1.0), (1, 2, 1.0)]


def test_the_batch_gives_each_report_the_row_it_gives_an_analysed_report(corpus_dir, trained_model_dir):
    from classifier.run.predict import load_model

    model = load_model(trained_model_dir)
    files = sorted(str(p) for p in (corpus_dir / "reports").glob("*.txt"))
    batch = analyse_batch(model, files)
    analyses = [analyse_report(model, f) for f in files]
    counts, _ = _boilerplate([_digest(model, a) for a in analyses])
    assert any(counts) and batch.rows == [report_row(a, model, counts[k]) for k, a in enumerate(analyses)]
    assert any(row["thin"] for row in batch.rows)
