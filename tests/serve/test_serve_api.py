"""The HTTP API through FastAPI's test client: every endpoint gives what the library and CLI give, every error its status."""
from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest
from conftest import OTHER, REPORT, make_client

from classifier.review.summary import summarize_report
from classifier.review.summary_batch import summarize_files


def test_health_and_the_model_card(client, small_model):
    assert client.get("/health").json() == {"status": "ok"}
    card = client.get("/v1/model").json()
    assert card["labels"] == small_model.labels
    assert card["metrics"]["cv.macro_f1"] == small_model.card["metrics"]["cv.macro_f1"]
    assert card["versions"]["classifier"] and card["version"].startswith("classifier-")
    assert "/" not in card["name"]  # no server paths


def test_classify_json_gives_the_units_and_the_summary_row_of_the_library(client, small_model):
    response = client.post("/v1/classify", json={"text": REPORT})
    assert response.status_code == 200
    body = response.json()
    expected = small_model.classify_report(REPORT)
    assert [u["text"] for u in body["units"]] == [p.text for p in expected]
    assert [(u["label"], u["confidence"], u["scores"], u["start"], u["end"], u["heading"], u["role"], u["is_heading"])
            for u in body["units"]] == [(p.label, p.confidence, p.scores, p.start, p.end, p.heading, p.role,
                                         p.is_heading) for p in expected]
    assert body["summary"] == json.loads(json.dumps(summarize_report(small_model, REPORT)))


def test_classify_without_the_summary_gives_the_same_units(client):
    full = client.post("/v1/classify", json={"text": REPORT}).json()
    bare = client.post("/v1/classify?summary=false", json={"text": REPORT}).json()
    assert bare == {"units": full["units"], "summary": None}


def test_an_upload_in_gb18030_gives_what_summarize_gives_for_the_file(client, small_model, tmp_path):
    path = tmp_path / "baisha.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    response = client.post("/v1/classify", files={"file": ("baisha.txt", path.read_bytes(), "text/plain")})
    assert response.status_code == 200
    body = response.json()
    assert [u["label"] for u in body["units"]] == [p.label for p in small_model.classify_report(REPORT)]
    expected = {**summarize_report(small_model, str(path)), "file": "baisha.txt"}
    assert body["summary"] == json.loads(json.dumps(expected))


def test_a_word_upload_is_read(client, small_model, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in REPORT.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "baisha.docx")
    response = client.post("/v1/classify", files={"file": ("baisha.docx", (tmp_path / "baisha.docx").read_bytes())})
    assert response.status_code == 200
    assert [u["text"] for u in response.json()["units"]] == [p.text for p in small_model.classify_report(REPORT)]


def test_classify_as_csv_is_what_predict_writes(client, run_cli, trained_model_dir, tmp_path):
    path = tmp_path / "baisha.txt"
    path.write_text(REPORT, encoding="utf-8")
    response = client.post("/v1/classify?format=csv", files={"file": ("baisha.txt", REPORT.encode())})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="baisha.csv"' in response.headers["content-disposition"]
    code, out, _ = run_cli("predict", str(path), "--model", str(trained_model_dir), "--format", "csv", "-q")
    assert code == 0
    served = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    printed = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(served) == len(printed) == len(REPORT.splitlines())
    assert [{**row, "file": ""} for row in served] == [{**row, "file": ""} for row in printed]
    lines = client.post("/v1/classify?format=jsonl", json={"text": REPORT}).text.splitlines()
    assert [json.loads(line)["text"] for line in lines] == [row["text"] for row in printed]


def test_the_report_page(client, small_model):
    response = client.post("/v1/report", json={"text": REPORT})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    assert all(p.text in response.text for p in small_model.classify_report(REPORT))


def test_predict_bare_sentences(client, small_model):
    texts = ["下一步，将深入开展民法典宣传。", "开展行政执法案卷评查。"]
    body = client.post("/v1/predict", json={"texts": texts}).json()
    assert body == {"labels": small_model.predict(texts), "scores": small_model.predict_proba(texts)}


