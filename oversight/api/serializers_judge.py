"""Explicit shapes of the model judge: critiques, judge settings, agreement figures."""

from rest_framework import serializers

from oversight.judge.models import ModelCritique


class PrincipleCritiqueSerializer(serializers.Serializer):
    key = serializers.CharField()
    score = serializers.IntegerField(min_value=1, max_value=5)
    critique = serializers.CharField()
    quotes = serializers.ListField(child=serializers.CharField())
    spans = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()),
                                  help_text="[start, end) of each quote found in the text, "
                                            "in code points.")


class ModelCritiqueSerializer(serializers.ModelSerializer):
    task_id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(
        choices=["queued", "running", "done", "failed"],
        help_text="failed: the critique is unavailable; `error` says why, a lead can re-run it.")
    principles = PrincipleCritiqueSerializer(many=True)
    requested_by = serializers.CharField(source="requested_by.username", allow_null=True,
                                         default=None)

    class Meta:
        model = ModelCritique
        fields = ["id", "task_id", "round", "target", "status", "model", "template_version",
                  "principles", "error", "attempts", "latency_ms", "requested_by", "created_at",
                  "finished_at"]


class AgreementSerializer(serializers.Serializer):
    pairs = serializers.IntegerField(help_text="(round, principle) pairs scored by both.")
    assessed = serializers.IntegerField(help_text="Pairs whose critique the reviewer assessed.")
    assessments = serializers.DictField(child=serializers.IntegerField(),
                                        help_text="Counts of agree, partly, wrong, "
                                                  "missed something.")
    agree_rate = serializers.FloatField(allow_null=True,
                                        help_text="Share of assessed pairs marked agree.")
    exact_score_rate = serializers.FloatField(allow_null=True)
    mean_abs_difference = serializers.FloatField(allow_null=True)
    spearman = serializers.FloatField(allow_null=True,
                                      help_text="Spearman's rho, model vs human scores.")
    weighted_kappa = serializers.FloatField(allow_null=True,
                                            help_text="Cohen's kappa, quadratic weights, 1-5.")


class PrincipleAgreementSerializer(AgreementSerializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AgreementPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    pairs = serializers.IntegerField()
    agree_rate = serializers.FloatField(allow_null=True)
    mean_abs_difference = serializers.FloatField(allow_null=True)


class JudgeAgreementSerializer(serializers.Serializer):
    project = serializers.SlugField()
    overall = AgreementSerializer()
    principles = PrincipleAgreementSerializer(many=True)
    over_time = AgreementPointSerializer(many=True)
