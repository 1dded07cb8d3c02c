"""Report summaries: shares, corrected shares, required parts, thin-report signs, metadata, the CLI."""
from __future__ import annotations

import copy
import csv
import io
import json
import sys

import numpy as np
import pytest

from classifier import load_model
from classifier.review.boilerplate import has_detail
from classifier.errors import UsageError
from classifier.run.predict import Model, Prediction
from classifier.review.quantify import adjust, adjusted_shares
from classifier.units.report_meta import body_level, parse_report_meta
from classifier import summarize
from classifier.review.summary import label_shares, required_parts, summarize_report

TITLE = "青石县白沙镇人民政府2022年度法治政府建设情况报告"
MEASURES = ["一、2022年法治政府建设主要举措和成效",
            "组织机关干部集中学习民法典，开展专题讲座三场。",
            "开展农资市场专项整治，查处违法案件十二起。",
            "推进政务服务一网通办，企业开办压缩至一个工作日。",
            "聘请法律顾问参与重大行政决策合法性审查。"]
DUTY = ["二、党政主要负责人履行推进法治建设第一责任人职责情况",
        "镇党委书记、镇长带头学法，专题研究法治建设工作四次。"]
SHORTCOMINGS = ["三、存在的不足和原因",
                "部分执法人员的法律素养有待提高。",
                "普法宣传形式较为单一，针对性不强。",
                "基层法治工作力量薄弱，专业人才欠缺。"]
PLANS = ["四、2023年工作计划",
         "下一步，将深入开展民法典宣传。",
         "进一步规范行政执法行为，提升执法质量。",
         "着力加强法治队伍建设，充实基层力量。"]
SHARED = "坚持把法治政府建设作为一项全局性工作来抓并纳入年度目标考核。"


def report(*sections: list[str], title: str = TITLE) -> str:
    return "\n".join([title, *[line for section in sections for line in section]]) + "\n"


@pytest.fixture(scope="module")
def model(trained_model_dir):
    return load_model(trained_model_dir)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def P(text, label, index=0, heading=False, role="", confidence=0.9):  # noqa: N802
    return Prediction(text, 0, len(text), index, "", label, confidence, {label: confidence}, heading, role)


# --- shares -------------------------------------------------------------------------------------

def test_label_shares_count_units_and_characters():
    shares = label_shares([P("开展普法宣传。", "publicity"), P("执法 检查。", "enforcement"), P("将继续。", "plan"),
                           P("再开展普法。", "publicity")])
    assert shares["publicity"] == {"units": 2, "unit_share": 0.5, "chars": 13, "char_share": 13 / 22}
    assert shares["enforcement"]["chars"] == 5  # the space is not a character of the report
    assert shares["shortcoming"] == {"units": 0, "unit_share": 0.0, "chars": 0, "char_share": 0.0}


def test_corrected_shares_equal_raw_shares_when_the_confusion_matrix_is_the_identity(model):
    card = copy.deepcopy(model.card)
    labels = card["metrics"]["cv.labels"]
    card["metrics"]["cv.confusion_matrix"] = (np.eye(len(labels), dtype=int) * 40).tolist()
    row = summarize_report(Model(model.pipeline, card), report(MEASURES, DUTY, SHORTCOMINGS, PLANS))
    for label in labels:
        assert row[f"{label}_adjusted"] == pytest.approx(row[f"{label}_unit_share"], abs=1e-4)
        assert row[f"{label}_adjusted_low"] <= row[f"{label}_adjusted"] <= row[f"{label}_adjusted_high"]


def test_correction_undoes_a_known_confusion():
    # 30% of true shortcomings are predicted as plans: 0.2 true shortcomings show as 0.14 + 0.06 plans.
    confusion = np.array([[70, 30, 0], [0, 100, 0], [0, 0, 100]])
    assert adjust(np.array([0.14, 0.36, 0.5]), confusion).round(4).tolist() == [0.2, 0.3, 0.5]
    # observed shares no true mix can produce stay on the simplex
    clipped = adjust(np.array([0.5, 0.0, 0.5]), confusion)
    assert clipped.min() >= 0 and clipped.sum() == pytest.approx(1)


