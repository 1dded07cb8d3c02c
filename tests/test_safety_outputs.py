"""A user's files are never lost: outputs, model directories, spreadsheets and the tokenizer cache.

Each case makes its own files, runs the command, and checks the exit code, the one-line message
and that nothing the user did not name as an output was changed (a hash of the directory)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from modelfiles import rehash
from procfs import dead_pid

from classifier.errors import ModelError
from classifier.model import directory, persistence, tokens
from classifier.model.persistence import ARRAYS, STATE, load_pipeline, load_state, save_model

REPORT = "一、主要工作举措和成效\n开展宪法宣传周活动，悬挂宣传横幅十二条。\n二、下一步工作计划\n下一步，将深入开展民法典宣传。\n"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones too) with the hash of its bytes, and every directory."""
    out = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        out[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def one_error(err: str, *parts: str) -> None:
    """``err`` is one or more lines, each ``error: …``, no traceback, and the last names every part."""
    lines = err.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), err
    assert "Traceback" not in err
    assert all(part in lines[-1] for part in parts), lines[-1]


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


# --- outputs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["predict", "segment", "summarize"])
def test_an_output_that_is_an_input_is_refused_before_the_work(run_cli, work, trained_model_dir, command):
    os.link(work / "a.txt", work / "same-inode.txt")
    before = tree(work)
    model = ["--model", str(trained_model_dir)] if command != "segment" else []
    for output in ("a.txt", "./a.txt", str(work / "a.txt"), "same-inode.txt"):
        code, out, err = run_cli(command, "a.txt", *model, "-o", output, *(["-q"] if command != "segment" else []))
        assert code == 2 and out == ""
        one_error(err, "is also an input of this run")
    assert tree(work) == before


def test_summarize_into_a_file_of_an_input_directory_is_refused(run_cli, work, trained_model_dir):
    (work / "reports").mkdir()
    shutil.copy(work / "a.txt", work / "reports" / "b.txt")
    before = tree(work)
    code, _, err = run_cli("summarize", "reports", "--model", str(trained_model_dir), "-o", "reports/b.txt", "-q")
    assert code == 2
    one_error(err, "reports/b.txt", "is also an input")
    assert tree(work) == before


@pytest.mark.parametrize("command, output", [("predict", "out.jsonl"), ("predict", "out.csv"),
                                             ("segment", "out.jsonl"), ("summarize", "out.csv"),
                                             ("summarize", "out.xlsx")])
def test_a_run_that_produced_nothing_keeps_the_existing_output(run_cli, work, trained_model_dir, command, output):
    (work / output).write_bytes(b"the results of yesterday\n")
    (work / "empty.txt").write_bytes(b"")
    before = tree(work)
    model = ["--model", str(trained_model_dir), "-q"] if command != "segment" else []
    code, out, err = run_cli(command, "empty.txt", "missing.txt", *model, "-o", output)
    assert code == 1 and out == ""
    one_error(err, output, "nothing written", "existing file is kept")
    assert len(err.strip().splitlines()) == 3  # one line per failed input, one for the output
    assert tree(work) == before


def test_a_run_that_produced_nothing_creates_no_file(run_cli, work, trained_model_dir):
    code, _, err = run_cli("predict", "missing.txt", "--model", str(trained_model_dir), "-o", "new/out.jsonl")
    assert code == 1 and not (work / "new" / "out.jsonl").exists()
    one_error(err, "nothing written")


def test_report_writes_stem_report_html_and_never_replaces_without_force(run_cli, work, trained_model_dir):
    model = ["--model", str(trained_model_dir)]
    code, _, err = run_cli("report", "a.txt", *model)
    assert code == 0 and "a.report.html" in err and (work / "a.report.html").is_file()
    (work / "a.report.html").write_text("kept", encoding="utf-8")
    before = tree(work)
    code, _, err = run_cli("report", "a.txt", *model)
    assert code == 2
    one_error(err, "a.report.html exists", "--force")
    assert tree(work) == before
    code, _, err = run_cli("report", "a.txt", *model, "--force", "-q")
    assert code == 0 and "宪法宣传周" in (work / "a.report.html").read_text(encoding="utf-8")


