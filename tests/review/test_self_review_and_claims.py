"""Verdicts are refused on one's own round (unless the project allows it) and over claims."""

import pytest
from django.urls import reverse

from oversight.core.formats import to_records
from oversight.review import services
from oversight.review.models import Claim, Review
from oversight.workspace import status as task_status
from oversight.workspace.models import Membership
from tests.factories import add_member, api_client, make_user
from tests.review.traces import Recorder, careful_work, submit

SCORES = {"serves-the-need": 4, "no-extras": 5, "factual": 3}
APPROVE = {"verdict": "approve", "scores": SCORES, "comment": "Fine."}


def post_verdict(user, task, **extra):
    return api_client(user).post(reverse("task-reviews", args=[task.pk]),
                                 {**APPROVE, **extra}, format="json")


def test_a_lead_who_edited_the_round_may_not_approve_it(team):
    Recorder(team.task1).type(team.lead, " Lead's words.")
    careful_work(team.task1, team.writer1)
    response = post_verdict(team.lead, team.task1)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == services.SELF_REVIEW.format(round=1)
    assert not Review.objects.exists()
    team.task1.refresh_from_db()
    assert team.task1.status == task_status.SUBMITTED


def test_whoever_submitted_the_round_may_not_review_it(team):
    admin = make_user()
    admin.is_superuser = True
    admin.save()
    Recorder(team.task1).type(team.writer1, " Writer's words.")
    submit(team.task1, admin)
    assert post_verdict(admin, team.task1).status_code == 403
    assert post_verdict(team.reviewer, team.task1).status_code == 201


def test_edits_of_an_earlier_round_do_not_make_a_self_review(team):
    task = team.task1
    Recorder(task).type(team.lead, " Lead's words.")
    careful_work(task, team.writer1)
    assert post_verdict(team.reviewer, task, verdict="request_changes",
                        comment="More.").status_code == 201
    Recorder(task).type(team.writer1, " More.")
    submit(task, team.writer1)
    response = post_verdict(team.lead, task)
    assert response.status_code == 201 and response.json()["self_review"] is False


def test_a_project_may_allow_self_review_and_the_export_marks_it(team):
    team.project.allow_self_review = True
    team.project.save()
    Recorder(team.task1).type(team.lead, " Lead's words.")
    careful_work(team.task1, team.writer1)
    response = post_verdict(team.lead, team.task1)
    assert response.status_code == 201 and response.json()["self_review"] is True
    lines = api_client(team.lead).get(
        reverse("export") + f"?project={team.project.slug}&format=sft")
    records = [line for line in b"".join(lines.streaming_content).splitlines() if line]
    assert len(records) == 1 and b'"self_review":true' in records[0]


def test_the_trajectory_record_carries_each_reviews_self_review_flag(team):
    from oversight.api.records import trajectory_record
    from tests.api.reference_record import reference_record

    team.project.allow_self_review = True
    team.project.save()
    careful_work(team.task1, team.writer1)
    team.writer1.memberships.update(role=Membership.LEAD)
    team.writer1._oversight_roles = None
    services.review_submit(task=team.task1, reviewer=team.writer1, verdict="approve",
                           scores=SCORES)
    record = reference_record(team.task1)
    assert [r["self_review"] for r in record["reviews"]] == [True]
    assert trajectory_record(team.task1)["reviews"] == record["reviews"]
    assert next(to_records("preference", record))["meta"]["self_review"] is True


# -- claims ---------------------------------------------------------------------------


@pytest.fixture
def claimed(team):
    careful_work(team.task1, team.writer1)
    services.claim_task(task=team.task1, reviewer=team.reviewer)
    return team


def test_a_verdict_over_another_reviewers_claim_is_a_conflict(claimed):
    other = make_user()
    add_member(other, claimed.project, Membership.REVIEWER)
    response = post_verdict(other, claimed.task1)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == services.CLAIM_HELD.format(
        user=claimed.reviewer.username)
    assert not Review.objects.exists()
    # A reviewer cannot override; only a lead can.
    assert post_verdict(other, claimed.task1, override_claim=True).status_code == 409


def test_a_lead_needs_to_override_a_claim_explicitly(claimed):
    assert post_verdict(claimed.lead, claimed.task1).status_code == 409
    response = post_verdict(claimed.lead, claimed.task1, override_claim=True)
    assert response.status_code == 201
    assert not Claim.objects.filter(task=claimed.task1).exists()


def test_the_claim_holder_posts_their_verdict(claimed):
    assert post_verdict(claimed.reviewer, claimed.task1).status_code == 201


# -- the player page ------------------------------------------------------------------


def test_the_player_replaces_the_form_on_ones_own_round(team, client):
    Recorder(team.task1).type(team.lead, " Lead's words.")
    careful_work(team.task1, team.writer1)
    client.force_login(team.lead)
    page = client.get(reverse("review-player", args=[team.task1.pk])).content.decode()
    assert 'data-testid="own-round"' in page and 'id="verdict-form"' not in page
    client.force_login(team.reviewer)
    page = client.get(reverse("review-player", args=[team.task1.pk])).content.decode()
    assert 'id="verdict-form"' in page and 'data-testid="own-round"' not in page


def test_a_lead_sees_the_override_only_over_someone_elses_claim(claimed, client):
    url = reverse("review-player", args=[claimed.task1.pk])
    client.force_login(claimed.lead)
    assert 'data-testid="override-claim"' in client.get(url).content.decode()
    client.force_login(claimed.reviewer)
    assert 'data-testid="override-claim"' not in client.get(url).content.decode()
