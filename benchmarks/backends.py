"""Faster tokenizer back ends, against jieba with this project's dictionary: same tokens? how much faster?

The reference is ``classifier.model.tokens``: jieba (no HMM) with the project's terms added and the
punctuated terms matched first. Each candidate gets the same added terms and the same
protected split, and cuts every unit of the corpus (normalised, digits as 0) and 20,000
random fragments of it, and a few edge cases. rjieba is also tried with this project's whole dictionary fed to an
empty instance word by word (what identical tokens would take by construction).
"""
from __future__ import annotations

import logging
import random
import statistics
import tempfile
import time
from typing import Callable

Cut = Callable[[str], list]
# Ties between two cuts of equal weight (jieba keeps the longer last word), hyphens and letters,
# characters beyond jieba's range for Chinese (U+4E00..U+9FD5).
EDGES = ("善工作机制,压紧压", "压紧压", "e-gov建设", "APP下载0000次", "0G基站", "C++与C#", "鿖鿗字", "㐀人", "𠀀字")


def _texts() -> tuple[list[str], list[str]]:
    from classifier.read.reading import read_document
    from classifier.units.segments import segment
    from classifier.model.tokens import _DIGITS, normalize

    from benchmarks.harness import ROOT

    units, raw = [], []
    for path in sorted((ROOT / "data" / "reports").iterdir()):
        text = read_document(path).text
        raw.append(_DIGITS.sub("0", normalize(text)))
        units += [_DIGITS.sub("0", normalize(u.text)) for u in segment(text)]
    rnd, corpus = random.Random(0), "".join(raw)
    fragments = list(EDGES)
    for _ in range(20_000):
        start = rnd.randrange(len(corpus) - 60)
        fragments.append(corpus[start:start + rnd.randint(2, 60)])
    return units, fragments


def _splitting(cut: Cut) -> Callable[[str], tuple]:
    """``cut`` behind the project's protected terms, without white space (as ``tokens.Segmenter``)."""
    from classifier.model.tokens import _protected, lexicon

    protected = _protected(lexicon())

    def tokens(text: str) -> tuple:
        out: list[str] = []
        for k, piece in enumerate(protected.split(text)):
            if k % 2:
                out.append(piece)
            elif piece:
                out.extend(w for w in cut(piece) if not w.isspace())
        return tuple(out)

    return tokens


def _timed(tokens: Callable[[str], tuple], texts: list[str]) -> tuple[list[tuple], float]:
    times, out = [], []
    for _ in range(3):
        start = time.perf_counter()
        out = [tokens(t) for t in texts]
        times.append(time.perf_counter() - start)
    return out, statistics.median(times)


def _plain_terms() -> list[tuple[str, int | None]]:
    from classifier.model.tokens import _PLAIN_TERM, lexicon

    return [(w, f) for w, f in lexicon() if _PLAIN_TERM.fullmatch(w)]


def _reference() -> tuple[Cut, dict]:
    from classifier.model.tokens import _full_tokenizer, import_jieba, lexicon

    start = time.perf_counter()
    tk = _full_tokenizer(import_jieba(), lexicon())
    return (lambda s: tk.cut(s, HMM=False)), {"setup_seconds": time.perf_counter() - start, "tk": tk}


def _rjieba_stock() -> tuple[Cut, dict]:
    import rjieba

    start = time.perf_counter()
    rj = rjieba.Jieba()
    freqs = {w: rj.add_word(w, f, None) for w, f in _plain_terms()}
    return (lambda s: rj.cut(s, False)), {"setup_seconds": time.perf_counter() - start, "freqs": freqs}


def _rjieba_ours(reference: dict) -> tuple[Cut, dict]:
    """What the `fast` extra uses: an empty rjieba given every word of our saved dictionary in order, plus a
    never-matching word that makes its total frequency equal to jieba's (``classifier.model.tokens.RustCut``). Its
    setup is the switch as ``classifier predict`` makes it: loading rjieba, reading the words, adding them."""
    from classifier.model import tokens

    tk, segmenter = reference["tk"], tokens._tokenizer()
    start = time.perf_counter()
    rust = tokens.rust_tokenizer(*segmenter.frequencies())
    if rust is None:
        raise ImportError("rjieba")
    padding = tk.total - sum(f for f in tk.FREQ.values() if f)
    return rust.cut, {"setup_seconds": time.perf_counter() - start, "padding": padding}


def _jieba_fast() -> tuple[Cut, dict]:
    import jieba_fast

    jieba_fast.setLogLevel(logging.WARNING)
    start = time.perf_counter()
    jf = jieba_fast.Tokenizer()
    jf.tmp_dir = tempfile.gettempdir()
    jf.initialize()
    for word, freq in _plain_terms():
        jf.add_word(word, freq)
    return (lambda s: jf.cut(s, HMM=False)), {"setup_seconds": time.perf_counter() - start}


def compare() -> dict:
    units, fragments = _texts()
    ref_cut, ref = _reference()
    reference = _splitting(ref_cut)
    expected, ref_seconds = _timed(reference, units)
    expected_fragments = [reference(t) for t in fragments]
    out = {"reference": {"name": "jieba (classifier.model.tokens)", "seconds": ref_seconds, "setup_seconds": ref["setup_seconds"]},
           "units": len(units), "fragments": len(fragments), "candidates": {}}
    # ours first: rjieba is not loaded yet, so its setup counts loading it, as in `classifier predict`
    makers = {"rjieba with our dictionary": lambda: _rjieba_ours(ref), "rjieba": _rjieba_stock, "jieba_fast": _jieba_fast}
    for name, make in makers.items():
        try:
            cut, info = make()
        except ImportError as exc:
            out["candidates"][name] = {"error": f"not installed ({exc})"}
            continue
        tokens = _splitting(cut)
        got, seconds = _timed(tokens, units)
        out["candidates"][name] = {
            "same_units": sum(a == b for a, b in zip(got, expected)),
            "same_fragments": sum(tokens(t) == e for t, e in zip(fragments, expected_fragments)),
            "seconds": seconds, "speedup": ref_seconds / seconds, "setup_seconds": info["setup_seconds"],
            "first_difference": _first_difference(tokens, reference, units + fragments)}
        out["candidates"][name].update(_facts(ref["tk"], info))
    return out


def _facts(tk, info: dict) -> dict:
    """What keeps a candidate from being identical by construction."""
    if "freqs" in info:  # stock rjieba: its own suggested frequencies for our terms without one
        return {"suggested_frequencies_that_differ": {w: {"jieba": tk.FREQ[w], "rjieba": f}
                                                      for w, f in info["freqs"].items() if tk.FREQ[w] != f}}
    if "padding" in info:  # jieba counts a re-added word's frequency twice in its total
        return {"jieba_total_minus_sum_of_frequencies": info["padding"]}
    return {}


def _first_difference(tokens, reference, texts: list[str]) -> dict | None:
    for text in texts:
        a, b = reference(text), tokens(text)
        if a != b:
            return {"text": text, "jieba": list(a), "candidate": list(b)}
    return None
