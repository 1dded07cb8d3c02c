"""What the routers share: the model and settings of the app, running work off the event loop,
the token check, and how the package's errors become HTTP statuses and JSON."""
from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
from functools import partial
from typing import Any, Callable

from fastapi import Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from ..errors import ClassifierError, LimitError, MissingExtraError, ModelError, ReadError, UnsupportedFormatError
from ..run.predict import Model
from .schemas import ErrorResponse
from .settings import ServeSettings

CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 500: "internal_error"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": CODES[status].replace("_", " ")}
    for status in (400, 401, 413, 415, 422)}


def error_status(error: ClassifierError) -> tuple[int, str]:
    """The HTTP status and error code of one of the package's errors."""
    if isinstance(error, LimitError):
        return 413, "too_large"
    if isinstance(error, (UnsupportedFormatError, MissingExtraError)):
        return 415, "unsupported_media_type"
    if isinstance(error, ModelError):
        return 500, "model_error"
    return 400, "unreadable_file" if isinstance(error, ReadError) else "bad_request"


def error_json(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


# The dependencies are coroutines although they do not wait for anything: FastAPI runs a plain function
# on a thread of its pool, a hop that would cost more than the function.
async def get_model(request: Request) -> Model:
    return request.app.state.model


async def get_settings(request: Request) -> ServeSettings:
    return request.app.state.settings


async def run_cpu(request: Request, function: Callable[..., Any], *args: Any) -> Any:
    """Run CPU-bound work on the app's worker thread (one call at a time), so the event loop stays free."""
    return await asyncio.get_running_loop().run_in_executor(request.app.state.executor, partial(function, *args))


_bearer = HTTPBearer(auto_error=False, description="the --token the service was started with")


async def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Security(_bearer)) -> None:
    """With --token: the request must carry it, as a Bearer token or as a Basic password (Label Studio's way)."""
    token = request.app.state.settings.token
    if not token:
        return
    given = credentials.credentials if credentials else _basic_password(request.headers.get("authorization", ""))
    if not given or not secrets.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "this service needs a token: send the header 'Authorization: Bearer TOKEN'",
                            headers={"WWW-Authenticate": "Bearer"})


def _basic_password(header: str) -> str:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[2]
    except (binascii.Error, UnicodeDecodeError):
        return ""
