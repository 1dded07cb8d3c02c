"""The service under test: in-process through FastAPI's TestClient, or as a real `classifier serve` process."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")

from fastapi.testclient import TestClient  # noqa: E402

from classifier import load_model  # noqa: E402
from classifier.serve.app import create_app  # noqa: E402
from classifier.serve.settings import ServeSettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "reports" / "2022-yongle-town.txt"
REPORT = ("白沙镇人民政府2022年度法治政府建设情况报告\n一、主要举措和成效\n组织机关干部集中学习民法典，开展专题讲座三场。\n"
          "开展农资市场专项整治，查处违法案件十二起。\n二、存在的不足和原因\n部分执法人员的法律素养有待提高。\n"
          "三、下一步工作计划\n下一步，将深入开展民法典宣传。\n")
OTHER = ("黑石镇人民政府2021年度法治政府建设情况报告\n一、主要举措和成效\n组织机关干部集中学习民法典，开展专题讲座三场。\n"
         "推进政务服务一网通办，企业开办压缩至一个工作日。\n二、下一步工作计划\n明年将完善重大行政决策程序。\n")


@pytest.fixture(scope="session")
def small_model(trained_model_dir):
    return load_model(trained_model_dir)


def make_client(model, **settings) -> TestClient:
    return TestClient(create_app(ServeSettings(**settings), model=model), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(small_model):
    with make_client(small_model) as c:
        yield c


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(*args: str) -> tuple[subprocess.Popen, str]:
    """`classifier serve` as a process on a free loopback port; returns it and its base URL once /health answers."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli", "serve", "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"classifier serve exited with {process.returncode}: {process.stdout.read().decode()}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise AssertionError("classifier serve did not answer /health within 90 s")


def stop_server(process: subprocess.Popen) -> str:
    """Stop the server (SIGTERM, as Ctrl-C would) and return what it logged."""
    process.terminate()
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out.decode("utf-8", "replace")