def test_report_never_writes_over_its_own_input_even_with_force(run_cli, work, trained_model_dir):
    (work / "page.html").write_text(f"<html><body><p>{REPORT}</p></body></html>", encoding="utf-8")
    before = tree(work)
    code, _, err = run_cli("report", "page.html", "--model", str(trained_model_dir), "-o", "page.html", "--force")
    assert code == 2
    one_error(err, "page.html is also an input")
    assert tree(work) == before


def test_a_missing_output_directory_is_created_with_the_umask(run_cli, work, trained_model_dir):
    old = os.umask(0o027)
    try:
        code, _, _ = run_cli("predict", "a.txt", "--model", str(trained_model_dir), "-o", "new/deeper/out.jsonl")
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((work / "new").stat().st_mode) == 0o750
    assert stat.S_IMODE((work / "new" / "deeper" / "out.jsonl").stat().st_mode) == 0o640
    lines = (work / "new" / "deeper" / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["file"] == "a.txt" for line in lines)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_take_the_umask_and_a_replaced_file_keeps_its_mode(run_cli, work, trained_model_dir, umask):
    old = os.umask(umask)
    try:
        for command, output in (("predict", "p.csv"), ("segment", "s.jsonl"), ("summarize", "s.xlsx")):
            model = ["--model", str(trained_model_dir), "-q"] if command != "segment" else []
            assert run_cli(command, "a.txt", *model, "-o", output)[0] == 0
            assert stat.S_IMODE((work / output).stat().st_mode) == 0o666 & ~umask, output
        os.chmod(work / "p.csv", 0o604)
        assert run_cli("predict", "a.txt", "--model", str(trained_model_dir), "-o", "p.csv")[0] == 0
        assert stat.S_IMODE((work / "p.csv").stat().st_mode) == 0o604
    finally:
        os.umask(old)
    assert not [p.name for p in work.iterdir() if p.name.startswith(".")]


def test_evaluate_writes_its_three_files_with_the_umask(run_cli, corpus_dir, tmp_path):
    pytest.importorskip("matplotlib")
    old = os.umask(0o027)
    try:
        code, _, _ = run_cli("evaluate", "--data", str(corpus_dir), "--folds", "3", "--C", "1", "-q",
                             "-o", str(tmp_path / "new" / "m.json"))
    finally:
        os.umask(old)
    assert code == 0
    written = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").iterdir()}
    assert written == {"m.json": 0o640, "m.md": 0o640, "m.png": 0o640}


def test_an_unusable_output_place_is_one_line_before_the_work(run_cli, work):
    (work / "plain-file").write_text("x", encoding="utf-8")
    (work / "a-directory").mkdir()
    before = tree(work)
    # the model does not exist: had the work started, the error would be about the model
    for output, problem in (("plain-file/out.jsonl", "is not a directory"), ("a-directory", "is a directory")):
        code, _, err = run_cli("predict", "a.txt", "--model", str(work / "no-model"), "-o", output)
        assert code == 2
        one_error(err, problem)
    code, _, err = run_cli("evaluate", "--data", str(work / "no-corpus"), "-o", "plain-file/m.json")
    assert code == 2
    one_error(err, "is not a directory")
    code, _, err = run_cli("data", "export", "plain-file/x.csv", "--data", str(work / "no-corpus"))
    assert code == 2
    one_error(err, "is not a directory")
    assert tree(work) == before


@pytest.mark.skipif(ROOT_USER, reason="root may write into a read-only directory")
def test_a_read_only_output_directory_is_one_line_before_the_work(run_cli, work):
    (work / "ro").mkdir()
    os.chmod(work / "ro", 0o555)
    try:
        code, _, err = run_cli("predict", "a.txt", "--model", str(work / "no-model"), "-o", "ro/out.jsonl")
    finally:
        os.chmod(work / "ro", 0o755)
    assert code == 2
    one_error(err, "is not writable")


