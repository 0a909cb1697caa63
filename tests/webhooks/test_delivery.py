"""Deliveries to a real loopback receiver: signature, payload, commit, retries, failing, order."""

import itertools
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from oversight.webhooks import delivery as deliveries
from oversight.webhooks.events import TASK_IMPORTED, TASK_SUBMITTED, emit_task_event
from oversight.webhooks.models import Delivery, Webhook
from oversight.webhooks.services import delivery_redeliver, webhook_update
from tests.webhooks.helpers import drain, skip_backoff, waiting_jobs
from tests.webhooks.receiver import STALL

PAYLOAD_KEYS = ["event", "delivered_at", "project", "task_id", "round", "data"]


def test_a_delivery_is_signed_and_carries_the_documented_payload(team, hook, receiver):
    emit_task_event(TASK_IMPORTED, task=team.task1)
    assert drain() == 1
    [request] = receiver.requests
    assert request["verified"], "the signature must be HMAC-SHA256 of the raw body"
    delivery = Delivery.objects.get()
    assert request["headers"]["X-Oversight-Event"] == TASK_IMPORTED
    assert request["headers"]["X-Oversight-Delivery"] == str(delivery.uuid)
    assert request["headers"]["Content-Type"] == "application/json"
    body = request["json"]
    assert list(body) == PAYLOAD_KEYS
    assert (body["event"], body["project"], body["task_id"], body["round"]) == (
        TASK_IMPORTED, team.project.slug, team.task1.pk, 1)
    assert body["delivered_at"].endswith("Z")
    assert body["data"]["task_url"] == f"https://oversight.example/api/tasks/{team.task1.pk}/"
    assert body["data"]["external_id"] == team.task1.external_id
    delivery.refresh_from_db()
    assert delivery.state == Delivery.DELIVERED
    [attempt] = delivery.attempts.all()
    assert (attempt.number, attempt.status_code, attempt.ok) == (1, 200, True)
    assert attempt.response_excerpt == '{"ok": true}'
    assert attempt.duration_ms < 5000


def test_a_wrong_secret_fails_the_receivers_check(team, hook, receiver):
    webhook_update(webhook=hook, secret="another-secret-entirely")
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    assert receiver.requests[0]["verified"] is False


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_cause_rolls_back(team, hook, receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        emit_task_event(TASK_IMPORTED, task=team.task1)
        raise RuntimeError("the import fails after emitting")
    assert drain() == 0
    assert receiver.requests == []
    assert Delivery.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_delivery_is_invisible_to_workers_until_its_cause_commits(team, hook, receiver):
    seen = []

    def look_from_a_worker_connection():
        seen.append(Delivery.objects.count() + waiting_jobs().count())
        connection.close()

    with transaction.atomic():
        emit_task_event(TASK_IMPORTED, task=team.task1)
        worker = threading.Thread(target=look_from_a_worker_connection)
        worker.start()
        worker.join(10)
    assert seen == [0]
    assert drain() == 1
    assert len(receiver.requests) == 1


def test_errors_and_stalls_are_retried_with_exponential_backoff(team, hook, receiver):
    receiver.answer(500, STALL, 200)
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.PENDING
    first = delivery.attempts.get()
    assert (first.status_code, first.ok, first.error) == (500, False, "HTTP 500")
    assert first.response_excerpt == "boom"
    # The retry is a job scheduled after the first delay, and nothing runs before it.
    delay = delivery.next_attempt_at - first.started_at
    assert timedelta(seconds=deliveries.RETRY_DELAYS[0]) <= delay < timedelta(
        seconds=deliveries.RETRY_DELAYS[0] + 5)
    assert waiting_jobs().get().run_after == delivery.next_attempt_at
    assert drain() == 0

    skip_backoff()
    drain()
    delivery.refresh_from_db()
    second = delivery.attempts.get(number=2)
    assert second.status_code is None and second.error == "timed out after 0.5 s"
    assert delivery.next_attempt_at - second.started_at >= timedelta(
        seconds=deliveries.RETRY_DELAYS[1])

    skip_backoff()
    drain()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.DELIVERED
    assert [a.status_code for a in delivery.attempts.all()] == [500, None, 200]
    assert len({r["headers"]["X-Oversight-Delivery"] for r in receiver.requests}) == 1
    assert all(r["verified"] for r in receiver.requests)


def test_the_retry_schedule_is_exponential():
    ratios = {b / a for a, b in itertools.pairwise(deliveries.RETRY_DELAYS)}
    assert ratios == {4}
    assert deliveries.MAX_ATTEMPTS == len(deliveries.RETRY_DELAYS) + 1


def test_after_the_last_retry_the_webhook_is_failing_until_a_success(team, hook, receiver):
    receiver.answer(*[503] * deliveries.MAX_ATTEMPTS)
    emit_task_event(TASK_IMPORTED, task=team.task1)
    for _ in range(deliveries.MAX_ATTEMPTS):
        drain()
        skip_backoff()
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.FAILED
    assert delivery.attempts.count() == deliveries.MAX_ATTEMPTS
    assert not waiting_jobs().exists()
    hook.refresh_from_db()
    assert hook.is_failing

    emit_task_event(TASK_IMPORTED, task=team.task2)
    drain()
    hook.refresh_from_db()
    assert not hook.is_failing


def test_deliveries_of_one_task_go_out_in_order(team, hook, receiver):
    receiver.answer(503)  # the task's first event fails once
    emit_task_event(TASK_IMPORTED, task=team.task1)
    emit_task_event(TASK_SUBMITTED, task=team.task1, data={"n": 2})
    emit_task_event(TASK_IMPORTED, task=team.task2)
    drain()
    sent = [(r["json"]["task_id"], r["json"]["event"]) for r in receiver.requests]
    # task1's second event waits behind its failed first; task2 is not held up.
    assert sent == [(team.task1.pk, TASK_IMPORTED), (team.task2.pk, TASK_IMPORTED)]
    later = Delivery.objects.get(event=TASK_SUBMITTED)
    assert later.state == Delivery.PENDING and later.attempts.count() == 0

    skip_backoff()
    drain()
    sent = [(r["json"]["task_id"], r["json"]["event"]) for r in receiver.requests]
    assert sent[2:] == [(team.task1.pk, TASK_IMPORTED), (team.task1.pk, TASK_SUBMITTED)]
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.DELIVERED}


