"""The labelled-corpus format: loader, checker, near-duplicates, stats, import and export."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from classifier.corpus.corpus import Problem, check_corpus, corpus_warnings, load_corpus
from classifier.corpus.datacard import corpus_stats, near_duplicates, stats_markdown
from classifier.errors import DataError, UsageError
from classifier.corpus.interchange import export_labels, guess_format, import_labels, read_labelled_table


# (label, is_heading, heading, text) in reading order
LANXI = [
    ("other", False, "", "澜溪镇人民政府2021年度法治政府建设工作报告"),
    ("other", False, "", "现将有关情况报告如下："),
    ("other", True, "", "一、主要工作"),
    ("publicity", True, "一、主要工作", "（一）加强法治宣传教育"),
    ("publicity", False, "（一）加强法治宣传教育", "全年开展普法宣传活动二十余场，发放宣传资料三千余份，组织机关干部参加网上学法考试，参考率达到百分之百。"),
    ("enforcement", True, "一、主要工作", "（二）规范行政执法"),
    ("enforcement", False, "（二）规范行政执法", "严格落实行政执法公示制度和执法全过程记录制度。"),
    ("business_environment", False, "（二）规范行政执法", "推行涉企检查备案，减少对市场主体的打扰。"),
    ("shortcoming", True, "", "二、存在的不足"),
    ("shortcoming", False, "二、存在的不足", "部分执法人员的法律知识水平和依法行政能力有待提高。"),
    ("plan", True, "", "三、下一步工作计划"),
    ("plan", False, "三、下一步工作计划", "持续深化综合行政执法改革，提升执法规范化水平。"),
]
HEXI = [
    ("other", False, "", "禾西县2022年度法治政府建设情况报告"),
    ("other", False, "", "现将有关情况报告如下："),
    ("other", True, "", "一、工作举措"),
    ("publicity", False, "一、工作举措", "组织领导干部旁听庭审两次，举办会前学法八次。"),
    ("business_environment", False, "一、工作举措", "政务服务大厅实现一窗受理，企业开办压缩至一个工作日。"),
    ("enforcement", False, "一、工作举措", "开展道路运输领域专项整治，查处违法案件四十起。"),
    ("shortcoming", True, "", "二、存在的问题"),
    ("shortcoming", False, "二、存在的问题", "普法宣传形式较为单一，针对性不强。"),
    ("plan", True, "", "三、2023年工作打算"),
    ("plan", False, "三、2023年工作打算", "深入开展民法典宣传，推动法律明白人培养工程。"),
    ("business_environment", False, "三、2023年工作打算", "持续优化营商环境，推进涉企事项一网通办。"),
    ("publicity", False, "三、2023年工作打算", "扎实办好宪法宣传周系列活动，营造尊法学法氛围。"),
]
META_HEADER = "id,body,level,department_level,region,year,provenance,encoding,notes\n"
META_ROWS = {
    "2021-lanxi-town": "2021-lanxi-town,澜溪镇人民政府,township,,west,2021,written,utf-8,\n",
    "2022-hexi-county": "2022-hexi-county,禾西县人民政府,county,,east,2022,written,utf-8,\n",
}
LABELS = "publicity\nenforcement\nbusiness_environment\nshortcoming\nplan\nother\n"


def records_for(rid: str, units: list[tuple[str, bool, str, str]]) -> tuple[str, list[dict]]:
    """Raw text (one unit per line, with a debris line) and the matching JSONL records."""
    raw, records = "扫一扫在手机打开当前页\n", []
    for label, is_heading, heading, text in units:
        records.append({"text": text, "start": len(raw), "end": len(raw) + len(text), "heading": heading,
                        "is_heading": is_heading, "label": label, "report": rid})
        raw += text + "\n"
    return raw, records


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "labelled").mkdir()
    for rid, units in (("2021-lanxi-town", LANXI), ("2022-hexi-county", HEXI)):
        raw, records = records_for(rid, units)
        (data / "reports" / f"{rid}.txt").write_text(raw, encoding="utf-8")
        write_jsonl(data / "labelled" / f"{rid}.jsonl", records)
    (data / "reports.csv").write_text(META_HEADER + "".join(META_ROWS.values()), encoding="utf-8")
    (data / "labels.txt").write_text(LABELS, encoding="utf-8")
    (data / "stock-phrases.txt").write_text("现将有关情况报告如下：\n", encoding="utf-8")
    return data


def edit(data: Path, rid: str, change) -> None:
    """Apply ``change`` to the list of JSONL records of one report."""
    path = data / "labelled" / f"{rid}.jsonl"
    records = read_jsonl(path)
    change(records)
    write_jsonl(path, records)


def problem_texts(data: Path) -> list[str]:
    return [str(p) for p in check_corpus(data)]


def assert_problem(data: Path, where: str, fragment: str) -> None:
    found = problem_texts(data)
    assert any(p.startswith(f"{data}/{where}") and fragment in p for p in found), found


def all_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


# --- the format, the checker and the loader -------------------------------------------

def test_problem_prints_as_file_line_message():
    assert str(Problem("a.jsonl", 3, "bad")) == "a.jsonl:3: bad"
    assert str(Problem("a.jsonl", 0, "bad")) == "a.jsonl: bad"


def test_valid_corpus_passes_check(corpus):
    assert check_corpus(corpus) == []


def test_without_reports_csv_and_labels_txt_rare_labels_are_flagged(corpus):
    for name in ("reports.csv", "labels.txt"):
        (corpus / name).unlink()
    (corpus / "stock-phrases.txt").write_text("", encoding="utf-8")
    found = problem_texts(corpus)
    assert all("a typo?" in p or "same text" in p for p in found)  # nothing about reports.csv
    assert_problem(corpus, "labelled/2021-lanxi-town.jsonl:7: ", "label 'enforcement' is used only")
    strict = [str(p) for p in check_corpus(corpus, strict=True)]
    assert any(p.startswith(f"{corpus}/labelled/2022-hexi-county.jsonl:2: same text") for p in strict)  # the stock phrase


def test_load_corpus_returns_reports_units_and_meta(corpus):
    reports = load_corpus(corpus)
    assert [r.id for r in reports] == ["2021-lanxi-town", "2022-hexi-county"]
    lanxi = reports[0]
    assert [u.text for u in lanxi.units] == [text for *_, text in LANXI]
    assert all(lanxi.text[u.start:u.end] == u.text for u in lanxi.units)
    assert lanxi.units[4].heading == "（一）加强法治宣传教育" and lanxi.units[3].is_heading
    assert lanxi.meta["level"] == "township"


def test_load_corpus_raises_on_the_first_problem_with_file_and_line(corpus):
    edit(corpus, "2021-lanxi-town", lambda rs: rs[4].update(start=rs[4]["start"] + 1))
    with pytest.raises(DataError) as caught:
        load_corpus(corpus)
    assert str(caught.value).startswith(f"{corpus}/labelled/2021-lanxi-town.jsonl:5: ")
    assert "classifier data check" in str(caught.value)


def test_empty_or_missing_corpus_is_an_error(tmp_path):
    (tmp_path / "labelled").mkdir()
    with pytest.raises(DataError, match="empty"):
        load_corpus(tmp_path)
    assert check_corpus(tmp_path / "nowhere")  # reported, not raised
    with pytest.raises(DataError, match="not a directory"):
        load_corpus(tmp_path / "nowhere")


@pytest.mark.parametrize("change, line, fragment", [
    (lambda rs: rs[4].update(start=rs[4]["start"] + 1), 5, "differs from the raw text"),
    (lambda rs: rs[4].update(end=10**6), 5, "outside the raw text"),
    (lambda rs: rs.insert(5, rs.pop(4)), 6, "out of order"),
    (lambda rs: rs[5].update(start=rs[4]["end"] - 2, end=rs[4]["end"] - 2, text=""), 6, "overlaps"),
    (lambda rs: rs[4].update(text="   "), 5, "empty or whitespace-only"),
    (lambda rs: rs[4].update(text=" " + rs[4]["text"], start=rs[4]["start"] - 1), 5, "leading or trailing"),
    (lambda rs: rs[4].update(report="2021-lanxi"), 5, "report field"),
    (lambda rs: rs[4].update(label="publicty"), 5, "unknown label 'publicty'"),
    (lambda rs: rs[4].update(heading="一、主要工作"), 5, "nearest heading unit above"),
    (lambda rs: rs[5].update(heading=""), 6, "nearest higher-level heading"),
    (lambda rs: rs[4].pop("label"), 5, "missing field(s): label"),
    (lambda rs: rs[4].update(start="12"), 5, "'start' must be int"),
    (lambda rs: rs[4].update(is_heading="no"), 5, "'is_heading' must be bool"),
    (lambda rs: rs[4].update(label=" "), 5, "empty label"),
])
def test_each_unit_problem_is_reported_at_its_line(corpus, change, line, fragment):
    edit(corpus, "2021-lanxi-town", change)
    assert_problem(corpus, f"labelled/2021-lanxi-town.jsonl:{line}: ", fragment)


def test_invalid_json_and_invalid_utf8_are_reported_at_their_line(corpus):
    path = corpus / "labelled" / "2021-lanxi-town.jsonl"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(lines[:2] + [b'{"text": '] + lines[3:]))
    assert_problem(corpus, "labelled/2021-lanxi-town.jsonl:3: ", "not valid JSON")
    path.write_bytes(b"\n".join(lines[:3] + ["执法".encode("gb18030")] + lines[4:]))
    assert_problem(corpus, "labelled/2021-lanxi-town.jsonl:4: ", "not valid UTF-8")


def test_missing_raw_file_and_raw_without_labels_are_reported(corpus):
    (corpus / "reports" / "2022-hexi-county.txt").unlink()
    shutil.copy(corpus / "reports" / "2021-lanxi-town.txt", corpus / "reports" / "2020-extra-town.txt")
    assert_problem(corpus, "labelled/2022-hexi-county.jsonl: ", "no raw report")
    assert_problem(corpus, "reports/2020-extra-town.txt: ", "no labelled file")


def test_duplicate_unit_across_reports_is_a_warning_and_strictly_an_error_unless_a_stock_phrase(corpus):
    assert not any("same text" in str(p) for p in check_corpus(corpus, strict=True))  # the stock phrase recurs
    copied = LANXI[6][3]
    raw, records = records_for("2022-hexi-county", HEXI[:5] + [("enforcement", False, "一、工作举措", copied)] + HEXI[5:])
    (corpus / "reports" / "2022-hexi-county.txt").write_text(raw, encoding="utf-8")
    write_jsonl(corpus / "labelled" / "2022-hexi-county.jsonl", records)
    assert check_corpus(corpus) == [] and load_corpus(corpus)  # not an error without strict
    where = str(corpus / "labelled/2022-hexi-county.jsonl")
    assert [str(w) for w in corpus_warnings(corpus)] == [
        f"{where}:6: same text as labelled/2021-lanxi-town.jsonl:7 in another report "
        "(if it is a stock phrase, add it to stock-phrases.txt)"]
    assert [str(p) for p in check_corpus(corpus, strict=True)] == [str(w) for w in corpus_warnings(corpus)]
    (corpus / "stock-phrases.txt").unlink()
    assert any(str(w).startswith(f"{where}:2: same text") for w in corpus_warnings(corpus))


def test_rare_label_is_flagged_as_a_typo_without_labels_txt(corpus):
    (corpus / "labels.txt").unlink()
    edit(corpus, "2021-lanxi-town", lambda rs: rs[4].update(label="publicty"))
    assert_problem(corpus, "labelled/2021-lanxi-town.jsonl:5: ", "a typo?")


@pytest.mark.parametrize("rows, where, fragment", [
    (META_ROWS["2021-lanxi-town"], "reports.csv: ", "no row for report '2022-hexi-county'"),
    (META_ROWS["2021-lanxi-town"] + META_ROWS["2022-hexi-county"].replace(",county,", ",town,"),
     "reports.csv:3: ", "level 'town'"),
    (META_ROWS["2021-lanxi-town"] + META_ROWS["2022-hexi-county"].replace(",2022,", ",22,"),
     "reports.csv:3: ", "year '22'"),
    (META_ROWS["2021-lanxi-town"] * 2 + META_ROWS["2022-hexi-county"], "reports.csv:3: ", "second row"),
])
def test_reports_csv_rows_are_checked(corpus, rows, where, fragment):
    (corpus / "reports.csv").write_text(META_HEADER + rows, encoding="utf-8")
    assert_problem(corpus, where, fragment)


def test_near_duplicates_across_reports_are_listed(corpus):
    near = LANXI[4][3].replace("余份", "多份")  # one character off
    raw, records = records_for("2022-hexi-county", HEXI + [("publicity", False, "三、2023年工作打算", near)])
    (corpus / "reports" / "2022-hexi-county.txt").write_text(raw, encoding="utf-8")
    write_jsonl(corpus / "labelled" / "2022-hexi-county.jsonl", records)
    assert check_corpus(corpus) == []  # listed, not an error
    pairs = near_duplicates(load_corpus(corpus))
    assert [(a.report, b.text) for a, b, _ in pairs] == [("2021-lanxi-town", near)]
    assert pairs[0][2] >= 0.9
    assert near_duplicates(load_corpus(corpus), threshold=1.0) == []
    with pytest.raises(UsageError):
        near_duplicates([], threshold=0)


def test_stats_and_data_card_tables(corpus):
    stats = corpus_stats(load_corpus(corpus))
    assert stats["reports"] == 2 and stats["units"] == len(LANXI) + len(HEXI)
    assert stats["labels"]["plan"] == 4 and set(stats["labels"]) == set(LABELS.split())
    assert stats["levels"] == {"township": 1, "county": 1}
    assert list(stats["years"]) == ["2021", "2022"]
    assert stats["heading_styles"] == {"cn": 6, "paren_cn": 2}
    card = stats_markdown(stats)
    assert "| label | units | share |" in card and "| township | 1 | 50% |" in card


# --- import ---------------------------------------------------------------------------

CSV_LINES = ["text,label,report", "开展宪法宣传周活动，发放资料五百份。,publicity,2023-test",
             "严格执行行政处罚裁量基准。,enforcement,2023-test", "下一步将持续优化营商环境。,plan,2023-test"]


def test_csv_import_utf8_with_bom_creates_a_raw_file_with_valid_offsets(tmp_path):
    source = tmp_path / "batch.csv"
    source.write_bytes(("\r\n".join(CSV_LINES) + "\r\n").encode("utf-8-sig"))
    result = import_labels(source, tmp_path / "data")
    assert result.reports == ("2023-test",) and result.units == 3 and result.skipped == ()
    raw = (tmp_path / "data" / "reports" / "2023-test.txt").read_text(encoding="utf-8")
    records = read_jsonl(tmp_path / "data" / "labelled" / "2023-test.jsonl")
    assert [(r["text"], r["label"]) for r in records] == [tuple(line.split(",")[:2]) for line in CSV_LINES[1:]]
    assert all(raw[r["start"]:r["end"]] == r["text"] for r in records)
    assert not any("differs" in p or "order" in p for p in problem_texts(tmp_path / "data"))


def test_csv_import_gb18030_without_report_column_uses_the_file_name(tmp_path):
    source = tmp_path / "第3批 Export.csv"
    lines = ["text,label"] + [line.rsplit(",", 1)[0] for line in CSV_LINES[1:]]
    source.write_bytes("\n".join(lines).encode("gb18030"))
    result = import_labels(source, tmp_path / "data", fmt="csv")
    assert result.reports == ("3-export",)
    records = read_jsonl(tmp_path / "data" / "labelled" / "3-export.jsonl")
    assert [r["text"] for r in records] == [line.split(",")[0] for line in CSV_LINES[1:]]


def test_malformed_csv_line_fails_with_file_and_line_and_writes_nothing(tmp_path):
    source = tmp_path / "batch.csv"
    source.write_text("\n".join(CSV_LINES[:2] + ["只有文本没有标签"] + CSV_LINES[2:] + [",plan"]), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        import_labels(source, tmp_path / "data")
    assert str(caught.value).startswith(f"{source}:3: expected 3 fields")
    assert not (tmp_path / "data").exists()


def test_skip_bad_keeps_the_good_lines_and_returns_the_bad(tmp_path):
    source = tmp_path / "batch.csv"
    source.write_text("\n".join(CSV_LINES[:2] + ["只有文本没有标签"] + CSV_LINES[2:] + [",plan,2023-test"]),
                      encoding="utf-8")
    result = import_labels(source, tmp_path / "data", skip_bad=True)
    assert result.units == 3
    assert [str(p) for p in result.skipped] == [f"{source}:3: expected 3 fields, found 1",
                                                f"{source}:6: empty text"]


def test_header_is_required(tmp_path):
    source = tmp_path / "batch.csv"
    source.write_text("\n".join(CSV_LINES[1:]), encoding="utf-8")
    with pytest.raises(DataError, match=r"batch\.csv:1: the header"):
        import_labels(source, tmp_path / "data")


def test_doccano_import_accepts_label_and_labels_and_wants_one_label(tmp_path):
    source = tmp_path / "doccano.jsonl"
    lines = [{"id": 1, "text": "开展宪法宣传周活动。", "label": ["publicity"]},
             {"id": 2, "text": "严格执行行政处罚裁量基准。", "labels": ["enforcement"]},
             {"id": 3, "text": "下一步将持续优化营商环境。", "label": ["plan", "business_environment"]},
             {"id": 4, "text": "整改问题三项。", "label": []}]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    with pytest.raises(DataError, match=r"doccano\.jsonl:3: expected exactly one label, found 2"):
        import_labels(source, tmp_path / "data")
    result = import_labels(source, tmp_path / "data", skip_bad=True)
    assert [p.line for p in result.skipped] == [3, 4]
    records = read_jsonl(tmp_path / "data" / "labelled" / "doccano.jsonl")
    assert [(r["text"], r["label"]) for r in records] == [("开展宪法宣传周活动。", "publicity"),
                                                          ("严格执行行政处罚裁量基准。", "enforcement")]


def test_labelstudio_import_takes_the_latest_annotation_not_cancelled(tmp_path):
    def annotation(choice, when, cancelled=False):
        result = {"type": "choices", "from_name": "label", "to_name": "text", "value": {"choices": [choice]}}
        return {"was_cancelled": cancelled, "updated_at": when, "result": [result]}
    tasks = [{"id": 1, "data": {"text": "开展宪法宣传周活动。"},
              "annotations": [annotation("other", "2024-01-01T10:00:00"),
                              annotation("publicity", "2024-02-01T10:00:00"),
                              annotation("plan", "2024-03-01T10:00:00", cancelled=True)]},
             {"id": 2, "data": {"text": "下一步将持续优化营商环境。"}, "annotations": []}]
    source = tmp_path / "project-1.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    result = import_labels(source, tmp_path / "data", skip_bad=True)
    assert [str(p) for p in result.skipped] == [f"{source}: task 2: no annotation that was not cancelled"]
    records = read_jsonl(tmp_path / "data" / "labelled" / "project-1.jsonl")
    assert [(r["text"], r["label"]) for r in records] == [("开展宪法宣传周活动。", "publicity")]


def test_import_aligns_units_to_an_existing_raw_report(corpus, tmp_path):
    texts = [text for *_, text in LANXI]
    source = tmp_path / "lanxi.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "label", "report"])
        writer.writerows([text, label, "2021-lanxi-town"] for label, _, _, text in LANXI)
    (corpus / "labelled" / "2021-lanxi-town.jsonl").unlink()
    import_labels(source, corpus)
    raw = (corpus / "reports" / "2021-lanxi-town.txt").read_text(encoding="utf-8")
    records = read_jsonl(corpus / "labelled" / "2021-lanxi-town.jsonl")
    assert [r["text"] for r in records] == texts
    assert all(raw[r["start"]:r["end"]] == r["text"] for r in records)
    assert records[0]["start"] == raw.index(texts[0]) > 0  # after the debris line


def test_text_not_in_the_existing_raw_report_is_a_problem(corpus, tmp_path):
    source = tmp_path / "lanxi.csv"
    source.write_text("text,label,report\n这句话不在原文里出现。,other,2022-hexi-county\n", encoding="utf-8")
    (corpus / "labelled" / "2022-hexi-county.jsonl").unlink()
    with pytest.raises(DataError, match=r"lanxi\.csv:2: text not found"):
        import_labels(source, corpus)
    assert not (corpus / "labelled" / "2022-hexi-county.jsonl").exists()


def test_import_never_overwrites_a_different_labelled_file(corpus, tmp_path):
    target = corpus / "labelled" / "2021-lanxi-town.jsonl"
    before = target.read_bytes()
    source = tmp_path / "lanxi.csv"
    source.write_text(f"text,label,report\n{LANXI[0][3]},plan,2021-lanxi-town\n", encoding="utf-8")
    with pytest.raises(DataError, match="already exists"):
        import_labels(source, corpus)
    assert target.read_bytes() == before


# --- export and round trips -----------------------------------------------------------

@pytest.mark.parametrize("name, fmt", [("out.csv", None), ("out.jsonl", "doccano"), ("out.json", "labelstudio")])
def test_export_then_import_round_trips(corpus, tmp_path, name, fmt):
    dest = tmp_path / "export" / name
    assert export_labels(corpus, dest, fmt=fmt) == len(LANXI) + len(HEXI)
    fresh = tmp_path / "fresh"
    import_labels(dest, fresh, fmt=fmt)
    def key(u):
        return u.report, u.text, u.label, u.heading, u.is_heading
    original = [key(u) for r in load_corpus(corpus) for u in r.units]
    for name in ("labels.txt", "stock-phrases.txt"):
        shutil.copy(corpus / name, fresh / name)
    assert [key(u) for r in load_corpus(fresh) for u in r.units] == original
    # into a copy of the corpus without its labelled files: the same units, offsets and all
    again = tmp_path / "again"
    shutil.copytree(corpus, again, ignore=shutil.ignore_patterns("*.jsonl"))
    import_labels(dest, again, fmt=fmt)
    assert load_corpus(again) == load_corpus(corpus)
    import_labels(dest, again, fmt=fmt)  # identical content: no error


def test_csv_export_has_a_bom_and_the_report_and_heading_columns(corpus, tmp_path):
    dest = tmp_path / "out.csv"
    export_labels(corpus, dest, fmt="csv")
    assert dest.read_bytes().startswith(b"\xef\xbb\xbf")
    header = dest.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert {"text", "label", "report", "heading"} <= set(header)


def test_writes_leave_no_temporary_files(corpus, tmp_path):
    dest = tmp_path / "export" / "out.jsonl"
    export_labels(corpus, dest, fmt="doccano")
    export_labels(corpus, dest, fmt="doccano")  # replace an existing file
    fresh = tmp_path / "fresh"
    import_labels(dest, fresh)
    assert all_files(tmp_path / "export") == {"out.jsonl"}
    assert all_files(fresh) == {"reports/2021-lanxi-town.txt", "reports/2022-hexi-county.txt",
                                "labelled/2021-lanxi-town.jsonl", "labelled/2022-hexi-county.jsonl"}


def test_format_guess_and_labelled_table(tmp_path):
    assert [guess_format(n) for n in ("a.CSV", "b.jsonl", "c.json")] == ["csv", "doccano", "labelstudio"]
    with pytest.raises(UsageError):
        guess_format("a.xlsx")
    with pytest.raises(UsageError):
        guess_format("a.csv", "excel")
    table = tmp_path / "extra.csv"
    table.write_text("\n".join(line.rsplit(",", 1)[0] for line in CSV_LINES), encoding="utf-8")
    assert read_labelled_table(table)[0] == ("开展宪法宣传周活动，发放资料五百份。", "publicity")
    lines = tmp_path / "extra.jsonl"
    lines.write_text('{"text": "严格执行行政处罚裁量基准。", "label": "enforcement"}\n', encoding="utf-8")
    assert read_labelled_table(lines) == [("严格执行行政处罚裁量基准。", "enforcement")]
    lines.write_text('{"text": "严格执行行政处罚裁量基准。"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"extra\.jsonl:1: expected exactly one label"):
        read_labelled_table(lines)
