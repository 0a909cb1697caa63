"""Task visibility through the API: writers their own, overseers the project, outsiders nothing."""

from django.urls import reverse

from tests.factories import api_client


def listed_ids(user) -> set[int]:
    response = api_client(user).get(reverse("task-list"))
    assert response.status_code == 200
    return {task["id"] for task in response.json()["results"]}


def detail_status(user, task) -> int:
    return api_client(user).get(reverse("task-detail", args=[task.pk])).status_code


def test_a_writer_sees_only_their_own_task(team):
    assert listed_ids(team.writer1) == {team.task1.pk}
    assert detail_status(team.writer1, team.task1) == 200
    assert detail_status(team.writer1, team.task2) == 404


def test_reviewers_and_leads_see_every_task_of_their_project(team):
    for user in (team.reviewer, team.lead):
        assert listed_ids(user) == {team.task1.pk, team.task2.pk}
        assert detail_status(user, team.task2) == 200


def test_outsiders_see_nothing(team):
    assert listed_ids(team.outsider) == set()
    assert detail_status(team.outsider, team.task1) == 404


def test_anonymous_requests_are_unauthorized_in_the_common_error_body(team):
    response = api_client().get(reverse("task-detail", args=[team.task1.pk]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