def test_the_output_suffix_picks_the_format_unless_format_says_otherwise(run_cli, work, trained_model_dir):
    model = ["--model", str(trained_model_dir), "-q"]
    assert run_cli("predict", "a.txt", *model, "-o", "out.csv")[0] == 0
    assert (work / "out.csv").read_bytes().startswith(b"\xef\xbb\xbffile,index,")
    assert run_cli("predict", "a.txt", *model, "-o", "out.jsonl")[0] == 0
    assert json.loads((work / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])["file"] == "a.txt"
    assert run_cli("predict", "a.txt", *model, "--format", "jsonl", "-o", "forced.csv")[0] == 0
    assert json.loads((work / "forced.csv").read_text(encoding="utf-8").splitlines()[0])["file"] == "a.txt"
    assert run_cli("summarize", "a.txt", *model, "-o", "sum.jsonl")[0] == 0
    assert json.loads((work / "sum.jsonl").read_text(encoding="utf-8"))["file"] == "a.txt"
    before = tree(work)
    code, _, err = run_cli("predict", "a.txt", *model, "-o", "out.xlsx")
    assert code == 2
    one_error(err, "xlsx")
    assert tree(work) == before


def test_temporary_outputs_of_a_killed_run_are_removed_by_the_next_write(run_cli, work):
    pid = dead_pid()
    stale, live = work / f".out.jsonl.tmp-{pid}-abcd", work / f".out.jsonl.tmp-{os.getpid()}-abcd"
    other = work / f".other.jsonl.tmp-{pid}-abcd"
    for path in (stale, live, other):
        path.write_text("partial", encoding="utf-8")
    assert run_cli("segment", "a.txt", "-o", "out.jsonl")[0] == 0
    assert not stale.exists() and live.exists() and other.exists()


def test_a_failed_write_is_one_line_and_keeps_the_old_output(run_cli, work, monkeypatch):
    import errno

    from classifier import files

    (work / "out.jsonl").write_text("yesterday\n", encoding="utf-8")
    before = tree(work)

    def full(tmp, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "publish", full)
    code, _, err = run_cli("segment", "a.txt", "-o", "out.jsonl")
    assert code == 1
    one_error(err, "out.jsonl", "No space left on device")
    assert tree(work) == before


def test_a_failed_model_save_is_one_line_and_keeps_the_old_model(run_cli, corpus_dir, trained_model_dir, tmp_path,
                                                                 monkeypatch):
    import errno

    model = shutil.copytree(trained_model_dir, tmp_path / "model")
    before = tree(tmp_path)

    def full(staging, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(persistence, "swap_in", full)
    code, _, err = run_cli("train", "--data", str(corpus_dir), "--output", str(model), "--C", "1", "-q")
    assert code == 3
    one_error(err, str(model), "No space left on device")
    assert tree(tmp_path) == before


# --- spreadsheets -------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://example.com","点击")开展普法宣传。', "+1+2开展执法检查。", "-3+4优化营商环境。",
            "@SUM(1)下一步加强执法。"]


def test_predict_csv_writes_formula_like_cells_as_text(run_cli, work, trained_model_dir):
    import csv

    (work / "f.txt").write_text("\n".join(FORMULAS) + "\n", encoding="utf-8")
    assert run_cli("predict", "f.txt", "--model", str(trained_model_dir), "-o", "f.csv")[0] == 0
    rows = list(csv.reader((work / "f.csv").read_text(encoding="utf-8-sig").splitlines()))
    texts = [row[rows[0].index("text")] for row in rows[1:]]
    assert texts == ["'" + line for line in FORMULAS]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "@", "\t", "\r")]


def _summary_file(work: Path) -> str:
    name = "=1+2.txt"
    (work / name).write_text(REPORT, encoding="utf-8")
    return name


