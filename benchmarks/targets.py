"""The issue's targets, checked against the measured figures, and the notes that go under the table."""
from __future__ import annotations

import statistics

from benchmarks.harness import SYSTEMS


def _median(results: dict, key: str, system: str) -> float | None:
    fig = results["figures"].get(key, {}).get(system)
    return fig["median"] if fig else None


def _ratio(results: dict, key: str, a: str, b: str) -> float | None:
    x, y = _median(results, key, a), _median(results, key, b)
    return x / y if x is not None and y else None


def _paired(results: dict, key: str, a: str, b: str) -> tuple[float, float, float] | None:
    """``a`` over ``b`` in each repetition (the two ran one after the other): the median, lowest and highest.

    The machine's speed drifts between repetitions, and each repetition runs every system, so these
    ratios hold steadier than the ratio of the two medians."""
    x, y = (results["figures"].get(key, {}).get(s) for s in (a, b))
    if not x or not y or len(x["repetitions"]) != len(y["repetitions"]):
        return None
    return _summary([p / q for p, q in zip(x["repetitions"], y["repetitions"]) if q])


def _spread(results: dict, key: str, system: str) -> tuple[float, float, float] | None:
    """A figure's median, lowest and highest over the repetitions."""
    fig = results["figures"].get(key, {}).get(system)
    return _summary(fig["repetitions"] if fig else [])


def _summary(values: list[float]) -> tuple[float, float, float] | None:
    """The median, lowest and highest of ``values``; None for none."""
    return (statistics.median(values), min(values), max(values)) if values else None


def _shown(paired: tuple[float, float, float] | None) -> str:
    return f"{paired[0]:.2f}× ({paired[1]:.2f}–{paired[2]:.2f}×)" if paired else "not measured"


def _target(text: str, value: float | None, met: bool, shown: str) -> dict:
    return {"target": text, "value": shown if value is not None else "not measured", "met": bool(value is not None and met)}


def targets(results: dict) -> list[dict]:
    """Each target with the measured value and whether it is met."""
    r = lambda key, a, b="plain": _ratio(results, key, a, b)  # noqa: E731
    m = lambda key, s="ours": _median(results, key, s)  # noqa: E731
    work, fresh = "throughput_units_per_s", "throughput_no_reuse_units_per_s"
    cold = r("cold_start_s", "ours")
    tp, tp_cold = _paired(results, work, "ours", "plain"), _paired(results, fresh, "ours", "plain")
    vs_ft, vs_ft_cold = _paired(results, work, "ours", "fasttext"), _paired(results, fresh, "ours", "fasttext")
    scale, scale_cold = _paired(results, work, "ours_jobs", "ours"), _paired(results, fresh, "ours_jobs", "ours")
    halves, halves_cold = _paired(results, work, "ours_halves", "ours"), _paired(results, fresh, "ours_halves", "ours")
    of_halves = _paired(results, work, "ours_jobs", "ours_halves")
    f1 = m("macro_f1")
    others = [v for v in (m("macro_f1", "plain"), m("macro_f1", "fasttext")) if v is not None]
    paired = "; each the median of the repetitions' ratios, with the lowest and highest"
    out = [
        _target("throughput, one process, ≥ 5× the plain script", tp and tp[0], tp is not None and tp[0] >= 5,
                f"{_shown(tp)} on the workload ({r(work, 'ours') or 0:.2f}× as the ratio of the table's medians); "
                f"{_shown(tp_cold)} with no report seen twice{paired}"),
        _target("throughput ahead of fastText + jieba", vs_ft and vs_ft[0], vs_ft is not None and vs_ft[0] > 1,
                f"{_shown(vs_ft)} fastText's; {_shown(vs_ft_cold)} with no report seen twice"),
        _target("--jobs 2 scales ≥ 1.7× on 2 cores", scale and scale[0], scale is not None and scale[0] >= 1.7,
                f"{_shown(scale)} on the workload; {_shown(scale_cold)} with no report seen twice; two processes side "
                f"by side, each on half of the files, reach {_shown(halves)} and {_shown(halves_cold)}, and --jobs 2 "
                f"runs at {_shown(of_halves)} their speed on the workload; the machine itself scales a pure-Python loop "
                f"by {_shown(_spread(results, 'machine_scaling', 'ours_jobs'))}"),
        _target("cold start ≤ 0.5× the plain script's", cold, (cold or 9) <= 0.5, f"{cold or 0:.2f}×"),
        _target("training on the full corpus < 30 s", m("training_s"), (m("training_s") or 99) < 30,
                f"{m('training_s') or 0:.1f} s choosing C by cross-validation; "
                f"{m('training_fixed_c_s') or 0:.1f} s with the bundled model's C"),
        _target("model < 20 MB", m("model_mb"), (m("model_mb") or 99) < 20, f"{m('model_mb') or 0:.1f} MB"),
        _target("peak memory while classifying < 300 MB", m("peak_memory_mb"), (m("peak_memory_mb") or 999) < 300,
                f"{m('peak_memory_mb') or 0:.0f} MB; {m('peak_memory_mb', 'ours_jobs') or 0:.0f} MB for the largest "
                "process with --jobs 2"),
        _target("macro-F1 ahead of both alternatives", f1, f1 is not None and all(f1 > o for o in others),
                f"{f1 or 0:.3f} against " + ", ".join(f"{o:.3f}" for o in others)),
    ]
    p = results["extra"].get("predictions", {})
    out.append(_target("predictions unchanged (the bundled model, every unit of every report)", p.get("max_abs_difference"),
                       bool(p.get("allclose_1e-9") and p.get("same_labels")),
                       f"largest difference {p.get('max_abs_difference', 0):.1e} over {p.get('units')} units, "
                       "with and without context, same labels"))
    return out


