"""Explicit shapes for model help: a request, its stream's events, the writer's decision."""

from rest_framework import serializers

from oversight.assist.models import AssistRequest
from oversight.workspace.models import Project


class AssistCreateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[a for a, _ in AssistRequest.ACTION_CHOICES])
    instruction = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=2000)
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    seq = serializers.IntegerField(required=False, min_value=0,
                                   help_text="The trajectory length the selection refers to.")
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                  help_text="The selected text, checked against the text at seq.")


class AssistDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[AssistRequest.ACCEPTED, AssistRequest.ACCEPTED_EDITED, AssistRequest.DISMISSED],
        help_text="accepted (the server tells accepted from accepted_edited by the edit "
                  "the writer made) or dismissed.")


class AssistSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = AssistRequest
        fields = ["id", "task", "user", "action", "instruction", "seq", "start", "end", "quote",
                  "model", "params", "response", "latency_ms", "first_token_ms", "outcome",
                  "error", "result_seq", "kept_text", "created_at", "decided_at"]


class ProjectSettingsSerializer(serializers.ModelSerializer):
    """What a lead may change of a project over `PATCH /api/projects/<slug>/`."""

    judge_template = serializers.CharField(
        write_only=True, required=False, trim_whitespace=False, max_length=20_000,
        help_text="A new prompt template for the model judge (fields {prompt}, {principles}, "
                  "{text}); stored as the template's next version.")

    class Meta:
        model = Project
        fields = ["model_help", "assist_daily_budget", "ai_critique", "judge_model",
                  "judge_template", "overlap"]
