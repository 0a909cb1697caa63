"""create_api_token and seed_demo: tokens for scripts, an idempotent demo whose logins work."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from oversight.workspace.demo_content import DEMO_MEMBERS, DEMO_PROJECTS
from oversight.workspace.models import Draft, Membership, Project, Task
from tests.factories import make_user

User = get_user_model()


def run(name, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("project-list")).status_code


def test_create_api_token_prints_a_working_key_last_and_stores_only_its_digest(db):
    user = make_user("scripter")
    first = run("create_api_token", "scripter").splitlines()[-1]
    assert api_status(first) == 200
    stored = AuthToken.objects.get(user=user)
    assert first not in stored.digest and stored.token_key == first[:15]
    assert stored.expiry is not None
    # A key cannot be shown twice: a second run replaces the first.
    second = run("create_api_token", "scripter").splitlines()[-1]
    assert second != first and AuthToken.objects.filter(user=user).count() == 1
    assert api_status(first) == 401 and api_status(second) == 200


def test_create_api_token_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'."):
        run("create_api_token", "ghost")


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("username", "password", "is_superuser")),
        "projects": sorted(Project.objects.values_list("slug", "name", "kind", "language",
                                                       "instructions")),
        "memberships": sorted(Membership.objects.values_list("user__username", "project__slug",
                                                             "role")),
        "tasks": sorted(Task.objects.values_list("project__slug", "external_id", "prompt",
                                                 "assignees__username")),
        "drafts": sorted(Draft.objects.values_list("task__external_id", "text", "model")),
    }


def test_seed_demo_builds_the_demo(db):
    out = run("seed_demo", "--no-activity")
    assert set(Project.objects.values_list("slug", "kind", "language")) == {
        ("explain", "prose", "markdown"), ("pyfuncs", "code", "python")}
    for project in Project.objects.all():
        assert 4 <= len(project.rubric) <= 5
        assert all(set(p) == {"key", "name", "question"} for p in project.rubric)
        assert project.instructions.startswith("## ")
        assert all(t.draft.source == Draft.IMPORTED and t.draft.model
                   for t in project.tasks.all())
        tasks = project.tasks.filter(group=None)  # the overlap group's siblings: below
        assert tasks.count() >= 6
        # The regular work is shared evenly; the one gold task (explain-tides) comes on top.
        regular = tasks.filter(gold_flaws__isnull=True)
        per_writer = [regular.filter(assignees__username=w).count()
                      for w in ("writer1", "writer2")]
        assert per_writer[0] == per_writer[1] == regular.count() / 2
        roles = dict(project.memberships.values_list("user__username", "role"))
        assert roles == dict(DEMO_MEMBERS)
    # One prompt and draft given to three writers: an overlap group of three siblings.
    siblings = Task.objects.filter(group__external_id="explain-rainbow").order_by("id")
    assert [t.external_id for t in siblings] == [f"explain-rainbow/{n}" for n in (1, 2, 3)]
    assert [t.assignees.get().username for t in siblings] == ["writer1", "writer2", "writer3"]
    assert len({(t.prompt, t.draft.text) for t in siblings}) == 1
    assert User.objects.get(username="admin").is_superuser
    for name in ("writer1", "writer2", "writer3", "reviewer1", "lead1", "admin"):
        assert f"  {name:<10} {name}-demo" in out


def test_seed_demo_twice_changes_nothing(db):
    run("seed_demo", "--no-activity")
    before = snapshot()
    out = run("seed_demo", "--no-activity")
    assert snapshot() == before
    # explain: six tasks, a gold task and the three overlap siblings
    assert "0 task(s) created, 10 already there" in out


def test_seed_demo_keeps_changed_passwords_and_never_touches_drafts(db):
    run("seed_demo", "--no-activity")
    lead = User.objects.get(username="lead1")
    lead.set_password("my-own-secret")
    lead.save()
    Task.objects.filter(external_id="explain-seasons").delete()  # a lead removed one task
    run("seed_demo", "--no-activity")
    lead.refresh_from_db()
    assert lead.check_password("my-own-secret")
    assert Task.objects.filter(external_id="explain-seasons").count() == 1  # put back, once


def test_demo_logins_work(db, client):
    run("seed_demo", "--no-activity")
    for name in ("writer1", "writer2", "reviewer1", "lead1", "admin"):
        response = client.post(reverse("login"), {"username": name,
                                                  "password": f"{name}-demo"})
        assert response.status_code == 302, name
        client.logout()


def test_demo_content_is_importable_as_written():
    ids = [t["external_id"] for spec in DEMO_PROJECTS for t in spec["tasks"]]
    assert len(ids) == len(set(ids)) >= 12


@pytest.mark.django_db
@pytest.mark.parametrize(("base_url", "on"), [("", False), ("http://127.0.0.1:8001/v1", True)])
def test_the_demo_switches_model_features_on_only_with_a_configured_provider(
        monkeypatch, base_url, on):
    monkeypatch.setenv("DRAFT_PROVIDER_BASE_URL", base_url)
    call_command("seed_demo", "--no-activity", stdout=io.StringIO())
    for project in Project.objects.all():
        assert project.ai_critique is on
        assert project.model_help == ("all" if on else "off")
