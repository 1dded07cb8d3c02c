"""Tests of classifier.read.reading. Every input file is generated here, in tmp_path."""
from __future__ import annotations

import codecs
import dataclasses
import importlib.util
import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from pdffiles import FULL_1, FULL_2, FULL_3, make_pdf

SRC = Path(__file__).resolve().parents[2] / "src"
if importlib.util.find_spec("classifier") is None:  # not installed: test the source tree
    sys.path.insert(0, str(SRC))

from classifier.read.pdf import NO_TEXT_LAYER, NO_UNICODE, is_page_number, join_lines, pdf_text_problem  # noqa: E402
from classifier.errors import MissingExtraError, ReadError  # noqa: E402
from classifier.read.reading import SUPPORTED_SUFFIXES, Document, decode_bytes, read_document  # noqa: E402

REPORT = "一、总体情况\r\n本年度我区深入推进依法行政，法治政府建设取得新成效。\r\n（一）健全依法行政制度体系\r\n"
PARAGRAPHS = [
    "一、2023年法治政府建设主要举措和成效",
    "（一）深入学习贯彻习近平法治思想。区政府常务会议专题学习习近平法治思想，将其纳入领导干部学法清单。",
    "（二）依法全面履行政府职能。深化“放管服”改革，全年取消和下放行政许可事项12项，网上可办率达到98%。",
    "（三）健全依法行政制度体系。严格落实重大行政决策程序规定，全年开展合法性审查86件。",
    "二、2023年推进法治政府建设存在的不足和原因",
    "行政执法规范化水平有待进一步提升，部分执法人员运用法治思维解决问题的能力不足。",
    "三、2024年推进法治政府建设的主要安排",
    "持续加强行政执法队伍建设，全面推行行政执法三项制度。",
]
BOILERPLATE = ["互动交流", "办事服务", "当前位置", "分享到", "微博", "打印本页", "主办单位", "ICP备", "联系电话", "发布时间"]


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def lines_of(text: str) -> list[str]:
    return text.split("\n")


# --- text files -----------------------------------------------------------------------

