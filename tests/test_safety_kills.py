"""A killed `classifier train` leaves no process behind and no half model: its pool's workers leave
with it, and what a killed save left is removed by the next save.

Real processes, killed for real: `classifier train --jobs 2` on a small corpus is killed with
SIGKILL (or SIGTERM) once its workers run, and /proc must show none of its children after a
bounded wait. Slower than the other tests (seconds per case), and run with them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procfs import alive, children

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_train_leaves_no_worker_alive(tmp_path, corpus_dir, sig):
    corpus = corpus_dir
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli", "train", "--data", str(corpus),
                                "--output", str(tmp_path / "model"), "--jobs", "2", "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, workers = time.monotonic() + 120, set()
        while time.monotonic() < deadline and process.poll() is None:
            workers = set(children(process.pid))
            if len(workers) >= 3:  # loky's resource tracker and two workers
                break
            time.sleep(0.05)
        assert process.poll() is None and len(workers) >= 3, "the pool never started"
        for pid in list(workers):
            workers |= set(children(pid))
        process.send_signal(sig)
        process.wait(timeout=30)
        deadline = time.monotonic() + 60  # a worker in the middle of a fit leaves when the fit ends
        while time.monotonic() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.2)
        left = [pid for pid in workers if alive(pid)]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
    assert not (tmp_path / "model").exists()  # killed before the swap: no half model at the path
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".model.")] == []


SAVE_THEN_HANG = """
import sys, time
from classifier.model import persistence
pipeline, card = persistence.load_pipeline(sys.argv[1])
def hang(staging, target):
    print(staging, flush=True)
    time.sleep(600)
persistence.swap_in = hang
persistence.save_model(pipeline, card, sys.argv[2])
"""


def test_a_save_killed_before_its_swap_leaves_the_old_model_and_the_next_save_cleans_up(trained_model_dir, tmp_path):
    import shutil

    from classifier.model.persistence import load_pipeline, load_state, save_model

    model = tmp_path / "model"
    shutil.copytree(trained_model_dir, model)
    before = load_state(model)[2]
    process = subprocess.Popen([sys.executable, "-c", SAVE_THEN_HANG, str(trained_model_dir), str(model)],
                               stdout=subprocess.PIPE, text=True)
    try:
        staging = Path(process.stdout.readline().strip())
        assert staging.parent == tmp_path and (staging / "metadata.json").is_file()
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert load_state(model)[2] == before  # the old model, whole
    assert staging.is_dir() and (tmp_path / ".model.lock").exists()  # what the killed save left
    pipeline, card = load_pipeline(model)
    save_model(pipeline, {**card, "note": "after"}, model)
    assert load_state(model)[2]["note"] == "after"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
