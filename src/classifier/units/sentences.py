"""Where a sentence ends: at its final mark (。!?) or at a semicolon before the next item, outside
every bracket and quotation, with the closers that follow it.

    >>> text = "开展“宪法宣传周”活动。下一步,将继续。"
    >>> _sentence_end(text, 0, len(text))
    12
"""
from __future__ import annotations

import re
from typing import Callable

_CN = "一二三四五六七八九十"
_FINAL = "。!?"
_CLOSERS = "”’」』)》】\"'"
_QUOTE_CLOSERS = "”’」』"
_PAIRS = {"(": ")", "《": "》", "「": "」", "『": "』", "“": "”", "【": "】"}
_BRACKET_CHARS = re.escape("".join(_PAIRS) + "".join(_PAIRS.values()))
_BRACKETS = re.compile(f"[{_BRACKET_CHARS}]")
_SENTENCE_MARKS = re.compile("[" + re.escape("".join(_PAIRS) + _FINAL + ";") + "]")


def _simple_sentence() -> re.Pattern[str]:
    """A sentence up to its final mark (and closers) whose brackets each close before the next opens,
    with no other bracket inside, and with no semicolon outside them: what ``_sentence_end`` finds for
    most sentences, in one match. A quotation may not end on a final mark (that ends the sentence with it)."""
    plain = "[^" + _BRACKET_CHARS + re.escape(_FINAL + ";") + "]"
    pairs = "|".join(re.escape(o) + "[^" + _BRACKET_CHARS + "]*" + ("(?<![" + _FINAL + "])" if c in _QUOTE_CLOSERS else "")
                     + re.escape(c) for o, c in _PAIRS.items())
    # a run of plain text, then pairs each followed by a run; a run is never given back (a lookahead
    # is atomic), so a sentence the pattern cannot take fails at once
    run = [f"(?=(?P<{name}>{plain}*))(?P={name})" for name in ("first", "next")]
    return re.compile(f"{run[0]}(?:(?:{pairs}){run[1]})*[{_FINAL}][{re.escape(_CLOSERS)}]*")


_SIMPLE_SENTENCE = _simple_sentence()
_ITEM = re.compile(rf"\s*(?:[{_CN}]+是|其[{_CN}]+|[(][{_CN}\d]+[)]|\d{{1,2}}[、.](?!\d)|[①-⑳]|第[{_CN}]+[,、 ])")

def _sentence_end(norm: str, pos: int, end: int) -> int:
    """End of the sentence that starts at ``pos`` (after its final mark and closers)."""
    simple = _SIMPLE_SENTENCE.match(norm, pos, end)
    return simple.end() if simple else _paired_sentence_end(norm, pos, end)


def _paired_sentence_end(norm: str, pos: int, end: int) -> int:
    """``_sentence_end`` for any sentence: its brackets are paired as far as needed to see which final
    mark (or semicolon before an item) lies outside them all."""
    closer = None  # set up at the first opening bracket, if there is one
    depth_until = -1
    for m in _SENTENCE_MARKS.finditer(norm, pos, end):  # other characters cannot end a sentence
        i, c = m.start(), m.group()
        if c in _PAIRS:
            closer = closer or _closers(norm, pos, end)
            if (close := closer(i)) is not None:
                depth_until = max(depth_until, close)
                continue
        if i > depth_until or (c in _FINAL and i + 1 == depth_until and norm[i + 1] in _QUOTE_CLOSERS):
            # the second case: 「……。」 ends the sentence together with its quote
            if c in _FINAL or (c in ";" and _ITEM.match(norm, i + 1, end)):
                i += 1
                while i < end and norm[i] in _CLOSERS:
                    i += 1
                return i
    return end


def _closers(norm: str, pos: int, end: int) -> Callable[[int], int | None]:
    """Opening bracket/quote position → the position of its matching closer, None if it has none.

    Brackets are paired from ``pos`` to ``end`` only as far as a question needs: an opener's
    closer is settled when it is paired, so a sentence's brackets cost what they span, not the
    rest of the paragraph."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    marks = _BRACKETS.finditer(norm, pos, end)  # only brackets and quotes change the pairing

    def closer(opening: int) -> int | None:
        while opening not in pairs:
            m = next(marks, None)
            if m is None:
                return None
            i, c = m.start(), m.group()
            if c in _PAIRS:
                stack.append(i)
            elif stack and c == _PAIRS[norm[stack[-1]]]:
                pairs[stack.pop()] = i
            else:
                for j in range(len(stack) - 1, -1, -1):
                    if _PAIRS[norm[stack[j]]] == c:
                        pairs[stack[j]] = i
                        del stack[j:]
                        break
        return pairs[opening]

    return closer
