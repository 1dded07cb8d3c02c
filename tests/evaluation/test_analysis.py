"""The figures behind the notebooks: classifier.evaluation.analysis (and classifier.evaluation.diagnosis)."""
from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import numpy as np
import pytest

from classifier.evaluation import analysis
from classifier import load_model
from classifier.config import DEFAULTS
from classifier.corpus.corpus import load_corpus
from classifier.errors import UsageError
from classifier.evaluation.evaluate import cross_validate
from classifier.model.pipeline import config_for

FLIPPED = ("r03", "利用微信公众号推送以案释法文章二十篇。", "publicity", "shortcoming")


@pytest.fixture(scope="module")
def flipped(corpus_dir, tmp_path_factory):
    """The small corpus with one publicity sentence mislabelled as a shortcoming, and its CV."""
    root = tmp_path_factory.mktemp("flipped") / "corpus"
    shutil.copytree(corpus_dir, root)
    rid, text, right, wrong = FLIPPED
    path = root / "labelled" / f"{rid}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["label"] for r in rows if r["text"] == text] == [right]
    for r in rows:
        r["label"] = wrong if r["text"] == text else r["label"]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    reports = load_corpus(root)
    return reports, cross_validate(reports, config_for(DEFAULTS, folds=4), C=1.0)


def test_unit_table_puts_each_prediction_beside_its_unit_in_context(flipped):
    reports, cv = flipped
    rows = analysis.unit_table(cv, reports)
    assert len(rows) == cv["units"] == sum(len(r.units) for r in reports)
    row = next(r for r in rows if r["report"] == FLIPPED[0] and r["text"] == FLIPPED[1])
    units = next(r for r in reports if r.id == FLIPPED[0]).units
    k = row["index"]
    assert units[k].text == FLIPPED[1] and row["label"] == FLIPPED[3]
    assert (row["previous"], row["next"], row["heading"]) == (units[k - 1].text, units[k + 1].text, units[k].heading)
    assert row["heading"].startswith("一、")
    first = rows[0]
    assert first["previous"] == "" and first["index"] == 0 and isinstance(first["predicted"], str)
    proba = np.asarray(cv["_out_of_fold"]["proba"])
    assert rows[5]["confidence"] == pytest.approx(proba[5].max(), abs=1e-4)


def test_unit_table_refuses_reports_the_cv_was_not_run_on(flipped):
    reports, cv = flipped
    with pytest.raises(UsageError):
        analysis.unit_table(cv, list(reversed(reports)))
    with pytest.raises(UsageError):
        analysis.misclassified(cv, reports[:-1])


def test_misclassified_units_are_the_off_diagonal_of_the_confusion_matrix(flipped):
    reports, cv = flipped
    wrong = analysis.misclassified(cv, reports)
    matrix = np.asarray(cv["model.confusion_matrix"])
    assert len(wrong) == matrix.sum() - np.trace(matrix) == sum(p["units"] for p in analysis.confused_pairs(cv))
    assert all(r["label"] != r["predicted"] for r in wrong)
    assert [(r["report"], r["index"]) for r in wrong] == sorted((r["report"], r["index"]) for r in wrong)


def test_the_flipped_label_is_found_as_a_likely_label_error(flipped):
    reports, cv = flipped
    suspects = analysis.likely_label_errors(cv, reports, threshold=0.5)
    found = [r for r in suspects if r["text"] == FLIPPED[1] and r["report"] == FLIPPED[0]]
    assert found and found[0]["predicted"] == FLIPPED[2] and found[0]["label_proba"] < 0.5
    assert [r["confidence"] for r in suspects] == sorted((r["confidence"] for r in suspects), reverse=True)
    assert all(r["confidence"] >= 0.5 for r in suspects)
    assert analysis.likely_label_errors(cv, reports, threshold=1.0) == [
        r for r in suspects if r["confidence"] >= 1.0]
    with pytest.raises(UsageError):
        analysis.likely_label_errors(cv, reports, threshold=0)


def test_least_confident_units_come_first(flipped):
    reports, cv = flipped
    unsure = analysis.least_confident(cv, reports, top=5)
    everyone = sorted(r["confidence"] for r in analysis.unit_table(cv, reports))
    assert [r["confidence"] for r in unsure] == everyone[:5]
    assert all(r["runner_up"] not in ("", r["predicted"]) for r in unsure)


def test_confused_pairs_are_sorted_and_skip_empty_cells():
    cv = {"labels": ["a", "b", "c"], "model.confusion_matrix": [[7, 1, 2], [0, 5, 0], [3, 0, 1]]}
    pairs = analysis.confused_pairs(cv)
    assert [(p["label"], p["predicted"], p["units"]) for p in pairs] == [("c", "a", 3), ("a", "c", 2), ("a", "b", 1)]
    assert pairs[0]["share"] == 0.75 and analysis.confused_pairs(cv, top=1) == pairs[:1]


def test_heaviest_terms_are_the_label_s_largest_positive_weights(trained_model_dir):
    model = load_model(trained_model_dir)
    terms = analysis.heaviest_terms(model, "publicity", top=10)
    weights = [t["weight"] for t in terms]
    assert len(terms) == 10 and weights == sorted(weights, reverse=True) and min(weights) > 0
    assert "word:普法" in [t["feature"] for t in terms]
    assert "context:cue=future" in [t["feature"] for t in analysis.heaviest_terms(model, "plan", top=10)]
    words = analysis.heaviest_terms(model.pipeline, "plan", top=5, block="word")
    assert len(words) == 5 and {t["block"] for t in words} == {"word"}
    with pytest.raises(UsageError):
        analysis.heaviest_terms(model, "plna")


