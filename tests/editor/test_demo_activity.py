"""seed_demo records realistic work through the real room: every page has content."""

import io
import statistics

import pytest
from django.core.management import call_command

from oversight.overlap.models import Ranking
from oversight.review.models import Review
from oversight.review.selectors import queue_rows
from oversight.traces.models import EditEvent, Note, Submission
from oversight.workspace.models import Project, Task

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_records_the_scenario_and_runs_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo activity recorded" in out.getvalue()
    status = dict(Task.objects.values_list("external_id", "status"))
    assert status["explain-sky-blue"] == "approved"
    assert status["explain-vaccines"] == "submitted"
    assert Task.objects.get(external_id="explain-vaccines").round == 2
    assert status["explain-stale-bread"] == "in_progress"
    assert status["explain-credit-score"] == "open"  # some work is still waiting
    approved = Review.objects.get(task__external_id="explain-sky-blue")
    assert approved.verdict == "approve" and set(approved.scores.values()) <= {4, 5}
    assert approved.scores.keys() == set(Project.objects.get(slug="explain").principle_keys())
    sent_back = Review.objects.get(task__external_id="explain-vaccines")
    assert (sent_back.verdict, sent_back.round) == ("request_changes", 1)
    assert Submission.objects.filter(task__external_id="explain-vaccines").count() == 2
    assert Note.objects.filter(task__external_id="explain-vaccines").count() == 2
    # Both writers, both projects.
    authors = set(EditEvent.objects.values_list("author__username", "task__project__slug"))
    assert {("writer1", "explain"), ("writer2", "explain"), ("writer1", "pyfuncs")} <= authors

    # The queue tells the planted ones apart.
    flags = {r["task"].external_id: r["flags"]
             for r in queue_rows(Project.objects.get(slug="explain"), status="all")}
    assert "paste_heavy" in flags["explain-compound-interest"]
    assert "rubber_stamp" in flags["explain-seasons"]
    assert "paste_heavy" not in flags["explain-sky-blue"]
    assert "rubber_stamp" not in flags["explain-sky-blue"]

    # A human rhythm: keystrokes a fraction of a second apart, with longer pauses.
    typed = list(EditEvent.objects.filter(task__external_id="explain-sky-blue")
                 .order_by("seq").values_list("server_ms", flat=True))
    gaps = [b - a for a, b in zip(typed, typed[1:], strict=False)]
    assert 60 <= statistics.median(gaps) <= 600
    assert max(gaps) > 30_000  # thinking between changes
    assert (typed[-1] - typed[0]) > 4 * 60_000  # a sitting, not a burst
    assert EditEvent.objects.filter(kind="delete.backward").exists()  # typos fixed

    # The overlap group: three finals, each reviewed, and ranked (writer1 best, two tied).
    siblings = list(Task.objects.filter(group__external_id="explain-rainbow").order_by("id"))
    assert [t.status for t in siblings] == ["approved"] * 3
    assert len({s.text for s in Submission.objects.filter(task__in=siblings)}) == 3
    ranking = Ranking.objects.get(group=siblings[0].group)
    assert ranking.tiers == [[siblings[0].pk], [siblings[1].pk, siblings[2].pk]]

    before = EditEvent.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already recorded" in out.getvalue() and EditEvent.objects.count() == before


def test_no_activity_keeps_the_empty_start():
    call_command("seed_demo", "--no-activity", stdout=io.StringIO())
    assert not EditEvent.objects.exists() and not Submission.objects.exists()
    assert set(Task.objects.values_list("status", flat=True)) == {"open"}


def test_the_demo_gold_task_shows_one_of_two_flaws_caught():
    from oversight.review.trust import writers_trust

    call_command("seed_demo", stdout=io.StringIO())
    project = Project.objects.get(slug="explain")
    tides = Task.objects.get(external_id="explain-tides")
    assert tides.gold_flaws.count() == 2 and tides.status == "submitted"
    assert tides.gold_outcomes.count() == 1  # recorded after the submission, as the API does
    assert "gold" not in Task.objects.get(pk=tides.pk).metadata  # nothing a writer reads
    trust = writers_trust(project)["writer2"]
    assert (trust["caught"], trust["flaws"]) == (1, 2)
    # The writers' dashboard has the demo's writers, its summaries recomputed by the seed.
    from oversight.review.stats import writer_stats

    dashboard = {r["writer"]: r for r in writer_stats(project)}
    assert dashboard["writer2"]["trust"]["caught"] == 1 and dashboard["writer1"]["tasks"]
    row = next(r for r in queue_rows(project) if r["task"].pk == tides.pk)
    # An honest session: the demo's queue flags only planted problems.
    assert row["flags"] == [] and row["task"].is_gold
