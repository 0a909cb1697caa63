"""Two workers at once still send a task's deliveries once each, in order."""

import threading

import pytest
from django.db import connection

from oversight.webhooks.events import TASK_IMPORTED, TASK_SUBMITTED, emit_task_event
from oversight.webhooks.models import Delivery
from tests.webhooks.helpers import drain

LANE_LENGTH = 8


@pytest.mark.django_db(transaction=True)
def test_two_workers_keep_each_tasks_order_and_send_each_delivery_once(team, hook, receiver):
    for n in range(LANE_LENGTH):
        for task in (team.task1, team.task2):
            emit_task_event(TASK_SUBMITTED if n else TASK_IMPORTED, task=task, data={"n": n})
    failures = []

    def worker():
        try:
            drain()
        except Exception as exc:  # surfaced below: a worker must not crash
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    assert failures == []
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.DELIVERED}
    deliveries = [r["headers"]["X-Oversight-Delivery"] for r in receiver.requests]
    assert len(deliveries) == len(set(deliveries)) == 2 * LANE_LENGTH
    for task in (team.task1, team.task2):
        order = [r["json"]["data"]["n"] for r in receiver.requests
                 if r["json"]["task_id"] == task.pk]
        assert order == list(range(LANE_LENGTH))
