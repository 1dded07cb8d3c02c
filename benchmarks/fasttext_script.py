"""fastText on jieba words: the other thing a user would try (needs the benchmark extra, fasttext-wheel).

    python -m benchmarks.fasttext_script train data model.ftz
    python -m benchmarks.fasttext_script predict model.ftz report.txt

Sentences are split as in ``plain_script``; each becomes its jieba words joined by spaces.
The settings are those of fastText's text-classification tutorial (25 epochs, learning
rate 1.0, word bigrams), with a hash table of 200,000 buckets instead of 2,000,000 so the
model is 80 MB rather than 800 MB.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile

import jieba

from benchmarks.plain_script import command_line, labelled, read, sentences

jieba.setLogLevel(logging.WARNING)
SETTINGS = {"epoch": 25, "lr": 1.0, "wordNgrams": 2, "bucket": 200_000, "dim": 100, "minCount": 1, "seed": 0}


def line(text):
    return " ".join(w for w in jieba.lcut(text) if not w.isspace())


def fit(texts, labels):
    fd, path = tempfile.mkstemp(suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for text, label in zip(texts, labels):
                f.write(f"__label__{label} {line(text)}\n")
        import fasttext

        return fasttext.train_supervised(input=path, verbose=0, **SETTINGS)
    finally:
        os.unlink(path)


def train(data_dir, model_path):
    fit(*labelled(data_dir)).save_model(str(model_path))


def load(model_path):
    import fasttext

    return fasttext.load_model(str(model_path))


def predict_texts(model, texts):
    labels, _ = model.predict([line(t) for t in texts])
    return [found[0].removeprefix("__label__") for found in labels]


def predict_file(model, path):
    units = sentences(read(path))
    return list(zip(units, predict_texts(model, units))) if units else []


def main(argv):
    command_line(argv, train, load, predict_file)


if __name__ == "__main__":
    main(sys.argv[1:])
