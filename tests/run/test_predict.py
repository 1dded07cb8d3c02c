"""The Python API: predict keeps the input's shape; classify_report gives every unit with its place."""
from __future__ import annotations

import pytest

from classifier import load_model
from classifier.units.segments import segment


@pytest.fixture(scope="module")
def model(trained_model_dir):
    return load_model(trained_model_dir)


def test_predict_returns_the_shape_it_was_given(model):
    assert isinstance(model.predict("开展普法宣传。"), str)
    assert len(model.predict(["开展普法宣传。", "优化营商环境。"])) == 2
    assert model.predict([]) == []
    proba = model.predict_proba("开展普法宣传。")
    assert set(proba) == set(model.labels) and abs(sum(proba.values()) - 1) < 1e-3
    assert len(model.predict_proba(["a", "b", "c"])) == 3


def test_classify_report_from_text_and_from_a_file(model, tmp_path):
    text = "某镇2022年度报告\n一、主要做法\n开展普法宣传。\n二、存在的不足\n执法力量薄弱。\n三、下一步工作计划\n持续深化普法。\n"
    units = model.classify_report(text)
    assert [u.text for u in units] == [u.text for u in segment(text)]
    assert all(text[u.start:u.end] == u.text for u in units)
    u = units[-1]
    assert u.heading == "三、下一步工作计划" and u.label in model.labels
    assert 0 < u.confidence <= 1 and u.confidence == max(u.scores.values())
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("gb18030"))
    assert [p.label for p in model.classify_report(path)] == [p.label for p in units]
    assert [p.label for p in model.classify_report(str(path))] == [p.label for p in units]


def test_reports_classified_together_get_what_each_gets_alone(model):
    # the same sentence under a measures heading and under a plans heading: context must not leak between reports
    texts = ["甲镇报告\n一、主要做法\n开展普法宣传。\n", "乙镇报告\n一、下一步工作计划\n开展普法宣传。\n持续深化普法。\n",
             "", "丙镇报告\n二、存在的不足\n执法力量薄弱。\n"]
    reports = [segment(text) for text in texts]
    together = model.classify_many(reports)
    assert [len(r) for r in together] == [len(r) for r in reports]
    assert together == [model.classify_units(units) for units in reports]
    assert model.classify_many([]) == []


def test_explain_names_features_that_push_towards_the_label(model):
    reasons = model.explain("下一步，将深入开展民法典宣传。", top=5)
    assert 0 < len(reasons) <= 5
    assert all(weight > 0 for _, weight in reasons)
    assert all(name.split(":", 1)[0] in ("word", "char", "context") for name, _ in reasons)
    unit = model.classify_report("一、下一步工作计划\n持续深化普法。\n")[1]
    assert model.explain(unit)


def test_bundled_model_is_found_without_a_path():
    model = load_model()
    assert set(model.labels) == {"publicity", "enforcement", "business_environment", "shortcoming", "plan", "other"}


def test_rounded_rounds_as_python_does_also_on_ties_and_near_ties():
    import numpy as np

    from classifier.run.predict import rounded

    rng = np.random.default_rng(0)
    halves = (np.arange(10_000) + 0.5) / 1e4  # decimal ties, most not exactly representable
    values = np.concatenate([rng.random(50_000), halves, np.nextafter(halves, 0), np.nextafter(halves, 1),
                             np.array([0.0, 1.0, 1e-9, 0.99995])])
    got = rounded(values.reshape(-1, 2), 4).ravel().tolist()
    assert got == [round(float(v), 4) for v in values]



class _FixedEngine:
    """Stands in for the scorer: the given probabilities, for as many records as asked."""

    classes_ = ["a", "b", "c"]

    def __init__(self, proba):
        self.proba = proba

    def predict_proba(self, records):
        return self.proba[:len(records)]


def test_the_label_is_the_highest_probability_or_with_by_rounded_the_first_highest_rounded():
    import numpy as np

    from classifier.run.predict import Model

    model = Model(None, {}, scorer=_FixedEngine(np.array([[0.2, 0.39996, 0.40004], [0.1, 0.3, 0.6]])))
    best, scores = model._scored([{"text": "x"}, {"text": "y"}])
    assert best.tolist() == [2, 2] and scores.tolist() == [[0.2, 0.4, 0.4], [0.1, 0.3, 0.6]]
    assert model._scored([{"text": "x"}], by_rounded=True)[0].tolist() == [1]  # 0.4 and 0.4: the first, as max() picks
    assert model._scored([])[0].tolist() == [] and model._scored([])[1].shape == (0, 3)