def test_a_stale_claim_is_taken_over_by_the_next_job_of_its_lane(team, hook, receiver):
    emit_task_event(TASK_IMPORTED, task=team.task1)
    head = Delivery.objects.get()
    # A worker claimed it and died: the lease has run out, its job is gone.
    Delivery.objects.filter(pk=head.pk).update(state=Delivery.SENDING, attempts_made=1,
                                               next_attempt_at=head.created_at)
    waiting_jobs().delete()
    emit_task_event(TASK_SUBMITTED, task=team.task1)
    drain()
    assert [r["json"]["event"] for r in receiver.requests] == [TASK_IMPORTED, TASK_SUBMITTED]


def test_redelivery_sends_the_same_event_as_a_new_delivery(team, hook, receiver):
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    original = Delivery.objects.get()
    again = delivery_redeliver(delivery=original)
    drain()
    first, second = receiver.requests
    assert second["verified"]
    assert second["headers"]["X-Oversight-Delivery"] == str(again.uuid) != str(original.uuid)
    assert second["json"]["data"] == first["json"]["data"]
    again.refresh_from_db()
    assert (again.state, again.redelivery_of_id) == (Delivery.DELIVERED, original.pk)


def test_redirects_are_not_followed(team, hook, receiver):
    receiver.answer((302, {"Location": receiver.url("/elsewhere")}, b""))
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    assert [r["path"] for r in receiver.requests] == ["/hook"]
    attempt = Delivery.objects.get().attempts.get()
    assert attempt.status_code == 302 and not attempt.ok
    assert attempt.error == f"redirect to {receiver.url('/elsewhere')} not followed"


def test_a_huge_answer_is_read_only_up_to_the_cap(team, hook, receiver, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "MAX_RESPONSE_BYTES": 4096}
    receiver.answer((200, {}, b"x" * 5_000_000))
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    attempt = Delivery.objects.get().attempts.get()
    assert attempt.ok and attempt.response_excerpt == "x" * 1000


def test_an_inactive_webhook_gets_no_new_deliveries_and_drops_queued_ones(team, hook, receiver):
    emit_task_event(TASK_IMPORTED, task=team.task1)
    webhook_update(webhook=hook, active=False)
    emit_task_event(TASK_IMPORTED, task=team.task2)
    drain()
    assert receiver.requests == []
    assert list(Delivery.objects.values_list("state", flat=True)) == [Delivery.FAILED]
    assert not Webhook.objects.get().is_failing


def test_only_subscribed_webhooks_receive_an_event(team, hook, receiver):
    webhook_update(webhook=hook, events=[TASK_SUBMITTED])
    assert emit_task_event(TASK_IMPORTED, task=team.task1) == 0
    assert emit_task_event(TASK_SUBMITTED, task=team.task1) == 1


@pytest.mark.django_db(transaction=True)
def test_a_webhook_deleted_while_sending_ends_its_lane_quietly(team, hook, receiver):
    def delete_the_webhook():
        Webhook.objects.filter(pk=hook.pk).delete()
        connection.close()

    receiver.on_request = delete_the_webhook
    emit_task_event(TASK_IMPORTED, task=team.task1)
    emit_task_event(TASK_SUBMITTED, task=team.task1)
    drain()
    assert len(receiver.requests) == 1
    assert not Delivery.objects.exists()
    assert not waiting_jobs().exists()
