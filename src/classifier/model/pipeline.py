"""The classifier: features and a linear model in one scikit-learn Pipeline.

    >>> pipe = build_pipeline()
    >>> [name for name, _ in pipe.steps]
    ['features', 'classifier']

Hyper-parameters are chosen by cross-validation grouped by report, so no report lends
units to both sides of a split.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from ..config import DEFAULTS, Config
from ..errors import DataError
from ..units.segments import outline, segment
from .features import build_features, sentence_records, unit_records
from .records import report_phases
from .svm import CalibratedSVM, parallel_fits

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TrainingSet:
    """Records, their labels, and the report each comes from (the CV group)."""

    records: list[dict]
    labels: list[str]
    groups: list[str]

    def subset(self, index: Sequence[int]) -> "TrainingSet":
        return TrainingSet([self.records[i] for i in index], [self.labels[i] for i in index],
                           [self.groups[i] for i in index])


def training_set(reports: Sequence) -> TrainingSet:
    """Records with context for every labelled unit of every report (bare sentences without).

    A unit's context comes from the whole report: the units the segmenter finds where nothing is
    labelled stand between the labelled ones, so a report labelled in part keeps its headings,
    roles, positions and neighbours, and its ``phase`` (see ``report_phases``), which ``opening_copies``
    reads. Bare sentences are each their own group."""
    records, labels, groups = [], [], []
    for report in reports:
        if getattr(report, "bare", False):
            records.extend(sentence_records(u.text for u in report.units))
            groups.extend(f"{report.id}#{k}" for k in range(len(report.units)))
        else:
            units, labelled = report_context(report.text, [(u.start, u.end, u.is_heading) for u in report.units])
            every, phases = unit_records(units), report_phases(units)
            records.extend(every[k] | {"phase": phases[k]} for k in labelled)
            groups.extend([report.id] * len(report.units))
        labels.extend(u.label for u in report.units)
    return TrainingSet(records, labels, groups)


def report_context(text: str, spans: Sequence[tuple[int, int, bool]]) -> tuple[list, list[int]]:
    """The units of a whole report around the labelled ``spans``, and where the labelled ones are among them.

    >>> units, where = report_context("一、做法\\n开展普法。查处案件。", [(5, 10, False)])
    >>> [u.text for u in units], where
    (['一、做法', '开展普法。', '查处案件。'], [1])
    """
    taken = sorted(spans)
    found = [(u.start, u.end, u.is_heading) for u in segment(text)
             if not any(s < u.end and u.start < e for s, e, _ in taken)]
    merged = sorted([(s, e, h, True) for s, e, h in taken] + [(s, e, h, False) for s, e, h in found])
    units = outline(text, [(s, e, h) for s, e, h, _ in merged])
    return units, [k for k, m in enumerate(merged) if m[3]]


def check_trainable(data: TrainingSet, config: Config = DEFAULTS, where: str = "training data") -> None:
    """Raise DataError when the labels cannot support a model."""
    if not data.labels:
        raise DataError(where, "no labelled units; add reports to data/labelled/ or pass a CSV of text,label")
    counts = Counter(data.labels)
    if len(counts) < 2:
        raise DataError(where, f"only one label ({next(iter(counts))!r}); a classifier needs at least two")
    rare = sorted(label for label, n in counts.items() if n < config.min_examples_per_label)
    if rare:
        shown = ", ".join(f"{label!r} ({counts[label]})" for label in rare)
        raise DataError(where, f"labels with fewer than {config.min_examples_per_label} examples: {shown}; "
                               "label more units or merge these labels")


def build_classifier(config: Config = DEFAULTS, C: float = 1.0, calibrated: bool = True, n_jobs: int | None = 1):
    """The calibrated linear SVM; ``calibrated=False`` gives the bare SVM, to compare values of C."""
    if not calibrated:
        return LinearSVC(C=C, class_weight=config.class_weight, max_iter=config.max_iter, random_state=config.seed)
    return CalibratedSVM(C, config.class_weight, config.calibration_folds, config.max_iter, config.seed, n_jobs)


def build_pipeline(config: Config = DEFAULTS, C: float = 1.0) -> Pipeline:
    """The untrained model: features → calibrated linear SVM (its fits over ``config.jobs`` processes)."""
    return Pipeline([("features", build_features(config)), ("classifier", build_classifier(config, C, n_jobs=config.jobs))])


def group_folds(data: TrainingSet, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Report-grouped, label-stratified folds (fewer when there are fewer reports)."""
    n_groups = len(set(data.groups))
    k = min(folds, n_groups)
    if k < 2:
        raise DataError("training data", f"cross-validation needs at least 2 reports, got {n_groups}")
    y = np.asarray(data.labels)
    idx = np.arange(len(y))
    try:
        splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
        return list(splitter.split(idx, y, data.groups))
    except ValueError:
        return list(GroupKFold(n_splits=k).split(idx, y, data.groups))


