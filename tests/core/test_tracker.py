"""A tracked text converts and applies deltas exactly like the stateless functions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.delta import apply_ops
from oversight.core.tracker import TextTracker
from oversight.core.units import cp_to_utf8, cp_to_utf16, delta_to_codepoints

PIECES = ["a", "b", " ", "\n", "数", "👍🏽", "👩\u200d👩\u200d👧", "e\u0301", "é"]
texts = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


def test_a_tracker_starts_from_the_text_and_follows_an_edit():
    tracker = TextTracker("a数b👍🏽", block=2)
    ops = tracker.observe([{"retain": 4}, {"insert": "!"}, {"delete": 1}])
    assert ops == [{"retain": 2}, {"insert": "!"}, {"delete": 1}]
    assert str(tracker) == "a数!👍🏽" and len(tracker) == 5


def test_a_tracker_refuses_what_the_functions_refuse():
    tracker = TextTracker("a数", block=1)
    with pytest.raises(ValueError, match="inside a character"):
        tracker.to_codepoints([{"retain": 2}])
    with pytest.raises(ValueError, match="beyond the text"):
        tracker.to_codepoints([{"retain": 1}, {"delete": 9}])
    with pytest.raises(ValueError, match="unknown unit"):
        tracker.to_codepoints([], unit="bytes")


@settings(deadline=None)
@given(text=texts, block=st.integers(1, 6), unit=st.sampled_from(["utf8", "utf16", "cp"]),
       data=st.data())
def test_a_tracker_agrees_with_delta_to_codepoints_and_apply_ops(text, block, unit, data):
    tracker = TextTracker(text, block=block)
    measure = {"utf8": cp_to_utf8, "utf16": cp_to_utf16, "cp": lambda t, i: i}[unit]
    for _ in range(data.draw(st.integers(1, 8))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        delta = [{"retain": measure(text, start)},
                 {"delete": measure(text, end) - measure(text, start)},
                 {"insert": data.draw(texts)}]
        expected = delta_to_codepoints(delta, text, unit=unit)
        assert tracker.observe(delta, unit=unit) == expected
        text = apply_ops(text, expected)
        assert str(tracker) == text
        assert len(tracker) == len(text)
