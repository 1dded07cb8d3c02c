"""Label the sentences of Chinese rule-of-law government reports (法治政府建设年度报告).

    >>> from classifier import load_model
    >>> model = load_model()                                     # doctest: +SKIP
    >>> model.predict(["下一步，将深入开展民法典宣传。"])            # doctest: +SKIP
    ['plan']
"""
from __future__ import annotations

from .errors import ClassifierError
from .predict import Model, Prediction, load_model
from .reading import read_document
from .segments import Unit, segment
from .training import train

__all__ = ["ClassifierError", "Model", "Prediction", "Unit", "load_model", "read_document", "segment", "train"]
__version__ = "0.1.0"
