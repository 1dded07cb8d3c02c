"""The labelled corpus: a directory of raw reports, their labelled units and metadata.

Layout (default ``data/``)::

    reports/<id>.txt      raw report text, UTF-8 or GB18030
    labelled/<id>.jsonl   one unit per line: text, start, end, heading, is_heading, label, report
    reports.csv           id,body,level,department_level,region,year,provenance,encoding,notes
    labels.txt            optional: the only labels allowed, one per line
    stock-phrases.txt     optional: phrases that may recur across reports, one per line

    >>> problems = check_corpus("data")  # doctest: +SKIP
    >>> reports = load_corpus("data")  # DataError on the first problem  # doctest: +SKIP
    >>> repeated = corpus_warnings("data")  # a sentence in two reports: a warning  # doctest: +SKIP

A unit may carry ``"bare": true``: it was imported as a bare sentence (a row of text and label
without its report), and is trained without context.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Mapping

from ..errors import ClassifierError, DataError, ReadError
from ..read.reading import decode_bytes
from .labelled_files import LabelledUnit, Problem, expected_headings, read_labelled_file  # noqa: F401 (re-exported)

LEVELS = ("township", "street", "county", "district", "city", "province", "department")
PROVENANCES = ("published", "written")
META_FIELDS = ("id", "body", "level", "department_level", "region", "year", "provenance", "encoding", "notes")
RARE_LABEL = 5  # a label used fewer times than this, with no labels.txt, is probably a typo
MIN_DUPLICATE = 10  # stripped unit texts this long must not recur across reports
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Report:
    """A raw report, its labelled units in reading order, and its reports.csv row (or {})."""

    id: str
    text: str
    units: tuple[LabelledUnit, ...]
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def bare(self) -> bool:
        """Whether the report is bare sentences (imported without a report file), not a report."""
        return bool(self.units) and all(u.bare for u in self.units)


@dataclass
class _Scan:
    raws: dict[str, str]
    units: dict[str, list[tuple[int, LabelledUnit]]]  # report id -> (line, unit) in file order
    meta: dict[str, dict[str, str]]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)


def decode_file(path: str | PathLike[str]) -> str:
    """Read a text file written as UTF-8 (with or without BOM) or GB18030.

    >>> decode_file("data/reports/2018-xilou-street.txt")[:4]  # doctest: +SKIP
    '槿岗区溪'
    """
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror}") from err
    return decode_bytes(data, str(path))[0]


def load_corpus(data_dir: str | PathLike[str]) -> list[Report]:
    """All reports of a valid corpus, sorted by id; DataError on the first problem.

    >>> [len(r.units) for r in load_corpus("data")]  # doctest: +SKIP
    [118, 96]
    """
    return load_corpus_with_warnings(data_dir)[0]


def load_corpus_with_warnings(data_dir: str | PathLike[str]) -> tuple[list[Report], list[Problem]]:
    """``load_corpus`` and ``corpus_warnings`` from one reading of the corpus; DataError on the first problem.

    >>> reports, warnings = load_corpus_with_warnings("data")  # doctest: +SKIP
    """
    scan = _scan(Path(data_dir))
    if scan.problems:
        first, count = scan.problems[0], len(scan.problems)
        more = f"; {count - 1} more problem(s)" if count > 1 else ""
        raise DataError(first.where, f"{first.message}{more} (run `classifier data check {data_dir}` to list them)")
    reports = [
        Report(rid, scan.raws[rid], tuple(u for _, u in units), scan.meta.get(rid, {}))
        for rid, units in sorted(scan.units.items())
    ]
    return reports, scan.warnings


def check_corpus(data_dir: str | PathLike[str], strict: bool = False) -> list[Problem]:
    """Every problem in the corpus, sorted by file and line; [] when it is valid. With ``strict``,
    the warnings (a sentence repeated across reports) count as problems too.

    >>> [str(p) for p in check_corpus("data")]  # doctest: +SKIP
    ['data/labelled/a.jsonl:4: overlaps the unit on line 3']
    """
    scan = _scan(Path(data_dir))
    return sorted(scan.problems + scan.warnings, key=lambda p: (p.file, p.line)) if strict else scan.problems


def corpus_warnings(data_dir: str | PathLike[str]) -> list[Problem]:
    """What is allowed but worth a look: a unit's text that recurs in another report (not a stock phrase).
    Unlike ``load_corpus_with_warnings``, this also answers for a corpus with problems.

    >>> [str(w) for w in corpus_warnings("data")][:1]  # doctest: +SKIP
    ['data/labelled/b.jsonl:2: same text as labelled/a.jsonl:7 in another report (…)']
    """
    return _scan(Path(data_dir)).warnings


def _scan(data: Path) -> _Scan:
    if not data.is_dir():
        return _Scan({}, {}, {}, [Problem(str(data), 0, "not a directory (expected reports/ and labelled/ in it)")])
    scan = _Scan({}, {}, {}, [])
    _read_raws(data, scan)
    _read_labelled(data, scan)
    if not scan.units:
        scan.problems.append(Problem(str(data / "labelled"), 0, "no labelled reports (*.jsonl): the corpus is empty"))
    for rid, units in scan.units.items():
        path = str(data / "labelled" / f"{rid}.jsonl")
        scan.problems += _check_units(path, rid, units, scan.raws.get(rid))
        scan.problems += _check_headings(path, units)
    try:
        scan.problems += _check_labels(data, scan.units)
        scan.warnings += _check_duplicates(data, scan.units)
        _read_meta(data, scan)
    except ClassifierError as err:  # labels.txt, stock-phrases.txt or reports.csv unreadable
        scan.problems.append(Problem(err.where, 0, err.problem))
    scan.problems.sort(key=lambda p: (p.file, p.line))
    return scan


def _read_raws(data: Path, scan: _Scan) -> None:
    for path in sorted((data / "reports").glob("*.txt")):
        try:
            scan.raws[path.stem] = decode_file(path)
        except ClassifierError as err:
            scan.problems.append(Problem(str(path), 0, err.problem))
        if not (data / "labelled" / f"{path.stem}.jsonl").exists():
            scan.problems.append(Problem(str(path), 0, f"no labelled file labelled/{path.stem}.jsonl"))


def _read_labelled(data: Path, scan: _Scan) -> None:
    for path in sorted((data / "labelled").glob("*.jsonl")):
        units, problems = read_labelled_file(path)
        scan.problems += problems
        if units is None:
            continue
        scan.units[path.stem] = units
        if path.stem not in scan.raws and not (data / "reports" / f"{path.stem}.txt").exists():
            scan.problems.append(Problem(str(path), 0, f"no raw report reports/{path.stem}.txt"))


def _check_units(path: str, rid: str, units: list[tuple[int, LabelledUnit]], raw: str | None) -> list[Problem]:
    problems: list[Problem] = []
    for k, (line, unit) in enumerate(units):
        messages = _unit_problems(rid, unit, raw)
        before_line, before = units[k - 1] if k else (0, None)
        if before and unit.start < before.start:
            messages.append(f"out of order: starts before the unit on line {before_line}")
        elif before and unit.start < before.end:
            messages.append(f"overlaps the unit on line {before_line}")
        problems += [Problem(path, line, message) for message in messages]
    return problems


def _unit_problems(rid: str, unit: LabelledUnit, raw: str | None) -> list[str]:
    messages = []
    if unit.report != rid:
        messages.append(f"report field is {unit.report!r}, but the file is for report {rid!r}")
    if not unit.text.strip():
        messages.append("empty or whitespace-only text")
    elif unit.text != unit.text.strip():
        messages.append("text has leading or trailing whitespace")
    if raw is not None and not 0 <= unit.start <= unit.end <= len(raw):
        messages.append(f"offsets [{unit.start}, {unit.end}) lie outside the raw text (length {len(raw)})")
    elif raw is not None and raw[unit.start : unit.end] != unit.text:
        found = raw[unit.start : unit.end]
        messages.append(f"text differs from the raw text at [{unit.start}, {unit.end}), which is {found[:30]!r}")
    return messages


def _check_headings(path: str, units: list[tuple[int, LabelledUnit]]) -> list[Problem]:
    problems: list[Problem] = []
    for (line, unit), expected in zip(units, expected_headings(u for _, u in units)):
        if expected is None or unit.heading == expected:
            continue
        what = "the nearest higher-level heading above" if unit.is_heading else "the nearest heading unit above"
        problems.append(Problem(path, line, f"heading is {unit.heading!r}, expected {expected!r} ({what})"))
    return problems


def _check_labels(data: Path, units: Mapping[str, list[tuple[int, LabelledUnit]]]) -> list[Problem]:
    listed = _read_list(data / "labels.txt")
    counts = Counter(unit.label for rows in units.values() for _, unit in rows)
    problems = []
    for rid, rows in units.items():
        for line, unit in rows:
            if listed is not None and unit.label not in listed:
                message = f"unknown label {unit.label!r} (not in labels.txt)"
            elif listed is None and counts[unit.label] < RARE_LABEL:
                message = f"label {unit.label!r} is used only {counts[unit.label]} time(s) in the corpus: a typo?"
            else:
                continue
            problems.append(Problem(str(data / "labelled" / f"{rid}.jsonl"), line, message))
    return problems


def _check_duplicates(data: Path, units: Mapping[str, list[tuple[int, LabelledUnit]]]) -> list[Problem]:
    stock = _read_list(data / "stock-phrases.txt") or set()
    first: dict[str, tuple[str, int]] = {}  # text -> (report id, line)
    problems = []
    for rid, rows in units.items():
        for line, unit in rows:
            text = unit.text.strip()
            if len(text) < MIN_DUPLICATE or text in stock:
                continue
            other, other_line = first.setdefault(text, (rid, line))
            if other != rid:
                message = (f"same text as labelled/{other}.jsonl:{other_line} in another report "
                           "(if it is a stock phrase, add it to stock-phrases.txt)")
                problems.append(Problem(str(data / "labelled" / f"{rid}.jsonl"), line, message))
    return problems


def _read_list(path: Path) -> set[str] | None:
    """Non-blank, non-# lines of an optional list file, stripped; None when it does not exist."""
    return _list_entries(_list_text(path)) if path.exists() else None


