"""Generating a task's draft: stored only on success, never twice, from the lead's home page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from oversight.traces.models import Checkpoint
from oversight.workspace import drafting, services, views
from oversight.workspace.drafting import DocumentStarted, draft_generate
from oversight.workspace.models import Draft
from oversight.workspace.providers import ProviderError, provider_from_settings
from oversight.workspace.services import DraftExists
from tests.factories import make_task
from tests.provider_server import COMPLETION


@pytest.fixture
def bare_task(team):
    return make_task(team.project, draft_text=None, assignees=[team.writer1])


def test_a_generated_draft_is_stored_with_its_model_and_source(bare_task, configured_provider):
    draft = draft_generate(task=bare_task, provider=provider_from_settings())
    assert (draft.text, draft.model, draft.source) == (COMPLETION, "served-model-7b",
                                                       Draft.GENERATED)
    assert draft.params == {"temperature": 0.7}
    assert configured_provider.requests[0]["json"]["messages"][0]["content"] == bare_task.prompt


def test_a_task_with_a_draft_is_refused_before_asking_the_provider(team, configured_provider):
    with pytest.raises(DraftExists) as caught:
        draft_generate(task=team.task1, provider=provider_from_settings())
    assert str(caught.value) == services.DRAFT_EXISTS.format(task=team.task1)
    assert configured_provider.requests == []


def test_a_document_opened_without_a_draft_is_refused(bare_task, configured_provider):
    Checkpoint.objects.create(task=bare_task, seq=0, text="")
    with pytest.raises(DocumentStarted) as caught:
        draft_generate(task=bare_task, provider=provider_from_settings())
    assert str(caught.value) == drafting.DOCUMENT_STARTED.format(task=bare_task)


@pytest.mark.parametrize("mode", ["hang", "error", "malformed", "empty"])
def test_a_provider_failure_leaves_the_task_without_a_draft(bare_task, configured_provider,
                                                            mode):
    configured_provider.mode = mode
    with pytest.raises(ProviderError):
        draft_generate(task=bare_task, provider=provider_from_settings())
    assert not Draft.objects.filter(task=bare_task).exists()


def test_the_lead_sees_a_generate_button_only_for_tasks_without_a_draft(team, bare_task, client):
    client.force_login(team.lead)
    page = client.get(reverse("home")).content.decode()
    assert f'data-testid="generate-draft-{bare_task.pk}"' in page
    assert f'data-testid="generate-draft-{team.task1.pk}"' not in page
    client.force_login(team.reviewer)
    assert "Generate draft" not in client.get(reverse("home")).content.decode()


def test_the_button_generates_the_draft_and_says_so(team, bare_task, client, configured_provider):
    client.force_login(team.lead)
    response = client.post(reverse("generate-draft", args=[bare_task.pk]))
    assert response.status_code == 302 and response.url == reverse("home")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        views.DRAFT_GENERATED.format(task=bare_task, model="served-model-7b")]
    assert Draft.objects.get(task=bare_task).text == COMPLETION


def test_the_button_shows_the_providers_error(team, bare_task, client, configured_provider):
    configured_provider.mode = "error"
    client.force_login(team.lead)
    page = client.post(reverse("generate-draft", args=[bare_task.pk]), follow=True)
    assert "answered HTTP 500: model &#x27;ghost&#x27; not found" in page.content.decode()
    assert not Draft.objects.filter(task=bare_task).exists()


def test_only_managers_may_press_it_and_only_by_post(team, bare_task, client):
    url = reverse("generate-draft", args=[bare_task.pk])
    client.force_login(team.writer1)  # assigned, sees the task, but is no lead
    assert client.post(url).status_code == 403
    client.force_login(team.outsider)
    assert client.post(url).status_code == 404
    client.force_login(team.lead)
    assert client.get(url).status_code == 405
    assert not Draft.objects.filter(task=bare_task).exists()


def test_the_form_needs_a_csrf_token(team, bare_task):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(team.lead)
    assert client.post(reverse("generate-draft", args=[bare_task.pk])).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in home
