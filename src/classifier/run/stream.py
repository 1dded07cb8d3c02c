"""A batch written as it goes: each file's rows as soon as it and every file before it are done.

    >>> result = predict_to(["a.txt", "b.txt"], "out.jsonl")             # doctest: +SKIP
    >>> result.files, result.rows, [str(e) for e in result.errors]       # doctest: +SKIP
    (2, 131, [])

The rows go to a hidden file beside the output, ``.NAME.partial``, with a journal beside it
(``.NAME.partial.json``: the run's files and options, then one line per finished file saying
where its rows end). Only when the batch is over does the partial file become the output, so a
failed or interrupted run never replaces it. An interrupted run leaves the partial file and its
journal; ``resume=True`` cuts the partial file back to the end of the last finished file and
carries on from the next. Memory stays flat in the number of files: a file's rows are let go
once written. Parquet output (pyarrow, the ``parquet`` extra) is written a row group at a time.
"""
from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence

from ..errors import ClassifierError, UsageError
from ..files import check_output, publish
from .batch import FileRows, iter_predictions
from .output import FORMATS, TABLE_LEGEND, write_rows

STREAM_FORMATS = (*FORMATS, "parquet")
_BOM = "\ufeff".encode("utf-8")
_TABLE_END = f"\n{TABLE_LEGEND}\n"  # what a table ends with once all its rows are written


@dataclass(frozen=True)
class StreamResult:
    """What a streamed batch did: files finished (``resumed`` of them by an earlier run), rows written,
    the files' errors, and whether the output was written (not when every file failed)."""

    files: int
    rows: int
    errors: tuple[ClassifierError, ...]
    resumed: int = 0
    written: bool = True


def partial_paths(output: str | os.PathLike) -> tuple[Path, Path]:
    """The partial file and its journal for ``output``.

    >>> [p.name for p in partial_paths("out/run.jsonl")]
    ['.run.jsonl.partial', '.run.jsonl.partial.json']
    """
    target = Path(output)
    return target.with_name(f".{target.name}.partial"), target.with_name(f".{target.name}.partial.json")


def predict_to(files: Sequence[str], output: str | os.PathLike | None, *, model: str | None = None,
               sentences: bool = False, jobs: int = 1, fmt: str | None = None, resume: bool = False,
               dask: str | None = None, progress: Callable[[str, int, int], None] | None = None) -> StreamResult:
    """Label the units of ``files`` and write their rows to ``output`` (None or ``-``: standard output) in
    ``fmt``, file by file; ``resume`` carries on from an interrupted run's partial output. With ``dask`` (a
    scheduler's address, or "" for a cluster on this machine) the files are spread over Dask workers. ``fmt``
    defaults to the output's suffix (.csv, .parquet, .jsonl), else JSON Lines."""
    suffix = Path(str(output)).suffix.lower().lstrip(".") if output is not None else ""
    fmt = fmt or (suffix if suffix in ("csv", "parquet", "jsonl") else "jsonl")
    to_stdout = output is None or str(output) == "-"
    _check(files, output, fmt, resume, dask, to_stdout)

    def source(todo: Sequence[str]) -> Iterator[FileRows]:
        if dask is not None:
            from .distributed import iter_predictions_dask

            return iter_predictions_dask(todo, model, sentences, address=dask or None, progress=progress)
        return iter_predictions(todo, model, sentences, jobs, progress)

    if to_stdout:
        return _to_stream(source(files), sys.stdout, fmt)
    run = {"files": list(files), "format": fmt, "sentences": sentences, "model": model}
    return _to_file(files, source, Path(output), fmt, run, resume)


def _check(files: Sequence[str], output, fmt: str, resume: bool, dask: str | None, to_stdout: bool) -> None:
    """Raise now, before any work, what would stop the run later."""
    if fmt not in STREAM_FORMATS:
        raise UsageError("--format", f"unknown format {fmt!r}; expected one of {', '.join(STREAM_FORMATS)}")
    if to_stdout and (resume or fmt == "parquet"):
        raise UsageError("--output", f"{'--resume' if resume else 'parquet'} needs an output file (-o FILE)")
    if resume and fmt == "parquet":
        raise UsageError("--resume", "a parquet file cannot be resumed; write jsonl or csv to resume")
    if resume and "-" in files:
        raise UsageError("--resume", "standard input cannot be read again; name files to resume")
    check_output(output, files)
    if fmt == "parquet":
        from .parquet import check_parquet

        check_parquet()  # a missing extra is said at once
    if dask is not None:
        from .distributed import check_dask

        check_dask()


