"""Small factories for tests: users, projects with a rubric, tasks with drafts, API clients."""

import itertools

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from oversight.workspace.models import Draft, Membership, Project, Task

_counter = itertools.count(1)

RUBRIC = [
    {"key": "serves-the-need", "name": "Serves the need",
     "question": "Does it actually answer what was asked?"},
    {"key": "no-extras", "name": "No extras", "question": "Does it avoid what nobody asked for?"},
    {"key": "factual", "name": "Factual", "question": "Is every claim correct?"},
]


def make_user(username: str | None = None, password: str = "pw-test-123"):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(username=username, password=password)


def make_project(slug: str | None = None, kind: str = "prose", language: str = "markdown",
                 **fields) -> Project:
    slug = slug or f"project-{next(_counter)}"
    fields.setdefault("rubric", RUBRIC)
    return Project.objects.create(name=slug.title(), slug=slug, kind=kind, language=language,
                                  **fields)


def add_member(user, project: Project, role: str) -> Membership:
    return Membership.objects.create(user=user, project=project, role=role)


def make_task(project: Project, draft_text: str | None = "The model's draft.",
              assignees=(), external_id: str | None = None, **fields) -> Task:
    task = Task.objects.create(project=project,
                               external_id=external_id or f"task-{next(_counter)}",
                               prompt=fields.pop("prompt", "Explain something."), **fields)
    if assignees:
        task.assignees.set(assignees)
    if draft_text is not None:
        Draft.objects.create(task=task, text=draft_text, model="demo-model",
                             params={"temperature": 0.7})
    return task


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


class Team:
    """A project with writer1, writer2, reviewer1 and lead1, and one task per writer."""

    def __init__(self, kind: str = "prose", language: str = "markdown", draft_text: str = "Draft."):
        self.project = make_project(kind=kind, language=language)
        self.writer1 = make_user()
        self.writer2 = make_user()
        self.reviewer = make_user()
        self.lead = make_user()
        self.outsider = make_user()
        add_member(self.writer1, self.project, Membership.WRITER)
        add_member(self.writer2, self.project, Membership.WRITER)
        add_member(self.reviewer, self.project, Membership.REVIEWER)
        add_member(self.lead, self.project, Membership.LEAD)
        self.task1 = make_task(self.project, draft_text=draft_text, assignees=[self.writer1])
        self.task2 = make_task(self.project, draft_text=draft_text, assignees=[self.writer2])
