"""Web-page debris is told by the shape of a whole line at the page's edges, never by a phrase in a sentence."""
from __future__ import annotations

import json

import pytest

from classifier.read.debris import debris_kind, debris_lines
from classifier.read.normalize import normalize
from classifier.units.segments import dropped_lines, segment

TITLE = "某县2023年度法治政府建设情况报告"
BODY = ["一、主要做法", "开展普法宣传活动二十场。", "二、存在的不足", "执法力量不足。"]
# report text that carries the words page furniture is made of
NOT_DEBRIS = [
    "开展线上普法，微信公众号推送文章120篇，阅读次数超过5万次。",
    "（一）强化技术支持：建设行政执法信息平台",
    "（二）强化技术支持",
    "在政务服务大厅设置扫一扫在手机办理的便民码，群众扫码即可查询办件进度。",
    "政府网站专栏全年浏览次数达12万次，较上年增长三成。",
    "技术支持：由县信息中心负责平台运维，全年无安全事故。",
    "依法保护著作权人的版权所有权益，查处侵权案件3起。",
    "开展“打印本页”式的形式主义清理，精简文件30件。",
]
DEBRIS = [  # (line, kind) as saved pages have them
    ("首页 > 政务公开 > 法治政府建设", "navigation"), ("当前位置：首页 » 信息公开 » 年度报告", "navigation"),
    ("政务公开 > 法定主动公开内容 > 法治政府建设", "navigation"),
    ("浏览次数：1234", "counter"), ("阅读量 5678", "counter"),
    ("【打印本页】 【关闭窗口】", "buttons"), ("【字体：大 中 小】", "buttons"),
    ("分享到：微信 微博 QQ空间 【打印】【关闭】", "buttons"),
    ("发布时间：2024-03-28 09:30　来源：县司法局　浏览次数：", "publication"),
    ("索引号：11500236/2023-00012", "publication"), ("上一篇：关于开展冬季防火工作的通知", "publication"),
    ("扫一扫在手机打开当前页", "scan"), ("主办单位：某县人民政府办公室 版权所有 京ICP备12345678号", "publication"),
    ("Copyright © 2024 某县人民政府 All Rights Reserved", "copyright"), ("相关链接", "link"),
    ("http://www.example.gov.cn/zwgk/", "link"), ("下面是小编为大家整理的法治政府建设报告，供大家参考。", "preface"),
]


def report(*middle: str, top: tuple[str, ...] = (), bottom: tuple[str, ...] = ()) -> str:
    return "\n".join([*top, TITLE, BODY[0], BODY[1], *middle, *BODY[2:], *bottom]) + "\n"


@pytest.mark.parametrize("sentence", NOT_DEBRIS)
def test_report_text_with_furniture_words_is_kept_wherever_it_stands(sentence):
    for text in (report(sentence), report(top=(sentence,)), report(bottom=(sentence,))):
        assert sentence in [u.text for u in segment(text)]
        assert sentence not in [d.text for d in dropped_lines(text)]
    assert debris_kind(normalize(sentence)) == ""


@pytest.mark.parametrize(("line", "kind"), DEBRIS)
def test_furniture_at_the_top_or_bottom_is_dropped_and_named(line, kind):
    assert debris_kind(normalize(line)) == kind
    text = report(top=(line,), bottom=(line,))
    assert [u.text for u in segment(text)] == [TITLE, *BODY]
    dropped = dropped_lines(text)
    assert [(d.text, d.kind) for d in dropped] == [(line, kind), (line, kind)]
    assert all(text[d.start:d.end] == d.text for d in dropped)  # offsets into the original text


def test_a_furniture_shaped_line_between_sentences_is_report_text():
    line = "联系电话：0851-12345678"
    assert debris_kind(normalize(line)) == "publication"
    assert line in [u.text for u in segment(report(line))]
    assert dropped_lines(report(line)) == []


def test_debris_lines_are_judged_by_their_place():
    lines = ["首页 > 政务公开", TITLE, "发布时间：2024-03-28", "一、主要做法", "开展普法。", "浏览次数：12",
             "执法力量不足。", "【打印】【关闭】", "———"]
    assert debris_lines([normalize(line) for line in lines]) == [0, 2, 7, 8]
    assert debris_lines(["【打印】【关闭】", "———"]) == [0, 1]  # no report text at all


def test_segment_show_debris_lists_the_dropped_lines(run_cli, tmp_path):
    text = report(NOT_DEBRIS[0], top=(DEBRIS[0][0], DEBRIS[8][0]), bottom=(DEBRIS[11][0],))
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    code, out, err = run_cli("segment", "--show-debris", str(tmp_path / "page.txt"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [(r["text"], r["debris"]) for r in rows] == [
        (DEBRIS[0][0], "navigation"), (DEBRIS[8][0], "publication"), (DEBRIS[11][0], "scan")]
    assert all(text[r["start"]:r["end"]] == r["text"] and r["file"] == str(tmp_path / "page.txt") for r in rows)
    code, out, _ = run_cli("segment", str(tmp_path / "page.txt"))
    assert NOT_DEBRIS[0] in [json.loads(line)["text"] for line in out.splitlines()]


def test_segment_show_debris_on_a_report_without_debris_is_an_empty_list(run_cli, tmp_path):
    (tmp_path / "clean.txt").write_text(report(), encoding="utf-8")
    assert run_cli("segment", "--show-debris", str(tmp_path / "clean.txt")) == (0, "", "")
    code, out, err = run_cli("segment", "--show-debris", str(tmp_path / "clean.txt"), str(tmp_path / "absent.txt"))
    assert (code, out, err) == (1, "", f"error: {tmp_path / 'absent.txt'}: no such file\n")
