"""PDF text layers: look-alike characters folded, and a second extractor before saying OCR is needed."""
from __future__ import annotations

from pathlib import Path

import pytest
from pdffiles import FULL_1, FULL_3, make_pdf

from classifier.errors import ReadError
from classifier.read import pdf_extract
from classifier.read.reading import read_document

LINES = ["一、总体情况", FULL_1, "作取得明显成效。", "二、存在的不足", FULL_3]
TEXT = ["一、总体情况", FULL_1 + "作取得明显成效。", "二、存在的不足", FULL_3]  # as read: the broken line re-joined


def owner_password_only() -> object:
    from reportlab.lib import pdfencrypt

    return pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0, canModify=0)


def test_look_alike_characters_in_the_text_layer_read_as_the_ordinary_ones(tmp_path: Path) -> None:
    # Kangxi radicals ⼀ ⼯ ⽅ and the supplement's ⻔, written into the text layer as they are
    pdf = make_pdf(tmp_path / "r.pdf", [["三、下\u2f00步\u2f2f作计划", FULL_1, "\u2f45向\u2ed4户。", FULL_3]])
    assert read_document(pdf).text.split("\n") == ["三、下一步工作计划", FULL_1 + "方向门户。", FULL_3]


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", [LINES], encrypt=owner_password_only())
    assert read_document(pdf).text.split("\n") == TEXT


def test_look_alikes_read_right_through_the_second_extractor_too(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", [["三、下\u2f00步\u2f2f作计划", FULL_3]], encrypt=owner_password_only())
    assert read_document(pdf).text.split("\n") == ["三、下一步工作计划", FULL_3]


def test_the_second_extractor_is_asked_when_the_first_finds_no_text(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", [LINES])
    unusable = [{"text": "(cid:12)(cid:34)", "x0": 72, "x1": 96, "top": 60, "bottom": 72}]
    monkeypatch.setattr(pdf_extract, "_pdfplumber_lines", lambda data, source, limit: unusable)
    assert read_document(pdf).text.split("\n") == TEXT
    monkeypatch.setattr(pdf_extract, "_pdfium_lines", lambda data, source, limit: None)
    with pytest.raises(ReadError, match="no Unicode mapping; OCR is needed"):
        read_document(pdf)


def test_the_second_extractor_is_asked_when_the_first_finds_only_page_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", [LINES])
    numbers = [{"text": f"- {n} -", "x0": 290, "x1": 305, "top": 800, "bottom": 812} for n in (1, 2)]
    monkeypatch.setattr(pdf_extract, "_pdfplumber_lines", lambda data, source, limit: numbers)
    asked = []
    pdfium_lines = pdf_extract._pdfium_lines
    monkeypatch.setattr(pdf_extract, "_pdfium_lines", lambda *args: asked.append(1) or pdfium_lines(*args))
    assert read_document(pdf).text.split("\n") == TEXT and asked == [1]
    monkeypatch.setattr(pdf_extract, "_pdfium_lines", lambda data, source, limit: numbers)
    with pytest.raises(ReadError, match="no text layer"):
        read_document(pdf)


def test_a_user_password_still_means_password_protected(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", [LINES], encrypt="secret")
    with pytest.raises(ReadError, match="the PDF is password-protected"):
        read_document(pdf)


def test_a_pdf_past_the_text_limit_is_refused(tmp_path: Path) -> None:
    from dataclasses import replace

    from classifier.config import DEFAULTS

    pdf = make_pdf(tmp_path / "r.pdf", [LINES])
    with pytest.raises(ReadError, match=r"more than 10 characters of text; the limit is 10"):
        read_document(pdf, config=replace(DEFAULTS, max_text_chars=10))
