"""Character n-grams counted over a batch with numpy are scikit-learn's, white space runs folded per text."""
from __future__ import annotations

import random
from collections import Counter

from classifier.model.fast.charindex import CharIndex
from classifier.model.fast.scoring import char_ngrams


def test_runs_of_white_space_fold_within_a_text_and_not_across_texts():
    terms = [" ", "\t", "\u3000", "法", "治", " 治", "法 ", "法\t", "\t治", " 法 ", "\u3000法", "法\u3000"]
    index = CharIndex.from_terms(terms, offset=0)
    assert index is not None
    rnd = random.Random(3)
    alphabet = ["法", "治", " ", "\t", "\u3000", "\n", "\xa0"]
    texts = ["法 ", " 治", "法\t\t", "\t\t治", "  ", "", "\u3000\u3000法", " 法  \t 治 "]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(400)]
    rows, cols, counts = index.count(texts)
    for k, text in enumerate(texts):
        expected = Counter(terms.index(g) for g in char_ngrams(text, 1, 3) if g in terms)
        assert {int(c): int(n) for r, c, n in zip(rows, cols, counts) if r == k} == dict(expected), repr(text)


def test_texts_without_white_space_are_counted_as_they_are():
    index = CharIndex.from_terms(["法", "法治", "治"], offset=10)
    assert index is not None
    assert [a.tolist() for a in index.count(["法治法", "", "治"])] == [[0, 0, 0, 2], [10, 11, 12, 12], [2, 1, 1, 1]]
