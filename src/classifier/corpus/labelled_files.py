"""A corpus's labelled files: the records they hold, read and checked line by line.

A labelled file (``labelled/<id>.jsonl``) has one unit per line, a JSON object with ``text``,
``start``, ``end``, ``heading``, ``is_heading``, ``label`` and ``report`` (and ``bare`` for a
sentence imported without its report).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..units.segments import heading_level

_UNIT_TYPES = {"text": str, "start": int, "end": int, "heading": str, "label": str, "report": str}


@dataclass(frozen=True)
class LabelledUnit:
    """One labelled sentence or heading; ``raw[start:end] == text``."""

    text: str
    start: int
    end: int
    heading: str
    is_heading: bool
    label: str
    report: str
    bare: bool = False  # a bare sentence: no neighbours or position from the file it sits in


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the corpus; ``line`` 0 means the file as a whole.

    >>> str(Problem("data/labelled/a.jsonl", 3, "unknown label 'plna'"))
    "data/labelled/a.jsonl:3: unknown label 'plna'"
    """

    file: str
    line: int
    message: str

    @property
    def where(self) -> str:
        """``file:line``, or just ``file`` for line 0."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def read_labelled_file(path: Path) -> tuple[list[tuple[int, LabelledUnit]] | None, list[Problem]]:
    """A labelled file's units with their line numbers, and its bad lines; the units are None when the
    file is not UTF-8 (then the one problem says where).

    >>> units, problems = read_labelled_file(Path("data/labelled/a.jsonl"))  # doctest: +SKIP
    """
    raw_bytes = path.read_bytes()
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw_bytes[: err.start].count(b"\n") + 1
        return None, [Problem(str(path), line, "not valid UTF-8 (labelled files must be UTF-8)")]
    units: list[tuple[int, LabelledUnit]] = []
    problems: list[Problem] = []
    for number, line_text in enumerate(text.split("\n"), start=1):
        if line_text.strip():
            parsed = _parse_unit(line_text)
            if isinstance(parsed, str):
                problems.append(Problem(str(path), number, parsed))
            else:
                units.append((number, parsed))
    return units, problems


def json_object(line: str) -> dict[str, Any] | str:
    """One JSON Lines record as an object, or a message saying why it is not one.

    >>> json_object('{"a": 1}'), json_object("[1]"), json_object("{")[:14]
    ({'a': 1}, 'not a JSON object', 'not valid JSON')
    """
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return f"not valid JSON: {err.msg} (column {err.colno})"
    return obj if isinstance(obj, dict) else "not a JSON object"


def _parse_unit(line: str) -> LabelledUnit | str:
    """One JSON Lines record as a unit, or a message saying what is wrong with it."""
    obj = json_object(line)
    if isinstance(obj, str):
        return obj
    missing = [key for key in _UNIT_TYPES if key not in obj]
    if missing:
        return "missing field(s): " + ", ".join(missing)
    for key, kind in {**_UNIT_TYPES, "is_heading": bool, "bare": bool}.items():
        value = obj.get(key, False)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"field {key!r} must be {kind.__name__}, not {type(value).__name__}"
    if not obj["label"].strip():
        return "empty label"
    return LabelledUnit(**{key: obj.get(key, False) for key in (*_UNIT_TYPES, "is_heading", "bare")})


def expected_headings(units: Iterable[LabelledUnit]) -> Iterator[str | None]:
    """The ``heading`` each unit of a report (in reading order) should have: for a body unit, the nearest
    heading unit above it; for a numbered heading, the nearest heading above it of a higher outline
    level; None for an unnumbered heading (not checked: it keeps its own).

    >>> units = [LabelledUnit(t, 0, 0, "", h, "x", "r") for t, h in [("一、做法", True), ("开展。", False)]]
    >>> list(expected_headings(units))
    ['', '一、做法']
    """
    above: list[tuple[int, str]] = []  # (outline level, text) of the heading units so far
    for unit in units:
        if unit.is_heading:
            level = heading_level(unit.text)
            yield next((text for lvl, text in reversed(above) if 0 < lvl < level), "") if level else None
            above.append((level, unit.text))
        else:
            yield above[-1][1] if above else ""
