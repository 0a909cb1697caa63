"""The writers' dashboard figures kept per writer: the one writer of `WriterSummary`.

Aggregating every submitted task of a project on each visit costs seconds at 100k tasks
(one stored-signals JSON decoded per task, medians SQLite cannot take), so each
writer's figures are recomputed from scratch, for that writer only, in the transaction
that changes them: `store_signals` (a submission's signals, stored once it commits),
`review_submit` (a verdict) and a trajectory import; the signals job refreshes the
whole project once it has restored the store. Recomputing one writer reads only their
own tasks and verdicts, and from scratch there is no drift to repair. The computation
is the dashboard's former Python one, restricted to the writers concerned; gold catches
stay read at view time (`trust.writers_catches`), as a verifier run finishing later changes them.
"""

import datetime as dt
from collections import defaultdict
from statistics import mean, median

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from oversight.traces.models import Submission
from oversight.workspace.models import Project, Task

from .models import Review, TaskSignals, WriterSummary

MEDIAN_SIGNALS = ("changed_share", "changed_fraction", "active_seconds", "paste_share",
                  "notes_per_1k_changed", "mean_p_burst", "self_revisions")
LEAN_FIELDS = ("id", "project_id", "external_id", "status", "round", "opened_at")
WRITERS_PER_BATCH = 100  # keeps each batch's task ids well under SQLite's variable limit


def week_of(moment: dt.datetime) -> dt.date:
    """Return the Monday of the moment's week (UTC)."""
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return median(values) if values else None


def _latest_rounds(project: Project, writer_ids: list[int]) -> list[tuple]:
    """[(task id, writer id, submitted_at)] of the tasks whose latest round they submitted."""
    latest = Submission.objects.filter(task=OuterRef("pk")).order_by("-round")
    touched = Submission.objects.filter(task__project=project,
                                        submitted_by__in=writer_ids).values("task_id")
    return list(Task.objects.filter(pk__in=touched).order_by()
                .annotate(by=Subquery(latest.values("submitted_by_id")[:1]),
                          at=Subquery(latest.values("submitted_at")[:1]))
                .filter(by__in=writer_ids).values_list("pk", "by", "at"))


def _signals(project: Project, task_ids: list[int], compute_missing: bool) -> dict[int, dict]:
    """{task id: signals}: as the dashboard always read them (stored where valid, else
    computed, not stored), or, without `compute_missing`, whatever is stored."""
    if not compute_missing:  # the migration's fill: stored rows only, no model instances
        return dict(TaskSignals.objects.filter(task_id__in=task_ids)
                    .values_list("task_id", "metrics"))
    from .metrics import metrics_for, with_trace_state  # here: metrics calls this module

    tasks = list(with_trace_state(Task.objects.filter(pk__in=task_ids).only(*LEAN_FIELDS)))
    for task in tasks:
        task.project = project  # one instance: its thresholds are decoded once
    return metrics_for(tasks)


def _verdicts(project: Project, writer_ids: list[int]) -> dict[int, list[tuple]]:
    """{writer id: [(created_at, verdict, scores)]} over the verdicts on rounds they submitted."""
    rounds = {(task_id, round_): writer for task_id, round_, writer in
              Submission.objects.filter(task__project=project, submitted_by__in=writer_ids)
              .values_list("task_id", "round", "submitted_by_id")}
    out: dict[int, list] = defaultdict(list)
    reviews = (Review.objects.filter(task__in=Submission.objects.filter(
        task__project=project, submitted_by__in=writer_ids).values("task_id"))
        .values_list("task_id", "round", "created_at", "verdict", "scores"))
    for task_id, round_, at, verdict, scores in reviews:
        writer = rounds.get((task_id, round_))
        if writer is not None:
            out[writer].append((at, verdict, scores))
    return out


