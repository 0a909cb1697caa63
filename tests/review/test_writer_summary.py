"""The writers' dashboard from per-writer summaries gives the figures its former Python
computation gave (kept here as the oracle: every submitted task loaded and aggregated)."""

import datetime as dt
from collections import defaultdict
from statistics import mean

import pytest
from django.core.management import call_command

from oversight.core.risk import writer_trust
from oversight.review import stats
from oversight.review.metrics import metrics_for, store_signals
from oversight.review.models import Review, WriterSummary
from oversight.review.selectors import lean_submitted_tasks
from oversight.review.services import review_submit
from oversight.review.trust import writers_catches, writers_trust
from oversight.review.writer_summary import _median, refresh_project, week_of
from oversight.traces.models import Submission
from oversight.workspace.models import Membership
from tests.factories import add_member, make_project, make_task, make_user
from tests.review.traces import Recorder, careful_work, pasted_work, submit

pytestmark = pytest.mark.django_db

RUBRIC = [{"key": "accuracy", "name": "Accuracy", "question": "?"},
          {"key": "clarity", "name": "Clarity", "question": "?"}]
TODAY = dt.date(2026, 3, 4)


# -- the oracle: the dashboard's computation before the summaries ----------------------


def _oracle_verdicts(project):
    writers = {(t, r): u for t, r, u in Submission.objects.filter(task__project=project)
               .values_list("task_id", "round", "submitted_by__username")}
    out = defaultdict(list)
    for review in Review.objects.filter(task__project=project).order_by("created_at", "id"):
        if (review.task_id, review.round) in writers:
            out[writers[(review.task_id, review.round)]].append(review)
    return out


def _oracle_trust(verdicts, catches, before):
    kept = [r.verdict == Review.APPROVE for r in verdicts if r.created_at < before]
    gold = [(c, m) for at, c, m in catches if at < before]
    return writer_trust(sum(kept), len(kept) - sum(kept),
                        sum(c for c, _ in gold), sum(m for _, m in gold))


def oracle(project, today):
    tasks = lean_submitted_tasks(project)
    metrics = metrics_for(tasks)
    reviews = _oracle_verdicts(project)
    # The queue's reader adds each writer's `user_id` (for its join); the dashboard's figures
    # are the estimate alone, as the former computation gave it.
    trust = {w: {k: v for k, v in t.items() if k != "user_id"}
             for w, t in writers_trust(project).items()}
    catches = writers_catches(project)
    monday = today - dt.timedelta(days=today.weekday())
    weeks = [monday - dt.timedelta(weeks=11 - i) for i in range(12)]
    ends = [dt.datetime.combine(w + dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)
            for w in weeks]
    by_writer = defaultdict(list)
    for task in tasks:
        by_writer[task.submitted_by].append(task)
    rows = []
    for writer in sorted(set(by_writer) | set(reviews)):
        own, own_reviews = by_writer.get(writer, []), reviews.get(writer, [])
        signals = [metrics[t.pk] for t in own]
        flag_counts = defaultdict(int)
        for s in signals:
            for flag in s.get("flags", []):
                flag_counts[flag] += 1
        approved = sum(r.verdict == Review.APPROVE for r in own_reviews)
        flagged = sum(bool(s.get("flags")) for s in signals)
        counts = {w: {"week": w, "tasks": 0, "flagged": 0} for w in weeks}
        for task in own:
            bucket = counts.get(week_of(task.submitted_at))
            if bucket is not None:
                bucket["tasks"] += 1
                bucket["flagged"] += bool(metrics[task.pk].get("flags"))
        rows.append({
            "writer": writer, "tasks": len(own), "reviews": len(own_reviews),
            "approved": approved,
            "approval_rate": approved / len(own_reviews) if own_reviews else None,
            "trust": trust.get(writer),
            "trust_weeks": ([_oracle_trust(own_reviews, catches.get(writer, []), end)
                             for end in ends] if own_reviews or writer in catches else []),
            "medians": {n: _median([s.get(n) for s in signals]) for n in stats.MEDIAN_SIGNALS},
            "rubric": {k: (mean(r.scores[k] for r in own_reviews if k in r.scores)
                           if any(k in r.scores for r in own_reviews) else None)
                       for k in project.principle_keys()},
            "flag_counts": dict(sorted(flag_counts.items())),
            "flagged": flagged, "flagged_share": flagged / len(own) if own else None,
            "weeks": [counts[w] for w in weeks],
        })
    return sorted(rows, key=lambda r: (-(r["flagged_share"] or 0), r["writer"]))


# -- a project worked the way the services work it ------------------------------------


def _at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC) - dt.timedelta(days=days_ago)


