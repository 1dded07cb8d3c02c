"""A batch written file by file: the same rows in the same order however it runs, a prefix when it is killed,
and --resume carrying on to the output an uninterrupted run writes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportfiles import killed_at_journal, report_files

from classifier.run.batch import predict_files
from classifier.run.stream import partial_paths


def _reports(corpus_dir: Path, tmp_path: Path, copies: int = 1) -> list[str]:
    """The small corpus's reports three times over, as files of their own; with ``copies`` > 1 each file holds its
    report that many times (a heavier file, for the runs that must still be under way when killed)."""
    return report_files(corpus_dir, tmp_path / "in", 3 * len(list((corpus_dir / "reports").glob("*.txt"))), copies)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_process_and_two_write_the_rows_of_the_batch_in_order(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = _reports(corpus_dir, tmp_path)
    expected = predict_files(files, model=str(trained_model_dir)).rows
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.jsonl"
        code, _, err = run_cli("predict", *files, "--model", str(trained_model_dir), "-j", jobs, "-o", str(out), "-q")
        assert (code, err) == (0, "")
        assert _lines(out) == expected
        assert [r["file"] for r in _lines(out)][:1] == [files[0]]
    assert not any(p.name.endswith((".partial", ".partial.json")) for p in tmp_path.iterdir())


def test_a_run_where_every_file_fails_keeps_the_old_output(run_cli, trained_model_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    code, _, err = run_cli("predict", str(tmp_path / "missing.txt"), "--model", str(trained_model_dir), "-o", str(out))
    assert code == 1 and "missing.txt" in err and "nothing written" in err
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_run_stopped_before_any_file_is_done_leaves_no_partial_output(run_cli, corpus_dir, trained_model_dir,
                                                                       tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    for member in trained_model_dir.iterdir():
        (broken / member.name).write_bytes(member.read_bytes())
    (broken / "model.npz").write_bytes(b"not a model")
    out = tmp_path / "out" / "rows.jsonl"
    code, _, err = run_cli("predict", *_reports(corpus_dir, tmp_path)[:2], "--model", str(broken), "-o", str(out))
    assert code != 0 and err.startswith("error: ") and "model.npz" in err
    assert not any(p.exists() for p in partial_paths(out)) and not out.exists()


def test_parquet_round_trips_with_typed_columns(run_cli, corpus_dir, trained_model_dir, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    files = _reports(corpus_dir, tmp_path)[:5]
    out = tmp_path / "out.parquet"
    code, _, err = run_cli("predict", *files, "--model", str(trained_model_dir), "-o", str(out), "-q")
    assert (code, err) == (0, "")
    frame = pd.read_parquet(out)
    rows = predict_files(files, model=str(trained_model_dir)).rows
    assert frame["text"].tolist() == [r["text"] for r in rows]
    assert frame["file"].tolist() == [r["file"] for r in rows]
    assert frame["index"].dtype.name == "int32" and frame["is_heading"].dtype.name == "bool"
    for label in rows[0]["scores"]:
        assert frame[f"score_{label}"].tolist() == [r["scores"][label] for r in rows]


def test_a_parquet_file_is_written_in_row_groups(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from classifier.run.parquet import ParquetRows

    rows = [{"file": "a", "index": k, "start": k, "end": k + 1, "text": "x", "label": "plan", "confidence": 0.5,
             "scores": {"plan": 0.5, "other": 0.5}} for k in range(25)]
    with ParquetRows(tmp_path / "a.parquet", row_group=10) as out:
        for k in range(0, 25, 5):
            out.write(rows[k:k + 5])
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups == 3
    assert pq.read_table(tmp_path / "a.parquet").column("index").to_pylist() == list(range(25))


def _killed_run(files: list[str], model: Path, out: Path) -> None:
    """``classifier predict`` in a process of its own, killed (SIGKILL) once its journal has a finished file."""
    _, journal = partial_paths(out)
    killed_at_journal(["predict", *files, "--model", str(model), "-o", str(out), "-q"], journal, 2)


def test_a_killed_run_leaves_a_prefix_and_resumes_to_the_whole_output(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = _reports(corpus_dir, tmp_path, copies=12)
    whole = tmp_path / "whole.jsonl"
    assert run_cli("predict", *files, "--model", str(trained_model_dir), "-o", str(whole), "-q")[0] == 0
    out = tmp_path / "out.jsonl"
    _killed_run(files, trained_model_dir, out)
    partial, journal = partial_paths(out)
    if not partial.exists():
        pytest.skip("the run finished before it could be killed")
    assert not out.exists()
    done = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()[1:]]
    assert 0 < len(done) < len(files)
    assert partial.read_bytes()[:done[-1]["end"]] == whole.read_bytes()[:done[-1]["end"]]
    code, _, err = run_cli("predict", *files, "--model", str(trained_model_dir), "-o", str(out), "-q", "--resume")
    assert (code, err) == (0, "")
    assert out.read_bytes() == whole.read_bytes()
    assert not partial.exists() and not journal.exists()


def test_resume_refuses_the_partial_output_of_another_run(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = _reports(corpus_dir, tmp_path)
    out = tmp_path / "out.jsonl"
    partial, journal = partial_paths(out)
    partial.write_text("", encoding="utf-8")
    journal.write_text(json.dumps({"files": files[:2], "format": "jsonl", "sentences": False, "model": None}) + "\n",
                       encoding="utf-8")
    code, _, err = run_cli("predict", *files, "--model", str(trained_model_dir), "-o", str(out), "--resume")
    assert code == 2 and "other files or options" in err and "Traceback" not in err
    assert not out.exists()


def test_a_file_named_like_a_partial_output_but_not_ours_is_left_alone(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = _reports(corpus_dir, tmp_path)[:2]
    out = tmp_path / "out.jsonl"
    partial, _ = partial_paths(out)
    partial.write_text("mine\n", encoding="utf-8")
    code, _, err = run_cli("predict", *files, "--model", str(trained_model_dir), "-o", str(out))
    assert code == 2 and "not written by an interrupted run" in err
    assert partial.read_text(encoding="utf-8") == "mine\n"


def test_resume_and_parquet_need_an_output_file(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = _reports(corpus_dir, tmp_path)[:1]
    for flags in (["--resume"], ["--format", "parquet"]):
        code, out, err = run_cli("predict", *files, "--model", str(trained_model_dir), *flags)
        assert code == 2 and err.startswith("error: --output:") and out == ""


def test_a_long_report_is_scored_and_written_a_slice_at_a_time(run_cli, trained_model_dir, tmp_path, monkeypatch):
    from classifier.run import batch, predict

    long_report = tmp_path / "long.txt"
    long_report.write_text("一、主要做法\n" + "".join(f"开展第{k}次普法宣传活动。\n" for k in range(250)), encoding="utf-8")
    whole = predict_files([str(long_report)], model=str(trained_model_dir)).rows
    monkeypatch.setattr(batch, "SLICE", 40)  # rows made 40 at a time
    monkeypatch.setattr(predict, "SLICE", 40)  # and scored 40 at a time
    pieces = list(batch.iter_predictions([str(long_report)], model=str(trained_model_dir)))
    assert len(pieces) > 5 and [p.last for p in pieces] == [False] * (len(pieces) - 1) + [True]
    assert [row for p in pieces for row in p.rows] == whole  # the same context, the same labels and scores
    out = tmp_path / "out.jsonl"
    assert run_cli("predict", str(long_report), "--model", str(trained_model_dir), "-o", str(out))[0] == 0
    assert _lines(out) == whole


def test_predict_imports_neither_dask_nor_pyarrow_unless_asked(corpus_dir, trained_model_dir, tmp_path):
    files = _reports(corpus_dir, tmp_path)[:2]
    code = ("import sys; from classifier.cli import main; "
            f"main({['predict', *files, '--model', str(trained_model_dir), '-o', str(tmp_path / 'o.jsonl'), '-q']!r}); "
            "print(sorted(m for m in ('dask', 'distributed', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_batch_keeps_the_words_of_a_bounded_number_of_texts(corpus_dir, trained_model_dir, tmp_path, monkeypatch):
    from classifier.model import tokens
    from classifier.run import batch

    files = _reports(corpus_dir, tmp_path)
    monkeypatch.setattr(batch, "CACHED_TEXTS", 50)
    sizes = []
    monkeypatch.setattr(batch, "clear_caches", lambda: sizes.append(tokens._cut.cache_info().currsize)
                        or tokens._cut.cache_clear())
    rows = predict_files(files, model=str(trained_model_dir)).rows
    assert sizes and all(size > 50 for size in sizes) and tokens._cut.cache_info().currsize <= len(rows)
    tokens._cut.cache_clear()
    monkeypatch.setattr(batch, "CACHED_TEXTS", 10**9)
    assert predict_files(files, model=str(trained_model_dir)).rows == rows  # the same rows, cache or none
