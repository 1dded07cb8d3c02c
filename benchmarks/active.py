"""The labelling loop simulated on the corpus: which units to label, and how much the user's units should weigh.

    python -m benchmarks.active                 # about 10 minutes on 2 cores; writes a section of RESULTS.md
    python -m benchmarks.active --no-write      # print only

A group of reports that differ from the rest stands in for the user's reports: those whose
reports.csv notes say "published style (W13)", or, while the corpus has none, the department
reports. The model is trained on the other reports; then, for n = 25, 50, 100, 200, n units of
the held-out reports are chosen (``classifier suggest``'s rule, ``--strategy uncertainty``,
against ``random`` with several seeds), the model is trained again on the other reports plus
those n labelled units (their reports' context kept, each unit weighing K), and it is scored
on the held-out reports' *other* units. The gain is the accuracy over that of the model trained
without them, on the same units.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

from benchmarks.report import publish
from classifier.config import DEFAULTS
from classifier.corpus.corpus import Report, load_corpus
from classifier.model.pipeline import config_for, fit, training_set
from classifier.run.suggest import Task, choose

ROOT = Path(__file__).resolve().parents[1]
SIZES = (25, 50, 100, 200)
SEEDS = (0, 1, 2)
WEIGHTS = (1, 3)
C = 0.1  # the bundled model's C, fixed so that each run trains once
BEGIN, END = "<!-- BEGIN: active learning -->", "<!-- END: active learning -->"


def split(reports: list[Report]) -> tuple[list[Report], list[Report], str]:
    """(the rest, the held-out group, what the group is)."""
    held = [r for r in reports if "published style (W13)" in (r.meta.get("notes") or "")]
    what = 'reports whose notes say "published style (W13)"'
    if not held:
        held, what = [r for r in reports if r.meta.get("level") == "department"], "the department reports"
    ids = {r.id for r in held}
    return [r for r in reports if r.id not in ids], held, what


def pool(model, held: list[Report]) -> tuple[list[Task], list, list[str]]:
    """Every held-out unit as a task with the model's guess, their records (in context) and labels."""
    data = training_set(held)
    proba = model.predict_proba(data.records)
    labels = list(model.classes_)
    tasks, k = [], 0
    for report in held:
        for unit in report.units:
            top = np.sort(proba[k])[::-1]
            best = labels[int(np.argmax(proba[k]))]
            tasks.append(Task(report.id, unit.start, unit.end, unit.text, unit.heading, "", "", best,
                              float(top[0]), float(top[0] - top[1])))
            k += 1
    return tasks, data.records, data.labels


def retrained_accuracy(rest: list[Report], held: list[Report], chosen: list[Task], weight: int, config,
                       records: list, labels: list[str], tasks: list[Task]) -> float:
    """Accuracy on the held-out units not chosen, of a model trained on the rest plus the chosen units."""
    spans = {(t.file, t.start) for t in chosen}
    partial = [Report(r.id, r.text, tuple(u for u in r.units if (r.id, u.start) in spans), r.meta) for r in held]
    extra = [r for r in partial if r.units] * weight
    model, _ = fit(training_set(rest + extra), config, C=C)
    return accuracy(model, records, labels, tasks, chosen)


def accuracy(model, records: list, labels: list[str], tasks: list[Task], chosen: list[Task]) -> float:
    """Accuracy of ``model`` on the held-out units not chosen."""
    spans = {(t.file, t.start) for t in chosen}
    test = [i for i, t in enumerate(tasks) if (t.file, t.start) not in spans]
    pred = model.predict([records[i] for i in test])
    return float(np.mean([p == labels[i] for p, i in zip(pred, test)]))


def run(sizes=SIZES, seeds=SEEDS, weights=WEIGHTS) -> dict:
    config = config_for(DEFAULTS, jobs=0)
    rest, held, what = split(load_corpus(ROOT / "data"))
    base, _ = fit(training_set(rest), config, C=C)
    tasks, records, labels = pool(base, held)
    out = {"group": what, "reports": len(held), "units": len(tasks), "seeds": len(seeds), "runs": []}
    for n in sizes:
        for strategy, strategy_seeds in (("uncertainty", (0,)), ("random", seeds)):
            for seed in strategy_seeds:
                chosen = choose(tasks, n, strategy, seed)
                before = accuracy(base, records, labels, tasks, chosen)
                for weight in weights:
                    after = retrained_accuracy(rest, held, chosen, weight, config, records, labels, tasks)
                    out["runs"].append({"n": n, "strategy": strategy, "seed": seed, "weight": weight,
                                        "before": before, "after": after, "gain": after - before})
                    print(f"n={n} {strategy} seed={seed} K={weight}: {before:.3f} -> {after:.3f}", file=sys.stderr)
    return out


def gain(result: dict, n: int, strategy: str, weight: int) -> float:
    return statistics.mean(r["gain"] for r in result["runs"]
                           if r["n"] == n and r["strategy"] == strategy and r["weight"] == weight)


def markdown(result: dict, sizes=SIZES, weights=WEIGHTS) -> str:
    best = max(weights, key=lambda w: sum(gain(result, n, "uncertainty", w) for n in sizes))
    lines = [BEGIN, "## Labelling your own reports: which units, and how much they weigh", "",
             f"`python -m benchmarks.active`: the user's reports are played by {result['group']} "
             f"({result['reports']} reports, {result['units']} units), held out of training. The gain is the "
             "accuracy on the held-out reports' units that were not labelled, of the model trained on the "
             "other reports plus the n labelled units (each weighing K), minus that of the model trained "
             f"without them; random is the mean of {result['seeds']} seeds. C fixed at {C}.", "",
             "| n | " + " | ".join(f"uncertainty, K={w} | random, K={w}" for w in weights) + " |",
             "|---|" + "---|---|" * len(weights)]
    for n in sizes:
        lines.append(f"| {n} | " + " | ".join(f"{gain(result, n, 'uncertainty', w):+.3f} | {gain(result, n, 'random', w):+.3f}"
                                             for w in weights) + " |")
    hit = gain(result, 100, "uncertainty", best) >= gain(result, 200, "random", best) if {100, 200} <= set(sizes) else None
    before = statistics.mean(r["before"] for r in result["runs"] if r["n"] == min(sizes))
    lines += ["", f"Accuracy on the held-out reports before any of their units is labelled: {before:.3f}. "
              f"The weight with the largest gains summed over n (uncertainty sampling) is K = {best}.",
              f"Target: uncertainty sampling with 100 units gains at least as much as random sampling with 200 "
              f"(at K = {best}): {'met' if hit else 'not met'} ({gain(result, 100, 'uncertainty', best):+.3f} against "
              f"{gain(result, 200, 'random', best):+.3f}).", "",
              "Each gain is measured on the held-out units left unlabelled, so the units uncertainty sampling "
              "takes (the model's likeliest mistakes) leave its test set with it: its accuracy before retraining "
              "is higher than random's, and less is left to gain. A gain of 0.001 is about "
              f"{result['units'] / 1000:.1f} units of the held-out reports.", END, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.active", description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--weights", type=int, nargs="+", default=list(WEIGHTS))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="seeds of random sampling")
    args = parser.parse_args(argv)
    result = run(tuple(args.sizes), tuple(args.seeds), tuple(args.weights))
    text = markdown(result, tuple(args.sizes), tuple(args.weights))
    publish(text, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
