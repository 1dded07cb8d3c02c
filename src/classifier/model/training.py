"""``classifier train``: from a labelled corpus to a saved, documented model.

    >>> result = train("data", "models/mine")   # doctest: +SKIP
    >>> result.card["metrics"]["cv.macro_f1"]  # doctest: +SKIP
    0.93
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..config import DEFAULTS, Config
from ..corpus.corpus import load_corpus
from ..corpus.interchange import read_labelled_table
from ..errors import DataError
from .features import sentence_records
from .metadata import model_card
from .persistence import jsonable, save_model
from .pipeline import Progress, Search, TrainingSet, fit, training_set
from .scores import scores


@dataclass(frozen=True)
class TrainResult:
    """Where the model went and its card."""

    path: Path
    card: dict


def load_training_data(source: str | os.PathLike) -> TrainingSet:
    """Units with context from a corpus directory, or bare sentences from a CSV/JSONL of text,label."""
    path = Path(source)
    if path.is_dir():
        return training_set(load_corpus(path))
    if path.is_file():
        rows = read_labelled_table(path)
        return TrainingSet(sentence_records(t for t, _ in rows), [label for _, label in rows],
                           [f"row-{i}" for i in range(len(rows))])
    raise DataError(path, "no such corpus directory or label file")


def cv_metrics(data: TrainingSet, search: Search | None) -> dict:
    """Cross-validated figures of the chosen configuration, for the model card."""
    if search is None:
        return {}
    labels = search.classes
    out = {f"cv.{k.split('.', 1)[1]}": v for k, v in scores(data.labels, search.predictions, labels, "x", search.proba).items()}
    from sklearn.metrics import confusion_matrix

    out["cv.confusion_matrix"] = confusion_matrix(data.labels, search.predictions, labels=labels).tolist()
    out["cv.labels"] = labels
    out["cv.folds"] = "report-grouped, stratified"
    out["cv.mean_confidence"] = float(np.mean(np.max(search.proba, axis=1)))
    return out


def train(source: str | os.PathLike = "data", output: str | os.PathLike = "models/default",
          config: Config = DEFAULTS, progress: Progress | None = None, C: float | None = None) -> TrainResult:
    """Train on ``source`` and write the model directory ``output`` atomically."""
    data = load_training_data(source)
    pipeline, search = fit(data, config, C=C, progress=progress)
    chosen = search.C if search else C
    card = model_card(data=data, config=jsonable(asdict(config)),
                      training={"C": chosen, "cv_macro_f1_by_C": search.scores if search else {}},
                      metrics=cv_metrics(data, search), source=str(source))
    if progress:
        progress("saving", 1, 1)
    return TrainResult(save_model(pipeline, card, output, config), card)

