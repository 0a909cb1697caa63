"""Reads for review: the projects a user oversees, a project's queue, a task's reviews."""

from dataclasses import dataclass

from django.db.models import QuerySet

from oversight.traces import playback
from oversight.traces.models import Submission
from oversight.verifiers.selectors import summaries_for
from oversight.workspace import status as task_status
from oversight.workspace.access import MANAGERS, OVERSEERS, projects_for, role_in
from oversight.workspace.models import Project, Task

from . import queue
from .doubt import approve_doubt, final_critiques, model_mean
from .metrics import metrics_for, with_trace_state
from .models import Claim, Review, TaskSignals
from .trust import with_risk, writers_trust

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

# Sort keys of the queue's columns as row values; the database sorts by their SQL
# (review.queue) and these sort the rows of a project whose signals are not all stored.
# None sorts last in both directions.
SORTS = {
    "task": lambda r: r["task"].external_id, "writer": lambda r: r["writer"],
    "submitted": lambda r: r["submitted_at"], "round": lambda r: r["task"].round,
    "size": lambda r: r["size"], "changed": lambda r: r["metrics"].get("changed_fraction"),
    "active": lambda r: r["metrics"].get("active_seconds"),
    "paste": lambda r: r["metrics"].get("paste_share"),
    "notes": lambda r: r["metrics"].get("notes"),
    "flags": lambda r: len(r["flags"]), "tests": lambda r: r["tests_passing_final"],
    "risk": lambda r: r.get("risk"), "status": lambda r: r["task"].status,
    "claim": lambda r: r["claimed_by"], "doubt": lambda r: r["doubt"],
}
assert set(SORTS) == set(queue.SORT_KEYS)
DEFAULT_SORT = queue.DEFAULT_SORT


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


@dataclass
class QueuePage:
    """One page of the queue: its rows, its number (1-based) and whether more follow.

    No total: counting every matching row is what a page of 100,000 must not do."""

    rows: list[dict]
    number: int
    has_next: bool
    size: int = queue.PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def queue_page(project: Project, *, writer: str = "", status: str = "submitted",
               flag: str = "", sort: str = DEFAULT_SORT, descending: bool = False,
               page: int = 1, size: int = queue.PAGE_SIZE) -> QueuePage:
    """Return one page of the project's review queue, filtered by writer, status and flag,
    sorted (ties by submission time): sorted and cut by the database."""
    if queue.unstored_exist(project):
        return _unstored_page(project, writer=writer, status=status, flag=flag, sort=sort,
                              descending=descending, page=page, size=size)
    tasks = queue.filtered(project, writer=writer, status=status, flag=flag, stored=True)
    number = max(1, page)
    offset = (number - 1) * size
    median = queue.median_active(project)
    trust = None
    if sort == "risk":
        trust = writers_trust(project)  # every writer's record: the order depends on them
        ids = queue.risk_ids(tasks, median=median, trust=trust, descending=descending,
                             offset=offset, limit=size + 1)
    else:
        ids = queue.page_ids(project, tasks, sort=sort if sort in SORTS else DEFAULT_SORT,
                             descending=descending, offset=offset, limit=size + 1)
    rows = with_risk(project, _rows(queue.page_tasks(ids[:size])), median_active=median.value,
                     peers=median.peers, trust=trust)
    return QueuePage(rows=rows, number=number, has_next=len(ids) > size, size=size)


# While some submitted task has no stored signals row (a submission path that did not
# store them, e.g. tests or an import before its refresh job ran), the database cannot
# sort by them: the first UNSTORED_LIMIT rows by submission are built and sorted here,
# computing what is missing for this answer, as the queue did before it had columns.
UNSTORED_LIMIT = 500


def _unstored_page(project: Project, *, writer: str, status: str, flag: str, sort: str,
                   descending: bool, page: int, size: int) -> QueuePage:
    tasks = queue.filtered(project, writer=writer, status=status, flag="", stored=False)
    ids = list(tasks.order_by("q_at", "pk").values_list("pk", flat=True)[:UNSTORED_LIMIT])
    median = queue.median_active(project)
    rows = with_risk(project, _rows(queue.page_tasks(ids)), median_active=median.value,
                     peers=median.peers)
    if flag:
        rows = [r for r in rows if flag in r["flags"]]
    key = SORTS.get(sort, SORTS[DEFAULT_SORT])
    present = [r for r in rows if key(r) is not None]
    rows = (sorted(present, key=key, reverse=descending)
            + [r for r in rows if key(r) is None])
    number = max(1, page)
    return QueuePage(rows=rows[(number - 1) * size:number * size], number=number,
                     has_next=len(rows) > number * size, size=size)


def _rows(tasks: list[Task]) -> list[dict]:
    """The queue's rows of these tasks: their signals (stored, else computed), claims,
    verdicts, critiques and tests, each read for all of them at once."""
    metrics = metrics_for(tasks)
    ids = [t.pk for t in tasks]
    claims = dict(Claim.objects.filter(task__in=ids).values_list("task_id", "reviewer__username"))
    own = dict(TaskSignals.objects.filter(task__in=ids).values_list("task_id", "own_reasons"))
    verdicts = latest_verdicts(ids)
    critiques = final_critiques(tasks)
    tests = summaries_for(tasks)
    rows = [_row(t, metrics[t.pk], claims, verdicts, critiques, tests[t.pk]) for t in tasks]
    for row in rows:
        row["own"] = own.get(row["task"].pk) or []
    return rows


def queue_rows(project: Project, **options) -> list[dict]:
    """Return the rows of one page of the queue (`queue_page`'s options)."""
    return queue_page(project, **options).rows


def queue_writers(project: Project) -> list[str]:
    """Return the usernames who submitted work in the project, for the writer filter:
    the writers of its queue rows (every submission makes one), in one query."""
    return queue.writer_names(project)


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
