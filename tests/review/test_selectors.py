"""Reads for review: the queue, cached signals, per-writer aggregates and their plots."""

import datetime as dt

import pytest

from oversight.review import plots, selectors, stats
from oversight.review.metrics import metrics_of, store_signals
from oversight.review.models import Review, TaskSignals
from oversight.review.services import review_submit
from oversight.review.writer_summary import refresh_project
from oversight.workspace import status as task_status
from oversight.workspace.models import Membership
from tests.factories import add_member, make_task, make_user
from tests.review.traces import careful_work, pasted_work

ALL_FIVES = {"serves-the-need": 5, "no-extras": 5, "factual": 5}
ALL_TWOS = {"serves-the-need": 2, "no-extras": 2, "factual": 2}


@pytest.fixture
def worked(team):
    """writer1 typed carefully with a note; writer2 pasted a block without one."""
    careful_work(team.task1, team.writer1)
    pasted_work(team.task2, team.writer2)
    return team


def test_the_queue_lists_submitted_tasks_with_writer_size_and_flags(worked):
    rows = selectors.queue_rows(worked.project)
    by_writer = {row["writer"]: row for row in rows}
    assert set(by_writer) == {worked.writer1.username, worked.writer2.username}
    careful, pasted = by_writer[worked.writer1.username], by_writer[worked.writer2.username]
    assert careful["size"] == 49 and careful["flags"] == []
    assert careful["metrics"]["notes"] == 1
    assert set(pasted["flags"]) >= {"paste_heavy", "burst_only"}
    assert pasted["metrics"]["paste_share"] == 1.0


def test_tasks_never_submitted_stay_out_of_the_queue(worked):
    make_task(worked.project, assignees=[worked.writer1])
    assert len(selectors.queue_rows(worked.project, status="all")) == 2


def test_the_queue_filters_by_writer_status_and_flag(worked):
    only = selectors.queue_rows(worked.project, writer=worked.writer2.username)
    assert [r["task"] for r in only] == [worked.task2]
    flagged = selectors.queue_rows(worked.project, flag="paste_heavy")
    assert [r["task"] for r in flagged] == [worked.task2]
    review_submit(task=worked.task1, reviewer=worked.lead, verdict="approve", scores=ALL_FIVES)
    assert [r["task"] for r in selectors.queue_rows(worked.project)] == [worked.task2]
    approved = selectors.queue_rows(worked.project, status=task_status.APPROVED)
    assert [r["task"] for r in approved] == [worked.task1]
    assert approved[0]["verdict"].verdict == Review.APPROVE
    assert len(selectors.queue_rows(worked.project, status="all")) == 2


@pytest.mark.parametrize("sort", sorted(selectors.SORTS))
def test_the_queue_sorts_by_every_column_both_ways(worked, sort):
    up = selectors.queue_rows(worked.project, sort=sort)
    down = selectors.queue_rows(worked.project, sort=sort, descending=True)
    assert len(up) == len(down) == 2
    key = selectors.SORTS[sort]
    values = [key(r) for r in up if key(r) is not None]
    assert values == sorted(values)


def test_the_queue_sorts_by_size(worked):
    rows = selectors.queue_rows(worked.project, sort="size", descending=True)
    assert [r["task"] for r in rows] == [worked.task2, worked.task1]  # 112 pasted > 49 typed


def test_signals_are_stored_by_the_service_and_read_without_writing(worked):
    first = store_signals(worked.task2)
    stored = TaskSignals.objects.get(task=worked.task2)
    assert stored.metrics == first and "paste_heavy" in first["flags"]
    assert metrics_of(worked.task2) == first  # served from the store
    worked.project.signal_thresholds = {"paste_heavy_share": 1.0}
    worked.project.save()
    assert "paste_heavy" not in metrics_of(worked.task2)["flags"]  # computed on read…
    assert TaskSignals.objects.get(task=worked.task2).key == stored.key  # …not stored
    store_signals(worked.task2)
    assert TaskSignals.objects.get(task=worked.task2).key != stored.key


