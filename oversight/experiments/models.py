"""Experiments on a project's process: variants of task settings, and which task got which."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.workspace.models import Project, Task


class Experiment(models.Model):
    TASK = "task"
    WRITER = "writer"
    UNIT_CHOICES = [(TASK, "Task"), (WRITER, "Writer")]
    RUNNING = "running"
    STOPPED = "stopped"
    STATUS_CHOICES = [(RUNNING, "Running"), (STOPPED, "Stopped")]

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="experiments")
    name = models.CharField(max_length=200)
    hypothesis = models.TextField(help_text="What the lead expects, in words.")
    unit = models.CharField(max_length=10, choices=UNIT_CHOICES, default=TASK,
                            help_text="What is randomized: each task, or each writer.")
    seed = models.BigIntegerField(help_text="Seed of the permuted-block assignment.")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=RUNNING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    frozen_report = models.JSONField(null=True, blank=True,
                                     help_text="The report as computed when stopped.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A task joins at most one experiment: one running per project at a time.
            models.UniqueConstraint(fields=["project"], condition=Q(status="running"),
                                    name="one_running_experiment_per_project"),
        ]

    def __str__(self):
        return f"{self.project.slug}: {self.name}"

    @property
    def is_running(self) -> bool:
        return self.status == self.RUNNING


class Variant(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    position = models.PositiveIntegerField(help_text="0 is the baseline the others compare to.")
    name = models.CharField(max_length=40)
    settings = models.JSONField(default=dict, blank=True,
                                help_text="Task settings that override the project's.")

    class Meta:
        ordering = ["experiment_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "position"], name="variant_position"),
            models.UniqueConstraint(fields=["experiment", "name"], name="variant_name"),
        ]

    def __str__(self):
        return self.name


class WriterVariant(models.Model):
    """Under unit=writer, the variant a writer was given: all their tasks get it."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE,
                                   related_name="writer_variants")
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="writers")
    position = models.PositiveIntegerField(help_text="Order the writer joined (0-based).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["experiment", "writer"], name="one_variant_per_writer"),
            models.UniqueConstraint(fields=["experiment", "position"], name="writer_position"),
        ]


class TaskVariant(models.Model):
    """The variant a task was assigned: recorded once, kept after the experiment stops."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="variant_assignment")
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE,
                                   related_name="assignments")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveIntegerField(help_text="Order the task joined (0-based).")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["experiment_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "position"], name="task_position"),
        ]
