"""Why a unit got its label: the features of a linear model that weigh most for it.

    >>> model.explain("下一步，将深入开展普法。", top=3)   # doctest: +SKIP
    [('word:下一步', 0.91), ('context:role=plans', 0.4), ('char:将深', 0.2)]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..units.segments import Unit
from .features import sentence_records, unit_records

_PREFIX = {"words": "word", "chars": "char", "context": "context"}


def feature_names(pipeline: Any) -> list[str]:
    """Names of the model's features, prefixed by their block (word:, char:, context:)."""
    names: list[str] = []
    for block, transformer in pipeline.named_steps["features"].transformer_list:
        step = transformer.steps[-1][1] if hasattr(transformer, "steps") else transformer
        names.extend(f"{_PREFIX.get(block, block)}:{n}" for n in step.get_feature_names_out())
    return names


def coefficients(clf: Any) -> np.ndarray:
    """The linear weights of a classifier, averaged over the SVMs inside a calibrated one."""
    if hasattr(clf, "coef_"):
        return np.asarray(clf.coef_)
    return np.mean([c.estimator.coef_ for c in clf.calibrated_classifiers_], axis=0)


def contributions(model: Any, unit: Any, top: int = 10) -> list[tuple[str, float]]:
    """The ``top`` features with the largest contribution to the unit's predicted label."""
    record = _record(unit)
    pipeline = model.pipeline
    x = pipeline.named_steps["features"].transform([record]).tocsr()
    clf = pipeline.named_steps["classifier"]
    label = pipeline.predict([record])[0]
    coef = coefficients(clf)
    weights = coef[0] * (1 if label == clf.classes_[1] else -1) if coef.shape[0] == 1 else coef[list(clf.classes_).index(label)]
    cols = x.indices
    values = x.data * weights[cols]
    names = feature_names(pipeline)
    order = np.argsort(-values)[:top]
    return [(names[cols[i]], round(float(values[i]), 4)) for i in order if values[i] > 0]


def _record(unit: Any) -> dict:
    if isinstance(unit, str):
        return sentence_records([unit])[0]
    if isinstance(unit, Unit):
        return {k: v for k, v in unit_records([unit])[0].items() if k != "position"}
    return {"text": unit.text, "path": tuple(unit.path), "is_heading": unit.is_heading,
            "role": unit.role or "none", "style": ""}
