"""Errors raised by the library. Only the CLI turns them into messages and exit codes.

Every error carries the thing it is about (usually a file) and the problem, so that
``str(error)`` is a complete one-line message::

    >>> str(ReadError("report.pdf", "no text layer (a scanned PDF?); OCR is needed"))
    'report.pdf: no text layer (a scanned PDF?); OCR is needed'
"""
from __future__ import annotations

from os import PathLike


class ClassifierError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1

    def __init__(self, where: str | PathLike[str] | None, problem: str) -> None:
        self.where = "" if where is None else str(where)
        self.problem = problem
        super().__init__(f"{self.where}: {problem}" if self.where else problem)

    def __reduce__(self):  # so that an error raised in a worker process comes back whole
        return self.__class__, (self.where or None, self.problem)


class ReadError(ClassifierError):
    """A report file cannot be read or decoded (empty, binary, scanned, unsupported)."""


class MissingExtraError(ReadError):
    """An optional dependency is needed for this file type; the message says which to install."""


class DataError(ClassifierError):
    """A labelled corpus or a label file is malformed, or too small to train on."""

    exit_code = 2


class ModelError(ClassifierError):
    """A model directory is missing, corrupt, foreign or unsafe to load."""

    exit_code = 3


class UsageError(ClassifierError):
    """An argument has a value outside the allowed ones."""

    exit_code = 2


class BatchError(ClassifierError):
    """A file of a batch was lost with the worker process that held it."""


class UnsupportedFormatError(ReadError):
    """A file is of a type this package does not read (by its name or its content)."""


class LimitError(UsageError):
    """An input is larger than a configured limit (bytes, files, units, sentences)."""
