"""A batch on Dask: the same rows in the same order as one process, and a worker lost mid-run costs only a
retry of its runs (a LocalCluster of 2 worker processes on 127.0.0.1)."""
from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest
from reportfiles import report_files

pytest.importorskip("distributed")

from classifier.run.batch import predict_files  # noqa: E402
from classifier.run.distributed import iter_predictions_dask, local_cluster  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as running:
        yield running


@pytest.fixture(scope="module")
def client(cluster):
    import distributed

    with distributed.Client(cluster, set_as_default=False) as connected:
        yield connected


def test_rows_on_two_workers_are_those_of_one_process_in_order(run_cli, cluster, corpus_dir, trained_model_dir,
                                                               tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = [os.path.relpath(f) for f in report_files(corpus_dir, tmp_path, 20)] + ["missing.txt"]
    expected = predict_files(files, model=str(trained_model_dir))
    code, _, err = run_cli("predict", *files, "--model", str(trained_model_dir), "--dask", cluster.scheduler_address,
                           "-o", "out.jsonl", "-q")
    assert code == 1 and err.strip().splitlines() == [f"error: {e}" for e in expected.errors]
    assert [json.loads(line) for line in Path("out.jsonl").read_text(encoding="utf-8").splitlines()] == expected.rows


def test_a_lost_worker_costs_only_a_retry_of_its_runs(client, corpus_dir, trained_model_dir, tmp_path):
    files = report_files(corpus_dir, tmp_path, 24, copies=12)
    expected = predict_files(files, model=str(trained_model_dir)).rows
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_one(done: int) -> None:
        if done == 1 and not killed:  # the first file is back: the others are under way
            killed.append(pids[0])
            threading.Thread(target=os.kill, args=(pids[0], signal.SIGKILL)).start()

    got = []
    for item in iter_predictions_dask(files, str(trained_model_dir), client=client):
        assert item.error is None
        got.extend(item.rows)
        kill_one(len({r["file"] for r in got}))
    assert killed and got == expected
