"""A batch of 200,000+ units with no text seen twice, through one process, ``--jobs 2`` and a 2-worker Dask
``LocalCluster``: units/s, peak memory of each process, the scheduler's overhead per file, and peak memory
for a tenth of the files against all of them.

    python -m benchmarks.scale                     # about 5 minutes on 2 cores
    python -m benchmarks.scale --units 50000 --no-write

The files are made at run time (nothing stored) from the corpus's reports: each copy of a report gets
place names of its own (in place of the body's own, wherever they occur), its figures moved, and any
unit still seen before gets the copy's place name after its item marker, so that almost no unit reaches
the model's caches twice (the share of distinct units is printed: 99.9% for 200,000 units). Each system runs in a fresh process
(``--child``), timed from the call of the library function behind ``classifier predict -o out.jsonl``
(``predict_to``) to its return, with the model already loaded; a thread samples the peak resident set
(VmHWM) of the process and every process under it (forked workers, Dask's nannies and workers).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import harness
from benchmarks.report import publish

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- BEGIN: scale -->", "<!-- END: scale -->"
_FIRST = "安宝长东丰广和华嘉金锦康乐临龙梅宁平青清瑞三山上泰桃天通万文西祥新兴阳永云泽章正中"
_SECOND = "安城川东峰丰港河湖华江康林陵宁平浦桥泉山水顺台潭田亭溪霞阳原源州洲庄"
_PLACE = re.compile(r"([\u4e00-\u9fff]{2})(?=县|市|区|镇|乡|街道)")
_MARKER = re.compile(r"\s*(?:[一二三四五六七八九十]+[、是]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])?")


def _names(k: int) -> tuple[str, str]:
    """Two place names for the k-th copy, different for every k."""
    a, b = divmod(k, len(_FIRST) * len(_SECOND))
    first = _FIRST[b // len(_SECOND)] + _SECOND[b % len(_SECOND)] + (_FIRST[a % len(_FIRST)] if a else "")
    second = _SECOND[(k * 7) % len(_SECOND)] + _FIRST[(k * 11 + a) % len(_FIRST)]
    return first, second


def _variant(text: str, n: int, k: int, seen: set[str]) -> str:
    """File ``n``, copy ``k`` of its report: places renamed (names of file ``n``'s own), figures moved by ``k``,
    and every unit new."""
    from classifier.units.report_meta import parse_report_meta
    from classifier.units.segments import segment

    places = list(dict.fromkeys(_PLACE.findall(parse_report_meta(text).body or "")))
    first, second = _names(n)
    for j, place in enumerate(places):
        text = text.replace(place, first if j == 0 else second)
    text = re.sub(r"\d+", lambda m: str(int(m.group()) + k), text)
    for unit in reversed(segment(text)):  # a unit seen before gets the copy's place name after its marker
        if unit.text in seen:
            marker = _MARKER.match(text, unit.start)
            at = marker.end() if marker else unit.start
            text = text[:at] + first + text[at:]
        seen.add(unit.text)
    return text


def make_files(directory: Path, units: int) -> list[str]:
    """Report files of about ``units`` units in all, none of whose sentences repeats."""
    from classifier.read.reading import read_document

    reports = [read_document(p).text for p in sorted((ROOT / "data" / "reports").glob("*.txt"))]
    per_report = 62  # a little under the corpus's mean, so that the batch has at least ``units``
    seen: set[str] = set()
    files = []
    for n in range(max(1, units // per_report + 1)):
        path = directory / f"{n:05d}.txt"
        path.write_text(_variant(reports[n % len(reports)], n, n // len(reports), seen), encoding="utf-8")
        files.append(str(path))
    return files


class PeakMemory:
    """The largest resident set (VmHWM) of this process and each process under it, sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peaks, self.stop = every, {}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.every)

    def sample(self) -> None:
        for pid in {os.getpid(), *harness.descendants(os.getpid())}:
            try:
                with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
                    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
            except (OSError, StopIteration, ValueError):
                continue
            self.peaks[pid] = max(self.peaks.get(pid, 0), hwm / 1024)

    def __enter__(self) -> "PeakMemory":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sample()
        self.stop.set()
        self.thread.join()


def child(system: str, listing: str) -> dict:
    """In a fresh process: one system over the listed files."""
    from classifier.run.predict import load_model
    from classifier.run.stream import predict_to

    files = Path(listing).read_text(encoding="utf-8").split("\n")
    load_model().classify_report("一、主要做法\n开展普法宣传。")  # loaded before the clock starts
    out = Path(listing).with_suffix(f".{system}.jsonl")
    with PeakMemory() as memory:
        if system == "dask":
            return _dask(files, out, memory)
        start = time.perf_counter()
        result = predict_to(files, out, jobs=2 if system == "jobs2" else 1)
        seconds = time.perf_counter() - start
    return {"system": system, "seconds": seconds, "units": result.rows, "files": len(files),
            "peaks_mb": sorted(memory.peaks.values(), reverse=True), "output": str(out)}


