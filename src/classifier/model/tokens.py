"""Words of a unit: jieba with the project's domain dictionary.

    >>> tokenize("深入推进“双随机、一公开”监管")
    ['深入', '推进', '“', '双随机、一公开', '”', '监管']

``tokenize`` is a module-level function, so a fitted vectorizer that uses it pickles.
Text is normalised first (half-width punctuation, simplified characters) and digits
become ``0`` so that figures generalise (2023年 → 0000年).

Loading jieba's dictionary (half a million entries) costs more than classifying a
report, so the first run saves the dictionary *with our terms added* in the private cache
directory, grouped by first character; later processes load only the groups of the
characters they meet. jieba looks up only words that start at a character of the text it
cuts, so the tokens are the same as with the whole dictionary loaded.

With the ``fast`` extra, a process that has cut 1,000 texts loads the whole dictionary into
rjieba (jieba's algorithm in Rust) with jieba's exact frequencies and total, and cuts the
rest there: the same tokens, more than ten times faster, for batches large enough to repay
the third of a second it takes.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import logging
import marshal
import re
import struct
import sys
from functools import lru_cache
from hashlib import sha256
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from ..read.normalize import normalize
from .tokencache import STALE_DAYS, cache_dir, save  # noqa: F401  (STALE_DAYS: part of this module's face)

_DIGITS = re.compile(r"\d")
_SPACE = re.compile(r"\s")  # the same characters as str.isspace(): a text without them has no white-space words
_PLAIN_TERM = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]+")
_MAGIC = b"classifier-jieba-dictionary/2\n"


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


def import_jieba() -> Any:
    """jieba, imported without ``pkg_resources``, which jieba 0.42 imports only to find its own
    files (it falls back to plain paths) and which takes longer to import than jieba itself."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` raises ImportError
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