def test_bootstrap_interval_is_reproducible_and_narrows_with_more_units():
    confusion = np.array([[80, 20], [10, 90]])
    small = adjusted_shares([10, 10], confusion, samples=300)
    assert small == adjusted_shares([10, 10], confusion, samples=300)
    large = adjusted_shares([200, 200], confusion, samples=300)
    assert large[0].high - large[0].low < small[0].high - small[0].low
    assert small[0].low <= small[0].share <= small[0].high


def test_the_confusion_draws_shared_by_reports_are_drawn_once_and_cannot_be_changed():
    from classifier.review.quantify import _bootstrap_rates

    confusion = np.array([[80, 15, 5], [10, 85, 5], [0, 20, 80]])
    _bootstrap_rates.cache_clear()
    first = adjusted_shares([12, 0, 30], confusion, samples=400)  # a label absent: the constrained solver
    assert _bootstrap_rates.cache_info().misses == 2  # the point estimate's matrix and the bootstrap's draws
    again = adjusted_shares([12, 0, 30], confusion, samples=400)
    assert again == first and _bootstrap_rates.cache_info().hits == 2
    other = adjusted_shares([12, 0, 30], confusion * 2, samples=400)  # another model's matrix: its own draws
    assert other != first
    for shared in _bootstrap_rates(confusion.astype(float).tobytes(), confusion.shape, 400, 0, True):
        assert not shared.flags.writeable
    assert first[1].share == 0.0 and first[1].low == 0.0 and sum(a.share for a in first) == pytest.approx(1, abs=1e-3)


def test_no_confusion_matrix_in_the_card_leaves_corrected_shares_empty(model):
    card = copy.deepcopy(model.card)
    del card["metrics"]["cv.confusion_matrix"]
    row = summarize_report(Model(model.pipeline, card), report(MEASURES, SHORTCOMINGS))
    assert row["plan_adjusted"] is None and row["plan_unit_share"] is not None


# --- required parts -----------------------------------------------------------------------------

def test_a_complete_report_has_every_part_with_its_heading(model):
    row = summarize_report(model, report(MEASURES, DUTY, SHORTCOMINGS, PLANS))
    assert row["missing"] == ""
    assert row["shortcomings_heading"] == SHORTCOMINGS[0] and row["plans_heading"] == PLANS[0]
    assert row["duty_heading"] == DUTY[0] and row["measures_heading"] == MEASURES[0]
    assert row["shortcomings_units"] == 3 and row["plans_units"] == 3


def test_a_report_without_a_shortcomings_section_is_flagged_missing(model):
    row = summarize_report(model, report(MEASURES, DUTY, PLANS))
    assert row["shortcomings_present"] is False
    assert row["missing"] == "shortcomings"
    assert "few shortcomings (0)" in row["signs"] and row["thin"] is True


def test_parts_are_found_from_labels_when_no_heading_names_them():
    preds = [P("部分执法人员的法律素养有待提高。", "shortcoming"), P("普法形式单一。", "shortcoming"),
             P("镇长作为第一责任人带头学法。", "other"), P("将深入开展民法典宣传。", "plan")]
    parts = required_parts(preds)
    assert parts["shortcomings"] == {"present": True, "units": 2, "heading": ""}
    assert parts["duty"] == {"present": True, "units": 1, "heading": ""}
    assert parts["plans"] == {"present": False, "units": 1, "heading": ""}  # one stray plan is not a section
    assert parts["measures"]["present"] is False


# --- signs of a thin report ---------------------------------------------------------------------

def test_concrete_detail_is_a_figure_a_named_body_a_law_or_a_case():
    assert not has_detail("三是普法宣传形式较为单一，针对性不强。")  # 三是 is a marker, not a figure
    assert has_detail("执法中队只有正式执法人员6名。")
    assert has_detail("全镇仅有两名执法人员持证。")
    assert has_detail("《行政处罚法》的学习不够深入。")
    assert has_detail("个别案件的调查取证不规范。")


