"""Writes of webhooks: create, update, delete, send a test event, redeliver."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from . import events
from .delivery import deliveries_create
from .models import Delivery, Webhook

MIN_SECRET_CHARS = 16
BAD_URL = "The URL must be an absolute http:// or https:// URL with a host, not '{url}'."
NO_EVENTS = "Choose at least one event."
UNKNOWN_EVENT = "Unknown event '{event}'; expected any of: {events}."
SHORT_SECRET = f"The secret must be at least {MIN_SECRET_CHARS} characters."
INACTIVE = "This webhook is inactive; activate it before sending to it."


class WebhookError(ValueError):
    """A refused webhook change, with a message the lead can act on (HTTP 400)."""


class WebhookConflict(WebhookError):
    """The webhook's state does not allow the action (HTTP 409)."""


def _clean_url(url: str) -> str:
    url = (url or "").strip() if isinstance(url, str) else ""
    try:
        parts = urlsplit(url)
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname)
                 and len(url) <= 2000 and not any(c.isspace() for c in url))
        parts.port  # noqa: B018 — raises ValueError for a port out of range
    except ValueError:
        valid = False
    if not valid:
        raise WebhookError(BAD_URL.format(url=url[:200]))
    return url


def _clean_events(wanted) -> list[str]:
    if not isinstance(wanted, list | tuple) or not wanted:
        raise WebhookError(NO_EVENTS)
    for event in wanted:
        if event not in events.EVENTS:
            raise WebhookError(UNKNOWN_EVENT.format(event=event, events=", ".join(events.EVENTS)))
    return [event for event in events.EVENTS if event in wanted]


def _clean_secret(secret: str) -> str:
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_CHARS:
        raise WebhookError(SHORT_SECRET)
    return secret


def webhook_create(*, project, user, url: str, events: list[str], secret: str,
                   active: bool = True) -> Webhook:
    return Webhook.objects.create(project=project, created_by=user, url=_clean_url(url),
                                  events=_clean_events(events), secret=_clean_secret(secret),
                                  active=bool(active))


def webhook_update(*, webhook: Webhook, url: str | None = None, events: list[str] | None = None,
                   secret: str | None = None, active: bool | None = None) -> Webhook:
    """Change the given fields only (None: keep)."""
    if url is not None:
        webhook.url = _clean_url(url)
    if events is not None:
        webhook.events = _clean_events(events)
    if secret is not None:
        webhook.secret = _clean_secret(secret)
    if active is not None:
        webhook.active = bool(active)
    webhook.save(update_fields=["url", "events", "secret", "active", "updated_at"])
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()


def webhook_send_test(*, webhook: Webhook, user) -> Delivery:
    """Queue a `webhook.test` delivery to this webhook (whatever events it wants)."""
    if not webhook.active:
        raise WebhookConflict(INACTIVE)
    payload = events.task_payload(
        events.TEST, project_slug=webhook.project.slug, task_id=None, round=None,
        data={"message": "A test event from Oversight.", "sent_by": user.username,
              "requested_at": timezone.now().isoformat()})
    with transaction.atomic():
        return deliveries_create(project_id=webhook.project_id, event=events.TEST,
                                 payloads=[(None, payload)], webhooks=[webhook])[0]


def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Queue the same event again as a new delivery (a new X-Oversight-Delivery id).

    It joins the end of its task's lane, so it goes out after what is already queued.
    """
    webhook = delivery.webhook
    if not webhook.active:
        raise WebhookConflict(INACTIVE)
    with transaction.atomic():
        return deliveries_create(project_id=webhook.project_id, event=delivery.event,
                                 payloads=[(delivery.task_id, delivery.payload)],
                                 webhooks=[webhook], redelivery_of=delivery)[0]
