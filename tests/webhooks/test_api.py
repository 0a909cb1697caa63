"""The webhooks API: leads of the project only; create, change, delete, log, test, redeliver."""

import pytest
import yaml
from django.urls import reverse

from oversight.api import views_webhooks
from oversight.webhooks import services
from oversight.webhooks.events import TASK_APPROVED, TASK_IMPORTED, TEST, emit_task_event
from oversight.webhooks.models import Webhook
from tests.factories import api_client, make_project
from tests.webhooks.helpers import drain
from tests.webhooks.receiver import SECRET

BODY = {"url": "https://hooks.example/oversight", "events": [TASK_APPROVED],
        "secret": "s3cret-s3cret-s3cret", "active": True}


def hooks_url(project) -> str:
    return reverse("project-webhooks", kwargs={"slug": project.slug})


def detail_url(hook) -> str:
    return reverse("webhook-detail", kwargs={"pk": hook.pk})


def test_a_lead_creates_and_lists_webhooks_and_never_sees_the_secret(team):
    response = api_client(team.lead).post(hooks_url(team.project), BODY, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert "secret" not in created
    assert (created["url"], created["events"], created["active"], created["failing"]) == (
        BODY["url"], [TASK_APPROVED], True, False)
    assert Webhook.objects.get().secret == BODY["secret"]
    listed = api_client(team.lead).get(hooks_url(team.project)).json()
    assert [h["id"] for h in listed] == [created["id"]]


@pytest.mark.parametrize(("change", "message"), [
    ({"url": "ftp://hooks.example/x"}, services.BAD_URL.format(url="ftp://hooks.example/x")),
    ({"url": "not a url"}, services.BAD_URL.format(url="not a url")),
    ({"url": "http://[::1/x"}, services.BAD_URL.format(url="http://[::1/x")),
    ({"url": "http://hooks.example:99999/"}, services.BAD_URL.format(
        url="http://hooks.example:99999/")),
    ({"url": "https://hooks.example/a b"}, services.BAD_URL.format(
        url="https://hooks.example/a b")),
    ({"events": []}, services.NO_EVENTS),
    ({"events": ["task.exploded"]}, services.UNKNOWN_EVENT.format(
        event="task.exploded", events=", ".join(services.events.EVENTS))),
    ({"secret": "short"}, services.SHORT_SECRET),
])
def test_bad_bodies_are_refused_with_the_reason_and_nothing_is_stored(team, change, message):
    response = api_client(team.lead).post(hooks_url(team.project), {**BODY, **change},
                                          format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message
    assert not Webhook.objects.exists()


@pytest.fixture
def stored(team, receiver):
    return services.webhook_create(project=team.project, user=team.lead, url=receiver.url(),
                                   events=[TASK_IMPORTED], secret=SECRET)


def test_members_who_are_not_leads_get_403_and_outsiders_404(team, stored):
    other = make_project()
    for user, code in [(team.reviewer, 403), (team.writer1, 403), (team.outsider, 404)]:
        client = api_client(user)
        assert client.get(hooks_url(team.project)).status_code == code
        assert client.post(hooks_url(team.project), BODY, format="json").status_code == code
        assert client.get(detail_url(stored)).status_code == code
        assert client.patch(detail_url(stored), {"active": False},
                            format="json").status_code == code
        assert client.delete(detail_url(stored)).status_code == code
        for name in ("webhook-deliveries", "webhook-test"):
            url = reverse(name, kwargs={"pk": stored.pk})
            assert (client.get if name.endswith("deliveries") else client.post)(
                url).status_code == code
    refused = api_client(team.reviewer).get(hooks_url(team.project)).json()["error"]
    assert refused["message"] == views_webhooks.NOT_A_LEAD.format(role="reviewer")
    # A lead of the project leads only that project's webhooks.
    assert api_client(team.lead).get(hooks_url(other)).status_code == 404
    assert api_client().get(hooks_url(team.project)).status_code in (401, 403)
    assert Webhook.objects.get().active


def test_patch_changes_only_the_given_fields_and_delete_removes(team, stored):
    client = api_client(team.lead)
    response = client.patch(detail_url(stored), {"active": False, "secret": "x" * 20},
                            format="json")
    assert response.status_code == 200
    stored.refresh_from_db()
    assert (stored.active, stored.secret, stored.events) == (False, "x" * 20, [TASK_IMPORTED])
    assert client.patch(detail_url(stored), {"url": "gopher://x"},
                        format="json").status_code == 400
    assert client.delete(detail_url(stored)).status_code == 204
    assert client.get(detail_url(stored)).status_code == 404


def test_the_log_shows_every_attempt_and_test_and_redeliver_queue_deliveries(
        team, stored, receiver):
    client = api_client(team.lead)
    receiver.answer(500)
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    response = client.post(reverse("webhook-test", kwargs={"pk": stored.pk}))
    assert response.status_code == 202
    assert response.json()["event"] == TEST
    drain()
    assert receiver.requests[-1]["json"]["event"] == TEST and receiver.requests[-1]["verified"]

    log = client.get(reverse("webhook-deliveries", kwargs={"pk": stored.pk})).json()["results"]
    assert [d["event"] for d in log] == [TEST, TASK_IMPORTED]  # newest first
    failed = log[1]
    assert failed["state"] == "pending" and failed["next_attempt_at"]
    [attempt] = failed["attempts"]
    assert (attempt["status_code"], attempt["ok"], attempt["response_excerpt"]) == (
        500, False, "boom")
    assert attempt["duration_ms"] >= 0
    assert failed["payload"]["data"]["task_url"].endswith(f"/api/tasks/{team.task1.pk}/")

    redeliver = reverse("webhook-redeliver", kwargs={"pk": stored.pk,
                                                     "delivery_id": failed["id"]})
    again = client.post(redeliver)
    assert again.status_code == 202 and again.json()["redelivery_of"] == failed["id"]
    missing = reverse("webhook-redeliver", kwargs={"pk": stored.pk, "delivery_id": 999999})
    assert client.post(missing).status_code == 404


def test_sending_to_an_inactive_webhook_is_a_conflict(team, stored):
    services.webhook_update(webhook=stored, active=False)
    response = api_client(team.lead).post(reverse("webhook-test", kwargs={"pk": stored.pk}))
    assert response.status_code == 409
    assert response.json()["error"]["message"] == services.INACTIVE


def test_the_schema_documents_the_endpoints_and_the_payload(client):
    schema = yaml.safe_load(client.get(reverse("schema")).content)
    paths = schema["paths"]
    assert set(paths["/api/projects/{slug}/webhooks/"]) >= {"get", "post"}
    assert set(paths["/api/webhooks/{id}/"]) >= {"patch", "delete"}
    assert "post" in paths["/api/webhooks/{id}/test/"]
    assert "post" in paths["/api/webhooks/{id}/deliveries/{delivery_id}/redeliver/"]
    assert "403" in paths["/api/projects/{slug}/webhooks/"]["post"]["responses"]
    payload = schema["components"]["schemas"]["WebhookPayload"]
    assert list(payload["properties"]) == ["event", "delivered_at", "project", "task_id",
                                           "round", "data"]
    data = schema["components"]["schemas"]["WebhookData"]["properties"]
    assert {"task_url", "export_url", "verdict"} <= set(data)