def test_summarize_a_batch_with_boilerplate_and_a_bad_file(client, small_model, tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    files = [("files", ("a.txt", REPORT.encode())), ("files", ("b.txt", OTHER.encode("utf-16"))),
             ("files", ("c.txt", b"\x00\x01\x02" * 50))]
    body = client.post("/v1/summarize", files=files).json()
    expected = summarize_files([tmp_path / "a.txt", tmp_path / "b.txt"], model=small_model)
    assert [row["file"] for row in body["rows"]] == ["a.txt", "b.txt"]
    rename = {str(tmp_path / "a.txt"): "a.txt", str(tmp_path / "b.txt"): "b.txt"}
    assert body["rows"] == json.loads(json.dumps([{**row, "file": rename[row["file"]]} for row in expected.rows]))
    assert body["rows"][0]["boilerplate_units"] >= 1  # the sentence the two reports share
    assert body["boilerplate"][0]["files"] == "a.txt; b.txt"
    assert [(e["file"], e["code"]) for e in body["errors"]] == [("c.txt", "unreadable_file")]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_summarize_as_a_file(client, fmt):
    files = [("files", ("a.txt", REPORT.encode())), ("files", ("b.txt", OTHER.encode()))]
    response = client.post(f"/v1/summarize?format={fmt}", files=files)
    assert response.status_code == 200 and f'filename="summary.{fmt}"' in response.headers["content-disposition"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in response.text.splitlines()]
    else:
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert {"reports", "by level", "boilerplate"} <= set(book.sheetnames)
        sheet = book["reports"]
        rows = [dict(zip([c.value for c in sheet[1]], [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    assert [row["file"] for row in rows] == ["a.txt", "b.txt"]


def test_the_page_and_its_assets_are_served_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text
    for asset in ("/static/app.js", "/static/app.css"):
        response = client.get(asset)
        assert response.status_code == 200 and "http://" not in response.text and "https://" not in response.text
    names = client.get("/ui/labels.json").json()
    assert names["labels"]["plan"]["name"] == "下一步计划" and names["parts"]["duty"] == "第一责任人职责"
    assert list(names["labels"])[:2] == ["publicity", "enforcement"]


def test_the_openapi_document_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/v1/model", "/v1/classify", "/v1/report", "/v1/predict", "/v1/summarize",
            "/labelstudio/health", "/labelstudio/setup", "/labelstudio/predict"} <= set(paths)
    assert set(paths["/v1/classify"]["post"]["requestBody"]["content"]) == {"application/json", "multipart/form-data"}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_documentation_pages_load_nothing_from_outside_the_service(client, page):
    html = client.get(page).text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    for asset in assets:
        assert client.get(asset).status_code == 200


# --- errors -------------------------------------------------------------------------------------

def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"} and "Traceback" not in response.text
    return body["error"]


def test_400_for_a_file_that_cannot_be_read_or_an_empty_text(client):
    error = error_of(client.post("/v1/classify", files={"file": ("x.txt", b"\x00\x01\x02" * 40)}), 400)
    assert error["code"] == "unreadable_file" and error["message"].startswith("x.txt: binary file")
    assert error_of(client.post("/v1/classify", json={"text": "  \n"}), 400)["code"] == "bad_request"
    assert error_of(client.post("/v1/predict", json={"texts": ["开展普法。", " "]}), 400)["message"].startswith("texts[1]")
    duplicate = [("files", ("a.txt", REPORT.encode())), ("files", ("a.txt", OTHER.encode()))]
    assert "sent twice" in error_of(client.post("/v1/summarize", files=duplicate), 400)["message"]


def test_401_without_the_token(small_model):
    with make_client(small_model, token="s3cret-token") as c:
        assert c.get("/health").status_code == 200
        assert error_of(c.get("/v1/model"), 401)["code"] == "unauthorized"
        assert c.get("/v1/model").headers["www-authenticate"] == "Bearer"
        error_of(c.get("/v1/model", headers={"Authorization": "Bearer wrong-token"}), 401)
        error_of(c.post("/labelstudio/predict", json={"tasks": []}), 401)
        assert c.get("/v1/model", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        basic = base64.b64encode(b"labelstudio:s3cret-token").decode()
        assert c.get("/labelstudio/health", headers={"Authorization": f"Basic {basic}"}).status_code == 200


def test_413_past_every_limit(small_model):
    with make_client(small_model, max_upload_bytes=2_000, max_request_bytes=10_000, max_files=2, max_units=5,
                     max_texts=2) as c:
        assert error_of(c.post("/v1/classify", files={"file": ("big.txt", "法".encode() * 1_000)}), 413)["code"] == "too_large"
        error_of(c.post("/v1/classify", json={"text": REPORT}), 413)  # 9 units, limit 5
        error_of(c.post("/v1/predict", json={"texts": ["一。", "二。", "三。"]}), 413)
        error_of(c.post("/v1/summarize", files=[("files", (f"{k}.txt", b"x")) for k in range(3)]), 413)
        error_of(c.post("/labelstudio/predict", json={"tasks": [{"data": {"text": "一。"}}] * 3}), 413)
        error_of(c.post("/v1/predict", content=b"{" + b" " * 20_000 + b"}", headers={"content-type": "application/json"}), 413)
        chunks = (b" " * 4_000 for _ in range(5))  # no Content-Length: counted as it arrives
        error_of(c.post("/v1/classify", content=chunks, headers={"content-type": "application/json"}), 413)


def test_415_for_types_the_service_cannot_read(client):
    error = error_of(client.post("/v1/classify", files={"file": ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100)}), 415)
    assert error["code"] == "unsupported_media_type" and "save it as .docx" in error["message"]
    assert ".xyz" in error_of(client.post("/v1/classify", files={"file": ("a.xyz", b"abc")}), 415)["message"]
    error_of(client.post("/v1/classify", content=REPORT.encode(), headers={"content-type": "text/plain"}), 415)


def test_422_for_requests_of_the_wrong_shape(client):
    assert error_of(client.post("/v1/classify", json={"txt": REPORT}), 422)["message"] == "text: Field required"
    error_of(client.post("/v1/classify", data={"other": "x"}, files={"upload": ("a.txt", b"x")}), 422)
    error_of(client.post("/v1/predict", json={"texts": "one sentence"}), 422)
    error_of(client.post("/v1/summarize"), 422)
    error_of(client.post("/v1/summarize?format=pdf", files=[("files", ("a.txt", REPORT.encode()))]), 422)
    error_of(client.post("/labelstudio/predict", json={"task": []}), 422)


def test_404_and_500_are_json_too(client, monkeypatch):
    assert error_of(client.get("/v2/nothing"), 404)["code"] == "not_found"
    from classifier.serve import service

    monkeypatch.setattr(service, "predict_texts", lambda *a: 1 / 0)
    error = error_of(client.post("/v1/predict", json={"texts": ["开展普法。"]}), 500)
    assert error["code"] == "internal_error" and "ZeroDivision" not in error["message"]