def _dask(files: list[str], out: Path, memory: PeakMemory) -> dict:
    import distributed

    from classifier.run.distributed import local_cluster
    from classifier.run.stream import predict_to

    started = time.perf_counter()
    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        client.run(lambda: None)
        ready = time.perf_counter() - started
        with distributed.get_task_stream(client) as tasks:
            start = time.perf_counter()
            result = predict_to(files, out, dask=cluster.scheduler_address)
            seconds = time.perf_counter() - start
        busy = sum(s["stop"] - s["start"] for t in tasks.data for s in t["startstops"] if s["action"] == "compute")
    return {"system": "dask", "seconds": seconds, "units": result.rows, "files": len(files), "cluster_start": ready,
            "compute_seconds": busy, "overhead_ms_per_file": (2 * seconds - busy) / len(files) * 1000,
            "peaks_mb": sorted(memory.peaks.values(), reverse=True), "output": str(out)}


def _measure(system: str, files: list[str], directory: Path, tag: str = "") -> dict:
    listing = directory / f"files{tag}-{system}.txt"
    listing.write_text("\n".join(files), encoding="utf-8")
    return harness.child("--child", system, str(listing), module="benchmarks.scale")[0]


def run(units: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        files = make_files(directory, units)
        figures = {"files": len(files), "load": os.getloadavg()}
        for system in ("one", "jobs2", "dask"):
            figures[system] = _measure(system, files, directory)
            f = figures[system]
            print(f"{system:6} {f['units']:,} units in {f['seconds']:.1f} s: {f['units'] / f['seconds']:,.0f} units/s; "
                  f"peak MB by process {[round(p) for p in f['peaks_mb']]}", flush=True)
        outputs = [Path(figures[s]["output"]).read_bytes() for s in ("one", "jobs2", "dask")]
        figures["same_rows"] = outputs[0] == outputs[1] == outputs[2]
        texts = [json.loads(line)["text"] for line in outputs[0].decode("utf-8").splitlines()]
        figures["distinct_units"] = len(set(texts)) / len(texts)
        figures["tenth"] = _measure("one", files[: len(files) // 10], directory, tag="-tenth")
    return figures


def markdown(f: dict) -> str:
    one, jobs, dask, tenth = f["one"], f["jobs2"], f["dask"], f["tenth"]
    rate = lambda r: r["units"] / r["seconds"]  # noqa: E731
    ratio = one["peaks_mb"][0] / tenth["peaks_mb"][0]
    lines = [BEGIN, "## Large batches", "",
             f"Generated by `python -m benchmarks.scale`: {one['units']:,} units in {f['files']:,} files made at run "
             f"time from the corpus's reports (places renamed, figures moved; {f['distinct_units']:.1%} of the units "
             "distinct), written as JSON Lines by the library call behind `classifier predict -o out.jsonl`, the "
             "model loaded beforehand; peak memory is each process's largest resident set (VmHWM). Load average "
             f"when the run began: {', '.join(f'{x:.1f}' for x in f['load'])} (on {os.cpu_count()} cores).", "",
             "| run | seconds | units/s | vs one process | peak memory by process, MB |", "|---|---|---|---|---|"]
    for name, r in (("one process", one), ("--jobs 2", jobs), ("Dask LocalCluster, 2 workers", dask)):
        lines.append(f"| {name} | {r['seconds']:.1f} | {rate(r):,.0f} | {rate(r) / rate(one):.2f}× | "
                     f"{', '.join(str(round(p)) for p in r['peaks_mb'])} |")
    lines += ["", f"- Rows identical in all three runs: {'yes' if f['same_rows'] else 'NO'}.",
              f"- Dask: the cluster took {dask['cluster_start']:.1f} s to start (not in the figures above); its "
              f"workers computed for {dask['compute_seconds']:.1f} s of their {2 * dask['seconds']:.1f} s, an overhead "
              f"of {dask['overhead_ms_per_file']:.1f} ms per file (scheduling, sending results, waiting).",
              f"- Peak memory of one process for {f['files']:,} files against {tenth['files']:,}: {ratio:.2f}× "
              f"({one['peaks_mb'][0]:.0f} MB against {tenth['peaks_mb'][0]:.0f} MB); target within 1.2×: "
              f"{'met' if ratio <= 1.2 else 'missed'}.", END]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200_000, help="units in the batch (default 200,000)")
    args = harness.arguments(parser, argv, child, ("SYSTEM", "LISTING"))
    if args is None:
        return 0
    text = markdown(run(args.units))
    publish(text, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
