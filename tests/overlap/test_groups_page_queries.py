"""The groups page and the dashboard's overlap card: a fixed number of queries however many
groups, and the page's table paginated (the project's figures still pool every group)."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.overlap.models import Ranking
from oversight.overlap.selectors import project_overlap
from oversight.overlap.views import GROUPS_PER_PAGE
from oversight.review.models import Review
from oversight.traces.models import Submission
from oversight.verifiers.models import VerifierRun
from oversight.workspace.models import OverlapGroup
from tests.factories import make_task

SPEC = {"language": "python", "tests": "def test_one(): pass\n"}


def make_groups(team, count: int, start: int = 0) -> None:
    """`count` groups of two siblings, both submitted and scored, one ranking each, and a
    finished test run on every final (the sibling tasks carry a verifier)."""
    for number in range(start, start + count):
        group = OverlapGroup.objects.create(project=team.project, external_id=f"g{number}")
        siblings = []
        for k, writer in enumerate((team.writer1, team.writer2), start=1):
            task = make_task(team.project, draft_text="Draft.", assignees=[writer],
                             external_id=f"g{number}/{k}", group=group, verifier=SPEC)
            text = f"Final {number} by {k}."
            sha = hashlib.sha256(text.encode()).hexdigest()
            Submission.objects.create(task=task, round=1, text=text, sha256=sha,
                                      submitted_by=writer, events=0)
            Review.objects.create(task=task, reviewer=team.reviewer, round=1,
                                  verdict=Review.APPROVE, scores={"a": k, "b": 3})
            VerifierRun.objects.create(task=task, seq=0, sha256=sha, text=text, spec=SPEC,
                                       status="passed", total=1, passed=1,
                                       tests=[{"name": "test_one", "outcome": "passed"}])
            siblings.append(task.pk)
        Ranking.objects.create(group=group, reviewer=team.reviewer, tiers=[siblings],
                               reason="tied")


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_the_projects_figures_take_the_same_queries_for_5_and_50_groups(team):
    make_groups(team, 5)
    few = queries(lambda: project_overlap(team.project))
    figures = project_overlap(team.project)
    assert figures["count"] == 5 and figures["complete"] == 5
    row = figures["groups"][0]["figures"]
    assert row["rankings"] == 1 and row["tests"]["pairs"][0]["agreement"] == 1.0
    assert row["reviewed"] == 2 and row["rubric"]["scores"] == 4
    make_groups(team, 45, start=5)
    assert queries(lambda: project_overlap(team.project)) == few
    assert project_overlap(team.project)["count"] == 50


@pytest.mark.parametrize("page", ["1", "2"])
def test_the_groups_page_takes_the_same_queries_for_5_and_50_groups(team, client, page):
    client.force_login(team.reviewer)
    url = reverse("overlap-groups", args=[team.project.slug]) + f"?page={page}"
    make_groups(team, 5)
    few = queries(lambda: client.get(url))
    make_groups(team, 45, start=5)
    assert queries(lambda: client.get(url)) == few


def test_the_groups_table_is_paginated_newest_first(team, client):
    make_groups(team, GROUPS_PER_PAGE + 3)
    client.force_login(team.reviewer)
    url = reverse("overlap-groups", args=[team.project.slug])
    first = client.get(url).content.decode()
    assert first.count("<tr data-group=") == GROUPS_PER_PAGE
    newest, oldest = f"g{GROUPS_PER_PAGE + 2}", "g0"
    assert f">{newest}</a>" in first and f">{oldest}</a>" not in first
    assert 'data-testid="groups-pager"' in first and 'rel="next"' in first
    assert f"of {GROUPS_PER_PAGE + 3}" in first
    second = client.get(url + "?page=2").content.decode()
    assert second.count("<tr data-group=") == 3 and f">{oldest}</a>" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # The project's figures pool every group on every page.
    assert f"<dt>Groups</dt><dd>{GROUPS_PER_PAGE + 3} " in first
    assert f"<dt>Groups</dt><dd>{GROUPS_PER_PAGE + 3} " in second
    # A page out of range shows the last one, not an error.
    assert client.get(url + "?page=99").content.decode().count("<tr data-group=") == 3


def test_a_few_groups_need_no_pager(team, client):
    make_groups(team, 2)
    client.force_login(team.reviewer)
    page = client.get(reverse("overlap-groups", args=[team.project.slug])).content.decode()
    assert page.count("<tr data-group=") == 2 and 'data-testid="groups-pager"' not in page
