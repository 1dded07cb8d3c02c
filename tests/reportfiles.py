"""Batches of report files for the tests that run, spread or kill batches."""
from __future__ import annotations

from pathlib import Path


def report_files(corpus_dir: Path, folder: Path, n: int, copies: int = 1) -> list[str]:
    """``n`` files in ``folder``, the corpus's reports in turn, each holding its report ``copies`` times
    (heavier files keep a run under way long enough to be killed)."""
    reports = sorted((corpus_dir / "reports").glob("*.txt"))
    files = []
    for k in range(n):
        path = folder / f"{k:02d}.txt"
        path.write_text(reports[k % len(reports)].read_text(encoding="utf-8") * copies, encoding="utf-8")
        files.append(str(path))
    return files
