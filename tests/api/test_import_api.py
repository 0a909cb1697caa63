"""POST /api/tasks/bulk/: JSONL or JSON, leads and admins only, every error or nothing."""

import json

import pytest
from django.urls import reverse

from oversight.api import views_import
from oversight.workspace.models import Draft, Task
from tests.factories import api_client, make_project, make_task, make_user

URL = reverse("task-bulk-import")


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def post_jsonl(user, body: str, slug: str, content_type="application/x-ndjson"):
    return api_client(user).generic("POST", f"{URL}?project={slug}", body.encode("utf-8"),
                                    content_type=content_type)


@pytest.mark.parametrize("content_type", ["application/x-ndjson", "application/jsonl",
                                          "text/plain; charset=utf-8"])
def test_a_lead_imports_jsonl(team, content_type):
    make_task(team.project, external_id="known")
    body = jsonl({"external_id": "known", "prompt": "p"},
                 {"external_id": "n1", "prompt": "¿Qué es 東京?",
                  "draft": {"text": "首都 🗼\u2028"}, "assignees": [team.writer1.username]})
    response = post_jsonl(team.lead, body, team.project.slug, content_type)
    assert response.status_code == 201
    assert response.json() == {"created": 1, "skipped": ["known"]}
    task = Task.objects.get(external_id="n1")
    assert task.draft.text == "首都 🗼\u2028" and task.draft.source == Draft.IMPORTED
    assert list(task.assignees.all()) == [team.writer1]


def test_a_json_body_names_its_project(team):
    body = {"project": team.project.slug, "tasks": [{"external_id": "j1", "prompt": "p"}]}
    response = api_client(team.lead).post(URL, body, format="json")
    assert response.status_code == 201 and response.json() == {"created": 1, "skipped": []}


def test_errors_come_back_together_and_nothing_is_imported(team):
    body = jsonl({"external_id": "a", "prompt": "ok"}, {"external_id": "a", "prompt": "again"},
                 {"external_id": "b", "prompt": "p", "assignees": ["nobody"]}) + "{x\n"
    response = post_jsonl(team.lead, body, team.project.slug)
    assert response.status_code == 400
    assert response.json() == {"error": {
        "code": "invalid_import",
        "message": views_import.INVALID_IMPORT.format(count=3),
        "detail": {"errors": [
            "line 2: field 'external_id': duplicate of line 1",
            "line 3: field 'assignees': no user named 'nobody'",  # in the same answer
            "line 4: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        ]}}}
    assert not Task.objects.filter(external_id="a").exists()


def test_assignee_errors_in_a_json_body_name_the_task(team):
    body = {"project": team.project.slug,
            "tasks": [{"external_id": "a", "prompt": "p", "assignees": ["nobody"]}]}
    response = api_client(team.lead).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["errors"] == [
        "task 1: field 'assignees': no user named 'nobody'"]


def test_writers_reviewers_and_anonymous_callers_cannot_import(team):
    body = jsonl({"external_id": "w", "prompt": "p"})
    for user in (team.writer1, team.reviewer):
        response = post_jsonl(user, body, team.project.slug)
        assert response.status_code == 403
        assert response.json()["error"]["message"] == views_import.NOT_A_MANAGER
    assert post_jsonl(None, body, team.project.slug).status_code == 401
    assert not Task.objects.filter(external_id="w").exists()


def test_outsiders_and_unknown_projects_get_not_found(team):
    body = jsonl({"external_id": "w", "prompt": "p"})
    assert post_jsonl(team.outsider, body, team.project.slug).status_code == 404
    assert post_jsonl(team.lead, body, "no-such-project").status_code == 404


def test_a_superuser_may_import_anywhere(db):
    project = make_project()
    admin = make_user("root")
    admin.is_superuser = True
    admin.save()
    response = post_jsonl(admin, jsonl({"external_id": "s", "prompt": "p"}), project.slug)
    assert response.status_code == 201


def test_the_project_must_be_named_once(team):
    body = {"tasks": [{"external_id": "a", "prompt": "p"}]}
    response = api_client(team.lead).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "project_required",
                                        "message": views_import.PROJECT_REQUIRED, "detail": {}}
    other = make_project()
    response = api_client(team.lead).post(f"{URL}?project={team.project.slug}",
                                          {**body, "project": other.slug}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "project_conflict"


def test_a_json_body_without_a_task_list_is_explained(team):
    response = api_client(team.lead).post(f"{URL}?project={team.project.slug}",
                                          {"tasks": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == views_import.NO_TASKS


def test_other_content_types_are_unsupported(team):
    response = api_client(team.lead).generic("POST", f"{URL}?project={team.project.slug}",
                                             b"a,b\n", content_type="text/csv")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
