"""Gold tasks: the lead's planted flaws, the project's gold rate, and mixing gold into queues.

A task is gold when it has planted flaws (`GoldFlaw`). Nothing a writer reads says so:
the flaws live in their own table, read only by overseers' pages and the export
with `include_gold=1`.

Mixing: a gold task is one document, so it serves one writer. Gold tasks a lead
leaves unassigned form the project's pool; whenever assignments change (an import,
a flaw marked, the rate saved), each writer of the project is given pool tasks,
chosen at random (seeded per project, writer and count), while
`core.gold.gold_due` says their gold share, counting the new one, stays within the
project's `gold_rate`. Their task lists order tasks as imported, gold or not.
"""

import random

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from oversight.core.gold import flaw_problems, gold_due

from . import status as task_status
from .access import WRITER, is_manager
from .models import GoldFlaw, Membership, Project, Task

NOT_MANAGER = "Only the project's leads and admins may mark gold tasks and set the gold rate."
NO_DRAFT = "This task has no draft yet: a gold task's flaws are spans of its draft."
IN_GROUP = ("This task is a sibling in overlap group '{group}': a gold task serves one "
            "writer, so overlap siblings cannot be gold. Import the prompt as a gold line "
            "without overlap instead.")
BAD_RATE = "The gold rate must be a number from 0 to 0.5, not '{value}'."
MAX_RATE = 0.5


class GoldError(ValueError):
    """A refused change to gold tasks, with a message the lead can act on."""


class GoldForbidden(GoldError):
    """The user may not manage this project's gold tasks."""


def is_gold(task: Task) -> bool:
    return GoldFlaw.objects.filter(task=task).exists()


def gold_exists():
    """An `Exists` expression: annotate or filter tasks by whether they are gold."""
    return Exists(GoldFlaw.objects.filter(task=OuterRef("pk")))


def flaws_of(task: Task) -> list[dict]:
    return [flaw.as_dict() for flaw in GoldFlaw.objects.filter(task=task)]


def flaws_by_task(task_ids) -> dict[int, list[dict]]:
    """Return {task id: its flaws} for the tasks that are gold, in one query."""
    out: dict[int, list[dict]] = {}
    for flaw in GoldFlaw.objects.filter(task_id__in=list(task_ids)):
        out.setdefault(flaw.task_id, []).append(flaw.as_dict())
    return out


def _check_manager(user, project: Project) -> None:
    if not is_manager(user, project):
        raise GoldForbidden(NOT_MANAGER)


def in_group_refusal(task: Task) -> str:
    """Return why the task cannot be gold because it is an overlap sibling ('' if it can)."""
    return IN_GROUP.format(group=task.group.external_id) if task.group_id is not None else ""


def flaw_add(*, task: Task, user, start: int, end: int, description: str,
             test: str = "") -> GoldFlaw:
    """Plant a flaw on the task's draft (the task becomes gold), then mix the pool again."""
    _check_manager(user, task.project)
    refusal = in_group_refusal(task)
    if refusal:
        raise GoldError(refusal)
    draft = getattr(task, "draft", None)
    if draft is None:
        raise GoldError(NO_DRAFT)
    flaw = {"start": start, "end": end, "description": description, "test": test or None}
    errors = flaw_problems({k: v for k, v in flaw.items() if v is not None}, draft.text)
    if errors:
        raise GoldError("; ".join(e.replace("field 'flaw.", "'") for e in errors))
    created = GoldFlaw.objects.create(task=task, start=start, end=end,
                                      description=description.strip(), test=(test or "").strip())
    transaction.on_commit(lambda: mix_gold(project=task.project))
    return created


def flaw_delete(*, flaw: GoldFlaw, user) -> None:
    _check_manager(user, flaw.task.project)
    flaw.delete()


def gold_rate_update(*, project: Project, user, value) -> int:
    """Set the project's gold rate (0–0.5), mix gold into its writers' queues; return how
    many gold tasks were assigned now."""
    _check_manager(user, project)
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise GoldError(BAD_RATE.format(value=value)) from None
    if not 0 <= rate <= MAX_RATE:
        raise GoldError(BAD_RATE.format(value=value))
    project.gold_rate = rate
    project.save(update_fields=["gold_rate"])
    return sum(len(ids) for ids in mix_gold(project=project).values())


def _assignment_counts(project: Project) -> dict[int, tuple[int, int]]:
    """Return {writer id: (tasks assigned, gold among them)} in one aggregate query."""
    through = Task.assignees.through
    rows = (through.objects.filter(task__project=project,
                                   user__memberships__project=project,
                                   user__memberships__role=WRITER)
            .values("user_id")
            .annotate(total=Count("id"),
                      gold=Count("id", filter=Q(task__gold_flaws__isnull=False),
                                 distinct=True))
            .order_by())
    return {row["user_id"]: (row["total"], row["gold"]) for row in rows}


def mix_gold(*, project: Project, seed: str | None = None) -> dict[int, list[int]]:
    """Assign pool gold tasks to the project's writers while gold is due; return
    {writer id: [gold task ids given]}. Serialized per project, as imports are."""
    if project.gold_rate <= 0:
        return {}
    given: dict[int, list[int]] = {}
    with transaction.atomic():
        Project.objects.select_for_update().only("pk").get(pk=project.pk)
        pool = list(Task.objects.filter(project=project, status=task_status.OPEN,
                                        assignees__isnull=True)
                    .filter(gold_exists()).order_by("pk").values_list("pk", flat=True))
        if not pool:
            return {}
        counts = _assignment_counts(project)
        writers = (Membership.objects.filter(project=project, role=WRITER)
                   .order_by("user_id").values_list("user_id", flat=True))
        through = Task.assignees.through
        for writer in writers:
            total, gold = counts.get(writer, (0, 0))
            while pool and gold_due(total, gold, project.gold_rate):
                rng = random.Random(f"{seed or 'gold'}:{project.pk}:{writer}:{gold}")
                task_id = pool.pop(rng.randrange(len(pool)))
                through.objects.create(task_id=task_id, user_id=writer)
                given.setdefault(writer, []).append(task_id)
                total, gold = total + 1, gold + 1
    return given
