"""Quality signals per task, computed once per state of its trace and kept in TaskSignals.

The signals replay the whole trajectory, too slow to redo for every row of a queue;
a stored result stays valid while nothing it depends on has changed: the events,
the live notes, the submitted final, the opening time and the project's thresholds.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from oversight.core.signals import SIGNALS_VERSION
from oversight.traces import selectors as traces
from oversight.traces.models import EditEvent, Note, Submission
from oversight.traces.signals import METRIC_KEYS, task_signals
from oversight.workspace.models import Task

from .models import TaskSignals


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


def compute_metrics(task: Task) -> dict:
    """Compute a task's signals from its stored trace, as its trajectory record does."""
    first_ms = traces.first_event_ms(task)
    events = list(traces.iter_events(task, first_ms))
    submission = (Submission.objects.filter(task=task).select_related("submitted_by")
                  .order_by("-round").first())
    final_text = submission.text if submission else traces.text_at(task, task.last_seq)
    return task_signals(task, events, final_text, task.live_notes, submission)


def _store(task: Task, key: str, metrics: dict) -> None:
    try:
        with transaction.atomic():
            TaskSignals.objects.update_or_create(task=task,
                                                 defaults={"key": key, "metrics": metrics})
    except IntegrityError:
        pass  # a concurrent request stored the same result first


def metrics_for(tasks, *, store: bool = True) -> dict[int, dict]:
    """Return {task id: signals} for annotated tasks, computing only what is stale.

    `store=False` reads the store but writes nothing (for read-only transactions).
    """
    tasks = list(tasks)
    stored = {pk: (key, metrics) for pk, key, metrics in TaskSignals.objects
              .filter(task__in=[t.pk for t in tasks]).values_list("task_id", "key", "metrics")}
    result = {}
    for task in tasks:
        key = signals_key(task)
        cached_key, cached = stored.get(task.pk, (None, None))
        if cached_key == key:
            result[task.pk] = cached
        else:
            result[task.pk] = compute_metrics(task)
            if store:
                _store(task, key, result[task.pk])
    return result


def metrics_of(task: Task, *, store: bool = True) -> dict:
    """Return one task's signals (cached like the queue's)."""
    annotated = with_trace_state(Task.objects.filter(pk=task.pk).select_related("project",
                                                                              "draft")).get()
    return metrics_for([annotated], store=store)[task.pk]
