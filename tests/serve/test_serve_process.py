"""`classifier serve` as a real process on a loopback port, and the settings it refuses to start with."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import REPORT, start_server, stop_server

from classifier.serve.settings import ServeSettings, is_loopback


def call(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = None if body is None else json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_server_process_answers_over_http(trained_model_dir, small_model):
    process, url = start_server("--model", str(trained_model_dir), "--token", "s3cret-token", "--workers", "2")
    try:
        assert call(url + "/health") == (200, {"status": "ok"})
        status, body = call(url + "/v1/predict", {"texts": ["开展普法宣传。"]})
        assert status == 401 and body["error"]["code"] == "unauthorized"
        texts = ["下一步，将深入开展民法典宣传。", "开展行政执法案卷评查。"]
        assert call(url + "/v1/predict", {"texts": texts}, "s3cret-token") == (
            200, {"labels": small_model.predict(texts), "scores": small_model.predict_proba(texts)})
        status, body = call(url + "/v1/classify", {"text": REPORT}, "s3cret-token")
        assert status == 200 and [u["label"] for u in body["units"]] == [p.label for p in small_model.classify_report(REPORT)]
    finally:
        log = stop_server(process)
    assert "Application startup complete" in log and "Traceback" not in log


def test_requests_that_arrive_together_each_get_their_own_report(small_model, trained_model_dir):
    # twelve reports at once to one worker that classifies four at a time: none gets another's units
    texts = [REPORT.replace("白沙镇", f"第{k}镇") + "".join(["开展执法检查。\n"] * k) for k in range(12)]
    process, url = start_server("--model", str(trained_model_dir), "--workers", "1", "--batch", "4")
    try:
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(lambda text: call(url + "/v1/classify", {"text": text}), texts))
    finally:
        stop_server(process)
    for k, (text, (status, body)) in enumerate(zip(texts, answers)):
        assert status == 200
        assert [(u["text"], u["label"]) for u in body["units"]] == [
            (p.text, p.label) for p in small_model.classify_report(text)]
        assert body["summary"]["region"] == f"第{k}镇"


@pytest.mark.parametrize("argv, message", [
    (["--host", "0.0.0.0"], "error: --host 0.0.0.0: a non-loopback address needs --token (or --insecure)"),
    (["--workers", "0"], "error: --workers: expected 1 or more, found 0"),
    (["--token", "short"], "error: --token: too short"),
    (["--max-files", "0"], "error: --max-files: expected 1 or more, found 0"),
    (["--batch", "0"], "error: --batch: expected 1 or more, found 0"),
])
def test_serve_refuses_unsafe_or_impossible_settings(run_cli, argv, message):
    code, out, err = run_cli("serve", *argv)
    assert code == 2 and err.startswith(message) and len(err.strip().splitlines()) == 1


def test_serve_refuses_a_missing_model_before_listening(run_cli, tmp_path):
    code, _, err = run_cli("serve", "--model", str(tmp_path / "none"))
    assert code == 3 and err.startswith(f"error: {tmp_path / 'none'}: no such model directory")


def test_settings():
    assert ServeSettings(host="0.0.0.0", token="long-enough-token").check().token == "long-enough-token"
    assert ServeSettings(host="0.0.0.0", insecure=True).check().insecure
    assert [is_loopback(h) for h in ("127.0.0.2", "::1", "localhost", "192.168.1.5", "example.org")] == [
        True, True, True, False, False]
    settings = ServeSettings(model="m", port=9, token="long-enough-token", max_files=3)
    assert ServeSettings(**json.loads(settings.to_env())) == settings
