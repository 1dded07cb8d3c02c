"""`classifier summarize -o FILE` keeps each report's part in a journal as it goes: a killed run resumes to the
summary an uninterrupted run writes, and the journal goes once the summary is written."""
from __future__ import annotations

from reportfiles import killed_at_journal, report_files

from classifier.review.summary_stream import journal_path


def test_a_killed_summary_resumes_to_the_whole_summary(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = report_files(corpus_dir, tmp_path / "in", 16, copies=6) + [str(tmp_path / "missing.txt")]
    whole = tmp_path / "whole.jsonl"
    code, _, err = run_cli("summarize", *files, "--model", str(trained_model_dir), "-o", str(whole), "-q")
    assert code == 1 and "missing.txt" in err and not journal_path(whole).exists()
    out = tmp_path / "out.jsonl"
    journal = journal_path(out)
    killed_at_journal(["summarize", *files, "--model", str(trained_model_dir), "-o", str(out), "-q"], journal, 3)
    assert not out.exists() and journal.exists()
    done = len(journal.read_text(encoding="utf-8").splitlines()) - 1
    assert 0 < done < len(files)
    code, _, err = run_cli("summarize", *files, "--model", str(trained_model_dir), "-o", str(out), "-q", "--resume")
    assert code == 1 and err.strip().splitlines() == [line for line in err.strip().splitlines() if "missing" in line]
    assert out.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8")
    assert not journal.exists()


def test_resume_refuses_the_journal_of_another_summary(run_cli, corpus_dir, trained_model_dir, tmp_path):
    files = report_files(corpus_dir, tmp_path / "in", 16)
    out = tmp_path / "out.csv"
    journal_path(out).write_text('{"summarize": ["other.txt"], "model": null}\n', encoding="utf-8")
    code, _, err = run_cli("summarize", *files, "--model", str(trained_model_dir), "-o", str(out), "--resume")
    assert code == 2 and "other files or another model" in err and not out.exists()
