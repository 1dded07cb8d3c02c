"""Web-page debris: lines a saved page adds around a report that are not part of it.

    >>> is_debris("扫一扫在手机打开当前页"), is_debris("【字体:大 中 小】"), is_debris("一、主要做法")
    (True, True, False)

Lines are judged after normalisation (half-width punctuation), one at a time.
"""
from __future__ import annotations

import re

_ANYWHERE = re.compile(
    r"扫一扫在手机|手机打开当前页|打印本页|关闭窗口|【打印】|【关闭】|【收藏】|【纠错】|【大】|【中】|【小】"
    r"|字体[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中|字号[:：]\s*大|分享到[:：]?|浏览次数|阅读次数|点击数[:：]|访问量[:：]"
    r"|当前位置[:：]|您(?:现在)?的位置|上一篇[:：]|下一篇[:：]|版权所有|ICP备|网站标识码|公网安备|技术支持[:：]"
    r"|下面是小编|小编(?:为|给)(?:大家|您)|仅展示.{0,12}字|查看全文|全文阅读|免费下载|点击下载|本文(?:由|来自).{0,20}(?:整理|网)"
)
_START = re.compile(
    r"(?:首页|网站首页|主页)\s*(?:>|>|›|»|/|\\|→)"
    r"|(?:发布时间|发布日期|信息来源|来源|作者|索引号|发布机构|发文机关|成文日期|发布单位|主题分类|发文字号|有效性|文号|责任编辑|编辑)\s*[:：]"
    r"|日期\s*[:：]\s*\d{4}\s*[-/.年]"
    r"|相关(?:链接|阅读|文章|新闻)\s*[:：]?\s*$|附件下载|(?:打印|关闭|返回顶部|收藏|分享)\s*$"
    r"|(?:https?://|www\.)\S+\s*$"
)
_SYMBOLS = re.compile(r"^[\W_]+$")


def is_debris(line: str) -> bool:
    """True when a (stripped) line is page furniture rather than report text."""
    line = line.strip()
    if not line or _SYMBOLS.match(line):
        return True
    if len(line) > 120 and "。" in line:
        return False
    return bool(_ANYWHERE.search(line) or _START.match(line))
