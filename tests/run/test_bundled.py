"""The bundled model is what `classifier train` makes from data/, and it reads the sample report."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from classifier import load_model
from classifier.units.segments import segment

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "reports" / "2022-yongle-town.txt"


@pytest.fixture(scope="module")
def bundled():
    return load_model(ROOT / "models" / "default")


def test_training_on_data_reproduces_the_bundled_model(bundled, run_cli, tmp_path):
    """Same data, same configuration, same C: the same probabilities for every unit."""
    assert bundled.card["training_data"]["sha256"], "the card records which data made the model"
    out = tmp_path / "retrained"
    code, _, err = run_cli("train", "--data", str(ROOT / "data"), "--output", str(out),
                           "--C", str(bundled.card["training"]["C"]), "-q")
    assert code == 0, err
    retrained = load_model(out)
    assert retrained.card["training_data"]["sha256"] == bundled.card["training_data"]["sha256"]
    units = segment(SAMPLE.read_text(encoding="utf-8"))
    ours = np.array([[p.scores[l] for l in bundled.labels] for p in bundled.classify_units(units)])
    theirs = np.array([[p.scores[l] for l in bundled.labels] for p in retrained.classify_units(units)])
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_the_sample_report_is_read_without_debris_and_mostly_right(bundled):
    predictions = bundled.classify_report(SAMPLE)
    texts = [p.text for p in predictions]
    assert not any("扫一扫" in t or t.startswith("日期") for t in texts)
    roles = {p.label for p in predictions if p.heading.startswith("三、")}
    assert roles == {"shortcoming"}
    assert {p.label for p in predictions if p.heading.startswith("四、") or p.text.startswith("四、")} == {"plan"}


def test_card_metrics_meet_the_published_bar(bundled):
    metrics = bundled.card["metrics"]
    assert metrics["cv.macro_f1"] >= 0.90
    assert min(metrics[f"cv.f1.{label}"] for label in bundled.labels) >= 0.80