def test_summarize_csv_writes_formula_like_cells_as_text(run_cli, work, trained_model_dir):
    import csv

    name = _summary_file(work)
    assert run_cli("summarize", name, "--model", str(trained_model_dir), "-o", "s.csv", "-q")[0] == 0
    rows = list(csv.reader((work / "s.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][rows[0].index("file")] == "'=1+2.txt"
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "@", "\t", "\r")]


def test_summarize_xlsx_stores_formula_like_cells_as_strings(run_cli, work, trained_model_dir):
    openpyxl = pytest.importorskip("openpyxl")
    name = _summary_file(work)
    assert run_cli("summarize", name, "--model", str(trained_model_dir), "-o", "s.xlsx", "-q")[0] == 0
    sheet = openpyxl.load_workbook(work / "s.xlsx")["reports"]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("file") + 1)
    assert cell.value == "=1+2.txt" and cell.data_type == "s"
    with zipfile.ZipFile(work / "s.xlsx") as book:
        sheets = [book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)


# --- models -------------------------------------------------------------------------------------------

def test_train_requires_output(run_cli, corpus_dir, capsys):
    with pytest.raises(SystemExit) as exit_:
        run_cli("train", "--data", str(corpus_dir))
    assert exit_.value.code == 2 and "--output" in capsys.readouterr().err


def test_train_replaces_the_bundled_model_only_with_force(run_cli, corpus_dir, trained_model_dir, tmp_path, monkeypatch):
    bundled = tmp_path / "bundled"
    shutil.copytree(trained_model_dir, bundled)
    monkeypatch.setenv("CLASSIFIER_MODEL", str(bundled))
    before = tree(tmp_path)
    code, _, err = run_cli("train", "--data", str(corpus_dir), "--output", str(bundled), "--C", "1", "-q")
    assert code == 2
    one_error(err, "bundled model", "--force")
    assert tree(tmp_path) == before
    code, _, _ = run_cli("train", "--data", str(corpus_dir), "--output", str(bundled), "--C", "1", "--force", "-q")
    assert code == 0 and load_state(bundled)[2]["training"]["C"] == 1


@pytest.mark.parametrize("what", ["corpus", "models", "file", "link"])
def test_train_refuses_an_output_that_is_not_a_model_directory(run_cli, corpus_dir, trained_model_dir, tmp_path, what):
    if what == "corpus":
        target = shutil.copytree(corpus_dir, tmp_path / "corpus")
    elif what == "models":
        target = tmp_path / "models"
        shutil.copytree(trained_model_dir, target / "default")
        shutil.copytree(trained_model_dir, target / "mine")
    elif what == "file":
        target = tmp_path / "notes.txt"
        target.write_text("mine", encoding="utf-8")
    else:
        target = tmp_path / "link"
        shutil.copytree(trained_model_dir, tmp_path / "real")
        target.symlink_to(tmp_path / "real")
    before = tree(tmp_path)
    code, _, err = run_cli("train", "--data", str(corpus_dir), "--output", str(target), "--C", "1", "-q")
    assert code == 2
    one_error(err, str(target), "not a")
    assert tree(tmp_path) == before


def test_train_into_an_empty_directory_or_over_a_model_keeps_its_mode(run_cli, corpus_dir, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o751)
    os.chmod(empty, 0o751)
    assert run_cli("train", "--data", str(corpus_dir), "--output", str(empty), "--C", "1", "-q")[0] == 0
    assert stat.S_IMODE(empty.stat().st_mode) == 0o751
    os.chmod(empty, 0o755)
    assert run_cli("train", "--data", str(corpus_dir), "--output", str(empty), "--C", "0.3", "-q")[0] == 0
    assert stat.S_IMODE(empty.stat().st_mode) == 0o755 and load_state(empty)[2]["training"]["C"] == 0.3
    old = os.umask(0o027)
    try:
        assert run_cli("train", "--data", str(corpus_dir), "--output", str(tmp_path / "new"), "--C", "1", "-q")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o750
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").iterdir()} == {0o640}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "new"]  # no staging, lock or old copy left


