"""Verifier runs over the API: start (202), drain the job, read per-test results.

Runs go through the real job queue (oversight.jobs) and the real sandbox.
"""

import hashlib

import pytest
from django.urls import reverse

from oversight.jobs import run_pending_jobs
from oversight.verifiers.models import VerifierRun
from tests.factories import add_edits, api_client, make_task

TESTS = '''from solution import double

def test_two():
    assert double(2) == 4

def test_zero():
    assert double(0) == 0
'''
SPEC = {"kind": "pytest", "module": "solution", "files": {"test_solution.py": TESTS},
        "timeout_s": 10}
WRONG = "def double(x):\n    return x + 2\n"
RIGHT = "def double(x):\n    return x * 2\n"
RECORD_KEYS = {"id", "task_id", "seq", "sha256", "status", "total", "passed", "failed", "tests",
               "output", "started_by", "created_at", "finished_at"}


@pytest.fixture
def task(team):
    task = make_task(team.project, draft_text=WRONG, assignees=[team.writer1], verifier=SPEC)
    add_edits(task, team.writer1, RIGHT)
    return task


def verify(user, task, **body):
    return api_client(user).post(reverse("task-verify", args=[task.pk]), body, format="json")


@pytest.mark.django_db(transaction=True)
def test_a_run_on_the_draft_fails_and_on_the_fix_passes(team, task, sandbox):
    draft = verify(team.writer1, task, seq=0)
    latest = verify(team.writer1, task)
    assert draft.status_code == latest.status_code == 202
    assert draft.json()["status"] == "queued" and set(draft.json()) == RECORD_KEYS
    assert run_pending_jobs(queues=("verifiers",)) == 2
    red = api_client(team.writer1).get(reverse("verifier-run-detail",
                                               args=[draft.json()["id"]])).json()
    assert set(red) == RECORD_KEYS
    assert (red["seq"], red["status"], red["total"], red["passed"], red["failed"]) == (
        0, "failed", 2, 1, 1)
    # x + 2 doubles 2 but not 0
    assert {t["name"]: t["outcome"] for t in red["tests"]} == {
        "test_solution::test_two": "passed", "test_solution::test_zero": "failed"}
    failed = next(t for t in red["tests"] if t["outcome"] == "failed")
    assert "assert" in failed["message"] and failed["duration_ms"] >= 0
    assert red["started_by"] == team.writer1.username and red["finished_at"]
    runs = api_client(team.reviewer).get(reverse("task-verifier-runs", args=[task.pk])).json()
    assert [(r["seq"], r["status"]) for r in runs] == [(0, "failed"), (1, "passed")]
    assert runs[1]["sha256"] == hashlib.sha256(RIGHT.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_who_may_run_writers_their_own_overseers_any(team, task):
    other = make_task(team.project, draft_text=WRONG, assignees=[team.writer2], verifier=SPEC)
    assert verify(team.writer1, other).status_code == 404
    assert verify(team.outsider, task).status_code == 404
    assert verify(team.reviewer, task, seq=0).status_code == 202
    assert verify(team.lead, other, seq=0).status_code == 202
    run = VerifierRun.objects.filter(task=task).get()
    assert api_client(team.writer2).get(
        reverse("verifier-run-detail", args=[run.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_refusals_are_400_with_a_message(team, task):
    bare = make_task(team.project, draft_text=WRONG, assignees=[team.writer1])
    response = verify(team.writer1, bare)
    assert response.status_code == 400
    assert "has no tests" in response.json()["error"]["message"]
    response = verify(team.writer1, task, seq=7)
    assert response.status_code == 400
    assert "seq 7 is beyond the trajectory's 1 events" in response.json()["error"]["message"]
    assert VerifierRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_project_default_applies_and_shows_in_the_task(team):
    team.project.verifier = SPEC
    team.project.save()
    response = api_client(team.writer1).get(reverse("task-detail", args=[team.task1.pk]))
    assert response.json()["verifier"] == SPEC
    assert verify(team.writer1, team.task1).status_code == 202


@pytest.mark.django_db(transaction=True)
def test_runs_are_rate_limited_per_user_with_a_clear_429(team, task, settings):
    settings.VERIFIERS = {**settings.VERIFIERS, "RATE_PER_MINUTE": 2}
    assert verify(team.writer1, task).status_code == 202
    assert verify(team.writer1, task).status_code == 202
    response = verify(team.writer1, task)
    assert response.status_code == 429
    message = response.json()["error"]["message"]
    assert "2 test runs in the last minute" in message and "seconds" in message
    assert int(response["Retry-After"]) >= 1
    assert verify(team.reviewer, task).status_code == 202  # per user
