"""POST /api/tasks/<id>/generate-draft/ against a real provider server on loopback."""

from django.urls import reverse

from oversight.workspace import providers, services
from oversight.workspace.models import Draft
from tests.factories import api_client, make_task
from tests.provider_server import COMPLETION


def generate(user, task):
    return api_client(user).post(reverse("task-generate-draft", args=[task.pk]))


def test_a_lead_generates_a_draft_and_gets_the_task(team, configured_provider):
    task = make_task(team.project, draft_text=None)
    response = generate(team.lead, task)
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == task.pk
    assert body["draft"]["text"] == COMPLETION
    assert (body["draft"]["model"], body["draft"]["source"]) == ("served-model-7b", "generated")


def test_a_task_with_a_draft_is_a_conflict(team, configured_provider):
    response = generate(team.lead, team.task1)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "draft_exists", "message": services.DRAFT_EXISTS.format(task=team.task1),
        "detail": {}}
    assert configured_provider.requests == []


def test_a_provider_failure_is_a_bad_gateway_with_its_message(team, configured_provider):
    configured_provider.mode = "hang"
    task = make_task(team.project, draft_text=None)
    response = generate(team.lead, task)
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "provider_error"
    assert response.json()["error"]["message"] == providers.TIMED_OUT.format(
        url=f"{configured_provider.base_url}/chat/completions", timeout=0.5)
    assert not Draft.objects.filter(task=task).exists()


def test_only_the_projects_managers_may_generate(team, configured_provider):
    task = make_task(team.project, draft_text=None, assignees=[team.writer1])
    assert generate(team.writer1, task).status_code == 403
    assert generate(team.reviewer, task).status_code == 403
    assert generate(team.outsider, task).status_code == 404
    assert generate(None, task).status_code == 401
    assert configured_provider.requests == []
