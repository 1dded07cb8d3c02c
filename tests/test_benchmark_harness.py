"""The benchmark's side-by-side runs: how the file list is shared out, and a start that never comes."""
from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.child import share
from benchmarks.harness import _until_ready, ready_marker


@pytest.mark.parametrize("n", [0, 1, 5, 474])
@pytest.mark.parametrize("parts", [1, 2, 3])
def test_the_shares_are_consecutive_cover_every_file_once_and_differ_by_one_at_most(n, parts):
    files = [f"{k:03d}.txt" for k in range(n)]
    shares = [share(files, f"{k}/{parts}") for k in range(1, parts + 1)]
    assert [f for s in shares for f in s] == files
    assert max(map(len, shares)) - min(map(len, shares)) <= 1


@pytest.mark.parametrize("spec", ["0/2", "3/2"])
def test_a_share_outside_the_parts_is_refused(spec):
    with pytest.raises(SystemExit, match="--share"):
        share(["a.txt"], spec)


def test_a_process_that_ends_before_it_is_loaded_fails_the_run_by_name(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    with pytest.raises(RuntimeError, match="-c pass: ended before the start"):
        _until_ready([proc], tmp_path / "go", timeout=30)


def test_the_start_waits_for_every_process_to_say_it_is_loaded(tmp_path):
    go = tmp_path / "go"
    code = ("import os, pathlib, time; time.sleep(0.3); "
            f"pathlib.Path({str(go)!r} + '.ready-' + str(os.getpid())).touch(); time.sleep(30)")
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    try:
        _until_ready(procs, go, timeout=30)
        assert all(ready_marker(go, proc.pid).exists() for proc in procs)
        assert all(proc.poll() is None for proc in procs)  # both loaded and still waiting
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
