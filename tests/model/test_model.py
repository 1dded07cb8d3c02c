"""Features and the model: context reaches the classifier, labels come from the data."""
from __future__ import annotations

import numpy as np
import pytest

from classifier.config import DEFAULTS
from classifier.corpus.corpus import load_corpus
from classifier.errors import DataError
from classifier.model.features import ContextFeatures, sentence_records, unit_records
from classifier.model.pipeline import (TrainingSet, _beyond, build_pipeline, check_trainable, config_for, fit, group_folds,
                              training_set)
from classifier.units.segments import segment


def test_context_features_carry_the_top_heading_and_role():
    units = segment("一、下一步工作计划\n（一）深化宣传\n持续开展普法。\n")
    feats = ContextFeatures().fit(unit_records(units))
    names = set(feats.vocabulary_)
    assert {"role=plans", "top:计划", "head:宣传", "is_heading"} <= names


def test_bare_sentences_get_only_cues_of_their_own_text():
    feats = ContextFeatures().fit(unit_records(segment("一、主要做法\n开展普法。\n")))
    row = feats.transform(sentence_records(["开展普法。"]))
    names = feats.get_feature_names_out()[row.indices]
    assert list(names) == ["end=。"]


def test_text_cues():
    from classifier.model.features import text_cues

    assert "cue=future" in text_cues("下一步，我局将深化普法。")
    assert "cue=deficit" in text_cues("执法力量薄弱，人员不足。")
    assert "cue=date" in text_cues("2023年1月10日")
    assert text_cues("将军") == ["end=none"]
    # a clause that opens with 将, with or without its subject, at the start or after a comma
    for text in ("将继续深化普法。", "今年,我们还将完善制度。", "此外;镇政府将开展培训。", "2024年我局要抓好落实。"):
        assert "cue=future" in text_cues(text), text
    for text in ("我局将其纳入考核。", "会议将之列为重点。", "他们将会议推迟。", "将军路改造完成。"):
        assert "cue=future" not in text_cues(text), text


def test_estimator_contract_parameters_untouched():
    step = ContextFeatures(weight=2.0)
    assert step.get_params() == {"weight": 2.0, "position_bins": 5, "neighbours": 0.0, "cues": 1.0}
    assert not hasattr(step, "vectorizer_")


def test_same_words_different_sections_get_different_labels():
    measure = "一、2022年主要工作\n（一）普法\n持续深化普法宣传。\n二、存在的不足\n宣传力量薄弱。\n三、2023年工作计划\n（一）普法\n持续深化普法宣传。\n"
    reports = []
    for k in range(6):
        units = segment(measure.replace("2022", str(2016 + k)))
        labels = ["other", "publicity", "publicity", "shortcoming", "shortcoming", "plan", "plan", "plan"]
        reports.append(TrainingSet([r | {"k": k} for r in unit_records(units)], labels, [f"r{k}"] * len(units)))
    data = TrainingSet(sum((r.records for r in reports), []), sum((r.labels for r in reports), []),
                       sum((r.groups for r in reports), []))
    model, _ = fit(data, C=1.0)
    test_units = unit_records(segment(measure))
    predicted = model.predict(test_units)
    assert predicted[2] == "publicity" and predicted[7] == "plan"


def test_labels_come_from_the_data(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    renamed = TrainingSet(data.records, [f"L-{label}" for label in data.labels], data.groups)
    model, _ = fit(renamed, C=1.0)
    assert set(model.classes_) == {f"L-{label}" for label in set(data.labels)}


def test_folds_never_split_a_report(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    groups = np.asarray(data.groups)
    for train, test in group_folds(data, 4, 0):
        assert not set(groups[train]) & set(groups[test])


def test_rare_labels_and_empty_data_are_refused():
    with pytest.raises(DataError, match="fewer than 5 examples: 'plan' \\(2\\)"):
        check_trainable(TrainingSet([{"text": "x"}] * 12, ["other"] * 10 + ["plan"] * 2, ["a"] * 12))
    with pytest.raises(DataError, match="no labelled units"):
        check_trainable(TrainingSet([], [], []))
    with pytest.raises(DataError, match="only one label"):
        check_trainable(TrainingSet([{"text": "x"}] * 6, ["other"] * 6, ["a"] * 6))


def test_pipeline_is_deterministic(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    a = build_pipeline(DEFAULTS, 1.0).fit(data.records, data.labels)
    b = build_pipeline(DEFAULTS, 1.0).fit(data.records, data.labels)
    np.testing.assert_array_equal(a.predict_proba(data.records), b.predict_proba(data.records))


def test_search_reports_out_of_fold_predictions(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    _, search = fit(data)
    assert search is not None and str(search.C) in search.scores
    assert len(search.predictions) == len(data.labels)
    assert np.allclose(search.proba.sum(axis=1), 1.0)


def test_the_search_for_c_goes_past_the_end_of_the_grid_the_best_sits_on(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    _, search = fit(data, config_for(DEFAULTS, c_grid=(0.003, 0.01), c_extend=2))
    tried = [float(c) for c in search.scores]
    assert tried[:2] == [0.003, 0.01] and tried == sorted(tried)
    assert len(tried) > 2, "when the largest C scores best, larger values are tried"
    assert len(tried) <= 4
    assert search.scores[str(search.C)] == max(search.scores.values())


def test_a_tie_at_the_end_of_the_grid_does_not_widen_it(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    _, search = fit(data, config_for(DEFAULTS, c_grid=(1e-06, 3e-06), c_extend=2))
    assert list(search.scores) == ["1e-06", "3e-06"]


def test_the_ladder_of_values_of_c():
    assert _beyond([0.03, 0.1, 0.3], 0.3) == 1.0
    assert _beyond([0.03, 0.1, 0.3], 0.03) == 0.01
    assert _beyond([0.03, 0.1, 0.3], 0.1) is None
    assert _beyond([0.5, 2.0], 2.0) == 8.0


def test_fits_in_several_processes_give_the_same_model(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    one, search_one = fit(data, config_for(DEFAULTS, jobs=1))
    two, search_two = fit(data, config_for(DEFAULTS, jobs=2))
    assert search_one.scores == search_two.scores and search_one.C == search_two.C
    np.testing.assert_array_equal(one.predict_proba(data.records), two.predict_proba(data.records))
    np.testing.assert_array_equal(search_one.proba, search_two.proba)


def test_a_grid_of_one_value_of_c_is_that_value(corpus_dir):
    data = training_set(load_corpus(corpus_dir))
    _, search = fit(data, config_for(DEFAULTS, c_grid=(0.1,)))
    assert search.C == 0.1 and list(search.scores) == ["0.1"]
