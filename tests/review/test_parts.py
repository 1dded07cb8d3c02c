"""Required parts decided from headings and labelled units, on small reports in many layouts.

The reports are segmented for real; their units are labelled by a keyword stand-in for the model,
so that what is tested is the rules of classifier.review.parts, not a model's guesses.
"""
from __future__ import annotations

import re

import pytest

from classifier import load_model
from classifier.errors import UsageError
from classifier.review.parts import carries, countable, part_units, required_parts
from classifier.review.summary import summarize_report, thin_signs
from classifier.run.predict import Prediction
from classifier.units.segments import segment

_CUES = (("plan", r"下一步|将|明年|计划"), ("shortcoming", r"有待|不足|不够|薄弱|单一|欠缺|不强|差距|问题"),
         ("publicity", r"普法|宣传|学法|学习"), ("enforcement", r"执法|查处|案卷"),
         ("business_environment", r"营商|一网通办|企业|审批"))
TITLE = "青石县白沙镇人民政府2022年度法治政府建设情况报告"
MEASURES = ["开展民法典宣传二十场，发放普法资料一千余份。", "查处违法案件十二起，评查执法案卷三十卷。",
            "推进一网通办，企业开办压缩至一个工作日。"]
SHORTCOMINGS = ["部分执法人员的法律素养有待提高。", "普法宣传形式较为单一，针对性不强。"]
PLANS = ["下一步，将深入开展民法典宣传。", "明年将组织执法人员轮训两期。"]


def stub_label(text: str) -> str:
    """The first label whose cue words the text has; 'other' when none."""
    return next((label for label, cues in _CUES if re.search(cues, text)), "other")


def labelled(text: str) -> list[Prediction]:
    return [Prediction(u.text, u.start, u.end, u.index, u.heading, stub_label(u.text), 0.9, {}, u.is_heading,
                       u.role, u.path)
            for u in segment(text)]


def parts_of(*lines: str) -> dict[str, dict]:
    return required_parts(labelled("\n".join([TITLE, *lines]) + "\n"))


def present(parts: dict[str, dict]) -> set[str]:
    return {part for part, found in parts.items() if found["present"]}


def test_four_numbered_sections_give_every_part_with_its_heading():
    parts = parts_of("一、主要举措和成效", *MEASURES, "二、党政主要负责人履行推进法治建设第一责任人职责情况",
                     "镇党委书记带头学法，专题研究法治建设工作四次。", "三、存在的不足和原因", *SHORTCOMINGS,
                     "四、2023年工作计划", *PLANS)
    assert present(parts) == {"measures", "duty", "shortcomings", "plans"}
    assert parts["duty"]["heading"].startswith("二、") and parts["plans"]["heading"] == "四、2023年工作计划"
    assert (parts["measures"]["units"], parts["shortcomings"]["units"], parts["plans"]["units"]) == (3, 2, 2)


def test_shortcomings_written_as_numbered_full_clauses_are_counted():
    lines = ["一、主要举措和成效", *MEASURES, "二、存在的问题", "（一）普法宣传形式较为单一，针对性不强。",
             "（二）基层法治工作力量薄弱，专业人才欠缺。", "（三）执法装备保障不足，信息化水平不高。"]
    preds = labelled("\n".join([TITLE, *lines]) + "\n")
    assert sum(p.is_heading for p in preds) == 5  # the segmenter takes the items for headings …
    assert required_parts(preds)["shortcomings"] == {"present": True, "units": 3, "heading": "二、存在的问题"}
    assert "few shortcomings" not in thin_signs(preds)["signs"]  # … and they still count


def test_numbered_clause_items_make_a_part_under_a_heading_that_does_not_name_it():
    parts = parts_of("一、主要举措和成效", *MEASURES, "二、几点思考", "（一）普法宣传形式较为单一，针对性不强。",
                     "（二）基层法治工作力量薄弱，专业人才欠缺。")
    assert parts["shortcomings"] == {"present": True, "units": 2, "heading": ""}


def test_a_full_clause_item_does_not_name_a_part():
    parts = parts_of("一、主要举措和成效", *MEASURES[:2], "（一）存在的问题整改及时，成效明显。")
    assert parts["shortcomings"]["heading"] == "" and parts["shortcomings"]["present"] is False


def test_one_sentence_on_the_head_studying_law_is_not_the_duty_part():
    parts = parts_of("一、主要举措和成效", "镇党委书记带头学法，全年讲法治课两次。", *MEASURES,
                     "二、存在的不足", *SHORTCOMINGS, "三、下一步工作计划", *PLANS)
    assert parts["duty"] == {"present": False, "units": 1, "heading": ""}
    assert present(parts) == {"measures", "shortcomings", "plans"}


def test_a_numbered_lead_on_the_head_does_not_name_the_duty():
    parts = parts_of("一、主要举措和成效", "一是主要负责人带头学法。", *MEASURES)
    assert parts["duty"]["heading"] == "" and parts["duty"]["present"] is False


def test_duty_folded_into_the_measures_under_a_sub_heading_of_its_own():
    heading = "（一）压实党政主要负责人推进法治建设第一责任人职责"
    parts = parts_of("一、主要举措和成效", heading, "镇党委书记带头学法。", "镇党委专题研究法治建设工作四次。",
                     "（二）加强执法监督", *MEASURES)
    assert parts["duty"] == {"present": True, "units": 2, "heading": heading}  # the second by its heading alone
    assert parts["measures"]["present"] is True


