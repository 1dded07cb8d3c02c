"""The versioned API, ``/v1``: each endpoint parses its input and calls one function of ``service``.

    curl -F file=@report.docx http://127.0.0.1:8000/v1/classify
"""
from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile as FormFile
from starlette.exceptions import HTTPException

from ..run.predict import Model
from . import service
from .deps import error_status, get_model, get_settings, run_cpu
from .schemas import Classified, ModelInfo, ReportText, SentenceLabels, Sentences, Summaries
from .service import Download, ReportRequest, Upload
from .settings import ServeSettings

router = APIRouter(tags=["reports"])
_REPORT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": ReportText.model_json_schema()},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": ".txt (any supported encoding), .docx, .pdf or .html"}}}}}}}


@router.get("/model", response_model=ModelInfo, tags=["model"])
def model_card(model: Model = Depends(get_model)) -> dict[str, Any]:
    """The model's labels, cross-validated figures and versions."""
    return service.model_info(model)


@router.post("/classify", response_model=Classified, openapi_extra=_REPORT_BODY,
             responses={200: {"content": {"text/csv": {}, "application/jsonl": {}}}})
async def classify(request: Request, format: Literal["json", "csv", "jsonl"] = "json",
                   summary: bool = Query(True, description="false: units only (the summary row takes as long)")
                   ) -> Response:
    """Every unit of one report with its label, and the report's summary row.

    Send the report as JSON `{"text": "..."}` or as a multipart upload in the field `file`.
    With `?format=csv` or `jsonl` the units come back as the file `classifier predict` writes."""
    answer = await _answered(request, summary and format == "json", format)
    return _download(answer) if format != "json" else Response(answer.content, media_type=answer.media_type)


@router.post("/report", response_class=HTMLResponse, openapi_extra=_REPORT_BODY)
async def report(request: Request) -> HTMLResponse:
    """One report as the self-contained HTML page `classifier report` writes."""
    return HTMLResponse((await _answered(request, True, "html")).content)


@router.post("/predict", response_model=SentenceLabels)
async def predict(request: Request, body: Sentences, model: Model = Depends(get_model),
                  settings: ServeSettings = Depends(get_settings)) -> dict[str, list]:
    """Labels of bare sentences (read without context) and every label's probability."""
    return await run_cpu(request, service.predict_texts, model, body.texts, settings)


@router.post("/summarize", response_model=Summaries,
             responses={200: {"content": {"text/csv": {}, "application/jsonl": {}, service.SUMMARY_MEDIA["xlsx"]: {}}}})
async def summarize(request: Request, files: list[UploadFile] = File(description="report files"),
                    format: Literal["json", "csv", "jsonl", "xlsx"] = Query("json"),
                    model: Model = Depends(get_model), settings: ServeSettings = Depends(get_settings)) -> Any:
    """One summary row per report, with the signs of boilerplate shared by the batch's reports.

    Files that cannot be read are listed in `errors`; the others are summarised. With
    `?format=csv|jsonl|xlsx` the rows come back as a file (xlsx: every view, one sheet each)."""
    uploads = [Upload(f.filename or f"file{k + 1}", await f.read()) for k, f in enumerate(files)]
    batch = await run_cpu(request, service.summarize_uploads, model, uploads, settings)
    if format != "json":
        return _download(service.summary_download(batch, format))
    errors = [{"file": e.where, "code": error_status(e)[1], "message": str(e)} for e in batch.errors]
    return {"rows": batch.rows, "boilerplate": batch.boilerplate, "copied_plans": batch.copied, "errors": errors}


async def _answered(request: Request, summary: bool, form: str) -> Download:
    """The request's report (JSON text or an uploaded file), classified with the reports that arrive with it,
    in the form asked for."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            text = ReportText.model_validate_json(await request.body()).text
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False, include_context=False)) from None
        return await request.app.state.batcher.submit(ReportRequest(text=text, summary=summary, answer=form))
    if kind == "multipart/form-data":
        async with request.form(max_files=1) as form_data:
            upload = form_data.get("file")
            if not isinstance(upload, FormFile):
                raise RequestValidationError([{"loc": ("body", "file"), "msg": "Field required", "type": "missing"}])
            data = Upload(upload.filename or "report", await upload.read())
        return await request.app.state.batcher.submit(ReportRequest(upload=data, summary=summary, answer=form))
    raise HTTPException(415, f"expected application/json or multipart/form-data, found {kind or 'no content type'}")


def _download(download: Download) -> Response:
    disposition = f"attachment; filename=\"{quote(download.filename)}\"; filename*=UTF-8''{quote(download.filename)}"
    return Response(download.content, media_type=download.media_type, headers={"Content-Disposition": disposition})
