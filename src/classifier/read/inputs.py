"""What may be read, and how much: regular files only, standard input once, sizes within limits.

A named pipe, a device or a socket among the inputs is refused from ``os.stat`` without
opening it, so a batch never hangs on one. Standard input is read once, however often ``-``
is named, and a closed or empty one is an error like any other file's. A .docx whose zip
members would inflate past the limit is refused before anything is inflated; the text of a
.docx, .pdf or web page past its limit is refused too (the limits are in ``Config``).

    >>> check_regular("/dev/null")
    Traceback (most recent call last):
    ...
    classifier.errors.ReadError: /dev/null: is a character device, not a regular file
"""
from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from typing import BinaryIO

from ..errors import ReadError

STDIN = "<stdin>"
_KINDS = ((stat.S_ISDIR, "is a directory, not a file"),
          (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file; refused without reading it"),
          (stat.S_ISCHR, "is a character device, not a regular file"),
          (stat.S_ISBLK, "is a block device, not a regular file"),
          (stat.S_ISSOCK, "is a socket, not a regular file"))
_stdin: tuple[object, bytes | ReadError] | None = None  # (the stream read, what it gave)


def check_regular(source: str) -> None:
    """ReadError unless ``source`` is a regular file (checked with ``os.stat``)."""
    try:
        info = os.stat(source)
    except FileNotFoundError:
        raise ReadError(source, "no such file") from None
    except PermissionError:
        raise ReadError(source, "permission denied") from None
    except OSError as exc:
        raise ReadError(source, f"cannot read the file: {exc.strerror or exc}") from None
    _refuse_special(source, info.st_mode)


def _refuse_special(source: str, mode: int) -> None:
    for test, problem in _KINDS:
        if test(mode):
            raise ReadError(source, problem)
    if not stat.S_ISREG(mode):
        raise ReadError(source, "not a regular file")


def read_file(source: str) -> bytes:
    """The bytes of the regular file ``source``. Opened without blocking and checked again once open,
    so a file swapped for a pipe between the check and the opening is refused too."""
    check_regular(source)
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except PermissionError:
        raise ReadError(source, "permission denied") from None
    except OSError as exc:
        raise ReadError(source, f"cannot read the file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        _refuse_special(source, os.fstat(fd).st_mode)
        try:
            return f.read()
        except OSError as exc:
            raise ReadError(source, f"cannot read the file: {exc.strerror or exc}") from None


def read_stdin(stream: BinaryIO | None = None) -> bytes:
    """The bytes of standard input (or of ``stream``). The process's standard input is read once:
    asking again gives what the first read gave (its bytes, or its error).

        >>> read_stdin(io.BytesIO(b""))
        Traceback (most recent call last):
        ...
        classifier.errors.ReadError: <stdin>: standard input is empty
    """
    global _stdin
    if stream is not None:
        return _read_stream(stream)
    if _stdin is None or _stdin[0] is not sys.stdin:
        try:
            _stdin = (sys.stdin, _read_stream(_stdin_buffer()))
        except ReadError as error:
            _stdin = (sys.stdin, error)
    if isinstance(_stdin[1], ReadError):
        raise _stdin[1]
    return _stdin[1]


def _stdin_buffer() -> BinaryIO:
    if sys.stdin is None:  # Python's standard input when the process started with it closed
        raise ReadError(STDIN, "standard input is closed")
    return getattr(sys.stdin, "buffer", sys.stdin)


def _read_stream(stream: BinaryIO) -> bytes:
    try:
        data = stream.read()
    except (ValueError, OSError) as exc:  # ValueError: a closed file object; OSError: a bad descriptor
        problem = "standard input is closed" if isinstance(exc, ValueError) else f"cannot read standard input: {exc}"
        raise ReadError(STDIN, problem) from None
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data:
        raise ReadError(STDIN, "standard input is empty")
    return data


def check_docx_size(data: bytes, source: str, max_inflated: int) -> None:
    """ReadError when the zip members of a .docx would inflate to more than ``max_inflated`` bytes.

    The sizes come from the zip's directory, before anything is inflated (Python's zipfile never
    inflates a member past the size the directory gives it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError(source, "not a valid Word file") from None
    total = sum(member.file_size for member in members)
    if total > max_inflated:
        biggest = max(members, key=lambda member: member.file_size)
        raise ReadError(source, f"the Word file would inflate to {total:,} bytes ({biggest.filename}: "
                                f"{biggest.file_size:,}); the limit is {max_inflated:,}")


def check_text_size(text: str, source: str, what: str, max_chars: int) -> str:
    """``text``, or ReadError when it has more than ``max_chars`` characters."""
    if len(text) > max_chars:
        raise ReadError(source, f"the {what} holds {len(text):,} characters of text; the limit is {max_chars:,}")
    return text
