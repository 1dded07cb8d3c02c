"""PDF text-layer logic for :mod:`classifier.read.reading`, free of third-party imports.

It takes the lines pdfplumber extracts (dicts with ``text``, ``x0``, ``x1``, ``top``,
``bottom``), drops page numbers, refuses unusable text and re-joins the lines that the
page width broke into paragraphs.

    >>> pdf_text_problem("(cid:12)(cid:34)(cid:56)")
    "the PDF's fonts have no Unicode mapping; OCR is needed"
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from bisect import bisect_left, bisect_right
from typing import Any

from ..errors import ReadError

NO_TEXT_LAYER = "no text layer (a scanned PDF?); OCR is needed"
NO_UNICODE = "the PDF's fonts have no Unicode mapping; OCR is needed"
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(
    r"[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
    r"|page\s*\d+(?:\s*of\s*\d+)?", re.I)
_NUM = "一二三四五六七八九十百零〇"
_HEADING = re.compile(  # 一、 （一） (1) 1. 1、 ① 第一部分 第三章
    rf"[{_NUM}]+[、.．]|[（(][{_NUM}\d]+[)）]|\d{{1,3}}[.．、](?!\d)|[①-⑳]"
    rf"|第[{_NUM}\d]+(?:部分|章|节|篇|条)")
_SENTENCE_END = tuple("。！？；：!?;:")
_CLOSERS = "”’」』）)》〉】\"'"


def text_from_lines(lines: list[dict[str, Any]], source: str) -> str:
    """The report text of a PDF's extracted lines, one paragraph per line; ReadError if unusable.

        >>> line = {"text": "一、总体情况", "x0": 72, "x1": 144, "top": 33, "bottom": 45}
        >>> text_from_lines([line], "r.pdf")
        '一、总体情况'
    """
    text, problem = usable_text(lines)
    if text is None:
        raise ReadError(source, problem)
    return text


def usable_text(lines: list[dict[str, Any]]) -> tuple[str | None, str]:
    """``(text, "")``: the report text of a PDF's extracted lines, page numbers dropped; or ``(None, problem)``
    when that text is unusable.

        >>> usable_text([{"text": "- 1 -", "x0": 290, "x1": 305, "top": 800, "bottom": 812}])
        (None, 'no text layer (a scanned PDF?); OCR is needed')
    """
    kept = [line for line in lines if line["text"].strip() and not is_page_number(line["text"])]
    problem = pdf_text_problem("\n".join(line["text"] for line in kept))
    return (None, problem) if problem else (join_lines(kept), "")


def is_page_number(line: str) -> bool:
    """True for a line that is only a page number: ``- 3 -``, ``第3页``, ``3``, ``3/10``."""
    return _PAGE_NUMBER.fullmatch(line.strip()) is not None


def pdf_text_problem(text: str) -> str | None:
    """Why extracted PDF text is unusable, or None: empty (a scan), or mostly ``(cid:N)``
    tokens, private-use or replacement characters (fonts without a Unicode mapping)."""
    compact = "".join(text.split())
    if not compact:
        return NO_TEXT_LAYER
    cids = len(_CID.findall(compact))
    rest = _CID.sub("", compact)
    bad = cids + sum(1 for ch in rest if ch == "\ufffd" or unicodedata.category(ch) == "Co")
    return NO_UNICODE if bad > 0.3 * (cids + len(rest)) else None


def join_lines(lines: list[dict[str, Any]]) -> str:
    """Re-join lines that the page width broke: a line that runs to the right margin and
    does not end a sentence continues on the next line, unless that one is indented or
    starts with a heading marker (一、 （一） 1. ① 第一部分 …)."""
    if not lines:
        return ""
    em = statistics.median(line["bottom"] - line["top"] for line in lines)
    right = _popular_edge([line["x1"] for line in lines], em, highest=True)
    left = _popular_edge([line["x0"] for line in lines], em, highest=False)
    paragraphs: list[str] = []
    continues = False
    for line in lines:
        text = line["text"].strip()
        if continues and line["x0"] <= left + em and not _HEADING.match(text):
            last = paragraphs[-1][-1]
            glue = " " if last.isascii() and last.isalnum() and text[0].isascii() and text[0].isalnum() else ""
            paragraphs[-1] += glue + text
        else:
            paragraphs.append(text)
        continues = line["x1"] >= right - 1.5 * em and not text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
    return "\n".join(paragraphs)


def _popular_edge(values: list[float], tolerance: float, *, highest: bool) -> float:
    """The outermost edge (right or left) that several lines share, ignoring stray lines."""
    ordered = sorted(values)
    needed = max(2, len(values) // 20)
    for value in reversed(ordered) if highest else ordered:
        if bisect_right(ordered, value + tolerance) - bisect_left(ordered, value - tolerance) >= needed:
            return value
    return ordered[-1] if highest else ordered[0]
