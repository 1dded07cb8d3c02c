"""classifier data import of labelled tasks: reports copied byte for byte, exact offsets, bad rows named."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from classifier.corpus.corpus import check_corpus, load_corpus
from classifier.corpus.task_import import import_tasks
from classifier.errors import DataError

LABELS = {"publicity", "enforcement", "business_environment", "shortcoming", "plan", "other"}
REPORT = "一、主要做法\n开展宪法宣传周活动，发放资料五百份。严格执行行政处罚裁量基准。\n二、下一步计划\n下一步将持续优化营商环境。\n"
UNITS = [("开展宪法宣传周活动，发放资料五百份。", "publicity"), ("严格执行行政处罚裁量基准。", "enforcement"),
         ("下一步将持续优化营商环境。", "plan")]
COLUMNS = ["file", "start", "end", "text", "heading", "previous", "next", "suggested", "confidence", "label"]


def write_tasks(path: Path, report: Path, rows, text: str = REPORT) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for unit, label in rows:
        start = text.index(unit)
        writer.writerow([str(report), start, start + len(unit), unit, "", "", "", "other", 0.5, label])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "my report.txt"
    path.write_bytes(REPORT.encode("gb18030"))  # not UTF-8: the copy must still be the same bytes
    return path


def test_labelled_rows_go_in_with_exact_offsets_and_the_report_copied_byte_for_byte(tmp_path, report):
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS[:2] + [(UNITS[2][0], "")])
    result = import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    assert (result.added, result.unlabelled, result.reports) == (2, 1, ("my-report",))
    assert (tmp_path / "mine" / "reports" / "my-report.txt").read_bytes() == report.read_bytes()
    [loaded] = load_corpus(tmp_path / "mine")
    assert [(u.text, u.label) for u in loaded.units] == UNITS[:2]
    assert all(loaded.text[u.start:u.end] == u.text for u in loaded.units)
    assert check_corpus(tmp_path / "mine", strict=True) == []


def test_importing_twice_adds_nothing_and_a_new_label_replaces_the_old(tmp_path, report):
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS)
    import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    again = import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    assert (again.added, again.unchanged) == (0, 3)
    changed = import_tasks(write_tasks(tmp_path / "u.csv", report, [(UNITS[0][0], "other")]), tmp_path / "mine",
                           fmt="csv", labels=LABELS)
    assert changed.relabelled == 1
    [loaded] = load_corpus(tmp_path / "mine")
    assert [u.label for u in loaded.units] == ["other", "enforcement", "plan"]


def test_offsets_that_no_longer_match_are_an_error_naming_file_and_line(tmp_path, report):
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS)
    report.write_bytes(("前言。\n" + REPORT).encode("gb18030"))  # edited since the tasks were made
    with pytest.raises(DataError) as caught:
        import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    assert str(caught.value).startswith(f"{tasks}:2: {report} has changed since the task was made")
    assert "\n" not in str(caught.value) and not (tmp_path / "mine").exists()


def test_skip_bad_imports_the_good_rows(tmp_path, report):
    rows = UNITS[:2] + [(UNITS[2][0], "plna")]
    tasks = write_tasks(tmp_path / "t.csv", report, rows)
    with pytest.raises(DataError, match=r"t\.csv:4: label 'plna' is not one of the model's labels .*did you mean 'plan'"):
        import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    result = import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS, skip_bad=True)
    assert result.added == 2 and [p.line for p in result.skipped] == [4]


def test_new_label_accepts_a_label_the_model_does_not_know(tmp_path, report):
    tasks = write_tasks(tmp_path / "t.csv", report, [(UNITS[0][0], "training")])
    import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS, new_label=True)
    assert "training" in (tmp_path / "mine" / "labels.txt").read_text(encoding="utf-8").split()
    assert check_corpus(tmp_path / "mine") == []


def test_a_moved_report_is_an_error_unless_an_earlier_import_copied_it(tmp_path, report):
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS[:1])
    moved = report.rename(tmp_path / "elsewhere.txt")
    with pytest.raises(DataError, match=rf"t\.csv:2: report file {report} not found \(moved or renamed"):
        import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    moved.rename(report)
    import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    report.unlink()
    more = write_tasks(tmp_path / "u.csv", report, UNITS[1:2])
    assert import_tasks(more, tmp_path / "mine", fmt="csv", labels=LABELS).added == 1


def test_labelstudio_export_takes_the_latest_annotation_and_counts_disagreements(tmp_path, report):
    def annotation(choice, when):
        return {"updated_at": when, "result": [{"type": "choices", "value": {"choices": [choice]}}]}
    tasks = []
    for unit, label in UNITS:
        start = REPORT.index(unit)
        data = {"text": unit, "file": str(report), "start": start, "end": start + len(unit)}
        tasks.append({"id": len(tasks) + 7, "data": data, "annotations": [annotation(label, "2025-01-02")],
                      "predictions": [{"result": [{"type": "choices", "value": {"choices": ["other"]}}]}]})
    tasks[0]["annotations"].insert(0, annotation("other", "2025-01-01"))  # an earlier annotator disagreed
    tasks[2]["annotations"] = []  # not labelled: its prediction is no label
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    result = import_tasks(path, tmp_path / "mine", fmt="labelstudio", labels=LABELS)
    assert (result.added, result.disagreements, result.unlabelled) == (2, 1, 1)
    [loaded] = load_corpus(tmp_path / "mine")
    assert [u.label for u in loaded.units] == ["publicity", "enforcement"]


def test_doccano_file_without_labels_is_an_error(tmp_path, report):
    start = REPORT.index(UNITS[0][0])
    row = {"text": UNITS[0][0], "file": str(report), "start": start, "end": start + len(UNITS[0][0]), "label": []}
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"doccano\.jsonl: no labelled rows \(1 without a label\)"):
        import_tasks(path, tmp_path / "mine", fmt="doccano", labels=LABELS)


def test_the_cli_prints_one_line_and_counts(tmp_path, report, run_cli):
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS[:2] + [(UNITS[2][0], "")])
    code, _, err = run_cli("data", "import", str(tasks), "--data", str(tmp_path / "mine"))
    assert code == 0 and "2 new unit(s)" in err and "1 row(s) without a label skipped" in err
    bad = write_tasks(tmp_path / "u.csv", report, [(UNITS[2][0], "plna")])
    code, _, err = run_cli("data", "import", str(bad), "--data", str(tmp_path / "mine"))
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"error: {bad}:2: label 'plna'")


def test_bare_rows_without_a_report_file_are_marked_bare(tmp_path):
    from classifier.corpus.interchange import import_labels

    path = tmp_path / "sentences.csv"
    path.write_text("text,label\n" + "\n".join(f"{t},{l}" for t, l in UNITS), encoding="utf-8")
    import_labels(path, tmp_path / "mine")
    (tmp_path / "mine" / "labels.txt").write_text("\n".join(sorted(LABELS)), encoding="utf-8")
    [loaded] = load_corpus(tmp_path / "mine")
    assert loaded.bare and all(u.bare for u in loaded.units)
    import_labels(path, tmp_path / "mine")  # again: the same, still bare
    assert load_corpus(tmp_path / "mine")[0].bare


def test_a_label_typo_in_a_plain_csv_is_refused_unless_new_label(tmp_path, run_cli):
    path = tmp_path / "sentences.csv"
    path.write_text("text,label\n" + "\n".join(f"{t},{l}" for t, l in UNITS[:2]) + f"\n{UNITS[2][0]},plna\n",
                    encoding="utf-8")
    code, _, err = run_cli("data", "import", str(path), "--data", str(tmp_path / "mine"))
    assert code == 2 and err.startswith(f"error: {path}:4: label 'plna' is not one of the model's labels")
    assert "did you mean 'plan'?" in err and not (tmp_path / "mine").exists()
    assert run_cli("data", "import", str(path), "--data", str(tmp_path / "mine"), "--new-label")[0] == 0


def test_a_csv_field_over_the_size_limit_is_a_one_line_error(tmp_path, report, run_cli):
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS[:1])
    with tasks.open("a", encoding="utf-8", newline="") as file:
        csv.writer(file).writerow([str(report), 0, 1, "开" * 200_000, "", "", "", "other", 0.5, "plan"])
    with pytest.raises(DataError, match=r"t\.csv:3: not valid CSV: field larger than field limit"):
        import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    code, _, err = run_cli("data", "import", str(tasks), "--data", str(tmp_path / "mine"))
    assert code == 2 and err.count("\n") == 1 and "not valid CSV" in err and not (tmp_path / "mine").exists()


def test_a_labelled_file_that_is_not_utf8_is_a_one_line_error_and_nothing_is_written(tmp_path, report):
    labelled = tmp_path / "mine" / "labelled" / "my-report.jsonl"
    labelled.parent.mkdir(parents=True)
    start = REPORT.index(UNITS[0][0])
    unit = {"text": UNITS[0][0], "start": start, "end": start + len(UNITS[0][0]), "heading": "", "is_heading": False,
            "label": UNITS[0][1], "report": "my-report"}
    labelled.write_bytes((json.dumps(unit, ensure_ascii=False) + "\n").encode("gb18030"))
    tasks = write_tasks(tmp_path / "t.csv", report, UNITS[1:])
    with pytest.raises(DataError) as caught:
        import_tasks(tasks, tmp_path / "mine", fmt="csv", labels=LABELS)
    assert str(caught.value).startswith(f"{labelled}:1: not valid UTF-8") and "\n" not in str(caught.value)
    assert [p.name for p in (tmp_path / "mine").rglob("*") if p.is_file()] == ["my-report.jsonl"]
