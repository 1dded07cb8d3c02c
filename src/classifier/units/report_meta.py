"""Who wrote a report, at what administrative level, for which year: parsed from its text.

The title block (the first lines, web-page debris skipped) names the issuing body and the
report year; the level follows from the body's name. When the file sits in a corpus
directory whose reports.csv has a row for it, the row gives the region.

    >>> m = parse_report_meta("奉节县永乐镇人民政府 2022年度法治政府建设工作报告\\n2022年,……")
    >>> m.body, m.level, m.year, m.region
    ('奉节县永乐镇人民政府', 'township', 2022, '奉节县')
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..read.debris import is_debris
from ..read.normalize import normalize

LEVELS = ("township", "street", "county", "district", "city", "province", "department")
_HEAD_LINES = 12
_TITLE = re.compile(r"法治政府|依法行政|法治建设")
_TITLE_CUT = re.compile(r"\s*(?:关于|(?:19|20)\d\d\s*年|法治政府|依法行政|法治建设)")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*(?:年|—|-)")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SOURCE = re.compile(r"来源\s*:\s*(\S+)")
_INSTITUTION = re.compile(r"(?:人民政府|政府|街道办事处|办事处|街道|委员会|局|厅|办公室|委|办|中心|所|院)$")
_PLACE = re.compile(r"^(?:国家税务总局)?(.{1,5}?(?:自治区|省|自治州|州|盟|市|区|县|旗|镇|乡|街道))")
# body-name endings → level, most specific first
_LEVEL_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"街道(?:办事处|办|工委)?$"), "street"),
    (re.compile(r"(?:省|自治区)(?:人民)?政府$|^[^市县区]{1,6}(?:省|自治区)$"), "province"),
    (re.compile(r"(?:市|州|盟)(?:人民)?政府$|^[^县区]{1,8}(?:市|州|盟)$"), "city"),
    (re.compile(r"区(?:人民)?政府$|区$"), "district"),
    (re.compile(r"(?:县|旗)(?:人民)?政府$|(?:县|旗)$"), "county"),
    (re.compile(r"(?:镇|乡)(?:人民)?政府$|(?:镇|乡)$"), "township"),
    (re.compile(r"(?:局|厅|委员会|委|办公室|办|中心|所|院|署)$"), "department"),
)


@dataclass(frozen=True)
class ReportMeta:
    """Issuing body, administrative level, report year and region ('' / None when not found)."""

    body: str = ""
    level: str = ""
    year: int | None = None
    region: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def parse_report_meta(text: str, name: str | os.PathLike | None = None) -> ReportMeta:
    """Body, level, year and region of a report, from its title block and file name.

    >>> parse_report_meta("檀丘市司法局2016年度法治政府建设工作情况报告").level
    'department'
    """
    lines = _head_lines(text)
    body = _body(lines)
    year = _year(lines, text, name)
    region = _sidecar_region(name) or _place(body)
    return ReportMeta(body, body_level(body), year, region)


def body_level(body: str) -> str:
    """Administrative level from an issuing body's name; '' when the name does not say.

    >>> body_level("嘉岷区澍园街道办事处"), body_level("雍岭省人民政府"), body_level("陇泽市人力资源和社会保障局")
    ('street', 'province', 'department')
    """
    plain = normalize(body).strip()
    for pattern, level in _LEVEL_RULES:
        if plain and pattern.search(plain):
            return level
    return ""


def _head_lines(text: str) -> list[tuple[str, str]]:
    """The first lines as (normalised, original) pairs, debris lines kept only for 来源."""
    norm = normalize(text)
    out = []
    for m in re.finditer(r"[^\n]+", norm):
        line = m.group().strip()
        if line:
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            out.append((line, text[start:start + len(line)]))
        if len(out) >= _HEAD_LINES:
            break
    return out


def _body(lines: list[tuple[str, str]]) -> str:
    """The most specific body named in a title line, the line above a title, or a 来源 line."""
    candidates: list[str] = []
    previous = ""
    for norm, original in lines:
        if is_debris(norm):
            source = _SOURCE.search(norm)
            if source:
                candidates.append(original[source.start(1):source.end(1)])
            continue
        if _TITLE.search(norm) and len(norm) <= 80 and "。" not in norm:
            cut = _TITLE_CUT.search(norm)
            head = original[:cut.start()].strip() if cut else ""
            candidates.append(head if head else previous)
        previous = original if len(norm) <= 30 and _INSTITUTION.search(norm) else ""
    named = [c for c in candidates if c and body_level(c)]
    if not named:
        return ""
    return max(named, key=lambda c: (bool(_INSTITUTION.search(normalize(c))), len(c)))


def _year(lines: list[tuple[str, str]], text: str, name) -> int | None:
    for norm, _ in lines:
        if _TITLE.search(norm) and not is_debris(norm):
            m = _YEAR.search(norm)
            if m:
                return int(m.group(1))
    m = _FILE_YEAR.search(Path(str(name)).name) if name else None
    if m:
        return int(m.group(1))
    m = _YEAR.search(normalize(text[:2000]))
    return int(m.group(1)) if m else None


def _place(body: str) -> str:
    """The outermost place the body's name mentions (奉节县 for 奉节县永乐镇人民政府)."""
    m = _PLACE.match(normalize(body))
    return body[m.start(1):m.end(1)] if m else ""


def _sidecar_region(name) -> str:
    """The region column of a reports.csv beside the file (or one directory up), by file stem."""
    if not name or str(name) == "-":
        return ""
    path = Path(name)
    for folder in (path.parent, path.parent.parent):
        row = _sidecar(str(folder / "reports.csv")).get(path.stem)
        if row:
            return row
    return ""


@lru_cache(maxsize=16)
def _sidecar(csv_path: str) -> dict[str, str]:
    try:
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            return {row["id"]: (row.get("region") or "").strip() for row in csv.DictReader(f) if row.get("id")}
    except (OSError, KeyError, UnicodeDecodeError, csv.Error):
        return {}
