"""The encodings of text files: which one a file is in, and where it breaks when none fits.

Order: a byte-order mark; UTF-16 without one (when there are zero bytes); UTF-8; the
encoding a web page declares; GB18030 (which covers GBK and GB2312) when its text reads as
ordinary Chinese; Big5 and the other CJK encodings when it does not; then charset detection.
A file no encoding fits is refused with the byte offset and line of its first bad byte.

    >>> decode_bytes("法治政府".encode("gbk"), "x.txt")
    ('法治政府', 'gb18030')
    >>> decode_bytes("縣人民政府關於法治政府建設情況的報告".encode("big5"), "x.txt")
    ('縣人民政府關於法治政府建設情況的報告', 'big5')
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..errors import ReadError
from .normalize import to_simplified

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
BINARY = "binary file, not a text report"
# control characters (category Cc) other than \t \n \v \f \r: many of them mean a binary file
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# tried, in this order, when the GB18030 reading of a file is not ordinary Chinese
_OTHER_CJK = ("big5", "cp950", "big5hkscs", "euc_jp", "shift_jis", "euc_kr")
ORDINARY = 0.9  # share of ordinary characters from which a reading is accepted
GIBBERISH = 0.6  # below this share a reading is gibberish, and refused when nothing better fits
_SAMPLE = 20_000  # characters of a text looked at to judge it


@dataclass(frozen=True)
class BadBytes:
    """Where a strict decoding failed: the encoding, the byte offset and the line (from 1)."""

    encoding: str
    offset: int
    line: int
    found: bytes

    def __str__(self) -> str:
        return f"as {self.encoding}, byte {self.offset} (line {self.line}) is invalid: {self.found.hex(' ')}"


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode the bytes of a text file strictly; return ``(text, encoding)``; ReadError if none fits.

    ``declared`` is an encoding the file names for itself (a web page's charset)."""
    text, encoding = _decode_raw(data, source, declared)
    if not text.strip():
        raise ReadError(source, "empty file")
    if len(_CONTROLS.findall(text)) > 0.1 * len(text):
        raise ReadError(source, BINARY)
    return text, encoding


def ordinary_share(text: str) -> float:
    """Share of the non-space characters (of the first 20,000) that ordinary text is made of: ASCII,
    punctuation, digits, kana, hangul and the Chinese characters of GB2312 (traditional ones as their
    simplified form). A wrong decoding of CJK bytes gives mostly rare characters.

    >>> title = "縣人民政府關於法治政府建設情況的報告".encode("big5")
    >>> ordinary_share(title.decode("gb18030")), ordinary_share(title.decode("big5"))
    (0.5, 1.0)
    """
    chars = [ch for ch in text[:_SAMPLE] if not ch.isspace()]
    if not chars:
        return 1.0
    return sum(1 for ch in to_simplified("".join(chars)) if _ordinary(ch)) / len(chars)


def _ordinary(ch: str) -> bool:
    if ch.isascii() or 0x3040 <= ord(ch) <= 0x30FF or 0xAC00 <= ord(ch) <= 0xD7AF:
        return True
    if 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFF5E or unicodedata.category(ch)[0] in "PN":
        return not 0xE000 <= ord(ch) <= 0xF8FF
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def strict_decode(data: bytes, encoding: str) -> str | BadBytes:
    """``data`` decoded strictly as ``encoding``, or where it stops being valid ``encoding``.

    >>> strict_decode("一、总体".encode("gbk"), "gb18030")
    '一、总体'
    >>> str(strict_decode("一、总体\\n情况".encode("gbk") + b"\\xff\\x20", "gb18030"))
    'as gb18030, byte 13 (line 2) is invalid: ff 20'
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        return BadBytes(codecs.lookup(encoding).name, exc.start, data.count(b"\n", 0, exc.start) + 1,
                        data[exc.start:max(exc.end, exc.start + 2)])


def _decode_raw(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = strict_decode(data, name)
            if isinstance(text, BadBytes):
                raise ReadError(source, f"starts with a {name} byte-order mark but is not valid {name}: {text}")
            return text, name
    if not data.strip():
        raise ReadError(source, "empty file")
    if b"\x00" in data:
        return _utf16(data, source)
    failures: list[BadBytes] = []
    for name in ["utf-8"] + ([declared] if declared and _known(declared) else []):
        text = strict_decode(data, name)
        if not isinstance(text, BadBytes):
            return text, codecs.lookup(name).name
        failures.append(text)
    return _chinese(data, source, failures)


def _known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _utf16(data: bytes, source: str) -> tuple[str, str]:
    """UTF-16 without a byte-order mark, in whichever byte order reads as ordinary text (text in the
    other order, or binary data, does not: its characters scatter over the whole of Unicode)."""
    readings = []
    for name in ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ():
        text = strict_decode(data, name)
        if not isinstance(text, BadBytes):
            readings.append((ordinary_share(text) - len(_CONTROLS.findall(text[:_SAMPLE])) / _SAMPLE, text, name))
    if readings and max(readings)[0] >= ORDINARY:
        return max(readings)[1:]
    raise ReadError(source, BINARY)


def _chinese(data: bytes, source: str, failures: list[BadBytes]) -> tuple[str, str]:
    """GB18030 when it reads as ordinary Chinese, else the CJK encoding that reads best."""
    best: tuple[float, str, str] | None = None
    for name in ("gb18030", *_OTHER_CJK):
        text = strict_decode(data, name)
        if isinstance(text, BadBytes):
            failures.append(text)
            continue
        share = ordinary_share(text)
        if name == "gb18030" and share >= ORDINARY:
            return text, name
        if best is None or share > best[0]:
            best = (share, text, codecs.lookup(name).name)
        if share == 1.0:  # no reading can do better: the other encodings and charset detection are not tried
            break
    if best is None or best[0] < 1.0:
        detected = _detect(data)
        share = ordinary_share(detected[0]) if detected else 0.0
        if detected and (best is None or share > best[0]):
            best = (share, *detected)
    if best and best[0] >= GIBBERISH:
        return best[1], best[2]
    if best:
        raise ReadError(source, f"decodes only to gibberish: as {best[2]}, {best[0]:.0%} of its characters are "
                                f"ordinary text (expected at least {GIBBERISH:.0%}); save it as UTF-8")
    furthest = max(failures, key=lambda f: f.offset)
    raise ReadError(source, "cannot decode the text (tried UTF-8, GB18030, Big5, other CJK encodings and charset "
                            f"detection); {furthest}")


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    found = from_bytes(data).best()
    if found is None or not found.encoding:
        return None
    try:
        return data.decode(found.encoding), codecs.lookup(found.encoding).name
    except (UnicodeDecodeError, LookupError):
        return None
