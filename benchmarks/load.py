"""Load test of `classifier serve` on loopback, beside `classifier predict --jobs 2` on the same reports.

    python -m benchmarks.load                       # about 2 minutes on 2 cores; writes a section of RESULTS.md
    python -m benchmarks.load --requests 500 --no-write

Starts the server with 2 workers on 127.0.0.1 and drives it with 50 concurrent clients (httpx,
async): first a mix of /v1/classify (the corpus's reports, uploaded as files) and /v1/predict
(16 sentences a request), bounded in count (--requests) and time (--max-seconds), with the
server's memory (resident, all its processes) before and after; then the corpus × 6 classified
through /v1/classify, with and without the summary row, against `classifier predict --jobs 2`
on the same 474 files. Only 127.0.0.1 is ever contacted. Needs the `serve` and `bench` extras.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import descendants
from benchmarks.report import publish

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "data" / "reports").glob("*.txt"))
BEGIN, END = "<!-- BEGIN: load -->", "<!-- END: load -->"
COPIES = 6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, MB (from /proc)."""
    total = 0
    for current in {pid, *descendants(pid)}:
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
        except (OSError, StopIteration):
            continue
    return total / 1024


def start_server(workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "classifier.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port), "--workers", str(workers)], stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not come up")


def sentences() -> list[str]:
    """The corpus's sentences (8 characters or more), decoded as the service decodes them."""
    from classifier.read.reading import read_document

    out = []
    for path in REPORTS:
        out += [s + "。" for s in read_document(path).text.replace("\n", "。").split("。") if len(s) >= 8]
    return out


async def drive(url: str, jobs: list[tuple[str, object]], clients: int, max_seconds: float) -> dict:
    """Send the jobs (kind, payload) with ``clients`` concurrent clients; latency per request and errors."""
    import httpx

    latencies: dict[str, list[float]] = {"classify": [], "predict": [], "classify-bare": []}
    errors: list[str] = []
    queue = iter(enumerate(jobs))
    bodies = {payload[0]: form_body(*payload) for kind, payload in jobs if kind != "predict"}
    deadline = time.monotonic() + max_seconds

    async def client() -> None:
        # A pool of its own for each client: one shared pool of 50 connections costs the load generator (not
        # the server) a scan of every connection per request (httpcore), which would slow the clients down.
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1),
                                     verify=False) as http:  # plain HTTP on loopback: no certificates to load
            await send(http)

    async def send(http: httpx.AsyncClient) -> None:
        for _, (kind, payload) in queue:
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            try:
                if kind == "predict":
                    response = await http.post("/v1/predict", json={"texts": payload})
                else:
                    query = "?summary=false" if kind == "classify-bare" else ""
                    response = await http.post(f"/v1/classify{query}", content=bodies[payload[0]], headers=FORM)
                if response.status_code != 200:
                    errors.append(f"{kind}: {response.status_code} {response.text[:200]}")
                else:
                    latencies[kind].append(time.perf_counter() - start)
            except httpx.HTTPError as error:
                errors.append(f"{kind}: {type(error).__name__} {error}")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"seconds": time.perf_counter() - started, "latencies": latencies, "errors": errors}


BOUNDARY = "classifier-load-boundary-7d1f"
FORM = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def form_body(name: str, data: bytes) -> bytes:
    """A file upload in the field ``file``, encoded once before the load starts (as a browser or curl would
    send it), so that the clients spend their time sending rather than encoding."""
    if f"--{BOUNDARY}".encode() in data or not name.isascii() or '"' in name:
        raise ValueError(f"{name}: cannot be sent with the fixed boundary")
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": 1000 * cuts[49], "p95_ms": 1000 * cuts[94], "p99_ms": 1000 * cuts[98]}


