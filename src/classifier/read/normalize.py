"""Length-preserving normalisation: what the model and the segmenter see.

Every function here maps a string to one of the same length, character for
character, so an offset into the normalised text is an offset into the original.

    >>> normalize("（一）強化宣傳，提升意識！")
    '(一)强化宣传,提升意识!'
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

# Full-width ASCII variants (U+FF01..U+FF5E) map to ASCII; the ideographic space
# and other wide spaces to a plain space. 。、“”《》 have no ASCII twin and stay.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})
_WIDTH.update({0x0009: 0x20, 0x000D: 0x20})

# Characters that print like a common ideograph but are another code point: PDFs made from some CJK
# fonts hand out Kangxi radicals (⼀ U+2F00 for 一, ⼯ for 工) and radical-supplement forms (⻔ for 门).
# Kangxi radicals, compatibility ideographs and the small and vertical forms of punctuation fold as NFKC
# folds them (where that gives one character); the radical supplement has no NFKC folding, so its
# simplified forms that are words of their own are listed here, each by its Unicode name.
_LOOKALIKE_RANGES = ((0x2E80, 0x2EF3), (0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1D),
                     (0xFE10, 0xFE18), (0xFE30, 0xFE6B))
_RADICAL_SUPPLEMENT = {
    0x2EA0: "民",  # CIVILIAN
    0x2EC4: "西",  # WEST TWO
    0x2EC5: "见",  # C-SIMPLIFIED SEE
    0x2EC6: "角",  # SIMPLIFIED HORN
    0x2EC9: "贝",  # C-SIMPLIFIED SHELL
    0x2ECB: "车",  # C-SIMPLIFIED CART
    0x2ED3: "长",  # C-SIMPLIFIED LONG
    0x2ED4: "门",  # C-SIMPLIFIED GATE
    0x2ED7: "雨",  # RAIN
    0x2ED8: "青",  # BLUE
    0x2ED9: "韦",  # C-SIMPLIFIED TANNED LEATHER
    0x2EDA: "页",  # C-SIMPLIFIED LEAF
    0x2EDB: "风",  # C-SIMPLIFIED WIND
    0x2EDC: "飞",  # C-SIMPLIFIED FLY
    0x2EDD: "食",  # EAT ONE
    0x2EE2: "马",  # C-SIMPLIFIED HORSE
    0x2EE3: "骨",  # BONE
    0x2EE4: "鬼",  # GHOST
    0x2EE5: "鱼",  # C-SIMPLIFIED FISH
    0x2EE6: "鸟",  # C-SIMPLIFIED BIRD
    0x2EE7: "卤",  # C-SIMPLIFIED SALT
    0x2EE8: "麦",  # SIMPLIFIED WHEAT
    0x2EE9: "黄",  # SIMPLIFIED YELLOW
    0x2EEA: "黾",  # C-SIMPLIFIED FROG
    0x2EEC: "齐",  # C-SIMPLIFIED EVEN
    0x2EEE: "齿",  # C-SIMPLIFIED TOOTH
    0x2EF0: "龙",  # C-SIMPLIFIED DRAGON
    0x2EF3: "龟",  # C-SIMPLIFIED TURTLE
}


@lru_cache(maxsize=1)
def _lookalike_table() -> dict[int, int]:
    """Look-alike code point → the ordinary character it stands for (one for one)."""
    import unicodedata

    table = {code: ord(char) for code, char in _RADICAL_SUPPLEMENT.items()}
    for low, high in _LOOKALIKE_RANGES:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table.setdefault(code, ord(folded))
    return table


@lru_cache(maxsize=1)
def _traditional_table() -> dict[int, int]:
    """Traditional → simplified, single characters only (so lengths never change)."""
    import json
    from importlib import resources as res
    from importlib.util import find_spec

    # Read zhconv's table ourselves: its loader leaves the file open. Find the file without
    # importing zhconv, whose import pulls in pkg_resources (slower than all the rest of `predict`).
    spec = find_spec("zhconv")
    folders = (spec.submodule_search_locations or []) if spec else []
    table: Any = Path(folders[0]) / "zhcdict.json" if folders else None
    if table is None or not table.is_file():
        table = res.files("zhconv").joinpath("zhcdict.json")
    with table.open(encoding="utf-8") as f:
        pairs = json.load(f)["zh2Hans"].items()
    return {ord(k): ord(v) for k, v in pairs if len(k) == 1 and len(v) == 1 and k != v}


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to ASCII.

    >>> to_halfwidth("２０２２年，共３次；")
    '2022年,共3次;'
    """
    return text.translate(_WIDTH)


def fold_lookalikes(text: str) -> str:
    """Kangxi radicals, radical-supplement forms and compatibility ideographs to the ordinary
    characters they print as; every other character stays. Same length as ``text``.

    >>> fold_lookalikes("下\u2f00步\u2f2f作,\u2ed4户")
    '下一步工作,门户'
    """
    if text.isascii():
        return text
    return text.translate(_lookalike_table())


def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones, character by character.

    >>> to_simplified("執法檢查")
    '执法检查'
    """
    if text.isascii():
        return text
    return text.translate(_traditional_table())


@lru_cache(maxsize=1)
def _combined_table() -> dict[int, int] | None:
    """The three tables as one, so that ``normalize`` translates once:
    ``to_simplified(to_halfwidth(fold_lookalikes(c)))`` for every character any of them maps. None if
    that could differ from the three steps (a traditional character in ASCII, which ``to_simplified``
    leaves alone in ASCII-only text)."""
    simplified = _traditional_table()
    if any(code < 128 for code in simplified):
        return None
    table = dict(simplified)
    table.update({code: simplified.get(half, half) for code, half in _WIDTH.items()})
    for code, plain in _lookalike_table().items():
        half = _WIDTH.get(plain, plain)
        table[code] = simplified.get(half, half)
    return table


_LONG = 256  # from this many characters on, a look-up array beats str.translate's per-character dict look-ups


def normalize(text: str) -> str:
    """Half-width punctuation and digits, look-alikes folded, simplified characters; same length as ``text``."""
    table = _combined_table()
    if table is None:
        out = to_simplified(to_halfwidth(fold_lookalikes(text)))
    elif len(text) >= _LONG:
        out = _lookup(text)
    else:
        out = text.translate(table)
    assert len(out) == len(text)
    return out


def split_like(joined: str, texts: Sequence[str]) -> list[str]:
    """``joined`` (as long as ``texts`` together) cut into pieces as long as each of ``texts``.

    >>> split_like("ABCDE", ["ab", "", "cde"])
    ['AB', '', 'CDE']
    """
    out, start = [], 0
    for text in texts:
        out.append(joined[start:start + len(text)])
        start += len(text)
    return out


@lru_cache(maxsize=1)
def _lookup_array() -> Any:
    import numpy as np

    array = np.arange(0x110000, dtype=np.uint32)
    table = _combined_table() or {}
    array[np.fromiter(table.keys(), np.int64, len(table))] = np.fromiter(table.values(), np.uint32, len(table))
    return array


def code_points(text: str) -> Any:
    """Each character's code point, as a numpy array of uint32 (a lone surrogate's too).

    >>> code_points("法a").tolist()
    [27861, 97]
    """
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _lookup(text: str) -> str:
    """``text.translate(_combined_table())`` as one array look-up (lone surrogates pass through)."""
    return _lookup_array()[code_points(text)].tobytes().decode("utf-32-le", "surrogatepass")
