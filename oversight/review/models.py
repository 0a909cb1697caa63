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


# The queue's sortable columns have, on PostgreSQL, an index per direction with NULLs
# last and ties by submission time then task (migration 0006: SQLite cannot order an
# index's NULLs), so a page is an index walk rather than a sort.


class TaskSignals(models.Model):
    """A task's quality signals as last computed, valid while `key` still matches its trace.

    Besides the whole `metrics`, the values the review queue filters and sorts on are
    columns, indexed: written by `metrics.store_signals` (their one writer, derived by
    `metrics.signal_columns`) so the queue is sorted and paginated by the database.
    """

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="signals_cache")
    key = models.CharField(max_length=64, help_text="Digest of what the signals depend on.")
    metrics = models.JSONField(help_text="The trajectory's `metrics`, flags included.")
    computed_at = models.DateTimeField(auto_now=True)
    # Who and when: the task's latest submission as the signals were computed.
    project = models.ForeignKey("workspace.Project", null=True, on_delete=models.CASCADE,
                                related_name="+")
    submission = models.ForeignKey("traces.Submission", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    submitted_at = models.DateTimeField(null=True)
    # Signals (copies of `metrics` values).
    changed_fraction = models.FloatField(null=True)
    active_seconds = models.FloatField(null=True)
    paste_share = models.FloatField(null=True)
    typing_median_ms = models.FloatField(null=True)
    notes = models.IntegerField(null=True)
    size = models.IntegerField(null=True, help_text="Characters inserted plus deleted.")
    flag_count = models.IntegerField(default=0)
    flags_text = models.CharField(max_length=400, default="", blank=True,
                                  help_text="The raised flags as ',a,b,' (for the flag filter).")
    # Risk inputs fixed once the submission is stored (core.risk).
    flag_points = models.FloatField(default=0, help_text="The raised flags' risk weights.")
    own_points = models.FloatField(default=0, help_text=(
        "Risk from the writer's own history at the time of storing (modified z-scores)."))
    own_reasons = models.JSONField(default=list, help_text="[[signal, reason]] of own_points.")

    class Meta:
        indexes = [models.Index(fields=["project", "writer", "submitted_at", "task"],
                                name="signals_writer_idx"),
                   models.Index(fields=["project", "key"], name="signals_key_idx"),
                   models.Index(fields=["project", "computed_at"], name="signals_computed_idx")]


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
