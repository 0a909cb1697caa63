"""Reads for review: the projects a user oversees, a project's queue, a task's reviews."""

from django.db.models import OuterRef, QuerySet, Subquery

from oversight.traces import playback
from oversight.traces.models import Submission
from oversight.verifiers.selectors import summaries_for
from oversight.workspace import status as task_status
from oversight.workspace.access import MANAGERS, OVERSEERS, projects_for, role_in
from oversight.workspace.gold import gold_exists
from oversight.workspace.models import Project, Task

from .doubt import approve_doubt, final_critiques, model_mean
from .metrics import metrics_for, with_trace_state
from .models import Claim, Review
from .trust import with_risk

STATUS_FILTERS = [("submitted", "Awaiting review"), ("approved", "Approved"),
                  ("changes_requested", "Changes requested"), ("rejected", "Rejected"),
                  ("all", "All submitted")]
FLAG_LABELS = {
    "rubber_stamp": "rubber stamp",
    "paste_heavy": "paste-heavy",
    "no_reasoning": "no reasoning",
    "burst_only": "burst-only",
    "synthetic_typing": "synthetic typing",
    "external_paste": "external paste",
    "paste_then_polish": "paste then polish",
}

# Sort keys of the queue's columns; None sorts last whichever the direction.
SORTS = {
    "task": lambda r: r["task"].external_id,
    "writer": lambda r: r["writer"],
    "submitted": lambda r: r["submitted_at"],
    "round": lambda r: r["task"].round,
    "size": lambda r: r["size"],
    "changed": lambda r: r["metrics"].get("changed_fraction"),
    "active": lambda r: r["metrics"].get("active_seconds"),
    "paste": lambda r: r["metrics"].get("paste_share"),
    "notes": lambda r: r["metrics"].get("notes"),
    "flags": lambda r: len(r["flags"]),
    "tests": lambda r: r["tests_passing_final"],
    "risk": lambda r: r.get("risk"),
    "status": lambda r: r["task"].status,
    "claim": lambda r: r["claimed_by"],
    "doubt": lambda r: r["doubt"],
}
DEFAULT_SORT = "submitted"
QUEUE_LIMIT = 500


def overseen_projects(user) -> list[dict]:
    """Return the projects the user reviews, leads or administers, with their waiting counts."""
    rows = []
    for project in projects_for(user):
        role = role_in(user, project)
        if role in OVERSEERS:
            waiting = Task.objects.filter(project=project, status=task_status.SUBMITTED).count()
            rows.append({"project": project, "role": role, "waiting": waiting,
                         "is_manager": role in MANAGERS})
    return rows


def submitted_tasks(project: Project) -> QuerySet[Task]:
    """Return the project's tasks that have a submitted final, annotated for the queue."""
    tasks = Task.objects.filter(project=project).select_related("project", "draft")
    return with_trace_state(tasks).filter(submission_id__isnull=False)


# What a task's signals key and the dashboard read: not its prompt, metadata or draft,
# which cost more to load than everything else at 100,000 rows.
LEAN_FIELDS = ("id", "project_id", "external_id", "status", "round", "opened_at")


def lean_submitted_tasks(project: Project) -> list[Task]:
    """Return `submitted_tasks` with only LEAN_FIELDS loaded, all sharing one project."""
    tasks = list(with_trace_state(Task.objects.filter(project=project).only(*LEAN_FIELDS))
                 .filter(submission_id__isnull=False))
    for task in tasks:
        task.project = project  # one instance: its thresholds are decoded once, not per row
    return tasks


def _row(task: Task, metrics: dict, claims: dict, verdicts: dict, critiques: dict,
         tests: dict) -> dict:
    flags = metrics.get("flags", [])
    critique = critiques.get(task.pk)
    return {
        **tests,  # tests_total, tests_passing_draft/final, first_green_seq, verifier_runs
        "task": task,
        "writer": task.submitted_by or "",
        "submitted_at": task.submitted_at,
        "metrics": metrics,
        "flags": flags,
        "model_mean": model_mean(critique),
        "doubt": approve_doubt(critique, flags),
        "size": metrics.get("chars_inserted", 0) + metrics.get("chars_deleted", 0),
        "claimed_by": claims.get(task.pk),
        "verdict": verdicts.get(task.pk),
    }


def _sorted(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    key = SORTS.get(sort, SORTS[DEFAULT_SORT])
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


def queue_rows(project: Project, *, writer: str = "", status: str = "submitted",
               flag: str = "", sort: str = DEFAULT_SORT, descending: bool = False) -> list[dict]:
    """Return the project's review queue, filtered by writer, status and flag, then sorted."""
    tasks = submitted_tasks(project).annotate(is_gold=gold_exists())  # overseers see gold
    if status and status != "all":
        tasks = tasks.filter(status=status)
    if writer:
        tasks = tasks.filter(submitted_by=writer)
    tasks = list(tasks.order_by("submitted_at")[:QUEUE_LIMIT])
    metrics = metrics_for(tasks)
    ids = [t.pk for t in tasks]
    claims = dict(Claim.objects.filter(task__in=ids).values_list("task_id", "reviewer__username"))
    verdicts = latest_verdicts(ids)
    critiques = final_critiques(tasks)
    tests = summaries_for(tasks)
    rows = with_risk(project, [_row(t, metrics[t.pk], claims, verdicts, critiques, tests[t.pk])
                               for t in tasks])
    if flag:
        rows = [r for r in rows if flag in r["flags"]]
    return _sorted(rows, sort, descending)


def queue_writers(project: Project) -> list[str]:
    """Return the usernames who submitted work in the project, for the writer filter.

    Who submitted each task's latest round, in one query: never a row object per task.
    """
    latest = (Submission.objects.filter(task=OuterRef("pk")).order_by("-round")
              .values("submitted_by__username")[:1])
    names = (Task.objects.filter(project=project).annotate(writer=Subquery(latest))
             .exclude(writer=None).order_by().values_list("writer", flat=True).distinct())
    return sorted(names)


def latest_verdicts(task_ids) -> dict[int, Review]:
    """Return {task id: its newest review} for the given tasks."""
    latest: dict[int, Review] = {}
    for review in (Review.objects.filter(task__in=task_ids).select_related("reviewer")
                   .order_by("task_id", "created_at", "id")):
        latest[review.task_id] = review
    return latest


def reviews_of(task: Task) -> QuerySet[Review]:
    """Return every review of the task, oldest first."""
    return (Review.objects.filter(task=task).select_related("reviewer", "task__project")
            .order_by("created_at", "id"))


def claim_of(task: Task) -> Claim | None:
    return Claim.objects.filter(task=task).select_related("reviewer").first()


def is_round_author(*, task: Task, user, round_: int) -> bool:
    """Tell whether the user edited or submitted the task's round (their own work)."""
    return (user.pk in playback.round_author_ids(task).get(round_, ())
            or Submission.objects.filter(task=task, round=round_, submitted_by=user).exists())
