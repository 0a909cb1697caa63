"""Reads of experiments: a project's list, one experiment, the variant of tasks."""

from django.db.models import Count, QuerySet

from oversight.workspace.models import Project, Task

from .models import Experiment, TaskVariant


def experiments_of(project: Project) -> QuerySet[Experiment]:
    return (Experiment.objects.filter(project=project).prefetch_related("variants")
            .annotate(tasks=Count("assignments")))


def variant_records(task_ids: list[int]) -> dict[int, dict]:
    """{task id: {"id", "name", "variant"}} for the tasks that joined an experiment."""
    return {task_id: {"id": exp_id, "name": name, "variant": variant}
            for task_id, exp_id, name, variant in TaskVariant.objects.filter(
                task_id__in=task_ids).values_list("task_id", "experiment_id",
                                                  "experiment__name", "variant__name")}


def variant_record(task: Task) -> dict | None:
    """The experiment and variant a task was assigned, for its export record (None: none)."""
    return variant_records([task.pk]).get(task.pk)
