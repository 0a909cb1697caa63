"""Role × endpoint: every operation of the OpenAPI schema and every HTML page, called by
anonymous, an assigned writer, another writer of the project, a reviewer, its lead, the
lead of another project, a user of no project and an admin, answers the status the
access rules give (tests/access/world.py builds the world).

The rules: anonymous callers get 401 from the API and the login page from HTML pages;
a task, a note or a project that the caller may not see is a 404 (nobody learns it
exists); a role that may see but not do is a 403; writers edit their own tasks, leads
and admins edit and manage any task of the project, reviewers review; nobody reviews
their own round.
"""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.access.world import ROLES, build_world
from tests.factories import token_for

SCORES = {"serves-the-need": 4, "no-extras": 5, "factual": 3}

VIEWERS = ("writer_assigned", "reviewer", "lead", "admin")
OVERSEERS = ("reviewer", "lead", "admin")
MANAGERS = ("lead", "admin")
EDITORS = ("writer_assigned", "lead", "admin")
MEMBERS = ("writer_assigned", "writer_other", "reviewer", "lead")


def statuses(allowed: int, who=VIEWERS, *, refused: int = 403, hidden: int = 404,
             anonymous: int = 401, **exceptions) -> dict:
    """Status per role: `allowed` for `who`, `refused` for the others who can see the
    object (VIEWERS), `hidden` for those who cannot; per-role `exceptions` last."""
    table = {"anonymous": anonymous}
    for role in ROLES[1:]:
        table[role] = allowed if role in who else refused if role in VIEWERS else hidden
    return {**table, **exceptions}


EVERYONE = {role: 200 for role in ROLES[1:]}


def _run_of(world):
    """A finished verifier run on the open task (the world has none of its own)."""
    from oversight.verifiers.models import VerifierRun

    run = VerifierRun.objects.filter(task=world.open_task).first()
    return run or VerifierRun.objects.create(task=world.open_task, seq=0, sha256="0" * 64,
                                             text="", spec={}, status="passed")


def project_statuses(allowed: int, who=MANAGERS, *, anonymous: int = 401) -> dict:
    """Status per role for a project-wide resource: members not in `who` are refused (403),
    the lead of another project and users of no project are told it is not there (404)."""
    return statuses(allowed, who, anonymous=anonymous,
                    writer_other=allowed if "writer_other" in who else 403)


def webhook(w, tail=""):
    return f"/api/webhooks/{w.webhook.pk}/{tail}"

