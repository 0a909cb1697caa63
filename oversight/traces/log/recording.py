"""The recorder: edit events and checkpoints derived from the stored update log, off the relay path.

The rooms store each update (batch.py) and relay it; nothing on that path builds an
event. The recorder follows a document's log in stored order, as far as its
counter row says it has recorded (`DocState.recorded_position`): it applies each
update to its own copy of the document, converts the observed Text delta from UTF-8
bytes to code points with a TextTracker (its cost per change does not grow with the
document) and writes one event per change, with the author, client id, server time,
round, reported kind and browser evidence stored in the update's row, and the full
text every CHECKPOINT_EVERY events.

`record(task_id)` catches one document up. It is idempotent and safe with any
number of threads and processes: rows are derived outside any lock, then written in
one short transaction that locks the counter row and commits only if the recorded
position is still the one derived from (otherwise someone else recorded: the copy
is dropped and the work re-read). Each copy belongs to one caller at a time
(checked out of a small per-process cache), so a caller never waits for another
thread's copy, e.g. a submission (holding the task row and, on SQLite, the write
lock) while a room's background recording waits for that lock.
"""

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import connection, transaction
from pycrdt import Doc, Text

from oversight.core.kinds import infer_kind
from oversight.core.replay import CHECKPOINT_EVERY
from oversight.core.tracker import TextTracker

from ..models import Checkpoint, DocSnapshot, DocState, DocUpdate, EditEvent
from . import store

log = logging.getLogger("oversight.traces")

# Updates derived and written per transaction: bounds a transaction's length (and, on
# SQLite, how long the one write lock is held away from the rooms' commits).
CHUNK = 2000
CACHED_COPIES = 64

_EVENT_COLUMNS = ("task_id", "seq", "round", "author_id", "client_id", "server_ms", "kind",
                  "inferred_kind", "ops", "evidence")


class RecordingFailed(Exception):
    """A stored update the recorder cannot turn into events (it stays in the log)."""

    def __init__(self, task_id: int, position: int, reason: str):
        super().__init__(f"update {position} cannot be recorded: {reason}")
        self.task_id, self.position = task_id, position


class _Stale(Exception):
    """Another recorder advanced the counter since this one read it."""


@dataclass
class _Copy:
    """The recorder's copy of one document, at log position `position`, event `last_seq`."""

    task_id: int
    doc_id: object  # the task's document id: a cached copy never outlives its task's row
    doc: Doc
    position: int
    last_seq: int
    checkpoint_every: int = CHECKPOINT_EVERY
    observed: list = field(default_factory=list)
    error: Exception | None = None

    def __post_init__(self):
        text = self.doc.get(store.TEXT_NAME, type=Text)
        self.tracker = TextTracker(str(text))
        # The binding's own event carries the delta as plain lists: pycrdt's Python
        # wrappers around it cost a tenth of the time. Keep the subscription alive.
        self._subscription = text.integrated.observe(self._on_text_event)

    def _on_text_event(self, event) -> None:
        try:
            self.observed.append(self.tracker.observe(event.delta, unit="utf8"))
        except Exception as exc:  # raised inside Rust's callback it would be lost
            self.error = exc

    def derive(self, updates: list[store.StoredUpdate]) -> tuple[list, list, Exception | None]:
        """Apply `updates` (the next ones in the log); return their event and checkpoint rows.

        An update that fails stops the derivation there: the rows of the updates before
        it are returned with the failure (RecordingFailed), and this copy is unusable.
        """
        events, checkpoints = [], []
        for stored in updates:
            try:
                self.doc.apply_update(stored.data)
                if self.error is not None:
                    raise self.error
            except Exception as exc:
                failure = RecordingFailed(self.task_id, stored.position, str(exc))
                failure.__cause__ = exc
                return events, checkpoints, failure
            changes, self.observed = self.observed, []
            for ops in changes:
                # A change that leaves the text as it was (typed and erased before it
                # reached the server) is no edit: its update stays in the log alone.
                if not any("insert" in op or "delete" in op for op in ops):
                    continue
                self.last_seq += 1
                events.append((self.task_id, self.last_seq, stored.round, stored.author_id,
                               stored.client_id, stored.server_ms, stored.reported_kind[:40],
                               infer_kind(ops), json.dumps(ops),
                               None if stored.evidence is None else json.dumps(stored.evidence)))
                if self.last_seq % self.checkpoint_every == 0:
                    checkpoints.append((self.task_id, self.last_seq, str(self.tracker)))
            self.position = stored.position
        return events, checkpoints, None


# -- the per-process cache of copies: each checked out by one caller at a time ----------

