"""Runs in the trace's reads: trajectory `verifier_runs`, metrics, queue, export meta/filter."""

import pytest
from django.urls import reverse

from oversight.jobs import run_pending_jobs
from oversight.review.selectors import queue_rows
from tests.api.export_factories import read_body, read_jsonl
from tests.factories import add_edits, api_client, make_task
from tests.verifiers.test_verifier_api import RECORD_KEYS, RIGHT, SPEC, WRONG


@pytest.fixture
def submitted(team, sandbox):
    """A task fixed red → green and one left red, both submitted and their runs drained."""
    fixed = make_task(team.project, draft_text=WRONG, assignees=[team.writer1], verifier=SPEC)
    add_edits(fixed, team.writer1, WRONG + "# fixing\n", RIGHT)
    red = make_task(team.project, draft_text=WRONG, assignees=[team.writer1], verifier=SPEC)
    add_edits(red, team.writer1, WRONG + "# still wrong\n")
    for task in (fixed, red):
        assert api_client(team.writer1).post(reverse("task-submit", args=[task.pk])).status_code \
            == 201
    assert run_pending_jobs(queues=("verifiers",)) == 4
    return fixed, red


def export(user, project, **params):
    response = api_client(user).get(reverse("export"), {"project": project.slug,
                                                        "status": "any", **params})
    assert response.status_code == 200
    return read_jsonl(read_body(response))


@pytest.mark.django_db(transaction=True)
def test_the_trajectory_carries_its_runs(team, submitted):
    fixed, _ = submitted
    record = api_client(team.lead).get(reverse("task-trajectory", args=[fixed.pk])).json()
    runs = record["verifier_runs"]
    assert [(r["seq"], r["status"], r["passed"]) for r in runs] == [(0, "failed", 1),
                                                                   (2, "passed", 2)]
    assert set(runs[0]) == RECORD_KEYS


@pytest.mark.django_db(transaction=True)
def test_metrics_and_queue_summarize_the_runs(team, submitted):
    fixed, red = submitted
    metrics = api_client(team.lead).get(reverse("task-metrics", args=[fixed.pk])).json()
    assert {k: metrics[k] for k in ("tests_total", "tests_passing_draft",
                                    "tests_passing_final", "first_green_seq",
                                    "verifier_runs")} == {
        "tests_total": 2, "tests_passing_draft": 1, "tests_passing_final": 2,
        "first_green_seq": 2, "verifier_runs": 2}
    rows = {row["task"].pk: row for row in queue_rows(team.project)}
    assert (rows[red.pk]["tests_passing_final"], rows[red.pk]["first_green_seq"]) == (1, None)
    assert rows[fixed.pk]["tests_passing_final"] == 2
    page = api_client(team.lead)
    page.force_login(team.lead)
    html = page.get(reverse("review-queue", args=[team.project.slug])).content.decode()
    assert "1 → 2/2" in html and "1 → 1/2" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["sft", "preference", "critique", "edits"])
def test_export_meta_verifier_and_the_verified_filter(team, submitted, fmt):
    fixed, red = submitted
    records = export(team.lead, team.project, format=fmt)
    metas = {r["meta"]["task_id"]: r["meta"]["verifier"] for r in records}
    assert metas[fixed.pk] == {"tests_total": 2, "draft_passed": 1, "final_passed": 2,
                               "verified": True}
    assert metas[red.pk] == {"tests_total": 2, "draft_passed": 1, "final_passed": 1,
                             "verified": False}
    verified = export(team.lead, team.project, format=fmt, verified="1")
    assert {r["meta"]["task_id"] for r in verified} == {fixed.pk}
