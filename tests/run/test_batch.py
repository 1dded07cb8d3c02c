"""Batches over processes: the same rows in the same order as one process, bad files kept apart."""
from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
import reportfiles

from classifier.run import batch, workers
from classifier.errors import MissingExtraError, ReadError


@pytest.fixture
def report_files(corpus_dir, tmp_path):
    """Ten report files: the test corpus's reports, some twice under other names."""
    return reportfiles.report_files(corpus_dir, tmp_path, 10)


def test_two_jobs_give_the_rows_of_one_job_in_the_same_order(trained_model_dir, report_files):
    one = batch.predict_files(report_files, model=str(trained_model_dir), jobs=1)
    two = batch.predict_files(report_files, model=str(trained_model_dir), jobs=2)
    assert not one.errors and not two.errors
    assert two.rows == one.rows
    assert [r["file"] for r in two.rows] == sorted(r["file"] for r in two.rows)  # files in the order given
    sentences = batch.predict_files(report_files[:3], model=str(trained_model_dir), sentences=True, jobs=2)
    assert sentences.rows == batch.predict_files(report_files[:3], model=str(trained_model_dir), sentences=True).rows


def test_a_bad_file_in_a_parallel_batch_is_reported_and_the_others_run(trained_model_dir, report_files, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    files = [str(empty), report_files[0], str(tmp_path / "missing.txt"), report_files[1], str(binary),
             str(tmp_path / "sheet.xls")]
    result = batch.predict_files(files, model=str(trained_model_dir), jobs=2)
    assert [r["file"] for r in result.rows if r["index"] == 0] == [report_files[0], report_files[1]]
    assert [type(e) for e in result.errors] == [ReadError] * 4
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith(str(empty)) and "empty file" in messages[0]
    assert "no such file" in messages[1] and "binary" in messages[2] and "unsupported file type '.xls'" in messages[3]


def test_the_cli_spreads_files_over_jobs(run_cli, trained_model_dir, report_files):
    code, out, err = run_cli("predict", *report_files, "--model", str(trained_model_dir), "--jobs", "2",
                             "--format", "jsonl", "-q")
    assert code == 0, err
    _, serial, _ = run_cli("predict", *report_files, "--model", str(trained_model_dir), "--format", "jsonl", "-q")
    assert out == serial
    assert {json.loads(line)["file"] for line in out.splitlines()} == set(report_files)


def test_each_worker_loads_the_model_at_most_once(trained_model_dir, report_files, tmp_path, monkeypatch):
    from classifier.run import predict

    log = tmp_path / "loads.txt"
    real = predict.load_model

    def counting(path=None):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(path)

    monkeypatch.setattr(predict, "load_model", counting)
    monkeypatch.setattr(batch, "_MODEL", None)
    result = batch.predict_files(report_files, model=str(trained_model_dir), jobs=2)
    assert len(result.rows) > 0 and not result.errors
    pids = log.read_text(encoding="utf-8").split()
    assert pids.count(str(os.getpid())) == 1  # the parent checks the model once, before any file
    assert all(pids.count(pid) == 1 for pid in pids)


def _which_process(names, model_path, sentences, texts):
    """Stands in for ``batch._predict_chunk``: a row per file, its text naming the process that scored it."""
    import numpy as np

    return batch.Scored(list(names), [[(0, 0, 0, str(os.getpid()))] for _ in names], [None] * len(names), ["x"],
                        np.zeros(len(names), dtype=np.int64), np.ones((len(names), 1)), lines=True)


def _forked_stand_in(monkeypatch, stand_in) -> None:
    if workers._context().get_start_method() != "fork":
        pytest.skip("the stand-in reaches the workers only when they are forked")
    monkeypatch.setattr(batch, "_predict_chunk", stand_in)
    monkeypatch.setattr(batch, "_init_worker", lambda model_path: None)


def _which_process_in_a_while(names, model_path, sentences, texts):
    """``_which_process`` taking 20 ms, in every process: long enough for the workers to start before this
    process has scored every run itself."""
    time.sleep(0.02)
    return _which_process(names, model_path, sentences, texts)


def test_this_process_scores_files_beside_its_workers_and_results_keep_their_order(monkeypatch):
    _forked_stand_in(monkeypatch, _which_process_in_a_while)
    files = [f"{k:03d}.txt" for k in range(300)]
    results = list(batch._results(files, [None] * len(files), None, False, 3))
    rows = [row for rows, _, _ in results for row in rows]
    assert [r["file"] for r in rows] == files
    pids = {int(r["text"]) for r in rows}
    assert os.getpid() in pids and 2 <= len(pids) <= 3  # this process and at least one of its two workers


@pytest.mark.parametrize("n, workers", [(1, 2), (2, 2), (7, 2), (10, 2), (20, 2), (79, 2), (100, 2), (366, 2), (50, 4)])
def test_chunks_cover_every_file_once_in_order(n, workers):
    chunks = batch._chunks(n, workers)
    assert [i for start, size in chunks for i in range(start, start + size)] == list(range(n))
    assert all(1 <= size <= 16 for _, size in chunks)
    if n >= 100:  # the last runs are small, so that no process waits long for another's last run
        assert all(size <= batch.LAST < chunks[0][1] for _, size in chunks[-2 * workers:])
    assert len(chunks) >= min(n, 4 * workers)  # enough runs to share out
    if n >= 4 * workers * batch.FEWEST:  # and with enough files, no pass so small that its own costs weigh on each unit
        assert all(size >= batch.LAST or start + size == n for start, size in chunks)


def test_workers_results_pass_through_files_that_are_gone_when_the_batch_ends(trained_model_dir, report_files,
                                                                            tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    taken = []
    real = workers._collected
    monkeypatch.setattr(workers, "_collected", lambda sent, *rest: taken.append(sent) or real(sent, *rest))
    two = batch.predict_files(report_files, model=str(trained_model_dir), jobs=2)
    assert two.rows == batch.predict_files(report_files, model=str(trained_model_dir)).rows
    assert taken and all(isinstance(sent, str) and sent.startswith(str(scratch)) for sent in taken)
    assert list(scratch.iterdir()) == []  # each file went once read, and the folder when the batch ended


def test_without_a_temporary_folder_workers_send_their_results_back(trained_model_dir, report_files, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError("no room")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refused)
    two = batch.predict_files(report_files, model=str(trained_model_dir), jobs=2)
    assert not two.errors and two.rows == batch.predict_files(report_files, model=str(trained_model_dir)).rows


def test_errors_survive_the_trip_back_from_a_worker():
    for error in (ReadError("a.txt", "empty file"), MissingExtraError("b.pdf", "reading .pdf files needs pdfplumber")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and back.where == error.where


def test_a_large_batch_switches_to_rjieba_up_front_and_labels_alike(trained_model_dir, report_files, monkeypatch):
    pytest.importorskip("rjieba")
    from classifier.model import records, tokens

    files = report_files * 2  # 20 files: enough to repay loading rjieba
    monkeypatch.setattr(tokens.Segmenter, "switch_after", 10**9)
    tokens._tokenizer.cache_clear()
    records.clear_caches()
    expected = batch.predict_files(files, model=str(trained_model_dir))
    assert not isinstance(tokens._tokenizer().tk, tokens.RustCut)
    monkeypatch.setattr(tokens.Segmenter, "switch_after", 1000)
    tokens._tokenizer.cache_clear()
    records.clear_caches()
    try:
        got = batch.predict_files(files, model=str(trained_model_dir), jobs=2)
        assert isinstance(tokens._tokenizer().tk, tokens.RustCut), "the parent loads rjieba once, before forking"
    finally:
        tokens._tokenizer.cache_clear()
        records.clear_caches()
    assert not got.errors and got.rows == expected.rows


def test_files_scored_together_get_the_rows_each_gets_alone(trained_model_dir, corpus_dir, tmp_path):
    from classifier import load_model

    reports = sorted((corpus_dir / "reports").iterdir())
    files = [str(reports[k % len(reports)]) for k in range(batch.GROUP + 5)]
    files[3:3] = [str(tmp_path / "missing.txt")]
    (tmp_path / "empty.txt").write_bytes(b"")
    files[batch.GROUP:batch.GROUP] = [str(tmp_path / "empty.txt")]
    result = batch.predict_files(files, model=str(trained_model_dir))
    assert sorted(str(e).split(":")[0] for e in result.errors) == sorted([files[3], files[batch.GROUP]])
    model = load_model(trained_model_dir)
    expected = [(name, p.index, p.label, p.scores) for name in files if "reports" in name
                for p in model.classify_report(name)]
    assert [(r["file"], r["index"], r["label"], r["scores"]) for r in result.rows] == expected


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_during_a_batch_and_left_as_it_was(trained_model_dir, report_files, tmp_path,
                                                                         enabled):
    import gc

    states = []
    missing = str(tmp_path / "missing.txt")
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        result = batch.predict_files([report_files[0], missing, report_files[1]], model=str(trained_model_dir),
                                     progress=lambda *_: states.append(gc.isenabled()))
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert [e.where for e in result.errors] == [missing]
    assert states == [False, False, False]
    assert after is enabled


def _generation_of(obj) -> int | None:
    import gc

    return next((g for g in range(3) if any(o is obj for o in gc.get_objects(g))), None)


def test_a_batch_leaves_its_rows_in_the_oldest_generation_of_the_collector(trained_model_dir, report_files):
    import gc

    was = gc.isenabled()
    gc.enable()
    try:
        result = batch.predict_files(report_files[:2], model=str(trained_model_dir))
        generation, frozen = _generation_of(result.rows[0]), gc.get_freeze_count()
    finally:
        (gc.enable if was else gc.disable)()
    assert generation == 2 and frozen == 0  # moved there without a walk, and nothing left frozen


def test_a_batch_leaves_what_the_caller_froze_frozen(trained_model_dir, report_files):
    import gc

    was = gc.isenabled()
    gc.enable()
    kept = [{"frozen": "by the caller"}]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        result = batch.predict_files(report_files[:2], model=str(trained_model_dir))
        assert gc.get_freeze_count() == frozen and result.rows
        assert _generation_of(kept[0]) is None  # still frozen: in no generation the collector walks
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


def test_rows_hold_what_the_python_api_gives_for_each_unit_and_line(trained_model_dir, report_files):
    from classifier import load_model

    model = load_model(trained_model_dir)
    result = batch.predict_files(report_files[:4], model=str(trained_model_dir), jobs=2)
    expected = [{"file": name, "index": p.index, "start": p.start, "end": p.end, "text": p.text, "heading": p.heading,
                 "is_heading": p.is_heading, "role": p.role, "label": p.label, "confidence": p.confidence,
                 "scores": p.scores} for name in report_files[:4] for p in model.classify_report(name)]
    assert result.rows == expected and [list(r) for r in result.rows] == [list(r) for r in expected]
    lines = batch.predict_files(report_files[:2], model=str(trained_model_dir), sentences=True, jobs=2).rows
    texts = [line for name in report_files[:2]
             for line in (t.strip() for t in Path(name).read_text(encoding="utf-8").split("\n")) if line]
    assert [r["text"] for r in lines] == texts
    for row, scores in zip(lines, model.predict_proba(texts)):
        assert row["scores"] == scores and row["label"] == max(scores, key=scores.get)
        assert row["confidence"] == scores[row["label"]]
