"""Many small simplex-constrained least-squares problems at once: each answer is scipy's for that problem."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import nnls

from classifier.review import simplex
from classifier.review.quantify import _rates
from classifier.review.simplex import SUM_WEIGHT, normal_matrices, simplex_nnls


def one_by_one(observed: np.ndarray, rates: np.ndarray) -> np.ndarray:
    k = observed.shape[1]
    return np.stack([nnls(np.vstack([r.T, np.full(k, SUM_WEIGHT)]), np.append(q, SUM_WEIGHT))[0]
                     for q, r in zip(observed, rates)])


def problems(seed: int, m: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Random confusion rates (some labels never seen as true) and observed shares (some labels absent)."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 8))
    counts = rng.integers(0, 60, (m, k, k)).astype(float) + np.eye(k) * rng.integers(0, 400)
    counts[rng.random(m) < 0.2, int(rng.integers(0, k))] = 0
    observed = rng.dirichlet(np.ones(k) * 0.5, size=m)
    observed[:, int(rng.integers(0, k))] = 0
    return observed / observed.sum(axis=1, keepdims=True), _rates(counts)


@pytest.mark.parametrize("seed", range(12))
def test_every_row_is_the_answer_scipy_gives_for_it_alone(seed):
    observed, rates = problems(seed)
    found = simplex_nnls(observed, rates)
    assert found.min() >= 0
    assert np.abs(found - one_by_one(observed, rates)).max() < 1e-6


def test_the_starting_guess_and_known_normal_matrices_change_nothing():
    observed, rates = problems(99)
    guess = np.random.default_rng(1).random(observed.shape) > 0.5
    plain = simplex_nnls(observed, rates)
    assert np.abs(simplex_nnls(observed, rates, guess, normal_matrices(rates)) - plain).max() < 1e-9


def test_rows_the_search_does_not_settle_go_to_scipy(monkeypatch):
    observed, rates = problems(5)
    monkeypatch.setattr(simplex, "_STEPS", 0)  # nothing settles in the batched search
    assert np.abs(simplex_nnls(observed, rates) - one_by_one(observed, rates)).max() < 1e-9


def test_a_singular_system_still_gets_scipy_s_answer():
    rates = np.array([[[0.5, 0.5], [0.5, 0.5]]] * 3)  # the two labels cannot be told apart
    observed = np.array([[0.5, 0.5], [1.0, 0.0], [0.2, 0.8]])
    found = simplex_nnls(observed, rates)
    assert np.allclose(found.sum(axis=1), 1) and found.min() >= 0
    assert np.abs(rates.transpose(0, 2, 1) @ found[..., None] - rates.transpose(0, 2, 1) @ one_by_one(
        observed, rates)[..., None]).max() < 1e-6
