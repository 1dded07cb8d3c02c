"""Inputs that are not report files: pipes, devices, directories, standard input, and oversize documents.

Each case makes its own files; the cases that could hang or use much memory run the CLI in a
subprocess (with a timeout, and measuring its peak memory)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from classifier.config import DEFAULTS
from classifier.errors import ReadError
from classifier.read.reading import read_document

REPORT = "一、主要做法\n开展普法宣传活动二十场。\n二、存在的不足\n执法力量不足。\n"
OTHER = "一、主要做法\n严格落实行政执法公示制度。\n二、下一步计划\n持续推进严格规范公正文明执法。\n"
TIMEOUT = 120  # seconds: only so that a hang fails the test instead of stopping the suite


def cli(*args: str, stdin: int | None = subprocess.DEVNULL, close_stdin: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "classifier.cli", *args]
    if close_stdin:  # the process starts with file descriptor 0 closed, as after `<&-`
        command = ["sh", "-c", 'exec "$@" <&-', "sh", *command]
    return subprocess.run(command, stdin=None if close_stdin else stdin, capture_output=True, text=True,
                          timeout=TIMEOUT)


def files(tmp_path: Path) -> tuple[str, str]:
    good, other = tmp_path / "good.txt", tmp_path / "other.txt"
    good.write_text(REPORT, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    return str(good), str(other)


def rows_by_file(stdout: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in stdout.splitlines():
        name = json.loads(line)["file"]
        counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_fifo_among_the_inputs_is_refused_without_hanging(tmp_path: Path, trained_model_dir: Path) -> None:
    good, other = files(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it for reading would wait forever
    result = cli("predict", "--model", str(trained_model_dir), good, str(fifo), other)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"error: {fifo}: is a named pipe (FIFO), not a regular file; refused without reading it"
    assert "Traceback" not in result.stderr
    assert set(rows_by_file(result.stdout)) == {good, other}


def test_empty_stdin_between_two_files_is_one_error_line(tmp_path: Path, trained_model_dir: Path) -> None:
    good, other = files(tmp_path)
    result = cli("predict", "--model", str(trained_model_dir), good, "-", other)  # stdin: /dev/null
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error")] == [
        "error: <stdin>: standard input is empty"]
    assert set(rows_by_file(result.stdout)) == {good, other}


def test_closed_stdin_is_one_error_line_not_a_traceback(tmp_path: Path, trained_model_dir: Path) -> None:
    good, other = files(tmp_path)
    result = cli("predict", "--model", str(trained_model_dir), good, "-", other, close_stdin=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: <stdin>: standard input is closed" in result.stderr.splitlines()
    assert set(rows_by_file(result.stdout)) == {good, other}
    result = cli("segment", "-", close_stdin=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == "error: <stdin>: standard input is closed"


def test_stdin_named_twice_is_read_once(run_cli, trained_model_dir: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    good, _ = files(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(OTHER.encode("gb18030"))))
    code, out, err = run_cli("predict", "--model", str(trained_model_dir), "-", good, "-", "--quiet")
    assert (code, err) == (0, "")
    rows = [json.loads(line) for line in out.splitlines()]
    first = [r["text"] for r in rows if r["file"] == "-"]
    assert first[: len(first) // 2] == first[len(first) // 2:] == [u for u in OTHER.split("\n") if u]
    assert [r["file"] for r in rows][len(first) // 2] == good  # in its place in the batch


@pytest.mark.parametrize(("name", "problem"), [
    (".", "is a directory, not a file"), ("/dev/null", "is a character device, not a regular file")])
def test_directories_and_devices_are_refused(run_cli, tmp_path: Path, name: str, problem: str) -> None:
    good, _ = files(tmp_path)
    code, out, err = run_cli("segment", good, name)
    assert code == 1 and err == f"error: {name}: {problem}\n"
    assert set(rows_by_file(out)) == {good}


def zip_bomb(path: Path, inflated: int) -> Path:
    """A valid .docx whose document part is padded with spaces to ``inflated`` bytes (a few hundred KB on disk)."""
    import docx

    document = docx.Document()
    document.add_paragraph(REPORT)
    document.save(str(path.with_suffix(".plain.docx")))
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path.with_suffix(".plain.docx")) as plain, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in plain.infolist():
            data = plain.read(info)
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>")
            with archive.open(info.filename, "w") as member:
                member.write(head + b"<w:body>")
                for _ in range(inflated // len(chunk) + 1):
                    member.write(chunk)
                member.write(tail)
    return path


def test_a_zip_bomb_docx_is_refused_before_inflating(tmp_path: Path, trained_model_dir: Path) -> None:
    good, _ = files(tmp_path)
    bomb = zip_bomb(tmp_path / "bomb.docx", DEFAULTS.max_docx_inflated + 1)
    assert bomb.stat().st_size < 2_000_000
    result = cli("predict", "--model", str(trained_model_dir), str(bomb), good)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(f"error: {bomb}: the Word file would inflate to ")
    assert "(word/document.xml: " in result.stderr and f"the limit is {DEFAULTS.max_docx_inflated:,}" in result.stderr
    assert set(rows_by_file(result.stdout)) == {good}
    # reading it alone, in a process of its own, never takes as much memory as the member would inflate to
    # (its peak resident memory from /proc: getrusage's would count the forked test process's)
    if not Path("/proc/self/status").exists():
        return
    code = ("import sys\nfrom classifier.read.reading import read_document\n"
            "try:\n    read_document(sys.argv[1])\nexcept Exception as error:\n    print(error)\n"
            "print([line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')][0])")
    message, peak_kb = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True,
                                      timeout=TIMEOUT, check=True).stdout.splitlines()
    assert "would inflate to" in message
    assert int(peak_kb) * 1024 < DEFAULTS.max_docx_inflated / 2


def test_limits_come_from_the_config(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(REPORT)
    document.save(str(tmp_path / "r.docx"))
    small = replace(DEFAULTS, max_text_chars=10)
    with pytest.raises(ReadError, match=r"r\.docx: the Word file holds \d+ characters of text; the limit is 10$"):
        read_document(tmp_path / "r.docx", config=small)
    with pytest.raises(ReadError, match=r"the Word file would inflate to [\d,]+ bytes \(.*\); the limit is 1,000$"):
        read_document(tmp_path / "r.docx", config=replace(DEFAULTS, max_docx_inflated=1000))
    assert read_document(tmp_path / "r.docx").text == REPORT
    page = tmp_path / "r.html"
    page.write_text(f"<html><body><div><p>{REPORT}</p></div></body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match=r"the web page has [\d,]+ characters of markup; the limit is 20$"):
        read_document(page, config=replace(DEFAULTS, max_markup_chars=20))
    with pytest.raises(ReadError, match=r"the web page holds \d+ characters of text; the limit is 10$"):
        read_document(page, config=small)