@dataclass(frozen=True)
class Search:
    """The outcome of choosing C: the best value, every value's score, and the best's
    out-of-fold predictions (each unit predicted by a model that never saw its report)."""

    C: float
    scores: dict
    predictions: list
    proba: np.ndarray
    classes: list


@dataclass(frozen=True)
class Design:
    """Features fitted on the training records, and the matrices of the units in context and bare."""

    features: FeatureUnion
    X: sp.csr_matrix
    X_bare: sp.csr_matrix
    opening: np.ndarray  # index of each unit copied into an opening-only report
    X_opening: sp.csr_matrix


def design(data: TrainingSet, config: Config = DEFAULTS) -> Design:
    """Fit the (unsupervised) features once on the units, and transform every unit in context and bare.

    The matrices serve both the search for C and the final fit (which, with text-only
    copies, trains on both)."""
    features = build_features(config)
    X = features.fit_transform(data.records).tocsr()
    bare = features.transform(sentence_records(r["text"] for r in data.records)).tocsr()
    index, records = opening_copies(data, config.opening_chars)
    X_opening = features.transform(records).tocsr() if records else sp.csr_matrix((0, X.shape[1]))
    return Design(features, X, bare, np.asarray(index, dtype=int), X_opening)


def opening_copies(data: TrainingSet, chars: int) -> tuple[list[int], list[dict]]:
    """Each report's opening (its units up to ``chars`` characters, before any shortcomings or plans) as a
    report of its own: positions run over the opening alone, as in a file that holds only the opening.

    Training on these copies too keeps the model from reading "late in the file" as "a plan" when a
    user's file stops early."""
    index: list[int] = []
    records: list[dict] = []
    if chars <= 0:
        return index, records
    start = 0
    while start < len(data.records):
        end = start
        while end < len(data.records) and data.groups[end] == data.groups[start]:
            end += 1
        cut, used = start, 0
        while cut < end and used < chars and data.records[cut].get("phase") not in ("shortcomings", "plans"):
            used += len(data.records[cut]["text"])
            cut += 1
        n = max(cut - start - 1, 1)
        for k in range(start, cut):
            copy = dict(data.records[k], position=(k - start) / n)
            if k == cut - 1:
                copy["next"] = ""
            index.append(k)
            records.append(copy)
        start = end
    return index, records


def _search(data: TrainingSet, matrices: Design, config: Config, progress: Progress | None,
            final: tuple | None = None) -> tuple[Search, CalibratedSVM | None]:
    """Choose C, then fit the calibrated model of every fold at the best C — and, given ``final``
    (the training matrix and labels), the final model in the same batch of processes."""
    folds = group_folds(data, config.folds, config.seed)
    y = np.asarray(data.labels)
    train_sets = [_fold_data(matrices, y, train, config) for train, _ in folds]
    ticker = _Ticker(progress, len(config.c_grid) * len(folds) + len(folds) * config.calibration_folds)
    best, scores, svms = _grid(matrices.X, y, folds, train_sets, config, ticker)
    models = [build_classifier(config, best) for _ in folds] + ([build_classifier(config, best)] if final else [])
    data_sets = train_sets + ([final] if final else [])
    plans = [model.calibration_tasks(*xy) for model, xy in zip(models, data_sets)]
    tasks = [task for fold_tasks, _ in plans for task in fold_tasks]
    if final:
        tasks.append((models[-1]._svm(), *final))
    ticker.total = ticker.count + len(tasks)
    fitted = iter(parallel_fits(tasks, config.jobs, ticker.after(ticker.count)))
    for k, (model, xy, (fold_tasks, splits)) in enumerate(zip(models, data_sets, plans)):
        fold_svms = [next(fitted) for _ in fold_tasks]
        # a fold's SVM at the best C was fitted by the grid search already
        model.assemble(*xy, splits, fold_svms, svms[best, k] if k < len(folds) else next(fitted))
    classes = sorted(set(data.labels))
    pred, proba = np.empty(len(y), dtype=object), np.zeros((len(y), len(classes)))
    for (_, test), clf in zip(folds, models):
        proba[np.ix_(test, [classes.index(c) for c in clf.classes_])] = clf.predict_proba(matrices.X[test])
        pred[test] = clf.predict(matrices.X[test])
    return Search(best, scores, list(pred), proba, classes), (models[-1] if final else None)


