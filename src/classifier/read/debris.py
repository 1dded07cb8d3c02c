"""Web-page debris: lines a saved page adds around a report that are not part of it.

A line is debris by the shape of the whole line — a navigation chain, a row of buttons, a
publication or counter line of ``key: value`` fields, a scan-with-your-phone line, a
copyright or ICP line, a bare link — and only at the page's top or bottom (before the
report's first sentence or after its last). A phrase inside a sentence never makes it
debris: 「微信公众号推送文章120篇,阅读次数超过5万次。」 is report text.

    >>> debris_kind("扫一扫在手机打开当前页"), debris_kind("【字体:大 中 小】"), debris_kind("一、主要做法")
    ('scan', 'buttons', '')
    >>> debris_lines(["首页 > 政务公开", "一、主要做法", "开展普法活动。", "浏览次数:12"])
    [0, 3]

Lines are judged after normalisation (half-width punctuation), one at a time.
"""
from __future__ import annotations

import re
from typing import Sequence

_MAX = 150  # characters: a longer line is never debris
_SENTENCE = re.compile(r"[。!?;]")
_KEYS = (r"发布时间|发布日期|发表时间|更新时间|信息来源|文章来源|来源|作者|索引号|发布机构|发文机关|成文日期|发布单位|"
         r"主题分类|主题词|发文字号|有效性|文号|责任编辑|编辑|审核|校对|浏览次数|阅读次数|点击次数|点击数|点击量|"
         r"访问量|访问次数|阅读量|浏览量|字号|字体|主办单位|主办|承办单位|承办|协办|技术支持|运维|维护单位|备案号|"
         r"网站标识码|联系电话|联系方式|地址|邮编|电子邮箱|邮箱|传真|上一篇|下一篇|上一条|下一条|分享到|附件下载|"
         r"日期(?=\s*:\s*\d{4})")
# one or more "key: value" fields and nothing else; a value has no sentence punctuation or comma
_FIELDS = re.compile(rf"(?:[【\[]?\s*(?:{_KEYS})\s*:\s*[^,。!?;]*?[】\]]?\s*)+")
_NAVIGATION = re.compile(
    r"(?:(?:当前位置|您(?:现在)?的位置|所在位置)\s*:?\s*)?(?:首页|网站首页|主页)\s*(?:>|»|›|→|/|\\)[^。,]*"
    r"|(?:当前位置|您(?:现在)?的位置|所在位置)\s*:[^。,]*"
    r"|[^>»›→。,]{1,20}(?:\s*(?:>|»|›|→)\s*[^>»›→。,]{1,20}){2,}")
_BUTTON_WORDS = (r"打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|加入收藏|收藏本页|收藏|分享到|分享|我要纠错|纠错|"
                 r"返回顶部|返回列表|返回|保存|字体|字号|默认|放大|缩小|微信|微博|QQ空间|QQ|朋友圈|复制链接|视力保护色|"
                 r"大|中|小")
_BUTTONS = re.compile(rf"(?:(?:{_BUTTON_WORDS})|[【】\[\]:|/·•\s])+")
_A_BUTTON = re.compile(r"打印|关闭|收藏|分享|纠错|返回|字体|字号|[【\[]\s*[大中小]\s*[】\]]")
_COUNTER = re.compile(r"(?:浏览|阅读|点击|访问)(?:次数|量|数)?\s*[:(]?\s*\d*\s*次?\)?")
_SCAN = re.compile(r"(?:微信)?扫一扫|(?:用)?手机扫(?:描|码)|扫描二维码|扫码|手机打开当前页")
_COPYRIGHT = re.compile(r"版权所有|Copyright|©|ICP备|ICP证|公网安备|网站标识码", re.I)
_LINK = re.compile(r"[【\[]?\s*(?:相关链接|相关阅读|相关文章|相关新闻|附件下载|查看全文|全文阅读|阅读全文|展开全文|"
                   r"免费下载|点击下载|上一页|下一页)\s*[】\]]?\s*:?|(?:https?://|www\.)\S+")
_PREFACE = re.compile(r"(?:下面|以下)是小编|小编(?:为|给)(?:大家|您)|本文(?:由|来自)|仅展示.{0,12}字|全文共\s*\d+\s*字")
_SYMBOLS = re.compile(r"[\W_]+")
# something every shape but "symbols" has: a line without any of these is report text (the quick answer)
_HINT = re.compile(r"[>»›→:【\[©]|打印|关闭|收藏|分享|纠错|返回|字体|字号|浏览|阅读|点击|访问|扫|版权|ICP|公网安备|"
                   r"网站标识码|相关|全文|下载|上一|下一|https?|www\.|小编|本文|仅展示|Copyright", re.I)
_SHAPES = (("symbols", _SYMBOLS.fullmatch), ("navigation", _NAVIGATION.fullmatch),
           ("buttons", lambda s: _BUTTONS.fullmatch(s) and _A_BUTTON.search(s)), ("counter", _COUNTER.fullmatch),
           ("publication", _FIELDS.fullmatch),
           ("link", _LINK.fullmatch), ("scan", _SCAN.match), ("copyright", _COPYRIGHT.search),
           ("preface", _PREFACE.match))


def debris_kind(line: str) -> str:
    """What kind of page furniture a line is by its whole shape ('navigation', 'publication', 'counter',
    'buttons', 'link', 'scan', 'copyright', 'preface', 'symbols'), or '' for report text."""
    line = line.strip()
    if not line:
        return "symbols"
    if len(line) > _MAX:
        return ""
    if _SENTENCE.search(line):  # a sentence is furniture only as a site's preface (or when it is all symbols)
        return "preface" if _PREFACE.match(line) else "symbols" if _SYMBOLS.fullmatch(line) else ""
    if not _HINT.search(line):
        return "symbols" if _SYMBOLS.fullmatch(line) else ""
    for kind, matches in _SHAPES:
        if matches(line):
            return kind
    return ""


def is_debris(line: str) -> bool:
    """True when a (stripped) line has the shape of page furniture (its place on the page aside)."""
    return bool(debris_kind(line))


def debris_lines(lines: Sequence[str]) -> list[int]:
    """Indices of the lines that are debris: furniture-shaped and before the report's first sentence
    or after its last (lines of symbols only, anywhere). A line reads as a sentence when it is not
    furniture-shaped and ends a sentence (。!?;) or is longer than 60 characters."""
    kinds = [debris_kind(line) for line in lines]
    prose = [k for k, (line, kind) in enumerate(zip(lines, kinds))
             if not kind and (len(line) > 60 or _SENTENCE.search(line))]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    return [k for k, kind in enumerate(kinds) if kind and (k < first or k > last or kind == "symbols")]
