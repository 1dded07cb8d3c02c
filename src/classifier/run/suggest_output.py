"""Suggested tasks written for the tools people label in: a spreadsheet, Label Studio, doccano.

    >>> write_tasks(result.tasks, "to-label.csv", "csv")      # doctest: +SKIP
    [PosixPath('to-label.csv')]
    >>> write_tasks(result.tasks, "tasks.json", "labelstudio")  # and tasks.labelling-config.xml beside it  # doctest: +SKIP

Every format carries the file as given, the unit's ``start`` and ``end`` in the file's text, the
unit's text, heading and neighbours, and the model's label and confidence; the label itself is
left empty (Label Studio gets the model's label as a pre-annotation, which a person confirms or
changes). ``classifier data import`` reads each of them back.
"""
from __future__ import annotations

import csv
import io
import json
import os
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

from ..errors import UsageError
from ..files import atomic_file
from .output import spreadsheet_safe
from .suggest import Task

TASK_FORMATS = ("csv", "jsonl", "labelstudio", "doccano")
CSV_COLUMNS = ("file", "start", "end", "text", "heading", "previous", "next", "suggested", "confidence", "label")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".json": "labelstudio"}


def labelling_config() -> str:
    """The Label Studio labelling config for our tasks (``classifier/corpus/labelstudio.xml``)."""
    return resources.files("classifier.corpus").joinpath("labelstudio.xml").read_text(encoding="utf-8")


def task_format(output: str | os.PathLike, fmt: str | None) -> str:
    """``fmt``, or the format ``output``'s suffix implies (.csv, .jsonl, .json for Label Studio).

    >>> task_format("tasks.json", None), task_format("x.jsonl", "doccano")
    ('labelstudio', 'doccano')
    """
    fmt = fmt or _SUFFIXES.get(Path(output).suffix.lower())
    if fmt not in TASK_FORMATS:
        raise UsageError("--format", f"give one of {', '.join(TASK_FORMATS)} (the suffix of {output} does not say)")
    return fmt


def config_path(output: str | os.PathLike) -> Path:
    """Where the labelling config goes beside a Label Studio task file.

    >>> str(config_path("out/tasks.json"))
    'out/tasks.labelling-config.xml'
    """
    path = Path(output)
    return path.with_name(path.stem + ".labelling-config.xml")


def check_config_destination(output: str | os.PathLike) -> None:
    """Refuse, before any work, to replace a file beside ``output`` that is not our config."""
    path = config_path(output)
    if path.exists() and (not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != labelling_config()):
        raise UsageError(path, "exists and is not this labelling config; move it away or choose another output")


def write_tasks(tasks: Sequence[Task], output: str | os.PathLike, fmt: str, model_version: str = "classifier") -> list[Path]:
    """Write ``tasks`` to ``output`` in ``fmt`` (atomically); returns the paths written."""
    content = _WRITERS[fmt](tasks, model_version)
    written = [Path(output)]
    _write(Path(output), content)
    if fmt == "labelstudio":
        written.append(config_path(output))
        _write(config_path(output), labelling_config().encode("utf-8"))
    return written


def _write(path: Path, content: bytes) -> None:
    with atomic_file(path, "wb") as file:
        file.write(content)


def _csv(tasks: Sequence[Task], _version: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for task in tasks:
        row = task.to_dict()
        writer.writerow([spreadsheet_safe(row[c]) if c in ("text", "heading", "previous", "next") else row[c]
                         for c in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _jsonl(tasks: Sequence[Task], _version: str) -> bytes:
    rows = ({c: row[c] for c in CSV_COLUMNS} for row in (t.to_dict() for t in tasks))
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def _data(task: Task) -> dict:
    row = task.to_dict()
    return {c: row[c] for c in ("text", "heading", "previous", "next", "file", "start", "end")}


def _labelstudio(tasks: Sequence[Task], version: str) -> bytes:
    out = [{"data": _data(t),
            "predictions": [{"model_version": version, "score": t.confidence,
                             "result": [{"from_name": "label", "to_name": "text", "type": "choices",
                                         "value": {"choices": [t.suggested]}}]}]} for t in tasks]
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")


def _doccano(tasks: Sequence[Task], _version: str) -> bytes:
    """doccano's text classification JSONL: ``label`` empty (a filled one would read as a person's), the
    model's guess as metadata."""
    rows = ({**_data(t), "label": [], "suggested": t.suggested, "confidence": t.confidence} for t in tasks)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


_WRITERS: dict[str, Callable[[Sequence[Task], str], bytes]] = {
    "csv": _csv, "jsonl": _jsonl, "labelstudio": _labelstudio, "doccano": _doccano,
}
