"""Reads of the model judge: a task's critiques."""

from oversight.workspace.models import Task

from .models import ModelCritique


def critiques_of(task: Task) -> list[ModelCritique]:
    """Return the task's critiques, oldest round first, the draft's before the final's."""
    return list(ModelCritique.objects.filter(task=task).order_by("round", "target", "id"))


def critique_pair(task: Task, round_: int) -> dict[str, ModelCritique | None]:
    """Return {"draft": …, "final": …}: the critiques shown beside round `round_`'s review."""
    final = ModelCritique.objects.filter(task=task, round=round_,
                                         target=ModelCritique.FINAL).first()
    draft = ModelCritique.objects.filter(task=task, target=ModelCritique.DRAFT).first()
    return {"draft": draft, "final": final}
