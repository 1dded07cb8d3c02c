"""Words of a unit: jieba with the project's domain dictionary.

    >>> tokenize("深入推进“双随机、一公开”监管")
    ['深入', '推进', '“', '双随机、一公开', '”', '监管']

``tokenize`` is a module-level function, so a fitted vectorizer that uses it pickles.
Text is normalised first (half-width punctuation, simplified characters) and digits
become ``0`` so that figures generalise (2023年 → 0000年).
"""
from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .normalize import normalize

_DIGITS = re.compile(r"\d")


def cache_dir() -> Path:
    """A private per-user directory for jieba's dictionary cache (not the shared /tmp)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    path = Path(base) / "classifier"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return Path.cwd()
    return path


def lexicon() -> list[tuple[str, int | None]]:
    """The shipped domain terms with their optional frequencies."""
    text = resources.files("classifier").joinpath("resources/lexicon.txt").read_text(encoding="utf-8")
    terms = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, freq = line.partition(" ")
            terms.append((normalize(word), int(freq) if freq else None))
    return terms


@lru_cache(maxsize=1)
def _tokenizer():
    """The jieba tokenizer with our terms, built once per process."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir())
    tk.initialize()
    protected = []
    for word, freq in lexicon():
        if re.fullmatch(r"[\u4e00-\u9fa5A-Za-z0-9]+", word):
            tk.add_word(word, freq)
        else:
            protected.append(word)
    pattern = re.compile("(" + "|".join(map(re.escape, sorted(protected, key=len, reverse=True))) + ")")
    return tk, pattern


@lru_cache(maxsize=200_000)
def _cut(text: str) -> tuple[str, ...]:
    tk, protected = _tokenizer()
    out: list[str] = []
    for k, piece in enumerate(protected.split(text)):
        if k % 2:
            out.append(piece)
        elif piece:
            out.extend(w for w in tk.cut(piece, HMM=False) if not w.isspace())
    return tuple(out)


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` for the word features."""
    return list(_cut(_DIGITS.sub("0", normalize(text))))
