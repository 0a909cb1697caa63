"""Submission's proof that the final is the document people saw, three ways.

1. the text of the CRDT document rebuilt from the stored update log (newest snapshot
   and every update after it: what the rooms relayed, oversight/traces/log/document.py),
2. the replay of the recorded events from the draft (core.replay),
3. the final about to be frozen (the text at the last seq, from the checkpoints),

must be one text. The first two are independent: a recorder that dropped, misordered
or mangled an event, or a log update with no event, makes them differ, and the check
refuses instead of freezing a final nobody saw. Events are derived from the log off
the relay path (log/recording.py), so the recorder may be behind the log: submission
first catches it up (`catch_up`, under the task lock, so no edit lands meanwhile),
then checks.
"""

import logging
from contextlib import closing

from oversight.core.replay import ReplayError, first_difference, replay

from . import selectors
from .errors import TraceMismatch
from .log import LogUnreadable, RecordingFailed, record, stored_text

log = logging.getLogger("oversight.traces")

LOG = "the document's update log"
EVENTS = "the recorded events"
FINAL = "the final text"

DISAGREE = ("Submission refused: {first} and {second} disagree at code point {position} "
            "({first_short}: {got!r}; {second_short}: {want!r}). Nothing was frozen; "
            "please tell an admin: the trace needs repair before this task can be submitted.")
UNREADABLE = ("Submission refused: {what} {fails} ({error}). Nothing was frozen; "
              "please tell an admin: the trace needs repair before this task can be submitted.")
SHORT = {LOG: "the log", EVENTS: "the events", FINAL: "the final"}
FAILS = {LOG: "does not load", EVENTS: "do not replay"}
EXCERPT = 20


def catch_up(task) -> None:
    """Record every stored update of the task's log not yet recorded (TraceMismatch if one fails).

    Idempotent and safe beside rooms' and other processes' recorders. Called under
    the task row's lock it leaves the events covering the whole log: batches lock
    that row too before they store anything.
    """
    try:
        record(task.pk)
    except RecordingFailed as exc:
        raise _unreadable(task, LOG, EVENTS, exc) from exc


def final_text(task, last_seq: int) -> str:
    """The text at the last seq (checkpoints + events); TraceMismatch if they do not replay."""
    try:
        return selectors.text_at(task, last_seq)
    except ReplayError as exc:
        raise _unreadable(task, EVENTS, FINAL, exc) from exc


def prove_final(task, final: str) -> None:
    """Raise TraceMismatch (logged as an error) unless log, events and final agree."""
    draft = selectors.draft_text(task)
    # closing(): a replay that fails midway must not leave the database cursor open.
    with closing(selectors.iter_events(task)) as events:
        try:
            replayed = replay(draft, events)
        except ReplayError as exc:
            raise _unreadable(task, EVENTS, FINAL, exc) from exc
    try:
        logged = stored_text(task.pk)
    except LogUnreadable as exc:
        raise _unreadable(task, LOG, EVENTS, exc) from exc
    if logged is None:
        # Never opened in the editor (no log yet): the room would seed it with the draft.
        logged = draft
    for (first, a), (second, b) in (((LOG, logged), (EVENTS, replayed)),
                                     ((EVENTS, replayed), (FINAL, final))):
        position = first_difference(a, b)
        if position is not None:
            raise _disagree(task, first, a, second, b, position)


def _disagree(task, first: str, a: str, second: str, b: str, position: int) -> TraceMismatch:
    got, want = a[position:position + EXCERPT], b[position:position + EXCERPT]
    log.error("task %s: submission refused: %s and %s disagree at code point %s "
              "(%r vs %r)", task.pk, first, second, position, got, want,
              extra={"task_id": task.pk, "disagree": (first, second), "position": position})
    return TraceMismatch(
        DISAGREE.format(first=first, second=second, position=position, got=got, want=want,
                        first_short=SHORT[first], second_short=SHORT[second]),
        first=first, second=second, position=position)


def _unreadable(task, what: str, other: str, exc: Exception) -> TraceMismatch:
    log.error("task %s: submission refused: %s %s: %s", task.pk, what, FAILS[what], exc,
              extra={"task_id": task.pk, "disagree": (what, other), "position": None})
    return TraceMismatch(UNREADABLE.format(what=what, fails=FAILS[what], error=exc),
                         first=what, second=other, position=None)
