"""Riskiest first against the writer's own history: an outlier session ranks first, says why,
and the history costs the same queries however many rows the queue has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.review.metrics import store_signals
from oversight.review.selectors import queue_rows
from oversight.review.trust import with_risk
from oversight.workspace import status as task_status
from tests.api.export_factories import DRAFT, make_trajectory, typing

WORDS = "and this is typed with care, key by key"


def session(team, writer, gap_ms: int):
    texts = [DRAFT, *typing(DRAFT, len(DRAFT), " " + WORDS)]
    task = make_trajectory(team.project, writer, team.reviewer, status=task_status.SUBMITTED,
                           texts=texts, gap_ms=gap_ms, note=False)
    store_signals(task)  # as the submission does once it commits: the history reads them
    return task


def test_a_session_far_faster_than_the_writers_usual_ranks_first_and_says_why(team):
    usual = [session(team, team.writer1, gap) for gap in (190, 210, 200, 185, 215, 205)]
    others = [session(team, team.writer2, 70) for _ in range(3)]  # writer2 is always fast
    odd = session(team, team.writer1, 60)
    rows = queue_rows(team.project, sort="risk", descending=True)
    assert rows[0]["task"].pk == odd.pk
    reasons = rows[0]["risk_why"]
    assert any(r.startswith("typing 3.4× faster than this writer's usual over 6 submissions")
               for r in reasons), reasons
    assert not rows[0]["flags"]  # no flag: the writer's own history is what stands out
    # writer2's fast typing is their habit, not an outlier; the writer's early sessions
    # have too little history before them to judge.
    for row in rows[1:]:
        assert not any("this writer's usual" in r for r in row["risk_why"]), row["risk_why"]
    assert {r["task"].pk for r in rows} == {t.pk for t in [*usual, *others, odd]}


def test_the_history_is_one_query_whatever_the_number_of_rows(team):
    for gap in (190, 210, 200, 185, 215, 205, 60, 199):
        session(team, team.writer1, gap)
    rows = queue_rows(team.project)

    def queries(some: list[dict]) -> int:
        with CaptureQueriesContext(connection) as captured:
            with_risk(team.project, [dict(r) for r in some])
        return len(captured.captured_queries)

    assert queries(rows[:2]) == queries(rows)
