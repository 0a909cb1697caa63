"""Submission and tests: the final (and a never-run draft) get runs; green may be required."""

import pytest
from django.urls import reverse

from oversight.jobs import run_pending_jobs
from oversight.traces.models import Submission
from oversight.verifiers.models import SUBMIT, VerifierRun
from tests.factories import add_edits, api_client, make_task
from tests.verifiers.test_verifier_api import RIGHT, SPEC, WRONG, verify

SUBMIT_URL = "task-submit"


def submit(user, task):
    return api_client(user).post(reverse(SUBMIT_URL, args=[task.pk]))


@pytest.mark.django_db(transaction=True)
def test_submitting_queues_runs_on_the_draft_and_the_final(team, sandbox):
    task = make_task(team.project, draft_text=WRONG, assignees=[team.writer1], verifier=SPEC)
    add_edits(task, team.writer1, RIGHT)
    assert submit(team.writer1, task).status_code == 201
    runs = VerifierRun.objects.filter(task=task).order_by("id")
    assert [(r.seq, r.trigger, r.status) for r in runs] == [(0, SUBMIT, "queued"),
                                                            (1, SUBMIT, "queued")]
    run_pending_jobs(queues=("verifiers",))
    assert [r.status for r in runs.all()] == ["failed", "passed"]


@pytest.mark.django_db(transaction=True)
def test_a_task_without_tests_submits_without_runs(team):
    add_edits(team.task1, team.writer1, "Draft, edited.")
    assert submit(team.writer1, team.task1).status_code == 201
    assert not VerifierRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_green_required_names_the_failing_tests_then_lets_a_green_final_through(team, sandbox):
    team.project.require_green_tests = True
    team.project.save()
    task = make_task(team.project, draft_text=WRONG, assignees=[team.writer1], verifier=SPEC)
    add_edits(task, team.writer1, WRONG + "\n")
    response = submit(team.writer1, task)
    assert response.status_code == 400
    assert "run the tests on the current text first" in response.json()["error"]["message"]
    verify(team.writer1, task)
    run_pending_jobs(queues=("verifiers",))
    response = submit(team.writer1, task)
    assert response.status_code == 400
    assert "test_solution::test_zero fail" in response.json()["error"]["message"]
    assert not Submission.objects.filter(task=task).exists()
    add_edits(task, team.writer1, RIGHT)
    verify(team.writer1, task)
    run_pending_jobs(queues=("verifiers",))
    assert submit(team.writer1, task).status_code == 201
