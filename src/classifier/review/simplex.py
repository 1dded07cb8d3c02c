"""Non-negative least squares with the sum held at 1, for many small problems at once.

For each row ``b`` it solves ``min ‖ratesᵀ p − q‖`` subject to ``p ≥ 0``, with ``Σ p = 1`` as an
extra, heavily weighted equation — what :func:`scipy.optimize.nnls` does for one problem. Here the
rows are solved together: an active-set search whose rows are grouped by their current set of free
labels, so that each step is one batched solve per group. A row's answer is accepted only when it
meets the optimality (KKT) conditions; the few rows that do not within a handful of steps go to
scipy's solver, one at a time. Both give the problem's unique optimum.

    >>> import numpy as np
    >>> rates = np.array([[[0.7, 0.3], [0.0, 1.0]]])
    >>> simplex_nnls(np.array([[0.0, 1.0]]), rates).round(4).tolist()
    [[0.0, 1.0]]
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import nnls

SUM_WEIGHT = 1e3
_STEPS = 12
_TOLERANCE = 1e-9


def simplex_nnls(observed: np.ndarray, rates: np.ndarray, start: np.ndarray | None = None,
                 gram: np.ndarray | None = None) -> np.ndarray:
    """The non-negative ``p`` (rows of ``observed``, shape (m, k)) that best explain ``observed`` as
    ``ratesᵀ p`` (``rates``: (m, k, k)) with the sum of ``p`` held at 1; ``start``, the labels to
    try as free first (default: all); ``gram``, ``normal_matrices(rates)`` if already known."""
    m, k = observed.shape
    gram = normal_matrices(rates) if gram is None else gram
    moment = (rates @ observed[..., None])[..., 0] + SUM_WEIGHT ** 2
    free = np.ones((m, k), dtype=bool) if start is None else start.astype(bool).copy()
    out = np.zeros((m, k))
    todo = np.arange(m)
    for _ in range(_STEPS):
        if not todo.size:
            return out
        step = _free_solution(gram[todo], moment[todo], free[todo])
        negative = step < -_TOLERANCE
        dual = _dual(observed[todo], rates[todo], step)
        wanted = ~free[todo] & (dual > _TOLERANCE)
        done = ~negative.any(axis=1) & ~wanted.any(axis=1)
        out[todo[done]] = np.clip(step[done], 0, None)
        free[todo] &= ~negative  # drop the labels that went negative
        add = ~negative.any(axis=1) & wanted.any(axis=1)  # or free the label the optimum most wants
        free[todo[add], np.argmax(np.where(wanted[add], dual[add], -np.inf), axis=1)] = True
        todo = todo[~done]
    for b in todo:
        out[b], _ = nnls(np.vstack([rates[b].T, np.full(k, SUM_WEIGHT)]), np.append(observed[b], SUM_WEIGHT))
    return out


def normal_matrices(rates: np.ndarray) -> np.ndarray:
    """``AᵀA`` of each problem's system ``A`` (``ratesᵀ`` over the weighted row of ones)."""
    return rates @ np.transpose(rates, (0, 2, 1)) + SUM_WEIGHT ** 2


def _dual(observed: np.ndarray, rates: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Minus the gradient of the squared error at ``step``, from the residuals (more exact than from the
    normal equations, whose terms are a million times larger): above 0, the error falls as the label rises."""
    residual = observed - (step[:, None, :] @ rates)[:, 0, :]
    return (rates @ residual[..., None])[..., 0] + SUM_WEIGHT ** 2 * (1 - step.sum(axis=1, keepdims=True))


def _free_solution(gram: np.ndarray, moment: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Least squares over each row's free labels (the others held at 0): one batched solve per
    distinct set of free labels."""
    out = np.zeros_like(moment)
    codes = free @ (1 << np.arange(free.shape[1]))
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        labels = np.flatnonzero(free[rows[0]])
        if not labels.size:
            continue
        sub = gram[np.ix_(rows, labels, labels)]
        try:
            out[np.ix_(rows, labels)] = np.linalg.solve(sub, moment[np.ix_(rows, labels)][..., None])[..., 0]
        except np.linalg.LinAlgError:
            out[np.ix_(rows, labels)] = -1.0  # singular: these rows fall through to scipy
    return out
