"""The speed-ups give what the code they replaced gave: tokens, normalised text, sentence ends."""
from __future__ import annotations

import random
import re
import sys

import pytest

from classifier.units import segments
from classifier.model import tokens
from classifier.read.normalize import fold_lookalikes, normalize, to_halfwidth, to_simplified
from classifier.read.reading import read_document
from classifier.units import sentences
from classifier.units.sentences import _CLOSERS, _FINAL, _ITEM, _PAIRS, _QUOTE_CLOSERS
from conftest import POOL

TEXTS = [t for pool in POOL.values() for t in pool] + [
    "深入推进“双随机、一公开”监管，落实谁执法谁普法责任制", "压紧压实责任,善工作机制,压紧压", "e-gov建设与APP下载0000次",
    "C++与C#;鿖鿗字㐀人𠀀字", "  (一)强化宣传 \n 二是规范执法。", "",
]


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A fresh cache directory and no tokenizer built yet; the tokenizer is rebuilt afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tokens._tokenizer.cache_clear()
    yield tmp_path / "classifier"
    tokens._tokenizer.cache_clear()


def _full():
    terms = tokens.lexicon()
    return tokens.Segmenter(tokens._full_tokenizer(tokens.import_jieba(), terms), tokens._protected(terms))


def test_the_lazily_loaded_dictionary_cuts_like_the_whole_one(private_cache):
    first = tokens._tokenizer()  # no saved dictionary yet: built from jieba's, then saved
    assert first.dictionary is None and list(private_cache.glob("jieba-*.dict"))
    tokens._tokenizer.cache_clear()
    lazy = tokens._tokenizer()
    assert lazy.dictionary is not None and not lazy.dictionary.freq  # nothing loaded before a text needs it
    full = _full()
    for text in TEXTS:
        prepared = tokens._DIGITS.sub("0", normalize(text))
        assert lazy.cut(prepared) == full.cut(prepared) == first.cut(prepared), text
    assert 0 < len(lazy.dictionary.freq) < len(full.tk.FREQ)


def test_a_damaged_saved_dictionary_is_rebuilt(private_cache):
    tokens._tokenizer()
    saved = next(private_cache.glob("jieba-*.dict"))
    saved.write_bytes(b"not a dictionary")
    tokens._tokenizer.cache_clear()
    assert tokens._tokenizer().cut("法治政府建设") == ("法治政府", "建设")
    assert saved.read_bytes().startswith(tokens._MAGIC)


def test_saving_a_dictionary_removes_copies_left_unwritten_for_a_month(private_cache):
    import os
    import time

    private_cache.mkdir(parents=True, exist_ok=True)
    old, recent, other = (private_cache / name for name in ("jieba-00000000000000aa.dict", "jieba-00000000000000bb.dict",
                                                            "notes.txt"))
    foreign = private_cache / "jieba-00000000000000cc.dict"  # the name, but not a file of ours
    for path, days in ((old, tokens.STALE_DAYS + 1), (recent, tokens.STALE_DAYS - 1), (other, 365), (foreign, 365)):
        path.write_bytes(tokens._MAGIC + b"x" if path.name.endswith(("aa.dict", "bb.dict")) else b"x")
        stamp = time.time() - days * 86400
        os.utime(path, (stamp, stamp))
    tokens._tokenizer()  # no copy for this install: built and saved
    saved = {p.name for p in private_cache.glob("jieba-*.dict")} - {recent.name, foreign.name}
    assert not old.exists() and recent.exists() and other.exists() and foreign.exists()
    assert len(saved) == 1 and next(private_cache.glob(next(iter(saved)))).read_bytes().startswith(tokens._MAGIC)


def test_the_saved_dictionary_round_trips():
    freq = {"法": 5, "法治": 3, "法治政": 0, "法治政府": 9, "a": 1}
    lazy = tokens.LazyDictionary(tokens.LazyDictionary.dumps(freq, 18))
    lazy.cover("治法")
    assert lazy.total == 18 and lazy.freq == {"法": 5, "法治": 3, "法治政": 0, "法治政府": 9}
    # what rjieba is given: every word with a frequency, in order, without the prefixes at zero
    assert list(lazy.items()) == [("a", 1), ("法", 5), ("法治", 3), ("法治政府", 9)]
    with pytest.raises(ValueError):
        tokens.LazyDictionary(b"something else")


