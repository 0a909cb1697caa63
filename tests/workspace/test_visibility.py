"""Who sees which task on the pages: writers their own, overseers the project, outsiders nothing."""

from django.urls import reverse

from tests.factories import make_project, make_task


def editor_status(client, user, task) -> int:
    client.force_login(user)
    return client.get(reverse("task-editor", args=[task.pk])).status_code


def test_a_writer_cannot_open_another_writers_task(team, client):
    assert editor_status(client, team.writer1, team.task1) == 200
    assert editor_status(client, team.writer1, team.task2) == 404


def test_reviewers_and_leads_open_every_task_of_their_project(team, client):
    for user in (team.reviewer, team.lead):
        assert editor_status(client, user, team.task1) == 200
        assert editor_status(client, user, team.task2) == 200


def test_outsiders_open_nothing_and_anonymous_users_are_sent_to_log_in(team, client):
    assert editor_status(client, team.outsider, team.task1) == 404
    client.logout()
    response = client.get(reverse("task-editor", args=[team.task1.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_lead_of_one_project_sees_nothing_of_another(team, client):
    foreign = make_task(make_project(), assignees=[team.writer1])
    assert editor_status(client, team.lead, foreign) == 404


def test_the_home_page_lists_only_what_the_user_may_see(team, client):
    client.force_login(team.writer1)
    page = client.get(reverse("home")).content.decode()
    assert team.task1.external_id in page and team.task2.external_id not in page
    client.force_login(team.reviewer)
    page = client.get(reverse("home")).content.decode()
    assert team.task1.external_id in page and team.task2.external_id in page
    client.force_login(team.outsider)
    page = client.get(reverse("home")).content.decode()
    assert team.task1.external_id not in page and "No task is assigned to you." in page
