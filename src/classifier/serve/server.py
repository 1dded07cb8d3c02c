"""Starting the service: check the settings and the model, then run uvicorn with N worker processes.

    >>> run_server(ServeSettings(port=8000, workers=2))   # doctest: +SKIP

Each worker process builds the app from the settings passed in the environment and loads the
model once, at start-up; ``--workers`` gives more than one core to the CPU-bound work.
"""
from __future__ import annotations

import inspect
import os

from ..errors import MissingExtraError
from ..run.predict import load_model
from .settings import ENV_VAR, ServeSettings

HEALTHCHECK_SECONDS = 60


def run_server(settings: ServeSettings) -> None:
    """Serve until interrupted. Raises UsageError for bad settings and ModelError for a bad model,
    before anything listens."""
    settings.check()
    try:
        import fastapi  # noqa: F401
        import fastapi_offline  # noqa: F401  (/docs without a CDN)
        import orjson  # noqa: F401  (the units as JSON)
        import python_multipart  # noqa: F401  (uploads)
        import uvicorn
    except ImportError:
        raise MissingExtraError("serve", "needs FastAPI, fastapi-offline, uvicorn, python-multipart and orjson: "
                                "pip install 'classifier[serve]'") from None
    load_model(settings.model)  # a missing or corrupt model fails here, with one line, not in each worker
    os.environ[ENV_VAR] = settings.to_env()
    options = {}
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
        # uvicorn kills a worker that does not answer its ping in time; on a machine busy with CPU-bound
        # work its default (5 s) killed busy workers, and their requests with them
        options["timeout_worker_healthcheck"] = HEALTHCHECK_SECONDS
    uvicorn.run("classifier.serve.app:app_from_env", factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, server_header=False, proxy_headers=False, log_level="info", **options)