def test_jieba_is_imported_without_leaving_pkg_resources_blocked():
    tokens.import_jieba()
    assert sys.modules.get("pkg_resources", 0) is not None


def test_one_translation_table_normalises_like_the_two_steps():
    every = "".join(chr(c) for c in range(1, 0x30000) if not 0xD800 <= c < 0xE000)
    assert normalize(every) == to_simplified(to_halfwidth(fold_lookalikes(every)))
    assert normalize("\t\r ABC") == to_simplified(to_halfwidth("\t\r ABC")) == "   ABC"


def _closing_positions_before(norm, pos, end):
    """The character-by-character version this replaced."""
    pairs, stack = {}, []
    for i in range(pos, end):
        c = norm[i]
        if c in _PAIRS:
            stack.append(i)
        elif stack and c == _PAIRS[norm[stack[-1]]]:
            pairs[stack.pop()] = i
        elif c in _PAIRS.values():
            for j in range(len(stack) - 1, -1, -1):
                if _PAIRS[norm[stack[j]]] == c:
                    pairs[stack[j]] = i
                    del stack[j:]
                    break
    return pairs


def _sentence_end_before(norm, pos, end):
    closers = _closing_positions_before(norm, pos, end)
    depth_until, i = -1, pos
    while i < end:
        c = norm[i]
        if c in _PAIRS and i in closers:
            depth_until = max(depth_until, closers[i])
        elif i > depth_until or (c in _FINAL and i + 1 == depth_until and norm[i + 1] in _QUOTE_CLOSERS):
            if c in _FINAL or (c in ";" and _ITEM.match(norm, i + 1, end)):
                i += 1
                while i < end and norm[i] in _CLOSERS:
                    i += 1
                return i
        i += 1
    return end


def test_sentence_ends_are_found_as_before():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    texts = [normalize(read_document(p).text) for p in sorted((root / "data" / "reports").iterdir())[:8]]
    alphabet = "(《「『“【)》」』”】。!?;,一是1、其二" + "法治政府建设"
    rnd = random.Random(0)
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    for text in texts:
        for pos in range(0, len(text), max(1, len(text) // 25)):
            pairs = _closing_positions_before(text, pos, len(text))
            openers = [i for i in range(pos, len(text)) if text[i] in _PAIRS]
            closer = sentences._closers(text, pos, len(text))  # asked in order, as sentences ask
            assert [closer(i) for i in openers] == [pairs.get(i) for i in openers]
            closer = sentences._closers(text, pos, len(text))  # and in any order
            rnd.shuffle(openers)
            assert [closer(i) for i in openers] == [pairs.get(i) for i in openers]
            assert sentences._sentence_end(text, pos, len(text)) == _sentence_end_before(text, pos, len(text))


_MARKER_RES = [(name, re.compile(pattern)) for name, pattern in segments._MARKERS]  # tried one by one, as before


def _heading_style_before(text):
    norm = normalize(text.strip())
    return next((name for name, regex in _MARKER_RES if regex.match(norm)), "")


def _marker_end_before(text):
    m = next((m for _, regex in _MARKER_RES if (m := regex.match(text))), None) or segments._CN_SPACE.match(text)
    return m.end() if m else 0


def test_heading_styles_are_found_as_before():
    samples = ["(二)规范执法", "二是规范执法。", "（三）強化", "\u200b一、主要做法", "\ufeff(一)强化", " 第一部分 ", "规范执法", ""]
    rnd = random.Random(1)
    alphabet = "第一二三十部分章篇、.,:;( )是其首先次再最后①⑳12 法治"
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12))) for _ in range(5000)]
    for text in samples + TEXTS:
        assert segments.heading_style(text) == _heading_style_before(text), text
        norm = normalize(text)
        assert segments._style(norm) == _heading_style_before(norm), text
        assert segments._marker_end(norm) == _marker_end_before(norm), text
