"""Cut a report's text into units: headings and sentences, each with its place.

    >>> units = segment("一、主要做法\\n(一)强化宣传\\n开展宣讲20场。下一步,将继续。")
    >>> [(u.text, u.is_heading, u.heading) for u in units]  # doctest: +NORMALIZE_WHITESPACE
    [('一、主要做法', True, ''), ('(一)强化宣传', True, '一、主要做法'),
     ('开展宣讲20场。', False, '(一)强化宣传'), ('下一步,将继续。', False, '(一)强化宣传')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..read.debris import debris_kind, debris_lines
from ..read.normalize import normalize
from .sentences import _CLOSERS, _FINAL, _ITEM, _sentence_end

_CN = "一二三四五六七八九十"
# Numbering styles, highest outline level first. The name is the heading's style.
_MARKERS: tuple[tuple[str, str], ...] = (
    ("part", rf"第[{_CN}]+(?:部分|章|篇)[、.:\s]*"),
    ("cn", rf"[{_CN}]+\s*(?:、|[.,](?![{_CN}\d]))\s*"),
    ("paren_cn", rf"[(]\s*[{_CN}]+\s*[)]\s*|[{_CN}]{{1,3}}[)]\s*"),
    ("digit", r"\d{1,2}\s*[、.](?!\d)\s*"),
    ("paren_digit", r"[(]\s*\d{1,2}\s*[)]\s*"),
    ("circled", r"[①-⑳]\s*"),
    ("shi", rf"(?:[{_CN}]+是|其[{_CN}]+是?|首先|其次|再次|最后)(?=[^,;:])"),
)
# All the styles as one pattern: alternatives are tried in order, so the first style that matches wins, as
# trying them one by one would; most lines fail on their first character at once.
_MARKER_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _MARKERS))
_CN_SPACE = re.compile(rf"[{_CN}]+\s+(?=\S)")
LEVELS = {name: rank for rank, (name, _) in enumerate(_MARKERS, start=1)}

_SHORT_LEAD = 26
_LEADS = ("shi", "digit", "paren_digit", "circled")
_SHORT_HEADING = 40
_TITLE_END = re.compile(r"(?:报告|总结|情况|工作要点)$")
_ADDRESSEE = re.compile(r"[^,。;:!?\s]{0,24}(?:政府|国务院|委员会|党委|党组|常委会|局|厅|办|市委|县委|区委|省委|部):")
_ADDRESSEE_REACH = 24 + 3 + 1  # the farthest its colon can be from where it starts
_PLAIN_HEADING = 30
_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # a line without the white space around it
_GAP, _STOPS, _CLAUSE = re.compile(r"\S\s+\S"), re.compile("[。!?;:]"), re.compile("[,;:]")  # within a heading candidate
_FINALS = re.compile(f"[{_FINAL}]")

ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("duty", re.compile(r"第一责任人|主要负责人|党政主要|履行.{0,12}职责|述法")),
    ("shortcomings", re.compile(r"存在的?主?要?(?:问题|不足|困难|短板)|不足(?:之处|和|与|及|$)|问题(?:和|与|及)?(?:原因|不足)|短板|差距|薄弱环节")),
    ("plans", re.compile(r"下一步|下一年|明年|来年|20\d\d年(?:度)?(?:工作)?(?:的)?(?:思路|计划|打算|安排|重点|目标|主要任务)|工作(?:思路|计划|打算|安排|展望)|目标(?:任务|举措)|努力方向|(?:思路|计划|打算)(?:和|与|及)")),
    ("measures", re.compile(r"主要(?:做法|举措|措施|工作|成效|成绩)|基本情况|工作情况|总体情况|进展情况|成效|举措|做法|取得")),
)


@dataclass(frozen=True, init=False)
class Unit:
    """One heading or sentence of a report, with offsets into the original text."""

    text: str
    start: int
    end: int
    index: int = 0
    heading: str = ""
    path: tuple[str, ...] = ()
    is_heading: bool = False
    style: str = ""
    role: str = ""

    def __init__(self, text: str, start: int, end: int, index: int = 0, heading: str = "",
                 path: tuple[str, ...] = (), is_heading: bool = False, style: str = "", role: str = "") -> None:
        # What the generated __init__ does, in one step instead of a frozen __setattr__ per field:
        # in less than half the time, which counts, as a report has thousands of units.
        self.__dict__.update(text=text, start=start, end=end, index=index, heading=heading, path=path,
                             is_heading=is_heading, style=style, role=role)


def heading_style(text: str) -> str:
    """The numbering style that opens ``text`` ('cn' for 一、, 'paren_cn' for (一) …), or ''.

    >>> heading_style("(二)规范执法"), heading_style("二是规范执法。"), heading_style("规范执法")
    ('paren_cn', 'shi', '')
    """
    return _marker_style(normalize(text.strip()))


def _style(norm: str) -> str:
    """``heading_style`` of text that is already normalised (normalising again changes nothing)."""
    return _marker_style(norm.strip())


def _marker_style(norm: str) -> str:
    m = _MARKER_RE.match(norm)
    return m.lastgroup if m else ""


def heading_level(text: str) -> int:
    """Rank of the heading's numbering style (1 = 第一部分 … 7 = 一是), 0 when it has none."""
    return LEVELS.get(heading_style(text), 0)


