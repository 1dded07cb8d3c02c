"""Writing report summaries: a terminal table, CSV (UTF-8 with BOM), JSON Lines or an xlsx workbook.

    >>> import io; buf = io.StringIO()
    >>> write_view([{"file": "a.txt", "units": 3}], buf, "csv")
    >>> buf.getvalue()
    'file,units\\r\\na.txt,3\\r\\n'

Text formats write one view (the per-report rows, or the ``--by`` groups); the xlsx
workbook has one sheet per view (openpyxl, the optional extra ``xlsx``).
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import IO, Any, Sequence

from ..errors import MissingExtraError, UsageError
from ..files import atomic_file
from ..run.output import _fit, atomic_output, spreadsheet_safe
from .summary import LABELS, PARTS

SUMMARY_FORMATS = ("table", "csv", "jsonl", "xlsx")
_SHORT = {"publicity": "pub", "enforcement": "enf", "business_environment": "bus", "shortcoming": "sho",
          "plan": "pla", "other": "oth"}


def write_summary(batch, output: str | os.PathLike | None, fmt: str, by: str | None = None) -> None:
    """Write a SummaryBatch: its ``by`` view (or the per-report rows) as text, or every view as xlsx."""
    check_destination(fmt, output)
    if fmt == "xlsx":
        write_xlsx(batch.views(every=True), output)
        return
    name, rows = list(batch.views(by).items())[-1]
    with atomic_output(output, bom=fmt == "csv") as out:
        write_view(rows, out, fmt, grouped=name != "reports")


def write_view(rows: Sequence[dict], out: IO[str], fmt: str, grouped: bool = False) -> None:
    """One table of summary rows as csv, jsonl or table."""
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv" and rows:
        writer = csv.writer(out, lineterminator="\r\n")
        fields = _fields(rows)
        writer.writerow(fields)
        writer.writerows(["" if row.get(f) is None else spreadsheet_safe(row.get(f)) for f in fields] for row in rows)
    elif fmt == "table":
        _write_table(rows, out, grouped)


def _fields(rows: Sequence[dict]) -> list[str]:
    fields: dict[str, None] = {}
    for row in rows:
        fields.update(dict.fromkeys(row))
    return list(fields)


def _percent(value: Any) -> str:
    return "" if value is None else f"{100 * value:.0f}"


def _write_table(rows: Sequence[dict], out: IO[str], grouped: bool) -> None:
    """A compact terminal table: label shares in % (raw→corrected), parts M D S P, signs."""
    key = next((k for k in rows[0] if k not in ("reports",)), "file") if rows and grouped else "file"
    first = [(key, 28), ("reports" if grouped else "year", 7), ("units", 6)]
    header = [_fit(name, width) for name, width in first] + [_fit(_SHORT[label], 8) for label in LABELS]
    header += [_fit("parts", 15 if grouped else 5), _fit("thin" if grouped else "signs", 40)]
    out.write("  ".join(header).rstrip() + "\n")
    for row in rows:
        cells = [_fit(Path(str(row.get(name))).name if name == "file" else row.get(name, ""), width)
                 for name, width in first]
        for label in LABELS:
            raw = _percent(row.get(f"{label}_unit_share"))
            adjusted = _percent(row.get(f"{label}_adjusted"))
            cells.append(_fit(f"{raw}→{adjusted}" if adjusted else raw, 8))
        cells.append(_fit(_parts_cell(row, grouped), 15 if grouped else 5))
        cells.append(_fit(row.get("thin_reports") if grouped else row.get("signs") or "", 40))
        out.write("  ".join(cells).rstrip() + "\n")
    out.write("shares of units in % (raw→corrected for known confusion); parts: M measures, D duty, "
              "S shortcomings, P plans" + (" (% of reports with it)" if grouped else " (- missing)") + "\n")


def _parts_cell(row: dict, grouped: bool) -> str:
    if grouped:
        return "/".join(_percent(row.get(f"{part}_present_share")) for part in PARTS)
    return "".join(part[0].upper() if row.get(f"{part}_present") else "-" for part in PARTS)


def check_destination(fmt: str, output: str | os.PathLike | None) -> None:
    """Raise before any work when ``fmt`` cannot be written to ``output`` (xlsx: a file, and openpyxl).

    >>> check_destination("xlsx", None)
    Traceback (most recent call last):
    classifier.errors.UsageError: --format xlsx: writes a workbook file, not standard output; give --output FILE.xlsx
    """
    if fmt not in SUMMARY_FORMATS:
        raise UsageError("--format", f"unknown format {fmt!r}; expected one of {', '.join(SUMMARY_FORMATS)}")
    if fmt != "xlsx":
        return
    if output is None or str(output) == "-":
        raise UsageError("--format xlsx", "writes a workbook file, not standard output; give --output FILE.xlsx")
    _check_openpyxl()


def _check_openpyxl() -> None:
    """Raise MissingExtraError unless openpyxl can be imported."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingExtraError("--format xlsx", "needs the optional package openpyxl; "
                                "install it with: pip install 'classifier[xlsx]'") from None


def write_xlsx(views: dict[str, list[dict]], output: str | os.PathLike | None) -> None:
    """One sheet per view, written atomically to ``output`` (a file path)."""
    check_destination("xlsx", output)
    book = _workbook(views)
    with atomic_file(output, "wb") as f:
        book.save(f)


def xlsx_bytes(views: dict[str, list[dict]]) -> bytes:
    """The workbook ``write_xlsx`` writes, as bytes (raises MissingExtraError without openpyxl)."""
    _check_openpyxl()
    out = io.BytesIO()
    _workbook(views).save(out)
    return out.getvalue()


def _workbook(views: dict[str, list[dict]]):
    """An openpyxl workbook with one sheet per view: a header row, then the rows, text never a formula."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in views.items():
        sheet = book.create_sheet(title=name[:31])
        fields = _fields(rows)
        sheet.append(fields)
        for row in rows:
            sheet.append([row.get(f) for f in fields])
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
        sheet.freeze_panes = "B2"
    return book
