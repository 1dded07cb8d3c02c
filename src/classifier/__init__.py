"""Label the sentences of Chinese rule-of-law government reports (法治政府建设年度报告).

    >>> from classifier import load_model
    >>> model = load_model()                                     # doctest: +SKIP
    >>> model.predict(["下一步，将深入开展民法典宣传。"])            # doctest: +SKIP
    ['plan']
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .config import VERSION
from .errors import ClassifierError

if TYPE_CHECKING:
    from .model.training import train
    from .read.reading import read_document
    from .review.summary_batch import summarize
    from .run.predict import Model, Prediction, load_model
    from .units.segments import Unit, segment

# Imported on first use, so that `classifier predict` never pays for scikit-learn (which only training needs).
_LAZY = {"Model": "run.predict", "Prediction": "run.predict", "load_model": "run.predict",
         "read_document": "read.reading", "Unit": "units.segments", "segment": "units.segments",
         "train": "model.training", "summarize": "review.summary_batch"}

__all__ = ["ClassifierError", "Model", "Prediction", "Unit", "load_model", "read_document", "segment", "summarize",
           "train"]
__version__ = VERSION


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
