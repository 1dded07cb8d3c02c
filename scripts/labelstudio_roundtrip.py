"""The labelling loop through a real Label Studio, on this machine only.

    python scripts/labelstudio_roundtrip.py                  # installs Label Studio into .labelstudio-venv first
    python scripts/labelstudio_roundtrip.py --reports DIR -n 20

1. installs Label Studio from PyPI into a virtual environment of its own (``.labelstudio-venv``,
   once; its dependencies never touch this project's environment);
2. starts it on 127.0.0.1 with a throw-away data directory and user;
3. ``classifier suggest --format labelstudio`` on the reports (default: three of data/reports);
4. creates a project with our labelling config through Label Studio's HTTP API and imports the
   tasks with their pre-annotations;
5. labels every task through the API as a person would (here: the label from the corpus, where
   the corpus has that unit, else the pre-annotation's), a second annotator disagreeing on one;
6. exports the project as JSON and imports the export with ``classifier data import``;
7. checks the imported corpus: every labelled unit in it, at its offsets, with its label.

Exit code 0 when the round trip holds; Label Studio is stopped however the script ends.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".labelstudio-venv"
DEFAULT_REPORTS = ("2016-hualing-county", "2018-jiaoxi-health", "2022-yongle-town")


def ensure_label_studio(venv: Path) -> Path:
    """The ``label-studio`` command of ``venv``, installed from PyPI when it is not there yet."""
    command = venv / "bin" / "label-studio"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "label-studio"], check=True)
    return command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """Label Studio's HTTP API with a token."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
        return json.loads(text) if text else None


def start(command: Path, port: int, home: Path, token: str) -> subprocess.Popen:
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(home), "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
           "LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED": "false", "SENTRY_DSN": "", "LABEL_STUDIO_DISABLE_TELEMETRY": "1"}
    args = [str(command), "start", "--host", "127.0.0.1", "--port", str(port), "--no-browser",
            "--data-dir", str(home), "--username", "roundtrip@example.com", "--password", secrets.token_hex(8),
            "--user-token", token]
    help_text = subprocess.run([str(command), "start", "--help"], capture_output=True, text=True, env=env).stdout
    if "--enable-legacy-api-token" in help_text:
        args.append("--enable-legacy-api-token")
    return subprocess.Popen(args, env=env, stdout=open(home / "label-studio.log", "w"), stderr=subprocess.STDOUT)


def wait_until_up(client: Client, server: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Label Studio exited with code {server.returncode}")
        try:
            client.call("GET", "/api/projects")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(2)
    raise RuntimeError(f"Label Studio did not answer within {seconds:.0f} s")


def corpus_labels() -> dict[tuple[str, int, int], str]:
    """The corpus's label of every unit, by (file name, start, end)."""
    sys.path.insert(0, str(ROOT / "src"))
    from classifier.corpus.corpus import load_corpus

    return {(f"{r.id}.txt", u.start, u.end): u.label for r in load_corpus(ROOT / "data") for u in r.units}


def label_everything(client: Client, project: int, truth: dict) -> dict[tuple[str, int, int], str]:
    """One annotation per task (a second, earlier and different, on the first), as people would; the labels
    given last, by (file name, start, end)."""
    tasks = client.call("GET", f"/api/tasks?project={project}&page_size=1000")
    tasks = tasks["tasks"] if isinstance(tasks, dict) else tasks
    given = {}
    for k, task in enumerate(tasks):
        data = task["data"]
        predicted = (task.get("predictions") or [{}])[0].get("result") or []
        guess = predicted[0]["value"]["choices"][0] if predicted else "other"
        label = truth.get((Path(data["file"]).name, data["start"], data["end"]), guess)
        choices = ([("other" if label != "other" else "plan")] if k == 0 else []) + [label]
        given[Path(data["file"]).name, data["start"], data["end"]] = label
        for choice in choices:
            client.call("POST", f"/api/tasks/{task['id']}/annotations",
                        {"result": [{"from_name": "label", "to_name": "text", "type": "choices",
                                     "value": {"choices": [choice]}}]})
            time.sleep(1.1 if k == 0 else 0)  # the later annotation must be later
    return given


def run(args: argparse.Namespace) -> int:
    command = ensure_label_studio(Path(args.venv))
    work = Path(tempfile.mkdtemp(prefix="labelstudio-roundtrip-"))
    reports = [str(p) for p in args.reports] or [str(ROOT / "data" / "reports" / f"{r}.txt") for r in DEFAULT_REPORTS]
    tasks_file = work / "tasks.json"
    classifier = [sys.executable, "-m", "classifier.cli"]
    subprocess.run([*classifier, "suggest", *reports, "-n", str(args.n), "-o", str(tasks_file)], check=True)
    token, port = secrets.token_hex(20), args.port or free_port()
    client = Client(f"http://127.0.0.1:{port}", token)
    server = start(command, port, work, token)
    try:
        wait_until_up(client, server)
        config = (work / "tasks.labelling-config.xml").read_text(encoding="utf-8")
        project = client.call("POST", "/api/projects", {"title": "classifier round trip", "label_config": config})["id"]
        client.call("POST", f"/api/projects/{project}/import", json.loads(tasks_file.read_text(encoding="utf-8")))
        labelled = label_everything(client, project, corpus_labels())
        export = client.call("GET", f"/api/projects/{project}/export?exportType=JSON")
        export_file = work / "export.json"
        export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    result = subprocess.run([*classifier, "data", "import", str(export_file), "--data", str(work / "mine")],
                            capture_output=True, text=True)
    print(result.stderr.strip())
    check = subprocess.run([*classifier, "data", "check", "--strict", str(work / "mine")], capture_output=True, text=True)
    imported = {}
    for path in (work / "mine" / "labelled").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            unit = json.loads(line)
            imported[f"{unit['report']}.txt", unit["start"], unit["end"]] = unit["label"]
    ok = result.returncode == 0 and check.returncode == 0 and imported == labelled
    units = len(imported)
    labelled = len(labelled) if ok else f"{len(labelled)} (labels or offsets differ after import)"
    print(f"{labelled} tasks labelled in Label Studio {'and' if ok else 'but'} {units} units imported "
          f"into {work / 'mine'}; the corpus check {'passes' if check.returncode == 0 else 'fails: ' + check.stderr.strip()}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", nargs="*", default=[], type=Path, help="report files (default: three corpus reports)")
    parser.add_argument("-n", type=int, default=15, help="tasks to suggest (default 15)")
    parser.add_argument("--port", type=int, default=0, help="Label Studio's port (default: a free one)")
    parser.add_argument("--venv", default=str(VENV), help="where Label Studio is installed (default .labelstudio-venv)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
