"""The script a user would write instead of using this project: jieba words, TF-IDF, a linear SVM.

    python -m benchmarks.plain_script train data model.pkl       # labelled units of data/labelled/*.jsonl
    python -m benchmarks.plain_script predict model.pkl report.txt

It reads a report, splits it into sentences at 。！？ and line breaks, and labels each
sentence from its text alone. The benchmark runs it as a fresh process for the cold start
and imports it for throughput, training and macro-F1.
"""
from __future__ import annotations

import json
import logging
import pickle
import re
import sys
from pathlib import Path

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

jieba.setLogLevel(logging.WARNING)


def words(text):
    # jieba.lcut itself cannot be pickled (its tokenizer holds a lock)
    return jieba.lcut(text)


def build():
    return make_pipeline(TfidfVectorizer(tokenizer=words, token_pattern=None), LinearSVC())


def read(path):
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # some reports are in GB18030
        return data.decode("gb18030")


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[。！？])|\n", text) if s.strip()]


def labelled(data_dir):
    texts, labels = [], []
    for path in sorted(Path(data_dir, "labelled").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            unit = json.loads(line)
            texts.append(unit["text"])
            labels.append(unit["label"])
    return texts, labels


def train(data_dir, model_path):
    texts, labels = labelled(data_dir)
    model = build().fit(texts, labels)
    Path(model_path).write_bytes(pickle.dumps(model))


def load(model_path):
    return pickle.loads(Path(model_path).read_bytes())


def predict_file(model, path):
    units = sentences(read(path))
    return list(zip(units, model.predict(units))) if units else []


def command_line(argv, train, load, predict_file):
    """`train DATA MODEL` or `predict MODEL FILE...` (a label and a sentence per line)."""
    if argv[0] == "train":
        train(argv[1], argv[2])
        return
    model = load(argv[1])
    for path in argv[2:]:
        for text, label in predict_file(model, path):
            print(f"{label}\t{text}")


def main(argv):
    command_line(argv, train, load, predict_file)


if __name__ == "__main__":
    # run through the module, so that the pickled model refers to benchmarks.plain_script.words
    from benchmarks import plain_script

    plain_script.main(sys.argv[1:])
