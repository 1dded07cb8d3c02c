"""The text layer of a PDF, taken out by pdfplumber or, when that gives nothing usable, by pdfium.

pdfminer (under pdfplumber) fails on some PDFs that open without a password: one that has
only an owner password (it restricts copying or printing) can come out as ``(cid:N)``
tokens. pypdfium2 (which pdfplumber installs) reads those; only when both fail is the PDF
said to need OCR. Look-alike characters (Kangxi radicals for ordinary ideographs) are
folded, since the PDF's text is not the user's file and has no offsets to keep.

    >>> read_pdf(open("report.pdf", "rb").read(), "report.pdf", 10**7)[:6]   # doctest: +SKIP
    '一、总体情况'
"""
from __future__ import annotations

import io
import warnings
from typing import Any

from ..errors import ReadError
from .extras import quiet, require
from .normalize import fold_lookalikes
from .pdf import usable_text

PASSWORD = "the PDF is password-protected"
INVALID = "not a valid PDF file"


def read_pdf(data: bytes, source: str, max_chars: int) -> str:
    """The report text of a PDF; ReadError when it is locked, broken, too long or has no usable text."""
    require("pdfplumber", "pdf", source)
    try:
        text, problem = usable_text(_pdfplumber_lines(data, source, max_chars))
    except _Refused as refused:
        text, problem = None, refused.problem
    if text is None:
        fallback = _pdfium_lines(data, source, max_chars)
        text = usable_text(fallback)[0] if fallback is not None else None
        if text is None:
            raise ReadError(source, problem)
    return fold_lookalikes(text)


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _pdfplumber_lines(data: bytes, source: str, max_chars: int) -> list[dict[str, Any]]:
    import pdfplumber

    quiet("pdfminer", "pdfplumber")
    lines: list[dict[str, Any]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                chars = 0
                for page in pdf.pages:
                    found = page.extract_text_lines(return_chars=False)
                    page.close()
                    chars = _check_length(chars, found, source, max_chars)
                    lines += found
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        encrypted = "password" in f"{type(exc).__name__} {exc!r}".lower()
        raise _Refused(PASSWORD if encrypted else INVALID) from None
    return lines


def _pdfium_lines(data: bytes, source: str, max_chars: int) -> list[dict[str, Any]] | None:
    """The PDF's lines as pypdfium2 finds them (in pdfplumber's form), or None when it cannot open it."""
    try:
        import pypdfium2
    except ImportError:
        return None
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception:  # pypdfium2.PdfiumError: locked or broken
        return None
    lines: list[dict[str, Any]] = []
    chars = 0
    try:
        for page in document:
            found = _page_lines(page)
            page.close()
            chars = _check_length(chars, found, source, max_chars)
            lines += found
    finally:
        document.close()
    return lines


def _page_lines(page: Any) -> list[dict[str, Any]]:
    """A page's text boxes grouped into lines, top to bottom, each line's boxes left to right."""
    height = page.get_height()
    textpage = page.get_textpage()
    boxes = []
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", "").replace("\n", "")
        if text.strip():
            boxes.append({"text": text, "x0": left, "x1": right, "top": height - top, "bottom": height - bottom})
    textpage.close()
    lines: list[dict[str, Any]] = []
    for box in sorted(boxes, key=lambda b: (b["top"], b["x0"])):
        last = lines[-1] if lines else None
        if last and box["top"] < last["bottom"] - 0.5 * (last["bottom"] - last["top"]):
            last.update(text=last["text"] + box["text"], x1=max(last["x1"], box["x1"]), bottom=max(last["bottom"], box["bottom"]))
        else:
            lines.append(dict(box))
    return lines


def _check_length(chars: int, lines: list[dict[str, Any]], source: str, max_chars: int) -> int:
    """``chars`` plus the characters of ``lines``; ReadError once that passes the limit."""
    chars += sum(len(line["text"]) for line in lines)
    if chars > max_chars:
        raise ReadError(source, f"the PDF holds more than {max_chars:,} characters of text; the limit is {max_chars:,}")
    return chars
