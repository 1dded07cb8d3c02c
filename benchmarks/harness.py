"""Running measurements: fresh child processes, their wall time and peak memory, medians of repetitions."""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "reports" / "2022-yongle-town.txt"
SYSTEMS = {"plain": "plain script", "fasttext": "fastText + jieba", "ours": "classifier", "ours_jobs": "classifier --jobs 2",
           "ours_halves": "two classifier processes side by side"}
HALVES = ["--share", "1/2"], ["--share", "2/2"]  # two processes side by side, each on half of the files


@dataclass(frozen=True)
class Run:
    """One finished child process: wall seconds, peak resident memory (MB) and what it printed."""

    seconds: float
    peak_mb: float
    stdout: str
    returncode: int


def env() -> dict[str, str]:
    """The children's environment: the project's sources and the benchmarks importable."""
    paths = [str(ROOT / "src"), str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONHASHSEED": "0"}


def workload(tmp: Path, copies: int) -> tuple[Path, dict]:
    """The corpus reports, ``copies`` times over, as separate files listed in ``tmp/files.txt``; and how many units
    they hold."""
    from classifier.read.reading import read_document
    from classifier.units.segments import segment

    reports = sorted((ROOT / "data" / "reports").iterdir())
    folder = tmp / "workload"
    folder.mkdir()
    files = []
    for copy in range(copies):
        for path in reports:
            files.append(folder / f"{copy:02d}-{path.name}")
            shutil.copyfile(path, files[-1])
    units = copies * sum(len(segment(read_document(p).text)) for p in reports)
    listing = tmp / "files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    return listing, {"reports": len(reports), "copies": copies, "files": len(files), "units": units}


def run(argv: list[str], check: bool = True) -> Run:
    """Run ``argv`` from the repository root; the peak RSS is the largest of it and its own children."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env(), stdout=out, stderr=err)
        peak = _wait(proc)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if check and proc.returncode:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return Run(seconds, peak, stdout, proc.returncode)


def side_by_side(task_args: list[list[str]], go: Path, timeout: float = 600) -> list[tuple[dict, Run]]:
    """Run ``python -m benchmarks.child`` with each argument list at once, every one given ``--start-at go``: once
    all have loaded (each touches ``go.ready-PID``), ``go`` is made, so that their clocks start together."""
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as spool:
        files = [(Path(spool) / f"{k}.out", Path(spool) / f"{k}.err") for k in range(len(task_args))]
        try:
            for args, (out, err) in zip(task_args, files):
                with open(out, "wb") as stdout, open(err, "wb") as stderr:
                    procs.append(subprocess.Popen(python("-m", "benchmarks.child", *args, "--start-at", go),
                                                  cwd=ROOT, env=env(), stdout=stdout, stderr=stderr))
            _until_ready(procs, go, timeout)
            go.touch()
            peaks = [_wait(proc) for proc in procs]
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        texts = [(out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace")) for out, err in files]
    for proc, (_, stderr) in zip(procs, texts):
        if proc.returncode:
            raise RuntimeError(f"{' '.join(map(str, proc.args))} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return [(json.loads(stdout.strip().splitlines()[-1]), Run(float("nan"), peak, stdout, proc.returncode))
            for proc, (stdout, _), peak in zip(procs, texts, peaks)]


def ready_marker(go: Path, pid: int) -> Path:
    """The file a side-by-side child with process id ``pid`` touches once it has loaded (``GO.ready-PID``)."""
    return go.with_name(f"{go.name}.ready-{pid}")


def _until_ready(procs: list[subprocess.Popen], go: Path, timeout: float) -> None:
    """Wait until every process has touched ``go.ready-PID``; fail if one ends first or it takes too long."""
    deadline = time.monotonic() + timeout
    waiting = {proc.pid: proc for proc in procs}
    while waiting:
        for pid in [pid for pid in waiting if ready_marker(go, pid).exists()]:
            del waiting[pid]
        ended = [proc for proc in waiting.values() if proc.poll() is not None]
        if ended or time.monotonic() > deadline:
            raise RuntimeError(f"{' '.join(map(str, (ended or list(waiting.values()))[0].args))}: "
                               f"{'ended' if ended else 'not loaded'} before the start")
        time.sleep(0.01)


def _wait(proc: subprocess.Popen) -> float:
    """Reap the child; its peak RSS in MB from ``os.wait4`` (NaN where there is no wait4)."""
    if not hasattr(os, "wait4"):
        proc.wait()
        return float("nan")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def python(*args: str) -> list[str]:
    return [sys.executable, *map(str, args)]


def child(*args: str, module: str = "benchmarks.child") -> tuple[dict, Run]:
    """Run ``python -m MODULE ARGS`` (``benchmarks.child`` unless told) and parse the JSON it prints last."""
    result = run(python("-m", module, *args))
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def arguments(parser: argparse.ArgumentParser, argv: list[str] | None, measure: Callable[[str, str], dict],
              metavar: tuple[str, str]) -> argparse.Namespace | None:
    """``argv`` parsed, with ``--no-write`` and the hidden ``--child A B`` added to ``parser``. Under ``--child``,
    ``measure(A, B)`` is printed as a line of JSON (what :func:`child` reads) and None returned."""
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    parser.add_argument("--child", nargs=2, metavar=metavar, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(*args.child)))
        return None
    return args


def descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (its children, theirs, and so on), as /proc shows them now."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, changed = {pid}, True
    while changed:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        changed, tree = bool(more), tree | more
    return tree - {pid}


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def figure(samples: list[float], unit: str) -> dict:
    """A figure: every repetition and their median."""
    return {"median": median(samples), "repetitions": list(samples), "unit": unit}


def machine() -> dict:
    """What the figures were measured on."""
    info = {"python": platform.python_version(), "platform": platform.platform(), "processor": _cpu_name(),
            "cores": os.cpu_count(), "load_average_at_start": _load()}
    info["versions"] = {name: _version(name) for name in
                        ("numpy", "scipy", "scikit-learn", "jieba", "fasttext-wheel", "rjieba", "jieba_fast")}
    return info


MEASURED = ("src", "models", "data", "benchmarks/*.py", "pyproject.toml")  # what the child processes run on


def source_state() -> dict:
    """The commit checked out and the uncommitted changes to what is measured (``git status`` lines)."""
    commit = _git("rev-parse", "--short", "HEAD").strip()
    changes = [line for line in _git("status", "--porcelain", "--", *MEASURED).splitlines() if line.strip()]
    return {"commit": commit or "unknown", "changes": changes}


def _git(*args: str) -> str:
    """What git prints, or nothing where there is no git or no repository."""
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def size_mb(path: Path) -> float:
    """A model's size on disk in MB: the file, or every file under the directory."""
    files = [f for f in path.rglob("*") if f.is_file()] if path.is_dir() else [path]
    return sum(f.stat().st_size for f in files) / 2 ** 20


def console_script() -> Path | None:
    """The installed ``classifier`` command beside this Python, if there is one."""
    path = Path(sys.executable).with_name("classifier")
    return path if path.exists() else None
