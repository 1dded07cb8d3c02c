"""The one-report HTML page: structure, escaping, every unit, and a real headless browser."""
from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from classifier import load_model
from classifier.review.html_report import render_page, report_html
from classifier.run.predict import Prediction
from classifier.units.report_meta import ReportMeta
from classifier.review.summary import ReportAnalysis

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "reports" / "2022-yongle-town.txt"
CHROMIUM = Path("/usr/bin/chromium")
REPORT = ("白沙镇人民政府2022年度法治政府建设情况报告\n一、主要举措和成效\n组织机关干部集中学习民法典，开展专题讲座三场。\n"
          "开展农资市场专项整治，查处违法案件十二起。\n二、下一步工作计划\n下一步，将深入开展民法典宣传。\n")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


class UnitTexts(HTMLParser):
    """Text of every element whose id is u<index>, by index, from rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: dict[int, str] = {}
        self.titles: dict[int, str] = {}
        self._open: list[int | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        m = re.fullmatch(r"u(\d+)", attrs.get("id") or "")
        self._open.append(int(m.group(1)) if m else None)
        if m:
            self.units[int(m.group(1))] = ""
            self.titles[int(m.group(1))] = attrs.get("title", "")

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for index in self._open:
            if index is not None:
                self.units[index] += data


def unit_texts(page: str) -> UnitTexts:
    parser = UnitTexts()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def model(trained_model_dir):
    return load_model(trained_model_dir)


def test_the_page_is_self_contained_and_shows_every_unit(model):
    page = report_html(model, REPORT)
    units = model.classify_report(REPORT)
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page and not EXTERNAL.search(page)
    parsed = unit_texts(page)
    assert [parsed.units[u.index] for u in units] == [u.text for u in units]
    for u in units:
        assert parsed.titles[u.index] == f"{u.label} · confidence {u.confidence:.2f}"
    assert page.count('<h3 class="u ') == 2  # the two headings are blocks
    assert "<svg" in page and page.count("<rect") == 12  # a unit bar and a character bar per label


def test_the_checklist_marks_missing_parts(model):
    page = report_html(model, REPORT)
    checklist = page[page.index('<ul class="checklist">'):page.index("</ul>", page.index('<ul class="checklist">'))]
    assert checklist.count('class="missing"') == 2  # no duty, no shortcomings
    assert "Shortcomings and causes 存在的不足和原因</b>: missing" in checklist
    assert "「二、下一步工作计划」" in checklist


def analysis(preds, text="") -> ReportAnalysis:
    return ReportAnalysis("x.txt", text, tuple(preds), ReportMeta("白沙镇人民政府", "township", 2022, ""))


def row_for(preds) -> dict:
    from classifier.review.summary import label_shares, required_parts, thin_signs

    row = {"units": len(preds), "chars": 10}
    for label, s in label_shares(preds).items():
        row.update({f"{label}_unit_share": s["unit_share"], f"{label}_char_share": s["char_share"]})
    for part, found in required_parts(preds).items():
        row.update({f"{part}_{k}": v for k, v in found.items()})
    return {**row, **thin_signs(preds)}


def test_text_is_escaped_everywhere():
    nasty = '<script>alert("x")</script> & <b>粗</b>'
    preds = [Prediction("一、" + nasty, 0, 40, 0, "", "other", 0.9, {"other": 0.9}, True, "other"),
             Prediction(nasty + "。", 41, 80, 1, "", "plan", 0.4, {"plan": 0.4, "other": 0.35}, False, "other")]
    page = render_page(analysis(preds), row_for(preds))
    assert "<script" not in page and "<b>粗</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;粗&lt;/b&gt;" in page
    assert unit_texts(page).units == {0: preds[0].text, 1: preds[1].text}


def test_low_confidence_units_are_listed_first_with_links():
    preds = [Prediction("开展普法宣传。", 0, 7, 0, "", "publicity", 0.95, {"publicity": 0.95}),
             Prediction("执法力量不足。", 7, 14, 1, "", "shortcoming", 0.41, {"shortcoming": 0.41, "plan": 0.39}),
             Prediction("持续推进。", 14, 19, 2, "", "plan", 0.55, {"plan": 0.55, "other": 0.3})]
    page = render_page(analysis(preds, "开展普法宣传。执法力量不足。持续推进。"), row_for(preds))
    review = page[page.index('<ol class="review">'):page.index("</ol>")]
    assert re.findall(r'href="#u(\d+)"', review) == ["1", "2"]  # lowest first; 0.95 is not listed
    assert "then plan 0.39" in review
    assert len(re.findall(r'class="u [^"]* low"', page)) == 2
    assert page.count("<p>") == 1  # one line of the report: one paragraph


def test_cli_report_writes_the_page_in_the_current_directory(run_cli, trained_model_dir, tmp_path, monkeypatch):
    source = tmp_path / "in" / "baisha.txt"
    source.parent.mkdir()
    source.write_text(REPORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("report", str(source), "--model", str(trained_model_dir))
    assert code == 0 and "report written to baisha.report.html" in err
    assert "下一步，将深入开展民法典宣传。" in (tmp_path / "baisha.report.html").read_text(encoding="utf-8")
    code, _, err = run_cli("report", str(tmp_path / "missing.txt"), "--model", str(trained_model_dir))
    assert code == 1 and err.startswith(f"error: {tmp_path / 'missing.txt'}: ")
    assert not (tmp_path / "missing.report.html").exists()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_sample_report_renders_in_a_headless_browser(tmp_path):
    bundled = load_model(ROOT / "models" / "default")
    page = report_html(bundled, SAMPLE)
    path = tmp_path / "yongle.html"
    path.write_text(page, encoding="utf-8")
    assert not EXTERNAL.search(page) and not re.search(r"https?://", page)
    dom = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=True).stdout
    units = bundled.classify_report(SAMPLE)
    rendered = unit_texts(dom)
    assert len(units) == 53 and sorted(rendered.units) == [u.index for u in units]
    assert [rendered.units[u.index] for u in units] == [u.text for u in units]
    assert "<svg" in dom and "Required parts" in dom and "Review first" in dom