def notes(results: dict) -> list[str]:
    """What the table does not say by itself."""
    work, extra = results["workload"], results["extra"]
    out = [
        f"Workload: the {work['reports']} reports of data/reports, {work['copies']} copies of each as separate files; "
        f"throughput is {work['units']:,} units (what `classifier predict` outputs for it) divided by the time from the "
        "first file read to the last label, after the model and the tokenizer's dictionary are loaded, for every system "
        "(for this project that includes handing the dictionary to rjieba, which `classifier predict` does itself before "
        "a batch this size; the baselines split into slightly fewer sentences).",
        "Because the workload repeats each report, this project's cache of each text's words serves the repeats; the "
        "row 'no report seen twice' clears it as each file is read. `classifier predict` scores the units of up to 16 "
        "files in one pass, so a text repeated within such a group (a common heading, say) is still cut once; the "
        "workload's copies of a report never fall in one group. The baselines have no such cache. With --jobs 2 each "
        "process keeps its own cache, and the copies of a report reach both, so the workload's reports are cut about "
        "twice as often as in one process; with no report seen twice, one process also cuts every text, so that row compares like with like.",
        "Cold start: `python -m classifier.cli predict data/reports/2022-yongle-town.txt -q --format jsonl` and "
        "`python -m benchmarks.plain_script predict MODEL data/reports/2022-yongle-town.txt` (fastText likewise), "
        "after one untimed run that fills the operating system's and the dictionaries' caches.",
        "Peak memory is the largest resident set of the process (with --jobs 2, of the larger of its two processes: the one started and its worker).",
        "Two processes side by side: two fresh `classifier` processes, one on the first half of the file list and one "
        "on the second (each half holds about half of the copies of every report), both loaded before either starts; timed from "
        "the first start to the last end. That is what a user could do instead of --jobs 2, with nothing shared and "
        "nothing sent between the processes, so it shows what two processes reach on this machine at that moment.",
    ]
    out.append(spread_note(results))
    out.append(processor_note(results))
    script = results["figures"].get("cold_start_s", {}).get("ours_console_script")
    if script:
        out.append(f"The installed `classifier` command starts in {script['median']:.2f} s.")
    ft = extra.get("fasttext", {})
    out.append(f"fastText settings: {ft.get('settings')}" if ft.get("available") else f"fastText: {ft.get('error')}")
    if "evaluate_plain_macro_f1" in extra:
        out.append(f"`classifier evaluate`'s own plain baseline on the same folds: macro-F1 "
                   f"{extra['evaluate_plain_macro_f1']:.3f}.")
    jieba_only = results["figures"].get("throughput_jieba_only_units_per_s", {})
    if jieba_only:
        out.append("The `classifier` columns run with the `fast` extra (rjieba) installed; without it (jieba cuts every "
                   f"text): {jieba_only['ours_jieba_only']['median']:,.0f} units/s on the workload, "
                   f"{jieba_only['ours_jieba_only_no_reuse']['median']:,.0f} with no report seen twice.")
    out.append(backends_note(extra.get("tokenizer_backends", {})))
    return out


