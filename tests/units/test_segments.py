"""Cutting reports into units: headings, sentences, enumerations, quotes, debris, offsets."""
from __future__ import annotations

import dataclasses
import inspect

import pytest

from classifier.units.segments import Unit, heading_level, heading_style, section_role, segment


def texts(report: str) -> list[str]:
    return [u.text for u in segment(report)]


def headings(report: str) -> list[str]:
    return [u.text for u in segment(report) if u.is_heading]


@pytest.mark.parametrize("line, style", [
    ("第一部分 主要工作", "part"), ("一、主要工作", "cn"), ("一. 主要工作", "cn"),
    ("（一）强化宣传教育", "paren_cn"), ("(一)强化宣传教育", "paren_cn"), ("一)强化宣传教育", "paren_cn"),
    ("1.精简审批事项", "digit"), ("1、精简审批事项", "digit"), ("（1）精简审批", "paren_digit"),
    ("①精简审批", "circled"), ("一是精简审批事项。", "shi"), ("精简审批事项", ""),
])
def test_heading_styles_are_recognised(line, style):
    assert heading_style(line) == style


def test_heading_levels_rank_outline_depth():
    assert 0 < heading_level("一、总体情况") < heading_level("（一）宣传") < heading_level("1.讲座") < heading_level("（1）场次")
    assert heading_level("总体情况") == 0


@pytest.mark.parametrize("line", ["一、主要工作", "（一）强化宣传教育,提升法治意识", "1. 精简审批事项", "（1）完善制度", "①加强领导", "第一部分 主要做法"])
def test_every_heading_style_is_a_heading_unit(line):
    units = segment(f"标题\n{line}\n全年开展普法活动十场。\n")
    assert [(u.text, u.is_heading) for u in units[1:]] == [(line, True), ("全年开展普法活动十场。", False)]


def test_heading_path_and_nearest_heading():
    units = segment("一、主要做法\n（一）强化宣传\n1.开展讲座。\n讲座共十场。\n（二）规范执法\n开展专项整治。\n二、存在的不足\n力量薄弱。\n")
    by_text = {u.text: u for u in units}
    assert by_text["讲座共十场。"].heading == "1.开展讲座。"
    assert by_text["讲座共十场。"].path == ("一、主要做法", "（一）强化宣传", "1.开展讲座。")
    assert by_text["（二）规范执法"].path == ("一、主要做法",)
    assert by_text["开展专项整治。"].heading == "（二）规范执法"
    assert by_text["力量薄弱。"].path == ("二、存在的不足",)


def test_section_roles_come_from_headings():
    assert section_role("一、2022年法治政府建设主要举措和成效") == "measures"
    assert section_role("二、党政主要负责人履行推进法治建设第一责任人职责情况") == "duty"
    assert section_role("三、存在的不足和原因") == "shortcomings"
    assert section_role("四、2023年工作思路") == "plans"
    assert section_role("三、存在的问题及下一步打算") == "shortcomings"  # the first named
    units = segment("一、主要做法\n开展普法。\n二、下一步工作计划\n（一）加强宣传\n深化普法。\n")
    assert [u.role for u in units] == ["measures", "measures", "plans", "plans", "plans"]


def test_sentences_split_at_final_marks_and_keep_closing_quotes():
    assert texts("前言\n开展活动。效果明显！是否达标？“谁执法谁普法。”落实到位。\n") == [
        "前言", "开展活动。", "效果明显！", "是否达标？", "“谁执法谁普法。”", "落实到位。"]


def test_enumeration_items_split_at_semicolons_only_before_a_marker():
    report = "前言\n重点抓好以下工作：一是严格决策程序；二是规范执法行为；三是加强监督。\n"
    assert texts(report)[1:] == ["重点抓好以下工作：一是严格决策程序；", "二是规范执法行为；", "三是加强监督。"]
    assert texts("前言\n开展培训，提升能力；加强考核，压实责任。\n")[1:] == ["开展培训，提升能力；加强考核，压实责任。"]
    assert texts("前言\n(1)完善制度;(2)加强培训。\n")[1:] == ["(1)完善制度;", "(2)加强培训。"]


