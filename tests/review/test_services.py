"""Writes of review: verdicts with anchored comments, claims, and flag thresholds."""

import pytest

from oversight.core.thresholds import BAD_THRESHOLD, DEFAULT_THRESHOLDS, UNKNOWN_THRESHOLD
from oversight.review import services, thresholds
from oversight.review.models import Claim, Review
from oversight.workspace import status as task_status
from tests.review.traces import careful_work

SCORES = {"serves-the-need": 4, "no-extras": 5, "factual": 3}


@pytest.fixture
def submitted(team):
    careful_work(team.task1, team.writer1)
    return team


def test_anchored_comments_are_checked_against_the_submitted_text(submitted):
    final = submitted.task1.submissions.get().text
    start = final.index("blue light")
    good = {"start": start, "end": start + 10, "quote": "blue light", "body": "Which blue?",
            "extra": "dropped"}
    review = services.review_submit(task=submitted.task1, reviewer=submitted.reviewer,
                                    verdict="approve", scores=SCORES, anchored_comments=[good])
    assert review.anchored_comments == [{"start": start, "end": start + 10,
                                         "quote": "blue light", "body": "Which blue?"}]


@pytest.mark.parametrize(("comment", "message"), [
    ({"start": 0, "end": 3, "quote": "Dra", "body": " "}, services.ANCHOR_SHAPE.format(n=1)),
    ({"start": "0", "end": 3, "quote": "Dra", "body": "x"}, services.ANCHOR_SHAPE.format(n=1)),
    ({"start": 0, "end": 999, "quote": "Dra", "body": "x"},
     services.ANCHOR_RANGE.format(n=1, start=0, end=999, length=55)),
    ({"start": 0, "end": 3, "quote": "Sky", "body": "x"},
     services.ANCHOR_QUOTE.format(n=1, start=0, end=3)),
])
def test_bad_anchored_comments_are_refused_and_nothing_is_stored(submitted, comment, message):
    with pytest.raises(services.ReviewError) as refused:
        services.review_submit(task=submitted.task1, reviewer=submitted.reviewer,
                               verdict="approve", scores=SCORES, anchored_comments=[comment])
    assert str(refused.value) == message
    assert not Review.objects.exists()
    submitted.task1.refresh_from_db()
    assert submitted.task1.status == task_status.SUBMITTED


def test_score_comments_must_name_rubric_principles(submitted):
    with pytest.raises(services.ReviewError) as refused:
        services.review_submit(task=submitted.task1, reviewer=submitted.reviewer,
                               verdict="approve", scores=SCORES, score_comments={"tone": "x"})
    assert str(refused.value) == services.UNKNOWN_PRINCIPLE.format(
        key="tone", keys="serves-the-need, no-extras, factual")


def test_only_a_submitted_task_can_be_claimed(team):
    with pytest.raises(services.ReviewError) as refused:
        services.claim_task(task=team.task1, reviewer=team.reviewer)
    assert str(refused.value) == services.NOT_CLAIMABLE.format(status="open")


def test_a_claim_is_released_by_its_holder_or_a_lead_and_by_a_verdict(submitted):
    task = submitted.task1
    services.claim_task(task=task, reviewer=submitted.reviewer)
    with pytest.raises(services.ClaimConflict):
        services.claim_task(task=task, reviewer=submitted.lead)
    services.release_claim(task=task, reviewer=submitted.lead)  # a stale claim, cleared
    assert not Claim.objects.exists()
    services.claim_task(task=task, reviewer=submitted.lead)
    with pytest.raises(services.ReviewForbidden) as refused:
        services.release_claim(task=task, reviewer=submitted.reviewer)
    assert str(refused.value) == services.NOT_YOUR_CLAIM.format(user=submitted.lead.username)
    services.review_submit(task=task, reviewer=submitted.lead, verdict="approve",
                           scores=SCORES)
    assert not Claim.objects.exists()


def test_a_lead_sets_thresholds_within_their_ranges(team):
    now = thresholds.thresholds_update(project=team.project, user=team.lead,
                                       values={"paste_heavy_share": "0.8",
                                               "rubber_stamp_max_seconds_per_1k": "30"})
    assert now == {**DEFAULT_THRESHOLDS, "paste_heavy_share": 0.8,
                   "rubber_stamp_max_seconds_per_1k": 30}
    team.project.refresh_from_db()
    assert team.project.signal_thresholds == {"paste_heavy_share": 0.8,
                                              "rubber_stamp_max_seconds_per_1k": 30}


def test_a_reviewer_cannot_change_thresholds(team):
    with pytest.raises(services.ReviewForbidden) as refused:
        thresholds.thresholds_update(project=team.project, user=team.reviewer,
                                     values={"paste_heavy_share": 0.9})
    assert str(refused.value) == thresholds.NOT_MANAGER
    team.project.refresh_from_db()
    assert team.project.signal_thresholds == {}


@pytest.mark.parametrize(("values", "message"), [
    ({"paste_heavy_share": "1.5"}, BAD_THRESHOLD.format(
        key="paste_heavy_share", low=0.0, high=1.0)),
    ({"paste_heavy_share": "lots"}, BAD_THRESHOLD.format(
        key="paste_heavy_share", low=0.0, high=1.0)),
    ({"no_reasoning_min_changed_chars": -1}, BAD_THRESHOLD.format(
        key="no_reasoning_min_changed_chars", low=0, high=1_000_000)),
    ({"typing_speed": 3}, UNKNOWN_THRESHOLD.format(
        key="typing_speed", keys=", ".join(DEFAULT_THRESHOLDS))),
])
def test_bad_thresholds_are_refused_with_their_message(team, values, message):
    with pytest.raises(services.ReviewError) as refused:
        thresholds.thresholds_update(project=team.project, user=team.lead, values=values)
    assert str(refused.value) == message


def test_a_retired_threshold_key_is_ignored(team):
    team.project.signal_thresholds = {"rubber_stamp_active_seconds": 60,
                                      "paste_heavy_share": 0.7}
    assert team.project.thresholds() == {**DEFAULT_THRESHOLDS, "paste_heavy_share": 0.7}