def test_utf8_text_is_kept_exactly(tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", REPORT.encode("utf-8"))
    document = read_document(path)
    assert document == Document(REPORT, path, "txt", "utf-8")
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.text = ""  # type: ignore[misc]


def test_pathlike_and_md_suffix(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_bytes(REPORT.encode("utf-8"))
    assert read_document(path).source == str(path)
    assert ".md" in SUPPORTED_SUFFIXES and read_document(path).text == REPORT


@pytest.mark.parametrize(("data", "encoding"), [
    (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16"),
])
def test_byte_order_marks(tmp_path: Path, data: bytes, encoding: str) -> None:
    document = read_document(write(tmp_path / "r.txt", data))
    assert (document.text, document.encoding) == (REPORT, encoding)


def test_gb18030_with_a_character_outside_gbk(tmp_path: Path) -> None:
    text = REPORT + "𠮷姓同志参加培训。\r\n"
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")
    document = read_document(write(tmp_path / "r.txt", text.encode("gb18030")))
    assert (document.text, document.encoding) == (text, "gb18030")


def test_gbk_file(tmp_path: Path) -> None:
    document = read_document(write(tmp_path / "r.text", REPORT.encode("gbk")))
    assert (document.text, document.encoding) == (REPORT, "gb18030")


def test_charset_detection_is_lossless() -> None:
    data = "Le café est prêt: rapport annuel de l'année 2023.\n".encode("cp1252")
    text, encoding = decode_bytes(data, "x.txt")
    assert encoding not in ("utf-8", "gb18030")
    assert text.encode(encoding) == data


def test_undecodable_bytes_name_the_encodings_tried() -> None:
    with pytest.raises(ReadError, match=r"UTF-8, GB18030, Big5.*byte \d+ \(line 1\)"):
        decode_bytes(bytes(range(0x80, 0x100)) * 4, "x.txt")


@pytest.mark.parametrize("data", [b"", b" \r\n\t \n", codecs.BOM_UTF8, "\u3000 \n".encode("utf-16")])
def test_empty_and_whitespace_only_files(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError, match="empty file"):
        read_document(write(tmp_path / "r.txt", data))


@pytest.mark.parametrize("data", [
    random.Random(0).randbytes(4000) + b"\x00\x00",
    bytes(range(1, 9)) * 200,  # valid UTF-8, but control characters only
])
def test_binary_files(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError, match="binary file, not a text report"):
        read_document(write(tmp_path / "r.txt", data))


# --- paths and dispatch -----------------------------------------------------------------

def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"unsupported file type '\.xls'; supported: \.txt.*\.docx.*\.pdf") as info:
        read_document(write(tmp_path / "r.xls", b"x"))
    assert info.value.where == str(tmp_path / "r.xls")


def test_old_word_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"save it as \.docx"):
        read_document(write(tmp_path / "r.doc", b"\xd0\xcf\x11\xe0" + bytes(100)))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "absent.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ReadError, match="directory"):
        read_document(tmp_path / "dir.txt")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", REPORT.encode())
    os.chmod(path, 0)
    with pytest.raises(ReadError, match="permission denied"):
        read_document(path)


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    document = read_document("-", stdin=io.BytesIO(REPORT.encode("gb18030")))
    assert document == Document(REPORT, "<stdin>", "txt", "gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode())))
    assert read_document("-").text == REPORT


def test_stdin_and_suffixless_files_are_sniffed(tmp_path: Path) -> None:
    pdf, docx_file = tmp_path / "r.pdf", tmp_path / "r.docx"
    make_pdf(pdf, [["一、总体情况"]])
    make_docx(docx_file)
    html = gov_page('<meta charset="utf-8">').encode("utf-8")
    for data, fmt in ((pdf.read_bytes(), "pdf"), (docx_file.read_bytes(), "docx"), (html, "html")):
        assert read_document("-", stdin=io.BytesIO(data)).format == fmt
        assert read_document(write(tmp_path / "report", data)).format == fmt


def test_optional_libraries_are_imported_lazily() -> None:
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import classifier.read.reading; "
            "print(sorted({'pdfplumber', 'docx', 'trafilatura', 'lxml'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code, str(SRC)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]" and result.stderr == ""


@pytest.mark.parametrize(("suffix", "module", "extra"), [
    (".pdf", "pdfplumber", "pdf"), (".docx", "docx", "docx"), (".html", "trafilatura", "html")])
def test_missing_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, module: str, extra: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError, match=rf"needs .*: pip install 'classifier\[{extra}\]'") as info:
        read_document(write(tmp_path / f"r{suffix}", b"whatever"))
    assert isinstance(info.value, ReadError)


# --- Word -----------------------------------------------------------------------------

def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度我区深入推进依法行政。")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "指标", (0, 1): "数值", (1, 0): "合法性审查", (1, 1): "86件"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("")
    document.add_paragraph("二、存在的不足")
    document.save(str(path))


def test_docx_paragraphs_and_table_in_document_order(tmp_path: Path) -> None:
    make_docx(tmp_path / "r.docx")
    document = read_document(tmp_path / "r.docx")
    assert (document.format, document.encoding) == ("docx", "")
    lines = lines_of(document.text)
    assert lines[:2] == ["一、总体情况", "本年度我区深入推进依法行政。"]
    assert lines[-1] == "二、存在的不足"
    rows = [line.replace("\t", " ").split() for line in lines[2:-1]]
    assert rows == [["指标", "数值"], ["合法性审查", "86件"]]


@pytest.mark.parametrize(("data", "problem"), [
    (b"PK\x03\x04 this is not a zip file", "not a valid Word file"),
    (b"no zip at all", "not a valid Word file"),
    (b"\xd0\xcf\x11\xe0" + bytes(200), r"old Word \(\.doc\) file"),
])
def test_corrupt_docx(tmp_path: Path, data: bytes, problem: str) -> None:
    with pytest.raises(ReadError, match=problem):
        read_document(write(tmp_path / "r.docx", data))


# --- PDF ------------------------------------------------------------------------------

def test_pdf_lines_are_rejoined_into_paragraphs(tmp_path: Path) -> None:
    assert len(FULL_1) == len(FULL_2) == len(FULL_3)  # the lines that run to the right margin
    make_pdf(tmp_path / "r.pdf", [
        ["一、总体情况", FULL_1, "作取得明显成效。", "（一）健全依法行政制度体系", FULL_2, "（二）严格规范公正文明执法", "- 1 -"],
        ["二、存在的不足和原因", FULL_3, "下一步将加强培训。", "第2页"],
    ])
    document = read_document(tmp_path / "r.pdf")
    assert (document.format, document.encoding) == ("pdf", "")
    assert lines_of(document.text) == [
        "一、总体情况", FULL_1 + "作取得明显成效。", "（一）健全依法行政制度体系", FULL_2,
        "（二）严格规范公正文明执法", "二、存在的不足和原因", FULL_3, "下一步将加强培训。"]


def _line(text: str, x0: float = 72, x1: float | None = None) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + 12 * len(text) if x1 is None else x1, "top": 0, "bottom": 12}


def test_join_lines_rules() -> None:
    full = "行" * 30
    lines = [_line(full), _line("接续。"),           # continuation at the left margin: joined
             _line(full), _line("1. 第一项"),         # heading marker: kept apart
             _line(full, x0=96, x1=72 + 360), _line("新段落", x0=96),  # indented: a new paragraph
             _line("Law " + "x" * 56, x1=72 + 360), _line("reform。")]  # Latin words get a space
    assert lines_of(join_lines(lines)) == [
        full + "接续。", full, "1. 第一项", full, "新段落", "Law " + "x" * 56 + " reform。"]


@pytest.mark.parametrize(("line", "expected"), [
    ("- 3 -", True), ("— 12 —", True), ("第3页", True), ("第 3 页 共 10 页", True), ("3", True), ("3/10", True),
    ("3项工作", False), ("第三部分", False), ("2023年", False), ("一、总体情况", False)])
