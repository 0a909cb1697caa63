"""A model's critique of a round's final (and of the draft), principle by principle."""

from django.conf import settings
from django.db import models

from oversight.workspace.models import Project, Task


class JudgeTemplate(models.Model):
    """One version of a project's critique prompt; the newest is the one in force."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="judge_templates")
    version = models.PositiveIntegerField(help_text="1, 2, …; every critique names its version.")
    body = models.TextField(help_text="Prompt with the fields {prompt}, {principles} and {text}.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"],
                                               name="one_judge_template_version")]


class ModelCritique(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"),
                      (FAILED, "Unavailable")]
    DRAFT, FINAL = "draft", "final"
    TARGET_CHOICES = [(DRAFT, "Draft"), (FINAL, "Final")]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="model_critiques")
    round = models.PositiveIntegerField(help_text="The revision round whose final was reviewed "
                                                  "(for the draft: the round that asked).")
    target = models.CharField(max_length=5, choices=TARGET_CHOICES,
                              help_text="Which text was critiqued: the draft or the final.")
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=QUEUED)
    model = models.CharField(max_length=200, blank=True, help_text="Model that answered.")
    template_version = models.PositiveIntegerField(
        default=0, help_text="Version of the project's template used (0: the built-in one).")
    principles = models.JSONField(
        default=list, blank=True, help_text="[{key, score, critique, quotes, spans}] by rubric.")
    error = models.TextField(blank=True, help_text="Why the critique is unavailable.")
    answer = models.TextField(blank=True, help_text="The model's last raw answer.")
    attempts = models.PositiveIntegerField(default=0, help_text="Requests sent to the model.")
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task_id", "round", "target"]
        constraints = [models.UniqueConstraint(fields=["task", "round", "target"],
                                               name="one_critique_per_round_and_target")]

    def score_of(self, key: str) -> int | None:
        return next((p["score"] for p in self.principles if p["key"] == key), None)
