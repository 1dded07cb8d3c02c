"""Training on several corpora: weights, partly labelled reports in full context, bare sentences, repeats."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from classifier.config import DEFAULTS
from classifier.corpus.corpora import load_corpora, parse_weights
from classifier.corpus.corpus import LabelledUnit, load_corpus
from classifier.corpus.interchange import unit_record
from classifier.corpus.task_import import _with_headings
from classifier.errors import UsageError
from classifier.model.pipeline import training_set
from conftest import report_units, write_corpus


def partial_copy(corpus: Path, dest: Path, keep) -> Path:
    """A copy of ``corpus`` whose labelled files keep only the lines ``keep(k)`` says (headings as an import
    writes them: the nearest labelled heading above)."""
    shutil.copytree(corpus, dest)
    for path in (dest / "labelled").glob("*.jsonl"):
        units = [LabelledUnit(**json.loads(line)) for k, line in enumerate(path.read_text(encoding="utf-8").splitlines())
                 if keep(k)]
        path.write_text("".join(json.dumps(unit_record(u), ensure_ascii=False) + "\n" for u in _with_headings(units)),
                        encoding="utf-8")
    return dest


def test_a_partly_labelled_report_gives_its_units_their_full_context(corpus_dir, tmp_path):
    full = training_set(load_corpus(corpus_dir)[:1])
    part = training_set(load_corpus(partial_copy(corpus_dir, tmp_path / "part", lambda k: k % 3 == 2))[:1])
    kept = [r for k, r in enumerate(full.records) if k % 3 == 2]
    assert part.records == kept  # headings, role, position and neighbours as in the whole report
    assert any(r["role"] == "shortcomings" for r in part.records)


def test_bare_sentences_take_no_context_from_the_order_of_their_rows(tmp_path):
    rows = sorted((text, label) for text, label, heading in report_units(3) if not heading)
    path = tmp_path / "by-label.csv"
    path.write_text("text,label\n" + "".join(f"{t},{l}\n" for t, l in sorted(rows, key=lambda r: r[1])), encoding="utf-8")
    data = training_set(load_corpora([path]).reports)
    assert data.records == [{"text": t} for t, _ in sorted(rows, key=lambda r: r[1])]
    assert len(set(data.groups)) == len(rows)  # each sentence its own group


def test_weights_repeat_a_corpus_and_names_are_checked(corpus_dir, tmp_path):
    mine = partial_copy(corpus_dir, tmp_path / "mine", lambda k: k < 4)
    default = load_corpora([corpus_dir, mine], {})
    one = load_corpora([corpus_dir, mine], {"mine": 1})
    assert len(default.reports) - len(one.reports) == (DEFAULTS.user_weight - 1) * len(load_corpus(mine))
    three = load_corpora([corpus_dir, mine], parse_weights(["mine=3"], [str(corpus_dir), str(mine)]))
    assert len(three.reports) - len(one.reports) == 2 * len(load_corpus(mine))
    assert three.weights[str(mine)] == 3
    with pytest.raises(UsageError, match="'theirs' is not one of the --data sources"):
        parse_weights(["theirs=2"], [str(corpus_dir), str(mine)])
    with pytest.raises(UsageError, match="whole number"):
        parse_weights(["mine=0.5"], [str(corpus_dir), str(mine)])


def test_a_sentence_repeated_across_corpora_is_a_warning(corpus_dir, tmp_path):
    mine = partial_copy(corpus_dir, tmp_path / "mine", lambda k: k < 4)
    (mine / "stock-phrases.txt").write_text("", encoding="utf-8")
    warnings = load_corpora([corpus_dir, mine]).warnings
    assert any("is also in" in w for w in warnings)


def test_train_on_two_corpora_from_the_cli(corpus_dir, tmp_path, run_cli):
    mine = partial_copy(corpus_dir, tmp_path / "mine", lambda k: k == 0 or 3 <= k < 9)
    out = tmp_path / "model"
    code, _, err = run_cli("train", "--data", str(corpus_dir), "--data", str(mine), "--weight", "mine=2",
                           "--output", str(out), "--C", "0.1", "--jobs", "1", "-q")
    assert code == 0, err
    assert "warning: " in err and "is also in" in err  # mine's report titles are data's too
    card = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    units = sum(len(r.units) for r in load_corpus(corpus_dir)) + 2 * sum(len(r.units) for r in load_corpus(mine))
    assert card["training_data"]["units"] == units
    code, out_text, err = run_cli("evaluate", "--model", str(out), "--test", str(mine))
    assert code == 0, err
    assert "| label | precision | recall | F1 | units |" in out_text and "| true \\ predicted |" in out_text


def test_data_check_warns_and_strict_fails_on_a_repeated_sentence(corpus_dir, tmp_path, run_cli):
    data = shutil.copytree(corpus_dir, tmp_path / "data")
    (data / "stock-phrases.txt").write_text("", encoding="utf-8")
    code, _, err = run_cli("data", "check", str(data))
    assert code == 0 and "warning:" in err and "same text as" in err
    code, _, err = run_cli("data", "check", "--strict", str(data))
    assert code == 1 and "same text as" in err and "warning:" not in err


def test_evaluate_trains_on_two_corpora_and_tests_on_a_third(corpus_dir, tmp_path, run_cli):
    mine = partial_copy(corpus_dir, tmp_path / "mine", lambda k: 3 <= k < 9)
    theirs = write_corpus(tmp_path / "theirs", n_reports=2)
    (theirs / "labels.txt").write_text("\n".join(sorted({u.label for r in load_corpus(corpus_dir) for u in r.units})),
                                       encoding="utf-8")
    code, out_text, err = run_cli("evaluate", "--data", str(corpus_dir), "--data", str(mine), "--test", str(theirs),
                                  "--C", "0.1", "--jobs", "1", "-q")
    assert code == 0, err
    metrics = json.loads(out_text)
    assert metrics["units"] == sum(len(r.units) for r in load_corpus(theirs)) and "model.confusion_matrix" in metrics
