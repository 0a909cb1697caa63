"""Overlap groups over HTTP: the siblings, their agreement figures and the rankings."""

from rest_framework import serializers

from oversight.overlap.models import Ranking


class RankingSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Ranking
        fields = ["id", "group", "reviewer", "tiers", "rounds", "reason", "created_at",
                  "updated_at"]


class RankingCreateSerializer(serializers.Serializer):
    tiers = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), allow_empty=False),
        allow_empty=False, help_text=(
            "Task ids of the group's submitted finals, best first; the ids in one inner list "
            "are tied. Every submitted sibling exactly once."))
    reason = serializers.CharField(max_length=10_000, help_text="Why this order.")


class SiblingSerializer(serializers.Serializer):
    task_id = serializers.IntegerField()
    external_id = serializers.CharField()
    writer = serializers.CharField(help_text="Who submitted the final (else the assignee).")
    status = serializers.CharField()
    round = serializers.IntegerField()
    final = serializers.DictField(allow_null=True, help_text="{text, round, submitted_at}.")
    review = serializers.DictField(allow_null=True, help_text=(
        "The verdict on the final's round: {reviewer, verdict, scores}."))


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(help_text="Project slug.")
    external_id = serializers.CharField(help_text="The import line's external_id.")
    siblings = SiblingSerializer(many=True)
    figures = serializers.DictField(help_text=(
        "Agreement: {siblings, submitted, complete, finals: {finals, pairs: [{a, b, distance, "
        "normalized}], mean_distance, mean_similarity}, tests: {runs, pairs, mean_agreement} "
        "or null, rubric: {alpha, level, units, pairable_units, scores, pairable_scores}, "
        "reviewed, rankings}."))
    rankings = RankingSerializer(many=True)


def sibling_data(sibling) -> dict:
    final, review = sibling.final, sibling.review
    return {
        "task_id": sibling.task.pk, "external_id": sibling.task.external_id,
        "writer": sibling.writer, "status": sibling.task.status, "round": sibling.task.round,
        "final": None if final is None else {"text": final.text, "round": final.round,
                                              "submitted_at": final.submitted_at.isoformat()},
        "review": None if review is None else {"reviewer": review.reviewer.username,
                                                "verdict": review.verdict,
                                                "scores": review.scores},
    }
