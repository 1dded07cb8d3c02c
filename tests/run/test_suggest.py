"""classifier suggest: which units to label, written for a spreadsheet, Label Studio or doccano."""
from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

from classifier.config import DEFAULTS
from classifier.run.predict import load_model
from classifier.run.suggest import Task, choose, suggest
from conftest import report_units


def write_reports(root: Path, ks=(20, 21, 22)) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in ks:
        path = root / f"report-{k}.txt"
        path.write_text("\n".join(t for t, _, _ in report_units(k)) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_tasks_point_at_their_units_and_leave_the_label_empty(trained_model_dir, tmp_path):
    paths = write_reports(tmp_path / "mine")
    result = suggest([tmp_path / "mine"], model=trained_model_dir, n=12)
    assert len(result.tasks) == 12 and result.candidates > 12 and result.errors == ()
    texts = {str(p): p.read_text(encoding="utf-8") for p in paths}
    labels = load_model(trained_model_dir).labels
    for task in result.tasks:
        assert texts[task.file][task.start:task.end] == task.text and task.label == ""
        assert task.suggested in labels and 0 < task.confidence <= 1
    assert len({t.text for t in result.tasks}) == 12  # no two alike


def test_uncertainty_takes_low_margins_first_within_caps():
    tasks = [Task(f"r{k % 4}", k, k + 1, f"第{k}条互不相同的句子内容{k * 7}", "", "", "", "plan" if k % 2 else "other",
                  0.5, k / 100) for k in range(40)]
    chosen = choose(tasks, 8)
    assert sorted(t.margin for t in chosen) == [k / 100 for k in range(8)]
    capped = choose(tasks, 8, config=replace(DEFAULTS, suggest_per_report=1))
    assert len(capped) == 8  # caps give way when the reports are too few
    near = [Task("a", k, k + 1, "开展民法典宣传活动二十场次" + "。" * k, "", "", "", "plan", 0.5, k / 100) for k in range(5)]
    assert len(choose(near + tasks, 3)) == 3 and sum(t.file == "a" for t in choose(near + tasks, 3)) == 1


def test_random_strategy_depends_on_the_seed():
    tasks = [Task("r", k, k + 1, f"第{k}条句子各不相同{k * 13}", "", "", "", "plan", 0.5, k / 100) for k in range(50)]
    assert [t.start for t in choose(tasks, 5, "random", 1)] != [t.start for t in choose(tasks, 5, "random", 2)]


def test_csv_has_a_bom_and_the_columns(trained_model_dir, tmp_path, run_cli):
    write_reports(tmp_path / "mine")
    out = tmp_path / "to-label.csv"
    code, _, err = run_cli("suggest", str(tmp_path / "mine"), "--model", str(trained_model_dir), "-n", "5", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0]) == ["file", "start", "end", "text", "heading", "previous", "next", "suggested", "confidence", "label"]
    assert len(rows) == 5 and all(r["label"] == "" for r in rows)


def test_labelstudio_tasks_carry_predictions_and_the_config_beside(trained_model_dir, tmp_path, run_cli):
    write_reports(tmp_path / "mine")
    out = tmp_path / "tasks.json"
    code, _, err = run_cli("suggest", str(tmp_path / "mine"), "--model", str(trained_model_dir), "-n", "4", "-o", str(out))
    assert code == 0, err
    tasks = json.loads(out.read_text(encoding="utf-8"))
    prediction = tasks[0]["predictions"][0]
    assert prediction["result"][0]["type"] == "choices" and 0 < prediction["score"] <= 1
    assert {"text", "file", "start", "end", "heading", "previous", "next"} <= set(tasks[0]["data"])
    config = (tmp_path / "tasks.labelling-config.xml").read_text(encoding="utf-8")
    assert '<Choices name="label" toName="text"' in config


def test_doccano_leaves_the_label_empty(trained_model_dir, tmp_path, run_cli):
    write_reports(tmp_path / "mine")
    out = tmp_path / "tasks.jsonl"
    assert run_cli("suggest", str(tmp_path / "mine"), "--model", str(trained_model_dir), "-n", "3",
                   "--format", "doccano", "-o", str(out))[0] == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(r["label"] == [] and r["suggested"] for r in rows)


def test_an_unreadable_file_is_one_error_line_and_the_others_still_run(trained_model_dir, tmp_path, run_cli):
    paths = write_reports(tmp_path / "mine", ks=(20,))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8" * 3 + bytes(range(256)) * 4)
    out = tmp_path / "out.csv"
    code, _, err = run_cli("suggest", str(bad), str(paths[0]), "--model", str(trained_model_dir), "-n", "3", "-o", str(out))
    assert code == 1 and out.exists()
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(bad) in errors[0]


def test_an_existing_other_file_where_the_config_goes_is_refused_before_work(trained_model_dir, tmp_path, run_cli):
    write_reports(tmp_path / "mine", ks=(20,))
    (tmp_path / "tasks.labelling-config.xml").write_text("mine", encoding="utf-8")
    code, _, err = run_cli("suggest", str(tmp_path / "mine"), "--model", str(trained_model_dir), "-o", str(tmp_path / "tasks.json"))
    assert code == 2 and "tasks.labelling-config.xml" in err and not (tmp_path / "tasks.json").exists()
    assert (tmp_path / "tasks.labelling-config.xml").read_text(encoding="utf-8") == "mine"
