"""How good is the model, and how would it do on bodies or years it has not seen? The
figures behind ``notebooks/1.0-evaluation.ipynb``, computed from the package's own
cross-validation (:func:`classifier.evaluation.evaluate.cross_validate`) and held-out tests
(:func:`classifier.evaluation.evaluate.held_out`).

    >>> cv = cross_validate(load_corpus("data"), C=0.1)        # doctest: +SKIP
    >>> metrics_table(cv)[-1]["label"], reliability(cv["_out_of_fold"]["true"],
    ...     cv["_out_of_fold"]["proba"], cv["labels"], bins=5)[0]["units"]  # doctest: +SKIP
    ('macro', 12)

The error analysis (misclassified units, likely label errors …) lives in
:mod:`classifier.evaluation.diagnosis` and is re-exported here, so ``from classifier.evaluation import analysis``
reaches every function the notebooks call.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from sklearn.metrics import f1_score

from ..config import DEFAULTS, Config
from ..errors import UsageError
from ..model.pipeline import fit, group_folds, training_set
from .diagnosis import (  # noqa: F401
    confused_pairs,
    heaviest_terms,
    least_confident,
    likely_label_errors,
    misclassified,
    unit_table,
)
from .evaluate import SYSTEMS, held_out

BASELINES = ("plain", "rules")
# Administrative levels merged into tiers, so that a held-out tier is a kind of body the
# training reports have no close relative of (a township's report teaches about streets).
LEVEL_TIERS = {"township": "township+street", "street": "township+street", "county": "county+district",
               "district": "county+district", "city": "city+province", "province": "city+province",
               "department": "department"}


def metrics_table(cv: Mapping, systems: Sequence[str] = ("model", *BASELINES), measure: str = "f1") -> list[dict]:
    """One row per label: each system's ``measure`` (f1, precision or recall) side by side, with
    the label's units; for F1, a last row with the macro-F1.

    >>> cv = {"labels": ["a"], "model.f1.a": 0.9, "plain.f1.a": 0.7, "model.support.a": 4,
    ...       "model.macro_f1": 0.9, "plain.macro_f1": 0.7, "model.accuracy": 0.95, "plain.accuracy": 0.8}
    >>> metrics_table(cv, systems=("model", "plain"))
    [{'label': 'a', 'model': 0.9, 'plain': 0.7, 'units': 4}, {'label': 'macro', 'model': 0.9, 'plain': 0.7, 'units': 4}]
    """
    rows = [{"label": label, **{s: cv[f"{s}.{measure}.{label}"] for s in systems},
             "units": cv[f"model.support.{label}"]} for label in cv["labels"]]
    if measure == "f1":
        rows.append({"label": "macro", **{s: cv[f"{s}.macro_f1"] for s in systems},
                     "units": sum(r["units"] for r in rows)})
    return rows


def label_scores(cv: Mapping, system: str = "model") -> list[dict]:
    """Precision, recall, F1 and support of each label for one system.

    >>> label_scores({"labels": ["a"], "model.precision.a": 1.0, "model.recall.a": 0.5,
    ...               "model.f1.a": 0.667, "model.support.a": 2})
    [{'label': 'a', 'precision': 1.0, 'recall': 0.5, 'f1': 0.667, 'units': 2}]
    """
    return [{"label": label, "precision": cv[f"{system}.precision.{label}"], "recall": cv[f"{system}.recall.{label}"],
             "f1": cv[f"{system}.f1.{label}"], "units": cv[f"{system}.support.{label}"]} for label in cv["labels"]]


def reliability(y_true: Sequence[str], proba, labels: Sequence[str], bins: int = 10) -> list[dict]:
    """The model's confidence (its top probability) against how often it is right, per
    confidence bin; empty bins are left out. A calibrated model has accuracy ≈ confidence.

    >>> reliability(["a", "b", "a"], [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], ["a", "b"], bins=2)
    [{'low': 0.5, 'high': 1.0, 'units': 3, 'confidence': 0.8, 'accuracy': 0.3333}]
    """
    if bins < 1:
        raise UsageError("bins", f"must be at least 1, not {bins}")
    p = np.asarray(proba, dtype=float)
    confidence = p.max(axis=1)
    correct = np.asarray(labels)[p.argmax(axis=1)] == np.asarray(y_true)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, confidence, side="right") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        inside = which == b
        if inside.any():
            rows.append({"low": round(float(edges[b]), 4), "high": round(float(edges[b + 1]), 4),
                         "units": int(inside.sum()), "confidence": round(float(confidence[inside].mean()), 4),
                         "accuracy": round(float(correct[inside].mean()), 4)})
    return rows


def calibration_error(rows: Sequence[Mapping]) -> float:
    """Expected calibration error of :func:`reliability` rows: the unit-weighted mean gap
    between confidence and accuracy (0 is perfect).

    >>> calibration_error([{"units": 1, "confidence": 0.9, "accuracy": 1.0},
    ...                    {"units": 3, "confidence": 0.6, "accuracy": 0.6}])
    0.025
    """
    total = sum(r["units"] for r in rows)
    gap = sum(r["units"] * abs(r["accuracy"] - r["confidence"]) for r in rows)
    return round(gap / total, 4) if total else 0.0


def learning_curve(reports: Sequence, sizes: Sequence[int] = (8, 16, 32), folds: int = 3, C: float | None = None,
                   config: Config = DEFAULTS, cv: Mapping | None = None) -> list[dict]:
    """Macro-F1 on held-out reports of the model trained on ``n`` reports, for each ``n``.

    The reports are cut into ``folds`` report-grouped folds, exactly as :func:`cross_validate`
    cuts them; each fold is tested by models trained on the first ``n`` reports, in a seeded
    random order, of the other folds. Pass a fixed ``C``: without it every fit searches
    for C, which is slow. Given ``cv`` (the result of :func:`cross_validate` on the same
    reports with ``folds`` folds and the same seed), a last point for all the training
    reports is read from its out-of-fold predictions instead of being refitted.

        >>> [row["reports"] for row in learning_curve(load_corpus("data"), (8, 16), C=0.1)]  # doctest: +SKIP
        [8.0, 16.0]
    """
    data = training_set(reports)
    labels = sorted(set(data.labels))
    splits = group_folds(data, folds, config.seed)
    rng = np.random.default_rng(config.seed)
    scores: dict[int | str, list[tuple[int, int, float]]] = {n: [] for n in sizes}
    for train, test in splits:
        order = list(dict.fromkeys(data.groups[i] for i in train))
        rng.shuffle(order)
        y_test = [data.labels[i] for i in test]
        for n in sizes:
            chosen = set(order[:n])
            subset = data.subset([i for i in train if data.groups[i] in chosen])
            model, _ = fit(subset, config, C=C)
            pred = model.predict(data.subset(test).records)
            f1 = f1_score(y_test, pred, labels=labels, average="macro", zero_division=0)
            scores[n].append((len(set(subset.groups)), len(subset.labels), float(f1)))
    rows = [_curve_row(n, scores[n]) for n in sizes]
    if cv is not None:
        rows.append(_curve_row("all", _cv_points(cv, data, splits, labels)))
    return rows


def _cv_points(cv: Mapping, data, splits, labels: list[str]) -> list[tuple[int, int, float]]:
    """(training reports, training units, macro-F1) of each fold of a finished cross-validation."""
    oof = cv["_out_of_fold"]
    if cv.get("folds") != len(splits) or list(oof["groups"]) != list(data.groups):
        raise UsageError("cv", f"was not run on these reports with {len(splits)} folds")
    points = []
    for train, test in splits:
        f1 = f1_score([oof["true"][i] for i in test], [oof["pred"][i] for i in test], labels=labels,
                      average="macro", zero_division=0)
        points.append((len({data.groups[i] for i in train}), len(train), float(f1)))
    return points


def _curve_row(n: int | str, per_fold: list[tuple[int, int, float]]) -> dict:
    f1 = [s for _, _, s in per_fold]
    return {"size": n, "reports": round(float(np.mean([r for r, _, _ in per_fold])), 1),
            "units": round(float(np.mean([u for _, u, _ in per_fold])), 1),
            "macro_f1": round(float(np.mean(f1)), 4), "low": round(min(f1), 4), "high": round(max(f1), 4),
            "folds": len(f1)}


def more_reports_help(curve: Sequence[Mapping], min_gain: float = 0.01) -> dict:
    """Would labelling more reports help? Compares the last two points of a learning curve:
    the gain in macro-F1 per 10 extra training reports, and a one-line answer.

    >>> more_reports_help([{"reports": 10, "macro_f1": 0.80}, {"reports": 20, "macro_f1": 0.90}])["helps"]
    True
    >>> more_reports_help([{"reports": 10, "macro_f1": 0.95}, {"reports": 20, "macro_f1": 0.953}])["helps"]
    False
    """
    if len(curve) < 2:
        raise UsageError("curve", "needs at least two training sizes")
    a, b = curve[-2], curve[-1]
    extra = b["reports"] - a["reports"]
    per_10 = (b["macro_f1"] - a["macro_f1"]) * 10 / extra if extra else 0.0
    helps = per_10 >= min_gain
    message = (f"Macro-F1 rose {per_10:+.3f} per 10 extra reports between {a['reports']:.0f} and {b['reports']:.0f} reports: "
               + ("labelling more reports is likely to help." if helps else
                  f"the curve has flattened (below {min_gain:+.3f} per 10 reports); more reports of the same "
                  "kind will add little, new kinds of body or year may."))
    return {"gain_per_10_reports": round(per_10, 4), "helps": helps, "message": message}


def group_reports(reports: Sequence, by: str = "level", bins: int | None = None,
                  merge: Mapping[str, str] | None = None) -> dict[str, list]:
    """Reports grouped by a reports.csv column. ``merge`` renames values into coarser groups
    (e.g. :data:`LEVEL_TIERS`); ``bins`` merges a numeric column (year) into that many
    contiguous ranges of roughly equal report counts, named ``2016–2018``.

    >>> from types import SimpleNamespace as R
    >>> rs = [R(meta={"year": y}) for y in ("2016", "2017", "2018", "2019")]
    >>> {k: len(v) for k, v in group_reports(rs, "year", bins=2).items()}
    {'2016–2017': 2, '2018–2019': 2}
    """
    groups: dict[str, list] = {}
    for report in reports:
        value = report.meta.get(by) or ""
        if not value:
            raise UsageError("by", f"report {getattr(report, 'id', '?')!r} has no {by!r} in reports.csv")
        groups.setdefault(merge.get(value, value) if merge else value, []).append(report)
    groups = dict(sorted(groups.items()))
    if bins and not all(key.isdigit() for key in groups):
        raise UsageError("bins", f"only a numeric column such as year can be binned, not {by!r}")
    return _bin(groups, bins) if bins else groups


def _bin(groups: dict[str, list], bins: int) -> dict[str, list]:
    """Consecutive values merged into ``bins`` runs, each cut where the count is nearest its share."""
    keys = sorted(groups, key=int)
    total = sum(len(groups[key]) for key in keys)
    out: dict[str, list] = {}
    run: list[str] = []
    count = 0

    def close() -> None:
        out[run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}"] = [r for key in run for r in groups[key]]
        run.clear()

    for key in keys:
        target = total * (len(out) + 1) / bins
        if run and len(out) < bins - 1 and abs(count - target) <= abs(count + len(groups[key]) - target):
            close()
        run.append(key)
        count += len(groups[key])
    close()
    return out


def transfer(reports: Sequence, by: str = "level", config: Config = DEFAULTS, C: float | None = None,
             bins: int | None = None, merge: Mapping[str, str] | None = None) -> list[dict]:
    """Hold out each group of reports in turn (see :func:`group_reports`: a level or tier, a
    year or range of years), train on all the others and test on it, with
    :func:`classifier.evaluation.evaluate.held_out`: how the model and the baselines do on kinds of body
    or years they have never seen. Each group costs one training run.

        >>> transfer(load_corpus("data"), by="level", C=0.1)[0]["held_out"]   # doctest: +SKIP
        'city'
    """
    groups = group_reports(reports, by, bins, merge)
    if len(groups) < 2:
        raise UsageError("by", f"all reports share one {by} ({next(iter(groups), 'none')}): nothing to hold out")
    rows = []
    for name, test in groups.items():
        ids = {r.id for r in test}
        train = [r for r in reports if r.id not in ids]
        result = held_out(train, test, config, C)
        rows.append({"held_out": name, "reports": len(test), "units": result["units"],
                     **{f"{s}.macro_f1": round(result[f"{s}.macro_f1"], 4) for s in ("model", *BASELINES)},
                     "model.accuracy": round(result["model.accuracy"], 4),
                     "labels_absent": [lb for lb in result["labels"] if not result[f"model.support.{lb}"]]})
    return rows


__all__ = ["BASELINES", "LEVEL_TIERS", "SYSTEMS", "calibration_error", "confused_pairs", "group_reports", "heaviest_terms",
           "label_scores", "learning_curve", "least_confident", "likely_label_errors", "metrics_table",
           "misclassified", "more_reports_help", "reliability", "transfer", "unit_table"]
