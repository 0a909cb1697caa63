"""GET /api/export/ filters: projects, status, review window, writer, rubric, flags, round, task."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from oversight.api import export_request
from oversight.workspace import status as task_status
from oversight.workspace.models import Membership
from tests.api.export_factories import (
    DRAFT,
    make_trajectory,
    read_body,
    read_jsonl,
    review,
    typing,
)
from tests.factories import add_member, api_client, make_project

URL = reverse("export")


def exported_ids(user, **params) -> list[int]:
    response = api_client(user).get(URL, params)
    assert response.status_code == 200, response.content
    return [r["task_id"] for r in read_jsonl(read_body(response))]


def refused(user, **params) -> dict:
    response = api_client(user).get(URL, params)
    assert response.status_code == 400, response.status_code
    return response.json()["error"]


@pytest.fixture
def tasks(team):
    """Tasks in every status, by both writers, with different scores."""
    make = make_trajectory
    return {
        "approved": make(team.project, team.writer1, team.reviewer),
        "approved_low": make(team.project, team.writer2, team.reviewer,
                             scores={"serves-the-need": 3, "no-extras": 2, "factual": 4}),
        "two_rounds": make(team.project, team.writer2, team.reviewer, rounds=2),
        "submitted": make(team.project, team.writer1, team.reviewer,
                          status=task_status.SUBMITTED),
        "rejected": make(team.project, team.writer1, team.reviewer, status=task_status.REJECTED),
        "editing": make(team.project, team.writer1, team.reviewer,
                        status=task_status.IN_PROGRESS),
    }


def test_only_approved_tasks_by_default(team, tasks):
    expected = [tasks["approved"].pk, tasks["approved_low"].pk, tasks["two_rounds"].pk]
    assert exported_ids(team.lead) == expected


def test_status_takes_a_list_or_any(team, tasks):
    assert exported_ids(team.lead, status="submitted,rejected") == [tasks["submitted"].pk,
                                                                    tasks["rejected"].pk]
    assert exported_ids(team.lead, status="any") == sorted(
        [t.pk for t in tasks.values()] + [team.task1.pk, team.task2.pk])


def test_an_unknown_status_is_refused(team, tasks):
    error = refused(team.lead, status="approved,done")
    assert error["code"] == "invalid_parameter"
    assert error["message"] == export_request.BAD_STATUS.format(value="done")


def test_writer_is_the_submitter_of_the_exported_final(team, tasks):
    assert exported_ids(team.lead, writer=team.writer2.username) == [
        tasks["approved_low"].pk, tasks["two_rounds"].pk]
    assert exported_ids(team.lead, writer="nobody") == []


def test_min_rubric_average_reads_the_latest_review(team, tasks):
    # approved_low averages 3; two_rounds' first review (2) was followed by an approval (4.67).
    assert exported_ids(team.lead, min_rubric_average="4") == [tasks["approved"].pk,
                                                              tasks["two_rounds"].pk]
    assert exported_ids(team.lead, min_rubric_average="3") == [
        tasks["approved"].pk, tasks["approved_low"].pk, tasks["two_rounds"].pk]
    error = refused(team.lead, min_rubric_average="high")
    assert error["message"] == export_request.BAD_NUMBER.format(name="min_rubric_average",
                                                                value="high")


def test_reviewed_after_and_before_bound_the_latest_review(team):
    old = make_trajectory(team.project, team.writer1, team.reviewer)
    new = make_trajectory(team.project, team.writer1, team.reviewer)
    old.reviews.update(created_at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    new.reviews.update(created_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert exported_ids(team.lead, reviewed_after="2026-02-01") == [new.pk]
    assert exported_ids(team.lead, reviewed_before="2026-02-01") == [old.pk]
    # After is inclusive, before exclusive: consecutive windows never overlap.
    assert exported_ids(team.lead, reviewed_after="2026-03-01T09:00:00Z") == [new.pk]
    assert exported_ids(team.lead, reviewed_before="2026-03-01T09:00:00Z") == [old.pk]
    assert exported_ids(team.lead, reviewed_after="2026-01-10T13:00:00+01:00",
                        reviewed_before="2026-01-11") == [old.pk]
    error = refused(team.lead, reviewed_after="last week")
    assert error["message"] == export_request.BAD_DATETIME.format(name="reviewed_after",
                                                                  value="last week")


def test_an_unencoded_plus_in_a_zone_offset_is_read_as_plus(team):
    task = make_trajectory(team.project, team.writer1, team.reviewer)
    task.reviews.update(created_at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    query = "reviewed_after=2026-01-10T12:30:00+01:00"  # "+" arrives as a space
    response = api_client(team.lead).get(f"{URL}?{query}")
    assert [r["task_id"] for r in read_jsonl(read_body(response))] == [task.pk]


def test_any_offset_python_reads_is_one_postgresql_takes(team):
    # PostgreSQL refuses offsets beyond ±15:59 (Python reads up to ±23:59): the moment is
    # sent as UTC, so the export answers, and so does the next request (found by
    # schemathesis on PostgreSQL: the error came inside the streamed body).
    task = make_trajectory(team.project, team.writer1, team.reviewer)
    task.reviews.update(created_at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    assert exported_ids(team.lead, reviewed_after="2026-01-10T12:30:00-21:34") == []
    assert exported_ids(team.lead, reviewed_after="2026-01-09T12:30:00-21:34") == [task.pk]
    assert exported_ids(team.lead, reviewed_after="0411-12-19T12:04:43-21:34") == [task.pk]
    error = refused(team.lead, reviewed_after="0001-01-01T00:00:00+23:00")
    assert error["code"] == "invalid_parameter"


def test_exclude_flagged_drops_records_that_raise_a_flag(team):
    flagged = make_trajectory(team.project, team.writer1, team.reviewer)  # seconds of work
    texts = [DRAFT, *typing(DRAFT, len(DRAFT), " Rayleigh scattering explains it.")]
    clean = make_trajectory(team.project, team.writer1, team.reviewer, texts=texts,
                            gap_ms=5_000)
    records = read_jsonl(read_body(api_client(team.lead).get(URL)))
    flags = {r["task_id"]: r["metrics"]["flags"] for r in records}
    assert flags[flagged.pk] and flags[clean.pk] == []
    assert exported_ids(team.lead, exclude_flagged="1") == [clean.pk]
    assert refused(team.lead, exclude_flagged="maybe")["message"] == (
        export_request.BAD_FLAG.format(name="exclude_flagged", value="maybe"))


def test_round_exports_that_rounds_final_or_the_latest(team, tasks):
    response = api_client(team.lead).get(URL, {"round": "1"})
    records = read_jsonl(read_body(response))
    assert [r["final"]["round"] for r in records] == [1, 1, 1]
    assert exported_ids(team.lead, round="2") == [tasks["two_rounds"].pk]
    latest = read_jsonl(read_body(api_client(team.lead).get(URL, {"round": "last"})))
    assert [r["final"]["round"] for r in latest] == [1, 1, 2]
    assert refused(team.lead, round="first")["message"] == export_request.BAD_ROUND.format(
        value="first")


def test_task_exports_that_one_tasks_record(team, tasks):
    assert exported_ids(team.lead, task=str(tasks["approved_low"].pk)) == [
        tasks["approved_low"].pk]
    assert exported_ids(team.lead, task=str(tasks["submitted"].pk)) == []  # not approved
    assert refused(team.lead, task="abc")["message"] == export_request.BAD_TASK.format(
        value="abc")


def test_a_later_review_decides_the_window_and_the_scores(team, tasks):
    task = tasks["approved_low"]
    review(task, team.lead, scores={"serves-the-need": 5, "no-extras": 5, "factual": 5},
           created_at=datetime(2030, 1, 1, tzinfo=UTC))
    assert exported_ids(team.lead, reviewed_after="2029-12-31") == [task.pk]
    assert task.pk in exported_ids(team.lead, min_rubric_average="5")


def test_projects_repeat_or_split_on_commas_and_default_to_those_led(team, tasks):
    other = make_project()
    add_member(team.lead, other, Membership.LEAD)
    elsewhere = make_trajectory(other, team.writer1, team.reviewer)
    reviewed_only = make_project()
    add_member(team.lead, reviewed_only, Membership.REVIEWER)
    make_trajectory(reviewed_only, team.writer1, team.reviewer)
    ours = exported_ids(team.lead, project=team.project.slug)
    both = ours + [elsewhere.pk]
    assert exported_ids(team.lead) == both
    assert exported_ids(team.lead, project=f"{team.project.slug},{other.slug}") == both
    response = api_client(team.lead).get(f"{URL}?project={other.slug}&project={team.project.slug}")
    assert [r["task_id"] for r in read_jsonl(read_body(response))] == both
    assert exported_ids(team.lead, project=other.slug) == [elsewhere.pk]


def test_final_share_filters_keep_finals_mostly_the_writers_own(team):
    from oversight.traces.models import EditEvent

    long = " A long passage from elsewhere, well over a keystroke's worth of text." * 3
    typed = make_trajectory(team.project, team.writer1, team.reviewer,
                            texts=[DRAFT, *typing(DRAFT, len(DRAFT), " Yes.")], note=False)
    pasted = make_trajectory(team.project, team.writer1, team.reviewer,
                             texts=[DRAFT, DRAFT + long], note=False)
    model = make_trajectory(team.project, team.writer1, team.reviewer,
                            texts=[DRAFT, DRAFT + long], note=False)
    EditEvent.objects.filter(task=model).update(kind="model.assist")
    records = {r["task_id"]: r for r in read_jsonl(read_body(api_client(team.lead).get(URL)))}
    share = len(long) / (len(DRAFT) + len(long))
    assert records[pasted.pk]["metrics"]["final_share_pasted"] == share
    assert records[model.pk]["metrics"]["final_share_model"] == share
    assert records[typed.pk]["metrics"]["final_share_typed"] == 5 / (len(DRAFT) + 5)
    assert exported_ids(team.lead, max_final_share_pasted="0.2") == [typed.pk, model.pk]
    assert exported_ids(team.lead, max_final_share_model="0.2") == [typed.pk, pasted.pk]
    assert exported_ids(team.lead, max_final_share_pasted="0.2",
                        max_final_share_model="0.2") == [typed.pk]
    assert refused(team.lead, max_final_share_model="most")["message"] == (
        export_request.BAD_NUMBER.format(name="max_final_share_model", value="most"))
def test_min_writer_trust_keeps_writers_whose_posterior_approval_is_high_enough(team, tasks):
    # writer1: one approval, one rejection -> Beta(2, 2), 0.5; writer2: two approvals and a
    # request for changes -> Beta(3, 2), 0.6.
    assert exported_ids(team.lead, min_writer_trust="0.55") == [tasks["approved_low"].pk,
                                                               tasks["two_rounds"].pk]
    assert exported_ids(team.lead, min_writer_trust="0.5") == [
        tasks["approved"].pk, tasks["approved_low"].pk, tasks["two_rounds"].pk]
    assert exported_ids(team.lead, min_writer_trust="0.7") == []
    error = refused(team.lead, min_writer_trust="1.5")
    assert error["message"] == export_request.BAD_SHARE.format(name="min_writer_trust",
                                                               value="1.5")
