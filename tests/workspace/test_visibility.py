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


def test_a_writer_in_one_project_and_lead_of_another_sees_each_by_its_rule(team):
    """Both branches of visible_tasks at once, and a task with two assignees listed once."""
    from oversight.workspace.access import visible_tasks
    from oversight.workspace.models import Membership
    from tests.factories import add_member

    led = make_project()
    add_member(team.writer1, led, Membership.LEAD)
    theirs = [make_task(led), make_task(led, assignees=[team.writer2])]
    shared = make_task(team.project, assignees=[team.writer1, team.writer2])
    seen = list(visible_tasks(team.writer1).order_by("id"))
    assert seen == sorted([team.task1, shared, *theirs], key=lambda t: t.pk)
    assert list(visible_tasks(team.writer2).order_by("id")) == [team.task2, shared]
    assert not visible_tasks(team.outsider).exists()


def test_the_home_page_pages_a_project_s_tasks_in_id_order(team, client):
    from oversight.workspace.selectors import TASKS_PER_PAGE

    extra = [make_task(team.project, external_id=f"more-{i:03d}")
             for i in range(TASKS_PER_PAGE + 3)]
    client.force_login(team.lead)
    first = client.get(reverse("home")).content.decode()
    assert team.task1.external_id in first and extra[TASKS_PER_PAGE - 3].external_id in first
    assert extra[TASKS_PER_PAGE - 2].external_id not in first
    total = TASKS_PER_PAGE + 5
    assert f"Tasks 1–{TASKS_PER_PAGE} of {total}" in first
    assert f'href="?project={team.project.slug}&amp;page=2#project-{team.project.slug}"' in first
    second = client.get(reverse("home"), {"project": team.project.slug, "page": "2"})
    html = second.content.decode()
    assert [t.external_id for t in second.context["projects"][0]["tasks"]] == [
        t.external_id for t in extra[TASKS_PER_PAGE - 2:]]
    assert f"Tasks {TASKS_PER_PAGE + 1}–{total} of {total}" in html and "Next →" not in html
    # Beyond the last page: the last page; the counts cover every task, not the page.
    late = client.get(reverse("home"), {"project": team.project.slug, "page": "99"})
    assert late.context["projects"][0]["page"] == 2
    assert dict(late.context["projects"][0]["counts"])["Open"] == total
