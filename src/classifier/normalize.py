"""Length-preserving normalisation: what the model and the segmenter see.

Every function here maps a string to one of the same length, character for
character, so an offset into the normalised text is an offset into the original.

    >>> normalize("（一）強化宣傳，提升意識！")
    '(一)强化宣传,提升意识!'
"""
from __future__ import annotations

from functools import lru_cache

# Full-width ASCII variants (U+FF01..U+FF5E) map to ASCII; the ideographic space
# and other wide spaces to a plain space. 。、“”《》 have no ASCII twin and stay.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})
_WIDTH.update({0x0009: 0x20, 0x000D: 0x20})


@lru_cache(maxsize=1)
def _traditional_table() -> dict[int, int]:
    """Traditional → simplified, single characters only (so lengths never change)."""
    import json
    from importlib import resources as res

    # Read zhconv's table ourselves: its loader leaves the file open.
    with res.files("zhconv").joinpath("zhcdict.json").open(encoding="utf-8") as f:
        pairs = json.load(f)["zh2Hans"].items()
    return {ord(k): ord(v) for k, v in pairs if len(k) == 1 and len(v) == 1 and k != v}


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to ASCII.

    >>> to_halfwidth("２０２２年，共３次；")
    '2022年,共3次;'
    """
    return text.translate(_WIDTH)


def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones, character by character.

    >>> to_simplified("執法檢查")
    '执法检查'
    """
    if text.isascii():
        return text
    return text.translate(_traditional_table())


def normalize(text: str) -> str:
    """Half-width punctuation and digits, simplified characters; same length as ``text``."""
    out = to_simplified(to_halfwidth(text))
    assert len(out) == len(text)
    return out
