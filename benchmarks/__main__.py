"""Measure this project against what a user would use instead, in one run on one machine.

    python -m benchmarks                 # about 10–15 minutes on 2 cores
    python -m benchmarks --reps 1 --copies 1 --skip-f1    # a quick look (figures not kept)
    python -m benchmarks --report-only    # RESULTS.md and the README table again from results.json

Systems: the plain script (``TfidfVectorizer(tokenizer=jieba.lcut)`` + ``LinearSVC``,
benchmarks/plain_script.py), fastText on jieba words (benchmarks/fasttext_script.py, needs
``pip install '.[bench]'``), and ``classifier`` in one process and with ``--jobs 2``.
Writes benchmarks/results.json and benchmarks/RESULTS.md, and refreshes the table in
README.md. Every timed run is a fresh process; repetitions of the systems are interleaved.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import report
from benchmarks.harness import (HALVES, ROOT, SAMPLE, child, console_script, figure, machine, python, run, side_by_side,
                                size_mb, source_state, workload)
from benchmarks.targets import notes, targets

HERE = Path(__file__).resolve().parent


def log(message: str) -> None:
    print(message, flush=True)


def training(tmp: Path, reps: int, systems: list[str], figures: dict) -> dict[str, Path]:
    """Train each system on the full corpus ``reps`` times; keep the last models."""
    c = json.loads((ROOT / "models" / "default" / "metadata.json").read_text(encoding="utf-8"))["training"]["C"]
    commands = {
        "plain": (tmp / "plain.pkl", lambda out: python("-m", "benchmarks.plain_script", "train", ROOT / "data", out)),
        "fasttext": (tmp / "fasttext.bin", lambda out: python("-m", "benchmarks.fasttext_script", "train", ROOT / "data", out)),
        "ours": (tmp / "ours", lambda out: python("-m", "classifier.cli", "train", "--data", ROOT / "data", "--output", out, "-q")),
        "ours_fixed_c": (tmp / "ours-c", lambda out: python("-m", "classifier.cli", "train", "--data", ROOT / "data",
                                                             "--output", out, "--C", c, "-q")),
    }
    seconds: dict[str, list[float]] = {}
    for rep in range(reps):
        for system in [s for s in commands if s.removesuffix("_fixed_c") in systems]:
            out, command = commands[system]
            seconds.setdefault(system, []).append(run(command(out)).seconds)
            log(f"training {system:13s} run {rep + 1}: {seconds[system][-1]:.1f} s")
    figures["training_s"] = {s: figure(v, "s") for s, v in seconds.items() if s != "ours_fixed_c"}
    fixed = figure(seconds["ours_fixed_c"], "s")
    figures["training_fixed_c_s"] = {"ours": fixed}
    figures["training_s_note"] = {"ours": f"C chosen by 5-fold CV (`classifier train`); {fixed['median']:.1f} s with --C {c}"}
    models = {s: commands[s][0] for s in ("plain", "fasttext", "ours") if s in systems}
    figures["model_mb"] = {s: figure([size_mb(p)], "MB") for s, p in models.items()}
    return models


def cold_start(models: dict[str, Path], reps: int, figures: dict) -> None:
    """One fresh process classifying the sample report; one untimed run first fills the OS and dictionary caches."""
    commands = {
        "plain": python("-m", "benchmarks.plain_script", "predict", models.get("plain", ""), SAMPLE),
        "fasttext": python("-m", "benchmarks.fasttext_script", "predict", models.get("fasttext", ""), SAMPLE),
        "ours": python("-m", "classifier.cli", "predict", SAMPLE, "-q", "--format", "jsonl"),
    }
    script = console_script()
    if script:
        commands["ours_console_script"] = [str(script), "predict", str(SAMPLE), "-q", "--format", "jsonl"]
    commands = {s: c for s, c in commands.items() if s.split("_console")[0] in models}
    for command in commands.values():
        run(command)
    seconds: dict[str, list[float]] = {}
    for rep in range(reps):
        for system, command in commands.items():
            seconds.setdefault(system, []).append(run(command).seconds)
            log(f"cold start {system:20s} run {rep + 1}: {seconds[system][-1]:.2f} s")
    figures["cold_start_s"] = {s: figure(v, "s") for s, v in seconds.items()}


def throughput(models: dict[str, Path], listing: Path, work: dict, reps: int, figures: dict) -> None:
    """Each system classifies the whole workload in a fresh process; ours also with --jobs 2, without reuse, and as
    two processes side by side on half of the files each (what --jobs 2 is to be measured against)."""
    runs = {"plain": ("plain", models.get("plain"), []), "fasttext": ("fasttext", models.get("fasttext"), []),
            "ours": ("ours", "-", []), "ours_jobs": ("ours", "-", ["--jobs", "2"]), "ours_halves": ("ours", "-", HALVES),
            "ours_no_reuse": ("ours", "-", ["--no-reuse"]), "ours_jobs_no_reuse": ("ours", "-", ["--jobs", "2", "--no-reuse"]),
            "ours_halves_no_reuse": ("ours", "-", [h + ["--no-reuse"] for h in HALVES]),
            "ours_jieba_only": ("ours", "-", ["--jieba-only"]),
            "ours_jieba_only_no_reuse": ("ours", "-", ["--jieba-only", "--no-reuse"])}
    runs = {k: v for k, v in runs.items() if v[0] in models}
    rates: dict[str, list[float]] = {}
    memory: dict[str, list[float]] = {}
    processor: dict[str, list[float]] = {}
    scaling: list[float] = []
    loop_processor: list[float] = []
    for rep in range(reps):
        calibrated, _ = child("calibrate")
        scaling.append(calibrated["scaling"])
        loop_processor.append(calibrated["processor_ratio"])
        log(f"machine    pure-Python loop on 2 processes  run {rep + 1}: {scaling[-1]:.2f}× one process, "
            f"{loop_processor[-1]:.2f}× its processor time")
        for name, (system, model, extra) in runs.items():
            seconds, units, peak, cpu = _timed([system, str(model), str(listing)], extra, listing.with_name(f"go-{rep}-{name}"))
            rates.setdefault(name, []).append(work["units"] / seconds)
            memory.setdefault(name, []).append(peak)
            if cpu is not None:
                processor.setdefault(name, []).append(cpu)
            log(f"throughput {name:24s} run {rep + 1}: {seconds:.2f} s, {rates[name][-1]:,.0f} units/s, "
                f"{units} units labelled, peak {peak:.0f} MB" + (f", {cpu:.2f} s of processor time" if cpu is not None else ""))
    figures["machine_scaling"] = {"ours_jobs": figure(scaling, "×")}
    figures["machine_processor_ratio"] = {"ours_jobs": figure(loop_processor, "×")}
    figures["processor_s"] = {k: figure(v, "s") for k, v in processor.items() if "jieba_only" not in k}
    plain_like = {k: figure(v, "units/s") for k, v in rates.items() if k in ("plain", "fasttext")}
    shown = {k: v for k, v in rates.items() if "jieba_only" not in k}
    figures["throughput_units_per_s"] = {k: figure(v, "units/s") for k, v in shown.items() if "no_reuse" not in k}
    figures["throughput_no_reuse_units_per_s"] = {**plain_like, **{k.removesuffix("_no_reuse"): figure(v, "units/s")
                                                                   for k, v in shown.items() if "no_reuse" in k}}
    figures["throughput_jieba_only_units_per_s"] = {k: figure(v, "units/s") for k, v in rates.items() if "jieba_only" in k}
    figures["peak_memory_mb"] = {k: figure(v, "MB") for k, v in memory.items()
                                 if "no_reuse" not in k and "jieba" not in k and "halves" not in k}


def _timed(args: list[str], extra: list, go: Path) -> tuple[float, int, float, float | None]:
    """Seconds, units labelled, peak MB and processor seconds (None for a baseline) of one throughput run; ``extra``
    as a list of lists runs one process per list side by side, timed from the first one's start to the last one's end."""
    if not extra or isinstance(extra[0], str):
        out, result = child("throughput", *args, *extra)
        return out["seconds"], out["units"], result.peak_mb, out.get("processor_seconds")
    done = side_by_side([["throughput", *args, *part] for part in extra], go)
    seconds = max(out["end"] for out, _ in done) - min(out["start"] for out, _ in done)
    return (seconds, sum(out["units"] for out, _ in done), max(result.peak_mb for _, result in done),
            sum(out["processor_seconds"] for out, _ in done))


def macro_f1(systems: list[str], reps: int, figures: dict, extra: dict) -> None:
    """Out-of-fold macro-F1 on the same report-grouped folds (model.group_folds, 5 folds, seed 0)."""
    scores: dict[str, list[float]] = {}
    for rep in range(reps):
        for system in systems:
            out, _ = child("f1", system)
            scores.setdefault(system, []).append(out["macro_f1"])
            if "evaluate_plain_macro_f1" in out:
                extra["evaluate_plain_macro_f1"] = out["evaluate_plain_macro_f1"]
            log(f"macro-F1   {system:20s} run {rep + 1}: {out['macro_f1']:.4f}")
    figures["macro_f1"] = {s: figure(v, "macro-F1") for s, v in scores.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of every figure (default 3)")
    parser.add_argument("--copies", type=int, default=6, help="copies of the corpus in the workload (default 6)")
    parser.add_argument("--skip-f1", action="store_true", help="skip the cross-validated macro-F1 (the slowest part)")
    parser.add_argument("--output", type=Path, default=HERE, help="where results.json and RESULTS.md go")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: judge the targets and rewrite RESULTS.md and the README table from results.json")
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((args.output / "results.json").read_text(encoding="utf-8"))
        return _report(results, args.output)
    results = {"command": "python -m benchmarks", "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "source": source_state(), "repetitions": args.reps, "figures": {}, "extra": {}}
    figures, extra = results["figures"], results["extra"]
    systems = ["plain", "ours"]
    extra["fasttext"] = _fasttext_available()
    if extra["fasttext"]["available"]:
        systems.insert(1, "fasttext")
    with tempfile.TemporaryDirectory(prefix="classifier-bench-") as tmp:
        listing, results["workload"] = workload(Path(tmp), args.copies)
        log(f"workload: {results['workload']}")
        models = training(Path(tmp), args.reps, systems, figures)
        cold_start(models, args.reps, figures)
        throughput(models, listing, results["workload"], args.reps, figures)
    if not args.skip_f1:
        macro_f1(systems, args.reps, figures, extra)
    extra["predictions"], _ = child("check")
    log(f"predictions: {extra['predictions']}")
    extra["tokenizer_backends"], _ = child("backends")
    at_end = source_state()  # the code may have changed while the run went on
    results["source"]["changes"] = sorted(set(results["source"]["changes"]) | set(at_end["changes"]))
    if at_end["commit"] != results["source"]["commit"]:
        results["source"]["commit"] += f", then {at_end['commit']}"
    return _report(results, args.output)


def _report(results: dict, output: Path) -> int:
    results["targets"], results["notes"] = targets(results), notes(results)
    output.mkdir(parents=True, exist_ok=True)
    (output / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(report.write(results, output, ROOT / "README.md" if output == HERE else output / "README.md"))
    return 0


def _fasttext_available() -> dict:
    from benchmarks.fasttext_script import SETTINGS

    if importlib.util.find_spec("fasttext") is None:
        return {"available": False, "error": "fasttext is not installed: pip install '.[bench]'", "settings": SETTINGS}
    check = run(python("-c", "import fasttext"), check=False)
    error = None if check.returncode == 0 else "import fasttext failed"
    return {"available": error is None, "error": error, "settings": SETTINGS}


if __name__ == "__main__":
    sys.exit(main())
