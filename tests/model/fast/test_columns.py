"""Feature columns computed for a whole batch are the ones the record-at-a-time definitions give."""
from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from classifier import load_model
from classifier.model.fast.columns import ContextColumns, Views, WordGrams, lexicon, spans
from classifier.read.normalize import normalize
from classifier.read.reading import read_document
from classifier.model.records import context_features, heading_words, sentence_records, unit_records
from classifier.model.fast.scoring import word_ngrams
from classifier.units.segments import segment


def _by_row(rows, cols, values) -> list[dict[int, float]]:
    out: list[dict[int, float]] = []
    for r, c, v in zip(rows.tolist(), cols.tolist(), values.tolist()):
        out.extend({} for _ in range(r + 1 - len(out)))
        assert c not in out[r], "a column appears twice in one row"
        out[r][c] = v
    return out


def _vocabulary(words: list[str], high: int, rnd: random.Random) -> dict[str, int]:
    known = words[:-3]  # the last three words are not in the vocabulary
    seen = [" ".join(rnd.choice(known) for _ in range(n)) for n in range(2, high + 1) for _ in range(60)]
    terms = sorted(set(known) | set(seen))
    return dict(zip(terms, range(len(terms))))


@pytest.mark.parametrize("high", [1, 2, 3])
def test_word_n_grams_as_integer_keys_count_what_joined_strings_count(high):
    rnd = random.Random(high)
    words = [f"w{k}" for k in range(12)]
    vocabulary = _vocabulary(words, high, rnd)
    grams = WordGrams.build(vocabulary, 1, high)
    assert grams is not None
    records = [[rnd.choice(words) for _ in range(rnd.randint(0, 9))] for _ in range(400)] + [[], ["w1"], []]
    got = _by_row(*grams.count(records))
    got += [{} for _ in range(len(records) - len(got))]
    for k, tokens in enumerate(records):
        expected = Counter(vocabulary[g] for g in word_ngrams(tokens, 1, high) if g in vocabulary)
        assert got[k] == dict(expected), tokens


def test_word_n_grams_of_words_numbered_in_a_larger_lexicon_are_the_same():
    rnd = random.Random(7)
    words = [f"w{k}" for k in range(12)]
    vocabulary = _vocabulary(words, 3, rnd)
    shared = lexicon([f"x{k}" for k in range(5)], reversed(words))  # other words first, another order
    records = [[rnd.choice(words + ["x1"]) for _ in range(rnd.randint(0, 9))] for _ in range(300)]
    own, wide = WordGrams.build(vocabulary, 1, 3), WordGrams.build(vocabulary, 1, 3, shared)
    assert own is not None and wide is not None
    for a, b in zip(own.count(records), wide.count(records)):
        assert a.tolist() == b.tolist()


def test_spans_lists_each_run_of_positions_in_order():
    assert spans(np.array([5, 0, 2]), np.array([2, 0, 3])).tolist() == [5, 6, 2, 3, 4]
    assert spans(np.zeros(0, np.int64), np.zeros(0, np.int64)).tolist() == []


def test_word_n_grams_that_integer_keys_cannot_hold_are_left_to_strings():
    assert WordGrams.build({"a": 0, "a b": 1}, 2, 2) is None  # no unigrams to number the words by
    assert WordGrams.build({"a": 0}, 1, 4) is None
    assert WordGrams.build({"a": 0, "a b": 1}, 1, 2) is None  # "b" is not a unigram of the vocabulary


@pytest.fixture(scope="module")
def scorer(trained_model_dir):
    return load_model(trained_model_dir)._scorer


def _reference(scorer, records) -> list[dict[int, float]]:
    out = []
    for record in records:
        found = context_features(record, neighbours=scorer.neighbours, cues=scorer.cues)
        out.append({scorer.context[name]: value for name, value in found.items() if name in scorer.context})
    return out


def _batches(corpus_dir):
    for path in sorted((corpus_dir / "reports").iterdir())[:4]:
        records = unit_records(segment(read_document(path).text))
        yield records
        yield records[::3]  # neighbours and headings that are not in the batch
        yield [{k: v for k, v in r.items() if k not in ("role", "position")} for r in records]
        yield sentence_records(r["text"] for r in records)
    yield [{"text": "二是下一步将规范执法。", "path": ("(一)强化宣传", "1.规范执法"), "previous": "一、主要做法",
            "next": "", "role": "", "is_heading": True, "style": ""}, {"text": "", "path": ()}]


@pytest.mark.parametrize("shared", [False, True], ids=["own words", "words looked up with the batch"])
def test_context_columns_are_context_features_looked_up(scorer, corpus_dir, shared):
    words = lexicon(["深化", "普法"], scorer.lexicon) if shared else None  # numbered unlike the context's own
    columns = ContextColumns(scorer.context, scorer.neighbours, scorer.cues, words)
    for records in _batches(corpus_dir):
        got = _by_row(*columns.of(records, Views([r["text"] for r in records], words)))
        got += [{} for _ in range(len(records) - len(got))]
        assert got == _reference(scorer, records)


def test_a_batch_normalised_together_is_each_text_normalised():
    import re

    texts = ["", "（一）強化宣傳，开展２０２２年", "", "ＡＢＣ１２３" * 60, "。"]
    views = Views(texts)
    assert views.norms == [normalize(t) for t in texts]
    assert views.digits == [re.sub(r"\d", "0", normalize(t)) for t in texts]
    assert Views([]).norms == []


def test_body_words_keep_what_heading_words_keep():
    texts = ["一、主要做法", "(二)强化宣传2023年", "开展普法宣传20场。", "二是规范执法", "①首违不罚", "", "  ", "第三部分 下一步"]
    views = Views(texts[:4])
    for text in texts:
        kept = {w for w in views.body_words(text) if len(w) > 1 or w.isalnum()}
        assert kept == heading_words(text), text
