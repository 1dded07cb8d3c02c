"""Label shares corrected for the classifier's known confusion, with a bootstrap interval.

Adjusted classify-and-count: with ``M[i, j] = P(predicted j | true i)`` from the model
card's cross-validated confusion matrix, the predicted shares are ``q = Mᵀ p`` for the
true shares ``p``. We solve for ``p`` on the simplex (non-negative, summing to 1) by
non-negative least squares with the sum as an extra, heavily weighted equation.

    >>> import numpy as np
    >>> adjust(np.array([0.3, 0.7]), np.array([[8, 2], [0, 10]])).round(3).tolist()
    [0.375, 0.625]
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np
from ..errors import ModelError
from .simplex import normal_matrices, simplex_nnls


@dataclass(frozen=True)
class AdjustedShare:
    """A corrected share with the ends of its bootstrap interval."""

    share: float
    low: float
    high: float


def card_confusion(card: Mapping, labels: Sequence[str]) -> np.ndarray | None:
    """The card's cross-validated confusion counts, rows and columns in ``labels`` order; None if absent."""
    metrics = card.get("metrics", {}) if card else {}
    matrix, order = metrics.get("cv.confusion_matrix"), metrics.get("cv.labels")
    if matrix is None or order is None:
        return None
    matrix = np.asarray(matrix, dtype=float)
    if matrix.shape != (len(order), len(order)) or set(order) != set(labels):
        raise ModelError("model card", f"cv.confusion_matrix {matrix.shape} over {list(order)} "
                                       f"does not match the model's labels {list(labels)}")
    idx = [list(order).index(label) for label in labels]
    return matrix[np.ix_(idx, idx)]


def adjust(observed: np.ndarray, confusion: np.ndarray) -> np.ndarray:
    """True shares estimated from predicted shares ``observed`` and confusion counts (rows = true).

    >>> adjust(np.array([0.2, 0.8]), np.eye(2)).round(3).tolist()
    [0.2, 0.8]
    """
    confusion = np.asarray(confusion, dtype=float)
    rates = _bootstrap_rates(confusion.tobytes(), confusion.shape, 1, 0, False)  # the matrix itself, no redraw
    return _solve(np.asarray(observed, dtype=float)[None], *rates)[0]


def adjusted_shares(counts: Sequence[int], confusion: np.ndarray, *, samples: int = 1000, level: float = 0.95,
                    seed: int = 0, resample_confusion: bool = True) -> list[AdjustedShare]:
    """Corrected shares of predicted label ``counts`` with a percentile bootstrap interval.

    Each bootstrap sample redraws the report's units (a multinomial over its predicted
    labels) and, with ``resample_confusion``, each row of the confusion counts. The redrawn
    confusion matrices depend only on the matrix, ``samples`` and ``seed``, so they are drawn
    (and inverted) once per model and shared by every report.

    >>> adjusted_shares([1, 3], np.eye(2) * 50, samples=200)[0].share
    0.25
    """
    counts = np.asarray(counts, dtype=float)
    confusion = np.asarray(confusion, dtype=float)
    n = int(counts.sum())
    if n == 0:
        return [AdjustedShare(0.0, 0.0, 0.0) for _ in counts]
    point = adjust(counts / n, confusion)
    observed = np.random.default_rng(seed).multinomial(n, counts / n, size=samples) / n
    draws = _solve(observed, *_bootstrap_rates(confusion.tobytes(), confusion.shape, samples, seed,
                                               resample_confusion))
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail], axis=0)
    return [AdjustedShare(round(float(s), 4), round(float(min(lo, s)), 4), round(float(max(hi, s)), 4))
            for s, lo, hi in zip(point, low, high)]


@lru_cache(maxsize=8)
def _bootstrap_rates(data: bytes, shape: tuple[int, ...], samples: int, seed: int,
                     resample: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bootstrap's confusion rates (each row of the counts redrawn, with ``resample``), the inverse
    of each transposed rate matrix (NaN where singular) and the normal matrices of its least-squares
    problem; read-only, as they are shared."""
    confusion = np.frombuffer(data, dtype=float).reshape(shape)
    if resample:
        rng = np.random.default_rng((seed, 1))
        totals = np.rint(confusion.sum(axis=1)).astype(int)
        rows = [rng.multinomial(t, r / r.sum(), size=samples) if t > 0 else np.zeros((samples, len(r)))
                for t, r in zip(totals, confusion)]
        rates = _rates(np.stack(rows, axis=1).astype(float))  # (samples, true, predicted)
    else:
        rates = np.broadcast_to(_rates(confusion), (samples, *confusion.shape)).copy()
    inverses, gram = _inverses(np.transpose(rates, (0, 2, 1))), normal_matrices(rates)
    rates.flags.writeable = inverses.flags.writeable = gram.flags.writeable = False
    return rates, inverses, gram


def _inverses(matrices: np.ndarray) -> np.ndarray:
    """The inverse of each matrix of a stack; NaN for a singular one."""
    try:
        return np.linalg.inv(matrices)
    except np.linalg.LinAlgError:
        out = np.full_like(matrices, np.nan)
        for b, matrix in enumerate(matrices):
            try:
                out[b] = np.linalg.inv(matrix)
            except np.linalg.LinAlgError:
                continue
        return out


def _rates(confusion: np.ndarray) -> np.ndarray:
    """Row-normalised confusion: P(predicted | true); a label never seen as true keeps itself.
    Also for a stack of matrices (the last two axes)."""
    totals = confusion.sum(axis=-1, keepdims=True)
    return np.where(totals > 0, confusion / np.where(totals > 0, totals, 1), np.eye(confusion.shape[-1]))


def _solve(observed: np.ndarray, rates: np.ndarray, inverses: np.ndarray, gram: np.ndarray) -> np.ndarray:
    """Solve ``ratesᵀ p = q`` for each row of ``observed``; where the exact solution leaves the
    simplex (or the matrix is singular), non-negative least squares with the sum constrained; ``inverses``
    and ``gram`` as ``_bootstrap_rates`` gives them."""
    exact = (inverses @ observed[..., None])[..., 0]
    ok = np.all(exact >= -1e-12, axis=1) & np.isfinite(exact).all(axis=1)
    out = np.empty_like(observed)
    out[ok] = np.clip(exact[ok], 0, None)
    if not ok.all():
        start = np.where(np.isfinite(exact[~ok]), exact[~ok], 1.0) > 0
        out[~ok] = simplex_nnls(observed[~ok], rates[~ok], start, gram[~ok])
    totals = out.sum(axis=1, keepdims=True)
    return np.where(totals > 0, out / np.where(totals > 0, totals, 1), observed)
