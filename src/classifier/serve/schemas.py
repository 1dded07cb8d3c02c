"""The shapes of the service's requests and responses (they make its OpenAPI document)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class ModelInfo(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    name: str = Field(description="the model directory's name")
    version: str = Field(description="changes whenever the weights do")
    labels: list[str]
    metrics: dict[str, Any] = Field(description="cross-validated figures from the model card")
    versions: dict[str, str] = Field(description="library versions the model was trained with")
    created: str | None = None
    training_data: dict[str, Any] = {}
    training: dict[str, Any] = {}


class ReportText(BaseModel):
    text: str = Field(description="the whole text of one report", examples=["一、主要做法\n开展普法宣传。"])


class Unit(BaseModel):
    index: int
    start: int = Field(description="character offset of the unit in the report's text")
    end: int
    text: str
    heading: str = Field(description="the heading the unit sits under")
    role: str = Field(description="its section's role: measures, duty, shortcomings, plans, other or ''")
    is_heading: bool
    label: str
    confidence: float
    scores: dict[str, float] = Field(description="every label's probability")


class Classified(BaseModel):
    units: list[Unit]
    summary: dict[str, Any] | None = Field(description="the report's summary row, as `classifier summarize` gives it "
                                                       "(boilerplate needs a batch: see /v1/summarize); "
                                                       "null with ?summary=false")


class Sentences(BaseModel):
    texts: list[str] = Field(description="bare sentences, read without context",
                             examples=[["下一步，将深入开展民法典宣传。"]])


class SentenceLabels(BaseModel):
    labels: list[str]
    scores: list[dict[str, float]]


class FileError(BaseModel):
    file: str
    code: str
    message: str


class Summaries(BaseModel):
    rows: list[dict[str, Any]] = Field(description="one summary row per report that could be read")
    boilerplate: list[dict[str, Any]] = Field(description="sentences recurring across reports of the batch")
    copied_plans: list[dict[str, Any]] = Field(description="plan units restating a shortcoming of their report")
    errors: list[FileError] = Field(description="files that could not be read; the others are summarised")


class ErrorBody(BaseModel):
    code: str = Field(examples=["unreadable_file"])
    message: str = Field(examples=["report.pdf: no text layer (a scanned PDF?); OCR is needed"])


class ErrorResponse(BaseModel):
    error: ErrorBody


class StudioHealth(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    status: str = Field(examples=["UP"])
    model_class: str
    model_version: str


class StudioSetup(BaseModel):
    """What Label Studio sends when a project connects to the backend."""

    model_config = ConfigDict(extra="allow", protected_namespaces=())

    project: str | int | None = None
    label_config: str | None = Field(None, alias="schema", description="the project's labelling config XML")
    hostname: str | None = None
    access_token: str | None = None
    model_version: str | None = None


class StudioVersion(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    model_version: str


class StudioPredict(BaseModel):
    """What Label Studio sends to get pre-annotations for tasks."""

    model_config = ConfigDict(extra="allow")

    tasks: list[dict[str, Any]]
    label_config: str | None = None
    project: str | int | None = None
    params: dict[str, Any] | None = None


class StudioPredictions(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    results: list[dict[str, Any]]
    model_version: str
