"""What waits for a writer, in the project's order, and where Submit leads next."""

from django.urls import reverse

from oversight.workspace import status as task_status
from oversight.workspace.models import Task
from oversight.workspace.selectors import my_waiting_tasks, next_task_for
from tests.factories import make_task


def _tasks(team, n):
    return [make_task(team.project, assignees=[team.writer1]) for _ in range(n)]


def test_waiting_tasks_come_in_project_order_and_next_follows_it(team):
    first = team.task1
    a, b, c = _tasks(team, 3)
    Task.objects.filter(pk=b.pk).update(status=task_status.SUBMITTED)
    assert [t.pk for t in my_waiting_tasks(team.writer1)] == [first.pk, a.pk, c.pk]
    assert next_task_for(team.writer1, after=first) == a
    assert next_task_for(team.writer1, after=a) == c  # the submitted one is skipped
    assert next_task_for(team.writer1, after=c) == first  # wraps round
    Task.objects.filter(pk__in=[first.pk, a.pk]).update(status=task_status.APPROVED)
    assert next_task_for(team.writer1, after=c) is None


def test_the_task_page_prepares_the_next_task_and_home_lists_what_waits(team, client):
    a = _tasks(team, 1)[0]
    client.force_login(team.writer1)
    page = client.get(reverse("task-editor", args=[team.task1.pk]))
    config = page.context["config"]
    assert config["nextTask"] == {"id": a.pk, "externalId": a.external_id,
                                  "url": reverse("task-editor", args=[a.pk])}
    assert config["draftText"] == team.task1.draft.text
    home = client.get(reverse("home")).content.decode()
    waiting = home[home.index('data-testid="waiting-tasks"'):]
    assert waiting.index(team.task1.external_id) < waiting.index(a.external_id)
    assert f'href="{reverse("task-editor", args=[team.task1.pk])}" data-testid="start-next"' in home


def test_readers_get_no_next_task(team, client):
    client.force_login(team.reviewer)
    page = client.get(reverse("task-editor", args=[team.task1.pk]))
    assert page.context["config"]["nextTask"] is None
