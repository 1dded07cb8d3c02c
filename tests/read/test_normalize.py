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


# --- look-alike characters (PDF text layers of some CJK fonts) -------------------------------

def test_kangxi_and_supplement_radicals_fold_to_the_ordinary_characters_in_place():
    from classifier.read.normalize import fold_lookalikes

    lookalike = "三、下\u2f00步\u2f2f作计划,\u2f45向\u2ed4户,\u2fa8\u2f3e"  # ⼀ ⼯ ⽅ ⻔ ⾨ ⼾
    assert fold_lookalikes(lookalike) == "三、下一步工作计划,方向门户,門戶"
    assert normalize(lookalike) == "三、下一步工作计划,方向门户,门户"  # and then simplified
    assert len(normalize(lookalike)) == len(lookalike)


def test_every_kangxi_radical_becomes_a_unified_ideograph():
    import unicodedata

    for code in range(0x2F00, 0x2FD6):
        folded = normalize(chr(code))
        assert len(folded) == 1 and "CJK UNIFIED IDEOGRAPH" in unicodedata.name(folded), hex(code)


def test_compatibility_ideographs_and_vertical_punctuation_fold_but_numbering_stays():
    assert normalize("\uf900\ufa0a") == "岂见"  # 豈 見 compatibility ideographs → 豈 見 → simplified
    assert normalize("\ufe10\ufe12\ufe50") == ",。,"  # vertical and small forms of punctuation
    kept = "①⑳㈠(一)一二三〇○"  # circled numbers and the rest of numbering are not look-alikes
    assert normalize(kept) == kept


def test_look_alikes_fold_the_same_in_long_texts():
    from classifier.read.normalize import _LONG

    text = "下\u2f00步\u2f2f作\u2ed4" * _LONG
    assert normalize(text) == "下一步工作门" * _LONG