class _Ticker:
    """Progress over batches of fits whose total may grow."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.count = progress, total, 0

    def after(self, offset: int) -> Callable[[int], None]:
        def tick(n: int) -> None:
            self.count = offset + n
            if self.progress:
                self.progress("choosing C", self.count, max(self.total, self.count))
        return tick


def _grid(X, y: np.ndarray, folds: list, train_sets: list, config: Config, ticker: _Ticker) -> tuple:
    """Macro-F1 of every C over the folds; the grid grows past an end while the best sits on it.
    Returns the best C, the scores (by C, ascending) and the fitted SVMs by (C, fold)."""
    svms: dict = {}
    scores: dict[float, float] = {}
    grid = list(config.c_grid)
    while True:
        # the larger values of C take longest: start them first
        todo = sorted(((C, j) for C in grid if C not in scores for j in range(len(folds))), key=lambda t: -t[0])
        tasks = [(build_classifier(config, C, calibrated=False), *train_sets[j]) for C, j in todo]
        svms.update(zip(todo, parallel_fits(tasks, config.jobs, ticker.after(ticker.count))))
        for C in {C for C, _ in todo}:
            pred = np.empty(len(y), dtype=object)
            for j, (_, test) in enumerate(folds):
                pred[test] = svms[C, j].predict(X[test])
            scores[C] = round(float(f1_score(y, pred, average="macro")), 4)
        best = max(grid, key=lambda c: (scores[c], -c))
        next_to = {grid[0]: grid[1], grid[-1]: grid[-2]} if len(grid) > 1 else {}
        # widen only while an end of the grid is strictly better than the value next to it
        if best not in next_to or scores[best] <= scores[next_to[best]] \
                or len(grid) >= len(config.c_grid) + config.c_extend:
            return best, {str(C): scores[C] for C in sorted(scores)}, svms
        grid = sorted(grid + [_beyond(grid, best)])
        ticker.total += len(folds)


def _beyond(grid: Sequence[float], best: float) -> float | None:
    """The next value of C past the end of ``grid`` that ``best`` sits on, on the 1-3-10 ladder; None inside it."""
    if len(grid) < 2 or min(grid) < best < max(grid):
        return None
    up = best == max(grid)
    exponent = int(np.floor(np.log10(best) + 1e-9))
    mantissa = round(best / 10.0 ** exponent, 6)
    if mantissa in (1.0, 3.0):
        ladder = {(1.0, True): (3.0, 0), (3.0, True): (1.0, 1), (1.0, False): (3.0, -1), (3.0, False): (1.0, 0)}
        m, shift = ladder[mantissa, up]
        return float(f"{m * 10.0 ** (exponent + shift):.6g}")
    ratio = max(grid) / sorted(grid)[-2] if up else sorted(grid)[1] / min(grid)
    return float(f"{best * ratio if up else best / ratio:.6g}")


def _fold_data(matrices: Design, y: np.ndarray, train, config: Config) -> tuple:
    """One training fold's matrix and labels (with the text-only copies)."""
    X, X_bare = matrices.X, matrices.X_bare
    keep = np.isin(matrices.opening, train)
    blocks, labels = [X[train]], [y[train]]
    if config.text_only_copies:
        blocks.append(X_bare[train])
        labels.append(y[train])
    if keep.any():
        blocks.append(matrices.X_opening[np.flatnonzero(keep)])
        labels.append(y[matrices.opening[keep]])
    if len(blocks) == 1:
        return blocks[0], labels[0]
    return sp.vstack(blocks).tocsr(), np.concatenate(labels)


def fit(data: TrainingSet, config: Config = DEFAULTS, C: float | None = None,
        progress: Progress | None = None) -> tuple[Pipeline, Search | None]:
    """Train on ``data``; choose C by grouped CV unless given. Returns the model and the search."""
    check_trainable(data, config)
    matrices = design(data, config)
    final = _fold_data(matrices, np.asarray(data.labels), np.arange(len(data.labels)), config)
    search = None
    if C is None:
        search, classifier = _search(data, matrices, config, progress, final)
    else:
        classifier = build_classifier(config, C, n_jobs=config.jobs).fit(*final)
    return Pipeline([("features", matrices.features), ("classifier", classifier)]), search


def config_for(config: Config, **changes) -> Config:
    """A copy of ``config`` with some values changed."""
    return replace(config, **changes)
