"""``classifier summarize -o FILE``: each report's part of the summary kept in a journal as it is done, so
that an interrupted run can be resumed, and the summary written once the batch is over.

    >>> batch = summarize_to(["reports/"], "summary.csv", fmt="csv")               # doctest: +SKIP
    >>> batch = summarize_to(["reports/"], "summary.csv", fmt="csv", resume=True)  # after a kill: carry on

A summary row needs the whole batch (boilerplate is counted across the reports, ``--by`` groups
them), so the output is written at the end, atomically. What the batch keeps of each report is
its digest (its row, the sentences it could share with other reports, its copied plans), never
its text or units; each digest is also appended to ``.FILE.partial.json`` beside the output as
soon as the report is done. ``resume=True`` takes the digests of an interrupted run with the
same files and model from there and goes on with the next report. The journal goes once the
output is written.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Sequence

from ..errors import ClassifierError, UsageError
from .summary_batch import SummaryBatch, _batch, _Digest, _digest_of, check_group_key, expand_sources
from .summary_output import write_summary


def journal_path(output: str | os.PathLike) -> Path:
    """Where a summary's journal goes, beside ``output``.

    >>> journal_path("out/summary.csv").name
    '.summary.csv.partial.json'
    """
    target = Path(output)
    return target.with_name(f".{target.name}.partial.json")


def summarize_to(files: Sequence[str | os.PathLike], output: str | os.PathLike | None, *, fmt: str,
                 model=None, by: str | None = None, resume: bool = False,
                 progress: Callable[[str, int, int], None] | None = None) -> SummaryBatch:
    """Summarise report files and directories and write the summary to ``output`` in ``fmt`` (nothing is written
    when no report could be read); returns the batch. ``resume`` carries on from an interrupted run's journal."""
    from ..run.predict import Model, load_model

    check_group_key(by)
    to_stdout = output is None or str(output) == "-"
    if resume and to_stdout:
        raise UsageError("--output", "--resume needs an output file (-o FILE)")
    loaded = model if isinstance(model, Model) else load_model(model)
    items = expand_sources([Path(f) for f in files])  # names, never report texts
    if to_stdout:
        done, log = [], None
    else:
        journal = journal_path(output)
        journal.parent.mkdir(parents=True, exist_ok=True)
        run = {"summarize": [str(f) for f in files], "model": None if model is None else str(model)}
        done = _resumed(journal, run) if resume else []
        if not done:
            journal.write_text(json.dumps(run, ensure_ascii=False) + "\n", encoding="utf-8")
        log = open(journal, "a", encoding="utf-8")
    try:
        found = [_found(entry) for entry in done]
        for k in range(len(done), len(items)):
            found.append(_digest_of(loaded, items[k]))
            log and (log.write(json.dumps(_entry(found[-1]), ensure_ascii=False) + "\n"), log.flush())
            progress and progress("summarising", k + 1, len(items))
    finally:
        log and log.close()
    errors = [f for f in found if isinstance(f, ClassifierError)]
    batch = _batch([f for f in found if not isinstance(f, ClassifierError)], errors)
    if batch.rows:
        write_summary(batch, output, fmt, by=by)
    if not to_stdout:
        journal_path(output).unlink(missing_ok=True)
    return batch


def _entry(found: _Digest | ClassifierError) -> dict:
    """One report's journal entry: its digest, or its error."""
    if isinstance(found, ClassifierError):
        return {"where": found.where, "problem": found.problem}
    return {"digest": asdict(found)}


def _found(entry: dict) -> _Digest | ClassifierError:
    """What a journal entry holds: a report's digest, or its error."""
    if "digest" in entry:
        return _Digest(**entry["digest"])
    return ClassifierError(entry["where"] or None, entry["problem"])


def _resumed(journal: Path, run: dict) -> list[dict]:
    """The entries of the interrupted run whose journal is ``journal`` (none if there is no journal)."""
    if not journal.exists():
        return []
    lines = journal.read_text(encoding="utf-8").splitlines()
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:  # the last line, torn by the kill
            break
    if not entries or entries[0] != run:
        raise UsageError("--resume", f"{journal} was written by a run with other files or another model; "
                                     "run again without --resume to start over")
    journal.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return entries[1:]
