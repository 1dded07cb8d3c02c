"""The command line, run in-process: formats, batches with bad files, errors without tracebacks."""
from __future__ import annotations

import csv
import io
import json
import sys

import pytest

REPORT = "某镇2022年度法治政府建设报告\n一、主要做法\n开展普法宣传活动十场。\n二、存在的不足\n执法力量薄弱。\n三、下一步工作计划\n持续深化普法宣传。\n"


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_predict_jsonl_has_every_unit_with_its_place(run_cli, trained_model_dir, report_file):
    code, out, err = run_cli("predict", str(report_file), "--model", str(trained_model_dir), "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == [line for line in REPORT.splitlines()]
    assert {"file", "index", "start", "end", "heading", "label", "confidence", "scores"} <= set(rows[0])
    assert all(REPORT[r["start"]:r["end"]] == r["text"] for r in rows)


def test_predict_csv_has_a_bom_and_opens_as_csv(run_cli, trained_model_dir, report_file, tmp_path):
    out_path = tmp_path / "out.csv"
    code, _, _ = run_cli("predict", str(report_file), "--model", str(trained_model_dir), "--format", "csv", "-o", str(out_path))
    assert code == 0
    raw = out_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(REPORT.splitlines()) and "score_plan" in rows[0]


def test_predict_table_is_readable(run_cli, trained_model_dir, report_file):
    code, out, _ = run_cli("predict", str(report_file), "--model", str(trained_model_dir), "--format", "table")
    assert code == 0 and "开展普法宣传活动十场" in out and "==" in out


def test_a_bad_file_does_not_stop_the_batch(run_cli, trained_model_dir, report_file, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    code, out, err = run_cli("predict", str(empty), str(report_file), str(binary), str(tmp_path / "x.xls"),
                             "--model", str(trained_model_dir), "--format", "jsonl", "-q")
    assert code == 1
    assert {json.loads(line)["file"] for line in out.splitlines()} == {str(report_file)}
    lines = err.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines)
    assert "empty file" in err and "binary" in err and "unsupported file type '.xls'" in err
    assert "Traceback" not in err


def test_sentences_mode_and_stdin(run_cli, trained_model_dir, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("开展普法宣传。\n\n持续深化普法。\n".encode("gb18030"))))
    code, out, _ = run_cli("predict", "-", "--sentences", "--model", str(trained_model_dir), "--format", "jsonl")
    assert code == 0
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["开展普法宣传。", "持续深化普法。"]


def test_missing_model_is_a_one_line_error(run_cli, report_file, tmp_path):
    code, out, err = run_cli("predict", str(report_file), "--model", str(tmp_path / "none"))
    assert code == 3 and out == ""
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_segment_prints_units(run_cli, report_file):
    code, out, _ = run_cli("segment", str(report_file))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["is_heading"] for r in rows][:2] == [False, True]


def test_train_writes_a_model_and_a_failed_train_keeps_the_old_one(run_cli, corpus_dir, tmp_path):
    out = tmp_path / "m"
    code, _, err = run_cli("train", "--data", str(corpus_dir), "--output", str(out), "--C", "1", "-q")
    assert code == 0 and (out / "model.npz").exists()
    before = (out / "model.npz").read_bytes()
    empty = tmp_path / "empty"
    (empty / "labelled").mkdir(parents=True)
    code, _, err = run_cli("train", "--data", str(empty), "--output", str(out), "-q")
    assert code == 2 and err.startswith("error: ")
    assert (out / "model.npz").read_bytes() == before


def test_train_on_a_csv_of_text_and_label(run_cli, tmp_path):
    rows = ["text,label"] + [f"开展普法宣传活动第{i}场。,publicity" for i in range(6)] + \
           [f"开展执法检查第{i}次。,enforcement" for i in range(6)]
    table = tmp_path / "labels.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_cli("train", "--data", str(table), "--output", str(tmp_path / "m"), "--folds", "3", "-q")
    assert code == 0, err


def test_rare_label_is_refused_with_the_fix(run_cli, tmp_path):
    table = tmp_path / "labels.csv"
    table.write_text("text,label\n" + "".join(f"普法{i},publicity\n" for i in range(8)) + "执法,enforcement\n", encoding="utf-8")
    code, _, err = run_cli("train", "--data", str(table), "--output", str(tmp_path / "m"), "-q")
    assert code == 2 and "fewer than 5 examples: 'enforcement' (1)" in err


def test_evaluate_writes_metrics_with_baselines(run_cli, corpus_dir, tmp_path):
    out = tmp_path / "metrics.json"
    code, _, err = run_cli("evaluate", "--data", str(corpus_dir), "--folds", "3", "--C", "1", "-o", str(out), "-q")
    assert code == 0, err
    metrics = json.loads(out.read_text(encoding="utf-8"))
    for key in ("model.macro_f1", "plain.macro_f1", "rules.macro_f1", "sentence_only.macro_f1", "model.brier"):
        assert 0 <= metrics[key] <= 1
    assert (tmp_path / "metrics.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_segmentation_and_held_out(run_cli, corpus_dir, tmp_path):
    code, out, _ = run_cli("evaluate", "--data", str(corpus_dir), "--segmentation")
    assert code == 0 and json.loads(out)["segmentation.recall"] == 1.0
    code, out, _ = run_cli("evaluate", "--data", str(corpus_dir), "--test", str(corpus_dir), "--C", "1", "-q")
    assert code == 0 and json.loads(out)["units"] > 0


def test_data_check_reports_file_and_line(run_cli, corpus_dir, tmp_path):
    import shutil

    code, _, err = run_cli("data", "check", str(corpus_dir))
    assert code == 0
    broken = tmp_path / "broken"
    shutil.copytree(corpus_dir, broken)
    path = broken / "labelled" / "r00.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"start": ', '"start": 1')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli("data", "check", str(broken))
    assert code == 1 and "r00.jsonl:2:" in err


def test_predict_table_has_a_column_header_and_explains_its_heading_marker(run_cli, trained_model_dir, report_file):
    from classifier.run.output import TABLE_LEGEND

    code, out, _ = run_cli("predict", str(report_file), "--model", str(trained_model_dir), "--format", "table")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0] == f"== {report_file} =="
    assert lines[1].split() == ["unit", "label", "conf.", "text"]
    headings = [line for line in lines[2:-2] if "# " in line]
    assert [line.split("# ", 1)[1] for line in headings] == ["一、主要做法", "二、存在的不足", "三、下一步工作计划"]
    assert lines[-2:] == ["", TABLE_LEGEND] and TABLE_LEGEND.startswith("# = a heading")
    assert len(lines) == 2 + len(REPORT.splitlines()) + 2


def test_version_prints_the_installed_version(capsys):
    from importlib.metadata import version

    from classifier.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out == f"classifier {version('classifier')}\n"


def test_version_falls_back_to_the_packages_own_without_an_installed_distribution(monkeypatch):
    import importlib.metadata

    import classifier
    from classifier.cli import package_version

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert package_version() == classifier.__version__


def test_the_packages_own_version_is_the_projects():
    import re
    from pathlib import Path

    import classifier

    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "(.+)"$', pyproject, re.M).group(1) == classifier.__version__
