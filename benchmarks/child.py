"""What the benchmark runs in fresh processes; each task prints one line of JSON.

    python -m benchmarks.child throughput plain MODEL FILELIST
    python -m benchmarks.child throughput ours - FILELIST --jobs 2 [--no-reuse] [--jieba-only]
    python -m benchmarks.child throughput ours - FILELIST --share 1/2 --start-at GO   # one of two side by side
    python -m benchmarks.child throughput ours - FILELIST --load-only   # what a run costs before its first file
    python -m benchmarks.child f1 plain|fasttext|ours
    python -m benchmarks.child check
    python -m benchmarks.child calibrate
    python -m benchmarks.child backends

Throughput is timed in-process from the first file to the last label, after the model is
loaded (cold start is measured separately). ``--no-reuse`` clears this project's text caches
before every file, so that the repeated reports of the workload are not served from memory.
``--share K/N`` takes the K-th of N consecutive parts of the file list, and ``--start-at GO``
waits, once loaded, until the file GO exists: how the harness starts two processes on the
two halves at the same moment.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from benchmarks.harness import ROOT, ready_marker


def throughput(system: str, model: str, files: list[str], jobs: int = 1, reuse: bool = True,
               jieba_only: bool = False, start_at: str | None = None, load_only: bool = False) -> dict:
    if system == "ours":
        if jieba_only:  # as installed without the `fast` extra: jieba cuts every text
            from classifier.model import tokens

            tokens.Segmenter.switch_after = 1 << 62
        return _ours(files, jobs, reuse, start_at, load_only)
    module = _baseline(system)
    loaded = module.load(model)
    module.jieba.initialize()  # the dictionary is part of loading, as for the other systems
    if load_only:
        return {"files": len(files)}
    start = time.perf_counter()
    units = sum(len(module.predict_file(loaded, path)) for path in files)
    return {"seconds": time.perf_counter() - start, "units": units, "files": len(files)}


def _ours(files: list[str], jobs: int, reuse: bool, start_at: str | None = None, load_only: bool = False) -> dict:
    from classifier.run import batch
    from classifier.model import records, tokens

    batch._load(None)
    # Loading, as jieba.initialize() is for the baselines: the dictionary, and rjieba given it
    # (predict_files does this itself for a batch this size; here it happens before the clock starts).
    tokens._tokenizer().expect(batch.UNITS_PER_REPORT * len(files))
    if not reuse:
        read = batch._source_text

        def cold(name):
            records.clear_caches()
            return read(name)

        batch._source_text = cold  # forked workers inherit the patch
    if load_only:  # what benchmarks.instructions takes away from a run's count
        return {"files": len(files)}
    if start_at:
        _wait_for(Path(start_at))
    start, cpu = time.perf_counter(), time.process_time()
    result = batch.predict_files(files, jobs=jobs)
    end, cpu = time.perf_counter(), time.process_time() - cpu
    if result.errors:
        raise SystemExit(f"errors: {result.errors[:3]}")
    # perf_counter is the system's monotonic clock on Linux, so the harness can compare two processes' stamps
    return {"seconds": end - start, "units": len(result.rows), "files": len(files), "start": start, "end": end,
            "processor_seconds": cpu + _workers_processor_seconds()}


def _workers_processor_seconds() -> float:
    """The processor time of the workers ``--jobs`` started (forked after the clock started), once they have
    ended; NaN where the system does not tell."""
    import multiprocessing

    try:
        import resource
    except ImportError:
        return float("nan")
    for worker in multiprocessing.active_children():
        worker.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wait_for(go: Path) -> None:
    """Say this process is loaded (``GO.ready-PID``), then wait until ``go`` exists."""
    ready_marker(go, os.getpid()).touch()
    while not go.exists():
        time.sleep(0.0002)


def share(files: list[str], spec: str) -> list[str]:
    """The K-th (from 1) of N consecutive parts of ``files``, for ``spec`` "K/N"; the parts differ by one file at most.

    >>> share(list("abcde"), "1/2"), share(list("abcde"), "2/2")
    (['a', 'b', 'c'], ['d', 'e'])
    """
    k, n = map(int, spec.split("/"))
    if not 1 <= k <= n:
        raise SystemExit(f"--share: K/N with 1 ≤ K ≤ N, got {spec!r}")
    size, extra = divmod(len(files), n)
    begin = (k - 1) * size + min(k - 1, extra)
    return files[begin:begin + size + (k <= extra)]


def _baseline(system: str):
    if system == "plain":
        from benchmarks import plain_script

        return plain_script
    from benchmarks import fasttext_script

    return fasttext_script


def f1(system: str) -> dict:
    """Macro-F1 over out-of-fold predictions, on the report-grouped folds the project's evaluation uses."""
    from classifier.config import DEFAULTS
    from classifier.corpus.corpus import load_corpus
    from classifier.evaluation.evaluate import cross_validate, scores
    from classifier.model.pipeline import config_for, group_folds, training_set
    from classifier.run.predict import load_model

    config = config_for(DEFAULTS, folds=5, seed=0)
    reports = load_corpus(ROOT / "data")
    if system == "ours":
        metrics = cross_validate(reports, config, C=load_model().card["training"]["C"])
        return {"macro_f1": metrics["model.macro_f1"], "evaluate_plain_macro_f1": metrics["plain.macro_f1"]}
    data = training_set(reports)
    texts, labels = [r["text"] for r in data.records], data.labels
    module, predicted = _baseline(system), [""] * len(labels)
    for train, test in group_folds(data, config.folds, config.seed):
        fitted = _fit(system, module, [texts[i] for i in train], [labels[i] for i in train])
        for i, label in zip(test, _predict(system, module, fitted, [texts[i] for i in test])):
            predicted[i] = str(label)
    return {"macro_f1": scores(labels, predicted, sorted(set(labels)), "x")["x.macro_f1"]}


