"""Verifier runs: a task's tests run on the text at one point of its trace."""

from django.conf import settings
from django.db import models

from oversight.workspace.models import Task

QUEUED, RUNNING = "queued", "running"
FINISHED = ("passed", "failed", "error", "timeout", "memory", "output_limit", "refused")
STATUSES = (QUEUED, RUNNING, *FINISHED)
MANUAL, SUBMIT = "manual", "submit"


class VerifierRun(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="verifier_runs")
    seq = models.PositiveIntegerField(help_text="Trajectory position run on (0: draft).")
    round = models.PositiveIntegerField(default=1, help_text="Revision round of the task then.")
    sha256 = models.CharField(max_length=64, help_text="sha256 of the text run on.")
    text = models.TextField(help_text="The text run on (the document at `seq`).")
    spec = models.JSONField(help_text="The verifier spec in force when the run was started.")
    trigger = models.CharField(max_length=10, default=MANUAL,
                               choices=[(MANUAL, "Run tests"), (SUBMIT, "Submission")])
    status = models.CharField(max_length=20, default=QUEUED, db_index=True,
                              choices=[(s, s) for s in STATUSES])
    total = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    tests = models.JSONField(default=list, blank=True,
                             help_text="[{name, outcome, duration_ms, message}]")
    output = models.TextField(blank=True, help_text="Captured output, capped.")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task_id", "id"]
        indexes = [models.Index(fields=["started_by", "created_at"], name="run_rate_window")]

    def __str__(self):
        return f"run {self.pk} of {self.task_id} at seq {self.seq}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
