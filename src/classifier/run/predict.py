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
from typing import Any, Callable, Iterator, Sequence, overload

import numpy as np

from ..config import PACKAGE_DIR
from ..errors import ModelError
from ..model.fast.scoring import LinearScorer
from ..model.persistence import assemble, load_state
from ..model.records import sentence_records, unit_records
from ..read.reading import SUPPORTED_SUFFIXES, read_document
from ..units.segments import Unit, segment


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


def is_bundled_model(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the bundled model's directory (the installed copy, the checkout's, or $CLASSIFIER_MODEL).

    >>> is_bundled_model(default_model_dir()), is_bundled_model("models/mine-2")
    (True, False)
    """
    given = Path(path).absolute().resolve()
    places = (default_model_dir(), PACKAGE_DIR / "bundled_model", PACKAGE_DIR.parent.parent / "models" / "default")
    return any(given == place.absolute().resolve() for place in places)


SLICE = 16_384  # units scored in one pass at most, and rows made at a time: a long report goes by slices
RecordMaker = Callable[[Any, int, int], list[dict]]  # the records of ``report[start:stop]``, as ``unit_records``


class Model:
    """A trained classifier with its model card.

    A loaded model predicts with a ``LinearScorer`` (no scikit-learn import); ``pipeline``,
    the same model as a scikit-learn Pipeline, is built on first use.
    """

    def __init__(self, pipeline: Any, card: dict, path: Path | None = None, scorer: Any = None) -> None:
        self._pipeline = pipeline
        self._scorer = scorer
        self.card = card
        self.path = path

    @property
    def pipeline(self) -> Any:
        if self._pipeline is None:
            self._pipeline = self._scorer.pipeline()
        return self._pipeline

    @property
    def _engine(self) -> Any:
        """What computes the probabilities: the scorer when there is one, else the pipeline."""
        return self._scorer if self._scorer is not None else self._pipeline

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self._engine.classes_]

    @overload
    def predict(self, texts: str) -> str: ...
    @overload
    def predict(self, texts: Sequence[str]) -> list[str]: ...

    def predict(self, texts):
        """Labels of bare sentences (no context): a str gives a str, a list a list."""
        if isinstance(texts, str):
            return self.predict([texts])[0]
        return [str(p) for p in self._engine.predict(sentence_records(texts))] if texts else []

    def predict_proba(self, texts):
        """Each label's probability for bare sentences: a dict for a str, a list of dicts for a list."""
        if isinstance(texts, str):
            return self.predict_proba([texts])[0]
        if not texts:
            return []
        return self._scores(self._scored(sentence_records(texts))[1])

    def classify_report(self, source: str | os.PathLike) -> list[Prediction]:
        """Every unit of a report (a path, or the report's text) with its label."""
        return self.classify_units(segment(_report_text(source)))

    def classify_units(self, units: Sequence[Unit]) -> list[Prediction]:
        """Labels for already segmented units of one report, using their context."""
        return self.classify_many([units])[0]

    def classify_many(self, reports: Sequence[Sequence[Unit]]) -> list[list[Prediction]]:
        """``classify_units`` for several reports' units, scored together (faster than one by one); each
        unit is read in its own report's context, so every report gets what it would get alone."""
        return [[Prediction(u.text, u.start, u.end, u.index, u.heading, label, scores[label], scores,
                            u.is_heading, u.role, u.path) for u, label, scores in labelled]
                for labelled in self._labelled_reports(reports)]

    def _labelled_reports(self, reports: Sequence[Sequence[Unit]]) -> list[list[tuple[Unit, str, dict[str, float]]]]:
        """Each unit of several reports with its label and every label's rounded probability, scored together
        (each unit in its own report's context)."""
        units = [u for report in reports for u in report]
        if not units:
            return [[] for _ in reports]
        best, scores = self._scored_reports(reports)
        labels = self.labels
        labelled = [(u, labels[b], p) for u, b, p in zip(units, best.tolist(), self._scores(scores))]
        out, start = [], 0
        for report in reports:
            out.append(labelled[start:start + len(report)])
            start += len(report)
        return out

    def explain(self, unit: Unit | Prediction | str, top: int = 10) -> list[tuple[str, float]]:
        """The features that pushed a unit (or bare sentence) towards its predicted label."""
        from ..model.explain import contributions

        return contributions(self, unit, top)

    def _scored(self, records: Sequence[dict], by_rounded: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Each record's label, as its place in ``labels``, and every label's probability rounded to 4 places.

        The label is the first of the highest probabilities (as ``max()`` picks), or with ``by_rounded``
        of the highest rounded ones."""
        if not records:
            return np.zeros(0, dtype=np.int64), np.zeros((0, len(self.labels)))
        proba = self._engine.predict_proba(records)
        scores = rounded(proba, 4)
        return (scores if by_rounded else proba).argmax(axis=1), scores

    def _scored_reports(self, reports: Sequence[Sequence[Any]], records: RecordMaker = unit_records,
                        by_rounded: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``_scored`` for the records of every unit of the reports, in order, worked out and scored ``SLICE``
        at a time (see ``_in_slices``)."""
        passes = [self._scored(chunk, by_rounded) for chunk in _in_slices(reports, records)]
        if not passes:
            return self._scored([])
        return np.concatenate([b for b, _ in passes]), np.concatenate([p for _, p in passes])

    def _scores(self, scores: np.ndarray) -> list[dict[str, float]]:
        """Each row of rounded probabilities (as ``_scored`` gives them) as a dict by label."""
        labels = self.labels
        return [dict(zip(labels, row)) for row in scores.tolist()]


def model_version(model: Model) -> str:
    """A short name for the model that changes whenever its weights do.

    >>> model_version(type("M", (), {"card": {"artifacts": {"model.npz": "fcce80d5f389b4"}}, "path": None})())
    'classifier-fcce80d5f389'
    """
    digest = ((model.card.get("artifacts") or {}).get("model.npz") or "")[:12]
    return f"classifier-{digest}" if digest else "classifier"


def _in_slices(reports: Sequence[Sequence[Any]], records: RecordMaker = unit_records) -> Iterator[list[dict]]:
    """The records of the reports' units, in order, ``SLICE`` at a time or fewer (``records(report, start, stop)``
    gives those of ``report[start:stop]``, each unit in its report's context): several short reports go in one
    pass, a long one in several."""
    out: list[dict] = []
    for report in reports:
        for i in range(0, len(report), SLICE):
            out += records(report, i, i + SLICE)
            if len(out) >= SLICE:
                yield out
                out = []
    if out:
        yield out


def rounded(values: np.ndarray, places: int) -> np.ndarray:
    """``round(v, places)`` of every value, as Python rounds (the nearest decimal, ties to even).

    Scaling, ``np.rint`` and scaling back gives the same number except where the scaled value
    lies within rounding error of a half; those few are rounded by Python.

    >>> rounded(np.array([0.12345, 0.5, 2.675]), 2).tolist()
    [0.12, 0.5, 2.67]
    """
    values = np.asarray(values, dtype=float)
    scale = 10.0 ** places
    scaled = values * scale
    out = np.rint(scaled) / scale
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    out.flat[near] = [round(v, places) for v in values.flat[near].tolist()]
    return out


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
    arrays, state, card = load_state(directory)
    return Model(None, card, directory, scorer=assemble(directory, LinearScorer, arrays, state))
