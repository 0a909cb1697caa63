"""Explicit shapes for notes, submissions and text-at-seq."""

from rest_framework import serializers

from oversight.traces.models import Note, Submission
from oversight.workspace.rendering import render_markdown


class BodyHtmlField(serializers.Field):
    """The body rendered by the server's one markdown dialect (sanitized HTML)."""

    def __init__(self, **kwargs):
        super().__init__(source="body", read_only=True, **kwargs)

    def to_representation(self, value: str) -> str:
        return render_markdown(value)


class NoteVersionSerializer(serializers.Serializer):
    body = serializers.CharField()
    body_html = BodyHtmlField()
    principle = serializers.CharField()
    withdrawn = serializers.BooleanField()
    t = serializers.IntegerField(source="server_ms")


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    versions = NoteVersionSerializer(many=True, read_only=True)
    body_html = BodyHtmlField()

    class Meta:
        model = Note
        fields = ["id", "seq", "round", "author", "principle", "quote", "start", "end", "anchor",
                  "orphaned", "withdrawn", "body", "body_html", "versions", "created_at"]


class NoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    principle = serializers.CharField(required=False, allow_blank=True, default="")
    anchor = serializers.JSONField(required=False, default=dict)
    seq = serializers.IntegerField(required=False, min_value=0)

    def validate_anchor(self, value):
        if not isinstance(value, dict) or len(str(value)) > 2000:
            raise serializers.ValidationError("anchor must be a small object {start, end}.")
        return value


class NoteUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    principle = serializers.CharField(required=False, allow_blank=True)
    withdrawn = serializers.BooleanField(required=False)


class SubmissionSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username")

    class Meta:
        model = Submission
        fields = ["round", "text", "sha256", "submitted_by", "submitted_at", "events"]


class TextAtSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    text = serializers.CharField()
