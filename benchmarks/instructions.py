"""How much work ``--jobs 2`` adds, and how much the plain script and fastText do on the same files, counted in
instructions by valgrind's callgrind: unlike seconds, a count does not move with the machine's speed or with what
else runs on it.

    python -m benchmarks.instructions          # about 30 minutes on 2 cores; needs valgrind
    python -m benchmarks.instructions --no-baselines   # without the plain script and fastText: about 17 minutes

``benchmarks.child`` classifies the workload of ``python -m benchmarks`` (the corpus × 6) under callgrind: in one
process, with --jobs 2, and as two processes on half of the files each; with this project's text caches kept, and
cleared as each file is read (no report seen twice). A process's count less that of a process that only loads is
the work it did on the files (a --jobs worker is forked from a loaded process, and callgrind gives it the count its
parent had). Then the baselines (trained first, outside callgrind) and this project each classify the corpus's
reports once, in one process. Prints each total as a multiple of this project's one process; writes them to
benchmarks/instructions.json.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.harness import HALVES, ROOT, SYSTEMS, python, run, source_state, workload

RUNS = {"one process": [[]], "--jobs 2": [["--jobs", "2"]], "two processes side by side": [list(h) for h in HALVES]}


def counts(listing: Path, parts: list[list[str]], spool: Path, system: tuple[str, str] = ("ours", "-")) -> list[int]:
    """The instruction count of every process of one run of ``system`` (its name and model): one child per entry of
    ``parts``, all at once, and the workers they start."""
    folder = Path(tempfile.mkdtemp(dir=spool))
    argvs = [["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/callgrind.%p",
              *python("-m", "benchmarks.child", "throughput", *system, listing, *part)] for part in parts]
    with ThreadPoolExecutor(len(argvs)) as pool:  # each thread waits for one child
        list(pool.map(run, argvs))
    return [total(path) for path in sorted(folder.glob("callgrind.*"))]


def total(path: Path) -> int:
    """The instructions a callgrind output file counts (its ``totals:`` line, else its ``summary:`` line)."""
    found = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.partition(":")
        if key in ("totals", "summary") and value.strip():
            found[key] = int(value.split()[0])
    if not found:
        raise SystemExit(f"error: {path}: no totals or summary line (not a callgrind output file?)")
    return found.get("totals", found.get("summary"))


def measure(listing: Path, spool: Path) -> dict:
    """Instructions spent on the files by each run, with and without reuse, and as ratios of one process's."""
    loading = counts(listing, [["--load-only"]], spool)[0]
    out: dict = {"loading": loading, "runs": {}}
    for reuse in (True, False):
        flag = [] if reuse else ["--no-reuse"]
        work = {name: sum(c - loading for c in counts(listing, [p + flag for p in parts], spool))
                for name, parts in RUNS.items()}
        out["runs"]["workload" if reuse else "no report seen twice"] = {
            name: {"instructions": n, "of_one_process": n / work["one process"]} for name, n in work.items()}
    return out


def baselines(spool: Path) -> dict:
    """The instructions the plain script, fastText (where installed) and this project, each in one process, spend
    on the corpus's reports seen once each; the baselines' as multiples of this project's. (They keep no cache, so
    the workload's copies would only multiply their counts, and their runs under callgrind are slow.)"""
    folder = spool / "once"
    folder.mkdir()
    listing, work = workload(folder, 1)
    systems = {"ours": "-"}
    for system, module in (("plain", "benchmarks.plain_script"), ("fasttext", "benchmarks.fasttext_script")):
        if system == "plain" or importlib.util.find_spec("fasttext") is not None:
            systems[system] = str(folder / f"{system}.model")
            run(python("-m", module, "train", ROOT / "data", systems[system]))
    spent = {SYSTEMS[system]: counts(listing, [[]], spool, (system, model))[0]
             - counts(listing, [["--load-only"]], spool, (system, model))[0] for system, model in systems.items()}
    ours = spent[SYSTEMS["ours"]]
    return {"files": work["files"], "units": work["units"], "instructions": spent,
            "of_ours": {name: n / ours for name, n in spent.items()}}


def table(measured: dict) -> str:
    rows = ["| run | " + " | ".join(measured["runs"]) + " |", "|---|" + "---|" * len(measured["runs"])]
    for name in RUNS:
        cells = [f"{r[name]['instructions'] / 1e9:.2f} G ({r[name]['of_one_process']:.3f}×)" for r in measured["runs"].values()]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    once = measured.get("baselines")
    if once:
        rows += ["", f"| one process, the {once['files']} reports once each | instructions |", "|---|---|"]
        rows += [f"| {name} | {n / 1e9:.2f} G ({once['of_ours'][name]:.2f}×) |" for name, n in once["instructions"].items()]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="copies of the corpus in the workload (default 6)")
    parser.add_argument("--no-baselines", action="store_true", help="count this project's runs only")
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent / "instructions.json")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind"):
        print("error: valgrind: not found; install it (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="classifier-instructions-") as tmp:
        listing, work = workload(Path(tmp), args.copies)
        measured = {"command": "python -m benchmarks.instructions" + " --no-baselines" * args.no_baselines,
                    "source": source_state(), "workload": work, **measure(listing, Path(tmp))}
        if not args.no_baselines:
            measured["baselines"] = baselines(Path(tmp))
    args.output.write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    print(table(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
