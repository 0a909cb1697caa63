"""Site administration: webhooks (never their secrets) and their deliveries, read-only."""

from django.contrib import admin
from django.db import models

from .models import Attempt, Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "project", "active", "failing_since", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "project__slug"]
    exclude = ["secret"]  # write-only: leads set it on the webhooks page or the API
    readonly_fields = ["failing_since", "created_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "duration_ms", "status_code", "ok", "error",
                       "response_excerpt"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "webhook", "task_id", "state", "attempts_made", "created_at"]
    list_filter = ["state", "event"]
    readonly_fields = ["webhook", "uuid", "event", "task", "payload", "state", "attempts_made",
                       "next_attempt_at", "redelivery_of", "finished_at"]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False