def test_shortcomings_without_detail_are_flagged_and_detailed_ones_are_not(model):
    vague = summarize_report(model, report(MEASURES, DUTY, SHORTCOMINGS, PLANS))
    assert vague["vague_shortcomings"] == 3 and "shortcomings without detail" in vague["signs"]
    detailed = SHORTCOMINGS[:2] + ["基层法治工作力量薄弱，镇司法所只有1名工作人员。", "执法装备保障不足，执法记录仪仅有3台。"]
    row = summarize_report(model, report(MEASURES, DUTY, detailed, PLANS))
    assert row["vague_shortcomings"] == 1 and "without detail" not in row["signs"]


def test_a_plan_copied_from_a_shortcoming_is_found(model):
    shortcomings = SHORTCOMINGS + ["执法队伍的法律知识水平和依法行政能力有待提高。"]
    plans = PLANS + ["进一步提高执法队伍的法律知识水平和依法行政能力。"]
    row = summarize_report(model, report(MEASURES, DUTY, shortcomings, plans))
    assert row["copied_plans"] == 1 and "plans copied from shortcomings (1)" in row["signs"]
    assert summarize_report(model, report(MEASURES, DUTY, SHORTCOMINGS, PLANS))["copied_plans"] == 0


def test_a_boilerplate_sentence_shared_by_two_reports_is_found(model, tmp_path):
    a = write(tmp_path, "a.txt", report(MEASURES + [SHARED], DUTY, SHORTCOMINGS, PLANS))
    b = write(tmp_path, "b.txt", report(["一、主要做法", "开展宪法宣传周活动，悬挂宣传横幅十二条。", SHARED.replace("来抓", "抓好")],
                                        ["二、存在的不足", "依法决策意识还不够强，程序执行不到位。", "法治宣传的覆盖面不够广。"],
                                        title="红岩街道办事处2022年度法治政府建设工作报告"))
    c = write(tmp_path, "c.txt", report(["一、主要做法", "推行信用修复，帮助企业恢复招投标资格。"],
                                        ["二、下一步工作计划", "计划组织执法人员轮训两期。", "明年将完善重大行政决策程序。"]))
    from classifier.review.summary_batch import summarize_files

    batch = summarize_files([str(a), str(b), str(c)], model=model)
    counts = {r["file"]: r["boilerplate_units"] for r in batch.rows}
    assert counts == {str(a): 1, str(b): 1, str(c): 0}  # headings and short units are not compared
    assert [(c["text"], c["reports"]) for c in batch.boilerplate] == [(SHARED, 2)]
    assert summarize_report(model, a)["boilerplate_units"] is None  # alone, there is nothing to compare with


# --- metadata -----------------------------------------------------------------------------------

@pytest.mark.parametrize("title, body, level", [
    ("奉节县永乐镇人民政府 2022年度法治政府建设工作报告", "奉节县永乐镇人民政府", "township"),
    ("嘉岷区澍园街道办事处2016年度法治政府建设工作报告", "嘉岷区澍园街道办事处", "street"),
    ("桦岭县人民政府关于2016年度法治政府建设工作情况的报告", "桦岭县人民政府", "county"),
    ("汀湄市澄浦区人民政府关于2023年度法治政府建设情况的报告", "汀湄市澄浦区人民政府", "district"),
    ("嘉泺市人民政府\n关于2016年度法治政府建设情况的报告", "嘉泺市人民政府", "city"),
    ("云岚省人民政府关于2019年度法治政府建设情况的报告", "云岚省人民政府", "province"),
    ("燕川省司法厅关于2024年度法治政府建设情况的报告", "燕川省司法厅", "department"),
    ("朔川縣人民政府關於2020年度法治政府建設工作情況的報告", "朔川縣人民政府", "county"),
])
def test_body_level_and_year_come_from_the_title(title, body, level):
    meta = parse_report_meta(title + "\n2016年，我们认真落实上级部署。\n")
    assert (meta.body, meta.level, meta.year) == (body, level, int(title.split("年")[0][-4:]))


