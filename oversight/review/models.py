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


class WriterSummary(models.Model):
    """One writer's figures in one project, kept for the writers' dashboard.

    Written only by `review.writer_summary` (from scratch for the writers concerned) in
    the transaction that stores a task's signals or records a verdict, so the dashboard
    reads one small row per writer shown instead of every submitted task.
    """

    project = models.ForeignKey("workspace.Project", on_delete=models.CASCADE, related_name="+")
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    tasks = models.PositiveIntegerField(help_text="Tasks whose latest round they submitted.")
    flagged = models.PositiveIntegerField(help_text="Of those, tasks with any flag.")
    reviews = models.PositiveIntegerField(help_text="Verdicts on rounds they submitted.")
    approved = models.PositiveIntegerField(help_text="Of those, approvals.")
    medians = models.JSONField(help_text="{signal: median over their tasks' signals}.")
    rubric = models.JSONField(help_text="{principle key: mean score of their verdicts}.")
    flag_counts = models.JSONField(help_text="{flag: tasks carrying it}.")
    task_weeks = models.JSONField(help_text="{Monday (ISO date): [tasks, flagged]} by the "
                                            "week of the latest round's submission.")
    verdict_weeks = models.JSONField(help_text="{Monday (ISO date): [approved, verdicts]} "
                                               "by the week of the verdict.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "writer"],
                                               name="one_summary_per_writer")]
