"""Batches of report files for the tests that run, spread or kill batches."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def report_files(corpus_dir: Path, folder: Path, n: int, copies: int = 1) -> list[str]:
    """``n`` files in ``folder`` (made if need be), the corpus's reports in turn, each holding its report ``copies``
    times (heavier files keep a run under way long enough to be killed)."""
    reports = sorted((corpus_dir / "reports").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(n):
        path = folder / f"{k:02d}.txt"
        path.write_text(reports[k % len(reports)].read_text(encoding="utf-8") * copies, encoding="utf-8")
        files.append(str(path))
    return files


def wait_for_journal(proc: subprocess.Popen, journal: Path, lines: int, seconds: float = 60) -> None:
    """Until ``journal`` has ``lines`` lines, ``proc`` has ended or ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) >= lines:
            return
        time.sleep(0.002)


def killed_at_journal(argv: list[str], journal: Path, lines: int) -> None:
    """``classifier ARGV`` in a process of its own, killed (SIGKILL) once ``journal`` has ``lines`` lines."""
    proc = subprocess.Popen([sys.executable, "-m", "classifier.cli", *argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_journal(proc, journal, lines)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