def test_duty_folded_into_the_measures_in_two_sentences_without_a_heading():
    parts = parts_of("一、主要举措和成效", *MEASURES, "镇党委书记带头学法，专题研究法治建设四次。",
                     "镇长亲自审定重大行政决策事项目录。")
    assert parts["duty"] == {"present": True, "units": 2, "heading": ""}


def test_one_sentence_reporting_the_duty_in_the_regulations_words_is_the_duty_part():
    parts = parts_of("一、主要举措和成效", *MEASURES, "镇党委书记、镇长认真履行推进法治建设第一责任人职责，全年专题研究四次。")
    assert parts["duty"] == {"present": True, "units": 1, "heading": ""}


def test_duty_cue_words_in_traditional_characters_or_full_width_forms_count():
    parts = parts_of("一、主要举措和成效", *MEASURES, "鎮黨委書記、鎮長認真履行推進法治建設第一責任人職責。",
                     "镇长亲自审定重大行政决策事项目录。")
    assert parts["duty"] == {"present": True, "units": 2, "heading": ""}


def test_the_parts_found_together_are_each_unit_judged_alone():
    preds = labelled("\n".join([TITLE, "一、主要举措和成效", *MEASURES, "镇党委書記带头学法。", "二、存在的不足",
                                 *SHORTCOMINGS, "三、下一步打算", *PLANS]))
    for part in ("measures", "duty", "shortcomings", "plans"):
        # each unit's own text normalised, against the whole report's normalised at once
        assert part_units(tuple(preds), part) == [p for p in countable(preds) if carries(p, part)], part


def test_a_measures_heading_about_enforcement_duties_does_not_name_the_duty():
    parts = parts_of("一、主要举措和成效", "（一）严格履行行政执法职责", *MEASURES)
    assert parts["duty"]["present"] is False and parts["measures"]["present"] is True


def test_headings_run_into_their_paragraph():
    parts = parts_of("一、主要举措和成效。" + "".join(MEASURES), "二、存在的不足。" + "".join(SHORTCOMINGS),
                     "三、下一步工作打算。" + "".join(PLANS))
    assert present(parts) == {"measures", "shortcomings", "plans"}
    assert parts["shortcomings"]["heading"] == "二、存在的不足。" and parts["plans"]["units"] == 2


def test_parts_numbered_di_yi_bufen_with_merged_problems_and_plans():
    merged = "第二部分 存在的问题及下一步打算"
    parts = parts_of("第一部分 主要做法", *MEASURES, merged, *SHORTCOMINGS, *PLANS)
    assert parts["shortcomings"] == {"present": True, "units": 2, "heading": merged}
    assert parts["plans"] == {"present": True, "units": 2, "heading": merged}
    assert parts["measures"]["heading"] == "第一部分 主要做法"


def test_merged_problems_and_plans_under_a_numbered_heading():
    merged = "二、存在的困难和下一步打算"
    parts = parts_of("一、工作开展情况", *MEASURES, merged, SHORTCOMINGS[0], PLANS[0])
    assert parts["shortcomings"]["heading"] == merged and parts["plans"]["heading"] == merged
    assert (parts["shortcomings"]["units"], parts["plans"]["units"]) == (1, 1)


def test_a_report_without_headings_is_judged_by_its_units():
    preds = labelled("\n".join([TITLE, *MEASURES, *SHORTCOMINGS, "镇党委书记带头学法。", *PLANS]) + "\n")
    assert not any(p.is_heading for p in preds)
    parts = required_parts(preds)
    assert present(parts) == {"measures", "shortcomings", "plans"}
    assert all(found["heading"] == "" for found in parts.values())
    assert parts["duty"]["units"] == 1


def test_the_opening_above_the_first_heading_carries_no_part():
    opening = ["2022年，镇党委书记带头学法，主要负责人切实履行第一责任人职责。", "镇长亲自审定决策目录。"]
    parts = parts_of(*opening, "一、主要举措和成效", *MEASURES)
    assert parts["duty"] == {"present": False, "units": 0, "heading": ""}
    assert parts_of("一、主要举措和成效", *MEASURES, *opening)["duty"]["present"] is True  # the same, in the body


def test_plans_written_as_numbered_clause_items_count():
    parts = parts_of("一、主要举措和成效", *MEASURES, "二、下一步工作计划", "（一）持续深化普法宣传，培育法律明白人。",
                     "（二）着力规范行政执法，提升执法质量。")
    assert parts["plans"]["units"] == 2


def test_slogan_sub_headings_of_the_measures_are_items_of_the_measures():
    preds = labelled("\n".join([TITLE, "一、主要举措和成效", "（一）深化普法宣传，营造法治氛围",
                                "（二）规范执法行为，提升执法质量", "（三）优化营商环境，服务企业发展"]) + "\n")
    assert [p.text[:3] for p in part_units(preds, "measures")] == ["（一）", "（二）", "（三）"]


def test_an_unknown_part_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown part"):
        carries(labelled(TITLE)[0], "budget")


def test_the_summary_row_counts_clause_style_shortcomings(trained_model_dir):
    model = load_model(trained_model_dir)
    text = "\n".join([TITLE, "一、主要举措和成效", *MEASURES, "二、存在的问题", "（一）普法宣传形式较为单一，针对性不强。",
                      "（二）基层法治工作力量薄弱，专业人才欠缺。", "三、下一步工作计划", *PLANS]) + "\n"
    row = summarize_report(model, text)
    assert row["shortcomings_present"] is True and row["shortcomings_units"] == 2
    assert "few shortcomings (0)" not in row["signs"]