def test_metadata_skips_web_debris_and_falls_back_to_the_file_name(tmp_path):
    page = "首页 > 政务公开 > 法治政府建设\n发布时间：2019-01-22 09:15　来源：柘岗镇人民政府\n【字体：大 中 小】\n" \
           "柘岗镇法治政府建设工作报告\n一、主要做法\n"
    meta = parse_report_meta(page, tmp_path / "2018-zhegang.txt")
    assert (meta.body, meta.level, meta.year) == ("柘岗镇人民政府", "township", 2018)
    assert body_level("国家税务总局溪桐县税务局") == "department"


def test_region_comes_from_a_reports_csv_beside_the_file(tmp_path):
    (tmp_path / "reports").mkdir()
    path = write(tmp_path / "reports", "r01.txt", report(MEASURES))
    (tmp_path / "reports.csv").write_text("id,body,level,region,year\nr01,x,township,north,2022\n", encoding="utf-8")
    assert parse_report_meta(path.read_text(encoding="utf-8"), path).region == "north"
    assert parse_report_meta(report(MEASURES)).region == "青石县"  # else the place the body's name starts with


# --- batches, grouping, the Python API ----------------------------------------------------------

def test_summarize_groups_by_level_and_gives_a_dataframe(model, tmp_path):
    town = write(tmp_path, "town.txt", report(MEASURES, DUTY, SHORTCOMINGS, PLANS))
    street = write(tmp_path, "street.txt", report(MEASURES, PLANS, title="红岩街道办事处2021年度法治政府建设工作报告"))
    rows = summarize([tmp_path], model, by="level", as_frame=False)
    assert [(r["level"], r["reports"], r["shortcomings_present_share"]) for r in rows] == [
        ("street", 1, 0.0), ("township", 1, 1.0)]
    frame = summarize([town, street], model)
    assert list(frame["year"]) == [2022, 2021] and "publicity_adjusted_high" in frame.columns
    assert isinstance(summarize([town], model, as_frame=False), list)
    with pytest.raises(UsageError, match=r"--by: unknown grouping 'body'; expected one of level, year, region"):
        summarize([town], model, by="body")


def test_summarize_in_the_python_api_raises_on_a_bad_file(model, tmp_path):
    from classifier.errors import ReadError

    with pytest.raises(ReadError, match="no such file"):
        summarize([tmp_path / "missing.txt"], model)


# --- the CLI ------------------------------------------------------------------------------------

@pytest.fixture
def batch_dir(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    write(folder, "town.txt", report(MEASURES, DUTY, SHORTCOMINGS, PLANS))
    write(folder, "street.txt", report(MEASURES, PLANS, title="红岩街道办事处2021年度法治政府建设工作报告"))
    write(folder, "notes.jsonl", "{}\n")  # not a report suffix: left out of the directory
    return folder


def test_cli_summarize_table_and_jsonl(run_cli, trained_model_dir, batch_dir):
    code, out, err = run_cli("summarize", str(batch_dir), "--model", str(trained_model_dir), "-q")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["file", "year", "units"]
    street = next(line for line in lines if line.startswith("street.txt"))
    assert "MD-P" not in street and "M--P" in street and "few shortcomings (0)" in street
    code, out, _ = run_cli("summarize", str(batch_dir), "--model", str(trained_model_dir), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["file"].rsplit("/", 1)[-1] for r in rows] == ["street.txt", "town.txt"]


def test_cli_summarize_csv_is_excel_friendly(run_cli, trained_model_dir, batch_dir, tmp_path):
    out_path = tmp_path / "summary.csv"
    code, _, err = run_cli("summarize", str(batch_dir), "--model", str(trained_model_dir), "-o", str(out_path))
    assert code == 0, err
    raw = out_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["level"] for r in rows] == ["street", "township"]
    assert rows[0]["shortcomings_present"] == "False" and rows[0]["missing"] == "duty; shortcomings"
    assert rows[0]["boilerplate_units"] == "7"  # every sentence of the street report is also in the town's