def mixed_jobs(count: int) -> list[tuple[str, object]]:
    """Every other request a report upload (the corpus in turn), the others 16 sentences each."""
    uploads = [(p.name, p.read_bytes()) for p in REPORTS]
    pool = sentences()
    return [("classify", uploads[(k // 2) % len(uploads)]) if k % 2 == 0
            else ("predict", [pool[(8 * k + j) % len(pool)] for j in range(16)]) for k in range(count)]


WARM_UP_ROUNDS = 3


def warm_up_jobs() -> list[tuple[str, object]]:
    """Each report and each sentence of the mixed load (what the caches of words will hold), in
    ``WARM_UP_ROUNDS`` shuffled rounds, then 200 mixed. Each worker keeps its own caches and takes whichever
    requests it happens to accept, so one round would leave each worker's caches about half full."""
    pool = sentences()
    once = ([("classify", (p.name, p.read_bytes())) for p in REPORTS]
            + [("predict", pool[k:k + 16]) for k in range(0, len(pool), 16)])
    rounds = []
    for k in range(WARM_UP_ROUNDS):
        rounds += random.Random(k).sample(once, len(once))
    return rounds + mixed_jobs(200)


def cli_seconds(files: list[Path], out: Path) -> float:
    """Wall time of `classifier predict FILES --jobs 2` (a fresh process, the whole command)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "classifier.cli", "predict", *map(str, files), "--jobs", "2", "-q",
                    "-o", str(out)], check=True)
    return time.perf_counter() - start


def measure(requests: int, clients: int, max_seconds: float, workers: int, reps: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for copy in range(COPIES):
            for path in REPORTS:
                target = Path(tmp) / f"{copy}-{path.name}"
                shutil.copyfile(path, target)
                files.append(target)
        log = Path(tmp) / "server.log"
        process, url = start_server(workers, log)
        try:
            started = tree_rss_mb(process.pid)
            asyncio.run(drive(url, warm_up_jobs(), clients, max_seconds))  # not counted
            before = tree_rss_mb(process.pid)
            mixed, trace = run_mixed(url, requests, clients, max_seconds, process.pid)
            reports = compare_with_cli(url, files, Path(tmp) / "out.jsonl", clients, max_seconds, reps)
        finally:
            process.terminate()
            process.wait(timeout=60)
        started_workers = log.read_text(encoding="utf-8", errors="replace").count("Started server process")
    done = sum(len(v) for v in mixed["latencies"].values())
    return {"requests": requests, "clients": clients, "workers": workers, "files": len(files),
            "mixed": {"done": done, "seconds": mixed["seconds"], "requests_per_s": done / mixed["seconds"],
                      "errors": mixed["errors"][:20], "error_count": len(mixed["errors"]),
                      "all": percentiles([x for v in mixed["latencies"].values() for x in v]),
                      **{kind: percentiles(v) for kind, v in mixed["latencies"].items() if v}},
            "memory_mb": {"started": started, "before": before, "after": trace[-1], "trace": trace,
                          "growth": trace[-1] / before - 1},
            "reports": reports, "worker_restarts": started_workers - workers,
            "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0],
                        "load": [round(x, 2) for x in os.getloadavg()]}}


def run_mixed(url: str, requests: int, clients: int, max_seconds: float, pid: int) -> tuple[dict, list[float]]:
    """The mixed load in five parts, with the server's memory after each."""
    jobs, parts, trace = mixed_jobs(requests), 5, []
    merged: dict = {"seconds": 0.0, "latencies": {}, "errors": []}
    for k in range(parts):
        part = asyncio.run(drive(url, jobs[k * len(jobs) // parts:(k + 1) * len(jobs) // parts], clients, max_seconds))
        merged["seconds"] += part["seconds"]
        merged["errors"] += part["errors"]
        for kind, values in part["latencies"].items():
            merged["latencies"].setdefault(kind, []).extend(values)
        trace.append(tree_rss_mb(pid))
    return merged, trace


def compare_with_cli(url: str, files: list[Path], out: Path, clients: int, max_seconds: float, reps: int) -> dict:
    """Reports/s of the CLI and of the server, measured in turn ``reps`` times; the median of each
    repetition's ratio."""
    uploads = [(p.name, p.read_bytes()) for p in files]
    cli, full, bare, errors = [], [], [], 0
    for _ in range(reps):
        cli.append(len(files) / cli_seconds(files, out))
        for kind, into in (("classify", full), ("classify-bare", bare)):
            run = asyncio.run(drive(url, [(kind, u) for u in uploads], clients, max_seconds))
            into.append(len(run["latencies"][kind]) / run["seconds"])
            errors += len(run["errors"])
    return {"cli_per_s": cli, "server_summary_per_s": full, "server_units_only_per_s": bare, "errors": errors,
            "summary_ratio": statistics.median(f / c for f, c in zip(full, cli)),
            "units_only_ratio": statistics.median(b / c for b, c in zip(bare, cli))}


def markdown(r: dict) -> str:
    m, rep, mem = r["mixed"], r["reports"], r["memory_mb"]
    full, bare = rep["summary_ratio"], rep["units_only_ratio"]
    med = statistics.median
    row = lambda name, p: f"| {name} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['p99_ms']:.0f} |"  # noqa: E731
    lines = [BEGIN, "## The web service under load", "",
             f"Generated by `python -m benchmarks.load` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
             f"`classifier serve --workers {r['workers']}` on 127.0.0.1, {r['clients']} concurrent clients (httpx, "
             "async, each with a connection of its own; the uploads encoded before the load begins) on the same "
             f"{r['machine']['cores']} cores, load average {r['machine']['load']} at the end.", "",
             f"Mixed load: {m['done']:,} requests (every other one /v1/classify of a corpus report uploaded as a file, "
             f"with its summary row; the others /v1/predict of 16 sentences) in {m['seconds']:.1f} s: "
             f"**{m['requests_per_s']:.1f} requests/s, {m['error_count']} errors**; workers restarted by "
             f"uvicorn during the whole run: {r['worker_restarts']}.", "",
             "| requests | p50, ms | p95, ms | p99, ms |", "|---|---|---|---|", row("all", m["all"])]
    lines += [row(f"/v1/{kind}", m[kind]) for kind in ("classify", "predict") if kind in m]
    lines += ["", f"Server memory (resident, parent and workers): {mem['started']:.0f} MB started, {mem['before']:.0f} MB "
              f"after a warm-up that sends each report and sentence of the load {WARM_UP_ROUNDS} times (what each worker's "
              f"caches of words will hold), then {', '.join(f'{x:.0f}' for x in mem['trace'])} MB after each fifth of "
              f"the {m['done']:,} "
              f"requests: {100 * mem['growth']:+.1f}% from the warm-up to the end.", "",
              f"Reports/s on the corpus × {COPIES} ({r['files']} files), {r['clients']} clients, against `classifier "
              "predict --jobs 2` on the same files (a fresh process, whole command), measured in turn "
              f"{len(rep['cli_per_s'])} times; medians, and the median of each turn's ratio:", "",
              "| system | reports/s | ÷ CLI |", "|---|---|---|",
              f"| `classifier predict --jobs 2` | {med(rep['cli_per_s']):.1f} | 1.00× |",
              f"| /v1/classify, units and summary row | {med(rep['server_summary_per_s']):.1f} | {full:.2f}× |",
              f"| /v1/classify?summary=false, units only | {med(rep['server_units_only_per_s']):.1f} | {bare:.2f}× |", "",
              "Each turn's ratio, with the summary row: " + ", ".join(
                  f"{f / c:.2f}×" for f, c in zip(rep["server_summary_per_s"], rep["cli_per_s"]))
              + "; units only: " + ", ".join(
                  f"{b / c:.2f}×" for b, c in zip(rep["server_units_only_per_s"], rep["cli_per_s"]))
              + ". The machine's speed changes from one run to the next (a shared virtual machine), which is "
              "why the ratio is judged turn by turn and on its median.", "",
              "Targets:",
              f"- 0 errors: {'met' if m['error_count'] + rep['errors'] == 0 else 'missed'} "
              f"({m['error_count'] + rep['errors']})",
              f"- memory growth under 10%: {'met' if mem['growth'] < 0.10 else 'missed'} ({100 * mem['growth']:+.1f}%)",
              f"- reports/s at least 0.7× the CLI's: {'met' if full >= 0.7 else 'missed'} ({full:.2f}× with the "
              f"summary row, {bare:.2f}× units only)", END]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests of the mixed load (default 5000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop each phase after this long (default 900)")
    parser.add_argument("--reps", type=int, default=5,
                        help="turns of the CLI and the server on the same files (default 5)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    args = parser.parse_args(argv)
    results = measure(args.requests, args.clients, args.max_seconds, args.workers, args.reps)
    text = markdown(results)
    publish(text, write=not args.no_write)
    if not args.no_write:
        (ROOT / "benchmarks" / "load.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
