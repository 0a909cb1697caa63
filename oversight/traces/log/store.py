"""The update log in the database: seeding, appending, loading, snapshots (blocking calls)."""

import json
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from pycrdt import Doc, Text

from oversight.workspace.models import Task

from ..models import Checkpoint, DocClient, DocSnapshot, DocState, DocUpdate
from . import yupdate

TEXT_NAME = "codemirror"
SEED_KIND = "seed"


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    position: int
    data: bytes
    author_id: int | None
    client_id: int
    server_ms: int
    reported_kind: str
    round: int = 1
    evidence: dict | None = None


@dataclass(frozen=True, slots=True)
class LoadedLog:
    snapshot: bytes | None
    updates: list[StoredUpdate]
    last_position: int
    client_owners: dict[int, int | None]


def _seed_update(draft_text: str) -> bytes:
    doc = Doc()
    text = doc.get(TEXT_NAME, type=Text)
    text += draft_text
    return doc.get_update()


def ensure_seeded(task_id: int) -> None:
    """Store the draft as the document's first update, exactly once across all processes."""
    DocState.objects.get_or_create(task_id=task_id)
    with transaction.atomic():
        state = DocState.objects.select_for_update().get(task_id=task_id)
        if state.last_position:
            return
        task = Task.objects.select_related("draft").get(pk=task_id)
        draft_text = task.draft.text if hasattr(task, "draft") else ""
        seed = _seed_update(draft_text)
        DocUpdate.objects.create(task_id=task_id, position=1, author=None, client_id=0,
                                 server_ms=now_ms(), data=seed,
                                 reported_kind=SEED_KIND, round=task.round)
        # Nobody may extend the seed's client id.
        DocClient.objects.bulk_create(
            DocClient(task_id=task_id, client_id=client, user=None, first_position=1)
            for client in yupdate.decode(seed, TEXT_NAME).clients)
        Checkpoint.objects.get_or_create(task_id=task_id, seq=0, defaults={"text": draft_text})
        Task.objects.filter(pk=task_id, opened_at__isnull=True).update(opened_at=timezone.now())
        # The seed is the draft, not an edit: recorded by definition.
        state.last_position = state.recorded_position = 1
        state.save(update_fields=["last_position", "recorded_position"])


def _stored(rows) -> list[StoredUpdate]:
    return [StoredUpdate(position=p, data=bytes(d), author_id=a, client_id=c, server_ms=ms,
                         reported_kind=k, round=r, evidence=e)
            for p, d, a, c, ms, k, r, e in rows]


def fetch_updates(task_id: int, after: int, upto: int | None = None) -> list[StoredUpdate]:
    """Return the stored updates with position in (after, upto], in stored order."""
    rows = DocUpdate.objects.filter(task_id=task_id, position__gt=after)
    if upto is not None:
        rows = rows.filter(position__lte=upto)
    return _stored(rows.order_by("position").values_list(
        "position", "data", "author_id", "client_id", "server_ms", "reported_kind", "round",
        "evidence"))


def load_log(task_id: int) -> LoadedLog:
    """Return the newest snapshot and the updates stored after it."""
    ensure_seeded(task_id)
    with transaction.atomic():
        state = DocState.objects.get(task_id=task_id)
        snap = (DocSnapshot.objects.filter(task_id=task_id, position__lte=state.last_position)
                .order_by("-position").values_list("position", "state").first())
        after = snap[0] if snap else 0
        updates = fetch_updates(task_id, after, state.last_position)
        owners = client_owners(task_id)
    return LoadedLog(snapshot=bytes(snap[1]) if snap else None, updates=updates,
                     last_position=state.last_position,
                     client_owners=owners)


def stored_positions(task_ids: list[int]) -> dict[int, int]:
    """The stored last log position of each task's document."""
    return dict(DocState.objects.filter(task_id__in=task_ids)
                .values_list("task_id", "last_position"))


def client_owners(task_id: int, client_ids=None) -> dict[int, int | None]:
    """Return {Yjs client id: user id} of the document's bound client ids (all, or these)."""
    rows = DocClient.objects.filter(task_id=task_id)
    if client_ids is not None:
        rows = rows.filter(client_id__in=list(client_ids))
    return dict(rows.values_list("client_id", "user_id"))


def bind_clients(task_id: int, bindings: list[tuple[int, int, int]]) -> None:
    """Store new (client id, user id, first position) bindings (inside the batch's transaction)."""
    DocClient.objects.bulk_create(
        DocClient(task_id=task_id, client_id=client, user_id=user, first_position=position)
        for client, user, position in bindings)


def save_snapshot(task_id: int, position: int, state: bytes) -> None:
    """Store a compacted state; the update log itself is kept, since it is the history."""
    DocSnapshot.objects.create(task_id=task_id, position=position, state=state)
    # Older snapshots are redundant once a newer one exists, except the newest one the
    # recorder has reached: a recorder that lost its copy rebuilds from it.
    recorded = (DocState.objects.filter(task_id=task_id)
                .values_list("recorded_position", flat=True).first() or 0)
    keep = (DocSnapshot.objects.filter(task_id=task_id, position__lte=min(recorded, position))
            .order_by("-position").values_list("position", flat=True).first())
    older = DocSnapshot.objects.filter(task_id=task_id, position__lt=position)
    if keep is not None:
        older = older.exclude(position=keep)
    older.delete()


# -- the hot path: raw SQL, since the ORM's per-object work dominated a batch's cost ----

_UPDATE_COLUMNS = ("task_id", "position", "author_id", "client_id", "server_ms", "data",
                   "reported_kind", "round", "evidence")


def insert_sql(model, columns) -> str:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def lock_for_batch(task_id: int) -> tuple[int, str, int]:
    """Lock the document's counters and task row; return (last_position, status, round).

    Call inside a transaction. The task row lock serializes batches with
    submission and review, which lock it too.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_position FROM {DocState._meta.db_table} "
                       f"WHERE task_id = %s{_for_update()}", [task_id])
        (last_position,) = cursor.fetchone()
        cursor.execute(f"SELECT status, round FROM {Task._meta.db_table} "
                       f"WHERE id = %s{_for_update()}", [task_id])
        status, round_ = cursor.fetchone()
    return last_position, status, round_


def insert_batch(updates: list[tuple], task_id: int, last_position: int) -> None:
    """Append update rows and advance the log's counter (in the batch's transaction).

    Rows in _UPDATE_COLUMNS order, evidence as a dict or None. No event is written
    here: the recorder derives them from these rows (recording.py).
    """
    with connection.cursor() as cursor:
        cursor.executemany(insert_sql(DocUpdate, _UPDATE_COLUMNS),
                           [(*row[:-1], None if row[-1] is None else json.dumps(row[-1]))
                            for row in updates])
        cursor.execute(f"UPDATE {DocState._meta.db_table} SET last_position = %s "
                       "WHERE task_id = %s", [last_position, task_id])
