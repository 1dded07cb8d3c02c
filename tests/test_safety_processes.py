"""Processes of a --jobs batch: a worker killed mid-batch costs only its files, a killed main process leaves
no worker behind, and the results folder of a killed run is removed by the next one (only ours)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procfs import alive, children, dead_pid
from reportfiles import report_files, wait_for_journal

from classifier.run import workers
from classifier.run.stream import partial_paths

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _start(files: list[str], model: Path, out: Path, pipe: bool = True) -> subprocess.Popen:
    where = subprocess.PIPE if pipe else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", "classifier.cli", "predict", *files, "--model", str(model),
                             "-j", "2", "-o", str(out), "-q"], stdout=where, stderr=where)


def _first_worker(proc: subprocess.Popen, seconds: float = 60) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        kids = children(proc.pid)
        if kids:
            return kids[0]
        time.sleep(0.005)
    return None


def test_a_killed_worker_costs_only_its_files(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = report_files(corpus_dir, tmp_path, 48, copies=12)
    whole = tmp_path / "whole.jsonl"
    assert run_cli("predict", *files, "--model", str(trained_model_dir), "-o", str(whole), "-q")[0] == 0
    out = tmp_path / "out.jsonl"
    proc = _start(files, trained_model_dir, out)
    worker = _first_worker(proc)
    if worker is not None:
        wait_for_journal(proc, partial_paths(out)[1], 2)  # until the batch is under way
        try:
            os.kill(worker, signal.SIGKILL)
        except ProcessLookupError:  # it had already ended
            worker = None
    if worker is None:
        proc.communicate(timeout=120)
        pytest.skip("the batch ended before its worker could be killed")
    _, err = proc.communicate(timeout=120)
    err = err.decode()
    assert "Traceback" not in err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = [json.loads(line) for line in whole.read_text(encoding="utf-8").splitlines()]
    lost = {line.split(": ")[1] for line in err.splitlines() if "worker process" in line}
    assert proc.returncode == (1 if lost else 0)
    assert rows == [r for r in expected if r["file"] not in lost]  # every other file, in order
    assert all(line.startswith("error: ") for line in err.splitlines())


def test_a_killed_main_process_leaves_no_worker_alive(corpus_dir, trained_model_dir, tmp_path):
    files = report_files(corpus_dir, tmp_path, 24, copies=12)
    proc = _start(files, trained_model_dir, tmp_path / "out.jsonl", pipe=False)
    worker = _first_worker(proc)
    if worker is None:
        pytest.skip("the batch ended before a worker was seen")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)
    assert not (tmp_path / "out.jsonl").exists()


def test_the_results_folder_of_a_killed_run_is_removed_at_the_next_run(tmp_path):
    stale = tmp_path / f"{workers.FOLDER_PREFIX}old"
    stale.mkdir()
    (stale / workers.MARKER).write_text(f"{dead_pid()}\n", encoding="ascii")
    (stale / "0.pickle").write_bytes(b"x")
    live = tmp_path / f"{workers.FOLDER_PREFIX}live"
    live.mkdir()
    (live / workers.MARKER).write_text(f"{os.getpid()}\n", encoding="ascii")
    foreign = tmp_path / f"{workers.FOLDER_PREFIX}foreign"  # named like ours, without our marker
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="ascii")
    assert workers.clean_stale(str(tmp_path)) == [str(stale)]
    assert not stale.exists() and live.exists() and (foreign / "keep.txt").exists()


def _score(k: int) -> int:
    if k == 3 and os.getpid() != _PARENT:
        os.kill(os.getpid(), signal.SIGKILL)  # this run kills every worker that takes it
    return k


def _lost(k: int) -> str:
    return f"lost {k}"


def _nothing() -> None:
    pass


_PARENT = os.getpid()


def test_a_run_that_kills_its_worker_twice_is_given_up_and_the_others_come_back(monkeypatch):
    if workers._context().get_start_method() != "fork":
        pytest.skip("needs forked workers")
    monkeypatch.setattr(workers, "AHEAD", 100)  # every run handed out at once,
    monkeypatch.setattr(workers, "_taken_back", lambda running, folder: None)  # and none taken back
    got = list(workers.in_order([(k,) for k in range(8)], _score, 1, _nothing, (), lost=_lost))
    assert got == [0, 1, 2, "lost 3", 4, 5, 6, 7]
