"""Explicit shapes for webhooks, their deliveries and attempts, and the payload they send."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.webhooks.events import EVENTS, TEST
from oversight.webhooks.models import Attempt, Delivery, Webhook
from oversight.webhooks.services import MIN_SECRET_CHARS

# The services check the values (one message per rule); these only read the shapes.
EVENTS_HELP = "Events to receive, any of: " + ", ".join(EVENTS) + "."
SECRET_HELP = (f"HMAC-SHA256 key of X-Oversight-Signature, at least {MIN_SECRET_CHARS} "
               "characters; never shown again.")


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="http:// or https:// receiver URL.")
    events = serializers.ListField(child=serializers.CharField(), help_text=EVENTS_HELP)
    secret = serializers.CharField(trim_whitespace=False, write_only=True, help_text=SECRET_HELP)
    active = serializers.BooleanField(default=True)


class WebhookUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(required=False)
    events = serializers.ListField(child=serializers.CharField(), required=False,
                                   help_text=EVENTS_HELP)
    secret = serializers.CharField(trim_whitespace=False, required=False, write_only=True,
                                   help_text=SECRET_HELP)
    active = serializers.BooleanField(required=False)


class WebhookSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.slug", read_only=True)
    failing = serializers.BooleanField(source="is_failing", read_only=True,
                                       help_text="A delivery gave up after its retries and "
                                                 "nothing has succeeded since.")

    class Meta:
        model = Webhook
        fields = ["id", "project", "url", "events", "active", "failing", "failing_since",
                  "created_at", "updated_at"]


class WebhookDataSerializer(serializers.Serializer):
    """`data` of a payload: the task's links and state, and what the event adds."""

    task_url = serializers.URLField(help_text="The task's API URL (GET /api/tasks/<id>/).")
    external_id = serializers.CharField(help_text="The task's id in the caller's system.")
    status = serializers.CharField(help_text="The task's status after the event.")
    submission_id = serializers.IntegerField(required=False, help_text="task.submitted.")
    sha256 = serializers.CharField(required=False, help_text="task.submitted: of the final.")
    submitted_by = serializers.CharField(required=False, help_text="task.submitted.")
    events = serializers.IntegerField(required=False,
                                      help_text="task.submitted: trajectory length.")
    review_id = serializers.IntegerField(required=False, help_text="Verdict events.")
    verdict = serializers.ChoiceField(choices=["approve", "request_changes", "reject"],
                                      required=False, help_text="Verdict events.")
    scores = serializers.DictField(child=serializers.IntegerField(), required=False,
                                   help_text="Verdict events: {principle key: 1-5}.")
    reviewer = serializers.CharField(required=False, help_text="Verdict events.")
    comment = serializers.CharField(required=False, help_text="Verdict events.")
    export_url = serializers.URLField(
        required=False, help_text="task.approved: GET /api/export/ of this task's record.")


class WebhookPayloadSerializer(serializers.Serializer):
    """The JSON body POSTed to a receiver, signed in X-Oversight-Signature (docs/webhooks.md)."""

    event = serializers.ChoiceField(choices=[*EVENTS, TEST])
    delivered_at = serializers.DateTimeField(help_text="When this attempt was sent (UTC).")
    project = serializers.SlugField(help_text="The project's slug.")
    task_id = serializers.IntegerField(allow_null=True, help_text="Null for webhook.test.")
    round = serializers.IntegerField(allow_null=True, help_text="The task's revision round.")
    data = WebhookDataSerializer()


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "started_at", "duration_ms", "status_code", "ok", "error",
                  "response_excerpt"]


class DeliverySerializer(serializers.ModelSerializer):
    delivery = serializers.UUIDField(source="uuid", read_only=True,
                                     help_text="The X-Oversight-Delivery header.")
    payload = serializers.SerializerMethodField(
        help_text="The body sent, except `delivered_at`, which each attempt stamps.")
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "delivery", "event", "task_id", "state", "attempts_made",
                  "next_attempt_at", "redelivery_of", "created_at", "finished_at", "payload",
                  "attempts"]

    @extend_schema_field(WebhookPayloadSerializer)
    def get_payload(self, delivery) -> dict:
        return delivery.payload
