"""Several labelled corpora as one training set: ``classifier train --data data --data mine --weight mine=3``.

Each source is a corpus directory or a CSV/JSONL of ``text,label`` (bare sentences). The reports of a
corpus with weight K count K times in training (every unit of it weighs K; the copies stay in one
cross-validation group with their report, so no report is on both sides of a split). The first
corpus weighs 1, the others ``Config.user_weight`` unless ``--weight NAME=K`` says otherwise.

    >>> corpora = load_corpora(["data", "mine"], {"mine": 3})      # doctest: +SKIP
    >>> len(corpora.reports), corpora.warnings[:1]                  # doctest: +SKIP
    (111, ('mine/labelled/a.jsonl:3: same text as …',))
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ..config import DEFAULTS
from ..errors import DataError, UsageError
from .corpus import MIN_DUPLICATE, LabelledUnit, Problem, Report, _read_list, load_corpus_with_warnings
from .interchange import _slug, read_labelled_table

MAX_WEIGHT = 20


@dataclass(frozen=True)
class Corpora:
    """The reports of every corpus (repeated by weight), each corpus's weight, and warnings to show."""

    reports: tuple[Report, ...]
    weights: Mapping[str, int]
    warnings: tuple[str, ...] = ()


def parse_weights(specs: Sequence[str], sources: Sequence[str | os.PathLike]) -> dict[str, int]:
    """``NAME=K`` pairs (NAME as given to --data) as a dict; UsageError for anything else.

    >>> parse_weights(["mine=3"], ["data", "mine"])
    {'mine': 3}
    """
    names = {str(s) for s in sources} | {Path(s).name for s in sources}
    out = {}
    for spec in specs:
        name, _, value = spec.partition("=")
        if name not in names:
            raise UsageError("--weight", f"{spec!r}: {name!r} is not one of the --data sources ({', '.join(map(str, sources))})")
        if not value.isdigit() or not 1 <= int(value) <= MAX_WEIGHT:
            raise UsageError("--weight", f"{spec!r}: expected NAME=K with K a whole number from 1 to {MAX_WEIGHT}")
        out[name] = int(value)
    return out


def load_corpora(sources: Sequence[str | os.PathLike], weights: Mapping[str, int] | None = None,
                 default_weight: int = DEFAULTS.user_weight) -> Corpora:
    """Every source's reports, repeated by its weight, and the sentences repeated across reports as warnings."""
    if not sources:
        raise UsageError("--data", "give at least one corpus")
    weights = dict(weights or {})
    loaded, used, warnings = [], {}, []
    for k, source in enumerate(sources):
        name = str(source)
        weight = weights.get(name, weights.get(Path(source).name, 1 if k == 0 else default_weight))
        reports, found = _load(Path(source))
        loaded.append((name, reports))
        used[name] = weight
        warnings += [str(w) for w in found]
    warnings += _across(loaded, sources)
    reports = tuple(r for name, rs in loaded for r in rs for _ in range(used[name]))
    return Corpora(reports, used, tuple(warnings))


def _load(path: Path) -> tuple[list[Report], list[Problem]]:
    """A corpus directory's reports and warnings, or a CSV/JSONL of text,label as one report of bare sentences."""
    if path.is_dir():
        return load_corpus_with_warnings(path)
    if path.is_file():
        rid = _slug(path.stem)
        units = tuple(LabelledUnit(text, 0, len(text), "", False, label, rid, True)
                      for text, label in read_labelled_table(path))
        return [Report(rid, "", units)], []
    raise DataError(path, "no such corpus directory or label file")


def _across(loaded: Sequence[tuple[str, Sequence[Report]]], sources: Sequence) -> list[str]:
    """A unit's text that recurs in a report of another corpus (stock phrases of either corpus aside)."""
    stock: set[str] = set()
    for source in sources:
        if Path(source).is_dir():
            stock |= _read_list(Path(source) / "stock-phrases.txt") or set()
    first: dict[str, tuple[str, str]] = {}
    out = []
    for name, reports in loaded:
        seen_here: set[str] = set()
        for report in reports:
            for unit in report.units:
                text = unit.text.strip()
                if len(text) < MIN_DUPLICATE or text in stock or text in seen_here:
                    continue
                seen_here.add(text)
                other = first.setdefault(text, (name, report.id))
                if other[0] != name:
                    out.append(f"{name}: report {report.id}: 「{text[:30]}」 is also in {other[0]}, report {other[1]}")
    return out