def section_role(heading: str) -> str:
    """What a section does, judged from its heading's words; '' when they do not say.

    >>> section_role("三、存在的问题及下一步打算"), section_role("四、2023年工作思路")
    ('shortcomings', 'plans')
    """
    norm = normalize(heading)
    found = [(m.start(), role) for role, regex in ROLE_PATTERNS if (m := regex.search(norm))]
    return min(found)[1] if found else ""


def outline(text: str, spans: Iterable[tuple[int, int, bool]], styles: Sequence[str] | None = None) -> list[Unit]:
    """Build units from ``(start, end, is_heading)`` spans: heading, path and role for each.

    A heading's parent is the nearest heading above it of another numbering style
    still open; a heading of a style already open closes that level and those below.
    """
    stack: list[tuple[str, str]] = []  # (style, heading text)
    units: list[Unit] = []
    roles: dict[str, str] = {}  # heading → its section_role, for this report
    path, head, role = (), "", ""  # the open headings, the last of them, and the role of a unit under them
    for i, (start, end, is_heading) in enumerate(spans):  # (all three change at headings only)
        piece = text[start:end]
        if not is_heading:
            units.append(Unit(piece, start, end, i, head, path, False, "", role))
            continue
        style = styles[i] if styles else heading_style(piece) or "plain"
        open_styles = [s for s, _ in stack]
        if style in open_styles:
            del stack[open_styles.index(style):]
        parent = tuple(h for _, h in stack)
        stack.append((style, piece))
        path, head = parent + (piece,), piece
        role = _role_of(path, roles)
        units.append(Unit(piece, start, end, i, parent[-1] if parent else "", parent, True, style, role))
    return units


def _role_of(path: tuple[str, ...], roles: dict[str, str]) -> str:
    for heading in path:
        role = roles.get(heading)
        if role is None:
            role = roles[heading] = section_role(heading)
        if role:
            return role
    return "other" if path else ""


def segment(text: str) -> list[Unit]:
    """Units of a report: title lines, headings and sentences, without web debris."""
    norm = normalize(text)
    paragraphs = _paragraphs(text, norm)
    spans: list[tuple[int, int, bool, str]] = []
    first_body, signature = _first_body(paragraphs, norm), _signature(paragraphs, norm)
    for k, (start, end) in enumerate(paragraphs):
        if k < first_body or k >= signature:
            spans.append((start, end, False, ""))
        else:
            spans.extend(_split_paragraph(norm, start, end))
    return outline(text, [(s, e, h) for s, e, h, _ in spans], [st for *_, st in spans])


def _lines(norm: str) -> list[tuple[int, int]]:
    """Stripped non-empty lines as (start, end), without debris."""
    spans = [m.span() for m in _LINE.finditer(norm)]
    dropped = set(debris_lines([norm[s:e] for s, e in spans]))
    return [span for k, span in enumerate(spans) if k not in dropped]


@dataclass(frozen=True)
class Debris:
    """A line that ``segment`` leaves out as web-page debris, with offsets into the original text."""

    text: str
    start: int
    end: int
    kind: str


def dropped_lines(text: str) -> list[Debris]:
    """The lines of a report that ``segment`` drops as web-page debris, and what kind each is.

    >>> [(d.text, d.kind) for d in dropped_lines("首页 > 政务公开\\n一、主要做法\\n开展普法。\\n【打印】【关闭】")]
    [('首页 > 政务公开', 'navigation'), ('【打印】【关闭】', 'buttons')]
    """
    norm = normalize(text)
    spans = [m.span() for m in _LINE.finditer(norm)]
    return [Debris(text[s:e], s, e, debris_kind(norm[s:e]))
            for s, e in (spans[k] for k in debris_lines([norm[s:e] for s, e in spans]))]


def _paragraphs(text: str, norm: str) -> list[tuple[int, int]]:
    """Lines, with lines broken mid-sentence joined to the next one."""
    paragraphs: list[tuple[int, int]] = []
    joinable = False
    for s, e in _lines(norm):
        between = norm[paragraphs[-1][1]:s] if paragraphs else ""
        fresh = "\n\n" in between.replace(" ", "") or not between.endswith("\n")
        if paragraphs and joinable and not fresh and not _style(norm[s:e]):
            paragraphs[-1] = (paragraphs[-1][0], e)
        else:
            paragraphs.append((s, e))
        line = norm[s:e]
        joinable = (len(line) >= 24 and line[-1] not in _FINAL + ";:" + _CLOSERS
                    and not _is_heading_line(line) and not _TITLE_END.search(line))
    return paragraphs


