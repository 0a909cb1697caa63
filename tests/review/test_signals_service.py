"""One service stores signals, after the submitting transaction commits; no GET ever writes."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.review.metrics import UNSTORED, metrics_of, store_signals, store_signals_on_commit
from oversight.review.models import TaskSignals
from oversight.traces import services
from oversight.traces.models import Submission
from tests.factories import add_edits, api_client, make_task
from tests.review.test_review_pages import client_for
from tests.review.traces import careful_work, pasted_work

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def worked(team):
    careful_work(team.task1, team.writer1)
    pasted_work(team.task2, team.writer2)
    return team


def get_pages(team) -> list[str]:
    slug, one, two = team.project.slug, team.task1.pk, team.task2.pk
    return [reverse("review-index"), reverse("review-queue", args=[slug]),
            reverse("review-queue", args=[slug]) + "?sort=size&dir=desc&flag=paste_heavy",
            reverse("review-player", args=[one]), reverse("review-player", args=[two]),
            reverse("review-writers", args=[slug]),
            f"/api/tasks/{one}/metrics/", f"/api/tasks/{two}/trajectory/",
            f"/api/tasks/{two}/diff/", f"/api/export/?project={slug}"]


def writes_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["never stored", "stale", "fresh"])
def test_no_get_page_or_api_writes_anything(worked, state):
    if state != "never stored":
        store_signals(worked.task1)
        store_signals(worked.task2)
    if state == "stale":  # a threshold change leaves every stored row out of date
        worked.project.signal_thresholds = {"paste_heavy_share": 0.99}
        worked.project.save()
    before = list(TaskSignals.objects.order_by("task_id").values_list("task_id", "key"))
    client = client_for(worked.lead)
    client.get(reverse("review-index"))  # the session's first request may save it
    for url in get_pages(worked):
        assert writes_of(client, url) == [], url
    assert list(TaskSignals.objects.order_by("task_id")
                .values_list("task_id", "key")) == before


@pytest.mark.django_db
def test_a_stale_store_is_read_as_fresh_values_computed_on_read(worked):
    stored = store_signals(worked.task2)
    assert "paste_heavy" in stored["flags"]
    worked.project.signal_thresholds = {"paste_heavy_share": 1.0}
    worked.project.save()
    client = client_for(worked.lead)
    shown = client.get(f"/api/tasks/{worked.task2.pk}/metrics/").json()
    assert "paste_heavy" not in shown["flags"]
    assert "paste_heavy" in TaskSignals.objects.get(task=worked.task2).metrics["flags"]


@pytest.mark.django_db
def test_submit_stores_the_signals_only_after_its_transaction_commits(
        team, django_capture_on_commit_callbacks):
    task = make_task(team.project, draft_text="Draft.", assignees=[team.writer1])
    add_edits(task, team.writer1, "Draft. More.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client(team.writer1).post(f"/api/tasks/{task.pk}/submit/")
        assert response.status_code == 201, response.content
        # Not yet committed: only the queue row the submission made, its signals unstored.
        row = TaskSignals.objects.get(task=task)
        assert (row.key, row.metrics, row.flag_count) == (UNSTORED, {}, 0)
        assert row.writer == team.writer1 and row.submission.task == task
    assert len(callbacks) >= 1
    assert TaskSignals.objects.get(task=task).metrics == metrics_of(task)


@pytest.mark.django_db
def test_a_rolled_back_submission_stores_no_signals(team, django_capture_on_commit_callbacks):
    task = make_task(team.project, draft_text="Draft.", assignees=[team.writer1])
    add_edits(task, team.writer1, "Draft. More.")

    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Undo), transaction.atomic():
            services.task_submit(task=task, user=team.writer1,
                                 on_submitted=lambda locked, _: store_signals_on_commit(locked))
            raise Undo
    assert callbacks == []
    assert not Submission.objects.filter(task=task).exists()
    assert not TaskSignals.objects.exists()


@pytest.mark.django_db
def test_a_threshold_change_queues_the_job_that_refreshes_the_store(worked):
    from oversight.jobs import run_pending_jobs
    from oversight.review.thresholds import thresholds_update

    store_signals(worked.task2)
    old = TaskSignals.objects.get(task=worked.task2).key
    thresholds_update(project=worked.project, user=worked.lead,
                      values={"paste_heavy_share": 1.0})
    assert TaskSignals.objects.get(task=worked.task2).key == old  # nothing yet
    assert run_pending_jobs() >= 1
    refreshed = TaskSignals.objects.get(task=worked.task2)
    assert refreshed.key != old and "paste_heavy" not in refreshed.metrics["flags"]
    assert TaskSignals.objects.filter(task=worked.task1).exists()  # every submitted task
