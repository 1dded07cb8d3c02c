"""``classifier train``: from a labelled corpus to a saved, documented model.

    >>> result = train("data", "models/mine")   # doctest: +SKIP
    >>> result.card["metrics"]["cv.macro_f1"]  # doctest: +SKIP
    0.93
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ..config import DEFAULTS, Config
from ..corpus.corpora import load_corpora
from .metadata import model_card
from .directory import check_destination
from .persistence import MEMBERS, jsonable, save_model
from .pipeline import Progress, Search, TrainingSet, fit, training_set
from .scores import scores


@dataclass(frozen=True)
class TrainResult:
    """Where the model went and its card."""

    path: Path
    card: dict
    warnings: tuple[str, ...] = ()  # sentences repeated across reports, worth a look


def load_training_data(source: str | os.PathLike | Sequence[str | os.PathLike],
                       weights: Mapping[str, int] | None = None, config: Config = DEFAULTS) -> tuple[TrainingSet, tuple[str, ...]]:
    """Units with context from corpus directories and bare sentences from CSV/JSONL files of text,label,
    each corpus repeated by its weight (see ``corpus.corpora``); and the warnings about them."""
    sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    corpora = load_corpora(sources, weights, config.user_weight)
    return training_set(corpora.reports), corpora.warnings


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


def train(source: str | os.PathLike | Sequence[str | os.PathLike], output: str | os.PathLike,
          config: Config = DEFAULTS, progress: Progress | None = None, C: float | None = None,
          weights: Mapping[str, int] | None = None) -> TrainResult:
    """Train on ``source`` (one corpus or several, see ``load_training_data``) and write the model
    directory ``output`` atomically.

    ``output`` must be new, empty or a model directory; anything else is refused before training."""
    check_destination(output, MEMBERS)
    data, warnings = load_training_data(source, weights, config)
    pipeline, search = fit(data, config, C=C, progress=progress)
    chosen = search.C if search else C
    card = model_card(data=data, config=jsonable(asdict(config)),
                      training={"C": chosen, "cv_macro_f1_by_C": search.scores if search else {}},
                      metrics=cv_metrics(data, search),
                      source=str(source) if isinstance(source, (str, os.PathLike)) else " + ".join(map(str, source)))
    if progress:
        progress("saving", 1, 1)
    return TrainResult(save_model(pipeline, card, output, config), card, warnings)

