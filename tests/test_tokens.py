"""The tokenizer: jieba with our dictionary, picklable, quiet, caching in a private directory."""
from __future__ import annotations

import logging
import os
import pickle
import stat

from classifier import tokens
from classifier.tokens import cache_dir, lexicon, tokenize


def test_domain_terms_stay_whole_including_punctuated_ones():
    words = tokenize("深入推进“双随机、一公开”监管，落实谁执法谁普法责任制，优化营商环境")
    for term in ("双随机、一公开", "谁执法谁普法", "营商环境"):
        assert term in words


def test_every_shipped_term_is_one_token():
    for term, _ in lexicon():
        if not term.isdigit():
            assert tokenize(term) == [term], term


def test_digits_generalise_and_text_is_normalised():
    assert tokenize("2023年") == tokenize("２０２４年")
    assert tokenize("執法檢查") == tokenize("执法检查")


def test_tokenize_is_picklable_by_reference():
    restored = pickle.loads(pickle.dumps(tokenize))
    assert restored is tokenize


def test_jieba_logs_nothing_at_info(caplog):
    tokens._tokenizer.cache_clear()
    with caplog.at_level(logging.INFO):
        tokenize("开展普法宣传")
    assert not [r for r in caplog.records if r.name == "jieba" and r.levelno < logging.WARNING]


def test_cache_directory_is_private_and_not_the_shared_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = cache_dir()
    assert path.parent == tmp_path
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0
