"""Explicit shapes for notes, submissions and text-at-seq."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.traces.models import Note, Submission
from oversight.workspace.rendering import render_markdown


@extend_schema_field(OpenApiTypes.STR)
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


# A Yjs relative position, base64-encoded as the editor sends it (a few dozen bytes).
RELATIVE_POSITION = re.compile(
    r"(?=.)(?:[A-Za-z0-9+/]{4}){0,100}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
BAD_ANCHOR = ("anchor must be {} or {\"start\": <base64>, \"end\": <base64>}: the Yjs relative "
              "positions of the note's range, as the editor encodes them.")


class AnchorSerializer(serializers.Serializer):
    start = serializers.RegexField(RELATIVE_POSITION, help_text="Yjs relative position (base64).")
    end = serializers.RegexField(RELATIVE_POSITION, help_text="Yjs relative position (base64).")


@extend_schema_field(AnchorSerializer)
class AnchorField(serializers.JSONField):
    """A note's anchor: empty, or exactly {start, end} of base64 relative positions."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value == {}:
            return {}
        if not (isinstance(value, dict) and set(value) == {"start", "end"}
                and all(isinstance(v, str) and RELATIVE_POSITION.fullmatch(v)
                        for v in value.values())):
            raise serializers.ValidationError(BAD_ANCHOR)
        return {"start": value["start"], "end": value["end"]}


class NoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    principle = serializers.CharField(required=False, allow_blank=True, default="")
    anchor = AnchorField(required=False, default=dict)
    seq = serializers.IntegerField(required=False, min_value=0)


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
