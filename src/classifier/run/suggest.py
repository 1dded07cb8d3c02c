"""Which units of a user's reports are worth labelling: ``classifier suggest``.

The model labels every unit of the reports; the units it is least sure of (the smallest margin
between its two most probable labels) teach it most. They are taken in that order, spread
over reports and over the labels the model gives them, and without near-duplicates of a unit
already taken; ``strategy="random"`` takes units at random instead (the baseline).

    >>> result = suggest(["my-reports/"], n=50)        # doctest: +SKIP
    >>> task = result.tasks[0]                          # doctest: +SKIP
    >>> task.file, task.text[:6], task.suggested, task.label   # doctest: +SKIP
    ('my-reports/2023-a.txt', '开展执法案卷', 'enforcement', '')
"""
from __future__ import annotations

import math
import os
import random
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

from ..config import DEFAULTS, Config
from ..errors import ClassifierError, ReadError, UsageError
from ..read.reading import SUPPORTED_SUFFIXES, read_document
from ..units.segments import segment
from ..units.similarity import _jaccard, bigrams, comparable
from .predict import Model, load_model, model_version

STRATEGIES = ("uncertainty", "random")


@dataclass(frozen=True)
class Task:
    """One unit to label, with its place in the report and the model's guess; ``label`` is for the user."""

    file: str
    start: int
    end: int
    text: str
    heading: str
    previous: str
    next: str
    suggested: str
    confidence: float
    margin: float = 0.0
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Suggestions:
    """The chosen tasks, the number of units they were chosen from, and the files that could not be read."""

    tasks: tuple[Task, ...]
    candidates: int
    errors: tuple[ClassifierError, ...] = ()
    model_version: str = "classifier"


def suggest(sources: Sequence[str | os.PathLike], model: Model | str | os.PathLike | None = None,
            n: int = DEFAULTS.suggest_n, strategy: str = "uncertainty", seed: int = DEFAULTS.seed,
            config: Config = DEFAULTS) -> Suggestions:
    """The ``n`` units of the reports in ``sources`` (files or directories) most worth labelling.

    >>> suggest(["report.txt"], n=10, strategy="random").tasks[0].label   # doctest: +SKIP
    ''
    """
    if strategy not in STRATEGIES:
        raise UsageError("--strategy", f"{strategy!r} is not one of {', '.join(STRATEGIES)}")
    if n < 1:
        raise UsageError("-n", f"expected a positive number of units, not {n}")
    model = model if isinstance(model, Model) else load_model(model)
    candidates, errors = candidate_tasks(model, sources)
    if not candidates:
        return Suggestions((), 0, tuple(errors), model_version(model))
    chosen = choose(candidates, n, strategy, seed, config)
    return Suggestions(tuple(chosen), len(candidates), tuple(errors), model_version(model))


def candidate_tasks(model: Model, sources: Sequence[str | os.PathLike]) -> tuple[list[Task], list[ClassifierError]]:
    """Every unit of every readable report as a task with the model's guess; the errors of the others."""
    reports, names, errors = [], [], []
    for source in expand(sources):
        if isinstance(source, ClassifierError):
            errors.append(source)
            continue
        try:
            reports.append(segment(read_document(source).text))
            names.append(str(source))
        except ClassifierError as err:
            errors.append(err)
    tasks = []
    for name, units, labelled in zip(names, reports, model._labelled_reports(reports) if reports else []):
        for k, (unit, label, scores) in enumerate(labelled):
            top = sorted(scores.values(), reverse=True) + [0.0]
            tasks.append(Task(name, unit.start, unit.end, unit.text, unit.heading,
                              units[k - 1].text if k else "", units[k + 1].text if k + 1 < len(units) else "",
                              label, scores[label], round(top[0] - top[1], 4)))
    return tasks, errors


def choose(tasks: Sequence[Task], n: int, strategy: str = "uncertainty", seed: int = DEFAULTS.seed,
           config: Config = DEFAULTS) -> list[Task]:
    """``n`` tasks: lowest margin first (or at random), at most a few per report and per guessed label,
    no two near-duplicates. The caps are lifted only when the reports have too few units to meet them.

    >>> t = [Task("a", k, k + 1, f"第{k}句话的内容各不相同{k}", "", "", "", "plan", 0.5, k / 10) for k in range(5)]
    >>> [x.start for x in choose(t, 2)]
    [0, 1]
    """
    order = sorted(tasks, key=lambda t: (t.margin, t.file, t.start))
    if strategy == "random":
        order = list(tasks)
        random.Random(seed).shuffle(order)
    reports = len({t.file for t in tasks})
    per_report = max(config.suggest_per_report, math.ceil(n / max(reports, 1)))
    per_label = math.ceil(n * config.suggest_label_share) if strategy == "uncertainty" else n
    chosen = _greedy(order, n, per_report if strategy == "uncertainty" else n, per_label, config.near_duplicate)
    if len(chosen) < n:  # too few units to keep to the caps: fill up without them
        taken = {(t.file, t.start) for t in chosen}
        chosen += _greedy([t for t in order if (t.file, t.start) not in taken], n - len(chosen), n, n,
                          config.near_duplicate, chosen)
    return sorted(chosen, key=lambda t: (t.file, t.start))


def _greedy(order: Sequence[Task], n: int, per_report: int, per_label: int, threshold: float,
            already: Sequence[Task] = ()) -> list[Task]:
    chosen: list[Task] = []
    files, labels = Counter(t.file for t in already), Counter(t.suggested for t in already)
    seen = [(comparable(t.text), bigrams(comparable(t.text))) for t in already]
    for task in order:
        if len(chosen) >= n:
            break
        if files[task.file] >= per_report or labels[task.suggested] >= per_label:
            continue
        text = comparable(task.text)
        grams = bigrams(text)
        if not text or any(text == s or _jaccard(text, s, grams, g) >= threshold for s, g in seen):
            continue
        chosen.append(task)
        seen.append((text, grams))
        files[task.file] += 1
        labels[task.suggested] += 1
    return chosen


def expand(sources: Sequence[str | os.PathLike]) -> list[str | ClassifierError]:
    """Files as given; a directory becomes the report files directly inside it (sorted)."""
    out: list[str | ClassifierError] = []
    for source in sources:
        path = Path(source)
        if not path.is_dir():
            out.append(str(source))
            continue
        files = sorted(str(p) for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                       and p.suffix.lower() in SUPPORTED_SUFFIXES)
        out.extend(files) if files else out.append(ReadError(source, "no report files in this directory"))
    return out