def test_stored_signals_match_the_trajectory_record(worked):
    from oversight.api.records import trajectory_record

    assert metrics_of(worked.task1) == trajectory_record(worked.task1)["metrics"]


def test_overseen_projects_list_only_projects_one_reviews(worked):
    assert [r["project"] for r in selectors.overseen_projects(worked.reviewer)] == [worked.project]
    assert selectors.overseen_projects(worked.reviewer)[0]["waiting"] == 2
    assert selectors.overseen_projects(worked.writer1) == []


def test_writer_stats_aggregate_approval_signals_rubric_and_flags(worked):
    review_submit(task=worked.task1, reviewer=worked.lead, verdict="approve", scores=ALL_FIVES)
    review_submit(task=worked.task2, reviewer=worked.lead, verdict="reject", scores=ALL_TWOS,
                  comment="Pasted.")
    today = dt.datetime.now(dt.UTC).date()
    rows = {row["writer"]: row for row in stats.writer_stats(worked.project, today=today)}
    careful, pasted = rows[worked.writer1.username], rows[worked.writer2.username]
    assert careful["approval_rate"] == 1.0 and pasted["approval_rate"] == 0.0
    assert careful["rubric"] == {"serves-the-need": 5, "no-extras": 5, "factual": 5}
    assert pasted["rubric"]["factual"] == 2
    assert pasted["medians"]["paste_share"] == 1.0
    assert careful["medians"]["active_seconds"] > 60
    assert pasted["flagged_share"] == 1.0 and careful["flagged_share"] == 0.0
    assert pasted["flag_counts"]["paste_heavy"] == 1
    assert len(pasted["weeks"]) == stats.WEEKS_SHOWN
    this_week = stats.week_of(worked.task2.submissions.get().submitted_at)
    assert pasted["weeks"][-1] == {"week": this_week, "tasks": 1, "flagged": 1}
    # The most flagged writer comes first: a lead sees them at a glance.
    assert [r["writer"] for r in stats.writer_stats(worked.project)][0] == worked.writer2.username


def test_a_review_counts_for_the_writer_who_submitted_that_round(worked):
    helper = make_user()
    add_member(helper, worked.project, Membership.WRITER)
    worked.task1.assignees.add(helper)
    review_submit(task=worked.task1, reviewer=worked.lead, verdict="approve", scores=ALL_FIVES)
    rows = {row["writer"]: row for row in stats.writer_stats(worked.project)}
    assert helper.username not in rows
    assert rows[worked.writer1.username]["reviews"] == 1


def test_flags_over_time_fall_into_their_weeks(worked):
    from oversight.traces.models import Submission

    old = dt.datetime(2026, 1, 7, 12, tzinfo=dt.UTC)  # a Wednesday
    Submission.objects.filter(task=worked.task2).update(submitted_at=old)
    refresh_project(worked.project)  # written behind the services' backs
    rows = {r["writer"]: r for r in stats.writer_stats(worked.project, today=dt.date(2026, 1, 20))}
    weeks = rows[worked.writer2.username]["weeks"]
    assert weeks[-1]["week"] == dt.date(2026, 1, 19)
    assert weeks[-3] == {"week": dt.date(2026, 1, 5), "tasks": 1, "flagged": 1}
    assert sum(w["tasks"] for w in weeks) == 1


def test_an_empty_project_has_no_writer_rows(team):
    assert stats.writer_stats(team.project) == []


def test_plots_are_svg_with_escaped_labels():
    chart = plots.bar_chart([("<script>", 0.5), ("b", None)], title="T & co")
    assert chart.startswith("<svg") and "<script>" not in chart and "&lt;script&gt;" in chart
    assert "T &amp; co" in chart and "n/a" in chart
    assert 'width="60.0"' in plots.ratio_bar(0.5)
    assert "3.0" in plots.score_bars({"factual": 3.0}, {"factual": "Factual"})
    weekly = plots.weekly_flags([{"week": dt.date(2026, 1, 5), "tasks": 2, "flagged": 1}])
    assert "2 submitted, 1 flagged" in weekly
