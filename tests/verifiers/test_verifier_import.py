"""Verifier specs at import: stored normalized; a bad spec fails the import with line and field."""

import json

import pytest
from django.urls import reverse

from oversight.workspace.models import Task
from tests.factories import api_client

URL = reverse("task-bulk-import")
SPEC = {"kind": "pytest", "module": "solution",
        "files": {"test_solution.py": "from solution import f\ndef test_f():\n    assert f()\n"}}


def post_jsonl(user, slug, *records):
    body = "".join(json.dumps(r) + "\n" for r in records)
    return api_client(user).generic("POST", f"{URL}?project={slug}", body.encode(),
                                    content_type="application/x-ndjson")


@pytest.mark.django_db
def test_a_verifier_is_imported_and_shown_normalized(team):
    response = post_jsonl(team.lead, team.project.slug,
                          {"external_id": "v1", "prompt": "p", "verifier": SPEC})
    assert response.status_code == 201
    task = Task.objects.get(external_id="v1")
    assert task.verifier == {**SPEC, "timeout_s": 10}
    shown = api_client(team.lead).get(reverse("task-detail", args=[task.pk])).json()
    assert shown["verifier"] == {**SPEC, "timeout_s": 10}


@pytest.mark.django_db
def test_bad_specs_fail_the_import_with_line_and_field(team):
    response = post_jsonl(
        team.lead, team.project.slug,
        {"external_id": "ok", "prompt": "p", "verifier": SPEC},
        {"external_id": "bad", "prompt": "p", "verifier": {**SPEC, "kind": "cargo"}},
        {"external_id": "worse", "prompt": "p",
         "verifier": {**SPEC, "files": {"../x.py": ""}, "timeout_s": 600}})
    assert response.status_code == 400
    errors = response.json()["error"]["detail"]["errors"]
    assert "line 2: field 'verifier.kind': must be one of: pytest, node-test" in errors
    assert any(e.startswith("line 3: field 'verifier.files': '../x.py'") for e in errors)
    assert any(e.startswith("line 3: field 'verifier.timeout_s'") for e in errors)
    assert Task.objects.filter(project=team.project, external_id="ok").count() == 0


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_project_default(team):
    from django.core.exceptions import ValidationError

    team.project.verifier = {**SPEC, "kind": "cargo"}
    with pytest.raises(ValidationError) as caught:
        team.project.full_clean()
    assert "field 'verifier.kind': must be one of: pytest, node-test" in str(caught.value)
    team.project.verifier = SPEC
    team.project.full_clean()
