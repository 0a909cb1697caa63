"""Explicit API shapes: a model change never silently changes what clients read."""

from rest_framework import serializers

from oversight.workspace.models import Draft, Project, Task


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name", "kind", "language", "instructions", "rubric",
                  "notes_per_changed_chars", "signal_thresholds", "model_help",
                  "assist_daily_budget", "ai_critique", "judge_model", "verifier",
                  "require_green_tests", "overlap"]


class DraftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draft
        fields = ["text", "model", "params", "source", "created_at"]


class TaskSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    draft = serializers.SerializerMethodField()
    assignees = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    verifier = serializers.SerializerMethodField(help_text=(
        "The tests in force (the task's own or the project's default): "
        "{kind, module, files, timeout_s}, or null."))
    group = serializers.IntegerField(source="group_id", read_only=True, allow_null=True,
                                     help_text="The overlap group of sibling tasks "
                                               "(`GET /api/groups/<id>/`), or null.")

    class Meta:
        model = Task
        fields = ["id", "external_id", "project", "status", "round", "prompt", "metadata",
                  "draft", "assignees", "doc_id", "created_at", "updated_at", "verifier",
                  "group"]

    def get_verifier(self, task) -> dict | None:
        return task.verifier_spec()

    def get_draft(self, task) -> dict | None:
        draft = getattr(task, "draft", None)  # a missing reverse one-to-one is an AttributeError
        return DraftSerializer(draft).data if draft else None
