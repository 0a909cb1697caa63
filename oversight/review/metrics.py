"""Quality signals per task: the one service that computes them and the one that stores them.

The signals replay the whole trajectory, too slow to redo for every row of a queue;
a stored result stays valid while nothing it depends on has changed: the events,
the live notes, the submitted final, the opening time and the project's thresholds.
`store_signals` writes them after a submission commits (and after a threshold change,
in a job); every read (`metrics_for`, `signals_of_trace`) takes a valid stored row or
computes without storing, so no GET ever writes.
"""

import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from oversight.core.risk import (
    FLAG_WEIGHTS,
    HISTORY_WINDOW,
    OWN_MAX,
    OWN_SIGNALS,
    OWN_WEIGHT,
    own_outliers,
)
from oversight.core.signals import SIGNALS_VERSION
from oversight.traces import selectors as traces
from oversight.traces.models import EditEvent, Note, Submission
from oversight.traces.signals import METRIC_KEYS, task_signals
from oversight.workspace.models import Task

from . import writer_summary
from .models import TaskSignals

log = logging.getLogger(__name__)
# Signals copied as they are into TaskSignals columns (the queue's and the history's).
COPIED = ("changed_fraction", "active_seconds", "paste_share", "typing_median_ms", "notes")


def with_trace_state(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate tasks with what their signals depend on and their latest submission."""
    last = EditEvent.objects.filter(task=OuterRef("pk")).order_by("-seq").values("seq")[:1]
    notes = (Note.objects.filter(task=OuterRef("pk"), withdrawn=False).order_by()
             .values("task").annotate(n=Count("id")).values("n"))
    latest = Submission.objects.filter(task=OuterRef("pk")).order_by("-round")
    return tasks.annotate(
        last_seq=Coalesce(Subquery(last, output_field=IntegerField()), 0),
        live_notes=Coalesce(Subquery(notes, output_field=IntegerField()), 0),
        submission_id=Subquery(latest.values("pk")[:1]),
        submitted_at=Subquery(latest.values("submitted_at")[:1]),
        submitted_by=Subquery(latest.values("submitted_by__username")[:1]),
        submitted_by_id=Subquery(latest.values("submitted_by_id")[:1]),
    )


def signals_key(task: Task) -> str:
    """Return the digest of what a task's signals depend on (needs `with_trace_state`)."""
    return trace_state_key(task, last_seq=task.last_seq, live_notes=task.live_notes,
                           submission_id=task.submission_id)


def trace_state_key(task: Task, *, last_seq: int, live_notes: int,
                    submission_id: int | None) -> str:
    """Return the digest of signals computed from these: `signals_key` without annotations.

    `submission_id` is the final the signals are computed against (None: no final yet).
    """
    parts = [SIGNALS_VERSION, last_seq, live_notes, submission_id,
             task.opened_at.isoformat() if task.opened_at else None,
             task.project.thresholds()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def stored_metrics(stored: TaskSignals | None, key: str) -> dict | None:
    """Return stored signals if they were computed for `key` by this code, else None.

    A stored row written before a signal was added lacks it: a miss, not a short record.
    The fields come back in compute_signals' order (PostgreSQL's jsonb reorders keys).
    """
    if stored is None or stored.key != key or set(stored.metrics) != set(METRIC_KEYS):
        return None
    return {name: stored.metrics[name] for name in METRIC_KEYS}


def signals_of_trace(task: Task, *, events, final_text: str, live_notes: int,
                     submission: Submission | None, stored: TaskSignals | None = None,
                     key: str | None = None) -> dict:
    """Return the signals of a trace already read: `stored` if computed for `key`, else now.

    The one place signals are computed from a trace (queue, player, API, export, cuts);
    it never writes: only `store_signals` does, after a submission commits.
    """
    if key is not None:
        cached = stored_metrics(stored, key)
        if cached is not None:
            return cached
    return task_signals(task, events, final_text, live_notes, submission)


def compute_metrics(task: Task) -> dict:
    """Compute a task's signals from its stored trace (needs `with_trace_state`)."""
    first_ms = traces.first_event_ms(task)
    events = list(traces.iter_events(task, first_ms))
    submission = (Submission.objects.filter(task=task).select_related("submitted_by")
                  .order_by("-round").first())
    final_text = submission.text if submission else traces.text_at(task, task.last_seq)
    return signals_of_trace(task, events=events, final_text=final_text,
                            live_notes=task.live_notes, submission=submission)


def metrics_for(tasks) -> dict[int, dict]:
    """Return {task id: signals} for annotated tasks: stored where still valid, else computed.

    Read only, for GET pages and the API: what is stale is computed for this answer
    and not stored (a read never writes; `store_signals` does after a submission).
    """
    tasks = list(tasks)
    stored = {row.task_id: row for row in
              TaskSignals.objects.filter(task__in=[t.pk for t in tasks])}
    result = {}
    for task in tasks:
        cached = stored_metrics(stored.get(task.pk), signals_key(task))
        result[task.pk] = cached if cached is not None else compute_metrics(task)
    return result


def _annotated(task: Task) -> Task:
    return with_trace_state(Task.objects.filter(pk=task.pk)
                            .select_related("project", "draft")).get()


def metrics_of(task: Task) -> dict:
    """Return one task's signals, read only (as `metrics_for`)."""
    return metrics_for([_annotated(task)])[task.pk]


def store_signals(task: Task, *, summarise: bool = True) -> dict:
    """Compute the task's signals for its trace as it is now and store them; return them.

    The one writer of TaskSignals. Called once a submission has committed
    (`store_signals_on_commit`) and by the job that refreshes a project's signals after
    its thresholds change; never from a GET. With `summarise`, the task's writers'
    dashboard summaries are recomputed in the same transaction (the job does the whole
    project once at its end instead).
    """
    annotated = _annotated(task)
    key = signals_key(annotated)
    existing = TaskSignals.objects.filter(task=annotated).first()
    metrics = stored_metrics(existing, key)
    if metrics is None:
        metrics = compute_metrics(annotated)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    TaskSignals.objects.update_or_create(task=annotated, defaults={
                        "key": key, "metrics": metrics,
                        **signal_columns(annotated, metrics, own_history(annotated))})
            except IntegrityError:
                pass  # a concurrent writer stored the same result first
            if summarise:
                writer_summary.refresh_task_writers(annotated)
    return metrics


UNSTORED = ""  # the key of a row whose signals were never stored: a miss for every read


def register_submission(sender, instance: Submission, created: bool, **kwargs) -> None:
    """Give a new submission's task its queue row (who, when) in the submission's
    transaction; its signals are stored once that commits (`store_signals`). A new row
    is UNSTORED: the queue sorts its project in Python until the signals are stored."""
    if not created:
        return
    task = Task.objects.only("project_id").get(pk=instance.task_id)
    who = {"project_id": task.project_id, "submission_id": instance.pk,
           "writer_id": instance.submitted_by_id, "submitted_at": instance.submitted_at}
    if not TaskSignals.objects.filter(task_id=instance.task_id).update(**who):
        TaskSignals.objects.create(task_id=instance.task_id, key=UNSTORED, metrics={}, **who)


def signal_columns(task: Task, metrics: dict, history: dict[str, list[float]] | None) -> dict:
    """The queue's columns of a TaskSignals row: the one derivation of them from `metrics`
    (annotated `task` as `with_trace_state`; `history` as `own_history`)."""
    flags = list(metrics.get("flags") or [])
    own = own_outliers(metrics, history)[:OWN_MAX]
    return {
        "project_id": task.project_id, "submission_id": task.submission_id,
        "writer_id": getattr(task, "submitted_by_id", None),
        "submitted_at": task.submitted_at,
        **{name: metrics.get(name) for name in COPIED},
        "size": metrics.get("chars_inserted", 0) + metrics.get("chars_deleted", 0),
        "flag_count": len(flags), "flags_text": "".join(f",{f}" for f in flags) + ",",
        "flag_points": float(sum(FLAG_WEIGHTS.get(flag, 1) for flag in flags)),
        "own_points": float(OWN_WEIGHT * len(own)), "own_reasons": [list(o) for o in own],
    }


def own_history(task: Task) -> dict[str, list[float]] | None:
    """The writer's signals on their latest HISTORY_WINDOW stored submissions in the project
    before this task's (annotated `task`): what its risk compares against, at store time."""
    writer, at = getattr(task, "submitted_by_id", None), task.submitted_at
    if writer is None or at is None:
        return None
    earlier = list(TaskSignals.objects.filter(project_id=task.project_id, writer_id=writer,
                                              submitted_at__lt=at)
                   .exclude(task_id=task.pk).order_by("-submitted_at", "-task_id")
                   .values_list(*OWN_SIGNALS)[:HISTORY_WINDOW])[::-1]
    return {name: [float(row[i]) for row in earlier if row[i] is not None]
            for i, name in enumerate(OWN_SIGNALS)}


def _store_logged(task_id: int) -> None:
    try:
        with transaction.atomic():  # a savepoint: a failed query spoils nothing else
            store_signals(Task.objects.get(pk=task_id))
    except Exception:
        # Only the cache is lost: reads compute what is missing.
        log.exception("task %s: could not store its quality signals", task_id)


def store_signals_on_commit(task: Task) -> None:
    """Store the task's signals once the current transaction (its submission) commits.

    Nothing is stored for a submission that rolls back; the caller's request waits for
    the computation, but the submission itself never fails because of it.
    """
    task_id = task.pk
    transaction.on_commit(lambda: _store_logged(task_id))
