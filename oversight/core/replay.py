"""Replay edit events onto the draft; checkpoints; the final-text invariant.

Events must come in seq order (1, 2, 3, ... with no gap): a missing or repeated
event would make every later text wrong, so it is an error, not a warning.
"""

from collections.abc import Iterable

from .delta import DeltaError, common_prefix
from .tracker import TextTracker
from .trajectory import Event

CHECKPOINT_EVERY = 500

SEQ_GAP = "expected event seq {expected}, got {got}"
DOES_NOT_APPLY = "event seq {seq} does not apply: {error}"
SEQ_BEFORE_CHECKPOINT = "seq {seq} is before the checkpoint at seq {checkpoint}"
EVENTS_MISSING = "events end at seq {last}, before the requested seq {seq}"
FINAL_DIFFERS = ("replayed text differs from the final at code point {pos}: "
                 "replay has {got!r}, final has {want!r}")


class ReplayError(ValueError):
    """The events do not replay: a seq gap, a delta that does not fit, or another final."""


def _seq_and_ops(event: Event | dict) -> tuple[int, list]:
    if isinstance(event, Event):
        return event.seq, event.ops
    return event["seq"], event["ops"]


def _apply_events(text: str, after_seq: int, events: Iterable, until: int | None,
                  skip_earlier: bool = False) -> tuple[str, int]:
    """Apply events after `after_seq` (up to `until`); return (text, last seq applied)."""
    expected = after_seq + 1
    blocks = TextTracker(text)  # many small edits: copy one block each, join once
    for event in events:
        seq, ops = _seq_and_ops(event)
        if skip_earlier and seq <= after_seq:
            continue  # tolerate a query that also returned events up to the checkpoint
        if until is not None and seq > until:
            break
        if seq != expected:
            raise ReplayError(SEQ_GAP.format(expected=expected, got=seq))
        try:
            blocks.apply(ops)
        except DeltaError as error:
            raise ReplayError(DOES_NOT_APPLY.format(seq=seq, error=error)) from error
        expected += 1
    return str(blocks), expected - 1


def replay(draft: str, events: Iterable[Event | dict]) -> str:
    """Return the text after applying every event, in seq order from 1, to the draft."""
    text, _ = _apply_events(draft, 0, events, None)
    return text


def should_checkpoint(seq: int, every: int = CHECKPOINT_EVERY) -> bool:
    """Tell whether the text after event `seq` should be stored as a checkpoint."""
    return seq > 0 and seq % every == 0


def text_at(seq: int, checkpoint_seq: int, checkpoint_text: str, events_after: Iterable) -> str:
    """Return the text after event `seq`, from a checkpoint and the events (checkpoint, seq]."""
    if seq < checkpoint_seq:
        raise ReplayError(SEQ_BEFORE_CHECKPOINT.format(seq=seq, checkpoint=checkpoint_seq))
    text, last = _apply_events(checkpoint_text, checkpoint_seq, events_after, seq,
                               skip_earlier=True)
    if last != seq:
        raise ReplayError(EVENTS_MISSING.format(last=last, seq=seq))
    return text


def first_difference(a: str, b: str) -> int | None:
    """Return the first code point where `a` and `b` differ, or None if they are equal."""
    return None if a == b else common_prefix(a, b)


def verify_final(draft: str, events: Iterable[Event | dict], final_text: str) -> None:
    """Raise ReplayError, naming the first differing position, unless events lead to final."""
    text = replay(draft, events)
    pos = first_difference(text, final_text)
    if pos is not None:
        raise ReplayError(FINAL_DIFFERS.format(pos=pos, got=text[pos:pos + 20],
                                               want=final_text[pos:pos + 20]))
