"""Deltas in code points apply, normalize, summarize and derive from two texts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.delta import (
    DeltaError,
    apply_ops,
    ops_deleted_count,
    ops_inserted,
)
from oversight.core.tracker import TextTracker
from tests.core.helpers import normalize_ops, ops_from_diff


def test_an_insert_after_a_retain_lands_there_and_the_rest_is_kept():
    assert apply_ops("hello world", [{"retain": 5}, {"insert": ","}]) == "hello, world"


def test_several_ops_apply_in_one_walk():
    ops = [{"retain": 1}, {"delete": 2}, {"insert": "X"}, {"retain": 1}, {"insert": "数👍🏽"}]
    assert apply_ops("abcdef", ops) == "aXd数👍🏽ef"


def test_an_empty_delta_changes_nothing():
    assert apply_ops("same", []) == "same"


def test_a_retain_beyond_the_text_is_an_error_with_a_clear_message():
    with pytest.raises(DeltaError, match=r"retain of 9 at code point 0 goes beyond the text \(3"):
        apply_ops("abc", [{"retain": 9}])


def test_a_delete_beyond_the_text_is_an_error():
    with pytest.raises(DeltaError, match="delete of 3 at code point 2 goes beyond"):
        apply_ops("abcd", [{"retain": 2}, {"delete": 3}])
    with pytest.raises(DeltaError, match="delete of 3 at code point 2 goes beyond"):
        apply_ops("abcd", [{"retain": 2}, {"delete": 3}, {"insert": "x"}])


def test_malformed_ops_are_errors():
    with pytest.raises(DeltaError, match="not a retain, insert or delete"):
        apply_ops("abc", [{"format": 1}])
    with pytest.raises(DeltaError, match="non-negative integer"):
        apply_ops("abc", [{"delete": -1}])
    with pytest.raises(DeltaError, match="insert must be a string"):
        apply_ops("abc", [{"insert": {"image": "x"}}])
    assert issubclass(DeltaError, ValueError)


def test_normalize_merges_drops_empties_attributes_and_the_trailing_retain():
    ops = [{"retain": 2}, {"retain": 0}, {"retain": 1}, {"insert": "a", "attributes": {}},
           {"insert": "b"}, {"delete": 0}, {"delete": 2}, {"delete": 1}, {"retain": 4}]
    assert normalize_ops(ops) == [{"retain": 3}, {"insert": "ab"}, {"delete": 3}]


def test_inserted_text_and_deleted_count_sum_over_ops():
    ops = [{"insert": "ab"}, {"retain": 3}, {"delete": 2}, {"insert": "数"}, {"delete": 1}]
    assert ops_inserted(ops) == "ab数"
    assert ops_deleted_count(ops) == 3


def test_a_diff_delta_keeps_common_ends():
    assert ops_from_diff("the cat sat", "the dog sat") == [
        {"retain": 4}, {"delete": 3}, {"insert": "dog"}]
    assert ops_from_diff("abc", "abc") == []
    assert ops_from_diff("", "new") == [{"insert": "new"}]
    assert ops_from_diff("aaa", "aa") == [{"retain": 2}, {"delete": 1}]


texts = st.text(alphabet="ab数👍🏽\u0301\n ", max_size=40)


@settings(deadline=None)
@given(before=texts, after=texts)
def test_a_diff_delta_turns_before_into_after(before, after):
    ops = ops_from_diff(before, after)
    assert apply_ops(before, ops) == after
    assert normalize_ops(ops) == ops
    assert ops_deleted_count(ops) + len(ops_inserted(ops)) <= len(before) + len(after)


@settings(deadline=None)
@given(before=texts, data=st.data())
def test_normalizing_keeps_the_effect(before, data):
    pos, ops = 0, []
    for _ in range(data.draw(st.integers(0, 6))):
        kind = data.draw(st.sampled_from(["retain", "delete", "insert"]))
        if kind == "insert":
            ops.append({"insert": data.draw(texts)})
        else:
            n = data.draw(st.integers(0, len(before) - pos))
            ops.append({kind: n})
            pos += n
    assert apply_ops(before, normalize_ops(ops)) == apply_ops(before, ops)


def test_a_block_text_refuses_a_delta_that_does_not_fit_and_stays_unchanged():
    text = TextTracker("abcdef", block=2)
    with pytest.raises(DeltaError, match="delete of 9 at code point 1 goes beyond"):
        text.apply([{"insert": "X"}, {"retain": 1}, {"delete": 9}])
    assert str(text) == "abcdef"


@settings(deadline=None)
@given(before=texts, block=st.integers(1, 5), data=st.data())
def test_a_block_text_applies_many_deltas_like_apply_ops(before, block, data):
    blocks, text = TextTracker(before, block=block), before
    for _ in range(data.draw(st.integers(1, 8))):
        after = data.draw(texts)
        ops = ops_from_diff(text, after)
        blocks.apply(ops)
        text = apply_ops(text, ops)
        assert str(blocks) == text == after
