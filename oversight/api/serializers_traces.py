"""Explicit shapes for notes, submissions and text-at-seq."""

from rest_framework import serializers

from oversight.traces.models import Note, Submission


class NoteVersionSerializer(serializers.Serializer):
    body = serializers.CharField()
    principle = serializers.CharField()
    withdrawn = serializers.BooleanField()
    t = serializers.IntegerField(source="server_ms")


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    versions = NoteVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Note
        fields = ["id", "seq", "round", "author", "principle", "quote", "start", "end", "anchor",
                  "orphaned", "withdrawn", "body", "versions", "created_at"]


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


class ProvenanceRunSerializer(serializers.Serializer):
    """A run of code points [start, end) of one origin and author (see core.provenance)."""

    start = serializers.IntegerField()
    end = serializers.IntegerField()
    origin = serializers.ChoiceField(choices=["draft", "typed", "pasted", "model.assist",
                                              "other"])
    author = serializers.CharField(allow_blank=True)
    first_seq = serializers.IntegerField(help_text="Earliest event that wrote part of it.")
    last_seq = serializers.IntegerField(help_text="Latest event that wrote part of it.")
    first_t_ms = serializers.IntegerField()
    last_t_ms = serializers.IntegerField()
