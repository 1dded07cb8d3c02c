"""Using a trained model: labels for bare sentences and for every unit of a report.

    >>> from classifier import load_model
    >>> model = load_model()                          # the bundled model
    >>> model.predict("下一步，将深入开展民法典宣传。")   # doctest: +SKIP
    'plan'
    >>> units = model.classify_report("report.txt")   # doctest: +SKIP
    >>> units[0].label, units[0].confidence           # doctest: +SKIP
    ('other', 0.93)
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence, overload

import numpy as np

from .config import PACKAGE_DIR
from .errors import ModelError
from .features import sentence_records, unit_records
from .persistence import load_pipeline
from .reading import SUPPORTED_SUFFIXES, read_document
from .segments import Unit, segment


@dataclass(frozen=True)
class Prediction:
    """A unit of a report with its label, the label's probability and every label's score."""

    text: str
    start: int
    end: int
    index: int
    heading: str
    label: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    is_heading: bool = False
    role: str = ""
    path: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_model_dir() -> Path:
    """Where the bundled model lives: $CLASSIFIER_MODEL, the installed copy, or the checkout's models/default."""
    env = os.environ.get("CLASSIFIER_MODEL")
    if env:
        return Path(env)
    installed = PACKAGE_DIR / "bundled_model"
    return installed if installed.is_dir() else PACKAGE_DIR.parent.parent / "models" / "default"


class Model:
    """A trained classifier with its model card."""

    def __init__(self, pipeline: Any, card: dict, path: Path | None = None) -> None:
        self.pipeline = pipeline
        self.card = card
        self.path = path

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    @overload
    def predict(self, texts: str) -> str: ...
    @overload
    def predict(self, texts: Sequence[str]) -> list[str]: ...

    def predict(self, texts):
        """Labels of bare sentences (no context): a str gives a str, a list a list."""
        if isinstance(texts, str):
            return self.predict([texts])[0]
        return [str(p) for p in self.pipeline.predict(sentence_records(texts))] if texts else []

    def predict_proba(self, texts):
        """Each label's probability for bare sentences: a dict for a str, a list of dicts for a list."""
        if isinstance(texts, str):
            return self.predict_proba([texts])[0]
        if not texts:
            return []
        return [self._scores(row) for row in self.pipeline.predict_proba(sentence_records(texts))]

    def classify_report(self, source: str | os.PathLike) -> list[Prediction]:
        """Every unit of a report (a path, or the report's text) with its label."""
        return self.classify_units(segment(_report_text(source)))

    def classify_units(self, units: Sequence[Unit]) -> list[Prediction]:
        """Labels for already segmented units of one report, using their context."""
        if not units:
            return []
        proba = self.pipeline.predict_proba(unit_records(units))
        out = []
        for unit, row in zip(units, proba):
            best = int(np.argmax(row))
            out.append(Prediction(unit.text, unit.start, unit.end, unit.index, unit.heading,
                                  self.labels[best], round(float(row[best]), 4), self._scores(row),
                                  unit.is_heading, unit.role, unit.path))
        return out

    def explain(self, unit: Unit | Prediction | str, top: int = 10) -> list[tuple[str, float]]:
        """The features that pushed a unit (or bare sentence) towards its predicted label."""
        from .explain import contributions

        return contributions(self, unit, top)

    def _scores(self, row: np.ndarray) -> dict[str, float]:
        return {label: round(float(p), 4) for label, p in zip(self.labels, row)}


def _report_text(source: str | os.PathLike) -> str:
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and len(source) < 1024
        and (Path(source).suffix.lower() in SUPPORTED_SUFFIXES or Path(source).exists())):
        return read_document(source).text
    return str(source)


def load_model(path: str | os.PathLike | None = None) -> Model:
    """Load a model directory (default: the bundled model), verifying it first.

    >>> load_model("no/such/dir")
    Traceback (most recent call last):
    classifier.errors.ModelError: no/such/dir: no such model directory; train one with `classifier train --output DIR`
    """
    directory = Path(path) if path is not None else default_model_dir()
    if path is None and not directory.is_dir():
        raise ModelError(directory, "the bundled model is missing; train one with `classifier train`")
    pipeline, card = load_pipeline(directory)
    return Model(pipeline, card, directory)
