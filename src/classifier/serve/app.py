"""The FastAPI application: the model loaded once per process, errors as JSON, limits, auth, the page.

    >>> app = create_app(ServeSettings(model="models/default"))   # doctest: +SKIP

Every error leaves as ``{"error": {"code": …, "message": …}}`` with its status: 400 for input
that cannot be read or used, 401 without the token, 413 past a limit, 415 for a file type
the service cannot read, 422 for a request of the wrong shape; never a traceback.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

from ..config import DEFAULTS
from ..errors import ClassifierError
from ..review.html_style import LABEL_NAMES, PART_NAMES, colour
from ..review.summary import LABELS
from ..run.predict import Model, load_model
from .batching import Batcher
from .deps import CODES, ERROR_RESPONSES, error_json, error_status, require_token
from .labelstudio_routes import router as studio_router
from .routes import router
from .schemas import Health
from .service import answer_reports
from .settings import ServeSettings

STATIC_DIR = Path(__file__).resolve().parent / "static"
_PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'",
                 "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def create_app(settings: ServeSettings, model: Model | None = None) -> FastAPI:
    """The service for these settings; ``model`` (else the settings' model) is loaded at start-up."""
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.model = model if model is not None else load_model(settings.model)
        app.state.model.classify_report("一、主要做法\n开展普法宣传。")  # loads the tokenizer's dictionary now
        # The CPU-bound work runs on one thread of its own, one request after another: more threads would not
        # add speed (the GIL) but would each grow a memory arena of their own.
        app.state.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classifier")
        app.state.batcher = Batcher(partial(answer_reports, app.state.model, settings=settings), app.state.executor,
                                    settings.batch)
        yield
        app.state.executor.shutdown(wait=False, cancel_futures=True)

    # FastAPIOffline: /docs and /redoc with their scripts served from the installed package, not a CDN
    app = FastAPIOffline(title="classifier", version="1", lifespan=lifespan, static_url="/static-docs",
                         summary="Labels the units of rule-of-law government reports (法治政府建设年度报告).")
    app.state.settings = settings
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    _add_error_handlers(app)
    app.get("/health", response_model=Health, tags=["service"])(_health)
    app.get("/", include_in_schema=False)(_page)
    app.get("/ui/labels.json", include_in_schema=False)(_page_labels)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router, prefix="/v1", dependencies=[Depends(require_token)], responses=ERROR_RESPONSES)
    app.include_router(studio_router, prefix="/labelstudio", dependencies=[Depends(require_token)],
                       responses=ERROR_RESPONSES)
    return app


def app_from_env() -> FastAPI:
    """The app of a worker process, from the settings its parent put in the environment."""
    return create_app(ServeSettings.from_env())


async def _health() -> dict[str, str]:
    """Up and serving (no token needed)."""
    return {"status": "ok"}


async def _page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


def _page_labels(request: Request) -> dict[str, Any]:
    """What the page shows for labels and parts (the HTML report's names and colours) and the limits."""
    settings: ServeSettings = request.app.state.settings
    return {"labels": {label: {"name": LABEL_NAMES.get(label, label), "fill": colour(label)[0], "edge": colour(label)[1]}
                       for label in sorted(request.app.state.model.labels, key=_label_order)},
            "parts": {part: name.split()[-1] for part, name in PART_NAMES.items()},
            "low_confidence": DEFAULTS.low_confidence, "token": bool(settings.token),
            "max_files": settings.max_files, "max_upload_bytes": settings.max_upload_bytes}


def _label_order(label: str) -> tuple[int, str]:
    return (LABELS.index(label) if label in LABELS else len(LABELS), label)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ClassifierError)
    async def library_error(request: Request, error: ClassifierError) -> JSONResponse:
        status, code = error_status(error)
        return error_json(status, code, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors()]
        return error_json(422, "invalid_request", "; ".join(problems) or "invalid request")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code = CODES.get(error.status_code, "error")
        return error_json(error.status_code, code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        return error_json(500, "internal_error", "internal error; the server's log has the details")


class BodyLimit:
    """ASGI middleware: a request body larger than ``limit`` bytes gets 413, whether or not it says its length."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await error_json(413, "too_large", self._message())(scope, receive, send)
            return
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"the request is larger than the limit of {self.limit:,} bytes"
