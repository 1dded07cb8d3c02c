"""Where does the model fail? The lists behind ``notebooks/2.0-error-analysis.ipynb``.

Every function reads the out-of-fold predictions of
:func:`classifier.evaluation.evaluate.cross_validate` (each unit predicted by a model that never saw
its report) and the reports they came from, so the units can be shown in context.

    >>> reports = load_corpus("data")                                   # doctest: +SKIP
    >>> cv = cross_validate(reports, C=0.1)                             # doctest: +SKIP
    >>> [row["text"] for row in likely_label_errors(cv, reports)][:1]   # doctest: +SKIP
    ['……']
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import UsageError


def unit_table(cv: Mapping, reports: Sequence) -> list[dict]:
    """One row per cross-validated unit, in corpus order: its report, place, text, heading,
    neighbours, label, predicted label, confidence (the prediction's probability) and the
    probability given to its own label.

        >>> unit_table(cv, reports)[0]["label"]   # doctest: +SKIP
        'other'
    """
    oof = cv["_out_of_fold"]
    units = [(report, k) for report in reports for k in range(len(report.units))]
    if len(units) != len(oof["true"]) or any(r.id != g for (r, _), g in zip(units, oof["groups"])):
        raise UsageError("reports", "these are not the reports the cross-validation was run on (same order)")
    labels = list(cv["labels"])
    proba = np.asarray(oof["proba"], dtype=float)
    rows = []
    for i, (report, k) in enumerate(units):
        unit, pred = report.units[k], str(oof["pred"][i])
        rows.append({"report": report.id, "index": k, "text": unit.text, "heading": unit.heading,
                     "previous": report.units[k - 1].text if k else "",
                     "next": report.units[k + 1].text if k + 1 < len(report.units) else "",
                     "is_heading": unit.is_heading, "label": unit.label, "predicted": pred,
                     "confidence": round(float(proba[i, labels.index(pred)]), 4),
                     "label_proba": round(float(proba[i, labels.index(unit.label)]), 4),
                     "runner_up": _runner_up(proba[i], labels, pred)})
    return rows


def _runner_up(row: np.ndarray, labels: list[str], pred: str) -> str:
    order = [labels[j] for j in np.argsort(-row, kind="stable")]
    return next((label for label in order if label != pred), "")


def misclassified(cv: Mapping, reports: Sequence) -> list[dict]:
    """The units whose out-of-fold prediction differs from their label, in reading order,
    each with its heading and the previous and next unit's text.

        >>> len(misclassified(cv, reports)) == cv["units"] - round(cv["model.accuracy"] * cv["units"])  # doctest: +SKIP
        True
    """
    return [row for row in unit_table(cv, reports) if row["predicted"] != row["label"]]


def confused_pairs(cv: Mapping, top: int | None = None) -> list[dict]:
    """(labelled, predicted) pairs the model mixes up, most units first, from the confusion
    matrix; ``share`` is the part of the labelled units that went to that prediction.

    >>> confused_pairs({"labels": ["a", "b"], "model.confusion_matrix": [[8, 2], [1, 9]]})
    [{'label': 'a', 'predicted': 'b', 'units': 2, 'share': 0.2}, {'label': 'b', 'predicted': 'a', 'units': 1, 'share': 0.1}]
    """
    labels, matrix = cv["labels"], cv["model.confusion_matrix"]
    pairs = []
    for i, row in enumerate(matrix):
        total = sum(row)
        for j, n in enumerate(row):
            if i != j and n:
                pairs.append({"label": labels[i], "predicted": labels[j], "units": int(n),
                              "share": round(n / total, 4)})
    pairs.sort(key=lambda p: (-p["units"], p["label"], p["predicted"]))
    return pairs[:top] if top is not None else pairs


def heaviest_terms(model: Any, label: str, top: int = 15, block: str | None = None) -> list[dict]:
    """The features with the largest positive weight for ``label`` in a trained model (a
    :class:`~classifier.run.predict.Model` or its pipeline); ``block`` keeps one kind only
    (``word``, ``char`` or ``context``).

        >>> heaviest_terms(load_model(), "plan", top=1)   # doctest: +SKIP
        [{'feature': 'context:cue=future', 'block': 'context', 'term': 'cue=future', 'weight': 1.93}]
    """
    from ..model.explain import coefficients, feature_names

    pipeline = getattr(model, "pipeline", model)
    clf = pipeline.named_steps["classifier"]
    classes = [str(c) for c in clf.classes_]
    if label not in classes:
        raise UsageError("label", f"{label!r} is not one of the model's labels: {', '.join(classes)}")
    coef = coefficients(clf)
    weights = (coef[0] if label == classes[1] else -coef[0]) if coef.shape[0] == 1 else coef[classes.index(label)]
    names = feature_names(pipeline)
    order = np.argsort(-weights, kind="stable")
    rows = []
    for j in order:
        kind, _, term = names[j].partition(":")
        if weights[j] <= 0 or len(rows) >= top:
            break
        if block is None or kind == block:
            rows.append({"feature": names[j], "block": kind, "term": term, "weight": round(float(weights[j]), 4)})
    return rows


def least_confident(cv: Mapping, reports: Sequence, top: int = 20) -> list[dict]:
    """The ``top`` units the model was least sure of (lowest out-of-fold confidence), with the
    gap to the runner-up label: where a second annotator's look pays most.

        >>> least_confident(cv, reports, top=1)[0]["confidence"] < 0.5   # doctest: +SKIP
        True
    """
    rows = unit_table(cv, reports)
    rows.sort(key=lambda r: (r["confidence"], r["report"], r["index"]))
    return rows[:top]


def likely_label_errors(cv: Mapping, reports: Sequence, threshold: float = 0.9) -> list[dict]:
    """Units whose out-of-fold prediction disagrees with their label with a confidence of at
    least ``threshold``, most confident first: candidates for a label error, to review
    (the model may be the one that is wrong).

        >>> [r["label"] + "→" + r["predicted"] for r in likely_label_errors(cv, reports)][:1]   # doctest: +SKIP
        ['other→publicity']
    """
    if not 0 < threshold <= 1:
        raise UsageError("threshold", f"must be in (0, 1], not {threshold}")
    rows = [r for r in misclassified(cv, reports) if r["confidence"] >= threshold]
    rows.sort(key=lambda r: (-r["confidence"], r["report"], r["index"]))
    return rows
