"""`overlap: N` at import: N sibling tasks of one prompt and draft, one writer each, one group."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from oversight.workspace import status as task_status
from oversight.workspace.models import Membership, OverlapGroup, Task
from tests.factories import add_member, api_client, make_task, make_user

URL = reverse("task-bulk-import")


def post(user, slug, *records):
    body = "".join(json.dumps(r) + "\n" for r in records)
    return api_client(user).generic("POST", f"{URL}?project={slug}", body.encode(),
                                    content_type="application/x-ndjson")


def line(external_id="q1", **fields):
    return {"external_id": external_id, "prompt": "Why is the sky blue?",
            "draft": {"text": "Because of the sea.", "model": "m"}, **fields}


def test_listed_assignees_get_one_sibling_each(team):
    response = post(team.lead, team.project.slug,
                    line(overlap=2, assignees=[team.writer2.username, team.writer1.username]),
                    line("plain"))
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 3, "skipped": []}
    siblings = list(Task.objects.filter(external_id__startswith="q1/").order_by("external_id"))
    assert [t.external_id for t in siblings] == ["q1/1", "q1/2"]
    assert [list(t.assignees.all()) for t in siblings] == [[team.writer2], [team.writer1]]
    assert {(t.prompt, t.draft.text, t.draft.model) for t in siblings} == {
        ("Why is the sky blue?", "Because of the sea.", "m")}
    group = OverlapGroup.objects.get(project=team.project)
    assert group.external_id == "q1" and {t.group_id for t in siblings} == {group.pk}
    assert Task.objects.get(external_id="plain").group is None
    # The group is in the task's API record; null without overlap.
    body = api_client(team.writer2).get(f"/api/tasks/{siblings[0].pk}/").json()
    assert body["group"] == group.pk
    plain = Task.objects.get(external_id="plain")
    assert api_client(team.lead).get(f"/api/tasks/{plain.pk}/").json()["group"] is None


def test_round_robin_goes_to_the_writers_with_the_least_open_work(team):
    third = make_user()
    add_member(third, team.project, Membership.WRITER)
    # team.writer1 and writer2 each have one open task already (the Team's); third has none.
    make_task(team.project, assignees=[team.writer1])  # writer1: two open
    make_task(team.project, assignees=[third], status=task_status.APPROVED)  # done: not open
    response = post(team.lead, team.project.slug, line("a", overlap=2), line("b", overlap=2))
    assert response.status_code == 201, response.content
    writers = {t.external_id: t.assignees.get().username
               for t in Task.objects.filter(group__isnull=False)}
    # Open work before: third 0, writer2 1, writer1 2 -> a goes to third and writer2.
    # After a: third 1, writer2 2, writer1 2 -> b goes to third and the first by name.
    first_two = sorted([team.writer1.username, team.writer2.username])[0]
    assert {writers["a/1"], writers["a/2"]} == {third.username, team.writer2.username}
    assert {writers["b/1"], writers["b/2"]} == {third.username, first_two}


def test_the_projects_overlap_applies_unless_the_line_says_otherwise(team):
    team.project.overlap = 2
    team.project.save()
    response = post(team.lead, team.project.slug, line("x"), line("y", overlap=1))
    assert response.status_code == 201 and response.json()["created"] == 3
    assert Task.objects.filter(external_id__in=["x/1", "x/2", "y"]).count() == 3


def test_reimport_skips_the_siblings_and_keeps_one_group(team):
    record = line(overlap=2, assignees=[team.writer1.username, team.writer2.username])
    post(team.lead, team.project.slug, record)
    response = post(team.lead, team.project.slug, record)
    assert response.json() == {"created": 0, "skipped": ["q1/1", "q1/2"]}
    assert OverlapGroup.objects.count() == 1


@pytest.mark.parametrize(("fields", "message"), [
    ({"overlap": 0}, "line 1: field 'overlap': must be a whole number from 1 to 20"),
    ({"overlap": "2"}, "line 1: field 'overlap': must be a whole number from 1 to 20"),
    ({"overlap": True}, "line 1: field 'overlap': must be a whole number from 1 to 20"),
    ({"overlap": 3}, "line 1: field 'overlap': 3 siblings need 3 writers in project '{slug}' "
                     "(it has 2)"),
])
def test_bad_overlap_is_refused_and_nothing_is_imported(team, fields, message):
    response = post(team.lead, team.project.slug, line(**fields))
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["errors"] == [
        message.format(slug=team.project.slug)]
    assert not Task.objects.filter(external_id__startswith="q1").exists()
    assert not OverlapGroup.objects.exists()


def test_listed_assignees_must_match_the_overlap(team):
    response = post(team.lead, team.project.slug,
                    line(overlap=3, assignees=[team.writer1.username]))
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["errors"] == [
        "line 1: field 'overlap': 3 siblings need 3 assignees, one each (got 1)"]


def test_the_import_command_expands_overlap_too(team, tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(line(overlap=2)) + "\n")
    call_command("import_tasks", str(path), "--project", team.project.slug, stdout=None)
    assert Task.objects.filter(group__external_id="q1").count() == 2


def test_a_lead_sets_the_projects_overlap_over_the_api(team):
    url = f"/api/projects/{team.project.slug}/"
    assert api_client(team.lead).patch(url, {"overlap": 3}, format="json").json()["overlap"] == 3
    assert api_client(team.lead).patch(url, {"overlap": 0}, format="json").status_code == 400
    assert api_client(team.reviewer).patch(url, {"overlap": 2},
                                           format="json").status_code == 403
