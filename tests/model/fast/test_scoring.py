"""Prediction without scikit-learn gives the scikit-learn Pipeline's probabilities, and starts without it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from classifier import load_model
from classifier.corpus.corpus import load_corpus
from classifier.model.pipeline import fit, training_set
from classifier.run.predict import Model
from classifier.model.records import sentence_records, unit_records
from classifier.read.reading import read_document
from classifier.model.fast.scoring import LinearScorer, char_ngrams, word_ngrams
from classifier.units.segments import segment

ROOT = Path(__file__).resolve().parents[3]


def _same(model, records):
    fast, reference = model._scorer.predict_proba(records), model.pipeline.predict_proba(records)
    np.testing.assert_allclose(fast, reference, rtol=0, atol=1e-9)
    assert (fast.argmax(axis=1) == reference.argmax(axis=1)).all()


def test_the_scorer_matches_the_pipeline_on_a_trained_model(trained_model_dir, corpus_dir):
    model = load_model(trained_model_dir)
    for path in sorted((corpus_dir / "reports").iterdir()):
        units = segment(read_document(path).text)
        _same(model, unit_records(units))
        _same(model, sentence_records([u.text for u in units] + ["", "  ", "ABC 123", "下一步，將深化普法！"]))


def test_the_scorer_matches_the_pipeline_on_the_bundled_model():
    model = load_model(ROOT / "models" / "default")
    for name in ("2022-yongle-town.txt", "2016-hualing-county.txt"):
        units = segment(read_document(ROOT / "data" / "reports" / name).text)
        _same(model, unit_records(units))
        _same(model, sentence_records(u.text for u in units))


def test_a_two_label_model_scores_alike(corpus_dir, tmp_path):
    from classifier.config import DEFAULTS
    from classifier.model.persistence import export_state

    data = training_set(load_corpus(corpus_dir))
    keep = [i for i, label in enumerate(data.labels) if label in ("plan", "publicity")]
    pipeline, _ = fit(data.subset(keep), C=1.0)
    arrays, state = export_state(pipeline, DEFAULTS)
    model = Model(pipeline, {}, scorer=LinearScorer(arrays, state))
    records = [data.records[i] for i in keep]
    _same(model, records)
    assert model.labels == ["plan", "publicity"]


def test_a_model_built_from_a_pipeline_still_predicts(trained_model_dir):
    loaded = load_model(trained_model_dir)
    plain = Model(loaded.pipeline, loaded.card)
    texts = ["下一步，将深入开展民法典宣传。", "开展农资市场专项整治。"]
    assert plain.predict(texts) == loaded.predict(texts)
    assert plain.predict_proba(texts) == loaded.predict_proba(texts)


def test_no_records_give_no_rows(trained_model_dir):
    scorer = load_model(trained_model_dir)._scorer
    assert scorer.predict_proba([]).shape == (0, len(scorer.classes_))


@pytest.mark.parametrize("tokens, low, high", [(["a", "b", "c"], 1, 2), (["a", "b", "c"], 2, 3), (["a"], 1, 3),
                                               ([], 1, 2), (["a", "b"], 1, 1)])
def test_word_ngrams_are_scikit_learns(tokens, low, high):
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(tokenizer=lambda s: s.split("|") if s else [], token_pattern=None,
                               lowercase=False, ngram_range=(low, high)).build_analyzer()
    assert word_ngrams(tokens, low, high) == analyzer("|".join(tokens))


@pytest.mark.parametrize("text", ["", "a", "法治  政府\t建设", "下一步,将深化普法。", "  x  "])
def test_char_ngrams_are_scikit_learns(text):
    from sklearn.feature_extraction.text import TfidfVectorizer

    for low, high in ((1, 3), (2, 4), (1, 1)):
        analyzer = TfidfVectorizer(analyzer="char", lowercase=False, ngram_range=(low, high)).build_analyzer()
        assert char_ngrams(text, low, high) == analyzer(text)


def test_predicting_does_not_import_scikit_learn():
    code = ("import sys; from classifier import load_model; import classifier.cli, classifier.run.batch; "
            "m = load_model(); m.classify_report('一、主要做法\\n开展普法宣传。\\n'); m.predict('下一步,将深化普法。'); "
            "print(sorted(n for n in ('sklearn', 'scipy', 'pandas', 'matplotlib') if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_character_n_grams_counted_with_numpy_are_the_ones_looked_up(trained_model_dir):
    import random
    from collections import Counter

    scorer = load_model(trained_model_dir)._scorer
    assert scorer.char_index is not None
    rnd = random.Random(0)
    alphabet = [t for t in scorer.chars if len(t) == 1] + [" ", "\t", "\n", "\u3000", "\xa0", "𠀀", "\ud800"]
    texts = ["", "a", "  ", "法 ", " 治", "\u3000\u3000", "\u3001\u3001"]  # runs across two texts' ends are not folded
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(300)]
    rows, cols, counts = scorer.char_index.count(texts)
    for k, text in enumerate(texts):
        expected = Counter(map(scorer.chars.get, char_ngrams(text, 1, 3)))
        expected.pop(None, None)
        assert {int(c): int(n) for r, c, n in zip(rows, cols, counts) if r == k} == dict(expected), repr(text)


def test_the_scorer_without_the_numpy_index_matches_too(trained_model_dir, corpus_dir):
    model = load_model(trained_model_dir)
    model._scorer.char_index = None
    units = segment(read_document(sorted((corpus_dir / "reports").iterdir())[0]).text)
    _same(model, unit_records(units))


def test_the_scorer_joining_word_n_grams_as_strings_matches_too(trained_model_dir, corpus_dir):
    model = load_model(trained_model_dir)
    assert model._scorer.word_grams is not None
    model._scorer.word_grams = None
    units = segment(read_document(sorted((corpus_dir / "reports").iterdir())[1]).text)
    _same(model, unit_records(units))


@pytest.mark.parametrize("changes", [{"word_ngrams": (1, 3), "char_ngrams": (1, 3), "min_df": 1},
                                     {"word_ngrams": (1, 2), "char_ngrams": (2, 3)},
                                     {"word_ngrams": (1, 1), "neighbours": 0.0, "cues": 0.0}])
def test_models_with_other_features_score_alike(corpus_dir, changes):
    from classifier.config import DEFAULTS
    from classifier.model.pipeline import config_for
    from classifier.model.persistence import export_state

    config = config_for(DEFAULTS, **changes)
    data = training_set(load_corpus(corpus_dir))
    pipeline, _ = fit(data, config, C=1.0)
    arrays, state = export_state(pipeline, config)
    model = Model(pipeline, {}, scorer=LinearScorer(arrays, state))
    assert (model._scorer.word_grams is not None) and len(model._scorer.word_grams.tables) == config.word_ngrams[1] - 1
    for path in sorted((corpus_dir / "reports").iterdir())[:3]:
        records = unit_records(segment(read_document(path).text))
        _same(model, records)
        _same(model, records[::2])  # neighbours and headings outside the batch


def test_records_scored_in_one_batch_or_one_by_one_are_alike():
    model = load_model(ROOT / "models" / "default")
    records = unit_records(segment(read_document(ROOT / "data" / "reports" / "2022-yongle-town.txt").text))
    together = model._scorer.predict_proba(records)
    alone = np.vstack([model._scorer.predict_proba([r]) for r in records])
    np.testing.assert_allclose(together, alone, rtol=0, atol=1e-12)
