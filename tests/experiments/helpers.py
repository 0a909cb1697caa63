"""Experiments in tests: start one, import tasks into it the way every task is created."""

import json

from oversight.experiments.services import experiment_create
from oversight.workspace.importer import import_tasks, parse_lines
from oversight.workspace.models import Membership, Project, Task
from tests.factories import add_member, make_user

AB = [{"name": "A", "settings": {}}, {"name": "B", "settings": {"model_help": "all"}}]


def lead_of(project: Project, name: str = "lead"):
    user = make_user(f"{name}-{project.slug}")
    add_member(user, project, Membership.LEAD)
    return user


def start(project: Project, *, variants=AB, unit: str = "task", seed: int = 7, user=None):
    return experiment_create(project=project, user=user or lead_of(project), name="Try B",
                             hypothesis="B helps.", variants=variants, unit=unit, seed=seed)


def import_n(project: Project, n: int, *, prefix: str = "t", assignees=None,
             draft: str = "The draft.") -> list[Task]:
    """Import n tasks (assignees: a list of usernames per task, or None)."""
    lines = [json.dumps({"external_id": f"{prefix}{i}", "prompt": f"Prompt {i}",
                         "draft": {"text": draft, "model": "m-1"},
                         **({"assignees": assignees[i]} if assignees else {})})
             for i in range(n)]
    import_tasks(project=project, rows=parse_lines(lines, project=project))
    return list(Task.objects.filter(project=project, external_id__startswith=prefix)
                .order_by("id"))


def variant_names(tasks) -> list[str | None]:
    from oversight.experiments.models import TaskVariant

    names = dict(TaskVariant.objects.filter(task__in=tasks)
                 .values_list("task_id", "variant__name"))
    return [names.get(t.pk) for t in tasks]
