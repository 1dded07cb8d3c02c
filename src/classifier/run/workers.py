"""Runs of work scored over several processes, the results in order: this process and its workers.

    >>> for scored in in_order(runs, score, 1, load, (None,)):   # doctest: +SKIP
    ...     print(scored)                                        # score(*runs[0]), score(*runs[1]), …

This process is one of the processes: it scores runs itself while the workers' runs are under
way, so only the workers' results cross between processes. A worker leaves each result in a
file of a temporary folder and goes on to its next run without waiting for this process to
take it in. Once no runs are left to hand out, this process takes back the runs a worker was
given and has not started, rather than wait for it to get to them.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, Sequence

AHEAD = 3  # runs given to each worker at a time: one under way and two waiting

Score = Callable[..., Any]  # a module-level function, so that it can be sent to a worker


def in_order(runs: Sequence[tuple], score: Score, workers: int, initializer: Callable[..., None],
             initargs: tuple) -> Iterator[Any]:
    """``score(*run)`` of each of ``runs``, in order, with ``workers`` processes besides this one, each started
    with ``initializer(*initargs)`` (forked where that is safe, so they inherit what this process loaded)."""
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=initializer, initargs=initargs)
    folder = _results_folder()
    try:
        yield from _shared(runs, score, pool, folder and folder.name, ahead=AHEAD * workers)
    finally:  # the results are in (or the caller gave up): the workers exit while the caller goes on
        pool.shutdown(wait=False, cancel_futures=True)
        folder and folder.cleanup()


def _context():
    """Fork where it exists and is safe (Linux): workers start at once with the model already loaded."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _results_folder() -> tempfile.TemporaryDirectory | None:
    """Where workers leave their results; None where no temporary folder can be made (they then send them)."""
    try:
        return tempfile.TemporaryDirectory(prefix="classifier-batch-", ignore_cleanup_errors=True)
    except OSError:
        return None


def _shared(runs: Sequence[tuple], score: Score, pool: ProcessPoolExecutor, folder: str | None, ahead: int):
    """The results of ``runs`` in order. The pool is kept ``ahead`` unfinished runs, whose results it leaves in
    ``folder`` (or sends back); this process scores the rest. Once none is left to hand out, it takes back the last
    run given that no worker has started, rather than wait for it (see ``_claimed``)."""
    pending, running, ready, sent = list(range(len(runs)))[::-1], {}, {}, 0

    def take(k: int) -> Any:
        if k in ready:
            return ready.pop(k)
        result = running.pop(k).result()  # from a worker: the file it left its result in, or the result
        return _collected(result, score, runs[k]) if folder else result

    with warnings.catch_warnings():  # the workers are forked at the first submit
        # Python 3.12+ warns that forking a process with threads (OpenBLAS's) may deadlock; ours only compute.
        warnings.filterwarnings("ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning)
        while sent < len(runs):
            while pending and sum(not f.done() for f in running.values()) < ahead:
                k = pending.pop()
                task = (_score_to_file, _result_path(folder, k), score) if folder else (score,)
                running[k] = pool.submit(*task, *runs[k])
            while sent in ready or (sent in running and running[sent].done()):
                yield take(sent)
                sent += 1
            k = pending.pop() if pending else _taken_back(running, folder)
            if k is not None:
                ready[k] = score(*runs[k])
            elif sent in running:
                yield take(sent)
                sent += 1


def _result_path(folder: str, k: int) -> str:
    return os.path.join(folder, f"{k}.pickle")


def _taken_back(running: dict, folder: str | None) -> int | None:
    """The last run handed to the workers, now this process's (out of ``running``), if none has started it; else
    None. Workers start runs in the order given, so when the last has started, so have all the others."""
    k = max(running, default=None)
    if k is None or folder is None or running[k].done() or not _claimed(_result_path(folder, k)):
        return None
    del running[k]
    return k


def _claimed(path: str) -> bool:
    """Whether this process is the first to ask for the run whose result goes to ``path``: the worker that
    starts it, or this process taking it back. The claim is a file, made only if it is not there yet."""
    try:
        os.close(os.open(path + ".claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except OSError:
        return False
    return True


def _score_to_file(path: str, score: Score, *run) -> str | None:
    """A worker's run, scored and pickled to ``path``, which is what it sends back; None, doing nothing, if the
    run was taken back.

    A run's result (a few hundred kilobytes for a run of reports) sent through the pool's pipe would
    keep the worker waiting until this process, busy with runs of its own, took it all in."""
    if not _claimed(path):
        return None
    with open(path, "wb") as out:
        pickle.dump(score(*run), out, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _collected(path: str | None, score: Score, run: tuple) -> Any:
    """The result a worker left in the file ``path`` (read, and the file then goes); or, where the worker could
    not claim the run (None), the run scored here."""
    if path is None:
        return score(*run)
    with open(path, "rb") as saved:
        scored = pickle.load(saved)
    os.remove(path)
    return scored
