"""Many files at once: predictions (or bare units) as rows, with per-file errors kept apart.

    >>> result = predict_files(["a.txt", "missing.txt"])   # doctest: +SKIP
    >>> len(result.errors)                                 # doctest: +SKIP
    1

A file that cannot be read does not stop the batch: its error is collected and the
other files still run. With ``jobs > 1`` files are spread over processes, each of which
loads the model and the tokenizer's dictionary once.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np

from ..errors import BatchError, ClassifierError, ReadError
from ..model.records import clear_caches, sentence_records
from ..model.tokens import _tokenizer
from ..read.reading import read_document
from ..units.segments import Unit, dropped_lines, segment
from .collector import collector_paused as _collector_paused
from .predict import SLICE
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

    def results(self) -> Iterator[tuple[list[dict], ClassifierError | None, bool]]:
        """Each file's rows (or error), in order, as (rows, error, whether the file's last rows): a long file's
        rows come ``SLICE`` at a time, so that they need not all be in memory at once."""
        labelled = itertools.chain.from_iterable(  # shared: each file takes as many as it has units
            zip(self.best[i:i + SLICE].tolist(), self.scores[i:i + SLICE].tolist())
            for i in range(0, len(self.best), SLICE))
        build = _line_rows if self.lines else _report_rows
        for name, fields, error in zip(self.names, self.fields, self.errors):
            for i in range(0, max(len(fields), 1), SLICE):
                yield build(name, fields[i:i + SLICE], labelled, self.labels), error, i + SLICE >= len(fields)


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


def _predict_chunk(names: Sequence[str], model_path: str | None, sentences: bool, texts: Sequence[str | None]) -> Scored:
    """The files scored together: one pass of the model over a few reports costs less than a pass over each."""
    with _collector_paused():  # in a worker of --jobs too
        scored = _scored(_load(model_path), names, sentences, texts)
    _bounded_caches()
    return scored


def _bounded_caches() -> None:
    """The words of texts seen so far forgotten once there are more than ``CACHED_TEXTS``: a batch of texts
    that never repeat would otherwise fill the caches to their (much larger) bounds, and its memory would
    grow with the number of files until then. Repeats close together (a report's headings, stock phrases)
    are still served."""
    from ..model import tokens

    if tokens._cut.cache_info().currsize > CACHED_TEXTS:
        clear_caches()


def _scored(model, names: Sequence[str], sentences: bool, texts: Sequence[str | None]) -> Scored:
    fields: list[list[tuple]] = []
    errors: list[ClassifierError | None] = []
    units: list[Sequence[Unit]] = []
    for name, text in zip(names, texts):
        found, error = [], None
        try:
            if isinstance(text, ClassifierError):  # standard input that could not be read
                raise text
            text = _source_text(name) if text is None else text
            if sentences:
                found = _line_fields(text)
            else:
                units.append(segment(text))
                found = _unit_fields(units[-1])
        except ClassifierError as failed:
            error = failed
        fields.append(found)
        errors.append(error)
    best, scores = (model._scored_reports(fields, _line_records, by_rounded=True) if sentences
                    else model._scored_reports(units))
    return Scored(list(names), fields, errors, model.labels, best, scores, lines=sentences)


def _line_records(fields: Sequence[tuple], start: int, stop: int) -> list[dict]:
    """The records of the lines ``fields[start:stop]`` (as ``_line_fields`` gives them): bare sentences."""
    return sentence_records(t for *_, t in fields[start:stop])


GROUP = 16  # files scored in one pass at most
CACHED_TEXTS = 30_000  # texts whose words a batch keeps at most (see _bounded_caches)
FEWEST = 8  # files in a pass at least, where each process still gets four (a pass of 4 costs 10% more a unit, of 1 40%)
LAST = 4  # files in each of the last passes, with several processes
UNITS_PER_REPORT = 65  # about the median report: what a batch of files is expected to bring the tokenizer


@dataclass(frozen=True)
class FileRows:
    """One file's rows (empty when it failed) and its error, if any; a long file's rows come in several."""

    name: str
    rows: list[dict]
    error: ClassifierError | None = None
    last: bool = True  # False: more rows of this file follow (a long file comes in slices)


def predict_files(files: Sequence[str], model: str | None = None, sentences: bool = False, jobs: int = 1,
                  progress: Callable[[str, int, int], None] | None = None) -> BatchResult:
    """Label every unit (or, with ``sentences``, every line) of each file, in the order given."""
    results = list(iter_predictions(files, model, sentences, jobs, progress))
    return BatchResult([row for r in results for row in r.rows], [r.error for r in results if r.error and r.last])


def iter_predictions(files: Sequence[str], model: str | None = None, sentences: bool = False, jobs: int = 1,
                     progress: Callable[[str, int, int], None] | None = None) -> Iterator[FileRows]:
    """``predict_files`` one file at a time, in order, as soon as that file and all before it are done.

    >>> for done in iter_predictions(["a.txt", "b.txt"]):   # doctest: +SKIP
    ...     print(done.name, len(done.rows), done.error)
    """
    _load(model)  # a broken model fails once, before any file
    _tokenizer().expect(UNITS_PER_REPORT * len(files))
    texts = [_stdin_text() if name == "-" else None for name in files]
    with _collector_paused():
        k = 0
        for rows, error, last in _results(list(files), texts, model, sentences, jobs):
            yield FileRows(files[k], rows, error, last)
            k += last
            last and progress and progress("classifying", k, len(files))


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
    for scored in in_order(chunks, _predict_chunk, processes - 1, _init_worker, (model,), lost=_lost_chunk):
        yield from scored.results()


def _lost_chunk(names: Sequence[str], model_path: str | None, sentences: bool, texts: Sequence[str | None]) -> Scored:
    """A run of files whose worker died twice while holding it: an error for each file."""
    labels = _load(model_path).labels
    errors = [BatchError(name, "the worker process classifying it died (twice); the other files are done")
              for name in names]
    return Scored(list(names), [[] for _ in names], errors, labels, np.zeros(0, dtype=np.int64),
                  np.zeros((0, len(labels))), lines=sentences)


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


def _stdin_text() -> str | ClassifierError:
    """Standard input's text, or the error reading it gave: that error is the file's, in its place in
    the batch (``read_document`` reads standard input once and keeps what it found)."""
    try:
        return read_document("-").text
    except ClassifierError as error:
        return error


def segment_files(files: Sequence[str], show_debris: bool = False) -> BatchResult:
    """The units of each file, without labels; with ``show_debris``, instead the lines dropped as
    web-page debris (``file, start, end, text, debris``: what kind of debris)."""
    rows, errors = [], []
    for name in files:
        try:
            text = _source_text(name)  # "-": standard input, read once
        except ReadError as error:
            errors.append(error)
            continue
        if show_debris:
            rows += [{"file": name, "start": d.start, "end": d.end, "text": d.text, "debris": d.kind}
                     for d in dropped_lines(text)]
            continue
        for u in segment(text):
            rows.append({"file": name, "index": u.index, "start": u.start, "end": u.end, "text": u.text,
                         "heading": u.heading, "path": list(u.path), "is_heading": u.is_heading,
                         "style": u.style, "role": u.role})
    return BatchResult(rows, errors)
