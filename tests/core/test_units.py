"""Offsets convert between UTF-8 bytes, UTF-16 units and code points, and deltas follow."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.delta import apply_ops
from oversight.core.units import (
    cp_to_utf8,
    cp_to_utf16,
    delta_to_codepoints,
    utf8_to_cp,
    utf16_to_cp,
)

FAMILY = "👩\u200d👩\u200d👧"  # 5 code points, 18 UTF-8 bytes, 8 UTF-16 units
THUMB = "👍🏽"  # 2 code points, 8 UTF-8 bytes, 4 UTF-16 units
ACUTE = "e\u0301"  # 2 code points, 3 UTF-8 bytes, 2 UTF-16 units
TEXT = "a数" + FAMILY + "b" + THUMB + ACUTE + "z"


def test_offsets_in_ascii_text_are_the_same_in_every_unit():
    assert utf8_to_cp("hello", 3) == utf16_to_cp("hello", 3) == 3
    assert cp_to_utf8("hello", 5) == cp_to_utf16("hello", 5) == 5


def test_cjk_takes_three_bytes_and_one_utf16_unit():
    assert cp_to_utf8("a数b", 2) == 4
    assert utf8_to_cp("a数b", 4) == 2
    assert cp_to_utf16("a数b", 2) == 2


def test_zwj_family_and_skin_tone_count_per_code_point():
    assert len(FAMILY) == 5
    assert cp_to_utf8(FAMILY, 5) == 18
    assert cp_to_utf16(FAMILY, 5) == 8
    assert utf8_to_cp(FAMILY, 4) == 1  # after the first woman, before the ZWJ
    assert utf16_to_cp(FAMILY, 3) == 2  # woman (2 units) + ZWJ (1 unit)
    assert cp_to_utf8(THUMB, 1) == 4 and cp_to_utf16(THUMB, 1) == 2


def test_a_combining_mark_is_its_own_code_point():
    assert cp_to_utf8(ACUTE, 1) == 1 and cp_to_utf8(ACUTE, 2) == 3
    assert utf8_to_cp(ACUTE, 3) == 2


@pytest.mark.parametrize("offset", [2, 3])
def test_a_utf8_offset_inside_a_character_is_refused(offset):
    with pytest.raises(ValueError, match="inside a character"):
        utf8_to_cp("a数", offset)


def test_a_utf16_offset_between_surrogates_is_refused():
    with pytest.raises(ValueError, match="inside a character"):
        utf16_to_cp("a" + THUMB, 2)


@pytest.mark.parametrize("func", [utf8_to_cp, utf16_to_cp, cp_to_utf8, cp_to_utf16])
def test_an_offset_beyond_the_text_is_refused(func):
    with pytest.raises(ValueError, match="beyond the text"):
        func("a数", 9)
    with pytest.raises(ValueError):
        func("a数", -1)


def test_a_pycrdt_style_delta_converts_from_bytes():
    # Insert "!" after the family: byte 1 + 3 + 18 = 22.
    delta = [{"retain": 22}, {"insert": "!"}, {"delete": 1}]
    ops = delta_to_codepoints(delta, TEXT, unit="utf8")
    assert ops == [{"retain": 7}, {"insert": "!"}, {"delete": 1}]
    assert apply_ops(TEXT, ops) == "a数" + FAMILY + "!" + THUMB + ACUTE + "z"


def test_a_browser_style_delta_converts_from_utf16_and_drops_attributes():
    delta = [{"retain": 11}, {"delete": 4, "attributes": {}},
             {"insert": "ok", "attributes": {"b": 1}}]
    ops = delta_to_codepoints(delta, TEXT, unit="utf16")
    assert ops == [{"retain": 8}, {"delete": 2}, {"insert": "ok"}]
    assert apply_ops(TEXT, ops) == "a数" + FAMILY + "bok" + ACUTE + "z"


def test_a_delta_in_code_points_passes_through():
    assert delta_to_codepoints([{"retain": 2}, {"delete": 5}], TEXT, unit="cp") == [
        {"retain": 2}, {"delete": 5}]


def test_a_delta_that_splits_a_character_or_overruns_is_refused():
    with pytest.raises(ValueError, match="inside a character"):
        delta_to_codepoints([{"retain": 2}, {"insert": "x"}], TEXT)
    with pytest.raises(ValueError, match="beyond the text"):
        delta_to_codepoints([{"retain": 3}, {"delete": 99}], "abcd")
    with pytest.raises(ValueError, match="unknown unit"):
        delta_to_codepoints([], "abc", unit="bytes")


texts = st.lists(st.sampled_from(list("ab \n数かé\u0301") + [FAMILY, THUMB, ACUTE]),
                 max_size=12).map("".join)


@settings(deadline=None)
@given(text=st.lists(st.sampled_from(["a", "数", FAMILY, THUMB, ACUTE, " ", "é"]), max_size=12)
       .map("".join), data=st.data())
def test_conversions_round_trip_at_every_code_point(text, data):
    cp = data.draw(st.integers(0, len(text)))
    assert utf8_to_cp(text, cp_to_utf8(text, cp)) == cp
    assert utf16_to_cp(text, cp_to_utf16(text, cp)) == cp
    assert cp_to_utf8(text, cp) == len(text[:cp].encode("utf-8"))
    assert cp_to_utf16(text, cp) == len(text[:cp].encode("utf-16-le")) // 2


@settings(deadline=None)
@given(text=texts, data=st.data(), unit=st.sampled_from(["utf8", "utf16"]))
def test_a_converted_delta_makes_the_same_edit(text, data, unit):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    inserted = data.draw(texts)
    measure = cp_to_utf8 if unit == "utf8" else cp_to_utf16
    delta = [{"retain": measure(text, start)},
             {"delete": measure(text, end) - measure(text, start)}, {"insert": inserted}]
    ops = delta_to_codepoints(delta, text, unit=unit)
    assert apply_ops(text, ops) == text[:start] + inserted + text[end:]