@pytest.mark.parametrize("inner", ["《论依法行政。》", "「一网通办。少跑腿」", "“最多跑一次！群众满意”", "（详见附件。）"])
def test_no_split_inside_quotes_or_brackets(inner):
    sentence = f"认真贯彻{inner}工作。"
    assert texts(f"前言\n{sentence}下一句。\n")[1:] == [sentence, "下一句。"]


def test_decimals_and_dates_do_not_end_a_sentence():
    assert texts("前言\n办结率达到98.6%,于4.15开展宣传日活动。\n")[1:] == ["办结率达到98.6%,于4.15开展宣传日活动。"]


def test_ascii_punctuation_pages_segment_like_full_width():
    full = "前言\n（一）强化宣传\n一是开展讲座；二是发放资料。是否有效？\n"
    ascii_ = "前言\n(一)强化宣传\n一是开展讲座;二是发放资料。是否有效?\n"
    assert [(u.start, u.end, u.is_heading) for u in segment(full)] == [(u.start, u.end, u.is_heading) for u in segment(ascii_)]


def test_heading_separated_by_space_or_run_into_paragraph():
    assert [(u.text, u.is_heading) for u in segment("前言\n（一）强化宣传教育 今年以来，开展活动十场。\n")[1:]] == [
        ("（一）强化宣传教育", True), ("今年以来，开展活动十场。", False)]
    assert [(u.text, u.is_heading) for u in segment("前言\n（一）强化宣传教育。今年以来，开展活动十场。\n")[1:]] == [
        ("（一）强化宣传教育。", True), ("今年以来，开展活动十场。", False)]
    assert headings("前言\n一、 主要做法\n开展活动。\n") == ["一、 主要做法"]
    assert headings("前言\n一)强化宣传\n开展活动。\n") == ["一)强化宣传"]


def test_short_lead_is_a_heading_but_a_long_numbered_sentence_is_not():
    units = segment("前言\n一是优化配强执法队伍。通过科室调整，充实执法力量。二是依法决策的意识还有待强化，程序不规范。\n")
    assert [(u.text, u.is_heading) for u in units[1:]] == [
        ("一是优化配强执法队伍。", True), ("通过科室调整，充实执法力量。", False),
        ("二是依法决策的意识还有待强化，程序不规范。", False)]


def test_whole_report_on_one_line():
    one_line = "前言。一、主要做法 开展普法活动十场。二、存在的不足 执法力量薄弱。三、下一步计划 深化普法宣传。"
    assert [u.text for u in segment(one_line) if u.is_heading] == ["一、主要做法", "二、存在的不足", "三、下一步计划"]
    assert [u.role for u in segment(one_line)][-1] == "plans"


def test_lines_broken_mid_sentence_are_joined_with_offsets_kept():
    report = "前言\n全年组织开展法治宣传活动二十余场次，发放宣传资料三千余份，\n营造了浓厚的法治氛围。\n"
    units = segment(report)
    assert len(units) == 2
    assert units[1].text == report[units[1].start:units[1].end]
    assert units[1].text.startswith("全年") and units[1].text.endswith("氛围。")


def test_title_printed_twice_or_split_and_signature_lines_are_units():
    report = ("某县司法局2022年度法治政府建设工作报告\n某县司法局\n2022年度法治政府建设工作报告\n"
              "2022年，我局坚持依法行政。\n一、主要做法\n开展普法。\n某县司法局\n2023年1月10日\n")
    units = segment(report)
    assert [u.text for u in units[:3]] == ["某县司法局2022年度法治政府建设工作报告", "某县司法局", "2022年度法治政府建设工作报告"]
    assert not any(u.is_heading for u in units[:4])
    assert [(u.text, u.is_heading) for u in units[-2:]] == [("某县司法局", False), ("2023年1月10日", False)]


def test_addressee_run_into_the_first_paragraph_is_its_own_unit():
    assert texts("某市人民政府关于2019年度法治政府建设情况的报告\n国务院：2019年，我省坚持依法行政。\n")[1:] == [
        "国务院：", "2019年，我省坚持依法行政。"]


