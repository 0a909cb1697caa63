"""Model help asked for inside the editor: every request, whatever its outcome."""

from django.conf import settings
from django.db import models

from oversight.workspace.models import Task


class AssistRequest(models.Model):
    CRITIQUE = "critique"
    REWRITE = "rewrite"
    CONTINUE = "continue"
    EXPLAIN = "explain"
    ACTION_CHOICES = [(CRITIQUE, "Critique"), (REWRITE, "Rewrite"), (CONTINUE, "Continue"),
                      (EXPLAIN, "Explain")]

    PENDING = "pending"  # asked, the answer not complete yet
    ANSWERED = "answered"  # the answer is complete; the writer has not decided
    ACCEPTED = "accepted"
    ACCEPTED_EDITED = "accepted_edited"
    DISMISSED = "dismissed"
    FAILED = "failed"
    OUTCOME_CHOICES = [(PENDING, "Pending"), (ANSWERED, "Answered"), (ACCEPTED, "Accepted"),
                       (ACCEPTED_EDITED, "Accepted after editing"), (DISMISSED, "Dismissed"),
                       (FAILED, "Failed")]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assists")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="assists")
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    instruction = models.TextField(blank=True, help_text="The writer's instruction (rewrite).")
    seq = models.PositiveIntegerField(help_text="Trajectory length the selection refers to.")
    start = models.PositiveIntegerField(help_text="Selection start, code points, at seq.")
    end = models.PositiveIntegerField(help_text="Selection end (exclusive), code points.")
    quote = models.TextField(blank=True, help_text="The selected text at seq.")
    model = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(default=list, help_text="The chat messages sent to the model.")
    response = models.TextField(blank=True, help_text="The model's full answer (so far).")
    latency_ms = models.PositiveIntegerField(null=True, blank=True,
                                             help_text="From the request to the last token.")
    first_token_ms = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=OUTCOME_CHOICES, default=PENDING)
    error = models.TextField(blank=True, help_text="Why it failed, as shown to the writer.")
    result_seq = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seq of the edit that inserted the accepted text.")
    kept_text = models.TextField(blank=True, help_text="The text the writer kept.")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user", "created_at"], name="assist_user_day")]
        constraints = [models.UniqueConstraint(fields=["task", "result_seq"],
                                               name="one_assist_per_edit")]

    def __str__(self):
        return f"{self.action} on task {self.task_id} by {self.user} ({self.outcome})"
