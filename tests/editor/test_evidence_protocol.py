"""The editor's evidence messages are parsed strictly: clear errors, bounded sizes."""

import pytest

from editor import protocol
from editor.protocol import FocusReport, Meta, ProtocolError, parse_focus, parse_meta


def frame(data) -> protocol.Frame:
    return protocol.parse_frame(protocol.oversight(data))


def test_a_meta_message_carries_its_user_event_and_true_marks():
    meta = parse_meta(frame({"t": "meta", "client": 5, "clock": 9, "userEvent": "input.paste",
                             "untrusted": True, "silent": False,
                             "after_refocus": True}).data)
    assert meta == Meta("input.paste", {"untrusted": True, "after_refocus": True})
    assert parse_meta({"t": "meta", "userEvent": None, "silent": True}) == Meta(
        "", {"silent": True})
    assert parse_meta({"t": "meta"}) == Meta("", {})


@pytest.mark.parametrize(("data", "error"), [
    ({"t": "meta", "userEvent": 3}, "'userEvent' must be a string or null, got int"),
    ({"t": "meta", "userEvent": "x" * 41}, "'userEvent' longer than 40 characters"),
    ({"t": "meta", "untrusted": "yes"}, "'untrusted' must be true or false, got 'yes'"),
    ({"t": "meta", "silent": 1}, "'silent' must be true or false, got 1"),
    ({"t": "meta", "after_refocus": [True]}, "'after_refocus' must be true or false"),
    ({"t": "meta", **{f"k{i}": i for i in range(16)}}, "meta message has more than 16 keys"),
])
def test_malformed_meta_messages_are_refused_with_the_reason(data, error):
    with pytest.raises(ProtocolError) as refused:
        parse_meta(data)
    assert error in str(refused.value)


def test_a_focus_message_gives_the_interval_on_the_client_clock():
    report = parse_focus(frame({"t": "focus", "lost_ms": 1_000, "back_ms": 4_500,
                                "sent_ms": 4_600, "client": 77}).data)
    assert report == FocusReport(1_000, 4_500, 4_600, 77)
    assert parse_focus({"t": "focus", "lost_ms": 5, "back_ms": 5}) == FocusReport(5, 5, 5, 0)


@pytest.mark.parametrize(("data", "error"), [
    ({"t": "focus", "back_ms": 5}, "'lost_ms' must be an integer in [0, 2^53), got None"),
    ({"t": "focus", "lost_ms": 1.5, "back_ms": 5}, "'lost_ms' must be an integer"),
    ({"t": "focus", "lost_ms": True, "back_ms": 5}, "'lost_ms' must be an integer"),
    ({"t": "focus", "lost_ms": -1, "back_ms": 5}, "'lost_ms' must be an integer"),
    ({"t": "focus", "lost_ms": 1, "back_ms": 2 ** 60}, "'back_ms' must be an integer"),
    ({"t": "focus", "lost_ms": 9, "back_ms": 5}, "'back_ms' is before 'lost_ms'"),
    ({"t": "focus", "lost_ms": 0, "back_ms": 8 * 86_400_000}, "an interval longer than"),
    ({"t": "focus", "lost_ms": 1, "back_ms": 5, "sent_ms": 4}, "'sent_ms' is before 'back_ms'"),
    ({"t": "focus", "lost_ms": 1, "back_ms": 5, "client": "a"}, "'client' must be an integer"),
])
def test_malformed_focus_messages_are_refused_with_the_reason(data, error):
    with pytest.raises(ProtocolError) as refused:
        parse_focus(data)
    assert error in str(refused.value)
    assert len(str(refused.value)) <= 200
