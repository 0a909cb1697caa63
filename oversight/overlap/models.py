"""A reviewer's ranking of an overlap group's finals (best first, ties allowed)."""

from django.conf import settings
from django.db import models

from oversight.workspace.models import OverlapGroup


class Ranking(models.Model):
    group = models.ForeignKey(OverlapGroup, on_delete=models.CASCADE, related_name="rankings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    tiers = models.JSONField(help_text="Task ids best first; one list per tier of tied finals.")
    rounds = models.JSONField(default=dict, help_text=(
        "{task id: round} of the finals ranked, so later rounds do not change the pairs."))
    reason = models.TextField(help_text="Why this order.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "reviewer"], name="one_ranking_per_reviewer")
        ]

    def __str__(self):
        return f"ranking of {self.group} by {self.reviewer}"
