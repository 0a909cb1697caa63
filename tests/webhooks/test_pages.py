"""The leads' webhooks pages: list, add, edit, test, log, redeliver, delete; leads only."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from oversight.review import views_webhooks as pages
from oversight.webhooks import services
from oversight.webhooks.delivery import MAX_ATTEMPTS
from oversight.webhooks.events import EVENTS, TASK_IMPORTED, TEST, emit_task_event
from oversight.webhooks.models import Delivery, Webhook
from tests.webhooks.helpers import drain, skip_backoff
from tests.webhooks.receiver import SECRET


@pytest.fixture
def lead_client(client, team):
    client.force_login(team.lead)
    return client


def list_url(team) -> str:
    return reverse("review-webhooks", kwargs={"project_slug": team.project.slug})


def page_url(hook) -> str:
    return reverse("review-webhook", kwargs={"project_slug": hook.project.slug,
                                             "webhook_id": hook.pk})


def test_the_queue_links_leads_to_the_webhooks_page(lead_client, team, client):
    queue = reverse("review-queue", kwargs={"project_slug": team.project.slug})
    assert list_url(team).encode() in lead_client.get(queue).content
    client.force_login(team.reviewer)
    assert b'data-testid="webhooks-link"' not in client.get(queue).content


def test_a_lead_adds_a_webhook_from_the_page(lead_client, team, receiver):
    form = lead_client.get(list_url(team))
    assert form.status_code == 200 and b"No webhook yet" in form.content
    response = lead_client.post(list_url(team), {
        "url": receiver.url(), "events": [TASK_IMPORTED], "secret": SECRET, "active": "on"})
    hook = Webhook.objects.get()
    assert response.status_code == 302 and response.url == page_url(hook)
    assert (hook.url, hook.events, hook.secret, hook.active) == (
        receiver.url(), [TASK_IMPORTED], SECRET, True)
    listing = lead_client.get(list_url(team)).content.decode()
    assert receiver.url() in listing and "Active" in listing


def test_a_refused_form_keeps_what_was_typed(lead_client, team):
    response = lead_client.post(list_url(team), {
        "url": "ftp://files.example/x", "events": [TASK_IMPORTED], "secret": SECRET})
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(services.BAD_URL.format(url="ftp://files.example/x")) in body
    assert 'value="ftp://files.example/x"' in body and f'value="{SECRET}"' in body
    assert not Webhook.objects.exists()


@pytest.fixture
def hook(team, receiver):
    return services.webhook_create(project=team.project, user=team.lead, url=receiver.url(),
                                   events=list(EVENTS), secret=SECRET)


def test_the_page_shows_the_log_failing_state_and_never_the_secret(lead_client, team, hook,
                                                                   receiver):
    receiver.answer(*[500] * MAX_ATTEMPTS)
    emit_task_event(TASK_IMPORTED, task=team.task1)
    for _ in range(MAX_ATTEMPTS):
        drain()
        skip_backoff()
    body = lead_client.get(page_url(hook)).content.decode()
    assert SECRET not in body
    assert 'data-testid="failing"' in body
    assert "HTTP 500" in body and "boom" in body and " ms" in body
    delivery = Delivery.objects.get()
    assert f'data-testid="redeliver-{delivery.pk}"' in body
    assert 'data-testid="failing"' in lead_client.get(list_url(team)).content.decode()


def test_send_test_event_and_redeliver_buttons_queue_deliveries(lead_client, hook, receiver):
    response = lead_client.post(page_url(hook), {"action": "test"})
    assert response.status_code == 302
    drain()
    assert receiver.requests[-1]["json"]["event"] == TEST
    sent = Delivery.objects.get()
    lead_client.post(page_url(hook), {"action": "redeliver", "delivery": sent.pk})
    drain()
    assert [r["json"]["event"] for r in receiver.requests] == [TEST, TEST]
    assert Delivery.objects.filter(redelivery_of=sent).exists()
    page = lead_client.get(page_url(hook)).content.decode()
    assert pages.REDELIVERY_QUEUED in page and f"redelivery of #{sent.pk}" in page


def test_edit_keeps_the_secret_unless_a_new_one_is_typed_and_delete_asks(lead_client, hook):
    lead_client.post(page_url(hook), {"action": "update", "url": hook.url,
                                      "events": [TASK_IMPORTED], "secret": ""})
    hook.refresh_from_db()
    assert (hook.events, hook.secret, hook.active) == ([TASK_IMPORTED], SECRET, False)
    response = lead_client.post(page_url(hook), {"action": "update", "url": "nope",
                                                 "events": [TASK_IMPORTED], "active": "on"})
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.url != "nope" and not hook.active  # refused: nothing changed
    lead_client.post(page_url(hook), {"action": "delete"})
    assert not Webhook.objects.exists()


def test_only_the_projects_leads_reach_the_pages(client, team, hook):
    for user, code in [(team.reviewer, 403), (team.writer1, 403), (team.outsider, 404)]:
        client.force_login(user)
        assert client.get(list_url(team)).status_code == code
        assert client.get(page_url(hook)).status_code == code
        assert client.post(page_url(hook), {"action": "delete"}).status_code == code
    assert Webhook.objects.exists()
    client.logout()
    assert client.get(list_url(team)).status_code == 302  # to the login page


def test_the_admin_lists_webhooks_without_their_secrets(client, team, hook):
    admin = type(team.lead).objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.force_login(admin)
    page = client.get(reverse("admin:webhooks_webhook_change", args=[hook.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    delivery = Delivery.objects.get()
    shown = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert shown.status_code == 200 and str(delivery.uuid) in shown.content.decode()