def _weeks(pairs) -> dict[str, list[int]]:
    weeks: dict[str, list[int]] = {}
    for at, hit in pairs:
        bucket = weeks.setdefault(week_of(at).isoformat(), [0, 0])
        bucket[0] += bool(hit)
        bucket[1] += 1
    return dict(sorted(weeks.items()))


def _summary(project: Project, writer: int, own: list[tuple], verdicts: list[tuple]):
    """One writer's row from their tasks [(submitted_at, signals)] and verdicts."""
    signals = [s for _, s in own]
    flag_counts: dict[str, int] = defaultdict(int)
    for s in signals:
        for flag in s.get("flags", []):
            flag_counts[flag] += 1
    keys = sorted({key for _, _, scores in verdicts for key in scores})
    task_weeks = {week: [tasks, flagged] for week, (flagged, tasks) in
                  _weeks((at, s.get("flags")) for at, s in own).items()}
    verdict_weeks = _weeks((at, verdict == Review.APPROVE) for at, verdict, _ in verdicts)
    return WriterSummary(
        project=project, writer_id=writer, tasks=len(own),
        flagged=sum(bool(s.get("flags")) for s in signals), reviews=len(verdicts),
        approved=sum(v == Review.APPROVE for _, v, _ in verdicts),
        medians={name: _median([s.get(name) for s in signals]) for name in MEDIAN_SIGNALS},
        rubric={key: mean(s[key] for _, _, s in verdicts if key in s) for key in keys},
        flag_counts=dict(sorted(flag_counts.items())), task_weeks=task_weeks,
        verdict_weeks={week: pair for week, pair in verdict_weeks.items()})


def refresh_writers(project: Project, writer_ids, *, compute_missing: bool = True) -> None:
    """Recompute these writers' summaries in the project (a writer with neither a task nor
    a verdict left has none). Call inside the transaction that changed their figures."""
    writer_ids = sorted({w for w in writer_ids if w is not None})
    if not writer_ids:
        return
    rounds = _latest_rounds(project, writer_ids)
    signals = _signals(project, [task_id for task_id, _, _ in rounds], compute_missing)
    verdicts = _verdicts(project, writer_ids)
    own: dict[int, list] = defaultdict(list)
    for task_id, writer, at in rounds:
        own[writer].append((at, signals.get(task_id) or {}))
    rows = [_summary(project, w, own.get(w, []), verdicts.get(w, []))
            for w in writer_ids if own.get(w) or verdicts.get(w)]
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                WriterSummary.objects.filter(project=project, writer_id__in=writer_ids).delete()
                WriterSummary.objects.bulk_create(rows)
            return
        except IntegrityError:
            # A concurrent refresh inserted the same writer's row first; its transaction
            # has committed by now, so deleting again sees it. Same figures either way.
            if attempt == 2:
                raise


def refresh_task_writers(task: Task, *, compute_missing: bool = True) -> None:
    """Recompute the summaries of everyone who submitted a round of the task."""
    writers = Submission.objects.filter(task=task).values_list("submitted_by_id", flat=True)
    refresh_writers(task.project, set(writers), compute_missing=compute_missing)


def refresh_project(project: Project, *, compute_missing: bool = True) -> int:
    """Recompute every summary of the project, writers in batches; return how many writers."""
    writers = sorted(set(Submission.objects.filter(task__project=project)
                         .values_list("submitted_by_id", flat=True)))
    with transaction.atomic():
        WriterSummary.objects.filter(project=project).exclude(writer_id__in=writers).delete()
        for start in range(0, len(writers), WRITERS_PER_BATCH):
            refresh_writers(project, writers[start:start + WRITERS_PER_BATCH],
                            compute_missing=compute_missing)
    return len(writers)


def refresh_imported(project: Project, tasks: list[Task]) -> None:
    """Recompute the summaries of the writers of imported tasks (call in the import's
    transaction); their signals, never stored by an import, are computed for this."""
    refresh_writers(project, Submission.objects.filter(task__in=[t.pk for t in tasks])
                    .values_list("submitted_by_id", flat=True))
