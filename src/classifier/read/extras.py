"""The optional libraries that read Word, PDF and web pages: imported only when such a file is read.

    >>> require("json", "pdf", "r.pdf").__name__
    'json'
"""
from __future__ import annotations

import importlib
import logging
from types import ModuleType

from ..errors import MissingExtraError

PACKAGES = {"docx": "python-docx", "pdf": "pdfplumber", "html": "trafilatura"}  # format (= extra) -> package


def require(module: str, fmt: str, source: str) -> ModuleType:
    """``module`` imported, or MissingExtraError naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        problem = f"reading .{fmt} files needs {PACKAGES[fmt]}: pip install 'classifier[{fmt}]'"
        raise MissingExtraError(source, problem) from None


def quiet(*loggers: str) -> None:
    """Keep third-party log records off stderr (Python's last-resort handler) unless the app configures logging."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
