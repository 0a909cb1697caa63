"""A finished verifier run tells the training pipeline: the `verifier.completed` webhook."""

import pytest

from oversight.jobs import run_pending_jobs
from oversight.webhooks.events import VERIFIER_COMPLETED
from oversight.webhooks.services import webhook_create
from tests.factories import api_client
from tests.verifiers.test_verifier_api import task, verify  # noqa: F401  (fixture)
from tests.webhooks.conftest import receiver, webhook_settings  # noqa: F401  (fixtures)
from tests.webhooks.helpers import drain


@pytest.mark.django_db(transaction=True)
def test_a_finished_run_is_announced_with_its_counts(
        team, task, receiver, webhook_settings):  # noqa: F811
    webhook_create(project=team.project, user=team.lead, url=receiver.url(),
                   events=[VERIFIER_COMPLETED], secret=receiver.secret)
    response = verify(team.writer1, task, seq=0)
    assert response.status_code == 202
    run_pending_jobs(queues=("verifiers",))
    drain()
    [body] = [r["json"] for r in receiver.requests]
    assert body["event"] == VERIFIER_COMPLETED and body["task_id"] == task.pk
    data = body["data"]
    assert (data["run_id"], data["seq"], data["outcome"]) == (response.json()["id"], 0, "failed")
    assert (data["total"], data["passed"], data["failed"]) == (2, 1, 1)
    assert data["status"] == task.status  # the task's status, as in every event's data
    assert api_client(team.lead).get(f"/api/verifier-runs/{data['run_id']}/").json()[
        "sha256"] == data["sha256"]
