"""Saved web pages: the report's title and main text, without the page around them.

The main text is what trafilatura extracts, or the largest block of ``<p>`` when trafilatura
drops much of it. The title, which trafilatura leaves out, is put back as the first line: the
page's ``<h1>`` that reads like a report's title, else the report part of ``<title>``. One
paragraph (or table row, tab-separated) per line.

    >>> page = "<html><body><h1>某县2023年法治政府建设年度报告</h1><div><p>一、主要做法</p></div></body></html>"
    >>> read_html(page.encode(), "r.html", 10**6)[0]
    '某县2023年法治政府建设年度报告\\n一、主要做法'
"""
from __future__ import annotations

import re
import warnings
from typing import Any

from ..errors import ReadError
from .encodings import decode_bytes
from .extras import require

_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_WORDS = re.compile(r"报告|总结|情况|法治|依法行政|報告|總結|情況")
_TITLE_CUT = re.compile(r"\s*(?:[_|｜]|\s-\s|——).*$")
_TITLE_MAX = 100  # characters; a longer heading is not a title


def read_html(data: bytes, source: str, max_markup: int) -> tuple[str, str]:
    """The title and main text of a saved page, and the page's encoding; ReadError if there is none."""
    trafilatura = require("trafilatura", "html", source)
    import lxml.html

    match = _META_CHARSET.search(data[:16384])
    declared = match.group(1).decode("ascii", "replace").lower() if match else None
    markup, encoding = decode_bytes(data, source, "gb18030" if declared in _GB_ALIASES else declared)
    if len(markup) > max_markup:
        raise ReadError(source, f"the web page has {len(markup):,} characters of markup; the limit is {max_markup:,}")
    try:
        tree = lxml.html.document_fromstring(_XML_DECL.sub("", markup))
    except (ValueError, lxml.etree.LxmlError):
        raise ReadError(source, "not a valid web page") from None
    title = page_title(tree)
    _unwrap_layout_tables(tree)
    block = _largest_block(tree)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extracted = _tidy(trafilatura.extract(tree, include_tables=True, include_comments=False) or "")
    # trafilatura can drop much of a report; then the largest block of <p> is the better answer
    text = extracted if 1.5 * len("".join(extracted.split())) >= len("".join(block.split())) else block
    if not text:
        raise ReadError(source, "no main text found in the web page")
    if title and not any(_squeeze(title) == _squeeze(line) for line in text.split("\n", 3)[:3]):
        text = title + "\n" + text
    return text, encoding


def page_title(tree: Any) -> str:
    """The report's title on a page: the first ``<h1>`` that reads like a report's title (not the site's
    name in a logo), else the part of ``<title>`` before the site's name; '' when neither does."""
    for heading in tree.iter("h1"):
        text = " ".join(heading.text_content().split())
        if len(text) <= _TITLE_MAX and _TITLE_WORDS.search(text):
            return text
    for element in tree.iter("title"):
        title = _TITLE_CUT.sub("", " ".join(element.text_content().split()))
        if _TITLE_WORDS.search(title) and len(title) <= _TITLE_MAX:
            return title
    return ""


def _squeeze(line: str) -> str:
    return "".join(line.split())


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
