"""Which tasks an export reads: projects, status, review window, writer, rubric and round."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from oversight.review.models import Review
from oversight.traces.models import EditEvent, Submission
from oversight.workspace import status as task_status
from oversight.workspace.gold import gold_exists
from oversight.workspace.models import Project, Task

from .export_snapshot import Snapshot

TASKS_PER_FETCH = 100  # tasks carry their draft: a small fetch keeps memory flat


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """What an export keeps; the defaults keep every approved task, with its latest final."""

    statuses: tuple[str, ...] | None = (task_status.APPROVED,)  # None: any status
    reviewed_after: datetime | None = None  # latest review at or after this
    reviewed_before: datetime | None = None  # latest review strictly before this
    writer: str = ""  # username of the exported final's submitter
    min_rubric_average: float | None = None  # mean of the latest review's scores
    exclude_flagged: bool = False  # drop records whose metrics raise any flag
    verified: bool = False  # keep records whose final passed every test of the task
    min_writer_trust: float | None = None  # the final's writer's posterior approval, 0-1
    round: int | None = None  # None: each task's latest final
    max_final_share_pasted: float | None = None  # keep finals at most this share pasted
    max_final_share_model: float | None = None  # keep finals at most this share model text
    task: int | None = None  # one task's record (webhook payloads link to it)
    include_gold: bool = False  # gold tasks (planted flaws) too, with `meta.gold`


def export_tasks(*, projects: list[Project], filters: ExportFilters,
                 snapshot: Snapshot) -> QuerySet[Task]:
    """Return the tasks to export, annotated with what the snapshot holds of them.

    `export_round` / `export_writer`: the final to export (the filtered round, or the
    latest); `reviewed_at` / `review_scores`: the latest review; `export_last_seq`:
    the trajectory's length. Each counts only rows inside the snapshot.
    `signals_cache` comes along: the task's stored signals, if any.
    """
    finals = Submission.objects.filter(task=OuterRef("pk"), id__lte=snapshot.submission_id)
    if filters.round is not None:
        finals = finals.filter(round=filters.round)
    finals = finals.order_by("-round")
    latest_review = Review.objects.filter(
        task=OuterRef("pk"), id__lte=snapshot.review_id).order_by("-id")
    last_event = EditEvent.objects.filter(
        task=OuterRef("pk"), id__lte=snapshot.event_id).order_by("-seq")
    tasks = (Task.objects.filter(project__in=projects, id__lte=snapshot.task_id)
             # signals_cache: the stored quality signals, used when still current
             .select_related("project", "draft", "signals_cache")
             .annotate(export_round=Subquery(finals.values("round")[:1]),
                       export_writer=Subquery(finals.values("submitted_by__username")[:1]),
                       reviewed_at=Subquery(latest_review.values("created_at")[:1]),
                       review_scores=Subquery(latest_review.values("scores")[:1]),
                       export_last_seq=Subquery(last_event.values("seq")[:1]))
             .order_by("id"))
    if filters.statuses is not None:
        tasks = tasks.filter(status__in=filters.statuses)
    if filters.round is not None:
        tasks = tasks.filter(export_round__isnull=False)
    if filters.writer:
        tasks = tasks.filter(export_writer=filters.writer)
    if filters.task is not None:
        tasks = tasks.filter(pk=filters.task)
    if not filters.include_gold:  # a draft with planted flaws is no training data
        tasks = tasks.filter(~gold_exists())
    if filters.reviewed_after is not None:
        tasks = tasks.filter(reviewed_at__gte=filters.reviewed_after)
    if filters.reviewed_before is not None:
        tasks = tasks.filter(reviewed_at__lt=filters.reviewed_before)
    return tasks


def rubric_average(scores) -> float | None:
    """Return the mean of a review's numeric scores, or None when it has none."""
    values = [v for v in (scores or {}).values()
              if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(values) / len(values) if values else None


def passes_rubric(task: Task, minimum: float | None) -> bool:
    """Tell whether the task's latest review averages at least `minimum` (no minimum: yes)."""
    if minimum is None:
        return True
    average = rubric_average(task.review_scores)
    return average is not None and average >= minimum


def passes_shares(metrics: dict, filters: ExportFilters) -> bool:
    """Tell whether a record's final is within the filters' pasted and model shares."""
    for limit, key in ((filters.max_final_share_pasted, "final_share_pasted"),
                       (filters.max_final_share_model, "final_share_model")):
        if limit is not None and metrics.get(key, 0.0) > limit:
            return False
    return True