def _is_heading_line(line: str) -> bool:
    style = _style(line)
    if style:
        body = line[_marker_end(line):]
        return bool(body) and not _FINALS.search(body, 0, len(body) - 1) and len(body) <= _SHORT_HEADING
    return _plain_heading(line, 0, len(line))


def _plain_heading(norm: str, start: int, end: int) -> bool:
    """Whether ``norm[start:end]``, a line without numbering, is short and unpunctuated enough to be a heading."""
    return end - start <= _PLAIN_HEADING and not _STOPS.search(norm, start, end) and norm[end - 1] != ","


def _marker_end(s: str) -> int:
    m = _MARKER_RE.match(s) or _CN_SPACE.match(s)
    return m.end() if m else 0


def _first_body(paragraphs: list[tuple[int, int]], norm: str) -> int:
    """Index of the first paragraph after the title block (title, date, addressee)."""
    for k, (s, e) in enumerate(paragraphs):
        line = norm[s:e]
        if _style(line) or _CN_SPACE.match(line) or len(line) > 60 or any(c in line for c in _FINAL):
            return k
    return len(paragraphs)


def _signature(paragraphs: list[tuple[int, int]], norm: str) -> int:
    """Index of the first of the short unpunctuated lines that end the report (signature and date)."""
    k = len(paragraphs)
    while k and _signature_line(norm[paragraphs[k - 1][0]:paragraphs[k - 1][1]]):
        k -= 1
    return k


def _signature_line(line: str) -> bool:
    return len(line) <= _PLAIN_HEADING and not any(c in _FINAL + ";" for c in line) and not _style(line)


def _split_paragraph(norm: str, start: int, end: int) -> list[tuple[int, int, bool, str]]:
    """Headings and sentences of one paragraph (which has no white space at either end)."""
    if _plain_heading(norm, start, end) and not _MARKER_RE.match(norm, start, end) and not _CN_SPACE.match(norm, start, end):
        return [(start, end, True, "plain")]
    out: list[tuple[int, int, bool, str]] = []
    pos = start
    if norm.find(":", pos, pos + _ADDRESSEE_REACH) >= 0:  # an addressee ends on a colon, close to the start
        addressee = _ADDRESSEE.match(norm, pos, end)
        if addressee and addressee.end() < end:
            out.append((pos, addressee.end(), False, ""))
            pos = _skip_space(norm, addressee.end(), end)
    while pos < end:
        stop = _sentence_end(norm, pos, end)
        marker = _MARKER_RE.match(norm, pos, end) or (pos == start and _CN_SPACE.match(norm, pos, end))
        head = marker and _heading_at(norm, pos, end, pos == start, marker, stop)  # most sentences have no marker
        if head:
            out.append((pos, head[0], True, head[1]))
            pos = _skip_space(norm, head[0], end)
            continue
        out.append((pos, _rstrip(norm, pos, stop), False, ""))
        pos = _skip_space(norm, stop, end)
    return out


def _heading_at(norm: str, pos: int, end: int, at_line_start: bool, marker: re.Match[str],
                sentence_end: int) -> tuple[int, str] | None:
    """If the sentence that opens at ``pos`` with numbering ``marker`` (and ends at ``sentence_end``) opens
    with a heading, the heading's end and style."""
    rest = norm[pos:end]  # starts and ends with no white space, as paragraphs and sentences do
    style = marker.lastgroup or "cn"
    m_end = marker.end() - pos
    stop = sentence_end - pos
    sentence = rest[m_end:stop]
    gap = _GAP.search(sentence)
    if gap and gap.start() + 1 <= _SHORT_HEADING and style not in _LEADS and not _STOPS.search(sentence, 0, gap.start() + 1):
        return pos + m_end + gap.start() + 1, style
    limit = _SHORT_LEAD if style in _LEADS else _SHORT_HEADING
    clauses = _CLAUSE.search(sentence.rstrip(_FINAL + ";"))
    if len(sentence) <= limit and (not clauses or style in ("part", "cn", "paren_cn")):
        if stop < len(rest) or sentence[-1:] in _FINAL or len(sentence) <= limit:
            if style in _LEADS and (_ITEM.match(rest, stop) or (stop >= len(rest) and not at_line_start)):
                return None
            return pos + len(rest[:stop].rstrip()), style
    return None


def _skip_space(norm: str, i: int, end: int) -> int:
    while i < end and norm[i].isspace():
        i += 1
    return i


def _rstrip(norm: str, start: int, stop: int) -> int:
    while stop > start and norm[stop - 1].isspace():
        stop -= 1
    return stop