def _fit(system: str, module, texts: list[str], labels: list[str]):
    return module.build().fit(texts, labels) if system == "plain" else module.fit(texts, labels)


def _predict(system: str, module, fitted, texts: list[str]) -> list[str]:
    return list(fitted.predict(texts)) if system == "plain" else module.predict_texts(fitted, texts)


def _spin(n: int = 5_000_000) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _spun(n: int = 5_000_000) -> float:
    """The processor seconds ``_spin(n)`` takes."""
    start = time.process_time()
    _spin(n)
    return time.process_time() - start


def calibrate() -> dict:
    """How this machine scales pure-Python work over two processes (the ceiling for --jobs 2), and how much more
    processor time the same work takes when two processes run at once."""
    import multiprocessing

    start = time.perf_counter()
    alone = _spun() + _spun()
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn").Pool(2) as pool:
        start = time.perf_counter()
        together = sum(pool.map(_spun, [5_000_000, 5_000_000]))
        parallel = time.perf_counter() - start
    return {"serial_seconds": serial, "two_process_seconds": parallel, "scaling": serial / parallel,
            "processor_ratio": together / alone}


def check() -> dict:
    """The fast scorer against the scikit-learn Pipeline of the same model, on every unit of every report."""
    import numpy as np

    from classifier.run.predict import load_model
    from classifier.read.reading import read_document
    from classifier.model.records import sentence_records, unit_records
    from classifier.units.segments import segment

    model = load_model()
    worst, units, same = 0.0, 0, True
    for path in sorted((ROOT / "data" / "reports").iterdir()):
        found = segment(read_document(path).text)
        for records in (unit_records(found), sentence_records(u.text for u in found)):
            fast, reference = model._scorer.predict_proba(records), model.pipeline.predict_proba(records)
            worst = max(worst, float(np.abs(fast - reference).max()))
            same = same and bool((fast.argmax(axis=1) == reference.argmax(axis=1)).all())
        units += len(found)
    return {"units": units, "max_abs_difference": worst, "allclose_1e-9": worst <= 1e-9, "same_labels": same}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.child")
    parser.add_argument("task", choices=("throughput", "f1", "check", "backends", "calibrate"))
    parser.add_argument("system", nargs="?")
    parser.add_argument("model", nargs="?")
    parser.add_argument("filelist", nargs="?")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--no-reuse", action="store_true")
    parser.add_argument("--jieba-only", action="store_true", help="ours without rjieba (the `fast` extra)")
    parser.add_argument("--share", help="K/N: only the K-th of N consecutive parts of the file list")
    parser.add_argument("--start-at", help="once loaded, wait until this file exists before starting the clock")
    parser.add_argument("--load-only", action="store_true", help="load as for the run, then stop")
    args = parser.parse_args(argv)
    if args.task == "throughput":
        files = Path(args.filelist).read_text(encoding="utf-8").splitlines()
        files = share(files, args.share) if args.share else files
        out = throughput(args.system, args.model, files, args.jobs, not args.no_reuse, args.jieba_only, args.start_at,
                         args.load_only)
    elif args.task == "f1":
        out = f1(args.system)
    elif args.task == "check":
        out = check()
    elif args.task == "calibrate":
        out = calibrate()
    else:
        from benchmarks.backends import compare

        out = compare()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
