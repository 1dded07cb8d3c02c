"""The instruction counts: what is read from callgrind's files, and what is taken away for loading."""
from __future__ import annotations

import pytest

from benchmarks import instructions


def test_the_total_is_read_from_the_totals_line_else_the_summary_line(tmp_path):
    out = tmp_path / "callgrind.1"
    out.write_text("# callgrind format\nevents: Ir\nsummary: 500\nfl=(1) x.c\n0 3\ntotals: 700\n", encoding="utf-8")
    assert instructions.total(out) == 700
    out.write_text("events: Ir\nsummary: 500 \n", encoding="utf-8")
    assert instructions.total(out) == 500


def test_a_file_without_a_count_is_refused_by_name(tmp_path):
    out = tmp_path / "notes.txt"
    out.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="notes.txt: no totals or summary line"):
        instructions.total(out)


def test_every_process_has_the_loading_count_taken_away(monkeypatch, tmp_path):
    by_run = {"--load-only": [100], "": [1100], "--jobs": [700, 500], "--share": [650, 650]}

    def fake_counts(listing, parts, spool):
        flags = [f for f in parts[0] if f != "--no-reuse"]
        return by_run[flags[0] if flags else ""]

    monkeypatch.setattr(instructions, "counts", fake_counts)
    runs = instructions.measure(tmp_path / "files.txt", tmp_path)["runs"]["workload"]
    assert runs["one process"]["instructions"] == 1000
    assert runs["--jobs 2"]["instructions"] == 1000  # the worker starts with its parent's count of 100
    assert runs["two processes side by side"]["of_one_process"] == pytest.approx(1.1)


def test_each_baseline_is_counted_after_loading_and_set_against_ours_on_the_same_files(monkeypatch, tmp_path):
    trained, listed = [], []
    monkeypatch.setattr(instructions, "run", lambda argv: trained.append(argv[2]))
    monkeypatch.setattr(instructions, "workload", lambda folder, copies: (folder / "files.txt", {"files": 2, "units": 9}))
    monkeypatch.setattr(instructions.importlib.util, "find_spec", lambda name: None)  # no fastText
    spent = {"ours": 1300, "plain": 5300}

    def fake_counts(listing, parts, spool, system):
        listed.append(listing)
        return [300] if parts == [["--load-only"]] else [spent[system[0]]]

    monkeypatch.setattr(instructions, "counts", fake_counts)
    found = instructions.baselines(tmp_path)
    assert trained == ["benchmarks.plain_script"] and set(listed) == {tmp_path / "once" / "files.txt"}
    assert found["instructions"] == {"classifier": 1000, "plain script": 5000}
    assert found["of_ours"] == {"classifier": 1.0, "plain script": 5.0}
