"""How much work ``--jobs 2`` adds, counted in instructions by valgrind's callgrind: unlike seconds, a count does
not move with the machine's speed or with what else runs on it.

    python -m benchmarks.instructions          # about 15 minutes on 2 cores; needs valgrind

``benchmarks.child`` classifies the workload of ``python -m benchmarks`` (the corpus × 6) under callgrind: in one
process, with --jobs 2, and as two processes on half of the files each; with this project's text caches kept, and
cleared as each file is read (no report seen twice). A process's count less that of a process that only loads is
the work it did on the files (a --jobs worker is forked from a loaded process, and callgrind gives it the count its
parent had). Prints each run's total as a ratio of one process's; writes them to benchmarks/instructions.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import HALVES, ROOT, env, python, source_state, workload

RUNS = {"one process": [[]], "--jobs 2": [["--jobs", "2"]], "two processes side by side": [list(h) for h in HALVES]}


def counts(listing: Path, parts: list[list[str]], spool: Path) -> list[int]:
    """The instruction count of every process of one run: one child per entry of ``parts``, all at once, and the
    workers they start."""
    folder = Path(tempfile.mkdtemp(dir=spool))
    procs = [subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/callgrind.%p",
                               *python("-m", "benchmarks.child", "throughput", "ours", "-", listing, *part)],
                              cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for part in parts]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"error: {' '.join(map(str, proc.args))} failed ({proc.returncode}): "
                             f"{err.decode('utf-8', 'replace').strip().splitlines()[-1:]}")
    return [total(path) for path in sorted(folder.iterdir())]


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


def table(measured: dict) -> str:
    rows = ["| run | " + " | ".join(measured["runs"]) + " |", "|---|" + "---|" * len(measured["runs"])]
    for name in RUNS:
        cells = [f"{r[name]['instructions'] / 1e9:.2f} G ({r[name]['of_one_process']:.3f}×)" for r in measured["runs"].values()]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="copies of the corpus in the workload (default 6)")
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent / "instructions.json")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind"):
        print("error: valgrind: not found; install it (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="classifier-instructions-") as tmp:
        listing, work = workload(Path(tmp), args.copies)
        measured = {"command": "python -m benchmarks.instructions", "source": source_state(), "workload": work,
                    **measure(listing, Path(tmp))}
    args.output.write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    print(table(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