def test_cli_summarize_by_level(run_cli, trained_model_dir, batch_dir):
    code, out, _ = run_cli("summarize", str(batch_dir), "--model", str(trained_model_dir), "--by", "level",
                           "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["level"], r["reports"]) for r in rows] == [("street", 1), ("township", 1)]
    assert rows[0]["thin_reports"] == 1 and rows[0]["duty_present_share"] == 0.0


def test_cli_summarize_xlsx_has_one_sheet_per_view(run_cli, trained_model_dir, batch_dir, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out_path = tmp_path / "summary.xlsx"
    code, _, err = run_cli("summarize", str(batch_dir), "--model", str(trained_model_dir), "-o", str(out_path), "-q")
    assert code == 0, err
    book = openpyxl.load_workbook(out_path)
    assert book.sheetnames == ["reports", "by level", "by year", "by region", "boilerplate", "copied plans"]
    header = [c.value for c in book["reports"][1]]
    levels = [row[header.index("level")] for row in book["reports"].iter_rows(min_row=2, values_only=True)]
    assert levels == ["street", "township"]
    assert [r[0] for r in book["by year"].iter_rows(min_row=2, values_only=True)] == [2021, 2022]


def test_cli_xlsx_without_openpyxl_names_the_install(run_cli, trained_model_dir, batch_dir, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = run_cli("summarize", str(batch_dir), "--model", str(trained_model_dir),
                           "-o", str(tmp_path / "s.xlsx"), "-q")
    assert code == 1 and "pip install 'classifier[xlsx]'" in err and "Traceback" not in err
    assert not (tmp_path / "s.xlsx").exists()


def test_cli_a_bad_file_in_the_batch_is_reported_and_the_others_summarised(run_cli, trained_model_dir, batch_dir,
                                                                             tmp_path):
    empty = write(tmp_path, "empty.txt", "")
    code, out, err = run_cli("summarize", str(empty), str(batch_dir / "town.txt"), str(tmp_path / "none"),
                             "--model", str(trained_model_dir), "--format", "jsonl", "-q")
    assert code == 1
    assert [json.loads(line)["level"] for line in out.splitlines()] == ["township"]
    errors = err.strip().splitlines()
    assert len(errors) == 2 and errors[0].startswith(f"error: {empty}: ") and f"error: {tmp_path / 'none'}: " in errors[1]


def test_cli_xlsx_needs_a_file_and_says_so_before_any_work(run_cli, tmp_path):
    code, out, err = run_cli("summarize", str(tmp_path / "not-even-read.txt"), "--format", "xlsx")
    assert code == 2 and out == ""
    assert err == "error: --format xlsx: writes a workbook file, not standard output; give --output FILE.xlsx\n"


def test_near_duplicate_pairs_are_every_pair_that_similarity_finds_close():
    import random

    from classifier.units.similarity import near_duplicate_pairs, similarity

    rnd = random.Random(3)
    stems = ["深入开展民法典宣传", "加强执法队伍建设", "优化营商环境", "推进依法行政"]
    texts = [rnd.choice(stems) + "".join(rnd.choice("工作活动质效水平") for _ in range(rnd.randint(0, 3)))
             for _ in range(120)]
    groups = [rnd.choice("abc") for _ in texts]
    expected = sorted((i, j, round(similarity(texts[i], texts[j]), 3)) for i in range(len(texts))
                      for j in range(i + 1, len(texts))
                      if groups[i] != groups[j] and similarity(texts[i], texts[j]) >= 0.8)
    assert expected and near_duplicate_pairs(texts, groups) == expected


def test_bootstrap_rates_of_a_stack_are_each_matrix_s_rates():
    from classifier.review.quantify import _rates

    stack = np.random.default_rng(0).integers(0, 5, (50, 4, 4)).astype(float)
    stack[3, 2] = 0  # a label never seen as true
    assert np.array_equal(_rates(stack), np.stack([_rates(m) for m in stack]))
