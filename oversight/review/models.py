"""Reviews (rubric verdicts) and review claims."""

from django.conf import settings
from django.db import models

from oversight.workspace.models import Task


class Review(models.Model):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    VERDICT_CHOICES = [(APPROVE, "Approve"), (REQUEST_CHANGES, "Request changes"),
                       (REJECT, "Reject")]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    round = models.PositiveIntegerField(help_text="The revision round reviewed.")
    verdict = models.CharField(max_length=20, choices=VERDICT_CHOICES)
    scores = models.JSONField(default=dict, help_text="{principle key: 1-5}.")
    score_comments = models.JSONField(default=dict, blank=True,
                                      help_text="{principle key: comment}.")
    comment = models.TextField(blank=True)
    anchored_comments = models.JSONField(
        default=list, blank=True, help_text="[{start, end, quote, body}] on the submitted text.")
    critique_assessments = models.JSONField(
        default=dict, blank=True,
        help_text="{principle key: {assessment, reason, adopted}}: the reviewer's judgement "
                  "of the model's critique of this round.")
    self_review = models.BooleanField(
        default=False, help_text="The reviewer wrote or submitted the round they reviewed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_id", "created_at", "id"]


class Claim(models.Model):
    """A reviewer's claim on a submitted task, so two people do not review it unknowingly."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="claim")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)


class TaskSignals(models.Model):
    """A task's quality signals as last computed, valid while `key` still matches its trace."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="signals_cache")
    key = models.CharField(max_length=64, help_text="Digest of what the signals depend on.")
    metrics = models.JSONField(help_text="The trajectory's `metrics`, flags included.")
    computed_at = models.DateTimeField(auto_now=True)


class GoldOutcome(models.Model):
    """Which planted flaws of a gold task one submitted round caught, stored after submit."""

    submission = models.OneToOneField("traces.Submission", on_delete=models.CASCADE,
                                      related_name="gold_outcome")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="gold_outcomes")
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    flaws = models.JSONField(help_text=(
        "Per flaw: {id, start, end, description, test, span_changed}; tests are read "
        "from the final's verifier run when shown."))
    created_at = models.DateTimeField(auto_now_add=True)
