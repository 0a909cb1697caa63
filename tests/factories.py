"""Small factories for tests: users, projects with a rubric, tasks with drafts, API clients."""

import itertools
import time

from django.contrib.auth import get_user_model
from knox.models import AuthToken
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


_keys: dict[int, str] = {}


def token_for(user) -> str:
    """The user's API key: the same one on every call while its token exists."""
    key = _keys.get(user.pk)
    if key is None or not AuthToken.objects.filter(user=user, token_key=key[:15]).exists():
        from oversight.workspace.tokens import token_ttl

        key = _keys[user.pk] = AuthToken.objects.create(user=user, expiry=token_ttl())[1]
    return key


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


# -- edit events, as the editor stores them ---------------------------------------------


def _ops_between(before: str, after: str) -> list[dict]:
    """A code-point delta turning `before` into `after` (one change between common ends)."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(before), len(after)) - prefix
           and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]):
        suffix += 1
    ops: list[dict] = [{"retain": prefix}] if prefix else []
    if len(before) - prefix - suffix:
        ops.append({"delete": len(before) - prefix - suffix})
    if after[prefix:len(after) - suffix]:
        ops.append({"insert": after[prefix:len(after) - suffix]})
    return ops


def add_edits(task, author, *texts: str, kind: str = "input.type", checkpoint: bool = False):
    """Store events turning the task's current text into each of `texts` in turn.

    Seq continues gaplessly after the task's last event; ops are in code points. With
    `checkpoint=True` a seq-0 Checkpoint of the draft is stored too (if missing).
    Returns the stored EditEvents.
    """
    from oversight.core.kinds import infer_kind
    from oversight.traces import selectors
    from oversight.traces.models import Checkpoint, EditEvent
    from tests.logs import log_edits

    if checkpoint:
        Checkpoint.objects.get_or_create(task=task, seq=0,
                                         defaults={"text": selectors.draft_text(task)})
    seq = selectors.last_seq(task)
    before = selectors.text_at(task, seq)
    now = int(time.time() * 1000)
    events = []
    for after in texts:
        ops = _ops_between(before, after)
        if not ops:
            continue
        seq += 1
        events.append(EditEvent(task=task, seq=seq, round=task.round, author=author,
                                client_id=1000 + author.pk, server_ms=now + seq, kind=kind,
                                inferred_kind=infer_kind(ops), ops=ops))
        before = after
    stored = EditEvent.objects.bulk_create(events)
    log_edits(task, author, [event.ops for event in stored], server_ms=now, kind=kind)
    return stored
