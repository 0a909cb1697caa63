"""The project's model-help settings page: leads change it, others may not."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from oversight.assist.views import NOT_A_MANAGER
from oversight.workspace.models import Project

pytestmark = pytest.mark.django_db


def url(team):
    return reverse("project-model-help", args=[team.project.slug])


def test_a_lead_turns_model_help_on(client, team):
    client.force_login(team.lead)
    page = client.get(url(team))
    assert page.status_code == 200 and b'name="model_help"' in page.content
    response = client.post(url(team), {"model_help": "critique", "assist_daily_budget": "7"})
    assert response.status_code == 302
    project = Project.objects.get(pk=team.project.pk)
    assert (project.model_help, project.assist_daily_budget) == ("critique", 7)
    queue = client.get(reverse("review-queue", args=[team.project.slug]))
    assert b"Model help settings" in queue.content and b"(critique only)" in queue.content


def test_a_bad_value_is_shown_and_nothing_changes(client, team):
    client.force_login(team.lead)
    response = client.post(url(team), {"model_help": "always", "assist_daily_budget": "-1"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert Project.objects.get(pk=team.project.pk).model_help == "off"


@pytest.mark.parametrize("who, status", [("writer1", 403), ("reviewer", 403),
                                         ("outsider", 404)])
def test_only_leads_and_admins(client, team, who, status):
    client.force_login(getattr(team, who))
    response = client.post(url(team), {"model_help": "all", "assist_daily_budget": "5"})
    assert response.status_code == status
    if status == 403:
        assert escape(NOT_A_MANAGER) in response.content.decode()
    assert Project.objects.get(pk=team.project.pk).model_help == "off"
