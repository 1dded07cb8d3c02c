"""Labelled tasks back into a corpus: the files ``classifier suggest`` wrote, once people have labelled them.

A task names its report (``file``) and the unit's ``start`` and ``end`` in the report's text. The
report is copied into ``DIR/reports/`` (a text file byte for byte; the text of a Word, PDF or web
page), and each labelled unit goes into ``DIR/labelled/<report>.jsonl`` with those offsets. Rows
without a label are skipped and counted; importing the same labels twice adds nothing, and a unit
labelled again takes its new label.

    >>> result = import_tasks("to-label.csv", "mine", labels={"plan", "other"})   # doctest: +SKIP
    >>> result.added, result.unlabelled, result.skipped                            # doctest: +SKIP
    (37, 63, ())
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path
from typing import Collection

from ..errors import ClassifierError, DataError
from ..read.reading import read_document
from ..units.segments import segment
from .corpus import _list_entries, _list_text, decode_file
from .labelled_files import LabelledUnit, Problem, expected_headings, read_labelled_file
from .interchange import _slug, unit_record, write_atomic
from .task_readers import TaskRow, known_labels, read_tasks

@dataclass(frozen=True)
class TaskImport:
    """What an import of tasks did."""

    reports: tuple[str, ...]
    added: int
    relabelled: int
    unchanged: int
    unlabelled: int
    disagreements: int
    written: tuple[Path, ...]
    skipped: tuple[Problem, ...] = ()


def import_tasks(source: str | PathLike[str], data_dir: str | PathLike[str], *, fmt: str, skip_bad: bool = False,
                 labels: Collection[str] | None = None, new_label: bool = False) -> TaskImport:
    """Add the labelled tasks of ``source`` to the corpus ``data_dir`` (see the module's docstring).

    A bad row (a label the model does not know, unless ``new_label``; offsets that no longer hold the
    text; a report that cannot be found) fails the import, naming file and line, unless ``skip_bad``.
    """
    path, data = Path(source), Path(data_dir)
    rows, problems, unlabelled, disagreements = read_tasks(path, fmt)
    if not rows and not problems:
        raise DataError(path, f"no labelled rows ({unlabelled} without a label): label some first")
    if labels is not None and not new_label:
        rows, problems = known_labels(rows, problems, set(labels), str(path))
    listed = _labels_file(data, set(labels or ()) | {row.label for row in rows})
    reports, problems = _reports(rows, problems, data, path)
    problems.sort(key=lambda p: p.line)
    if problems and not skip_bad:
        more = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DataError(problems[0].where, f"{problems[0].message}{more}; nothing was imported (--skip-bad imports the good rows)")
    if (data / "reports.csv").exists() and any(not (data / "reports" / f"{r}.txt").exists() for r in reports):
        raise DataError(data / "reports.csv", "this corpus lists its reports there; import into a directory of your own")
    counts, writes = [0, 0, 0], []
    for rid, (raw_bytes, text, group) in sorted(reports.items()):
        merged, changed = _merge(data, rid, text, group, counts, str(path))
        raw_path = data / "reports" / f"{rid}.txt"
        if not raw_path.exists():
            writes.append((raw_path, raw_bytes))
        if changed:
            writes.append((data / "labelled" / f"{rid}.jsonl", _jsonl(merged)))
    for target, content in writes + listed:
        write_atomic(target, content)
    return TaskImport(tuple(sorted(reports)), *counts, unlabelled, disagreements, tuple(t for t, _ in writes), tuple(problems))


def _labels_file(data: Path, labels: set[str]) -> list[tuple[Path, bytes]]:
    """labels.txt with ``labels`` added (written when it lacks some), so that a small corpus's rare labels
    are known labels, not typos."""
    path = data / "labels.txt"
    old = _list_text(path) if path.exists() else ""
    listed = _list_entries(old)
    if labels <= listed:
        return []
    old = old if not old or old.endswith("\n") else old + "\n"
    return [(path, (old + "".join(f"{label}\n" for label in sorted(labels - listed))).encode("utf-8"))]


def _reports(rows: list[TaskRow], problems: list[Problem], data: Path, source: Path):
    """Rows grouped by report id, each report with its bytes to copy and its text; bad rows as problems."""
    found: dict[str, tuple[str, bytes, str] | str] = {}
    reports: dict[str, tuple[bytes, str, list[TaskRow]]] = {}
    for row in rows:
        if row.file not in found:
            found[row.file] = _find_report(row.file, data, source)
        report = found[row.file]
        if isinstance(report, str):
            problems.append(Problem(str(source), row.line, row.where + report))
            continue
        rid, raw, text = report
        piece = text[row.start:row.end] if 0 <= row.start <= row.end <= len(text) else None
        if piece != row.text and not (row.text.startswith("'") and piece == row.text[1:]):  # a spreadsheet's text mark
            shown = "outside the text" if piece is None else f"now holds {piece[:30]!r}"
            problems.append(Problem(str(source), row.line, f"{row.where}{row.file} has changed since the task was made: "
                                    f"[{row.start}, {row.end}) {shown}, the task says {row.text[:30]!r}"))
            continue
        reports.setdefault(rid, (raw, text, []))[2].append(replace(row, text=piece))
    return reports, problems


def _find_report(name: str, data: Path, source: Path) -> tuple[str, bytes, str] | str:
    """(report id, bytes to keep, text) of the report a task names, or what is wrong: the file as given,
    else beside the task file, else the copy an earlier import made."""
    for path in (Path(name), source.parent / name):
        if path.is_file():
            try:
                document = read_document(path)
            except ClassifierError as err:
                return f"cannot read {name}: {err.problem}"
            raw = path.read_bytes() if document.format == "txt" else document.text.encode("utf-8")
            return _report_id(Path(name).stem, raw, data), raw, document.text
    copy = data / "reports" / f"{_slug(Path(name).stem)}.txt"
    if copy.is_file():
        return copy.stem, copy.read_bytes(), decode_file(copy)
    return f"report file {name} not found (moved or renamed? put its new place in the file column)"


def _report_id(stem: str, raw: bytes, data: Path) -> str:
    """The report's id from its file name; another report of the same name in the corpus gets a hash added."""
    rid = _slug(stem)
    existing = data / "reports" / f"{rid}.txt"
    if existing.exists() and existing.read_bytes() != raw:
        rid = f"{rid}-{hashlib.sha1(raw).hexdigest()[:8]}"
    return rid


def _merge(data: Path, rid: str, text: str, rows: list[TaskRow], counts: list[int],
           source: str) -> tuple[list[LabelledUnit], bool]:
    """The report's labelled units with the rows added (a unit already there takes the row's label);
    counts [added, relabelled, unchanged] are updated. Rows overlapping another unit are an error."""
    path = data / "labelled" / f"{rid}.jsonl"
    units = {(u.start, u.end): u for u in _existing(path)}
    headings = {(u.start, u.end): u.is_heading for u in segment(text)}
    changed = not path.exists()
    for row in rows:
        old = units.get((row.start, row.end))
        if old is None:
            clash = next((u for u in units.values() if u.start < row.end and row.start < u.end), None)
            if clash:
                raise DataError(f"{source}:{row.line}", f"{row.where}[{row.start}, {row.end}) overlaps the unit "
                                f"[{clash.start}, {clash.end}) already in {path}")
            units[row.start, row.end] = LabelledUnit(row.text, row.start, row.end, "",
                                                     headings.get((row.start, row.end), False), row.label, rid)
            counts[0] += 1
        elif old.label != row.label:
            units[row.start, row.end] = replace(old, label=row.label)
            counts[1] += 1
        else:
            counts[2] += 1
        changed = changed or old is None or old.label != row.label
    return _with_headings([units[k] for k in sorted(units)]), changed


def _existing(path: Path) -> list[LabelledUnit]:
    """The units already in a labelled file; a DataError on its first problem."""
    if not path.exists():
        return []
    units, problems = read_labelled_file(path)
    if units is None or problems:
        raise DataError(problems[0].where, problems[0].message)
    return [unit for _, unit in units]


def _with_headings(units: list[LabelledUnit]) -> list[LabelledUnit]:
    """Each unit's ``heading`` as the corpus check wants it (an unnumbered heading keeps its own)."""
    return [unit if heading is None else replace(unit, heading=heading)
            for unit, heading in zip(units, expected_headings(units))]


def _jsonl(units: list[LabelledUnit]) -> bytes:
    return "".join(json.dumps(unit_record(u), ensure_ascii=False) + "\n" for u in units).encode("utf-8")