def backends_note(b: dict) -> str:
    """One line on rjieba and jieba_fast."""
    if not b:
        return "Tokenizer back ends: not measured."
    parts = []
    for name, c in b.get("candidates", {}).items():
        if "error" in c:
            parts.append(f"{name}: {c['error']}")
            continue
        parts.append(f"{name}: same tokens for {c['same_units']}/{b['units']} units and {c['same_fragments']}/"
                     f"{b['fragments']} fragments, {c['speedup']:.1f}× jieba's speed, {c['setup_seconds']:.2f} s to set up")
    return ("Tokenizer back ends against jieba with this project's dictionary (" + "; ".join(parts) +
            "). 'rjieba with our dictionary' is what the `fast` extra uses (`classifier.model.tokens.RustCut`): a process "
            "hands its cutting to it after 1,000 texts; jieba_fast differs on ties and is not used.")


def spread_note(results: dict) -> str:
    """How far apart the repetitions of each system's throughput on the workload fell: the machine's noise."""
    figures = results["figures"].get("throughput_units_per_s", {})
    parts = [f"{SYSTEMS.get(k, k)} {max(f['repetitions']) / min(f['repetitions']):.2f}×" for k, f in figures.items()
             if f["repetitions"] and min(f["repetitions"]) > 0]
    return ("Spread: on the workload, each system's fastest repetition ran this many times as fast as its slowest: "
            + ", ".join(parts) + ". The same code on the same files: the machine's speed changes from one run to "
            "the next, which is why each target is judged on the median of the repetitions' own ratios.")


def processor_note(results: dict) -> str:
    """Where --jobs 2's wall time goes: into more processor time than one process takes, or into a core left idle."""
    cpu = results["figures"].get("processor_s", {})
    if "ours" not in cpu or "ours_jobs" not in cpu:
        return "Processor time: not measured."
    more = lambda a, b: _shown(_paired(results, "processor_s", a, b))  # noqa: E731
    return ("Processor time (each process's own clock, which stops while it waits): on the workload, --jobs 2's two "
            f"processes took {more('ours_jobs', 'ours')} the processor time of one process and kept the two cores busy "
            f"{_percent(_busy(results, 'ours_jobs'))} of the time; two processes side by side took "
            f"{more('ours_halves', 'ours')}. With no report seen twice: {more('ours_jobs_no_reuse', 'ours_no_reuse')} "
            f"and {_percent(_busy(results, 'ours_jobs', fresh=True))}. So --jobs 2's scaling is 2 × its busy share ÷ its "
            "processor-time ratio. Part of the extra processor time is the machine's: when two copies of the pure-Python "
            f"loop run at once, each takes {_shown(_spread(results, 'machine_processor_ratio', 'ours_jobs'))} the "
            "processor time it takes alone.")


def _busy(results: dict, system: str, fresh: bool = False, cores: int = 2) -> tuple[float, float, float] | None:
    """Processor time over ``cores`` times the wall time, in each repetition (``fresh``: with no report seen twice):
    how much of the cores a run kept busy."""
    cpu = results["figures"].get("processor_s", {}).get(system + ("_no_reuse" if fresh else ""))
    rate = results["figures"].get("throughput_no_reuse_units_per_s" if fresh else "throughput_units_per_s", {}).get(system)
    if not cpu or not rate:
        return None
    units = results["workload"]["units"]
    return _summary([c / (cores * units / r) for c, r in zip(cpu["repetitions"], rate["repetitions"]) if r])


def _percent(summary: tuple[float, float, float] | None) -> str:
    return f"{summary[0]:.0%} ({summary[1] * 100:.0f}–{summary[2]:.0%})" if summary else "not measured"
