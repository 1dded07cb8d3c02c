"""Label Studio's ML-backend protocol under ``/labelstudio``: health, setup, predict.

In Label Studio: project → Settings → Model → Connect Model, URL ``http://HOST:PORT/labelstudio``
(with --token: basic auth, any user name, the token as password).
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ..run.predict import Model, model_version
from . import labelstudio
from .deps import get_model, get_settings, run_cpu
from .schemas import StudioHealth, StudioPredict, StudioPredictions, StudioSetup, StudioVersion
from .settings import ServeSettings

router = APIRouter(tags=["Label Studio"])


@router.get("/health", response_model=StudioHealth)
@router.get("/", response_model=StudioHealth, include_in_schema=False)
def health(model: Model = Depends(get_model)) -> dict[str, str]:
    """Label Studio's check that the backend is up."""
    return {"status": "UP", "model_class": "classifier", "model_version": model_version(model)}


@router.post("/setup", response_model=StudioVersion)
def setup(body: StudioSetup, model: Model = Depends(get_model)) -> dict[str, str]:
    """A project connects: its labelling config must have a <Choices> over a <Text> with our labels."""
    labelstudio.check_config(model, body.label_config)
    return {"model_version": model_version(model)}


@router.post("/predict", response_model=StudioPredictions)
async def predict(request: Request, body: StudioPredict, model: Model = Depends(get_model),
                  settings: ServeSettings = Depends(get_settings)) -> dict[str, Any]:
    """Pre-annotations: one `choices` prediction per task, with its score and the model version."""
    return await run_cpu(request, labelstudio.predict_tasks, model, body.tasks, body.label_config,
                         settings.max_texts)


@router.post("/webhook")
def webhook(body: dict[str, Any]) -> dict[str, str]:
    """Label Studio's project events (annotations made, training asked for): acknowledged; this backend
    does not train (retrain with `classifier train` on the exported labels)."""
    return {"status": "ignored", "action": str(body.get("action", ""))}