def test_metrics_table_puts_the_baselines_beside_the_model(flipped):
    _, cv = flipped
    table = analysis.metrics_table(cv)
    assert [r["label"] for r in table] == cv["labels"] + ["macro"]
    assert table[-1] == {"label": "macro", "model": cv["model.macro_f1"], "plain": cv["plain.macro_f1"],
                         "rules": cv["rules.macro_f1"], "units": cv["units"]}
    scores = analysis.label_scores(cv, "plain")
    assert scores[0]["recall"] == cv[f"plain.recall.{cv['labels'][0]}"]


def test_reliability_bins_cover_every_unit_including_the_edges():
    proba = [[1.0, 0.0], [0.5, 0.5], [0.55, 0.45], [0.95, 0.05]]
    rows = analysis.reliability(["a", "b", "a", "b"], proba, ["a", "b"], bins=5)
    assert sum(r["units"] for r in rows) == 4
    assert rows[-1] == {"low": 0.8, "high": 1.0, "units": 2, "confidence": 0.975, "accuracy": 0.5}
    assert rows[0]["low"] == 0.4 and rows[0]["units"] == 2  # 0.5 and 0.55 share the bin [0.4, 0.6)
    assert analysis.calibration_error(rows) == pytest.approx((2 * 0.475 + 2 * 0.025) / 4, abs=1e-4)
    with pytest.raises(UsageError):
        analysis.reliability(["a"], [[1.0, 0.0]], ["a", "b"], bins=0)


def test_a_calibrated_model_has_no_calibration_error():
    rows = analysis.reliability(["a", "a", "a", "b"], [[0.75, 0.25]] * 4, ["a", "b"], bins=4)
    assert rows == [{"low": 0.75, "high": 1.0, "units": 4, "confidence": 0.75, "accuracy": 0.75}]  # [low, high)
    assert analysis.calibration_error(rows) == 0.0


def test_learning_curve_grows_its_training_set_and_reuses_the_cv(corpus_dir):
    reports = load_corpus(corpus_dir)
    config = config_for(DEFAULTS, folds=2)
    cv = cross_validate(reports, config, C=1.0)
    curve = analysis.learning_curve(reports, sizes=(3, 99), folds=2, C=1.0, cv=cv)
    assert [r["size"] for r in curve] == [3, 99, "all"]
    assert curve[0]["reports"] == 3 and curve[1]["reports"] == curve[2]["reports"] == 4
    assert curve[0]["units"] < curve[1]["units"] and all(r["folds"] == 2 for r in curve)
    assert curve[1]["macro_f1"] == curve[2]["macro_f1"]  # all training reports: the CV's own fits
    assert curve[0]["low"] <= curve[0]["macro_f1"] <= curve[0]["high"]
    with pytest.raises(UsageError):
        analysis.learning_curve(reports, sizes=(3,), folds=4, C=1.0, cv=cv)


def test_more_reports_help_reads_the_end_of_the_curve():
    rising = analysis.more_reports_help([{"reports": 8, "macro_f1": 0.5}, {"reports": 16, "macro_f1": 0.6},
                                         {"reports": 40, "macro_f1": 0.9}])
    assert rising["helps"] and rising["gain_per_10_reports"] == pytest.approx(0.125)
    flat = analysis.more_reports_help([{"reports": 8, "macro_f1": 0.5}, {"reports": 40, "macro_f1": 0.51}])
    assert not flat["helps"] and "flattened" in flat["message"]
    with pytest.raises(UsageError):
        analysis.more_reports_help([{"reports": 8, "macro_f1": 0.5}])


def _reports(years, levels=None):
    levels = levels or ["township"] * len(years)
    return [SimpleNamespace(id=f"r{k}", meta={"year": y, "level": lv}) for k, (y, lv) in enumerate(zip(years, levels))]


def test_group_reports_merges_levels_and_bins_years_without_splitting_one():
    reports = _reports(["2016", "2016", "2017", "2018", "2018", "2018", "2019"],
                       ["township", "street", "city", "province", "department", "county", "district"])
    tiers = analysis.group_reports(reports, "level", merge=analysis.LEVEL_TIERS)
    assert {k: len(v) for k, v in tiers.items()} == {"city+province": 2, "county+district": 2, "department": 1,
                                                     "township+street": 2}
    periods = analysis.group_reports(reports, "year", bins=2)
    assert {k: len(v) for k, v in periods.items()} == {"2016–2017": 3, "2018–2019": 4}
    assert len(analysis.group_reports(reports, "year", bins=10)) == 4
    with pytest.raises(UsageError):
        analysis.group_reports([SimpleNamespace(id="x", meta={})], "level")
    with pytest.raises(UsageError, match="numeric"):
        analysis.group_reports(reports, "level", bins=2)


def test_transfer_holds_out_each_group_once(corpus_dir):
    reports = load_corpus(corpus_dir)
    rows = analysis.transfer(reports, "year", C=1.0, bins=2)
    assert [r["held_out"] for r in rows] == ["2016–2019", "2020–2023"]
    assert sum(r["reports"] for r in rows) == len(reports)
    assert sum(r["units"] for r in rows) == sum(len(r.units) for r in reports)
    assert all(0 <= r["model.macro_f1"] <= 1 and r["labels_absent"] == [] for r in rows)
    with pytest.raises(UsageError, match="one level"):
        analysis.transfer(reports, "level", C=1.0)  # every test report is a township
