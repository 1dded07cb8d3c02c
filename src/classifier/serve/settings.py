"""What a running service is told: its model, address, workers, token and limits.

    >>> ServeSettings(host="0.0.0.0").check()
    Traceback (most recent call last):
    classifier.errors.UsageError: --host 0.0.0.0: a non-loopback address needs --token (or --insecure)

The settings travel to each worker process as JSON in an environment variable, so that
every worker (uvicorn starts them from an import string) builds the same app.
"""
from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass

from ..config import DEFAULTS
from ..errors import UsageError

ENV_VAR = "CLASSIFIER_SERVE_SETTINGS"


@dataclass(frozen=True)
class ServeSettings:
    """A service's settings; the defaults come from config.DEFAULTS."""

    model: str | None = None
    host: str = DEFAULTS.serve_host
    port: int = DEFAULTS.serve_port
    workers: int = DEFAULTS.serve_workers
    token: str | None = None
    insecure: bool = False
    max_upload_bytes: int = DEFAULTS.max_upload_bytes
    max_request_bytes: int = DEFAULTS.max_request_bytes
    max_files: int = DEFAULTS.max_files
    max_units: int = DEFAULTS.max_units
    max_texts: int = DEFAULTS.max_texts
    batch: int = DEFAULTS.serve_batch

    def check(self) -> "ServeSettings":
        """Raise UsageError for settings that must not run; return self otherwise."""
        if not 0 <= self.port <= 65535:
            raise UsageError("--port", f"expected 0-65535, found {self.port}")
        if self.workers < 1:
            raise UsageError("--workers", f"expected 1 or more, found {self.workers}")
        for name in ("max_upload_bytes", "max_request_bytes", "max_files", "max_units", "max_texts", "batch"):
            if getattr(self, name) < 1:
                raise UsageError(f"--{name.replace('_', '-')}", f"expected 1 or more, found {getattr(self, name)}")
        if self.token is not None and len(self.token) < 8:
            raise UsageError("--token", "too short; use at least 8 characters (e.g. python -c 'import secrets; "
                             "print(secrets.token_urlsafe())')")
        if not is_loopback(self.host) and not self.token and not self.insecure:
            raise UsageError(f"--host {self.host}", "a non-loopback address needs --token (or --insecure)")
        return self

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> "ServeSettings":
        """The settings a parent process put in the environment (the defaults when none)."""
        raw = os.environ.get(ENV_VAR)
        return cls(**json.loads(raw)) if raw else cls()


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
