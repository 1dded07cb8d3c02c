"""A batch spread over Dask workers (dask.distributed, the ``dask`` extra), its rows back in order.

    >>> for done in iter_predictions_dask(["a.txt", "b.txt"], address="tcp://10.0.0.5:8786"):  # doctest: +SKIP
    ...     print(done.name, len(done.rows))

Without an address a ``LocalCluster`` is started on this machine (one single-threaded worker process
per core, on 127.0.0.1, no dashboard) and closed at the end. Each worker loads the model and the
tokenizer's dictionary once, when it joins (a worker plugin), and then scores runs of files as
``--jobs`` does: the files are read by the workers, so on a real cluster they must see the same
paths (a shared file system); standard input is read here and sent. Results come back in the
order of the files, with at most a few runs per worker under way, so memory stays flat however
many files there are. A worker lost mid-run costs only its runs, which the scheduler gives to
another worker (Dask's own rescheduling); an error raised in a run is retried once.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..errors import MissingExtraError, UsageError
from .batch import GROUP, FileRows, _init_worker, _predict_chunk, _stdin_text
from .workers import AHEAD


def _distributed():
    try:
        import distributed
    except ImportError:
        raise MissingExtraError("--dask", "needs dask.distributed; install it with: pip install 'classifier[dask]'") \
            from None
    return distributed


def check_dask() -> None:
    """Raise MissingExtraError now, before any work, when dask.distributed is not installed."""
    _distributed()


def _model_plugin(model: str | None):
    """A worker plugin that loads the model and the tokenizer once per worker, as it joins."""
    distributed = _distributed()

    class LoadModel(distributed.WorkerPlugin):
        name = "classifier-model"

        def __init__(self, model_path: str | None) -> None:
            self.model_path = model_path

        def setup(self, worker: Any) -> None:
            _init_worker(self.model_path)

    return LoadModel(model)


def local_cluster(workers: int | None = None, **options: Any):
    """A ``LocalCluster`` of single-threaded worker processes on 127.0.0.1 (one per core), no dashboard."""
    distributed = _distributed()
    settings = {"n_workers": workers or os.cpu_count() or 1, "threads_per_worker": 1, "processes": True,
                "host": "127.0.0.1", "dashboard_address": None, **options}
    return distributed.LocalCluster(**settings)


def iter_predictions_dask(files: Sequence[str], model: str | None = None, sentences: bool = False, *,
                          address: str | None = None, client: Any = None,
                          progress: Callable[[str, int, int], None] | None = None) -> Iterator[FileRows]:
    """Each file's rows, in order, as ``iter_predictions`` gives them, scored on Dask workers: those of
    ``client``, or of the scheduler at ``address``, or of a cluster started here for the batch."""
    distributed = _distributed()
    own_cluster = local_cluster() if client is None and not address else None
    try:
        own_client = None
        if client is None:
            try:
                own_client = client = distributed.Client(address or own_cluster, set_as_default=False)
            except (OSError, TimeoutError) as error:
                raise UsageError("--dask", f"cannot reach the scheduler at {address}: {error}") from None
        try:
            yield from _ordered(client, list(files), _model_path(model), sentences, progress)
        finally:
            own_client and own_client.close()
    finally:
        own_cluster and own_cluster.close()


def _model_path(model: str | None) -> str | None:
    """The model directory as workers elsewhere see it (absolute), or None for the bundled one."""
    return None if model is None else str(Path(model).absolute())


def _ordered(client: Any, files: list[str], model: str | None, sentences: bool,
             progress: Callable[[str, int, int], None] | None) -> Iterator[FileRows]:
    client.register_plugin(_model_plugin(model))
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = max(1, min(GROUP, len(files) // (workers * 4) or 1))
    texts = [_stdin_text() if name == "-" else None for name in files]
    names = [name if name == "-" else str(Path(name).absolute()) for name in files]  # workers read the files
    runs = [(i, min(size, len(files) - i)) for i in range(0, len(files), size)]
    futures, done, next_run = [], 0, 0
    while done < len(files):
        while next_run < len(runs) and len(futures) < AHEAD * workers:
            i, n = runs[next_run]
            futures.append(client.submit(_predict_chunk, names[i:i + n], model, sentences, texts[i:i + n],
                                         pure=False, retries=1))
            next_run += 1
        scored = futures.pop(0).result()
        for rows, error, last in scored.results():
            if names[done] != files[done]:  # the name as given, not as the worker read it
                for row in rows:
                    row["file"] = files[done]
                error = error and type(error)(files[done], error.problem)
            yield FileRows(files[done], rows, error, last)
            done += last
            last and progress and progress("classifying", done, len(files))
