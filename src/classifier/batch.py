"""Many files at once: predictions (or bare units) as rows, with per-file errors kept apart.

    >>> result = predict_files(["a.txt", "missing.txt"])   # doctest: +SKIP
    >>> len(result.errors)                                 # doctest: +SKIP
    1

A file that cannot be read does not stop the batch: its error is collected and the
other files still run. With ``jobs > 1`` files are spread over processes, each of which
loads the model and the tokenizer's dictionary once.
"""
from __future__ import annotations

import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .errors import ClassifierError, ReadError
from .reading import read_document
from .segments import segment

_MODEL = None


@dataclass(frozen=True)
class BatchResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[ClassifierError] = field(default_factory=list)


def _load(model_path: str | None):
    global _MODEL
    if _MODEL is None or getattr(_MODEL, "_asked_for", None) != model_path:
        from .predict import load_model

        _MODEL = load_model(model_path)
        _MODEL._asked_for = model_path
    return _MODEL


def _source_text(name: str) -> str:
    return read_document(name).text


def _sentence_rows(model, name: str, text: str) -> list[dict]:
    lines = [(m.start(), m.end(), m.group().strip()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    probas = model.predict_proba([t for _, _, t in lines]) if lines else []
    rows = []
    for k, ((s, e, t), scores) in enumerate(zip(lines, probas)):
        label = max(scores, key=scores.get)
        rows.append({"file": name, "index": k, "start": s, "end": e, "text": t, "label": label,
                     "confidence": scores[label], "scores": scores})
    return rows


def _report_rows(model, name: str, text: str) -> list[dict]:
    rows = []
    for p in model.classify_units(segment(text)):
        rows.append({"file": name, "index": p.index, "start": p.start, "end": p.end, "text": p.text,
                     "heading": p.heading, "is_heading": p.is_heading, "role": p.role, "label": p.label,
                     "confidence": p.confidence, "scores": p.scores})
    return rows


def _predict_one(name: str, model_path: str | None, sentences: bool, text: str | None = None):
    """Rows for one file, or the error that stopped it (as a picklable pair)."""
    try:
        model = _load(model_path)
        text = _source_text(name) if text is None else text
        return (_sentence_rows if sentences else _report_rows)(model, name, text), None
    except ClassifierError as error:
        return [], error


def predict_files(files: Sequence[str], model: str | None = None, sentences: bool = False, jobs: int = 1,
                  progress: Callable[[str, int, int], None] | None = None) -> BatchResult:
    """Label every unit (or, with ``sentences``, every line) of each file."""
    _load(model)  # a broken model fails once, before any file
    stdin_text = {name: _stdin_text() for name in files if name == "-"}
    results = []
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_predict_one, f, model, sentences, stdin_text.get(f)) for f in files]
            for k, future in enumerate(futures):
                results.append(future.result())
                progress and progress("classifying", k + 1, len(files))
    else:
        for k, name in enumerate(files):
            results.append(_predict_one(name, model, sentences, stdin_text.get(name)))
            progress and progress("classifying", k + 1, len(files))
    return BatchResult([row for rows, _ in results for row in rows], [e for _, e in results if e])


def _stdin_text() -> str:
    return read_document("-", stdin=sys.stdin.buffer).text


def segment_files(files: Sequence[str]) -> BatchResult:
    """The units of each file, without labels."""
    rows, errors = [], []
    for name in files:
        try:
            text = _stdin_text() if name == "-" else _source_text(name)
        except ReadError as error:
            errors.append(error)
            continue
        for u in segment(text):
            rows.append({"file": name, "index": u.index, "start": u.start, "end": u.end, "text": u.text,
                         "heading": u.heading, "path": list(u.path), "is_heading": u.is_heading,
                         "style": u.style, "role": u.role})
    return BatchResult(rows, errors)
