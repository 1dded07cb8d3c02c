"""A linear SVM with calibrated probabilities, and fitting many independent models side by side.

    >>> clf = CalibratedSVM(C=0.1).fit(X, y)                       # doctest: +SKIP
    >>> fitted = parallel_fits([(LinearSVC(), X, y)] * 4, jobs=2)  # doctest: +SKIP
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.extmath import safe_sparse_dot


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
                 max_iter: int = 2000, random_state: int = 0, n_jobs: int | None = None) -> None:
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.max_iter = max_iter
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                         random_state=self.random_state)

    def fit(self, X, y) -> "CalibratedSVM":
        tasks, splits = self.calibration_tasks(X, y)
        # the SVMs of the calibration folds and the final SVM are independent: fit them side by side
        *fold_svms, svm = parallel_fits(tasks + [(self._svm(), X, np.asarray(y))], self.n_jobs)
        return self.assemble(X, y, splits, fold_svms, svm)

    def calibration_tasks(self, X, y) -> tuple[list[tuple], list]:
        """The SVMs to fit on the internal folds, as ``(estimator, X, y)`` tasks, and the folds."""
        y = np.asarray(y)
        folds = min(self.calibration_folds, int(min(np.unique(y, return_counts=True)[1])))
        cv = StratifiedKFold(max(folds, 2), shuffle=True, random_state=self.random_state)
        splits = list(cv.split(X, y))
        return [(self._svm(), X[train], y[train]) for train, _ in splits], splits

    def assemble(self, X, y, splits: list, fold_svms: Sequence, svm: LinearSVC) -> "CalibratedSVM":
        """Finish fitting from the fitted fold SVMs (for the sigmoids) and the SVM fitted on all of ``X``."""
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        margins = np.zeros((len(y), len(self.classes_) if len(self.classes_) > 2 else 1))
        for (_, test), fold_svm in zip(splits, fold_svms):
            margins[test] = _columns(fold_svm.decision_function(X[test]))
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


def _fit(estimator, X, y):
    return estimator.fit(X, y)


def workers(jobs: int | None, tasks: int) -> int:
    """Processes to use for ``tasks`` independent fits: ``jobs`` (0 or None: one per CPU core), at most one per task."""
    wanted = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, tasks))


def parallel_fits(tasks: Sequence[tuple], jobs: int | None, done: Callable[[int], None] | None = None) -> list:
    """Fit each ``(estimator, X, y)``, over several processes when ``jobs`` allows; results in task order.

    Every estimator carries its own seed, so the fits are the same whichever process runs them."""
    n = workers(jobs, len(tasks))
    if n == 1:
        return _collect((_fit(*task) for task in tasks), done)
    from joblib import Parallel, delayed, parallel_config

    # loky's workers outlive a parent killed outright (SIGKILL): each watches its parent and leaves with it
    with parallel_config(backend="loky", initializer=exit_with_parent, initargs=(os.getpid(),)):
        return _collect(Parallel(n_jobs=n, return_as="generator")(delayed(_fit)(*task) for task in tasks), done)


def _collect(fits: Iterable, done: Callable[[int], None] | None) -> list:
    results = []
    for fitted in fits:
        results.append(fitted)
        if done:
            done(len(results))
    return results


def exit_with_parent(parent: int, every: float = 0.5) -> None:
    """In a worker process: end this process as soon as ``parent`` is no longer its parent (it died).

    Run as a pool's initializer; a daemon thread checks every ``every`` seconds."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _columns(margins: np.ndarray) -> np.ndarray:
    return margins.reshape(-1, 1) if margins.ndim == 1 else margins


def _platt(margin: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of the sigmoid that maps a margin to P(label)."""
    if positive.all() or not positive.any():
        return 0.0, 10.0 if positive.all() else -10.0
    lr = LogisticRegression(C=1e4).fit(margin.reshape(-1, 1), positive)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])