def test_page_number_lines(line: str, expected: bool) -> None:
    assert is_page_number(line) is expected


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"))
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(ReadError, match=r"no text layer \(a scanned PDF\?\); OCR is needed"):
        read_document(tmp_path / "scan.pdf")


def test_pdf_text_problem() -> None:
    assert pdf_text_problem("") == pdf_text_problem(" \n ") == NO_TEXT_LAYER
    assert pdf_text_problem("(cid:123)(cid:45)(cid:6)\n(cid:78)(cid:9)") == NO_UNICODE
    assert pdf_text_problem("(cid:3)(cid:4)法治(cid:5)(cid:6)") == NO_UNICODE
    assert pdf_text_problem("\ue001\ue002\ue003政府\ufffd\ufffd") == NO_UNICODE
    assert pdf_text_problem("一、总体情况(cid:3)\n本年度我区深入推进依法行政。") is None
    assert "OCR is needed" in NO_UNICODE


def test_encrypted_and_corrupt_pdf(tmp_path: Path) -> None:
    make_pdf(tmp_path / "locked.pdf", [["一、总体情况"]], encrypt="secret")
    with pytest.raises(ReadError, match="password"):
        read_document(tmp_path / "locked.pdf")
    with pytest.raises(ReadError, match="not a valid PDF file"):
        read_document(write(tmp_path / "bad.pdf", b"%PDF-1.4\nnot really a PDF"))


# --- web pages ------------------------------------------------------------------------

def gov_page(meta: str, body: str | None = None) -> str:
    body = body or "\n".join(f"<p style='text-indent:2em'>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>某某区2023年法治政府建设年度报告_某某区人民政府</title></head>
<body>
<div class="header"><div class="logo">某某区人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/bsfw">办事服务</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/fz">法治政府</a></div>
<div class="article"><h1>某某区2023年法治政府建设年度报告</h1>
<div class="info">发布时间：2024-03-28 来源：区司法局 字号：[大 中 小] 浏览次数：1024</div>
<div class="content" id="zoom">
{body}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a> 【打印本页】【关闭窗口】</div>
</div>
<div class="footer"><p>主办单位：某某区人民政府办公室 版权所有</p><p>网站标识码：1234567890 京ICP备12345678号</p>
<p>联系电话：010-12345678</p></div>
</body></html>"""


TITLE = "某某区2023年法治政府建设年度报告"  # the page's <h1>


def assert_report_only(text: str) -> None:
    assert lines_of(text) == [TITLE, *PARAGRAPHS]
    for word in BOILERPLATE:
        assert word not in text


@pytest.mark.parametrize(("meta", "codec", "encoding"), [
    ('<meta charset="gb2312">', "gb18030", "gb18030"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gbk", "gb18030"),
    ('<meta charset="utf-8">', "utf-8", "utf-8"),
    ('<meta charset="gb2312">', "utf-8", "utf-8"),  # a stale declaration on a page re-saved as UTF-8
])
def test_government_web_page(tmp_path: Path, meta: str, codec: str, encoding: str) -> None:
    document = read_document(write(tmp_path / "r.html", gov_page(meta).encode(codec)))
    assert (document.format, document.encoding) == ("html", encoding)
    assert_report_only(document.text)


def test_utf8_wins_over_a_stale_charset_declaration(tmp_path: Path) -> None:
    page = '<html><head><meta charset="gb2312"></head><body><div><p>法治政府</p><p>依法行政</p></div></body></html>'
    data = page.encode("utf-8")
    assert "法治政府" not in data.decode("gb18030")  # these bytes are also (garbled) valid GB18030
    document = read_document(write(tmp_path / "r.html", data))
    assert (document.text, document.encoding) == ("法治政府\n依法行政", "utf-8")


def test_web_page_with_layout_table_and_br(tmp_path: Path) -> None:
    body = "<table width='100%'><tr><td class='bt_content'>" + "<br>\n".join(PARAGRAPHS) + "</td></tr></table>"
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + gov_page('<meta charset="utf-8">', body)
    assert_report_only(read_document(write(tmp_path / "r.htm", page.encode())).text)


def test_web_page_keeps_tables(tmp_path: Path) -> None:
    table = "<table><tr><th>指标</th><th>数值</th></tr><tr><td>合法性审查</td><td>86件</td></tr></table>"
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4]) + table + "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:])
    lines = lines_of(read_document(write(tmp_path / "r.html", gov_page("", body).encode())).text)
    rows = [line.split("\t") for line in lines if "\t" in line]
    assert not [line for line in lines if set(line) <= set("|-: ")]  # no markdown separator row
    assert rows == [["指标", "数值"], ["合法性审查", "86件"]]
    assert lines.index("\t".join(rows[0])) > lines.index(PARAGRAPHS[3])


def test_largest_block_when_trafilatura_drops_too_much(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: PARAGRAPHS[0])
    assert_report_only(read_document(write(tmp_path / "r.html", gov_page("").encode())).text)


def test_web_page_without_main_text(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>var a = 1;</script></body></html>"
    with pytest.raises(ReadError, match="no main text found in the web page"):
        read_document(write(tmp_path / "r.html", page))