_copies: OrderedDict[int, _Copy] = OrderedDict()
_copies_lock = threading.Lock()


def _check_out(task_id: int) -> _Copy | None:
    with _copies_lock:
        return _copies.pop(task_id, None)


def _check_in(copy: _Copy) -> None:
    with _copies_lock:
        held = _copies.get(copy.task_id)
        if held is None or held.position < copy.position:
            _copies[copy.task_id] = copy
        _copies.move_to_end(copy.task_id)
        while len(_copies) > CACHED_COPIES:
            _copies.popitem(last=False)


def forget_copies() -> None:
    """Drop every cached copy (tests simulating a fresh process)."""
    with _copies_lock:
        _copies.clear()


def _load_copy(task_id: int, doc_id, position: int, last_seq: int) -> _Copy:
    """Rebuild the document as it stood at `position` from the log (snapshot + updates)."""
    doc = Doc()
    doc.get(store.TEXT_NAME, type=Text)
    snapshot = (DocSnapshot.objects.filter(task_id=task_id, position__lte=position)
                .order_by("-position").values_list("position", "state").first())
    after = 0
    if snapshot:
        after = snapshot[0]
        doc.apply_update(bytes(snapshot[1]))
    rows = (DocUpdate.objects.filter(task_id=task_id, position__gt=after, position__lte=position)
            .order_by("position").values_list("data", flat=True).iterator(chunk_size=1000))
    for data in rows:
        doc.apply_update(bytes(data))
    return _Copy(task_id=task_id, doc_id=doc_id, doc=doc, position=position, last_seq=last_seq)


# -- recording ----------------------------------------------------------------------


def _counters(task_id: int) -> tuple[int, int, int, object] | None:
    """(last_position, recorded_position, last_seq, doc_id), unlocked; None: no log."""
    return (DocState.objects.filter(task_id=task_id)
            .values_list("last_position", "recorded_position", "last_seq", "task__doc_id")
            .first())


def record(task_id: int) -> int:
    """Record the document's stored updates not yet recorded; return the recorded position.

    Blocking (database). Raises RecordingFailed for an update that cannot be turned
    into events; what was recorded before it stays recorded.
    """
    while True:
        counters = _counters(task_id)
        if counters is None:
            return 0
        if counters[1] >= counters[0]:
            return counters[1]
        last_position, recorded, last_seq, doc_id = counters
        copy = _check_out(task_id)
        if copy is None or (copy.doc_id, copy.position, copy.last_seq) != (
                doc_id, recorded, last_seq):
            copy = _load_copy(task_id, doc_id, recorded, last_seq)
        upto = min(last_position, recorded + CHUNK)
        events, checkpoints, failure = copy.derive(store.fetch_updates(task_id, recorded, upto))
        try:
            _write(task_id, recorded, copy, events, checkpoints)
        except _Stale:
            continue  # the copy is dropped: re-read what the other recorder wrote
        if failure is not None:  # what came before it is recorded; the copy is dropped
            log.error("task %s: the recorder stopped at a stored update: %s", task_id, failure)
            raise failure
        _check_in(copy)


def _write(task_id: int, recorded: int, copy: _Copy, events: list, checkpoints: list) -> None:
    table = connection.ops.quote_name(DocState._meta.db_table)
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT recorded_position FROM {table} WHERE task_id = %s{for_update}",
                       [task_id])
        if cursor.fetchone()[0] != recorded:
            raise _Stale
        if events:
            cursor.executemany(store.insert_sql(EditEvent, _EVENT_COLUMNS), events)
        if checkpoints:
            cursor.executemany(store.insert_sql(Checkpoint, ("task_id", "seq", "text")),
                               checkpoints)
        cursor.execute(f"UPDATE {table} SET recorded_position = %s, last_seq = %s "
                       "WHERE task_id = %s", [copy.position, copy.last_seq, task_id])


def unrecorded_tasks(limit: int = 500) -> list[int]:
    """Tasks whose stored log is ahead of their events (the partial index's rows)."""
    from django.db.models import F

    return list(DocState.objects.filter(last_position__gt=F("recorded_position"))
                .values_list("task_id", flat=True)[:limit])


def record_behind(tasks) -> None:
    """Catch up every task of `tasks` (a Task queryset or ids) whose log is ahead of its events.

    One query finds them (the partial index holds only documents behind): readers of
    many tasks' events (the export) call this before they read.
    """
    from django.db.models import F

    behind = (DocState.objects.filter(task__in=tasks, last_position__gt=F("recorded_position"))
              .values_list("task_id", flat=True))
    for task_id in list(behind):
        record(task_id)