def _to_stream(done: Iterable[FileRows], out: IO[str], fmt: str) -> StreamResult:
    """Rows straight to a text stream (standard output), nothing to resume."""
    files = rows = 0
    errors, header = [], True
    for item in done:
        files += item.last
        if item.error and item.last:
            errors.append(item.error)
        if item.rows:
            out.write(_text(item.rows, fmt, header))
            out.flush()
            rows, header = rows + len(item.rows), False
    if rows and fmt == "table":
        out.write(_TABLE_END)
    return StreamResult(files, rows, tuple(errors))


def _text(rows: list[dict], fmt: str, header: bool) -> str:
    """Rows in a text format; a CSV chunk without its header line unless ``header``; a table's without the
    legend, which goes once at the end (``_TABLE_END``)."""
    buf = io.StringIO()
    write_rows(rows, buf, fmt, header=header, legend=False)
    return buf.getvalue()


def _to_file(files: Sequence[str], source, target: Path, fmt: str, run: dict, resume: bool) -> StreamResult:
    """Stream into the partial file beside ``target``; publish it when the batch is over."""
    partial, journal = partial_paths(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    entries = _resumed(partial, journal, run) if resume else _fresh(partial, journal)
    if not entries:
        journal.write_text(json.dumps(run, ensure_ascii=False) + "\n", encoding="utf-8")
    errors = [ClassifierError(e["where"], e["problem"]) for e in entries if e.get("problem")]
    rows = sum(e["rows"] for e in entries)
    writer = _writer(partial, fmt, fresh=not entries)
    count = len(entries)
    try:
        with writer, open(journal, "a", encoding="utf-8") as log:
            file_rows = 0
            for item in source(files[len(entries):]):
                writer.write(item.rows)
                rows, file_rows = rows + len(item.rows), file_rows + len(item.rows)
                if not item.last:  # more of this file to come
                    continue
                count += 1
                item.error and errors.append(item.error)
                entry = {"file": item.name, "end": writer.end(), "rows": file_rows,
                         "where": item.error and item.error.where, "problem": item.error and item.error.problem}
                log.write(json.dumps(entry, ensure_ascii=False) + "\n")
                log.flush()
                file_rows = 0
    except BaseException:
        if count == 0:  # stopped before any file was finished (a bad model, say): nothing to resume
            partial.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
        raise
    if rows == 0 and errors:  # nothing came of it: the old output stays as it was
        partial.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        return StreamResult(count, 0, tuple(errors), len(entries), written=False)
    publish(partial, target)
    journal.unlink(missing_ok=True)
    return StreamResult(count, rows, tuple(errors), len(entries))


def _fresh(partial: Path, journal: Path) -> list[dict]:
    """Start over: an earlier run's partial file goes (it is ours only when its journal is beside it)."""
    if partial.exists() and not journal.exists():
        raise UsageError("--output", f"{partial} exists and was not written by an interrupted run of classifier; "
                                     "move it away")
    partial.unlink(missing_ok=True)
    return []


def _resumed(partial: Path, journal: Path, run: dict) -> list[dict]:
    """The finished files of the interrupted run whose partial file is ``partial``, cut back to the last of them."""
    if not (partial.exists() and journal.exists()):
        return _fresh(partial, journal)
    lines = journal.read_text(encoding="utf-8").splitlines()
    entries = []
    for line in lines[1:]:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:  # the last line, torn by the kill
            break
    if not lines or _header(lines[0]) != run:
        raise UsageError("--resume", f"{partial} was written by a run with other files or options; "
                                     "run again without --resume to start over")
    end = entries[-1]["end"] if entries else 0
    if end > partial.stat().st_size:
        raise UsageError("--resume", f"{partial} is shorter than its journal says ({end} bytes); "
                                     "run again without --resume to start over")
    with open(partial, "r+b") as f:
        f.truncate(end)
    with open(journal, "w", encoding="utf-8") as f:  # the journal as far as the partial file now goes
        f.write(lines[0] + "\n" + "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
    return entries


def _header(line: str) -> dict | None:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


class _TextWriter:
    """JSON Lines, CSV or a table, appended to the partial file as bytes (so that every end is exact)."""

    def __init__(self, path: Path, fmt: str, fresh: bool) -> None:
        self.fmt = fmt
        self.file = open(path, "wb" if fresh else "ab")
        if fresh and fmt == "csv":
            self.file.write(_BOM)  # Excel reads UTF-8 CSV by its BOM
        self.header = self.file.tell() <= len(_BOM) if fmt == "csv" else False

    def write(self, rows: list[dict]) -> None:
        if rows:
            self.file.write(_text(rows, self.fmt, self.header).encode("utf-8"))
            self.header = False

    def end(self) -> int:
        self.file.flush()
        return self.file.tell()

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None and self.fmt == "table" and self.file.tell():
            self.file.write(_TABLE_END.encode("utf-8"))
        self.file.close()


def _writer(path: Path, fmt: str, fresh: bool):
    if fmt == "parquet":
        from .parquet import ParquetRows

        return ParquetRows(path)
    return _TextWriter(path, fmt, fresh)