def _rewrite_state(model: Path, text: str) -> None:
    (model / STATE).write_text(text, encoding="utf-8")
    rehash(model)


def _rewrite_arrays(model: Path, change) -> None:
    with np.load(model / ARRAYS) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    np.savez_compressed(model / ARRAYS, **arrays)
    rehash(model)


@pytest.mark.parametrize("damage, file, problem", [
    (lambda m: _rewrite_arrays(m, lambda a: a["coef"].__setitem__((0, 0), np.nan)), ARRAYS, "non-finite"),
    (lambda m: _rewrite_arrays(m, lambda a: a["intercept"].__setitem__(0, np.inf)), ARRAYS, "non-finite"),
    (lambda m: _rewrite_arrays(m, lambda a: a.__setitem__("unused", np.zeros(3))), ARRAYS, "expected"),
    (lambda m: _rewrite_arrays(m, lambda a: a.__setitem__("coef", a["coef"].astype(str))), ARRAYS, "not numbers"),
    (lambda m: _rewrite_state(m, "{broken"), STATE, "not valid JSON"),
])
def test_a_damaged_model_is_refused_naming_the_file(run_cli, work, trained_model_dir, damage, file, problem):
    model = shutil.copytree(trained_model_dir, work / "model")
    damage(model)
    before = tree(work)
    code, out, err = run_cli("predict", "a.txt", "--model", str(model), "--format", "jsonl")
    assert code == 3 and out == ""
    one_error(err, str(model / file), problem)
    assert tree(work) == before


