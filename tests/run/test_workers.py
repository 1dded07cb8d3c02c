"""Runs over processes: results in order, this process scoring beside its workers and taking back what they have
not started."""
from __future__ import annotations

import os
import time

import pytest

from classifier.run import workers

_THIS_PROCESS = os.getpid()  # a forked worker sees this module as it was, so this stays the parent's id


def _which(k: int, here: float = 0.0, there: float = 0.0) -> tuple[int, int]:
    """Stands in for scoring a run: the run's number and the process that scored it, after ``here`` seconds in
    this process or ``there`` seconds in a worker."""
    time.sleep(here if os.getpid() == _THIS_PROCESS else there)
    return k, os.getpid()


def _nothing() -> None:
    pass


@pytest.fixture(autouse=True)
def forked():
    if workers._context().get_start_method() != "fork":
        pytest.skip("the stand-ins' timings assume workers that start at once, forked")


def test_results_come_in_order_from_this_process_and_its_workers():
    runs = [(k, 0.02, 0.02) for k in range(30)]
    got = list(workers.in_order(runs, _which, 2, _nothing, ()))
    assert [k for k, _ in got] == list(range(30))
    pids = {pid for _, pid in got}
    assert _THIS_PROCESS in pids and 2 <= len(pids) <= 3  # this process and at least one of its two workers


def test_runs_handed_to_a_busy_worker_and_not_started_are_taken_back():
    runs = [(k, 0.0, 1.0) for k in range(12)]  # a second a run in the worker, none here
    got = list(workers.in_order(runs, _which, 1, _nothing, ()))
    assert [k for k, _ in got] == list(range(12))
    by_worker = [k for k, pid in got if pid != _THIS_PROCESS]
    assert by_worker in ([], [0])  # it was given three runs and only started the first


def test_a_run_no_worker_could_claim_is_scored_here(monkeypatch):
    monkeypatch.setattr(workers, "_claimed", lambda path: False)  # as if the results folder refused every claim
    got = list(workers.in_order([(k,) for k in range(12)], _which, 1, _nothing, ()))
    assert got == [(k, _THIS_PROCESS) for k in range(12)]


def _refused(*args, **kwargs):
    raise PermissionError("no room")


def test_without_a_results_folder_workers_send_their_results_back(monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "TemporaryDirectory", _refused)
    got = list(workers.in_order([(k, 0.01, 0.01) for k in range(20)], _which, 1, _nothing, ()))
    assert [k for k, _ in got] == list(range(20)) and len({pid for _, pid in got}) == 2


def _named(k: int) -> str:
    return f"run {k}"


@pytest.mark.parametrize("folder", [True, False])
def test_results_that_are_strings_come_back_as_they_are(monkeypatch, folder):
    import tempfile

    if not folder:
        monkeypatch.setattr(tempfile, "TemporaryDirectory", _refused)
    got = list(workers.in_order([(k,) for k in range(20)], _named, 1, _nothing, ()))
    assert got == [f"run {k}" for k in range(20)]
