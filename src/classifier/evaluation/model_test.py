"""A trained model measured on a labelled sample as it is, with no retraining:
``classifier evaluate --model M --test mine``.

    >>> metrics = measure_model("models/mine", "mine")      # doctest: +SKIP
    >>> print(model_test_markdown(metrics))              # doctest: +SKIP
    | label | precision | recall | F1 | units |
    …
"""
from __future__ import annotations

import os

from sklearn.metrics import confusion_matrix

from ..corpus.corpora import load_corpora
from ..errors import DataError
from ..model.pipeline import training_set
from ..model.scores import scores
from ..run.predict import load_model


def measure_model(model: str | os.PathLike | None, test: str | os.PathLike | None) -> dict:
    """The model's figures on every labelled unit of ``test`` (a corpus directory or a CSV of text,label),
    each unit read in its report's context; a flat dict like ``classifier evaluate``'s."""
    if not test:
        raise DataError("--test", "give the labelled sample to measure the model on (--test DIR)")
    loaded = load_model(model)
    data = training_set(load_corpora([test]).reports)
    labels = loaded.labels
    unknown = sorted(set(data.labels) - set(labels))
    if unknown:
        raise DataError(test, f"labels the model does not know: {', '.join(unknown)} (it knows {', '.join(labels)})")
    best, proba = loaded._scored(data.records)
    pred = [labels[b] for b in best.tolist()]
    out = {"labels": labels, "folds": 0, "units": len(pred), "reports": len({g.split('#')[0] for g in data.groups}),
           "model_path": str(loaded.path)}
    out.update(scores(data.labels, pred, labels, "model", proba))
    out["model.confusion_matrix"] = confusion_matrix(data.labels, pred, labels=labels).tolist()
    return out


def model_test_markdown(metrics: dict) -> str:
    """The per-label table and the confusion matrix (rows: the true label; columns: the model's).

    >>> m = {"labels": ["a", "b"], "units": 3, "reports": 1, "model.macro_f1": 0.5, "model.accuracy": 0.67,
    ...      "model.confusion_matrix": [[1, 1], [0, 1]], **{f"model.{k}.{l}": 0.5 for k in ("precision", "recall", "f1")
    ...      for l in "ab"}, "model.support.a": 2, "model.support.b": 1}
    >>> print(model_test_markdown(m).splitlines()[-1])
    | b | 0 | 1 |
    """
    labels = metrics["labels"]
    lines = [f"{metrics['units']} labelled units of {metrics['reports']} report(s): accuracy "
             f"{metrics['model.accuracy']:.3f}, macro-F1 {metrics['model.macro_f1']:.3f}.", "",
             "| label | precision | recall | F1 | units |", "|---|---|---|---|---|"]
    lines += [f"| {l} | {metrics[f'model.precision.{l}']:.3f} | {metrics[f'model.recall.{l}']:.3f} | "
              f"{metrics[f'model.f1.{l}']:.3f} | {metrics[f'model.support.{l}']} |" for l in labels]
    lines += ["", "| true \\ predicted | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    lines += [f"| {l} | " + " | ".join(str(n) for n in row) + " |" for l, row in zip(labels, metrics["model.confusion_matrix"])]
    return "\n".join(lines)
