"""First pipeline stage: turn a report file, as a user has it, into decoded text.

Text files keep their exact decoded content (later stages keep character offsets into
it); Word, PDF and web pages become one paragraph (or table row) per line. Word, PDF
and HTML need the optional extras ``docx``, ``pdf`` and ``html``; their libraries are
imported only when such a file is read. ``.md`` files are read as plain text.

    >>> read_document("report.txt").format   # doctest: +SKIP
    'txt'
"""
from __future__ import annotations

import codecs
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..config import DEFAULTS, Config
from ..errors import ReadError
from .encodings import decode_bytes
from .extras import require
from .inputs import STDIN, check_docx_size, check_text_size, read_file, read_stdin

# Plain text (.md is read as text, markup kept), Word 2007+, PDF with a text layer, saved web pages.
# A file without a suffix is sniffed like standard input; .doc gets its own message.
_FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
            ".htm": "html"}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_FORMATS)  # .txt .text .md .docx .pdf .html .htm


@dataclass(frozen=True)
class Document:
    """A decoded report: its text, where it came from, its format and text encoding."""

    text: str
    source: str
    format: str
    encoding: str


def read_document(path: str | os.PathLike[str], *, stdin: BinaryIO | None = None,
                  config: Config | None = None) -> Document:
    """Read a .txt/.md, .docx, .pdf or .html report; ``"-"`` reads bytes from ``stdin`` (by default the
    process's standard input, read once however often ``-`` is asked for).

    Raises ReadError for unreadable input (not a regular file, undecodable, past a size limit of
    ``config``) and MissingExtraError when the optional library for the file type is not installed.

        >>> read_document("report.txt").text[:6]   # doctest: +SKIP
        '一、总体情况'
    """
    if os.fspath(path) == "-":
        data = read_stdin(stdin)
        return _from_bytes(data, STDIN, _sniff(data), config)
    source = os.fspath(path)
    fmt = format_of(source)
    data = read_file(source)
    return _from_bytes(data, source, fmt or _sniff(data), config)


def read_bytes(data: bytes, name: str) -> Document:
    """Read a report that arrives as bytes (an upload) under the file name ``name``: the format
    from the name's suffix as for a file, or sniffed from the content when it has none.

        >>> read_bytes("一、总体情况".encode("gbk"), "report.txt").text
        '一、总体情况'
    """
    return _from_bytes(data, name, format_of(name) or _sniff(data))


def format_of(name: str) -> str | None:
    """The format that the suffix of the file name ``name`` gives, or None when it has no suffix (the
    content decides); ReadError for an old Word (.doc) file and for any other suffix not read here.

        >>> format_of("report.PDF"), format_of("report")
        ('pdf', None)
    """
    suffix = Path(name).suffix.lower()
    if suffix == ".doc":
        raise ReadError(name, "old Word (.doc) files are not supported; open it in Word or WPS and save it as .docx")
    if suffix and suffix not in _FORMATS:
        raise ReadError(name, f"unsupported file type '{suffix}'; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return _FORMATS.get(suffix)


def _from_bytes(data: bytes, source: str, fmt: str, config: Config | None = None) -> Document:
    config = config or DEFAULTS
    if fmt == "docx":
        return Document(_read_docx(data, source, config), source, fmt, "")
    if fmt == "pdf":
        from .pdf_extract import read_pdf

        return Document(read_pdf(data, source, config.max_text_chars), source, fmt, "")
    if fmt == "html":
        from .webpage import read_html

        text, encoding = read_html(data, source, config.max_markup_chars)
        return Document(check_text_size(text, source, "web page", config.max_text_chars), source, fmt, encoding)
    text, encoding = decode_bytes(data, source)
    return Document(text, source, fmt, encoding)


def _sniff(data: bytes) -> str:
    head = data.removeprefix(codecs.BOM_UTF8).lstrip()[:1024].lower()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<?xml") and b"<html" in head):
        return "html"
    return "txt"


# --- Word ---------------------------------------------------------------------------

def _read_docx(data: bytes, source: str, config: Config) -> str:
    docx = require("docx", "docx", source)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(source, "this is an old Word (.doc) file; open it in Word or WPS and save it as .docx")
    check_docx_size(data, source, config.max_docx_inflated)  # before anything is inflated
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = docx.Document(io.BytesIO(data))
            lines = list(_docx_lines(document.element.body, document))
    except Exception:  # python-docx raises zip, XML, KeyError and ValueError on bad files
        raise ReadError(source, "not a valid Word file") from None
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        raise ReadError(source, "the Word file contains no text")
    return check_text_size(text, source, "Word file", config.max_text_chars)


def _docx_lines(parent: Any, document: Any) -> Any:
    """Paragraphs and table rows in document order (content controls are entered)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell is repeated: keep it once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split()))
                yield "\t".join(cells)
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _docx_lines(content, document)