# (method, schema path) -> (request builder(world) -> (path, body), statuses by role)
API = {
    ("GET", "/api/projects/"): (lambda w: ("/api/projects/", None), {
        "anonymous": 401, **EVERYONE}),
    ("GET", "/api/tasks/"): (lambda w: ("/api/tasks/", None), {"anonymous": 401, **EVERYONE}),
    ("GET", "/api/tasks/{id}/"): (lambda w: (f"/api/tasks/{w.open_task.pk}/", None),
                                  statuses(200)),
    ("GET", "/api/tasks/{id}/claim/"): (lambda w: (f"/api/tasks/{w.done_task.pk}/claim/", None),
                                        statuses(200)),
    ("POST", "/api/tasks/{id}/claim/"): (
        lambda w: (f"/api/tasks/{w.done_task.pk}/claim/", None), statuses(201, OVERSEERS)),
    ("DELETE", "/api/tasks/{id}/claim/"): (
        lambda w: (f"/api/tasks/{w.done_task.pk}/claim/", None), statuses(204, OVERSEERS)),
    ("GET", "/api/tasks/{id}/diff/"): (lambda w: (f"/api/tasks/{w.done_task.pk}/diff/", None),
                                       statuses(200)),
    ("POST", "/api/tasks/{id}/generate-draft/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/generate-draft/", None),
        statuses(409, MANAGERS)),  # it has a draft: managers get as far as the conflict
    ("GET", "/api/tasks/{id}/metrics/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/metrics/", None), statuses(200)),
    ("GET", "/api/tasks/{id}/notes/"): (lambda w: (f"/api/tasks/{w.open_task.pk}/notes/", None),
                                        statuses(200)),
    ("POST", "/api/tasks/{id}/notes/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/notes/",
                   {"body": "Why.", "start": 0, "end": 3, "quote": "The"}),
        statuses(201, EDITORS)),
    ("PATCH", "/api/notes/{id}/"): (lambda w: (f"/api/notes/{w.note.pk}/", {"body": "Better."}),
                                    statuses(200, ("writer_assigned",))),
    ("DELETE", "/api/notes/{id}/"): (lambda w: (f"/api/notes/{w.note.pk}/", None),
                                     statuses(200, ("writer_assigned",))),
    ("GET", "/api/tasks/{id}/reviews/"): (
        lambda w: (f"/api/tasks/{w.done_task.pk}/reviews/", None), statuses(200)),
    ("POST", "/api/tasks/{id}/reviews/"): (
        lambda w: (f"/api/tasks/{w.done_task.pk}/reviews/",
                   {"verdict": "approve", "scores": SCORES}), statuses(201, OVERSEERS)),
    ("POST", "/api/tasks/{id}/submit/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/submit/", None), statuses(201, EDITORS)),
    ("GET", "/api/tasks/{id}/text/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/text/?seq=0", None), statuses(200)),
    # The open task has no tests: whoever may run them gets as far as that refusal.
    ("POST", "/api/tasks/{id}/verify/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/verify/", {}), statuses(400)),
    ("GET", "/api/tasks/{id}/verifier-runs/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/verifier-runs/", None), statuses(200)),
    ("GET", "/api/verifier-runs/{id}/"): (
        lambda w: (f"/api/verifier-runs/{_run_of(w).pk}/", None), statuses(200)),
    ("GET", "/api/tasks/{id}/trajectory/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/trajectory/", None), statuses(200)),
    ("GET", "/api/tasks/{id}/trajectory/overview/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/trajectory/overview/", None), statuses(200)),
    ("GET", "/api/tasks/{id}/trajectory/events/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/trajectory/events/", None), statuses(200)),
    # Project-wide: members who do not manage it are refused, others are told it is not there.
    ("GET", "/api/export/"): (lambda w: ("/api/export/?project=here", None),
                              statuses(200, MANAGERS, writer_other=403)),
    ("POST", "/api/tasks/bulk/"): (
        lambda w: ("/api/tasks/bulk/?project=here",
                   {"tasks": [{"external_id": "new-1", "prompt": "Say hi."}]}),
        statuses(201, MANAGERS, writer_other=403)),
    ("POST", "/api/trajectories/bulk/"): (
        lambda w: ("/api/trajectories/bulk/?project=here", {"trajectories": []}),
        statuses(201, MANAGERS, writer_other=403)),
    ("GET", "/api/projects/{slug}/"): (lambda w: ("/api/projects/here/", None),
                                       project_statuses(200, MEMBERS + ("admin",))),
    ("PATCH", "/api/projects/{slug}/"): (lambda w: ("/api/projects/here/", {"name": "Here 2"}),
                                         project_statuses(200)),
    ("GET", "/api/projects/{slug}/judge-agreement/"): (
        lambda w: ("/api/projects/here/judge-agreement/", None), project_statuses(200, OVERSEERS)),
    ("GET", "/api/projects/{slug}/webhooks/"): (
        lambda w: ("/api/projects/here/webhooks/", None), project_statuses(200)),
    ("POST", "/api/projects/{slug}/webhooks/"): (
        lambda w: ("/api/projects/here/webhooks/", {"url": "http://127.0.0.1:9/two",
                                                    "events": ["task.approved"],
                                                    "secret": "t" * 32}),
        project_statuses(201)),
    ("GET", "/api/webhooks/{id}/"): (lambda w: (webhook(w), None), project_statuses(200)),
    ("PATCH", "/api/webhooks/{id}/"): (lambda w: (webhook(w), {"active": False}),
                                       project_statuses(200)),
    ("DELETE", "/api/webhooks/{id}/"): (lambda w: (webhook(w), None), project_statuses(204)),
    ("GET", "/api/webhooks/{id}/deliveries/"): (lambda w: (webhook(w, "deliveries/"), None),
                                                project_statuses(200)),
    ("POST", "/api/webhooks/{id}/deliveries/{delivery_id}/redeliver/"): (
        lambda w: (webhook(w, f"deliveries/{w.delivery.pk}/redeliver/"), None),
        project_statuses(202)),
    ("POST", "/api/webhooks/{id}/test/"): (lambda w: (webhook(w, "test/"), None),
                                           project_statuses(202)),
    ("GET", "/api/tasks/{id}/assists/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/assists/", None), statuses(200)),
    # An unknown action: whoever may see the task gets as far as the validation.
    ("POST", "/api/tasks/{id}/assists/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/assists/",
                   {"action": "nonsense", "start": 0, "end": 3}), statuses(400)),
    ("POST", "/api/assists/{id}/decide/"): (
        lambda w: (f"/api/assists/{w.assist.pk}/decide/", {"outcome": "dismissed"}),
        statuses(200, ("writer_assigned",))),  # only the writer who asked decides
    ("GET", "/api/tasks/{id}/provenance/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/provenance/", None), statuses(200)),
    # The model judge's critiques are for overseers, not for the writer judged.
    ("GET", "/api/tasks/{id}/critiques/"): (
        lambda w: (f"/api/tasks/{w.done_task.pk}/critiques/", None), statuses(200, OVERSEERS)),
    ("POST", "/api/tasks/{id}/critiques/rerun/"): (
        lambda w: (f"/api/tasks/{w.done_task.pk}/critiques/rerun/", None),
        statuses(202, MANAGERS)),
}

