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

import ctypes
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterator, Sequence

from ..files import pid_alive

AHEAD = 3  # runs given to each worker at a time: one under way and two waiting
FOLDER_PREFIX = "classifier-batch-"  # results folders in the system's temporary directory
MARKER = ".classifier-batch"  # in each results folder: the id of the process that made it
_PR_SET_PDEATHSIG = 1

Score = Callable[..., Any]  # a module-level function, so that it can be sent to a worker


def in_order(runs: Sequence[tuple], score: Score, workers: int, initializer: Callable[..., None],
             initargs: tuple, lost: Score | None = None) -> Iterator[Any]:
    """``score(*run)`` of each of ``runs``, in order, with ``workers`` processes besides this one, each started
    with ``initializer(*initargs)`` (forked where that is safe, so they inherit what this process loaded).

    A worker that dies costs only the runs it held: they are given to a new pool once more, and a run lost
    twice comes back as ``lost(*run)`` (or is scored here when there is no ``lost``)."""
    clean_stale(tempfile.gettempdir())
    pool = _Pool(workers, initializer, initargs)
    folder = _results_folder()
    try:
        yield from _Shared(runs, score, pool, folder and folder.name, AHEAD * workers, lost or score).results()
    finally:  # the results are in (or the caller gave up): the workers exit while the caller goes on
        pool.close()
        folder and folder.cleanup()


def _context():
    """Fork where it exists and is safe (Linux): workers start at once with the model already loaded."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


class _Pool:
    """A process pool that can be started again after one of its workers died."""

    def __init__(self, workers: int, initializer: Callable[..., None], initargs: tuple) -> None:
        self.args = (workers, initializer, initargs)
        self.executor = self._started()

    def _started(self) -> ProcessPoolExecutor:
        workers, initializer, initargs = self.args
        return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_worker_started,
                                   initargs=(os.getpid(), initializer, initargs))

    def restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._started()

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _worker_started(parent: int, initializer: Callable[..., None], initargs: tuple) -> None:
    """A worker's first step: it asks to be ended with its parent, then runs ``initializer``."""
    ended_with_parent(parent)
    initializer(*initargs)


def ended_with_parent(parent: int) -> None:
    """Ask the kernel to send this process SIGTERM when its parent dies (Linux; elsewhere nothing), and exit
    at once if the parent ``parent`` is already gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the pool's own checks remain
            pass
    if os.getppid() != parent:
        os._exit(1)


def _results_folder() -> tempfile.TemporaryDirectory | None:
    """Where workers leave their results; None where no temporary folder can be made (they then send them)."""
    try:
        folder = tempfile.TemporaryDirectory(prefix=FOLDER_PREFIX, ignore_cleanup_errors=True)
    except OSError:
        return None
    try:
        with open(os.path.join(folder.name, MARKER), "w", encoding="ascii") as mark:
            mark.write(f"{os.getpid()}\n")
    except OSError:
        folder.cleanup()
        return None
    return folder


def clean_stale(directory: str) -> list[str]:
    """Remove the results folders left in ``directory`` by runs that were killed: only folders named as this
    module names them, holding its marker, owned by this user, and whose process is gone. Returns those removed.

    >>> clean_stale("/no/such/dir")
    []
    """
    removed = []
    try:
        names = [n for n in os.listdir(directory) if n.startswith(FOLDER_PREFIX)]
    except OSError:
        return removed
    for name in names:
        path = os.path.join(directory, name)
        if _stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _stale(path: str) -> bool:
    """Whether ``path`` is a results folder of ours whose process has ended."""
    try:
        if os.lstat(path).st_uid != os.getuid() or not os.path.isdir(path) or os.path.islink(path):
            return False
        with open(os.path.join(path, MARKER), encoding="ascii") as mark:
            pid = int(mark.read().strip())
    except (OSError, ValueError):
        return False
    return not pid_alive(pid)


class _Shared:
    """The results of ``runs`` in order. The pool is kept ``ahead`` unfinished runs, whose results it leaves in
    ``folder`` (or sends back); this process scores the rest. Once none is left to hand out, it takes back the
    last run given that no worker has started, rather than wait for it (see ``_claimed``)."""

    def __init__(self, runs, score: Score, pool: _Pool, folder: str | None, ahead: int, lost: Score) -> None:
        self.runs, self.score, self.pool, self.folder, self.ahead, self.lost = runs, score, pool, folder, ahead, lost
        self.pending, self.running, self.ready = list(range(len(runs)))[::-1], {}, {}
        self.tries: dict[int, int] = {}

    def results(self) -> Iterator[Any]:
        sent = 0
        with warnings.catch_warnings():  # the workers are forked at the first submit
            # Python 3.12+ warns that forking a process with threads (OpenBLAS's) may deadlock; ours only compute.
            warnings.filterwarnings("ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning)
            while sent < len(self.runs):
                self._hand_out()
                while sent in self.ready or (sent in self.running and self.running[sent].done()):
                    if self._taken(sent):
                        yield self.ready.pop(sent)
                        sent += 1
                k = self.pending.pop() if self.pending else _taken_back(self.running, self.folder)
                if k is not None:
                    self.ready[k] = self.score(*self.runs[k])
                elif sent in self.running and self._taken(sent):
                    yield self.ready.pop(sent)
                    sent += 1

    def _hand_out(self) -> None:
        while self.pending and sum(not f.done() for f in self.running.values()) < self.ahead:
            k = self.pending.pop()
            task = (_score_to_file, _result_path(self.folder, k), self.score) if self.folder else (self.score,)
            try:
                self.running[k] = self.pool.executor.submit(*task, *self.runs[k])
            except BrokenProcessPool:
                self.pending.append(k)
                self._recover()

    def _taken(self, k: int) -> bool:
        """Move run ``k``'s result into ``ready``; False (the pool restarted, the run handed out again) when a
        worker died."""
        if k in self.ready:
            return True
        try:
            result = self.running[k].result()  # from a worker: the file it left its result in, or the result
        except BrokenProcessPool:
            self._recover()
            return k in self.ready
        del self.running[k]
        self.ready[k] = _collected(result, self.score, self.runs[k]) if self.folder else result
        return True

    def _recover(self) -> None:
        """A worker died: a new pool, and every run the old one had is taken in, handed out again, or (held by a
        dying worker for the second time) given up as lost."""
        self.pool.restart()
        for k in sorted(self.running, reverse=True):
            future = self.running.pop(k)
            if future.done() and future.exception() is None:
                self.ready[k] = _collected(future.result(), self.score, self.runs[k]) if self.folder else future.result()
                continue
            path = self.folder and _result_path(self.folder, k)
            if path and os.path.exists(path):
                self.ready[k] = _collected(path, self.score, self.runs[k])
                continue
            held = not path or os.path.exists(path + ".claim")
            self.tries[k] = self.tries.get(k, 0) + held
            if self.tries[k] >= 2:
                self.ready[k] = self.lost(*self.runs[k])
                continue
            if path and held:
                os.remove(path + ".claim")
            self.pending.append(k)
        self.pending.sort(reverse=True)


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
    result = score(*run)
    with open(path + ".part", "wb") as out:  # whole or not at all: a worker may die while writing
        pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(path + ".part", path)
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
