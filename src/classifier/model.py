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
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from .config import DEFAULTS, Config
from .errors import DataError
from .features import build_features, sentence_records, unit_records
from .segments import outline

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
    """Records with context for every labelled unit of every report."""
    records, labels, groups = [], [], []
    for report in reports:
        units = outline(report.text, [(u.start, u.end, u.is_heading) for u in report.units])
        records.extend(unit_records(units))
        labels.extend(u.label for u in report.units)
        groups.extend([report.id] * len(units))
    return TrainingSet(records, labels, groups)


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


def build_pipeline(config: Config = DEFAULTS, C: float = 1.0) -> Pipeline:
    """The untrained model: features → logistic regression with balanced class weights."""
    clf = LogisticRegression(C=C, class_weight=config.class_weight, max_iter=config.max_iter,
                             random_state=config.seed)
    return Pipeline([("features", build_features(config)), ("classifier", clf)])


def with_text_only(data: TrainingSet) -> TrainingSet:
    """The data plus a copy of every unit without its context, so bare sentences work too."""
    bare = sentence_records(r["text"] for r in data.records)
    return TrainingSet(data.records + bare, data.labels * 2, data.groups * 2)


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


def choose_c(data: TrainingSet, config: Config = DEFAULTS, progress: Progress | None = None) -> Search:
    """Pick C by report-grouped CV on features fitted once (they are unsupervised)."""
    folds = group_folds(data, config.folds, config.seed)
    features = build_features(config).fit(data.records)
    X = features.transform(data.records).tocsr()
    X_bare = features.transform(sentence_records(r["text"] for r in data.records)).tocsr()
    y = np.asarray(data.labels)
    classes = sorted(set(data.labels))
    best: Search | None = None
    scores: dict[str, float] = {}
    for i, C in enumerate(config.c_grid):
        pred, proba = np.empty(len(y), dtype=object), np.zeros((len(y), len(classes)))
        for j, (train, test) in enumerate(folds):
            X_train = sp.vstack([X[train], X_bare[train]]) if config.text_only_copies else X[train]
            y_train = np.concatenate([y[train], y[train]]) if config.text_only_copies else y[train]
            clf = build_pipeline(config, C).named_steps["classifier"].fit(X_train, y_train)
            pred[test] = clf.predict(X[test])
            cols = [classes.index(c) for c in clf.classes_]
            proba[np.ix_(test, cols)] = clf.predict_proba(X[test])
            if progress:
                progress("choosing C", i * len(folds) + j + 1, len(config.c_grid) * len(folds))
        scores[str(C)] = round(float(f1_score(y, pred, average="macro")), 4)
        if best is None or scores[str(C)] > best.scores[str(best.C)]:
            best = Search(C, scores, list(pred), proba, classes)
    assert best is not None
    return Search(best.C, scores, best.predictions, best.proba, classes)


def fit(data: TrainingSet, config: Config = DEFAULTS, C: float | None = None,
        progress: Progress | None = None) -> tuple[Pipeline, Search | None]:
    """Train on ``data``; choose C by grouped CV unless given. Returns the model and the search."""
    check_trainable(data, config)
    search = None
    if C is None:
        search = choose_c(data, config, progress)
        C = search.C
    train = with_text_only(data) if config.text_only_copies else data
    pipeline = build_pipeline(config, C).fit(train.records, train.labels)
    return pipeline, search


def config_for(config: Config, **changes) -> Config:
    """A copy of ``config`` with some values changed."""
    return replace(config, **changes)