@pytest.fixture
def worked():
    project = make_project(rubric=RUBRIC)
    lead, writers = make_user(), [make_user() for _ in range(4)]
    add_member(lead, project, Membership.LEAD)
    for w in writers:
        add_member(w, project, Membership.WRITER)
    tasks = []
    for i in range(9):
        writer = writers[i % 3]
        task = make_task(project, assignees=[writer, writers[3]])
        (pasted_work if i % 2 else careful_work)(task, writer)
        Submission.objects.filter(task=task).update(submitted_at=_at(9 * i))  # over 10 weeks
        store_signals(task)  # as the submission does once it commits
        tasks.append(task)
    scores = [{"accuracy": 5, "clarity": 4}, {"accuracy": 2, "clarity": 2},
              {"accuracy": 3, "clarity": 1}]
    for i, task in enumerate(tasks[:7]):
        verdict = ["approve", "reject", "request_changes"][i % 3]
        review_submit(task=task, reviewer=lead, verdict=verdict, scores=scores[i % 3],
                      comment="Why?")
        Review.objects.filter(task=task).update(created_at=_at(9 * i - 3))
    # Round 2 of a sent-back task by its other assignee: the task moves to them, the
    # verdict on round 1 stays with its writer.
    task = tasks[2]
    task.refresh_from_db()
    Recorder(task).type(writers[3], " fixed", after_ms=300)
    submit(task, writers[3])
    store_signals(task)
    review_submit(task=task, reviewer=lead, verdict="approve",
                  scores={"accuracy": 4, "clarity": 4})
    refresh_project(project)  # the back-dating above went behind the services' backs
    # A principle added later: nobody has a score on it yet.
    project.rubric = [*RUBRIC, {"key": "tone", "name": "Tone", "question": "?"}]
    project.save(update_fields=["rubric"])
    return project, lead, writers


def test_the_dashboard_gives_the_former_computation_s_figures(worked):
    project, _, writers = worked
    expected = oracle(project, TODAY)
    assert stats.writer_stats(project, today=TODAY) == expected
    by_writer = {r["writer"]: r for r in expected}
    assert set(by_writer) == {w.username for w in writers}
    assert any(r["flag_counts"] for r in expected) and any(r["trust_weeks"] for r in expected)
    moved, sent_back = by_writer[writers[3].username], by_writer[writers[2].username]
    assert (moved["tasks"], moved["reviews"], moved["approved"]) == (1, 1, 1)
    assert (sent_back["tasks"], sent_back["reviews"]) == (2, 2)
    assert sum(w["tasks"] for w in sent_back["weeks"]) == 2  # within the 12 weeks shown
    assert all(r["rubric"]["tone"] is None for r in expected)


def test_pages_and_the_trust_order_slice_the_same_rows(worked):
    project, _, _ = worked
    expected = oracle(project, TODAY)
    rows, total = stats.writer_page(project, offset=1, limit=2, today=TODAY)
    assert (rows, total) == (expected[1:3], len(expected))
    expected.sort(key=lambda r: -(r["trust"]["mean"] if r["trust"] else -1))
    rows, _ = stats.writer_page(project, sort="trust", today=TODAY)
    assert rows == expected


def test_the_services_keep_the_summaries_without_a_refresh(worked):
    """Each verdict and each stored signal recomputes its writers: a full refresh after
    them changes nothing."""
    project, lead, writers = worked
    task = make_task(project, assignees=[writers[0]])
    pasted_work(task, writers[0])
    store_signals(task)
    review_submit(task=task, reviewer=lead, verdict="approve",
                  scores={"accuracy": 1, "clarity": 2, "tone": 3})
    before = stats.writer_stats(project)
    refresh_project(project)
    assert stats.writer_stats(project) == before == oracle(project, dt.date.today())


def test_a_writer_with_nothing_left_has_no_summary(worked):
    project, _, writers = worked
    Submission.objects.filter(task__project=project, submitted_by=writers[1]).delete()
    Review.objects.filter(task__project=project).delete()
    refresh_project(project)
    assert not WriterSummary.objects.filter(project=project, writer=writers[1]).exists()
    assert stats.writer_stats(project, today=TODAY) == oracle(project, TODAY)


def test_the_command_recomputes_every_project(worked, capsys):
    project, _, _ = worked
    expected = stats.writer_stats(project, today=TODAY)
    WriterSummary.objects.filter(project=project).delete()
    assert stats.writer_stats(project, today=TODAY) == []
    call_command("refresh_writer_summaries", "--project", project.slug)
    assert "Summarised 4 writers in 1 projects." in capsys.readouterr().out
    assert stats.writer_stats(project, today=TODAY) == expected


def test_the_dashboard_page_shows_its_slice_with_links(worked, client, monkeypatch):
    project, lead, _ = worked
    monkeypatch.setattr(stats, "PER_PAGE", 3)
    client.force_login(lead)
    url = f"/review/{project.slug}/writers/"
    expected = [r["writer"] for r in oracle(project, dt.date.today())]
    first = client.get(url, {"sort": "flagged"})
    assert [r["writer"] for r in first.context["rows"]] == expected[:3]
    html = first.content.decode()
    assert "Writers 1–3 of 4 · page 1 of 2" in html and 'href="?sort=flagged&amp;page=2"' in html
    second = client.get(url, {"page": "2"})
    assert [r["writer"] for r in second.context["rows"]] == expected[3:]
    assert "Next →" not in second.content.decode()
    assert [r["writer"] for r in client.get(url, {"page": "x"}).context["rows"]] == expected[:3]
    assert [r["writer"] for r in client.get(url, {"page": "9"}).context["rows"]] == expected[3:]
