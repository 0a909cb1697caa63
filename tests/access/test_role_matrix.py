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
    ("GET", "/api/tasks/{id}/trajectory/"): (
        lambda w: (f"/api/tasks/{w.open_task.pk}/trajectory/", None), statuses(200)),
    # Project-wide: members who do not manage it are refused, others are told it is not there.
    ("GET", "/api/export/"): (lambda w: ("/api/export/?project=here", None),
                              statuses(200, MANAGERS, writer_other=403)),
    ("POST", "/api/tasks/bulk/"): (
        lambda w: ("/api/tasks/bulk/?project=here",
                   {"tasks": [{"external_id": "new-1", "prompt": "Say hi."}]}),
        statuses(201, MANAGERS, writer_other=403)),
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
