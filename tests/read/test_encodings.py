"""Text files in the encodings reports come in: Big5, UTF-16 without a mark, GBK with bad bytes."""
from __future__ import annotations

from pathlib import Path

import pytest

from classifier.errors import ReadError
from classifier.read.encodings import ordinary_share
from classifier.read.reading import decode_bytes, read_document

TRADITIONAL = (
    "臺東縣政府二〇二三年度法治政府建設情況報告\n"
    "一、主要工作舉措和成效\n"
    "本年度，本縣堅持以習近平法治思想為指導，深入推進依法行政，全面建設法治政府，各項工作取得明顯成效。\n"
    "（一）加強法治宣傳教育。組織開展普法宣傳活動三十餘場，發放宣傳資料五千餘份，覆蓋群眾兩萬餘人。\n"
    "二、存在的問題\n"
    "部分執法人員運用法治思維解決問題的能力不足，執法規範化水準有待提高。\n"
)
SIMPLIFIED = (
    "一、总体情况\n本年度我区深入推进依法行政，法治政府建设取得新成效。\n"
    "（一）健全依法行政制度体系\n全年开展合法性审查86件，备案审查规范性文件12件。\n"
)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_big5_is_read_as_big5_not_as_gb18030_gibberish(tmp_path: Path) -> None:
    text = TRADITIONAL.replace("〇", "零")  # 〇 has no Big5 code
    data = text.encode("big5")
    gibberish = data.decode("gb18030")  # the bytes are valid GB18030 too
    assert ordinary_share(gibberish) < 0.6
    document = read_document(write(tmp_path / "r.txt", data))
    assert (document.text, document.encoding) == (text, "big5")


def test_gbk_and_gb18030_traditional_text_stays_gb18030(tmp_path: Path) -> None:
    for text in (SIMPLIFIED, TRADITIONAL):
        document = read_document(write(tmp_path / "r.txt", text.encode("gb18030")))
        assert (document.text, document.encoding) == (text, "gb18030")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, "一二三四五六七八九十"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, codec: str, text: str) -> None:
    document = read_document(write(tmp_path / "r.txt", text.encode(codec)))
    assert (document.text, document.encoding) == (text, codec)


def test_binary_with_zero_bytes_is_still_binary() -> None:
    data = bytes(range(256)) * 8
    with pytest.raises(ReadError, match="binary file"):
        decode_bytes(data, "x.txt")


def test_a_gbk_file_with_a_bad_byte_names_its_offset_and_line(tmp_path: Path) -> None:
    data = SIMPLIFIED.encode("gbk")
    third_line = data.index("（一）".encode("gbk"))
    broken = data[:third_line + 4] + b"\xff" + data[third_line + 5:]
    with pytest.raises(ReadError) as info:
        read_document(write(tmp_path / "r.txt", broken))
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'r.txt'}: cannot decode the text")
    assert f"as gb18030, byte {third_line + 4} (line 3) is invalid" in message
    assert "\n" not in message


def test_a_utf16_file_with_a_mark_and_a_broken_end_names_where() -> None:
    data = b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate at the end
    with pytest.raises(ReadError, match=rf"utf-16 byte-order mark but is not valid utf-16: .*byte {len(data) - 2} "):
        decode_bytes(data, "x.txt")


def test_text_that_no_encoding_reads_as_chinese_is_refused_not_accepted_as_gibberish() -> None:
    # valid GB18030 (rare characters only), and nothing else
    data = "".join(chr(code) for code in range(0x3400, 0x3400 + 300)).encode("gb18030")
    with pytest.raises(ReadError, match=r"gibberish: as gb18030, \d+% of its characters are ordinary text"):
        decode_bytes(data, "x.txt")


def test_ordinary_share() -> None:
    assert ordinary_share(SIMPLIFIED) == ordinary_share(TRADITIONAL) == 1.0
    assert ordinary_share("") == 1.0
    assert ordinary_share("\ue000\ue001法治") == 0.5
