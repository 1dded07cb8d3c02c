"""Labelled units in and out of a corpus: CSV, doccano JSONL and Label Studio JSON.

    >>> result = import_labels("sentences.csv", "data")  # doctest: +SKIP
    >>> result.reports, result.units, [str(p) for p in result.skipped]  # doctest: +SKIP
    (('sentences',), 120, [])
    >>> export_labels("data", "corpus.json", fmt="labelstudio")  # doctest: +SKIP
    1234
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import asdict, dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Mapping

from ..errors import DataError, UsageError
from ..files import atomic_file
from .corpus import decode_file, load_corpus
from .labelled_files import LabelledUnit, Problem, json_object
from .task_readers import annotation_choices, csv_rows, known_labels, labelstudio_tasks, latest_annotation

FORMATS = ("csv", "doccano", "labelstudio")
CSV_COLUMNS = ("text", "label", "report", "heading", "is_heading")
_SUFFIXES = {".csv": "csv", ".jsonl": "doccano", ".json": "labelstudio"}
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_FLAGS = {"": False, "false": False, "0": False, "no": False, "true": True, "1": True, "yes": True}


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: report ids, number of units, files written, lines skipped."""

    reports: tuple[str, ...]
    units: int
    written: tuple[Path, ...]
    skipped: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Row:
    line: int  # line in the source file; for Label Studio the task number, with where="task "
    text: str
    label: str
    report: str | None = None
    heading: str = ""
    is_heading: bool = False
    where: str = ""


def guess_format(path: str | PathLike[str], fmt: str | None = None) -> str:
    """``fmt`` checked, or the format its suffix implies (.csv, .jsonl doccano, .json Label Studio).

    >>> guess_format("export.jsonl"), guess_format("x.txt", "csv")
    ('doccano', 'csv')
    """
    if fmt is None:
        fmt = _SUFFIXES.get(Path(path).suffix.lower())
        if fmt is None:
            raise UsageError(path, f"cannot tell the format from the suffix; give one of {', '.join(FORMATS)}")
    if fmt not in FORMATS:
        raise UsageError("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt


def read_labelled_table(path: str | PathLike[str]) -> list[tuple[str, str]]:
    """``(text, label)`` pairs from a CSV (header with text,label) or JSONL file; DataError on a bad line.

    >>> read_labelled_table("extra.csv")[:1]  # doctest: +SKIP
    [('开展普法宣传活动20余场。', 'publicity')]
    """
    rows, problems = _read_source(Path(path), guess_format(path))
    if problems:
        raise DataError(problems[0].where, problems[0].message)
    if not rows:
        raise DataError(path, "no labelled lines")
    return [(row.text, row.label) for row in rows]


def import_labels(source: str | PathLike[str], data_dir: str | PathLike[str], *,
                  fmt: str | None = None, skip_bad: bool = False, labels: Collection[str] | None = None) -> ImportResult:
    """Add the units of a CSV, doccano or Label Studio file to a corpus, grouped by report.

    Bad lines (and, given ``labels``, a label not among them) make the whole import fail (nothing
    written) unless ``skip_bad``, which keeps the good ones and returns the bad ones in ``skipped``.

    >>> import_labels("batch.csv", "data", skip_bad=True).skipped  # doctest: +SKIP
    (Problem(file='batch.csv', line=7, message='empty label'),)
    """
    path, data = Path(source), Path(data_dir)
    rows, problems = _read_source(path, guess_format(path, fmt))
    if labels is not None:
        rows, problems = known_labels(rows, problems, set(labels), str(path))
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.report or _slug(path.stem), []).append(row)
    planned = []
    for rid, group in groups.items():
        raw, units, missing = _align(data, rid, group, str(path))
        problems += missing
        if units:
            planned.append((rid, raw, units))
    problems.sort(key=lambda p: p.line)
    if problems and not skip_bad:
        raise DataError(problems[0].where, problems[0].message + "; nothing was imported")
    if not planned:
        raise DataError(path, "no units to import")
    writes = [w for rid, raw, units in planned for w in _writes(data, rid, raw, units)]
    for target, content in writes:
        write_atomic(target, content)
    count = sum(len(units) for _, _, units in planned)
    return ImportResult(tuple(rid for rid, _, _ in planned), count, tuple(t for t, _ in writes), tuple(problems))


