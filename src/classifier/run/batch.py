"""Many files at once: predictions (or bare units) as rows, with per-file errors kept apart.

    >>> result = predict_files(["a.txt", "missing.txt"])   # doctest: +SKIP
    >>> len(result.errors)                                 # doctest: +SKIP
    1

A file that cannot be read does not stop the batch: its error is collected and the
other files still run. With ``jobs > 1`` files are spread over processes, each of which
loads the model and the tokenizer's dictionary once.
"""
from __future__ import annotations

import gc
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np

from ..errors import ClassifierError, ReadError
from ..model.records import sentence_records, unit_records
from ..model.tokens import _tokenizer
from ..read.reading import read_document
from ..units.segments import Unit, segment
from .workers import in_order

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


def _line_fields(text: str) -> list[tuple[int, int, int, str]]:
    """(index, start, end, text) of each line of ``text`` that is not blank, its text stripped."""
    lines = ((m.start(), m.end(), m.group().strip()) for m in re.finditer(r"[^\n]+", text))
    return [(k, s, e, t) for k, (s, e, t) in enumerate(line for line in lines if line[2])]


def _unit_fields(units: Sequence[Unit]) -> list[tuple[int, int, int, str, str, bool, str]]:
    """(index, start, end, text, heading, is_heading, role) of each unit."""
    return [(u.index, u.start, u.end, u.text, u.heading, u.is_heading, u.role) for u in units]


@dataclass(frozen=True)
class Scored:
    """A run of files scored in one pass, in a form that crosses between processes quickly: each
    file's units (or, with ``lines``, its lines) as tuples of their fields, and every unit's label
    and scores in two arrays, in the same order."""

    names: list[str]
    fields: list[list[tuple]]
    errors: list[ClassifierError | None]
    labels: list[str]
    best: np.ndarray  # each unit's label, as its place in ``labels``
    scores: np.ndarray  # each unit's probability of every label, rounded
    lines: bool = False

    def results(self) -> Iterator[tuple[list[dict], ClassifierError | None]]:
        """Each file's rows (or error), in order."""
        labelled = zip(self.best.tolist(), self.scores.tolist())  # shared: each file takes as many as it has units
        build = _line_rows if self.lines else _report_rows
        for name, fields, error in zip(self.names, self.fields, self.errors):
            yield build(name, fields, labelled, self.labels), error


# The rows of one file, as dict displays: faster than pairing each tuple with its field names.
def _report_rows(name: str, fields: list[tuple], labelled: Iterator[tuple[int, list[float]]], labels: list[str]):
    rows = []
    for (index, start, end, text, heading, is_heading, role), (best, probs) in zip(fields, labelled):
        rows.append({"file": name, "index": index, "start": start, "end": end, "text": text, "heading": heading,
                     "is_heading": is_heading, "role": role, "label": labels[best], "confidence": probs[best],
                     "scores": dict(zip(labels, probs))})
    return rows


def _line_rows(name: str, fields: list[tuple], labelled: Iterator[tuple[int, list[float]]], labels: list[str]):
    rows = []
    for (index, start, end, text), (best, probs) in zip(fields, labelled):
        rows.append({"file": name, "index": index, "start": start, "end": end, "text": text, "label": labels[best],
                     "confidence": probs[best], "scores": dict(zip(labels, probs))})
    return rows


@contextmanager
def _collector_paused():
    """Python's cycle collector off while a batch runs, as it was before once it ends.

    A batch makes many containers (units, records, rows) and keeps the rows: the collector,
    run every few hundred new containers, would walk them again and again and find no
    cycles (a file that fails leaves its error's traceback, freed by a later collection).
    When it ends, what it kept goes to the collector's oldest generation (``_aged``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _aged()
            gc.enable()


def _aged() -> None:
    """Every object the collector tracks moved to its oldest generation, without a walk over them.

    The rows of a batch are all in the youngest generation when it ends: the first young collection
    after it would walk each of them (20–30 ms for 30,000 rows), then the next generation's, and
    find nothing to free; the oldest generation is walked only by the rare full collections.
    ``gc.freeze`` moves every tracked object aside and ``gc.unfreeze`` puts them all in the oldest
    generation. Skipped where the caller has frozen objects of its own, which unfreezing would hand back
    to the collector."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _predict_chunk(names: Sequence[str], model_path: str | None, sentences: bool, texts: Sequence[str | None]) -> Scored:
    """The files scored together: one pass of the model over a few reports costs less than a pass over each."""
    with _collector_paused():  # in a worker of --jobs too
        return _scored(_load(model_path), names, sentences, texts)


