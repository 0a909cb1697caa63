"""Deliveries: created with their cause, sent in order per task, retried with backoff.

Ordering: a webhook's deliveries about one task form a lane, sent strictly in the order
they were created (their ids): only the oldest undone delivery of a lane (its head) is
ever sent, and the next one waits until the head is delivered or has given up. Every
delivery is named by a job (deliveries created together share one); for each delivery
it names, a job sends that lane's head if it is due and then carries on down the lane,
so a delivery waiting behind an earlier one is skipped (the earlier one's job will reach
it). Claims and completions lock the webhook row, so a delivery created while its lane's
head is in flight is never stranded.
Deliveries without a task (test events) are lanes of their own.

A claim is a lease: a worker that dies mid-send leaves its delivery `sending` until the
lease ends, and then the next job to look at that lane sends it again.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oversight.jobs import enqueue

from . import signing, transport
from .models import Attempt, Delivery, Webhook

# Seconds before each retry: exponential (×4), 6 attempts in all over about 85 minutes;
# then the delivery has failed and its webhook is marked failing.
RETRY_DELAYS = (15, 60, 240, 960, 3840)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LEASE_MARGIN = timedelta(seconds=30)
JOB_CHUNK = 50  # deliveries created together share a job (each still sent in its lane's order)
PAYLOAD_KEYS = ("event", "delivered_at", "project", "task_id", "round", "data")


def _enqueue(delivery_ids: list[int], *, run_after=None) -> None:
    from .jobs import deliver

    enqueue(deliver.using(run_after=run_after) if run_after else deliver, delivery_ids)


def deliveries_create(*, project_id: int, event: str, payloads: list[tuple[int | None, dict]],
                      webhooks=None, redelivery_of: Delivery | None = None) -> list[Delivery]:
    """Create one delivery per (subscribed webhook, payload) and enqueue their jobs.

    `payloads` are (task id, payload) pairs; `webhooks` defaults to the project's active
    ones that want `event`. Runs in the caller's transaction: nothing is sent unless it
    commits.
    """
    if webhooks is None:
        webhooks = [hook for hook in Webhook.objects.filter(project_id=project_id, active=True)
                    if event in hook.events]
    rows = [Delivery(webhook=hook, event=event, task_id=task_id, payload=payload,
                     redelivery_of=redelivery_of)
            for hook in webhooks for task_id, payload in payloads]
    if not rows:
        return []
    rows = Delivery.objects.bulk_create(rows)
    # One job per chunk: an import of thousands of tasks writes a few job rows, not one each.
    for start in range(0, len(rows), JOB_CHUNK):
        _enqueue([row.pk for row in rows[start:start + JOB_CHUNK]])
    return rows


def body_of(delivery: Delivery, delivered_at) -> bytes:
    """The raw body of one attempt: the payload with this attempt's `delivered_at`."""
    # In the documented key order: PostgreSQL's jsonb does not keep the stored order.
    payload = {**delivery.payload,
               "delivered_at": delivered_at.isoformat().replace("+00:00", "Z")}
    ordered = {key: payload[key] for key in PAYLOAD_KEYS}
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _lane(delivery: Delivery):
    if delivery.task_id is None:
        return Delivery.objects.filter(pk=delivery.pk)
    return Delivery.objects.filter(webhook_id=delivery.webhook_id, task_id=delivery.task_id)


def _claim(delivery_id: int) -> Delivery | None:
    """Claim the head of `delivery_id`'s lane if it is due; None when nothing is to be sent."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.filter(pk=delivery_id).first()
        if delivery is None:
            return None
        webhook = Webhook.objects.select_for_update().filter(pk=delivery.webhook_id).first()
        if webhook is None:
            return None  # deleted meanwhile, with its deliveries
        lane = _lane(delivery).filter(state__in=Delivery.UNDONE)
        if not webhook.active:
            lane.update(state=Delivery.FAILED, finished_at=now, next_attempt_at=None)
            return None
        head = lane.order_by("id").first()
        if head is None or (head.next_attempt_at is not None and head.next_attempt_at > now):
            return None  # all done, in flight under a live lease, or waiting for its retry
        lease = timedelta(seconds=settings.WEBHOOKS["TIMEOUT_SECONDS"]) + LEASE_MARGIN
        head.state, head.next_attempt_at = Delivery.SENDING, now + lease
        head.attempts_made += 1
        head.save(update_fields=["state", "next_attempt_at", "attempts_made"])
        head.webhook = webhook
        return head


def _send(delivery: Delivery) -> tuple[transport.Outcome, object]:
    started_at = timezone.now()
    body = body_of(delivery, started_at)
    headers = signing.headers(secret=delivery.webhook.secret, body=body, event=delivery.event,
                              delivery_id=str(delivery.uuid))
    return transport.post(delivery.webhook.url, body, headers), started_at


def _record(delivery: Delivery, outcome: transport.Outcome, started_at) -> bool:
    """Log the attempt and settle the delivery; True when its lane may move on."""
    now = timezone.now()
    with transaction.atomic():
        if Webhook.objects.select_for_update().filter(pk=delivery.webhook_id).first() is None:
            return False  # deleted while sending: nothing left to record or to send
        Attempt.objects.create(
            delivery=delivery, number=delivery.attempts_made, started_at=started_at,
            duration_ms=outcome.duration_ms, status_code=outcome.status_code, ok=outcome.ok,
            error=outcome.error, response_excerpt=outcome.response_excerpt)
        hooks = Webhook.objects.filter(pk=delivery.webhook_id)
        if outcome.ok:
            delivery.state, delivery.finished_at, delivery.next_attempt_at = (
                Delivery.DELIVERED, now, None)
            hooks.exclude(failing_since=None).update(failing_since=None)
        elif outcome.retryable and delivery.attempts_made < MAX_ATTEMPTS:
            retry_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts_made - 1])
            delivery.state, delivery.next_attempt_at = Delivery.PENDING, retry_at
            _enqueue([delivery.pk], run_after=retry_at)
        else:
            delivery.state, delivery.finished_at, delivery.next_attempt_at = (
                Delivery.FAILED, now, None)
            hooks.filter(failing_since=None).update(failing_since=now)
        delivery.save(update_fields=["state", "finished_at", "next_attempt_at"])
    return delivery.state != Delivery.PENDING


def deliver_lane(delivery_id: int) -> str:
    """Send the due deliveries of `delivery_id`'s lane, oldest first; say what happened."""
    sent = 0
    while (head := _claim(delivery_id)) is not None:
        outcome, started_at = _send(head)
        sent += 1
        if not _record(head, outcome, started_at):
            return f"{sent} attempt(s); stopped at delivery {head.pk} ({head.state})"
        delivery_id = head.pk
    return f"{sent} attempt(s)"