def export_labels(data_dir: str | PathLike[str], dest: str | PathLike[str], *, fmt: str | None) -> int:
    """Write every unit of a valid corpus to ``dest``; returns the number of units.

    >>> export_labels("data", "corpus.csv", fmt="csv")  # doctest: +SKIP
    1234
    """
    exporter = _EXPORTERS[guess_format(dest, fmt)]
    units = [unit for report in load_corpus(data_dir) for unit in report.units]
    write_atomic(Path(dest), exporter(units))
    return len(units)


def write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it over ``path`` (umask's mode,
    or the replaced file's)."""
    with atomic_file(path, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


def unit_record(unit: LabelledUnit) -> dict[str, Any]:
    """A unit as its line of a labelled file (``bare`` only when true)."""
    record = asdict(unit)
    if not record["bare"]:
        del record["bare"]
    return record


def _slug(stem: str) -> str:
    """An ASCII-safe report id from a file name (a hash when nothing ASCII is left)."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "import-" + hashlib.sha1(stem.encode()).hexdigest()[:8]


def _read_source(path: Path, fmt: str) -> tuple[list[_Row], list[Problem]]:
    rows: list[_Row] = []
    problems: list[Problem] = []
    for line, where, record in _READERS[fmt](path):
        made = record if isinstance(record, str) else _row(line, record, where)
        if isinstance(made, str):
            problems.append(Problem(str(path), 0 if where else line, where + made))
        else:
            rows.append(made)
    return rows, problems


def _row(line: int, record: Mapping[str, Any], where: str) -> _Row | str:
    """A source record (text, label, maybe report, heading, is_heading) as a row, or what is wrong."""
    text, label = record.get("text"), record.get("label")
    for name, value in (("text", text), ("label", label)):
        if value is not None and not isinstance(value, str):
            return f"{name} must be a string, not {value!r}"
        if not (value or "").strip():
            return f"empty {name}"
    report, heading = record.get("report") or None, record.get("heading") or ""
    if report is not None and not (isinstance(report, str) and _SAFE_ID.fullmatch(report)):
        return f"report {report!r} is not a safe file name (letters, digits, '.', '_', '-')"
    if not isinstance(heading, str):
        return f"heading must be a string, not {heading!r}"
    flag = record.get("is_heading", False)
    is_heading = flag if isinstance(flag, bool) else _FLAGS.get(str(flag).strip().lower())
    if is_heading is None:
        return f"is_heading must be true or false, not {flag!r}"
    return _Row(line, text.strip(), label.strip(), report, heading.strip(), is_heading, where)


# (line or task number, "" or "task N: ", the record's fields or what is wrong with it)
Record = tuple[int, str, "Mapping[str, Any] | str"]


def _csv_records(path: Path) -> Iterable[Record]:
    for line, header, fields in csv_rows(path, required=("text", "label")):
        yield line, "", f"expected {len(header)} fields, found {len(fields)}" if len(fields) != len(header) \
            else dict(zip(header, fields))


def _doccano_records(path: Path) -> Iterable[Record]:
    for line, text in enumerate(decode_file(path).split("\n"), start=1):
        if text.strip():
            yield line, "", _doccano_record(text)


def _doccano_record(text: str) -> Mapping[str, Any] | str:
    obj = json_object(text)
    if isinstance(obj, str):
        return obj
    labels = obj.get("label", obj.get("labels"))
    labels = [labels] if isinstance(labels, str) else labels
    if not isinstance(labels, list) or len(labels) != 1:
        return f"expected exactly one label, found {len(labels) if isinstance(labels, list) else 0}"
    return {**obj, "label": labels[0]}


def _labelstudio_records(path: Path) -> Iterable[Record]:
    for number, task in enumerate(labelstudio_tasks(path), start=1):
        yield number, f"task {number}: ", _labelstudio_record(task)


def _labelstudio_record(task: Any) -> Mapping[str, Any] | str:
    """The task's data with the single choice of its latest annotation not cancelled."""
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict):
        return "no data"
    annotations, latest = latest_annotation(task)
    if latest is None:
        return "no annotation that was not cancelled"
    choices = annotation_choices(annotations[latest])
    if len(choices) != 1:
        return f"expected exactly one choice, found {len(choices)}"
    return {**data, "label": choices[0]}


_READERS: dict[str, Callable[[Path], Iterable[Record]]] = {
    "csv": _csv_records, "doccano": _doccano_records, "labelstudio": _labelstudio_records,
}


def _align(data: Path, rid: str, rows: list[_Row], source: str) -> tuple[str, list[LabelledUnit], list[Problem]]:
    """Units with offsets into the existing raw report, or into one made of the texts, one per line
    (then bare sentences: the order of the rows is no context)."""
    raw_path = data / "reports" / f"{rid}.txt"
    labelled = data / "labelled" / f"{rid}.jsonl"
    bare = not raw_path.exists() or (labelled.exists() and b'"bare": true' in labelled.read_bytes().split(b"\n")[0])
    raw = "".join(row.text + "\n" for row in rows) if bare else decode_file(raw_path)
    units, problems, position = [], [], 0
    for row in rows:
        start = raw.find(row.text, position)
        if start < 0:
            message = f"{row.where}text not found in {raw_path} after offset {position}: {row.text[:30]!r}"
            problems.append(Problem(source, 0 if row.where else row.line, message))
            continue
        position = start + len(row.text)
        units.append(LabelledUnit(row.text, start, position, row.heading, row.is_heading, row.label, rid, bare))
    return raw, units, problems


def _writes(data: Path, rid: str, raw: str, units: list[LabelledUnit]) -> list[tuple[Path, bytes]]:
    """Files to write for one report; DataError if its labelled file exists with other units."""
    raw_path, labelled = data / "reports" / f"{rid}.txt", data / "labelled" / f"{rid}.jsonl"
    records = [unit_record(unit) for unit in units]
    writes = [] if raw_path.exists() else [(raw_path, raw.encode("utf-8"))]
    if not labelled.exists():
        return writes + [(labelled, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())]
    try:
        lines = labelled.read_bytes().decode("utf-8-sig").split("\n")
        existing = [{"is_heading": False, **json.loads(line)} for line in lines if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError):
        existing = None
    if existing != records:
        raise DataError(labelled, "already exists with other units; nothing was imported "
                                  "(remove it, or import into another data directory)")
    return writes


def _export_csv(units: list[LabelledUnit]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows((u.text, u.label, u.report, u.heading, str(u.is_heading).lower()) for u in units)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _export_doccano(units: list[LabelledUnit]) -> bytes:
    lines = (json.dumps({"text": u.text, "label": [u.label], "report": u.report, "heading": u.heading,
                         "is_heading": u.is_heading}, ensure_ascii=False) + "\n" for u in units)
    return "".join(lines).encode("utf-8")


def _export_labelstudio(units: list[LabelledUnit]) -> bytes:
    tasks = [{"data": {"text": u.text, "report": u.report, "heading": u.heading, "is_heading": u.is_heading},
              "annotations": [{"result": [{"type": "choices", "from_name": "label", "to_name": "text",
                                           "value": {"choices": [u.label]}}]}]} for u in units]
    return json.dumps(tasks, ensure_ascii=False, indent=1).encode("utf-8")


_EXPORTERS: dict[str, Callable[[list[LabelledUnit]], bytes]] = {
    "csv": _export_csv, "doccano": _export_doccano, "labelstudio": _export_labelstudio,
}
