"""Writes on tasks and drafts: status changes and draft creation."""

from django.db import transaction

from . import status as task_status
from .models import Draft, Task

DRAFT_EXISTS = "Task {task} already has a draft; drafts never change."


class DraftExists(ValueError):
    pass


def task_transition(*, task: Task, target: str) -> Task:
    """Move a task to `target`, refusing transitions the status machine does not allow."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        previous = locked.status
        task_status.check_transition(previous, target)
        locked.status = target
        if target == task_status.IN_PROGRESS and previous == task_status.CHANGES_REQUESTED:
            locked.round += 1
        locked.save(update_fields=["status", "round", "updated_at"])
    task.status, task.round = locked.status, locked.round
    return task


def task_mark_started(*, task: Task) -> Task:
    """Move an open (or sent-back) task to in_progress when someone starts editing it."""
    if task.status in (task_status.OPEN, task_status.CHANGES_REQUESTED):
        return task_transition(task=task, target=task_status.IN_PROGRESS)
    return task


def draft_create(*, task: Task, text: str, model: str = "", params: dict | None = None,
                 source: str = Draft.IMPORTED) -> Draft:
    """Attach the draft a task starts from; a task's draft is written once and kept forever."""
    if Draft.objects.filter(task=task).exists():
        raise DraftExists(DRAFT_EXISTS.format(task=task))
    return Draft.objects.create(task=task, text=text, model=model, params=params or {},
                                source=source)
