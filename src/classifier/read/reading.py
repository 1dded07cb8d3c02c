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
import importlib
import io
import logging
import os
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

from ..errors import MissingExtraError, ReadError

# Plain text (.md is read as text, markup kept), Word 2007+, PDF with a text layer, saved web pages.
# A file without a suffix is sniffed like standard input; .doc gets its own message.
_FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
            ".htm": "html"}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_FORMATS)  # .txt .text .md .docx .pdf .html .htm
_PACKAGES = {"docx": "python-docx", "pdf": "pdfplumber", "html": "trafilatura"}  # format (= extra) -> package
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_BINARY = "binary file, not a text report"
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# control characters (category Cc) other than \t \n \v \f \r: many of them mean a binary file
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Document:
    """A decoded report: its text, where it came from, its format and text encoding."""

    text: str
    source: str
    format: str
    encoding: str


def read_document(path: str | os.PathLike[str], *, stdin: BinaryIO | None = None) -> Document:
    """Read a .txt/.md, .docx, .pdf or .html report; ``"-"`` reads bytes from ``stdin``.

    Raises ReadError for unreadable input and MissingExtraError when the optional
    library for the file type is not installed.

        >>> read_document("report.txt").text[:6]   # doctest: +SKIP
        '一、总体情况'
    """
    if os.fspath(path) == "-":
        data = (stdin if stdin is not None else sys.stdin.buffer).read()
        return _from_bytes(data, "<stdin>", _sniff(data))
    source = os.fspath(path)
    suffix = Path(source).suffix.lower()
    if suffix == ".doc":
        raise ReadError(source, "old Word (.doc) files are not supported; open it in Word or WPS and save it as .docx")
    if suffix and suffix not in _FORMATS:
        raise ReadError(source, f"unsupported file type '{suffix}'; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise ReadError(source, "no such file") from None
    except IsADirectoryError:
        raise ReadError(source, "is a directory, not a file") from None
    except PermissionError:
        raise ReadError(source, "permission denied") from None
    except OSError as exc:
        raise ReadError(source, f"cannot read the file: {exc.strerror or exc}") from None
    return _from_bytes(data, source, _FORMATS[suffix] if suffix else _sniff(data))


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode the bytes of a text file strictly; return ``(text, encoding)``.

    Order: byte-order mark, UTF-8, GB18030 (covers GBK/GB2312), then charset detection.

        >>> decode_bytes("法治政府".encode("gbk"), "x.txt")
        ('法治政府', 'gb18030')
    """
    return _decode(data, source, None)


def _from_bytes(data: bytes, source: str, fmt: str) -> Document:
    if fmt == "docx":
        return Document(_read_docx(data, source), source, fmt, "")
    if fmt == "pdf":
        return Document(_read_pdf(data, source), source, fmt, "")
    text, encoding = _read_html(data, source) if fmt == "html" else decode_bytes(data, source)
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


def _decode(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    text, encoding = _decode_raw(data, source, declared)
    if not text.strip():
        raise ReadError(source, "empty file")
    controls = len(_CONTROLS.findall(text))
    if controls > 0.1 * len(text):
        raise ReadError(source, _BINARY)
    return text, encoding


def _decode_raw(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise ReadError(source, f"starts with a {name} byte-order mark but is not valid {name}") from None
    if not data.strip():
        raise ReadError(source, "empty file")
    if b"\x00" in data:
        raise ReadError(source, _BINARY)
    tried: list[str] = []
    for name in ("utf-8", declared, "gb18030"):
        if name and name not in tried:
            tried.append(name)
            try:
                return data.decode(name), codecs.lookup(name).name
            except (UnicodeDecodeError, LookupError):
                pass
    detected = _detect(data)
    if detected is None:
        raise ReadError(source, f"cannot decode the text (tried {', '.join(tried)} and charset detection)")
    return detected


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    chars = [ch for ch in text if not ch.isspace()]
    plausible = sum(1 for ch in chars if _plausible_char(ch))
    return (text, codecs.lookup(best.encoding).name) if chars and plausible >= 0.9 * len(chars) else None


def _plausible_char(ch: str) -> bool:
    """ASCII, CJK (incl. kana, hangul, full-width forms), punctuation or digits."""
    if " " <= ch <= "~" or unicodedata.category(ch)[0] in "PN":
        return True
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFFEF or code >= 0x20000


def _require(module: str, fmt: str, source: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        problem = f"reading .{fmt} files needs {_PACKAGES[fmt]}: pip install 'classifier[{fmt}]'"
        raise MissingExtraError(source, problem) from None


def _quiet(*loggers: str) -> None:
    """Keep third-party log records off stderr (Python's last-resort handler) unless the app configures logging."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


# --- Word ---------------------------------------------------------------------------

def _read_docx(data: bytes, source: str) -> str:
    docx = _require("docx", "docx", source)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(source, "this is an old Word (.doc) file; open it in Word or WPS and save it as .docx")
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
    return text


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


# --- PDF ----------------------------------------------------------------------------

def _read_pdf(data: bytes, source: str) -> str:
    pdfplumber = _require("pdfplumber", "pdf", source)
    from .pdf import text_from_lines

    _quiet("pdfminer", "pdfplumber")
    lines: list[dict[str, Any]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    lines += page.extract_text_lines(return_chars=False)
                    page.close()
    except Exception as exc:  # pdfminer raises many types for broken files
        encrypted = "password" in f"{type(exc).__name__} {exc!r}".lower()
        raise ReadError(source, "the PDF is password-protected" if encrypted else "not a valid PDF file") from None
    return text_from_lines(lines, source)


# --- Web pages ----------------------------------------------------------------------

def _read_html(data: bytes, source: str) -> tuple[str, str]:
    trafilatura = _require("trafilatura", "html", source)
    import lxml.html

    match = _META_CHARSET.search(data[:16384])
    declared = match.group(1).decode("ascii").lower() if match else None
    markup, encoding = _decode(data, source, "gb18030" if declared in _GB_ALIASES else declared)
    try:
        tree = lxml.html.document_fromstring(_XML_DECL.sub("", markup))
    except (ValueError, lxml.etree.LxmlError):
        raise ReadError(source, "not a valid web page") from None
    _unwrap_layout_tables(tree)
    block = _largest_block(tree)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extracted = _tidy(trafilatura.extract(tree, include_tables=True, include_comments=False) or "")
    # trafilatura can drop much of a report; then the largest block of <p> is the better answer
    text = extracted if 1.5 * len("".join(extracted.split())) >= len("".join(block.split())) else block
    if not text:
        raise ReadError(source, "no main text found in the web page")
    return text, encoding


def _tidy(extracted: str) -> str:
    """One paragraph per line; trafilatura's ``| a | b |`` table rows become tab-separated."""
    lines = []
    for line in (raw.strip() for raw in extracted.splitlines()):
        if len(line) > 1 and line.startswith("|") and line.endswith("|"):
            cells = [cell.strip() for cell in line[1:-1].split("|")]
            line = "" if all(set(cell) <= set("-: ") for cell in cells) else "\t".join(cells)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _unwrap_layout_tables(tree: Any) -> None:
    """Tables used for page layout (a cell holding several paragraphs of text) become divs."""
    for table in tree.xpath("//table"):
        rows = table.xpath("./tr|./tbody/tr|./thead/tr|./tfoot/tr")
        cells = [cell for row in rows for cell in row.xpath("./td|./th")]
        if any(len(cell.xpath("./p|./div|./br")) >= 3 and len(cell.text_content().strip()) >= 200 for cell in cells):
            for element in [table, *table.xpath("./tbody|./thead|./tfoot"), *rows, *cells]:
                element.tag = "div"


def _largest_block(tree: Any) -> str:
    """The text of the element whose <p> children hold the most text, one child per line."""
    scores: dict[Any, int] = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        scores[parent] = scores.get(parent, 0) + len("".join(paragraph.text_content().split()))
    if not scores or not max(scores.values()):
        return ""
    best = max(scores, key=lambda element: scores[element])
    lines = []
    for child in best.iterchildren():
        if child.tag == "table":
            for row in child.iter("tr"):
                lines.append("\t".join(" ".join(cell.text_content().split()) for cell in row.xpath("./td|./th")))
        elif isinstance(child.tag, str) and child.tag not in ("script", "style"):
            lines.append(" ".join(child.text_content().split()))
    return "\n".join(line for line in lines if line.strip())