class LazyDictionary:
    """jieba's word frequencies from a saved file, loaded one first character at a time; or, for
    rjieba, the words with a frequency all at once, in order."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(_MAGIC):
            raise ValueError("not a saved dictionary")
        start = len(_MAGIC) + 8
        (size,) = struct.unpack("<Q", data[len(_MAGIC):start])
        self.total, self.index, self.in_order = marshal.loads(data[start:start + size])
        self.data, self.base = memoryview(data), start + size
        self.freq: dict[str, int] = {}
        self.seen: set[str] = set()

    def cover(self, text: str) -> None:
        """Load the words that start with any character of ``text``."""
        for ch in set(text).difference(self.seen):
            self.seen.add(ch)
            span = self.index.get(ch)
            if span:
                self.freq.update(marshal.loads(self.data[self.base + span[0]:self.base + span[0] + span[1]]))

    def items(self) -> Iterable[tuple[str, int]]:
        """Every word with a frequency above zero and its frequency, in sorted order (a trie such as
        rjieba's takes words in order a third faster); the prefixes jieba keeps at zero are left out."""
        offset, size = self.in_order
        return zip(*marshal.loads(self.data[self.base + offset:self.base + offset + size]))

    @staticmethod
    def dumps(freq: dict[str, int], total: int) -> bytes:
        groups: dict[str, dict[str, int]] = {}
        for word, count in freq.items():
            groups.setdefault(word[0], {})[word] = count
        blobs, index, offset = [], {}, 0
        for ch, words in groups.items():
            blob = marshal.dumps(words)
            index[ch] = (offset, len(blob))
            offset += len(blob)
            blobs.append(blob)
        counted = sorted((word, count) for word, count in freq.items() if count)
        blobs.append(marshal.dumps(([w for w, _ in counted], [c for _, c in counted])))
        head = marshal.dumps((total, index, (offset, len(blobs[-1]))))
        return _MAGIC + struct.pack("<Q", len(head)) + head + b"".join(blobs)


def _dictionary_file(jieba: Any, terms: list[tuple[str, int | None]]) -> Path | None:
    """Where the prepared dictionary lives (None: nowhere): named after jieba's version and dictionary and our terms."""
    source = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        info = source.stat()
        stamp = f"{source}|{info.st_size}|{info.st_mtime_ns}"
    except OSError:
        stamp = str(source)
    key = sha256(repr((_MAGIC, jieba.__version__, stamp, terms)).encode("utf-8")).hexdigest()[:16]
    directory = cache_dir()
    return None if directory is None else directory / f"jieba-{key}.dict"


def _full_tokenizer(jieba: Any, terms: list[tuple[str, int | None]]) -> Any:
    """jieba's tokenizer with its whole dictionary and our plain terms added, in order.

    jieba's own cache file is not used (our prepared dictionary replaces it), so jieba reads and
    writes nothing in a shared temporary directory."""
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = tk.gen_pfdict(tk.get_dict_file())
    tk.initialized = True
    for word, freq in terms:
        if _PLAIN_TERM.fullmatch(word):
            tk.add_word(word, freq)
    return tk


class Segmenter:
    """Cuts normalised text into words: protected terms first, then jieba without HMM.

    With the ``fast`` extra (rjieba) installed, a segmenter that has cut ``switch_after``
    texts hands the rest to rjieba given exactly jieba's words, frequencies and total: the
    same cuts, many times faster, at a one-off cost that only pays on batches."""

    switch_after = 1000

    def __init__(self, tk: Any, protected: re.Pattern[str], dictionary: LazyDictionary | None = None) -> None:
        self.tk, self.protected, self.dictionary = tk, protected, dictionary
        self.cuts = 0

    def cut(self, text: str) -> tuple[str, ...]:
        self.cuts += 1
        if self.cuts == self.switch_after:
            self.expect(self.switch_after)
        if self.dictionary is not None and not isinstance(self.tk, RustCut):
            self.dictionary.cover(text)
        out: list[str] = []
        for k, piece in enumerate(self.protected.split(text)):
            if k % 2:
                out.append(piece)
            elif piece:
                words = self.tk.cut(piece, HMM=False)
                out.extend(words if not _SPACE.search(piece) else (w for w in words if not w.isspace()))
        return tuple(out)

    def expect(self, texts: int) -> None:
        """Switch to rjieba now if about ``texts`` texts are coming and that repays loading it (a batch
        about to be spread over forked processes then loads it once, for all of them)."""
        if texts >= self.switch_after and not isinstance(self.tk, RustCut):
            self.tk = rust_tokenizer(*self.frequencies()) or self.tk

    def frequencies(self) -> tuple[Iterable[tuple[str, int]], int]:
        """The (word, frequency) pairs and the total, as jieba uses them (a word at zero may be left out)."""
        if self.dictionary is not None:
            return self.dictionary.items(), self.dictionary.total
        return self.tk.FREQ.items(), self.tk.total


class RustCut:
    """rjieba holding jieba's words and frequencies, and a padding entry that makes its total jieba's.

    jieba's total counts a re-added word twice; the padding word (two full-width commas) never
    occurs in normalised text, so it only sets the total."""

    def __init__(self, rjieba: Any, items: Iterable[tuple[str, int]], total: int) -> None:
        rj = rjieba.Jieba.empty()
        add, added = rj.add_word, 0
        for word, count in items:
            if count:
                add(word, count, None)
                added += count
        padding = total - added
        if padding > 0:
            add("，，", padding, None)
        self._cut = rj.cut

    def cut(self, text: str, HMM: bool = False) -> list[str]:
        return self._cut(text, False)


def rust_tokenizer(items: Iterable[tuple[str, int]], total: int) -> RustCut | None:
    """rjieba with jieba's dictionary, or None when rjieba is not installed."""
    rjieba = import_rjieba()
    return None if rjieba is None else RustCut(rjieba, items, total)


def import_rjieba() -> Any | None:
    """rjieba's compiled module (it holds ``Jieba``), or None when rjieba is not installed.

    The module is loaded by itself: the package's ``__init__`` builds a tokenizer with rjieba's own
    dictionary (a tenth of a second or more), which is never used here. The module is registered under
    its own name, so a later ``import rjieba`` uses it rather than loading it again."""
    for name in ("rjieba", "rjieba.rjieba"):
        if name in sys.modules:  # imported already, or blocked (None)
            return sys.modules[name]
    try:
        return _compiled_rjieba()
    except ImportError:
        pass
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba


def _compiled_rjieba() -> Any:
    package = importlib.util.find_spec("rjieba")
    if package is None or not package.submodule_search_locations:
        raise ImportError("rjieba is not installed as a package")
    spec = importlib.machinery.PathFinder.find_spec("rjieba.rjieba", package.submodule_search_locations)
    if spec is None or spec.loader is None:
        raise ImportError("rjieba's compiled module is not where it is expected")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        if not hasattr(module, "Jieba"):
            raise ImportError("rjieba's compiled module has no Jieba")
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module


def _protected(terms: list[tuple[str, int | None]]) -> re.Pattern[str]:
    """Terms with punctuation, which jieba would split, matched before jieba sees the text."""
    words = sorted((w for w, _ in terms if not _PLAIN_TERM.fullmatch(w)), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, words)) + ")")


@lru_cache(maxsize=1)
def _tokenizer() -> Segmenter:
    """The jieba tokenizer with our terms, built once per process."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba = import_jieba()
    terms = lexicon()
    path = _dictionary_file(jieba, terms)
    try:
        if path is None:
            raise FileNotFoundError("no private cache directory")
        dictionary = LazyDictionary(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        tk = _full_tokenizer(jieba, terms)
        if path is not None:
            save(path, LazyDictionary.dumps(tk.FREQ, tk.total), _MAGIC)
        return Segmenter(tk, _protected(terms))
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dictionary.freq, dictionary.total, True
    return Segmenter(tk, _protected(terms), dictionary)


@lru_cache(maxsize=200_000)
def _cut(text: str) -> tuple[str, ...]:
    return _tokenizer().cut(text)


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` for the word features."""
    return list(_cut(_DIGITS.sub("0", normalize(text))))


def words_of(prepared: str) -> tuple[str, ...]:
    """The tokens of text already normalised with its digits as ``0`` (what ``tokenize`` cuts)."""
    return _cut(prepared)
