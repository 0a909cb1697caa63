"""Explicit shapes of experiments, their variants and their report (for the OpenAPI schema)."""

from rest_framework import serializers

from oversight.experiments.models import Experiment, Variant
from oversight.experiments.variants import SETTING_LABELS

SETTINGS_HELP = ("Task settings overriding the project's, any of: " + ", ".join(SETTING_LABELS)
                 + " (docs/experiments.md).")


class VariantSerializer(serializers.ModelSerializer):
    settings = serializers.DictField(help_text=SETTINGS_HELP)

    class Meta:
        model = Variant
        fields = ["name", "position", "settings"]


class VariantInputSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    settings = serializers.DictField(required=False, default=dict, help_text=SETTINGS_HELP)


class ExperimentCreateSerializer(serializers.Serializer):
    name = serializers.CharField()
    hypothesis = serializers.CharField()
    unit = serializers.ChoiceField(choices=["task", "writer"], default="task")
    variants = VariantInputSerializer(many=True, help_text="Two or more; the first is the "
                                                           "baseline.")
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**53,
                                    help_text="Assignment seed (default: drawn at random).")


class ExperimentSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.slug", read_only=True)
    variants = VariantSerializer(many=True, read_only=True)
    tasks = serializers.SerializerMethodField(help_text="Tasks assigned a variant.")

    class Meta:
        model = Experiment
        fields = ["id", "project", "name", "hypothesis", "unit", "seed", "status", "variants",
                  "tasks", "created_at", "stopped_at"]

    def get_tasks(self, obj) -> int:
        return obj.assignments.count()


class SummarySerializer(serializers.Serializer):
    variant = serializers.CharField()
    n = serializers.IntegerField(help_text="Submitted tasks with a value of this metric.")
    mean = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, help_text="95% interval, lower end.")
    high = serializers.FloatField(allow_null=True, help_text="95% interval, upper end.")


class DifferenceSerializer(serializers.Serializer):
    variant = serializers.CharField()
    baseline = serializers.CharField()
    difference = serializers.FloatField(allow_null=True, help_text="variant mean − baseline's")
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    excludes_zero = serializers.BooleanField()


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    group = serializers.ChoiceField(choices=["effort", "process", "flags", "review",
                                             "verifier"])
    unit = serializers.ChoiceField(choices=["s", "share", "count", "score"])
    variants = SummarySerializer(many=True)
    differences = DifferenceSerializer(many=True)
    enough = serializers.BooleanField(help_text="Every variant has min_per_variant values.")
    conclusion = serializers.CharField(help_text="The plain sentence the page shows.")


class ReportVariantSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.IntegerField()
    settings = serializers.DictField()
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()


class ReportExperimentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField()
    name = serializers.CharField()
    hypothesis = serializers.CharField()
    unit = serializers.CharField()
    seed = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.CharField()
    stopped_at = serializers.CharField(allow_null=True)


class ReportSerializer(serializers.Serializer):
    experiment = ReportExperimentSerializer()
    variants = ReportVariantSerializer(many=True)
    baseline = serializers.CharField()
    confidence = serializers.FloatField()
    method = serializers.CharField()
    min_per_variant = serializers.IntegerField()
    metrics = MetricSerializer(many=True)
    computed_at = serializers.CharField()
    frozen = serializers.BooleanField(help_text="Stored when the experiment stopped.")
