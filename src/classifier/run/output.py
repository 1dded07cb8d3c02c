"""Writing rows of predictions as JSON Lines, CSV (Excel-friendly) or a terminal table.

    >>> import io; buf = io.StringIO()
    >>> write_rows([{"file": "a.txt", "label": "plan", "text": "下一步"}], buf, "jsonl")
    >>> buf.getvalue()
    '{"file": "a.txt", "label": "plan", "text": "下一步"}\\n'
"""
from __future__ import annotations

import csv
import json
import os
import unicodedata
from contextlib import contextmanager
from typing import IO, Iterable, Iterator, Mapping

from ..errors import UsageError
from ..files import atomic_file

FORMATS = ("jsonl", "csv", "table")
TABLE_COLUMNS = (("unit", 5), ("label", 20), ("conf.", 6), ("text", 60))  # a table's column headings and widths


def write_rows(rows: Iterable[Mapping], out: IO[str], fmt: str, *, header: bool = True, legend: bool = True) -> None:
    """Write prediction rows in ``fmt`` (jsonl, csv or table): a CSV without its header line unless ``header``,
    a table without its legend unless ``legend``."""
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        _write_csv(list(rows), out, header=header)
    elif fmt == "table":
        _write_table(rows, out, legend=legend)
    else:
        raise UsageError("--format", f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _write_csv(rows: list[Mapping], out: IO[str], *, header: bool = True) -> None:
    if not rows:
        return
    fields = [k for k in rows[0] if k not in ("scores", "path")]
    labels = sorted(rows[0].get("scores") or {})
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(fields + [f"score_{label}" for label in labels])
    for row in rows:
        scores = row.get("scores") or {}
        writer.writerow([spreadsheet_safe(row.get(f, "")) for f in fields] + [scores.get(label, "") for label in labels])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width:
            return out[:-1] + "…" + " " * (width - used) if out else ""
        out, used = out + c, used + w
    return out + " " * (width - used)


TABLE_LEGEND = "# = a heading; conf. = the label's probability; unit = the unit's number in its file, from 0"


def _write_table(rows: Iterable[Mapping], out: IO[str], *, legend: bool = True) -> None:
    """One line per unit under a column header (again after each file's ``== file ==`` line), then a legend
    (not when ``legend`` is false).

    >>> import io; buf = io.StringIO()
    >>> _write_table([{"file": "a.txt", "index": 0, "label": "plan", "confidence": .9, "text": "三、计划",
    ...                "is_heading": True}], buf)
    >>> print(buf.getvalue().strip())  # doctest: +NORMALIZE_WHITESPACE
    == a.txt ==
    unit   label                 conf.   text
    0      plan                  0.90    # 三、计划
    <BLANKLINE>
    # = a heading; conf. = the label's probability; unit = the unit's number in its file, from 0
    """
    current, header = None, _table_line(name for name, _ in TABLE_COLUMNS)
    written = False
    for row in rows:
        if row.get("file") != current or not written:
            current = row.get("file")
            out.write((f"\n== {current} ==\n" if current else "") + header)
        out.write(_table_line((row.get("index", ""), row.get("label", ""), f"{row.get('confidence', 0):.2f}",
                               ("# " if row.get("is_heading") else "") + row.get("text", ""))))
        written = True
    if written and legend:
        out.write("\n" + TABLE_LEGEND + "\n")


def _table_line(cells: Iterable[object]) -> str:
    """A table's line: each cell fitted to its column's width."""
    return "  ".join(_fit(cell, width) for cell, (_, width) in zip(cells, TABLE_COLUMNS)).rstrip() + "\n"


@contextmanager
def atomic_output(path: str | os.PathLike | None, *, bom: bool = False) -> Iterator[IO[str]]:
    """A text stream that becomes ``path`` only when the block finishes without error (``-``/None: stdout)."""
    import sys

    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with atomic_file(path, encoding="utf-8-sig" if bom else "utf-8") as f:
        yield f


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell value a spreadsheet shows as text: a string starting like a formula gets a leading ``'``.

    >>> spreadsheet_safe("=SUM(A1:A9)"), spreadsheet_safe("-3"), spreadsheet_safe(-3)
    ("'=SUM(A1:A9)", "'-3", -3)
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value
