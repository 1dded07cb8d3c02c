"""Figures of a set of predictions: per-label precision, recall and F1, macro-F1, accuracy, Brier score.

    >>> scores(["plan", "other"], ["plan", "plan"], ["other", "plan"], "model")["model.accuracy"]
    0.5
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, precision_recall_fscore_support


def scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str], prefix: str,
           proba: np.ndarray | None = None) -> dict:
    """Per-label precision/recall/F1, macro-F1, accuracy (and Brier score given probabilities)."""
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, labels=list(labels), zero_division=0)
    out = {f"{prefix}.macro_f1": float(np.mean(f)), f"{prefix}.accuracy": float(accuracy_score(y_true, y_pred))}
    for k, label in enumerate(labels):
        out.update({f"{prefix}.precision.{label}": float(p[k]), f"{prefix}.recall.{label}": float(r[k]),
                    f"{prefix}.f1.{label}": float(f[k]), f"{prefix}.support.{label}": int(support[k])})
    if proba is not None:
        onehot = (np.asarray(y_true)[:, None] == np.asarray(labels)[None, :]).astype(float)
        out[f"{prefix}.brier"] = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    return out
