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
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.extmath import safe_sparse_dot

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


class CalibratedSVM(BaseEstimator, ClassifierMixin):
    """A linear SVM whose margins are turned into probabilities by Platt scaling.

    The sigmoid for each label is fitted on out-of-fold margins (``calibration_folds``
    internal folds); the SVM itself is then fitted on all the data. Learned state is
    plain arrays: ``coef_``, ``intercept_``, ``calibration_`` (a, b per label), ``classes_``.

        >>> clf = CalibratedSVM(C=0.3).fit(X, y)     # doctest: +SKIP
        >>> clf.predict_proba(X).sum(axis=1)          # doctest: +SKIP
        array([1., 1., ...])
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced", calibration_folds: int = 3,
                 max_iter: int = 2000, random_state: int = 0) -> None:
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.max_iter = max_iter
        self.random_state = random_state

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                         random_state=self.random_state)

    def fit(self, X, y) -> "CalibratedSVM":
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        folds = min(self.calibration_folds, int(min(np.unique(y, return_counts=True)[1])))
        cv = StratifiedKFold(max(folds, 2), shuffle=True, random_state=self.random_state)
        margins = _columns(cross_val_predict(self._svm(), X, y, cv=cv, method="decision_function"))
        svm = self._svm().fit(X, y)
        self.coef_, self.intercept_ = svm.coef_, svm.intercept_
        positives = self.classes_[-1:] if len(self.classes_) == 2 else self.classes_
        self.calibration_ = np.array([_platt(margins[:, k], y == c) for k, c in enumerate(positives)])
        return self

    def decision_function(self, X) -> np.ndarray:
        return _columns(safe_sparse_dot(X, self.coef_.T, dense_output=True) + self.intercept_)

    def predict_proba(self, X) -> np.ndarray:
        margins = self.decision_function(X)
        p = 1.0 / (1.0 + np.exp(-(margins * self.calibration_[:, 0] + self.calibration_[:, 1])))
        if len(self.classes_) == 2:
            return np.hstack([1 - p, p])
        return p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _columns(margins: np.ndarray) -> np.ndarray:
    return margins.reshape(-1, 1) if margins.ndim == 1 else margins


def _platt(margin: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of the sigmoid that maps a margin to P(label)."""
    if positive.all() or not positive.any():
        return 0.0, 10.0 if positive.all() else -10.0
    lr = LogisticRegression(C=1e4).fit(margin.reshape(-1, 1), positive)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def build_classifier(config: Config = DEFAULTS, C: float = 1.0, calibrated: bool = True):
    """The calibrated linear SVM; ``calibrated=False`` gives the bare SVM, to compare values of C."""
    if not calibrated:
        return LinearSVC(C=C, class_weight=config.class_weight, max_iter=config.max_iter, random_state=config.seed)
    return CalibratedSVM(C, config.class_weight, config.calibration_folds, config.max_iter, config.seed)


def build_pipeline(config: Config = DEFAULTS, C: float = 1.0) -> Pipeline:
    """The untrained model: features → calibrated linear SVM."""
    return Pipeline([("features", build_features(config)), ("classifier", build_classifier(config, C))])


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
    scores: dict[str, float] = {}
    steps = (len(config.c_grid) + 1) * len(folds)
    for i, C in enumerate(config.c_grid):
        pred = np.empty(len(y), dtype=object)
        for j, (train, test) in enumerate(folds):
            pred[test] = _fold_fit(X, X_bare, y, train, config, C, calibrated=False).predict(X[test])
            if progress:
                progress("choosing C", i * len(folds) + j + 1, steps)
        scores[str(C)] = round(float(f1_score(y, pred, average="macro")), 4)
    best = max(config.c_grid, key=lambda c: (scores[str(c)], -c))
    pred, proba = np.empty(len(y), dtype=object), np.zeros((len(y), len(classes)))
    for j, (train, test) in enumerate(folds):
        clf = _fold_fit(X, X_bare, y, train, config, best, calibrated=True)
        proba[np.ix_(test, [classes.index(c) for c in clf.classes_])] = clf.predict_proba(X[test])
        pred[test] = clf.predict(X[test])
        if progress:
            progress("choosing C", len(config.c_grid) * len(folds) + j + 1, steps)
    return Search(best, scores, list(pred), proba, classes)


def _fold_fit(X, X_bare, y, train, config: Config, C: float, calibrated: bool):
    """The classifier fitted on one training fold (with its text-only copies)."""
    X_train = sp.vstack([X[train], X_bare[train]]) if config.text_only_copies else X[train]
    y_train = np.concatenate([y[train], y[train]]) if config.text_only_copies else y[train]
    return build_classifier(config, C, calibrated).fit(X_train, y_train)


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