LOGIN = 302  # anonymous visitors of a page are sent to the login page

# name -> (method, path builder(world), statuses by role)
PAGES = {
    "home": ("GET", lambda w: reverse("home"), {"anonymous": LOGIN, **EVERYONE}),
    "api-tokens": ("GET", lambda w: reverse("api-tokens"), {"anonymous": LOGIN, **EVERYONE}),
    "task-editor": ("GET", lambda w: reverse("task-editor", args=[w.open_task.pk]),
                    statuses(200, anonymous=LOGIN)),
    "generate-draft": ("POST", lambda w: reverse("generate-draft", args=[w.open_task.pk]),
                       statuses(302, MANAGERS, anonymous=LOGIN)),
    # Whoever oversees some project, any project, has a review index.
    "review-index": ("GET", lambda w: reverse("review-index"),
                     {**EVERYONE, "anonymous": LOGIN, "writer_assigned": 403,
                      "writer_other": 403, "no_project": 403}),
    "review-player": ("GET", lambda w: reverse("review-player", args=[w.done_task.pk]),
                      statuses(200, OVERSEERS, anonymous=LOGIN)),
    "review-claim": ("POST", lambda w: reverse("review-claim", args=[w.done_task.pk]),
                     statuses(302, OVERSEERS, anonymous=LOGIN)),
    "review-queue": ("GET", lambda w: reverse("review-queue", args=["here"]),
                     statuses(200, OVERSEERS, anonymous=LOGIN, writer_other=403)),
    "review-thresholds": ("POST", lambda w: reverse("review-thresholds", args=["here"]),
                          statuses(302, MANAGERS, anonymous=LOGIN, writer_other=403)),
    "review-writers": ("GET", lambda w: reverse("review-writers", args=["here"]),
                       statuses(200, OVERSEERS, anonymous=LOGIN, writer_other=403)),
    "project-model-help": ("GET", lambda w: reverse("project-model-help", args=["here"]),
                           project_statuses(200, anonymous=LOGIN)),
    "review-judge": ("GET", lambda w: reverse("review-judge", args=["here"]),
                     project_statuses(200, OVERSEERS, anonymous=LOGIN)),
    "review-judge-settings": ("POST", lambda w: reverse("review-judge-settings", args=["here"]),
                              project_statuses(302, anonymous=LOGIN)),
    "review-webhooks": ("GET", lambda w: reverse("review-webhooks", args=["here"]),
                        project_statuses(200, anonymous=LOGIN)),
    "review-webhook": ("GET", lambda w: reverse("review-webhook", args=["here", w.webhook.pk]),
                       project_statuses(200, anonymous=LOGIN)),
    "login": ("GET", lambda w: reverse("login"), {role: 200 for role in ROLES}),
    "healthz": ("GET", lambda w: reverse("healthz"), {role: 200 for role in ROLES}),
    "schema": ("GET", lambda w: reverse("schema"), {role: 200 for role in ROLES}),
    "api-docs": ("GET", lambda w: reverse("api-docs"), {role: 200 for role in ROLES}),
    "api-redoc": ("GET", lambda w: reverse("api-redoc"), {role: 200 for role in ROLES}),
}


def test_the_matrix_covers_every_operation_of_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {(method.upper(), path) for path, item in schema["paths"].items()
                  for method in item}
    assert operations == set(API)


def test_the_matrix_covers_every_html_page():
    from django.urls import get_resolver

    def names(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                if str(pattern.pattern) not in ("admin/", "api/"):
                    yield from names(pattern)
            elif pattern.name:
                yield pattern.name

    pages = set(names(get_resolver())) - {"logout"}  # logging out is Django's own
    assert pages == set(PAGES) - {"schema", "api-docs", "api-redoc"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API), ids=" ".join)
def test_every_api_operation_for_every_role(operation, role):
    world = build_world()
    build, expected = API[operation]
    path, body = build(world)
    client = APIClient()
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users[role])}")
    response = getattr(client, operation[0].lower())(path, body, format="json")
    assert response.status_code == expected[role], (role, operation, response.content[:300])
    if response.status_code >= 400:
        assert response.json()["error"]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_for_every_role(client, page, role):
    world = build_world()
    method, build, expected = PAGES[page]
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method.lower())(build(world))
    assert response.status_code == expected[role], (role, page, response.content[:300])
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("login"))