def test_duplicate_classes_are_refused_naming_model_json(run_cli, work, trained_model_dir):
    model = shutil.copytree(trained_model_dir, work / "model")
    state = json.loads((model / STATE).read_text(encoding="utf-8"))
    state["classes"][1] = state["classes"][0]
    (model / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    rehash(model)
    code, _, err = run_cli("predict", "a.txt", "--model", str(model))
    assert code == 3
    one_error(err, str(model / STATE), "repeat", state["classes"][0])


def test_an_oversize_model_file_is_refused_before_it_is_read(trained_model_dir, tmp_path, monkeypatch):
    model = shutil.copytree(trained_model_dir, tmp_path / "model")
    monkeypatch.setattr(directory, "MAX_BYTES", (model / ARRAYS).stat().st_size - 1)
    with pytest.raises(ModelError, match="more than a model file may hold") as error:
        load_state(model)
    assert error.value.where == str(model / ARRAYS)
    monkeypatch.setattr(directory, "MAX_BYTES", 1 << 30)
    monkeypatch.setattr(persistence, "MAX_BYTES", 1000)  # now a single array is over the limit
    with pytest.raises(ModelError, match=r"the array \w+ is \d+ bytes, more than") as error:
        load_state(model)
    assert error.value.where == str(model / ARRAYS)


def test_info_says_when_a_model_has_no_cross_validated_figures(run_cli, corpus_dir, tmp_path):
    model = tmp_path / "fixed-c"
    assert run_cli("train", "--data", str(corpus_dir), "--output", str(model), "--C", "1", "-q")[0] == 0
    code, out, _ = run_cli("info", "--model", str(model))
    assert code == 0 and "no cross-validated figures" in out and "0.000" not in out


def test_a_reader_racing_a_swap_gets_the_new_model(trained_model_dir, tmp_path, monkeypatch):
    """The directory is replaced between reading the card and reading the arrays: read again, whole."""
    model = shutil.copytree(trained_model_dir, tmp_path / "model")
    pipeline, card = load_pipeline(model)
    read_member, swapped = directory._read_member, []

    def racing(dir_fd, path, name):
        if name == ARRAYS and not swapped:
            swapped.append(True)
            save_model(pipeline, {**card, "note": "new"}, model)
        return read_member(dir_fd, path, name)

    monkeypatch.setattr(directory, "_read_member", racing)
    arrays, state, loaded = load_state(model)
    assert swapped and loaded["note"] == "new"


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step exchange", "two renames"])
def test_readers_and_concurrent_saves_never_see_a_broken_model(trained_model_dir, tmp_path, monkeypatch, exchange):
    if not exchange:  # as on systems without renameat2
        monkeypatch.setattr(directory, "_exchange", lambda a, b: False)
    model = shutil.copytree(trained_model_dir, tmp_path / "model")
    pipeline, card = load_pipeline(model)
    failures: list[BaseException] = []

    def save(k: int) -> None:
        try:
            for j in range(4):
                save_model(pipeline, {**card, "note": f"{k}-{j}"}, model)
        except BaseException as exc:  # noqa: BLE001 — collected for the assertion
            failures.append(exc)

    savers = [threading.Thread(target=save, args=(k,)) for k in range(3)]
    for thread in savers:
        thread.start()
    notes = set()
    while any(thread.is_alive() for thread in savers):
        notes.add(load_state(model)[2].get("note"))  # raises if it ever sees half a model
    for thread in savers:
        thread.join()
    assert failures == []
    assert load_state(model)[2]["note"] in {f"{k}-3" for k in range(3)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_stale_staging_directories_are_removed_only_when_ours_and_dead(trained_model_dir, tmp_path):
    model = shutil.copytree(trained_model_dir, tmp_path / "model")
    pipeline, card = load_pipeline(model)
    dead = dead_pid()
    ours_dead = tmp_path / f".model.staging-{dead}-0001"
    ours_alive = tmp_path / f".model.staging-{os.getpid()}-0002"
    unmarked = tmp_path / f".model.staging-{dead}-0003"
    for path in (ours_dead, ours_alive, unmarked):
        path.mkdir()
        (path / "model.npz").write_bytes(b"half")
    for path in (ours_dead, ours_alive):
        (path / directory.MARKER).write_bytes(b"")
    save_model(pipeline, card, model)
    assert not ours_dead.exists() and ours_alive.exists() and unmarked.exists()


# --- the tokenizer cache ------------------------------------------------------------------------------

@pytest.fixture
def no_home(tmp_path, monkeypatch):
    """XDG_CACHE_HOME and HOME where nothing can be created (under a plain file); temp dir of our own."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    monkeypatch.setenv("HOME", str(blocker / "home"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    tokens._tokenizer.cache_clear()
    tokens._cut.cache_clear()
    yield tmp_path
    tokens._tokenizer.cache_clear()
    tokens._cut.cache_clear()


def test_without_a_home_the_cache_is_private_under_the_temp_dir_never_here(no_home):
    uid = os.geteuid()
    assert tokens.tokenize("法治政府建设") == ["法治政府", "建设"]
    private = no_home / "tmp" / f"classifier-{uid}"
    assert tokens.cache_dir() == private
    info = private.lstat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == uid
    assert list(private.glob("jieba-*.dict")) and list((no_home / "cwd").iterdir()) == []
    assert [p.name for p in (no_home / "tmp").iterdir()] == [f"classifier-{uid}"]  # no jieba.cache either


@pytest.mark.parametrize("planted", ["writable by others", "someone else's", "a link"])
def test_a_planted_cache_directory_is_not_trusted(no_home, capfd, planted):
    private = no_home / "tmp" / f"classifier-{os.geteuid()}"
    if planted == "a link":
        (no_home / "elsewhere").mkdir(mode=0o700)
        private.symlink_to(no_home / "elsewhere")
    else:
        private.mkdir()
        os.chmod(private, 0o777 if planted == "writable by others" else 0o700)
        if planted == "someone else's":
            if not ROOT_USER:
                pytest.skip("only root can give a directory to someone else")
            os.chown(private, 65534, 65534)
    before = tree(no_home)
    assert tokens.cache_dir() is None
    assert tokens.tokenize("法治政府建设") == ["法治政府", "建设"]  # correct without any cache
    assert tree(no_home) == before  # nothing read from or written to the planted directory, nor here
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "jieba" not in captured.err