def test_traditional_characters_segment_with_offsets_into_the_original():
    report = "前言\n（一）強化宣傳教育\n開展普法活動十場。下一步，將深化宣傳。\n"
    units = segment(report)
    assert [u.text for u in units[1:]] == ["（一）強化宣傳教育", "開展普法活動十場。", "下一步，將深化宣傳。"]
    assert all(report[u.start:u.end] == u.text for u in units)


def test_last_sentence_without_final_punctuation_is_a_unit():
    assert texts("前言\n开展活动。行政主要负责人出庭应诉率100%")[-1] == "行政主要负责人出庭应诉率100%"


@pytest.mark.parametrize("debris", [
    "首页 > 政务公开 > 法治政府建设", "发布时间：2023-03-10 来源：司法局 浏览次数：236", "【字体：大 中 小】",
    "【打印】【关闭】", "打印本页 关闭窗口", "扫一扫在手机打开当前页", "索引号：11500236/2023-00012",
    "发布机构：某县人民政府", "成文日期：2023-03-10", "相关链接", "日期:2023-03-10",
    "下面是小编为大家整理的法治政府建设报告，供大家参考。", "仅展示部分内容，全文共5000字",
])
def test_web_debris_is_not_a_unit(debris):
    report = f"{debris}\n某镇2022年度法治政府建设工作报告\n一、主要做法\n开展普法活动。\n{debris}\n"
    assert debris not in texts(report)
    assert texts(report) == ["某镇2022年度法治政府建设工作报告", "一、主要做法", "开展普法活动。"]


def test_offsets_index_and_crlf():
    report = "标题\r\n一、主要做法\r\n开展普法活动。加强执法。\r\n"
    units = segment(report)
    assert [u.index for u in units] == list(range(len(units)))
    assert all(report[u.start:u.end] == u.text and "\r" not in u.text for u in units)


def test_empty_and_debris_only_reports_have_no_units():
    assert segment("") == []
    assert segment("\n  \n扫一扫在手机打开当前页\n") == []


def test_unit_is_a_frozen_record_with_every_field_set_by_its_constructor():
    fields = [f.name for f in dataclasses.fields(Unit)]
    params = list(inspect.signature(Unit).parameters.values())
    assert [p.name for p in params] == fields
    assert [p.default for p in params[3:]] == [f.default for f in dataclasses.fields(Unit)[3:]]
    unit = Unit(*[f"v{k}" for k in range(len(fields))])
    assert [getattr(unit, name) for name in fields] == [f"v{k}" for k in range(len(fields))]
    assert unit == Unit(**{name: f"v{k}" for k, name in enumerate(fields)})
    assert dataclasses.replace(unit, text="x").text == "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        unit.text = "x"  # type: ignore[misc]


def test_the_one_match_sentence_end_agrees_with_pairing_the_brackets():
    """Wherever the pattern for simple sentences matches, it ends the sentence where pairing does."""
    import random

    from classifier.units import sentences

    rnd = random.Random(7)
    pieces = list("()《》「」『』“”【】。!?;,’\"'法治") + ["一是", "(二)", "1.", "。”", "!」", "?』", "。)"]
    matched = 0
    for _ in range(3000):
        norm = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14)))
        for pos in range(len(norm)):
            end = rnd.randint(pos, len(norm))
            if sentences._SIMPLE_SENTENCE.match(norm, pos, end):
                matched += 1
            assert sentences._sentence_end(norm, pos, end) == sentences._paired_sentence_end(norm, pos, end), (norm, pos)
    assert matched > 3000  # the pattern is tried on many sentences it can take, not only on trivial ones


def test_a_heading_written_with_look_alike_characters_keeps_its_role_and_its_text():
    heading = "三、下\u2f00步\u2f2f作计划"  # 三、下⼀步⼯作计划: Kangxi radicals for 一 and 工
    assert section_role(heading) == "plans" and heading_style(heading) == "cn"
    report = f"二、存在的不足\n执法力量不足。\n{heading}\n持续加强执法队伍建设。\n"
    units = segment(report)
    assert [(u.text, u.is_heading, u.role) for u in units[2:]] == [
        (heading, True, "plans"), ("持续加强执法队伍建设。", False, "plans")]
    assert all(report[u.start:u.end] == u.text for u in units)  # offsets into the original characters
