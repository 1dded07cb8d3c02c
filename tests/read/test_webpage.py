"""Saved web pages keep the report's title (their <h1>), which says who wrote it and for which year."""
from __future__ import annotations

import json
from pathlib import Path

from classifier.read.reading import read_document

TITLE = "青川县人民政府2023年法治政府建设年度报告"
BODY = [
    "一、主要举措和成效",
    "（一）深入学习贯彻习近平法治思想。县政府常务会议专题学习习近平法治思想，将其纳入领导干部学法清单。",
    "（二）严格规范公正文明执法。全面推行行政执法三项制度，开展行政执法案卷评查，抽查案卷120卷。",
    "二、存在的不足和原因",
    "行政执法规范化水平有待进一步提升，部分执法人员运用法治思维解决问题的能力不足。",
    "三、下一步工作计划",
    "持续加强行政执法队伍建设，全面推行行政执法三项制度。",
]


def page(head: str, title_markup: str) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>
<div class="header"><h1 class="logo">青川县人民政府</h1><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="article">{title_markup}
<div class="info">发布时间：2024-03-28 来源：县司法局 浏览次数：1024</div>
<div class="content">{paragraphs}</div>
<div class="share">【打印本页】【关闭窗口】</div></div>
<div class="footer"><p>主办单位：青川县人民政府办公室 版权所有</p></div></body></html>"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_h1_title_is_the_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "r.html", page("<title>政务公开</title>", f"<h1>{TITLE}</h1>"))
    assert read_document(path).text.split("\n") == [TITLE, *BODY]  # the site's own <h1> is not the title


def test_without_an_h1_the_report_part_of_the_page_title_is_used(tmp_path: Path) -> None:
    path = write(tmp_path / "r.html", page(f"<title>{TITLE}_青川县人民政府</title>", ""))
    assert read_document(path).text.split("\n") == [TITLE, *BODY]


def test_a_title_already_in_the_text_is_not_repeated(tmp_path: Path) -> None:
    body = f"<p>{TITLE}</p>"
    path = write(tmp_path / "r.html", page("", f"<h1>{TITLE}</h1>").replace('<div class="content">',
                                                                          f'<div class="content">{body}'))
    assert read_document(path).text.split("\n") == [TITLE, *BODY]


def test_summarize_finds_body_level_and_year_in_the_h1(run_cli, trained_model_dir, tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", page("<title>政务公开</title>", f"<h1>{TITLE}</h1>"))
    code, out, err = run_cli("summarize", str(path), "--model", str(trained_model_dir), "--format", "jsonl", "-q")
    assert code == 0, err
    row = json.loads(out.splitlines()[0])
    assert (row["body"], row["level"], row["year"], row["region"]) == ("青川县人民政府", "county", 2023, "青川县")
