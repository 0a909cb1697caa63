"""Writes of experiments: define one, assign new tasks to its variants, stop it (freeze its report).

Keyword-only services raising `ExperimentError` with the HTTP status the API answers.
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.workspace.access import is_manager
from oversight.workspace.models import Project, Task

from .blocks import variant_index
from .models import Experiment, TaskVariant, Variant, WriterVariant
from .variants import variants_problems

NOT_A_LEAD = "Only the project's leads and admins run experiments."
ALREADY_RUNNING = ("Experiment “{name}” is still running on this project: stop it before "
                   "starting another (a task joins one experiment at most).")
ALREADY_STOPPED = "This experiment was stopped on {when}; its report is frozen."
REQUIRED = "{field}: required"
UNITS = (Experiment.TASK, Experiment.WRITER)
SEED_MAX = 2**53  # stays exact in JSON


class ExperimentError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code = status, code


def definition_problems(*, name: str, hypothesis: str, unit: str, variants) -> list[str]:
    """Everything wrong with a definition, in one list (empty: it is valid)."""
    problems = [REQUIRED.format(field=f) for f, v in (("name", name), ("hypothesis", hypothesis))
                if not (v or "").strip()]
    if unit not in UNITS:
        problems.append(f"unit: one of {', '.join(UNITS)}")
    return problems + variants_problems(variants)


def _check_definition(name: str, hypothesis: str, unit: str, variants) -> None:
    problems = definition_problems(name=name, hypothesis=hypothesis, unit=unit,
                                   variants=variants)
    if problems:
        raise ExperimentError(400, "invalid", "; ".join(problems))


def experiment_create(*, project: Project, user, name: str, hypothesis: str, variants: list,
                      unit: str = Experiment.TASK, seed: int | None = None) -> Experiment:
    """Start an experiment: tasks created from now on are assigned to its variants."""
    if not is_manager(user, project):
        raise ExperimentError(403, "permission_denied", NOT_A_LEAD)
    _check_definition(name, hypothesis, unit, variants)
    running = Experiment.objects.filter(project=project, status=Experiment.RUNNING).first()
    if running:
        raise ExperimentError(409, "experiment_running", ALREADY_RUNNING.format(name=running.name))
    try:
        with transaction.atomic():
            experiment = Experiment.objects.create(
                project=project, name=name.strip(), hypothesis=hypothesis.strip(), unit=unit,
                seed=secrets.randbelow(SEED_MAX) if seed is None else seed, created_by=user)
            Variant.objects.bulk_create([
                Variant(experiment=experiment, position=i, name=v["name"].strip(),
                        settings=v.get("settings") or {}) for i, v in enumerate(variants)])
    except IntegrityError as exc:  # another lead started one in the meantime
        raise ExperimentError(409, "experiment_running",
                              ALREADY_RUNNING.format(name="another")) from exc
    return experiment


def experiment_stop(*, experiment: Experiment, user) -> Experiment:
    """Stop assigning and freeze the report as it stands; tasks keep their variant."""
    from .report import experiment_report  # the report reads review and traces

    if not is_manager(user, experiment.project):
        raise ExperimentError(403, "permission_denied", NOT_A_LEAD)
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if not experiment.is_running:
            raise ExperimentError(409, "experiment_stopped", ALREADY_STOPPED.format(
                when=experiment.stopped_at.date().isoformat()))
        experiment.status, experiment.stopped_at = Experiment.STOPPED, timezone.now()
        report = experiment_report(experiment, live=True)
        experiment.frozen_report = {**report, "frozen": True}
        experiment.save(update_fields=["status", "stopped_at", "frozen_report"])
    return experiment


# -- assignment -------------------------------------------------------------------------


def _first_assignees(tasks: list[Task]) -> dict[int, int]:
    """{task id: the user id of its first listed assignee}."""
    first: dict[int, int] = {}
    rows = (Task.assignees.through.objects.filter(task_id__in=[t.pk for t in tasks])
            .order_by("id").values_list("task_id", "user_id"))
    for task_id, user_id in rows:
        first.setdefault(task_id, user_id)
    return first


def _writer_variants(experiment: Experiment, variants: list[Variant],
                     writer_ids: set[int]) -> dict[int, Variant]:
    """The variant of each writer, giving the writers new to the experiment theirs."""
    by_id = {v.pk: v for v in variants}
    known = {w: by_id[v] for w, v in WriterVariant.objects.filter(
        experiment=experiment, writer_id__in=writer_ids).values_list("writer_id", "variant_id")}
    position = WriterVariant.objects.filter(experiment=experiment).count()
    for writer_id in sorted(writer_ids - set(known)):
        variant = variants[variant_index(experiment.seed, position, len(variants))]
        WriterVariant.objects.create(experiment=experiment, writer_id=writer_id,
                                     variant=variant, position=position)
        known[writer_id] = variant
        position += 1
    return known


def assign_tasks(*, experiment: Experiment, tasks: list[Task]) -> list[TaskVariant]:
    """Record each new task's variant: by permuted blocks of tasks, or its writer's.

    Runs inside the import's transaction, which holds the project's row lock, so the
    positions counted here stay true until commit. Under unit=writer, a task imported
    without an assignee has no writer to follow and stays outside the experiment.
    """
    variants = list(experiment.variants.order_by("position"))
    position = TaskVariant.objects.filter(experiment=experiment).count()
    chosen: list[tuple[Task, Variant]] = []
    if experiment.unit == Experiment.WRITER:
        writers = _first_assignees(tasks)
        by_writer = _writer_variants(experiment, variants, set(writers.values()))
        chosen = [(t, by_writer[writers[t.pk]]) for t in tasks if t.pk in writers]
    else:
        chosen = [(t, variants[variant_index(experiment.seed, position + i, len(variants))])
                  for i, t in enumerate(tasks)]
    return TaskVariant.objects.bulk_create([
        TaskVariant(task=task, experiment=experiment, variant=variant, position=position + i)
        for i, (task, variant) in enumerate(chosen)])


def on_tasks_created(sender, *, project: Project, tasks: list[Task], **kwargs) -> None:
    """The workspace's `tasks_created`: new tasks join the project's running experiment."""
    experiment = Experiment.objects.filter(project=project, status=Experiment.RUNNING).first()
    if experiment is not None and tasks:
        assign_tasks(experiment=experiment, tasks=tasks)


def variant_settings_of(task: Task) -> dict:
    """The settings the task's variant sets (the workspace's override source); {} for none."""
    settings = (TaskVariant.objects.filter(task_id=task.pk)
                .values_list("variant__settings", flat=True).first())
    return settings or {}
