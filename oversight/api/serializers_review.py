"""Explicit shapes for reviews, claims and diffs."""

from rest_framework import serializers

from oversight.review.models import Claim, Review

MAX_ANCHORED_COMMENTS = 200


class ReviewCreateSerializer(serializers.Serializer):
    verdict = serializers.CharField(help_text="approve, request_changes or reject.")
    scores = serializers.DictField(help_text="{principle key: integer 1-5}, every principle.")
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    trim_whitespace=False, max_length=20_000)
    score_comments = serializers.DictField(required=False, default=dict,
                                           help_text="{principle key: comment}.")
    anchored_comments = serializers.ListField(
        child=serializers.DictField(), required=False, default=list,
        max_length=MAX_ANCHORED_COMMENTS,
        help_text="[{start, end, quote, body}] in code points of the submitted text.")
    critique_assessments = serializers.DictField(
        child=serializers.DictField(), required=False, default=dict,
        help_text="{principle key: {assessment: agree|partly|wrong|missed something, reason, "
                  "adopted: bool}}: how the model's critique of this round held up. `adopted` "
                  "means the score given is the model's.")
    override_claim = serializers.BooleanField(
        required=False, default=False,
        help_text="Leads only: review although another reviewer holds the claim.")


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "reviewer", "round", "verdict", "scores", "score_comments", "comment",
                  "anchored_comments", "critique_assessments", "self_review", "created_at"]


class ClaimSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    task = serializers.IntegerField(source="task_id", read_only=True)

    class Meta:
        model = Claim
        fields = ["task", "reviewer", "claimed_at"]


class ClaimStateSerializer(serializers.Serializer):
    """A task's claim, or nobody's: reviewer and claimed_at are null when unclaimed."""

    task = serializers.IntegerField()
    reviewer = serializers.CharField(allow_null=True)
    claimed_at = serializers.DateTimeField(allow_null=True)


class DiffSegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class DiffRowSerializer(serializers.Serializer):
    left = serializers.CharField(allow_blank=True)
    right = serializers.CharField(allow_blank=True)
    op = serializers.ChoiceField(choices=["equal", "insert", "delete", "replace"])


class DiffSerializer(serializers.Serializer):
    # Points are "draft", "final" or an event seq, so they are typed loosely.
    from_ = serializers.JSONField(help_text="'draft' or an event seq.")
    to = serializers.JSONField(help_text="'final' or an event seq.")
    view = serializers.ChoiceField(choices=["inline", "side"])
    mode = serializers.ChoiceField(choices=["word", "line"])
    inserted = serializers.IntegerField(help_text="Code points inserted.")
    deleted = serializers.IntegerField(help_text="Code points deleted.")
    segments = DiffSegmentSerializer(many=True, required=False)
    rows = DiffRowSerializer(many=True, required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields
