"""Events replay onto the draft in gapless seq order; checkpoints shorten the way."""

import pytest

from oversight.core.delta import apply_ops
from oversight.core.replay import (
    CHECKPOINT_EVERY,
    ReplayError,
    replay,
    should_checkpoint,
    text_at,
    verify_final,
)
from oversight.core.trajectory import event_to_dict

from .factories import event
from .helpers import checkpoint_seq_for

DRAFT = "abc"
EVENTS = [event(1, [{"insert": "X"}]),  # Xabc
          event(2, [{"retain": 4}, {"insert": "数"}]),  # Xabc数
          event(3, [{"retain": 1}, {"delete": 2}]),  # Xc数
          event(4, [{"retain": 3}, {"insert": "👍🏽"}])]  # Xc数👍🏽
TEXTS = ["abc", "Xabc", "Xabc数", "Xc数", "Xc数👍🏽"]


def test_replay_applies_every_event_in_order():
    assert replay(DRAFT, EVENTS) == "Xc数👍🏽"
    assert replay(DRAFT, []) == DRAFT


def test_replay_accepts_event_records_as_dicts():
    assert replay(DRAFT, [event_to_dict(e) for e in EVENTS]) == "Xc数👍🏽"


def test_a_missing_seq_is_an_error():
    with pytest.raises(ReplayError, match="expected event seq 2, got 3"):
        replay(DRAFT, [EVENTS[0], EVENTS[2]])


def test_seqs_must_start_at_one():
    with pytest.raises(ReplayError, match="expected event seq 1, got 2"):
        replay(DRAFT, EVENTS[1:])


def test_a_delta_that_does_not_fit_names_its_event():
    bad = [EVENTS[0], event(2, [{"retain": 40}, {"insert": "!"}])]
    with pytest.raises(ReplayError, match="event seq 2 does not apply: retain of 40"):
        replay(DRAFT, bad)


def test_checkpoints_come_every_500_events():
    assert CHECKPOINT_EVERY == 500
    assert [s for s in range(0, 1501) if should_checkpoint(s)] == [500, 1000, 1500]
    assert should_checkpoint(6, every=3) and not should_checkpoint(7, every=3)
    assert checkpoint_seq_for(999) == 500 and checkpoint_seq_for(1000) == 1000


@pytest.mark.parametrize("seq", [0, 1, 2, 3, 4])
def test_text_at_from_the_draft_matches_replay(seq):
    assert text_at(seq, 0, DRAFT, EVENTS) == TEXTS[seq]


def test_text_at_from_a_checkpoint_uses_only_later_events():
    assert text_at(4, 2, TEXTS[2], EVENTS[2:]) == TEXTS[4]
    # A query that also returns events up to the checkpoint is tolerated.
    assert text_at(3, 2, TEXTS[2], EVENTS) == TEXTS[3]
    assert text_at(2, 2, TEXTS[2], []) == TEXTS[2]


def test_text_at_refuses_missing_events_or_a_later_checkpoint():
    with pytest.raises(ReplayError, match="events end at seq 3, before the requested seq 4"):
        text_at(4, 2, TEXTS[2], EVENTS[2:3])
    with pytest.raises(ReplayError, match="seq 1 is before the checkpoint at seq 2"):
        text_at(1, 2, TEXTS[2], EVENTS)


def test_text_at_over_many_checkpoints_agrees_with_replay():
    text, events, checkpoints = "", [], {0: ""}
    for seq in range(1, 1201):
        ops = [{"retain": (seq * 7) % (len(text) + 1)}, {"insert": "数a"[seq % 2]}]
        if seq % 5 == 0:
            ops = [{"retain": seq % len(text)}, {"delete": 1}]
        events.append(event(seq, ops))
        text = apply_ops(text, ops)
        if should_checkpoint(seq, every=100):
            checkpoints[seq] = text
    for seq in (1, 99, 100, 101, 777, 1200):
        base = checkpoint_seq_for(seq, every=100)
        assert text_at(seq, base, checkpoints[base], events[base:]) == replay("", events[:seq])


def test_verify_final_accepts_the_replayed_text():
    verify_final(DRAFT, EVENTS, "Xc数👍🏽")


def test_verify_final_names_the_first_differing_position():
    with pytest.raises(ReplayError, match="differs from the final at code point 2"):
        verify_final(DRAFT, EVENTS, "Xc文👍🏽")
    with pytest.raises(ReplayError, match="at code point 5: replay has '', final has '!'"):
        verify_final(DRAFT, EVENTS, "Xc数👍🏽!")
