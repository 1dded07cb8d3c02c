"""Normalisation keeps lengths, so offsets into the normalised text are offsets into the original."""
from __future__ import annotations

from classifier.read.normalize import normalize, to_halfwidth, to_simplified


def test_full_width_punctuation_digits_and_spaces_become_ascii():
    assert to_halfwidth("（一）２０２２年，共３次；　是否？！：") == "(一)2022年,共3次; 是否?!:"


def test_marks_without_ascii_twins_stay():
    assert normalize("。、“”《》") == "。、“”《》"


def test_traditional_characters_become_simplified_one_for_one():
    original = "縣人民政府關於執法檢查與營商環境的報告"
    simplified = normalize(original)
    assert simplified == "县人民政府关于执法检查与营商环境的报告"
    assert len(simplified) == len(original)


def test_lengths_never_change():
    sample = "第一部分　（壹）執法：ＡＢＣ１２３，“測試”！\r\n\t"
    assert len(normalize(sample)) == len(sample)
    assert to_simplified("abc") == "abc"


def test_long_texts_normalised_by_array_look_up_match_character_by_character():
    from classifier.read.normalize import _LONG, _combined_table

    table = _combined_table()
    every = "".join(map(chr, [*range(0, 0xD800), *range(0xE000, 0x110000)]))
    assert normalize(every) == every.translate(table)
    odd = "（壹）執法\ud800，𠀀ＡＢＣ\n" * (_LONG // 8)  # a lone surrogate and a character beyond the BMP
    assert len(odd) >= _LONG and normalize(odd) == odd.translate(table)


def test_a_joined_text_splits_back_into_pieces_as_long_as_the_originals():
    from classifier.read.normalize import split_like

    texts = ["", "（一）強化宣傳，", "", "ＡＢＣ１２３" * 60, "。"]
    assert split_like(normalize("".join(texts)), texts) == [normalize(t) for t in texts]
    assert split_like("", []) == []
