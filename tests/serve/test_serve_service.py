"""What the endpoints compute, called as plain functions: reports classified together get what each gets alone."""
from __future__ import annotations

import json

from conftest import OTHER, REPORT

from classifier.errors import LimitError, ReadError, UsageError
from classifier.serve.service import ReportRequest, Upload, answer_reports, classify_one, classify_reports
from classifier.serve.settings import ServeSettings


def test_reports_classified_together_get_what_each_gets_alone(small_model):
    settings = ServeSettings()
    requests = [ReportRequest(text=REPORT), ReportRequest(upload=Upload("b.txt", OTHER.encode("gb18030"))),
                ReportRequest(text=OTHER, summary=False)]
    together = classify_reports(small_model, requests, settings)
    for request, result in zip(requests, together):
        alone = classify_one(small_model, request, settings)
        assert result.analysis.predictions == alone.analysis.predictions and result.row == alone.row
    assert together[1].analysis.text == OTHER and together[1].row["file"] == "b.txt"
    assert together[2].row is None and together[0].row["units"] == len(together[0].analysis.predictions)


def test_a_report_that_cannot_be_used_fails_alone(small_model):
    settings = ServeSettings(max_units=12)
    requests = [ReportRequest(text=REPORT), ReportRequest(text="  \n"), ReportRequest(upload=Upload("c.txt", b"\xff\xfe\x00")),
                ReportRequest(text=REPORT * 3), ReportRequest(text=OTHER)]
    found = classify_reports(small_model, requests, settings)
    assert [type(r).__name__ for r in found] == ["ReportResult", "UsageError", "ReadError", "LimitError", "ReportResult"]
    assert isinstance(found[1], UsageError) and isinstance(found[2], ReadError) and isinstance(found[3], LimitError)
    assert found[4].analysis.predictions == classify_one(small_model, requests[4], settings).analysis.predictions


def test_each_answer_is_in_the_form_its_request_asked_for(small_model):
    requests = [ReportRequest(text=REPORT, answer=form) for form in ("json", "csv", "jsonl", "html")]
    as_json, as_csv, as_jsonl, as_html = answer_reports(small_model, requests, ServeSettings())
    body = json.loads(as_json.content)
    labels = [p.label for p in small_model.classify_report(REPORT)]
    assert [u["label"] for u in body["units"]] == labels and body["summary"]["units"] == len(labels)
    assert as_csv.content.startswith("\ufeff".encode()) and as_csv.media_type.startswith("text/csv")
    assert [json.loads(line)["label"] for line in as_jsonl.content.decode().splitlines()] == labels
    assert as_html.content.decode().lstrip().lower().startswith("<!doctype html")