def _list_text(path: Path) -> str:
    """The text of a list file; "" when it holds nothing but blanks (an empty list is fine)."""
    return decode_file(path) if path.read_bytes().strip() else ""


def _list_entries(text: str) -> set[str]:
    lines = (line.strip() for line in text.splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def _read_meta(data: Path, scan: _Scan) -> None:
    """reports.csv is optional; when present, every report needs one valid row."""
    path = data / "reports.csv"
    if not path.exists():
        return
    reader = csv.DictReader(io.StringIO(decode_file(path), newline=""))
    absent = [name for name in META_FIELDS if name not in (reader.fieldnames or ())]
    if absent:
        scan.problems.append(Problem(str(path), 1, "header lacks column(s): " + ", ".join(absent)))
        return
    rows: set[str] = set()
    for row in reader:
        message = _meta_problem(row, rows, scan)
        rows.add(row["id"] or "")
        if message:
            scan.problems.append(Problem(str(path), reader.line_num, message))
        else:
            scan.meta[row["id"]] = {key: row[key] for key in META_FIELDS}
    for rid in sorted((scan.raws.keys() | scan.units.keys()) - rows):
        scan.problems.append(Problem(str(path), 0, f"no row for report {rid!r}"))


def _meta_problem(row: Mapping[str, str | None], rows: set[str], scan: _Scan) -> str:
    if None in row or None in row.values():
        return f"expected {len(META_FIELDS)} fields"
    if row["id"] in rows:
        return f"second row for report {row['id']!r}"
    if row["id"] not in scan.raws and row["id"] not in scan.units:
        return f"row for {row['id']!r}, which has no raw or labelled file"
    if row["level"] not in LEVELS:
        return f"level {row['level']!r} is not one of {', '.join(LEVELS)}"
    if not _YEAR.fullmatch(row["year"] or ""):
        return f"year {row['year']!r} is not a year"
    if row["provenance"] not in PROVENANCES:
        return f"provenance {row['provenance']!r} is not one of {', '.join(PROVENANCES)}"
    return ""
