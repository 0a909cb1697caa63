"""Reads for the home pages: a writer's tasks, a lead's per-project status counts."""

from django.db.models import Count, Exists, OuterRef

from . import status as task_status
from .access import MANAGERS, OVERSEERS, projects_for, role_in
from .gold import gold_exists
from .models import Draft, Task


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


def overseen_projects(user) -> list[dict]:
    """Return, per project the user reviews or leads, its status counts and its tasks."""
    rows = []
    for project in projects_for(user):
        role = role_in(user, project)
        if role not in OVERSEERS:
            continue
        # An overseer sees every task of the project: no join with the assignees and no
        # DISTINCT over them (visible_tasks' writer branch), which cost seconds at 100k.
        tasks = Task.objects.filter(project=project).prefetch_related("assignees")
        counts = dict(tasks.values_list("status").annotate(n=Count("id")).order_by())
        rows.append({
            "project": project,
            "role": role,
            "is_manager": role in MANAGERS,
            "counts": [(label, counts.get(key, 0)) for key, label in task_status.CHOICES],
            "total": sum(counts.values()),
            "tasks": tasks.annotate(has_draft=Exists(Draft.objects.filter(task=OuterRef("pk"))),
                                    is_gold=gold_exists())
                          .order_by("id")[:200],
        })
    return rows
