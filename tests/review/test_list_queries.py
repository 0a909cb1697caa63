"""The list pages run a fixed number of SQL queries, however many tasks they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.review.metrics import store_signals
from oversight.review.models import Claim, Review
from oversight.review.writer_summary import refresh_project
from oversight.workspace.models import Membership
from tests.factories import add_member, make_project, make_task, make_user
from tests.review.traces import Recorder, submit

pytestmark = pytest.mark.django_db


def _project(tasks: int):
    project = make_project(rubric=[{"key": "accuracy", "name": "Accuracy", "question": "?"}])
    lead = make_user()
    add_member(lead, project, Membership.LEAD)
    writers = [make_user() for _ in range(tasks)]  # as many writers as tasks: 5 vs 50
    for w in writers:
        add_member(w, project, Membership.WRITER)
    for i in range(tasks):
        writer = writers[i]
        task = make_task(project, assignees=[writer])
        Recorder(task).type(writer, " more", after_ms=400)
        submit(task, writer)
        store_signals(task)  # as the submission does once it commits: pages read them
        if i % 2:
            Review.objects.create(task=task, reviewer=lead, round=1, verdict=Review.APPROVE,
                                  scores={"accuracy": 4})
        if i % 3 == 0:
            Claim.objects.create(task=task, reviewer=lead)
    refresh_project(project)  # the reviews above were written behind review_submit's back
    return project, lead


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = ["/review/{slug}/", "/review/{slug}/?sort=risk&dir=desc", "/review/{slug}/?status=all",
         "/review/{slug}/?flag=no_reasoning", "/review/{slug}/writers/",
         "/review/{slug}/writers/?sort=trust", "/", "/api/tasks/?project={slug}"]


@pytest.mark.parametrize("page", PAGES)
def test_list_pages_query_a_bounded_number_of_times(client, page):
    counts = []
    for size in (5, 50):
        project, lead = _project(size)
        client.force_login(lead)
        url = page.format(slug=project.slug)
        _queries(client, url)  # warm the caches of a first visit (GETs store nothing)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries at 5 tasks, {counts[1]} at 50"


MORE_PAGES = ["/?project={slug}&page=2", "/api/tasks/?project={slug}&status=submitted",
              "/api/tasks/?status=approved&project={slug}", "/review/{slug}/writers/?page=2",
              "/review/{slug}/writers/?sort=trust&page=1"]


def test_later_pages_and_filters_query_a_bounded_number_of_times(client):
    counts: dict[str, list[int]] = {url: [] for url in MORE_PAGES}
    for size in (5, 50):
        project, lead = _project(size)
        client.force_login(lead)
        for page in MORE_PAGES:
            url = page.format(slug=project.slug)
            _queries(client, url)
            counts[page].append(_queries(client, url))
    assert all(a == b for a, b in counts.values()), counts


def _writer_with(tasks: int):
    project = make_project(rubric=[{"key": "accuracy", "name": "Accuracy", "question": "?"}])
    lead, writer = make_user(), make_user()
    add_member(lead, project, Membership.LEAD)
    add_member(writer, project, Membership.WRITER)
    for i in range(tasks):
        task = make_task(project, assignees=[writer])
        if i % 2:
            Recorder(task).type(writer, " more", after_ms=400)
            submit(task, writer)
            Review.objects.create(task=task, reviewer=lead, round=1, verdict=Review.APPROVE,
                                  scores={"accuracy": 4})
    return project, writer


@pytest.mark.parametrize("page", ["/", "/api/tasks/?project={slug}&status=submitted",
                                  "/api/tasks/?assigned=me"])
def test_a_writer_s_lists_query_a_bounded_number_of_times(client, page):
    """A writer's home page shows each task's latest verdict: one query for the table."""
    counts = []
    for size in (5, 50):
        project, writer = _writer_with(size)
        client.force_login(writer)
        url = page.format(slug=project.slug)
        _queries(client, url)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries at 5 tasks, {counts[1]} at 50"
