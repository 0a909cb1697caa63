"""A batch of updates, committed in one transaction (the editor calls it from its DB thread).

One transaction locks the document's counters and task row, catches the room up
with what other processes stored, appends the batch to the log (each update with
what its edit event will need: author, client id, server time, round, reported kind,
browser evidence), binds new client ids, opens the task on its first edit, and
applies the batch to the room's document: what is relayed afterwards is exactly what
was stored, in stored order. Edit events are not built here: the recorder derives
them from the stored rows afterwards, off the relay path (recording.py), and every
reader that needs them complete catches it up first.
"""

from dataclasses import dataclass, field

from django.db import transaction

from oversight.workspace import status as task_status
from oversight.workspace.models import Task
from oversight.workspace.services import task_transition

from . import store
from .yupdate import DecodedUpdate, UpdateRefused


@dataclass(slots=True)
class Incoming:
    """An update a connection sent, with what the server knows about it."""

    conn: object
    update: bytes
    reported_kind: str
    server_ms: int
    decoded: DecodedUpdate | None = None  # the editor's decoding of it; decoded again if absent
    evidence: dict | None = None  # the browser's marks for this update (core.evidence)


class BadUpdate(Exception):
    """An update that decodes but cannot be applied or recorded; its sender is dropped."""

    def __init__(self, conn, reason: str):
        super().__init__(reason)
        self.conn, self.reason = conn, reason


@dataclass(slots=True)
class BatchResult:
    accepted: list = field(default_factory=list)
    first_position: int = 0
    caught_up: list = field(default_factory=list)  # other processes' updates applied first
    refused_status: str | None = None
    refused: dict = field(default_factory=dict)  # conn -> (close code, reason)


def commit_batch(room, batch: list[Incoming], admission) -> BatchResult:
    """Append the batch to the log, in one transaction, and apply it to the room's document.

    `room` is the caller's live document: `task_id`, `doc` (the pycrdt Doc), `applied_position`,
    `client_owners`, `status` and `round`, which this updates in place.
    `admission` checks each update before it touches the document (`check(item)`
    returns the client ids it adds or raises UpdateRefused; `bind(item, added,
    position)`; `new_bindings`, `owners`): updates that fail (another user's client
    id, a part that would stay pending, content other than text) are left out, and
    their senders are listed in the result's `refused`.
    """
    with transaction.atomic():
        last_position, status, round_ = store.lock_for_batch(room.task_id)
        if status not in task_status.EDITABLE:
            return BatchResult(refused_status=status)
        result = BatchResult(first_position=last_position + 1)
        if last_position > room.applied_position:
            result.caught_up = _catch_up(room, last_position)
        rows = _Rows(room, last_position, status, round_)
        for item in batch:
            if item.conn in result.refused:
                continue  # the rest of a refused sender's batch builds on what was refused
            try:
                added = admission.check(item)
            except UpdateRefused as refused:
                result.refused[item.conn] = (refused.code, str(refused))
                continue
            # Attribute the update to the client id it writes under (a resync may
            # also carry structs of other ids the server already has).
            rows.add(item, min(added) if added else _first_client(item.decoded))
            admission.bind(item, added, rows.position)
        if rows.items:
            rows.store()
            store.bind_clients(room.task_id, admission.new_bindings)
    if rows.items:
        room.applied_position = rows.position
        room.client_owners.update(admission.owners)
        result.accepted = rows.items
    return result


class _Rows:
    """The update rows of a batch, built as its updates apply."""

    def __init__(self, room, last_position: int, status: str, round_: int):
        self.room, self.position, self.status, self.round = room, last_position, status, round_
        self.items, self.updates = [], []

    def add(self, item: Incoming, client_id: int) -> None:
        room = self.room
        if self.status != task_status.IN_PROGRESS:
            # The first accepted edit opens the task (and, after a send-back, a new round).
            self.round, self.status = start_editing(room.task_id), task_status.IN_PROGRESS
            room.status, room.round = self.status, self.round
        self.position += 1
        self.items.append(item)
        author_id = item.conn.user_id
        self.updates.append((room.task_id, self.position, author_id, client_id, item.server_ms,
                             item.update, item.reported_kind[:40], self.round, item.evidence))
        try:
            with room.doc.transaction(origin=item.conn):
                room.doc.apply_update(item.update)
        except Exception as exc:  # pycrdt refuses it: nothing of the batch is stored
            raise BadUpdate(item.conn, str(exc)) from exc

    def store(self) -> None:
        store.insert_batch(self.updates, self.room.task_id, self.position)


def _first_client(decoded: DecodedUpdate) -> int:
    # An update that adds nothing new (a deletion, a resync): the first client it names,
    # good enough for attribution; 0 when it names none.
    return next(iter(decoded.clients), 0)


def _catch_up(room, upto: int) -> list[bytes]:
    """Apply updates another process stored, in stored order (DB thread, lock held)."""
    applied = []
    for stored in store.fetch_updates(room.task_id, room.applied_position, upto):
        room.doc.apply_update(stored.data)
        applied.append(stored.data)
    room.applied_position = upto
    return applied


def task_status_of(task_id: int, lock: bool = False) -> tuple[str, int]:
    # Locking the task row serializes batches with submission, which locks it too.
    tasks = Task.objects.select_for_update() if lock else Task.objects
    return tasks.filter(pk=task_id).values_list("status", "round").get()


def start_editing(task_id: int) -> int:
    """Move an open or sent-back task to in_progress on its first edit; return the round."""
    task = task_transition(task=Task.objects.get(pk=task_id), target=task_status.IN_PROGRESS)
    return task.round
