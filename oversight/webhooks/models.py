"""Webhooks of a project, their deliveries (one event to one webhook) and each attempt."""

import uuid

from django.conf import settings
from django.db import models


class Webhook(models.Model):
    project = models.ForeignKey("workspace.Project", on_delete=models.CASCADE,
                                related_name="webhooks",
                                help_text="The project whose events go out.")
    url = models.URLField(max_length=2000, help_text="Receiver URL (http or https); POSTed to.")
    events = models.JSONField(default=list, help_text="Event names wanted, e.g. task.approved.")
    secret = models.CharField(max_length=200,
                              help_text="Key of the HMAC-SHA256 signature over each body.")
    active = models.BooleanField(default=True, help_text="Inactive webhooks get no deliveries.")
    failing_since = models.DateTimeField(
        null=True, blank=True,
        help_text="When a delivery last gave up after its retries; cleared by the next success.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   help_text="The lead who created it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.project_id}: {self.url}"

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None


class Delivery(models.Model):
    """One event for one webhook; sent by attempts until one succeeds or retries run out."""

    PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
    STATE_CHOICES = [(PENDING, "Pending"), (SENDING, "Sending"), (DELIVERED, "Delivered"),
                     (FAILED, "Failed")]
    UNDONE = (PENDING, SENDING)

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                            help_text="Sent as X-Oversight-Delivery; the same on every retry.")
    event = models.CharField(max_length=60, help_text="Event name, sent as X-Oversight-Event.")
    task = models.ForeignKey("workspace.Task", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+",
                             help_text="The task it is about: its deliveries go out in order.")
    payload = models.JSONField(help_text="The body without delivered_at (stamped per attempt).")
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=PENDING)
    attempts_made = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Pending: not before this (a retry's backoff). Sending: the claim's lease end.")
    redelivery_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="redeliveries",
                                      help_text="The delivery this one repeats.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When it was delivered or given up.")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["webhook", "task", "state", "id"], name="delivery_lane")]

    def __str__(self):
        return f"{self.event} → webhook {self.webhook_id} ({self.state})"


class Attempt(models.Model):
    """One POST of a delivery: what the receiver answered, or why nothing was sent."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField(
        help_text="1 for the first attempt, 2 for the first retry, …")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(help_text="Time until the answer or the failure.")
    status_code = models.PositiveIntegerField(null=True, blank=True,
                                              help_text="Receiver's HTTP status, if it answered.")
    ok = models.BooleanField(help_text="A 2xx answer.")
    error = models.CharField(max_length=300, blank=True,
                             help_text="Why it failed: timeout, refused address, redirect, …")
    response_excerpt = models.TextField(blank=True,
                                        help_text="The start of the receiver's body (capped).")

    class Meta:
        ordering = ["delivery_id", "number"]
