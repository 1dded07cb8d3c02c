"""Reading labelled task files: CSV, JSON Lines (ours or doccano's) and Label Studio exports.

    >>> rows, problems, unlabelled, disagreements = read_tasks(Path("to-label.csv"), "csv")   # doctest: +SKIP
"""
from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass
from itertools import zip_longest
from os import PathLike
from pathlib import Path
from typing import Any, Iterator

from ..errors import ClassifierError, DataError
from .corpus import decode_file
from .labelled_files import Problem, json_object

TASK_FIELDS = ("file", "start", "end")


@dataclass(frozen=True)
class TaskRow:
    """A labelled task: where it was read (``line``, or the task number with ``where``), the unit and its label."""

    line: int
    where: str
    file: str
    start: int
    end: int
    text: str
    label: str


def is_task_file(path: str | PathLike[str], fmt: str) -> bool:
    """Whether a CSV, JSONL or Label Studio file holds tasks (rows that name file, start and end)."""
    try:
        first = next(iter(_records(Path(path), fmt)), None)
    except ClassifierError:
        return False
    return first is not None and isinstance(first[2], dict) and all(k in first[2] for k in TASK_FIELDS)


def read_tasks(path: Path, fmt: str) -> tuple[list[TaskRow], list[Problem], int, int]:
    """The labelled rows, the bad ones, how many had no label, and how many tasks annotators disagreed on."""
    rows, problems, unlabelled, disagreements = [], [], 0, 0
    for line, where, record in _records(path, fmt):
        if isinstance(record, str):
            problems.append(Problem(str(path), line, where + record))
            continue
        disagreements += bool(record.pop("_disagreement", False))
        made = _row(line, where, record)
        if made is None:
            unlabelled += 1
        elif isinstance(made, str):
            problems.append(Problem(str(path), line, where + made))
        else:
            rows.append(made)
    return rows, problems, unlabelled, disagreements


def _row(line: int, where: str, record: dict[str, Any]) -> TaskRow | str | None:
    label = record.get("label")
    label = label[0] if isinstance(label, list) and len(label) == 1 else label
    if isinstance(label, list):
        return None if not label else f"expected one label, found {len(label)}: {label}"
    if label is None or not str(label).strip():
        return None
    missing = [k for k in (*TASK_FIELDS, "text") if record.get(k) in (None, "")]
    if missing:
        return "missing " + ", ".join(missing)
    try:
        start, end = int(record["start"]), int(record["end"])
    except (TypeError, ValueError):
        return f"start and end must be whole numbers, not {record['start']!r} and {record['end']!r}"
    return TaskRow(line, where, str(record["file"]), start, end, str(record["text"]), str(label).strip())


def _records(path: Path, fmt: str) -> Iterator[tuple[int, str, dict[str, Any] | str]]:
    if fmt == "csv":
        for line, header, fields in csv_rows(path):
            yield line, "", f"more fields than the header's {len(header)}" if len(fields) > len(header) \
                else {name: value for name, value in zip_longest(header, fields, fillvalue="") if name}
    elif fmt == "labelstudio":
        yield from _labelstudio(path)
    else:
        for line, text in enumerate(decode_file(path).split("\n"), start=1):
            if text.strip():
                yield line, "", json_object(text)


def csv_rows(path: Path, required: tuple[str, ...] = ()) -> Iterator[tuple[int, list[str], list[str]]]:
    """Each non-blank row after a CSV file's header: (the line it starts on, the header's names stripped and
    lower-cased, its fields). A DataError naming the line when the file is not valid CSV (a field over
    csv's size limit, say) or its header lacks a ``required`` name."""
    reader = csv.reader(io.StringIO(decode_file(path), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if any(name not in header for name in required):
            raise DataError(f"{path}:1", f"the header must name the columns {' and '.join(required)}, not {header}")
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if fields:
                yield line, header, fields
    except csv.Error as err:
        raise DataError(f"{path}:{reader.line_num}", f"not valid CSV: {err}") from err


def labelstudio_tasks(path: Path) -> list:
    """The tasks of a Label Studio JSON export (a list); a DataError naming the line when it is not one."""
    try:
        tasks = json.loads(decode_file(path))
    except json.JSONDecodeError as err:
        raise DataError(f"{path}:{err.lineno}", f"not valid JSON: {err.msg}") from err
    if not isinstance(tasks, list):
        raise DataError(path, "not a Label Studio export (a JSON list of tasks)")
    return tasks


def _labelstudio(path: Path) -> Iterator[tuple[int, str, dict[str, Any] | str]]:
    """Each task's data with the choice of its latest annotation (not cancelled); ``_disagreement``
    when its annotations chose differently. Predictions are the model's, never a label."""
    for number, task in enumerate(labelstudio_tasks(path), start=1):
        where = f"task {number}" + (f" (id {task['id']})" if isinstance(task, dict) and "id" in task else "") + ": "
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            yield number, where, "no data"
            continue
        annotations, latest = latest_annotation(task)
        chosen = [annotation_choices(a) for a in annotations]
        if latest is None or not any(chosen):
            yield number, where, {**data, "label": None}
            continue
        distinct = {tuple(c) for c in chosen if c}
        yield number, where, {**data, "label": chosen[latest], "_disagreement": len(distinct) > 1}


def latest_annotation(task: dict[str, Any]) -> tuple[list[dict[str, Any]], int | None]:
    """The annotations of a Label Studio task that were not cancelled, and which of them is the latest
    (by ``updated_at``, else ``created_at``; the later one on a tie), None when there is none.

    >>> latest_annotation({"annotations": [{"updated_at": "2025-02"}, {"updated_at": "2025-01"}]})[1]
    0
    """
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    when = [str(a.get("updated_at") or a.get("created_at") or "") for a in annotations]
    return annotations, max(range(len(annotations)), key=lambda i: (when[i], i), default=None)


def annotation_choices(annotation: dict[str, Any]) -> list[Any]:
    """The choices a Label Studio annotation made (its results of type ``choices``).

    >>> annotation_choices({"result": [{"type": "choices", "value": {"choices": ["plan"]}}]})
    ['plan']
    """
    return [c for r in annotation.get("result") or [] if isinstance(r, dict) and r.get("type") == "choices"
            for c in (r.get("value") or {}).get("choices") or []]


def known_labels(rows: list, problems: list[Problem], labels: set[str], source: str) -> tuple[list, list[Problem]]:
    """The rows whose label is one of ``labels``; the others become problems (with the nearest label as a hint)."""
    kept = []
    for row in rows:
        if row.label in labels:
            kept.append(row)
            continue
        close = difflib.get_close_matches(row.label, sorted(labels), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(Problem(source, row.line, f"{row.where}label {row.label!r} is not one of the model's labels "
                                                  f"({', '.join(sorted(labels))}){hint} (--new-label adds it)"))
    return kept, problems
