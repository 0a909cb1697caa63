"""Reads for the home pages: a writer's tasks, a lead's per-project status counts."""

from django.db.models import Count

from . import status as task_status
from .access import MANAGERS, OVERSEERS, projects_for, role_in
from .models import Draft, GoldFlaw, Task

TASKS_PER_PAGE = 50


def my_tasks(user):
    """Return the tasks assigned to the user, newest activity first."""
    return (Task.objects.filter(assignees=user).select_related("project")
            .order_by("-updated_at"))


def my_waiting_tasks(user):
    """The user's tasks still to be worked on, in the project's order (as imported)."""
    return (Task.objects.filter(assignees=user, status__in=task_status.EDITABLE)
            .select_related("project").order_by("project__name", "pk"))


def next_task_for(user, *, after: Task) -> Task | None:
    """The task a writer goes to after `after`: the next waiting one in project order,
    wrapping round to the first; None when nothing else waits."""
    waiting = [t for t in my_waiting_tasks(user) if t.pk != after.pk]
    key = (after.project.name, after.pk)
    later = [t for t in waiting if (t.project.name, t.pk) > key]
    return (later or waiting or [None])[0]


def overseen_projects(user, *, pages: dict[str, int] | None = None) -> list[dict]:
    """Return, per project the user reviews or leads, its status counts and one page of
    its tasks (`pages`: {project slug: page number}, default the first)."""
    projects = [(p, role_in(user, p)) for p in projects_for(user)]
    projects = [(p, role) for p, role in projects if role in OVERSEERS]
    # Every project's counts by status in one grouped query (the (project, status, id)
    # index answers it without reading the tasks).
    counts: dict[int, dict[str, int]] = {}
    for project_id, key, n in (Task.objects.filter(project__in=[p for p, _ in projects])
                               .order_by().values_list("project_id", "status")
                               .annotate(n=Count("id"))):
        counts.setdefault(project_id, {})[key] = n
    rows = []
    for project, role in projects:
        mine = counts.get(project.pk, {})
        total = sum(mine.values())
        last_page = max((total + TASKS_PER_PAGE - 1) // TASKS_PER_PAGE, 1)
        page = min(max((pages or {}).get(project.slug, 1), 1), last_page)
        rows.append({
            "project": project,
            "role": role,
            "is_manager": role in MANAGERS,
            "counts": [(label, mine.get(key, 0)) for key, label in task_status.CHOICES],
            "total": total,
            "tasks": _task_page(project, page),
            "page": page, "pages": last_page,
            "first": (page - 1) * TASKS_PER_PAGE + 1,
            "last": min(page * TASKS_PER_PAGE, total),
        })
    return rows


def _task_page(project, page: int) -> list[Task]:
    """One page of the project's tasks by id, with their assignees, drafts and gold marks
    looked up for that page only (an overseer sees every task: no join with the
    assignees, no DISTINCT)."""
    start = (page - 1) * TASKS_PER_PAGE
    tasks = list(Task.objects.filter(project=project).prefetch_related("assignees")
                 .order_by("id")[start:start + TASKS_PER_PAGE])
    ids = [t.pk for t in tasks]
    drafts = set(Draft.objects.filter(task_id__in=ids).values_list("task_id", flat=True))
    gold = set(GoldFlaw.objects.filter(task_id__in=ids).values_list("task_id", flat=True))
    for task in tasks:
        task.has_draft, task.is_gold = task.pk in drafts, task.pk in gold
    return tasks
