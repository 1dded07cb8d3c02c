"""PDF text layers: look-alike characters folded, and a second extractor before saying OCR is needed."""
from __future__ import annotations

from pathlib import Path

import pytest

from classifier.errors import ReadError
from classifier.read import pdf_extract
from classifier.read.reading import read_document

FULL = "本年度我区坚持以习近平法治思想为指导，深入推进依法行政，全面建设法治政府，各项工"  # to the right margin
LAST = "行政执法规范化水平仍有待进一步提升，部分执法人员运用法治思维解决问题的能力不足。"
LINES = ["一、总体情况", FULL, "作取得明显成效。", "二、存在的不足", LAST]
TEXT = ["一、总体情况", FULL + "作取得明显成效。", "二、存在的不足", LAST]  # as read: the broken line re-joined


def make_pdf(path: Path, lines: list[str], **canvas_options: object) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4, **canvas_options)
    pdf.setFont("STSong-Light", 12)
    for number, line in enumerate(lines):
        pdf.drawString(72, 780 - 20 * number, line)
    pdf.showPage()
    pdf.save()
    return path


def owner_password_only() -> object:
    from reportlab.lib import pdfencrypt

    return pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0, canModify=0)


def test_look_alike_characters_in_the_text_layer_read_as_the_ordinary_ones(tmp_path: Path) -> None:
    # Kangxi radicals ⼀ ⼯ ⽅ and the supplement's ⻔, written into the text layer as they are
    pdf = make_pdf(tmp_path / "r.pdf", ["三、下\u2f00步\u2f2f作计划", FULL, "\u2f45向\u2ed4户。", LAST])
    assert read_document(pdf).text.split("\n") == ["三、下一步工作计划", FULL + "方向门户。", LAST]


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", LINES, encrypt=owner_password_only())
    assert read_document(pdf).text.split("\n") == TEXT


def test_look_alikes_read_right_through_the_second_extractor_too(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", ["三、下\u2f00步\u2f2f作计划", LAST], encrypt=owner_password_only())
    assert read_document(pdf).text.split("\n") == ["三、下一步工作计划", LAST]


def test_the_second_extractor_is_asked_when_the_first_finds_no_text(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", LINES)
    unusable = [{"text": "(cid:12)(cid:34)", "x0": 72, "x1": 96, "top": 60, "bottom": 72}]
    monkeypatch.setattr(pdf_extract, "_pdfplumber_lines", lambda data, source, limit: unusable)
    assert read_document(pdf).text.split("\n") == TEXT
    monkeypatch.setattr(pdf_extract, "_pdfium_lines", lambda data, source, limit: None)
    with pytest.raises(ReadError, match="no Unicode mapping; OCR is needed"):
        read_document(pdf)


def test_a_user_password_still_means_password_protected(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", LINES, encrypt="secret")
    with pytest.raises(ReadError, match="the PDF is password-protected"):
        read_document(pdf)


def test_a_pdf_past_the_text_limit_is_refused(tmp_path: Path) -> None:
    from dataclasses import replace

    from classifier.config import DEFAULTS

    pdf = make_pdf(tmp_path / "r.pdf", LINES)
    with pytest.raises(ReadError, match=r"more than 10 characters of text; the limit is 10"):
        read_document(pdf, config=replace(DEFAULTS, max_text_chars=10))
