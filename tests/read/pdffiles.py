"""PDF files with a text layer, written with reportlab for the tests that read them."""
from __future__ import annotations

from pathlib import Path

# Lines that run to the right margin of the page (a paragraph that goes on in the next line)
FULL_1 = "本年度我区坚持以习近平法治思想为指导，深入推进依法行政，全面建设法治政府，各项工"
FULL_2 = "严格落实重大行政决策程序规定，全年开展合法性审查，备案审查规范性文件，清理地方性"
FULL_3 = "行政执法规范化水平仍有待进一步提升，部分执法人员运用法治思维解决问题的能力不足。"


def make_pdf(path: Path, pages: list[list[str]], **canvas_options: object) -> Path:
    """An A4 PDF at ``path``, one page per list of lines (12-point STSong-Light, 20 points apart)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4, **canvas_options)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for number, line in enumerate(lines):
            pdf.drawString(72, 780 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    return path
