"""Summaries of a batch of reports: boilerplate shared between them, grouped views, per-file errors.

    >>> batch = summarize_files(["data/reports"])          # doctest: +SKIP
    >>> list(batch.views(by="level"))                     # doctest: +SKIP
    ['reports', 'by level']

A file that cannot be read does not stop the batch: its error is kept in ``errors`` and
the other reports are summarised (and compared with each other) as usual.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any, Callable, Sequence

from ..config import DEFAULTS
from ..errors import ClassifierError, MissingExtraError, ReadError, UsageError
from ..read.reading import SUPPORTED_SUFFIXES
from ..units.similarity import comparable, near_duplicate_pairs
from .summary import (
    PARTS,
    ReportAnalysis,
    analyse_report,
    boilerplate_candidates,
    copied_plans,
    is_path_source,
    report_row,
    with_boilerplate,
)

GROUP_KEYS = ("level", "year", "region")


@dataclass(frozen=True)
class SummaryBatch:
    """Per-report rows, boilerplate sentences, copied plans, and the files that failed."""

    rows: list[dict] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)
    copied: list[dict] = field(default_factory=list)
    errors: list[ClassifierError] = field(default_factory=list)

    def views(self, by: str | None = None, every: bool = False) -> dict[str, list[dict]]:
        """Named tables: 'reports', then 'by <key>' for ``by`` (or for every key and the sentence
        lists with ``every``, as the xlsx workbook has them)."""
        out = {"reports": self.rows}
        for key in (GROUP_KEYS if every else (by,) if by else ()):
            out[f"by {key}"] = group_rows(self.rows, key)
        if every:
            out.update({"boilerplate": self.boilerplate, "copied plans": self.copied})
        return out


def check_group_key(by: str | None) -> None:
    """Raise UsageError unless ``by`` is None or one of level, year, region."""
    if by is not None and by not in GROUP_KEYS:
        raise UsageError("--by", f"unknown grouping {by!r}; expected one of {', '.join(GROUP_KEYS)}")


def expand_sources(sources: Sequence[str | os.PathLike]) -> list[str | os.PathLike | ReadError]:
    """Directories become the report files directly inside them (supported suffixes, sorted);
    a directory without any becomes a ReadError. Files and report texts pass through."""
    out: list[str | os.PathLike | ReadError] = []
    for source in sources:
        if not is_path_source(source) or not Path(source).is_dir():
            out.append(source)
            continue
        files = sorted(p for p in Path(source).iterdir()
                       if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith("."))
        out.extend(str(p) for p in files) if files else out.append(
            ReadError(source, f"no report files ({' '.join(SUPPORTED_SUFFIXES)}) in this directory"))
    return out


def analyse_batch(model, sources: Sequence[str | os.PathLike], strict: bool = False,
                  progress: Callable[[str, int, int], None] | None = None) -> SummaryBatch:
    """Analyse every report, find boilerplate across them and build the rows.

    With ``strict`` the first error is raised; otherwise it is collected and the batch goes on."""
    digests: list[_Digest] = []
    errors: list[ClassifierError] = []
    items = expand_sources(sources)
    for k, item in enumerate(items):
        found = _digest_of(model, item)
        if isinstance(found, ClassifierError):
            if strict:
                raise found
            errors.append(found)
        else:
            digests.append(found)
        progress and progress("summarising", k + 1, len(items))
    return _batch(digests, errors)


def batch_from_analyses(model, analyses: Sequence[ReportAnalysis],
                        errors: Sequence[ClassifierError] = ()) -> SummaryBatch:
    """The batch of already analysed reports: boilerplate across them, their rows, copied plans."""
    return _batch([_digest(model, a) for a in analyses], errors)


@dataclass(frozen=True)
class _Digest:
    """What a batch keeps of an analysed report: its row (boilerplate not yet known), the sentences it could
    share with other reports, and its copied plans; its text and units are not kept, so a batch's memory
    grows with these alone."""

    file: str
    row: dict
    candidates: list[str]
    copied: list[dict]


def _digest_of(model, item: str | os.PathLike | ClassifierError) -> _Digest | ClassifierError:
    """The digest of one source (its report's text and units let go), or the error that stopped it."""
    if isinstance(item, ClassifierError):
        return item
    try:
        return _digest(model, analyse_report(model, item))
    except ClassifierError as error:
        return error


def _digest(model, analysis: ReportAnalysis) -> _Digest:
    return _Digest(analysis.file, report_row(analysis, model, None),
                   [p.text for p in boilerplate_candidates(analysis.predictions)], _copied_rows([analysis]))


def _batch(digests: Sequence[_Digest], errors: Sequence[ClassifierError]) -> SummaryBatch:
    counts, clusters = _boilerplate(digests)
    rows = [with_boilerplate(d.row, counts[k], len(d.candidates)) for k, d in enumerate(digests)]
    return SummaryBatch(rows, clusters, [c for d in digests for c in d.copied], list(errors))


def summarize(reports: Sequence[str | os.PathLike] | str | os.PathLike, model=None, by: str | None = None,
              as_frame: bool | None = None):
    """One summary row per report (paths, directories or texts), or one per group with ``by``
    (level, year or region), with a model (a Model, a directory, or the bundled one): a pandas
    DataFrame when pandas is installed, else a list of dicts. Raises on the first report that
    cannot be read.

    >>> from classifier import summarize
    >>> rows = summarize(["data/reports"], by="level", as_frame=False)   # doctest: +SKIP
    >>> sorted(r["level"] for r in rows)[:2]                             # doctest: +SKIP
    ['city', 'county']
    """
    from ..run.predict import Model, load_model

    check_group_key(by)
    model = model if isinstance(model, Model) else load_model(model)
    sources = [reports] if isinstance(reports, (str, os.PathLike)) else reports
    batch = analyse_batch(model, sources, strict=True)
    rows = group_rows(batch.rows, by) if by else batch.rows
    if as_frame is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise MissingExtraError("as_frame=True", "needs pandas; install it with: pip install pandas") from None
        return rows
    return pd.DataFrame(rows)


def summarize_files(files: Sequence[str | os.PathLike], model=None, by: str | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> SummaryBatch:
    """Summarise report files and directories with a model (a Model, a directory, or the bundled one).

    Unreadable files are collected in ``errors``; the others are summarised."""
    from ..run.predict import Model, load_model

    check_group_key(by)
    model = model if isinstance(model, Model) else load_model(model)
    return analyse_batch(model, [Path(f) for f in files], progress=progress)  # names, never report texts


def _boilerplate(analyses: Sequence[_Digest]) -> tuple[list[int], list[dict]]:
    """Per report, how many of its sentences recur (near-)verbatim in another report of the batch;
    and one row per recurring sentence cluster."""
    if len(analyses) < 2:  # nothing to compare with (and a long report alone stays linear)
        return [0] * len(analyses), []
    units = [(k, text) for k, a in enumerate(analyses) for text in a.candidates]
    texts = [comparable(text) for _, text in units]
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, text in enumerate(texts):  # equal texts first: their pairs would be many
        parent[i] = find(first.setdefault(text, i))
    unique = sorted(first.values())
    for i, j, _ in near_duplicate_pairs([texts[u] for u in unique], list(range(len(unique))), DEFAULTS.near_duplicate):
        parent[find(unique[i])] = find(unique[j])
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        members[find(i)].append(i)
    counts = [0] * len(analyses)
    clusters = []
    for group in members.values():
        reports = sorted({units[i][0] for i in group})
        if len(reports) > 1:
            for i in group:
                counts[units[i][0]] += 1
            clusters.append({"text": units[group[0]][1], "reports": len(reports), "units": len(group),
                             "files": "; ".join(analyses[r].file or f"<text {r + 1}>" for r in reports)})
    return counts, sorted(clusters, key=lambda c: (-c["reports"], c["text"]))


def _copied_rows(analyses: Sequence[ReportAnalysis]) -> list[dict]:
    return [{"file": a.file, "plan_index": plan.index, "plan": plan.text, "shortcoming_index": short.index,
             "shortcoming": short.text, "similarity": score}
            for a in analyses for plan, short, score in copied_plans(a.predictions)]


def group_rows(rows: Sequence[dict], by: str) -> list[dict]:
    """One row per value of ``by``: report count, totals, mean shares, share of reports with each part.

    >>> group_rows([{"level": "city", "units": 3, "chars": 9, "thin": False}], "level")[0]["reports"]
    1
    """
    check_group_key(by)
    groups: dict[Any, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row.get(by) if row.get(by) not in (None, "") else "unknown"].append(row)
    out = []
    for key in sorted(groups, key=lambda k: (k == "unknown", str(k))):
        members = groups[key]
        out.append({by: key, "reports": len(members), "units": sum(r["units"] for r in members),
                    "chars": sum(r["chars"] for r in members), **_means(members),
                    "thin_reports": sum(1 for r in members if r.get("thin"))})
    return out


def _means(members: Sequence[dict]) -> dict[str, Any]:
    """Mean over reports of each share column; share of reports with each required part."""
    out: dict[str, Any] = {}
    shares = [k for k in members[0] if k.endswith(("_unit_share", "_char_share", "_adjusted")) or k == "boilerplate_share"]
    for key in shares:
        values = [r[key] for r in members if r.get(key) is not None]
        out[key] = round(mean(values), 4) if values else None
    for part in PARTS:
        out[f"{part}_present_share"] = round(mean(1.0 if r.get(f"{part}_present") else 0.0 for r in members), 4)
    return out
