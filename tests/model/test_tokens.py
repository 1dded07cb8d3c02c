"""The tokenizer: jieba with our dictionary, picklable, quiet, caching in a private directory."""
from __future__ import annotations

import logging
import os
import pickle
import stat

from classifier.model import tokens
from classifier.model.tokens import cache_dir, lexicon, tokenize


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


def test_a_saved_dictionary_is_private_and_a_killed_save_leaves_nothing_behind(tmp_path):
    import subprocess
    import sys

    from classifier.model.tokencache import save

    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout)
    target = tmp_path / "jieba-0123.dict"
    killed = tmp_path / f".{target.name}.tmp-{dead}-0001"  # the temporary file of a save that was killed
    running = tmp_path / f".{target.name}.tmp-{os.getpid()}-0002"  # that of a save still under way
    killed.write_bytes(b"half")
    running.write_bytes(b"half")
    save(target, b"MAGIC dictionary", b"MAGIC")
    assert target.read_bytes() == b"MAGIC dictionary" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, running.name])


def _fresh_segmenter(switch_after: int):
    tokens._tokenizer.cache_clear()
    try:
        segmenter = tokens._tokenizer()
    finally:
        tokens._tokenizer.cache_clear()
    segmenter.switch_after = switch_after
    return segmenter


def _texts() -> list[str]:
    """Sentences of the genre, the sample report cut into fragments, and ties between two cuts of equal weight."""
    from pathlib import Path

    from classifier.read.normalize import normalize

    written = ["深入推进“双随机、一公开”监管，全年开展联合抽查0次。", "善工作机制,压紧压实责任", "压紧压",
               "e-gov建设和APP下载", "鿖鿗字与㐀人", "持续深化“放管服”改革，优化法治化营商环境。"]
    sample = normalize((Path(__file__).resolve().parents[2] / "data" / "reports" / "2022-yongle-town.txt")
                       .read_text(encoding="utf-8"))
    fragments = [sample[i:i + n] for n in (3, 7, 19, 41) for i in range(0, len(sample) - n, 11)]
    return written + fragments


def test_rjieba_after_the_switch_cuts_exactly_as_jieba():
    import pytest

    pytest.importorskip("rjieba")
    texts = _texts()
    reference = _fresh_segmenter(switch_after=10**9)
    switching = _fresh_segmenter(switch_after=2)
    expected = [reference.cut(t) for t in texts]
    got = [switching.cut(t) for t in texts]
    assert isinstance(switching.tk, tokens.RustCut) and not isinstance(reference.tk, tokens.RustCut)
    assert got == expected


def test_without_rjieba_the_segmenter_keeps_jieba(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "rjieba", None)  # `import rjieba` raises ImportError
    segmenter = _fresh_segmenter(switch_after=1)
    before = segmenter.tk
    assert "".join(segmenter.cut("落实行政执法公示制度")) == "落实行政执法公示制度"
    assert segmenter.tk is before


def test_rjieba_is_loaded_without_its_own_dictionary_and_imports_alike_afterwards():
    import subprocess
    import sys

    import pytest

    pytest.importorskip("rjieba")
    # a fresh interpreter: this one may have imported rjieba already
    script = (
        "import sys\n"
        "from classifier.model import tokens\n"
        "module = tokens.import_rjieba()\n"
        "assert 'rjieba' not in sys.modules, 'the package (and its default tokenizer) was loaded'\n"
        "assert module.Jieba.empty().cut('依法行政', False)\n"
        "import rjieba\n"
        "assert rjieba.Jieba is module.Jieba, 'rjieba was loaded twice'\n"
        "assert tokens.import_rjieba() is rjieba\n"
    )
    done = subprocess.run([sys.executable, "-W", "error", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
