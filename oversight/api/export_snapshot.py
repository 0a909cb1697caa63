"""One point in time for an export: a read-only snapshot transaction and the row ids it may see.

Two guarantees, the second standing alone where the first is missing:

- `snapshot_reads()` runs the export in one read transaction: REPEATABLE READ READ ONLY on
  PostgreSQL, a deferred transaction on SQLite (its first read takes a WAL snapshot).
- `snapshot_take()` records the newest ids of the rows a record is built from, and
  `cut_record()` drops anything newer, so even without isolation the export is a cut.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from oversight.core.formats import is_withdrawn
from oversight.core.replay import replay
from oversight.core.trajectory import event_from_dict
from oversight.review.metrics import signals_of_trace
from oversight.review.models import Review
from oversight.traces.models import EditEvent, Note, Submission
from oversight.workspace.models import Task

PG_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The newest row ids an export reads; rows written after it fall outside its cut."""

    task_id: int
    event_id: int
    note_id: int
    submission_id: int
    review_id: int


@contextmanager
def snapshot_reads(using: str = DEFAULT_DB_ALIAS):
    """Run the block's reads in one read-only snapshot transaction where the database has one."""
    conn = connections[using]
    if conn.in_atomic_block:
        # A caller's transaction (a test, a script's atomic block) already fixes what we see,
        # and PostgreSQL only takes SET TRANSACTION as a transaction's first statement.
        yield
    elif conn.vendor == "sqlite":
        with _sqlite_deferred(conn):
            yield
    else:
        with transaction.atomic(using=using):
            if conn.vendor == "postgresql":
                with conn.cursor() as cursor:
                    cursor.execute(PG_SNAPSHOT)
            yield


@contextmanager
def _sqlite_deferred(conn):
    # The project opens SQLite transactions IMMEDIATE so writers queue instead of failing;
    # an export in such a transaction would hold the write lock for its whole length.
    # DEFERRED takes no lock: its first read pins a WAL snapshot and writers carry on.
    conn.ensure_connection()  # connecting resets transaction_mode from the settings
    mode = conn.transaction_mode
    conn.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic(using=conn.alias):
            conn.transaction_mode = mode
            yield
    finally:
        conn.transaction_mode = mode


def snapshot_take(using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Return the newest ids of tasks, events, notes, submissions and reviews, as of now."""
    conn = connections[using]
    # One statement, so the five maxima come from one instant even outside a transaction.
    tables = [m._meta.db_table for m in (Task, EditEvent, Note, Submission, Review)]
    sql = "SELECT " + ", ".join(
        f"(SELECT MAX(id) FROM {conn.ops.quote_name(t)})" for t in tables)
    with conn.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    task, event, note, submission, review = (value or 0 for value in row)
    return Snapshot(task_id=task, event_id=event, note_id=note, submission_id=submission,
                    review_id=review)


def cut_record(record: dict, task, snapshot: Snapshot) -> dict:
    """Drop from a trajectory record what was written after the snapshot; recompute metrics then."""
    final = record["final"]
    if final is not None and final["round"] != task.export_round:
        final = None  # submitted after the snapshot
    events = [e for e in record["events"] if e["seq"] <= (task.export_last_seq or 0)]
    notes = [n for n in record["notes"] if n["id"] <= snapshot.note_id]
    reviews = [r for r in record["reviews"] if r["id"] <= snapshot.review_id]
    if (final is record["final"] and len(events) == len(record["events"])
            and len(notes) == len(record["notes"]) and len(reviews) == len(record["reviews"])):
        return record  # the usual case, always under isolation
    record.update(final=final, events=events, notes=notes, reviews=reviews,
                  metrics=_metrics(task, record["draft"]["text"], events, notes, final))
    return record


def _metrics(task, draft: str, events: list[dict], notes: list[dict], final: dict | None) -> dict:
    core_events = [event_from_dict(e) for e in events]
    submission = (Submission.objects.filter(task=task, round=final["round"]).first()
                  if final else None)
    text = final["text"] if final else replay(draft, core_events)
    live = sum(1 for n in notes if not is_withdrawn(n))
    return signals_of_trace(task, events=core_events, final_text=text, live_notes=live,
                            submission=submission)
