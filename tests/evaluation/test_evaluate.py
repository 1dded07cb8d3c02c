"""Evaluation: grouped folds, baselines in the same harness, segmentation match."""
from __future__ import annotations

import numpy as np

from classifier.corpus.corpus import load_corpus
from classifier.evaluation.evaluate import KeywordRules, cross_validate, scores, segmentation_match


def test_scores_are_computed_per_label():
    out = scores(["a", "a", "b"], ["a", "b", "b"], ["a", "b"], "x", np.array([[1, 0], [0.5, 0.5], [0, 1]]))
    assert out["x.recall.a"] == 0.5 and out["x.precision.b"] == 0.5 and out["x.accuracy"] == 2 / 3
    assert abs(out["x.brier"] - (0 + 0.5 + 0) / 3) < 1e-9


def test_cross_validation_runs_all_systems_on_the_same_units(corpus_dir):
    reports = load_corpus(corpus_dir)
    result = cross_validate(reports, C=1.0)
    n = sum(len(r.units) for r in reports)
    assert result["units"] == n and len(result["_out_of_fold"]["pred"]) == n
    assert sum(map(sum, result["model.confusion_matrix"])) == n
    for system in ("model", "sentence_only", "plain", "rules"):
        assert f"{system}.macro_f1" in result


def test_keyword_rules_use_the_section_role():
    rules = KeywordRules().fit([], ["plan", "shortcoming", "publicity", "other"])
    assert rules.predict([{"text": "开展普法宣传。", "role": "plans"}, {"text": "开展普法宣传。"}]) == ["plan", "publicity"]


def test_segmentation_match_counts_exact_spans(corpus_dir):
    reports = load_corpus(corpus_dir)
    result = segmentation_match(reports)
    assert result["segmentation.recall"] == 1.0 and result["_misses"] == []