def _scored(model, names: Sequence[str], sentences: bool, texts: Sequence[str | None]) -> Scored:
    fields: list[list[tuple]] = []
    errors: list[ClassifierError | None] = []
    records: list[dict] = []
    for name, text in zip(names, texts):
        found, error = [], None
        try:
            text = _source_text(name) if text is None else text
            if sentences:
                found = _line_fields(text)
                records += sentence_records(t for *_, t in found)
            else:
                units = segment(text)
                records += unit_records(units)
                found = _unit_fields(units)
        except ClassifierError as failed:
            error = failed
        fields.append(found)
        errors.append(error)
    best, scores = model._scored(records, by_rounded=sentences)
    return Scored(list(names), fields, errors, model.labels, best, scores, lines=sentences)


GROUP = 16  # files scored in one pass at most
FEWEST = 8  # files in a pass at least, where each process still gets four (a pass of 4 costs 10% more a unit, of 1 40%)
LAST = 4  # files in each of the last passes, with several processes
UNITS_PER_REPORT = 65  # about the median report: what a batch of files is expected to bring the tokenizer


def predict_files(files: Sequence[str], model: str | None = None, sentences: bool = False, jobs: int = 1,
                  progress: Callable[[str, int, int], None] | None = None) -> BatchResult:
    """Label every unit (or, with ``sentences``, every line) of each file, in the order given."""
    _load(model)  # a broken model fails once, before any file
    _tokenizer().expect(UNITS_PER_REPORT * len(files))
    stdin_text = {name: _stdin_text() for name in files if name == "-"}
    texts = [stdin_text.get(name) for name in files]
    results: list[tuple[list[dict], ClassifierError | None]] = []
    with _collector_paused():
        for result in _results(list(files), texts, model, sentences, jobs):
            results.append(result)
            progress and progress("classifying", len(results), len(files))
    return BatchResult([row for rows, _ in results for row in rows], [e for _, e in results if e])


def _results(files: list[str], texts: list[str | None], model: str | None, sentences: bool, jobs: int):
    """Each file's (rows, error), in the order of ``files``; over ``jobs`` processes when there are several files.

    This process is one of them: it scores runs of files itself while the others' runs are under
    way (see ``workers``), so only their scored units cross between processes (see ``Scored``)."""
    processes = min(jobs, len(files))
    chunks = [(files[i:i + size], model, sentences, texts[i:i + size]) for i, size in _chunks(len(files), processes)]
    if processes < 2:
        for chunk in chunks:
            yield from _predict_chunk(*chunk).results()
        return
    # forked workers inherit the model and the dictionary loaded here
    for scored in in_order(chunks, _predict_chunk, processes - 1, _init_worker, (model,)):
        yield from scored.results()


def _chunks(n: int, workers: int) -> list[tuple[int, int]]:
    """(start, size) of consecutive runs of files, each scored in one pass, at most 16 files each, so
    that results stream back in order. A pass has costs of its own, which fewer files share: so
    ``FEWEST`` files a run at least, where each process still gets four runs to share out; else
    smaller runs, for balance. With several processes the last two runs' worth for each are cut
    to ``LAST`` files, so that none of them is left waiting long for the others' last runs."""
    size = max(1, min(GROUP, max(min(FEWEST, n // (workers * 4)), n // (workers * 8))))
    tail = n - min(n, 2 * workers * size) if workers > 1 else n
    small = min(size, LAST)
    return ([(i, min(size, tail - i)) for i in range(0, tail, size)]
            + [(i, min(small, n - i)) for i in range(tail, n, small)])


def _init_worker(model_path: str | None) -> None:
    """Load the model and the tokenizer once per worker (nothing to do when forked from a loaded parent)."""
    _load(model_path)
    _tokenizer()


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
