"""What the service's endpoints compute, as plain functions of a model and the request's data.

Each function checks its input against the settings' limits and raises the package's errors
(``LimitError``, ``UnsupportedFormatError``, ``ReadError`` …); none knows about HTTP. Those that
take several reports (``classify_reports``, ``summarize_uploads``) give a report's error in its
place instead, so that one bad file fails alone.

    >>> from classifier import load_model
    >>> request = ReportRequest(text="一、主要做法\\n开展普法宣传。")
    >>> result = classify_one(load_model(), request, ServeSettings())                      # doctest: +SKIP
    >>> result.units[1]["label"]                                                            # doctest: +SKIP
    'publicity'
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import orjson

from ..errors import ClassifierError, LimitError, ReadError, UnsupportedFormatError, UsageError
from ..read.reading import format_of, read_bytes
from ..review.html_report import render_page
from ..review.summary import ReportAnalysis, report_row
from ..review.summary_batch import SummaryBatch, batch_from_analyses
from ..review.summary_output import write_view, xlsx_bytes
from ..run.output import write_rows
from ..run.predict import Model, Prediction, model_version
from ..units.report_meta import parse_report_meta
from ..units.segments import Unit, segment
from .settings import ServeSettings

SUMMARY_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
UNIT_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name (as the client gave it) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ReportResult:
    """One classified report: the analysis (text, units, metadata) and its summary row."""

    analysis: ReportAnalysis
    row: dict[str, Any] | None

    @property
    def units(self) -> list[dict[str, Any]]:
        return [unit_dict(p) for p in self.analysis.predictions]


@dataclass(frozen=True)
class Download:
    """A file to send back: its bytes, media type and a file name to save it as."""

    content: bytes
    media_type: str
    filename: str


def unit_dict(p: Prediction) -> dict[str, Any]:
    """A unit as the API returns it (the fields `classifier predict` writes, less the file)."""
    return {"index": p.index, "start": p.start, "end": p.end, "text": p.text, "heading": p.heading, "role": p.role,
            "is_heading": p.is_heading, "label": p.label, "confidence": p.confidence, "scores": p.scores}


def check_upload(upload: Upload, settings: ServeSettings) -> None:
    """Raise LimitError for an upload that is too large."""
    if len(upload.data) > settings.max_upload_bytes:
        raise LimitError(upload.name, f"the file has {len(upload.data):,} bytes; the limit is "
                         f"{settings.max_upload_bytes:,}")


@dataclass(frozen=True)
class ReportRequest:
    """One report to classify: an uploaded file or a text; whether its summary row is wanted; and the form
    of the answer (``json``: units and summary row, ``csv``/``jsonl``: the units as a file, ``html``: the
    report's page)."""

    upload: Upload | None = None
    text: str | None = None
    summary: bool = True
    answer: str = "json"

    @property
    def name(self) -> str:
        return self.upload.name if self.upload is not None else ""


def report_units(request: ReportRequest, settings: ServeSettings) -> tuple[str, list[Unit]]:
    """A request's report read (any supported format and encoding) and segmented, within the limits."""
    if request.upload is not None:
        check_upload(request.upload, settings)
        try:
            format_of(request.upload.name)
        except ReadError as error:  # a type this package does not read, by its name: a media-type error
            raise UnsupportedFormatError(error.where, error.problem) from None
        text = read_bytes(request.upload.data, request.upload.name).text
    else:
        text = request.text or ""
        if len(text.encode("utf-8")) > settings.max_upload_bytes:
            raise LimitError("text", f"the text is longer than {settings.max_upload_bytes:,} bytes")
        if not text.strip():
            raise UsageError("text", "empty; expected the text of a report")
    units = segment(text)
    if len(units) > settings.max_units:
        raise LimitError(request.name or "text",
                         f"the report has {len(units):,} units; the limit is {settings.max_units:,}")
    return text, units


def classify_reports(model: Model, requests: Sequence[ReportRequest],
                     settings: ServeSettings) -> list[ReportResult | ClassifierError]:
    """Several reports classified together (their units scored in one pass, each in its own report's
    context): each request gets its result, or the error that stopped its report alone."""
    read: list[tuple[str, list[Unit]] | ClassifierError] = []
    for request in requests:
        try:
            read.append(report_units(request, settings))
        except ClassifierError as error:
            read.append(error)
    good = [(request, found) for request, found in zip(requests, read) if not isinstance(found, ClassifierError)]
    labelled = iter(model.classify_many([units for _, (_, units) in good]))
    out: list[ReportResult | ClassifierError] = []
    for request, found in zip(requests, read):
        if isinstance(found, ClassifierError):
            out.append(found)
            continue
        analysis = ReportAnalysis(request.name, found[0], tuple(next(labelled)),
                                  parse_report_meta(found[0], request.name or None))
        out.append(ReportResult(analysis, report_row(analysis, model) if request.summary else None))
    return out


def answer_reports(model: Model, requests: Sequence[ReportRequest],
                   settings: ServeSettings) -> list[Download | ClassifierError]:
    """``classify_reports``, each result in the form its request asked for."""
    return [found if isinstance(found, ClassifierError) else answer(found, request.answer)
            for request, found in zip(requests, classify_reports(model, requests, settings))]


def answer(result: ReportResult, form: str) -> Download:
    """A classified report as JSON (units and summary row), its units as csv or jsonl, or its HTML page."""
    if form == "json":
        return Download(orjson.dumps({"units": result.units, "summary": result.row}), "application/json", "")
    if form == "html":
        return Download(report_page(result).encode("utf-8"), "text/html; charset=utf-8", "")
    return unit_download(result, form)


def classify_one(model: Model, request: ReportRequest, settings: ServeSettings) -> ReportResult:
    """One report classified; raises the error that stopped it."""
    found = classify_reports(model, [request], settings)[0]
    if isinstance(found, ClassifierError):
        raise found
    return found


def unit_download(result: ReportResult, fmt: str) -> Download:
    """The units of a report as `classifier predict` writes them (csv with a BOM, or jsonl)."""
    if fmt not in UNIT_MEDIA:
        raise UsageError("format", f"unknown format {fmt!r}; expected one of json, {', '.join(UNIT_MEDIA)}")
    name = result.analysis.file or "text"
    rows = [{"file": name, **unit} for unit in result.units]
    out = io.StringIO()
    write_rows(rows, out, fmt)
    content = ("\ufeff" if fmt == "csv" else "") + out.getvalue()
    return Download(content.encode("utf-8"), UNIT_MEDIA[fmt], f"{Path(name).stem or 'report'}.{fmt}")


def report_page(result: ReportResult) -> str:
    """The report's self-contained HTML page (as `classifier report` writes it)."""
    return render_page(result.analysis, result.row or {})


def predict_texts(model: Model, texts: Sequence[str], settings: ServeSettings) -> dict[str, list]:
    """Labels and every label's probability for bare sentences (no context)."""
    if len(texts) > settings.max_texts:
        raise LimitError("texts", f"{len(texts):,} sentences; the limit is {settings.max_texts:,} a request")
    empty = [k for k, text in enumerate(texts) if not text.strip()]
    if empty:
        raise UsageError(f"texts[{empty[0]}]", "empty; expected a sentence")
    return {"labels": model.predict(list(texts)), "scores": model.predict_proba(list(texts))}


def summarize_uploads(model: Model, uploads: Sequence[Upload], settings: ServeSettings) -> SummaryBatch:
    """One summary row per uploaded report, with the boilerplate shared across them.

    A file that cannot be read (or is too large, or has too many units) is kept in the batch's
    ``errors`` and the others are summarised, as `classifier summarize` does."""
    if not uploads:
        raise UsageError("files", "no files; expected one or more report files in the field 'files'")
    if len(uploads) > settings.max_files:
        raise LimitError("files", f"{len(uploads)} files; the limit is {settings.max_files} a request")
    names = [u.name for u in uploads]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise UsageError(duplicate, "sent twice; each file of a batch needs its own name")
    found = classify_reports(model, [ReportRequest(upload, summary=False) for upload in uploads], settings)
    return batch_from_analyses(model, [r.analysis for r in found if isinstance(r, ReportResult)],
                               [e for e in found if isinstance(e, ClassifierError)])


def summary_download(batch: SummaryBatch, fmt: str) -> Download:
    """The batch's rows as csv (UTF-8 with BOM), jsonl or an xlsx workbook (every view)."""
    if fmt not in SUMMARY_MEDIA:
        raise UsageError("format", f"unknown format {fmt!r}; expected one of json, {', '.join(SUMMARY_MEDIA)}")
    if fmt == "xlsx":
        return Download(xlsx_bytes(batch.views(every=True)), SUMMARY_MEDIA[fmt], "summary.xlsx")
    out = io.StringIO()
    write_view(batch.rows, out, fmt)
    content = ("\ufeff" if fmt == "csv" else "") + out.getvalue()
    return Download(content.encode("utf-8"), SUMMARY_MEDIA[fmt], f"summary.{fmt}")


def model_info(model: Model) -> dict[str, Any]:
    """The model card's labels, cross-validated figures and versions (no server paths)."""
    card = model.card
    metrics = {k: v for k, v in (card.get("metrics") or {}).items() if not isinstance(v, (list, dict))}
    return {"name": model.path.name if model.path else "", "version": model_version(model),
            "labels": list(model.labels), "metrics": metrics, "versions": card.get("versions") or {},
            "created": card.get("created"), "training_data": card.get("training_data") or {},
            "training": card.get("training") or {}}
